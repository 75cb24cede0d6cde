// The gateway: a fastify server that authenticates each request, asks the policy, records the decision in the
// audit log, and forwards what is allowed to the connection's upstream with the gateway's own credential.
// Deny by default, fail closed: no identity, no bundle, an evaluation error, an audit write failure: no forwarding.
import { createHash } from "node:crypto";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ConnectionConfig, GatewayConfig } from "./config.js";
import { CredentialStore } from "./credentials.js";
import type { PolicyBundle } from "./bundle.js";
import { decide, definesRule, type Decision, type ToolInput } from "./decision.js";
import { errorBody, GatewayError } from "./errors.js";
import { Forwarder } from "./forward.js";
import { AuthError, Authenticator, type Identity } from "./identity.js";
import { guardResponse, maskerFor, maskRequest } from "./guardrails.js";
import { buildInput, type PolicyInput } from "./input.js";
import type { ToolDecision, ToolUseBlock } from "./masking/anthropic-stream.js";
import { GatewayMetrics } from "./metrics.js";
import { PolicySource } from "./policy-source.js";
import type { AuditEntry, Store } from "./store/types.js";
import { inSpan } from "./tracing.js";

export interface GatewayOptions {
  /** The store (audit log); opened by the caller so that tests and the CLI choose it. */
  store: Store;
  /** Environment to read credentials from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Pino options or false (tests). */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
  /** Collect Node's default process metrics too (default true). */
  defaultMetrics?: boolean;
}

export class Gateway {
  readonly app: FastifyInstance;
  readonly metrics: GatewayMetrics;
  readonly policies: PolicySource;
  private readonly auth: Authenticator;
  private readonly credentials: CredentialStore;
  private readonly forwarder: Forwarder;
  private readonly connections = new Map<string, ConnectionConfig>();

  constructor(
    readonly config: GatewayConfig,
    private readonly options: GatewayOptions,
  ) {
    this.metrics = new GatewayMetrics({ defaultMetrics: options.defaultMetrics });
    this.policies = new PolicySource(config.policies);
    this.auth = new Authenticator(config.providers);
    this.credentials = new CredentialStore(options.env);
    this.forwarder = new Forwarder(config.limits.upstreamTimeoutMs);
    for (const c of config.connections) this.connections.set(c.name, c);
    this.policies.onReload((r) => {
      if (r.outcome === "loaded") {
        this.metrics.reloads.inc({ outcome: "loaded" });
        this.metrics.setRevision(r.revision);
        this.metrics.bundleHealthy.set(1);
        this.app.log.info({ revision: r.revision, tests: r.tests }, "policy bundle loaded");
      } else if (r.outcome === "unchanged") {
        if (this.policies.lastFailure === undefined && this.policies.current) this.metrics.bundleHealthy.set(1);
      } else if (r.outcome === "rejected") {
        this.metrics.reloads.inc({ outcome: "rejected" });
        this.metrics.bundleHealthy.set(0);
        this.app.log.error({ revision: r.revision, problems: r.problems }, "policy bundle rejected; the last good bundle keeps serving");
      }
    });
    this.app = Fastify({
      logger: options.logger === undefined ? { level: config.logLevel } : options.logger,
      // One log line per decision (written below) instead of fastify's two per request.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: config.limits.bodySize,
      return503OnClosing: true,
    });
    this.routes();
  }

  private routes(): void {
    const app = this.app;
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    // Origin-form targets only (`/claude/v1/messages`): an absolute-form target (`GET http://host/…`) is what a
    // client sends to a forward proxy, which the gateway never is.
    app.addHook("onRequest", async (req) => {
      if (!(req.raw.url ?? "").startsWith("/")) throw new GatewayError("GUARD_BAD_REQUEST", "the request target must be a path: the gateway is not a forward proxy");
    });
    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/readyz", async (_req, reply) => this.ready(reply));
    app.get("/metrics", async (_req, reply) => {
      reply.header("content-type", this.metrics.registry.contentType);
      return this.metrics.registry.metrics();
    });
    const handler = (req: FastifyRequest, reply: FastifyReply) => this.handle(req, reply);
    app.all("/:connection", handler);
    app.all("/:connection/*", handler);
    app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
      const connection = this.connections.get((req.params as { connection?: string } | undefined)?.connection ?? "");
      const e =
        error instanceof GatewayError
          ? error
          : error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
            ? new GatewayError("GUARD_BODY_TOO_LARGE", `the request body is larger than ${this.config.limits.bodySize} bytes`)
            : (error.statusCode ?? 500) < 500
              ? new GatewayError("GUARD_BAD_REQUEST", error.message)
              : new GatewayError("GUARD_UPSTREAM_ERROR", "internal error");
      if (!(error instanceof GatewayError) && (error.statusCode ?? 500) >= 500) req.log.error({ err: error }, "internal error");
      this.sendError(reply, e, connection?.type);
    });
  }

  private async ready(reply: FastifyReply) {
    const bundle = this.policies.current;
    const failure = this.policies.lastFailure;
    let store = "ok";
    try {
      await this.options.store.ping();
    } catch (e) {
      store = `unavailable: ${(e as Error).message}`;
    }
    const ready = bundle !== undefined && store === "ok";
    reply.code(ready ? 200 : 503);
    return {
      status: ready ? "ready" : "not ready",
      bundle: bundle ? { revision: bundle.revision, loaded_at: bundle.loadedAt.toISOString(), tests_passed: bundle.tests } : null,
      last_reload_failure: failure ? { revision: failure.revision, at: failure.at.toISOString(), problems: failure.problems } : null,
      store,
    };
  }

  private sendError(reply: FastifyReply, e: GatewayError, type: "anthropic" | "http" | undefined): void {
    if (e.decisionId) reply.header("x-guard-decision-id", e.decisionId);
    if (e.code === "GUARD_UNAUTHENTICATED") reply.header("www-authenticate", 'Bearer realm="guard"');
    reply.code(e.status).type("application/json").send(errorBody(e, type));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const name = (req.params as { connection: string }).connection;
    const connection = this.connections.get(name);
    if (!connection) throw new GatewayError("GUARD_UNKNOWN_CONNECTION", `no connection named ${JSON.stringify(name).slice(0, 80)}`);
    const started = performance.now();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const rawUrl = req.raw.url ?? "/";
    const pathAndQuery = rawUrl.slice(name.length + 1) || "/";
    const q = pathAndQuery.indexOf("?");
    const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
    const summary = {
      method: req.method,
      path: `/${name}${path}`,
      size: body.length,
      bodySha256: body.length > 0 ? createHash("sha256").update(body).digest("hex") : null,
    };

    return inSpan("guard.request", { "guard.connection": name, "http.request.method": req.method }, async (span) => {
      // 1. Who is asking.
      let identity: Identity;
      try {
        identity = await inSpan("guard.auth", {}, () => this.auth.verify(Authenticator.tokenOf(req.headers)));
      } catch (e) {
        const reason = e instanceof AuthError ? `unauthenticated (${e.reason}): ${e.message}` : "unauthenticated";
        this.metrics.requests.inc({ connection: name, decision: "unauthenticated" });
        const id = await this.audit({ decisionId: crypto.randomUUID(), subject: null, repository: null, connection: name, request: summary, decision: "deny", reasons: [reason], bundleRevision: this.policies.current?.revision ?? null, latencyMs: performance.now() - started, status: 401 });
        req.log.info({ decision_id: id, connection: name, reason }, "unauthenticated request denied");
        throw new GatewayError("GUARD_UNAUTHENTICATED", "no valid identity token (the CI job's OIDC token is expected as a bearer token)", id);
      }

      // 2. What it asks for.
      let json: unknown;
      const contentType = String(req.headers["content-type"] ?? "");
      if (body.length > 0 && (contentType.includes("json") || connection.type === "anthropic")) {
        try {
          json = JSON.parse(body.toString("utf8"));
        } catch {
          if (connection.type === "anthropic") throw new GatewayError("GUARD_BAD_REQUEST", "the request body is not valid JSON");
        }
      }
      const input = buildInput(identity, connection, { method: req.method, path, query: new URLSearchParams(q < 0 ? "" : pathAndQuery.slice(q + 1)), headers: req.headers, body, json }, new Date());

      // 3. The decision and its obligations, recorded before anything is forwarded.
      const bundle = this.policies.current;
      let decision: Decision = await inSpan("guard.evaluate", { "guard.bundle.revision": bundle?.revision ?? "" }, () =>
        decide(bundle, connection.entrypoint, input, { timeoutMs: this.config.limits.evaluationTimeoutMs, maxSteps: this.config.limits.evaluationSteps }),
      );
      const masks = maskerFor(decision.document);
      if (!masks.ok) decision = { ...decision, outcome: "error", reasons: masks.problems };
      let forwardBody = body;
      let maskedHits: { name: string; count: number }[] = [];
      if (decision.outcome === "allow" && masks.ok) ({ body: forwardBody, hits: maskedHits } = maskRequest(body, masks.masker));
      this.metrics.evaluation.observe({ connection: name }, decision.evaluationMs / 1000);
      this.metrics.requests.inc({ connection: name, decision: decision.outcome });
      span.setAttribute("guard.decision", decision.outcome);
      span.setAttribute("guard.decision_id", decision.id);
      const model = input.llm?.model;
      await this.audit({
        decisionId: decision.id,
        subject: identity.subject,
        repository: identity.repository,
        connection: name,
        request: { ...summary, ...(model !== undefined ? { model } : {}) },
        decision: decision.outcome,
        reasons: decision.reasons,
        bundleRevision: decision.revision,
        latencyMs: performance.now() - started,
        ...(maskedHits.length > 0 ? { masked: maskedHits } : {}),
        ...(decision.outcome === "allow" ? {} : { status: bundle ? 403 : 503 }),
      });
      if (decision.revision) reply.header("x-guard-bundle-revision", decision.revision);
      req.log.info({ decision_id: decision.id, connection: name, subject: identity.subject, decision: decision.outcome, reasons: decision.reasons, revision: decision.revision, masked: maskedHits }, "decision");
      if (decision.outcome !== "allow") {
        if (!bundle) throw new GatewayError("GUARD_NO_BUNDLE", undefined, decision.id);
        if (decision.outcome === "error") throw new GatewayError("GUARD_POLICY_ERROR", `the policy could not decide; denied (fail closed)`, decision.id);
        throw new GatewayError("GUARD_DENIED", `denied by policy: ${decision.reasons.join("; ")}`, decision.id);
      }

      // 4. Forward with the gateway's credential.
      let credential: Record<string, string> | undefined;
      if (connection.credential) {
        credential = this.credentials.headers(connection.credential);
        if (!credential) throw new GatewayError("GUARD_NO_CREDENTIAL", `the gateway has no credential for connection ${name} (${connection.credential.source} is empty)`, decision.id);
      }
      const abort = new AbortController();
      reply.raw.on("close", () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const upstreamStarted = performance.now();
      let res;
      try {
        res = await inSpan("guard.upstream", { "url.full": Forwarder.target(connection, pathAndQuery).href }, () =>
          this.forwarder.forward(connection, { method: req.method, pathAndQuery, headers: req.headers, body: forwardBody, credential, add: decision.headers.add, remove: decision.headers.remove }, abort.signal),
        );
      } catch (e) {
        if (e instanceof GatewayError) throw new GatewayError(e.code, e.message, decision.id);
        throw e;
      }
      this.metrics.upstream.observe({ connection: name, status: String(res.status) }, (performance.now() - upstreamStarted) / 1000);
      span.setAttribute("http.response.status_code", res.status);
      res.body.on("error", (err) => req.log.warn({ decision_id: decision.id, err: err.message }, "upstream body ended with an error"));

      // 5. The answer, with the obligations applied on the way back: masking, and the model's tool calls decided.
      const toolPath = connection.toolEntrypoint;
      const onToolUse =
        connection.type === "anthropic" && bundle && definesRule(bundle, toolPath)
          ? (block: ToolUseBlock) => this.decideToolUse(bundle, connection, input, block, summary, identity, decision.id)
          : undefined;
      let guarded;
      try {
        guarded = await guardResponse(res, { connectionType: connection.type, masker: masks.ok ? masks.masker : undefined, onToolUse });
      } catch (e) {
        if (e instanceof GatewayError) throw new GatewayError(e.code, e.message, decision.id);
        throw e;
      }
      reply.code(guarded.status).headers(guarded.headers).header("x-guard-decision-id", decision.id);
      return reply.send(guarded.body);
    });
  }

  /** Decides one tool call the model made (policy `tool_decision`), and audits it. Never throws: failures deny. */
  private async decideToolUse(
    bundle: PolicyBundle,
    connection: ConnectionConfig,
    input: PolicyInput,
    block: ToolUseBlock,
    summary: AuditEntry["request"],
    identity: Identity,
    parentId: string,
  ): Promise<ToolDecision> {
    const toolInput: ToolInput = { ...input, tool_use: { id: block.id, name: block.name, input: block.input } };
    const d = decide(bundle, connection.toolEntrypoint, toolInput, { timeoutMs: this.config.limits.evaluationTimeoutMs, maxSteps: this.config.limits.evaluationSteps });
    this.metrics.toolCalls.inc({ connection: connection.name, decision: d.outcome });
    try {
      await this.audit({
        decisionId: d.id,
        subject: identity.subject,
        repository: identity.repository,
        connection: connection.name,
        request: summary,
        tool: { id: block.id, name: block.name },
        decision: d.outcome,
        reasons: d.outcome === "allow" ? [] : [...d.reasons, `(tool call in the answer to ${parentId})`],
        bundleRevision: d.revision,
        latencyMs: d.evaluationMs,
      });
    } catch {
      return { deny: "the audit log cannot be written" };
    }
    this.app.log.info({ decision_id: d.id, parent: parentId, tool: block.name, decision: d.outcome, reasons: d.reasons }, "tool call decision");
    return d.outcome === "allow" ? "allow" : { deny: d.reasons.join("; ") || "denied" };
  }

  /** Appends to the audit log; a failure denies the request (fail closed). Returns the decision id. */
  private async audit(entry: Omit<AuditEntry, "time">): Promise<string> {
    try {
      await this.options.store.audit.append({ time: new Date().toISOString(), ...entry });
      return entry.decisionId;
    } catch (e) {
      this.app.log.error({ err: (e as Error).message, decision_id: entry.decisionId }, "audit log write failed; denying");
      throw new GatewayError("GUARD_AUDIT_UNAVAILABLE", undefined, entry.decisionId);
    }
  }

  /** Loads the first bundle, starts the reload loop, and listens. Returns the address. */
  async start(): Promise<string> {
    await this.policies.start();
    return this.app.listen({ host: this.config.listen.host, port: this.config.listen.port });
  }

  async close(): Promise<void> {
    this.policies.stop();
    await this.app.close();
    await this.forwarder.close();
  }
}
