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
import { guardResponse, maskerFor, maskRequest, recordedDocument } from "./guardrails.js";
import { buildInput, type PolicyInput } from "./input.js";
import type { ToolDecision, ToolUseBlock } from "./masking/anthropic-stream.js";
import type { Masker } from "./masking/patterns.js";
import { GatewayMetrics } from "./metrics.js";
import { PolicySource } from "./policy-source.js";
import type { AuditEntry, Store } from "./store/types.js";
import { inSpan } from "./tracing.js";
import { ApprovalGate } from "./approval-gate.js";
import { maskJson } from "./masking/json-body.js";
import { ResponseCapture } from "./sessions/capture.js";
import { SessionRecorder, sessionIdOf, type ExchangeRecord } from "./sessions/recorder.js";
import { AuditRetention } from "./audit-retention.js";
import { sessionRoutes } from "./sessions/routes.js";

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
  readonly approvals: ApprovalGate;
  private readonly recorder: SessionRecorder | undefined;
  private readonly retention: AuditRetention | undefined;

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
    this.approvals = new ApprovalGate({
      config: config.approvals,
      store: options.store,
      env: options.env ?? process.env,
      bundle: () => this.policies.current,
      audit: (entry) => this.audit(entry),
      log: this.app.log,
      address: () => this.address(),
      requesters: this.auth,
    });
    if (config.sessions.record) {
      this.recorder = new SessionRecorder(options.store.sessions, {
        maxBodyBytes: config.sessions.maxBodyBytes,
        retention: { maxAgeMs: config.sessions.maxAgeMs, maxBytes: config.sessions.maxBytes },
        batchWindowMs: config.sessions.batchWindowMs,
        onError: (err, ctx) => this.app.log.warn({ err: err.message, ...ctx }, "session recording failed"),
      });
    }
    if (config.audit.maxAgeMs !== undefined) {
      this.retention = new AuditRetention(options.store.audit, {
        maxAgeMs: config.audit.maxAgeMs,
        onPruned: (removed, checkpoint) => {
          this.metrics.auditPruned.inc(removed);
          this.app.log.info({ removed, through: checkpoint.seq, throughTime: checkpoint.time }, "audit retention removed old records");
        },
        onError: (err) => {
          this.metrics.auditPruneFailures.inc();
          this.app.log.error({ err: err.message }, "audit retention failed; nothing more is removed until the next run");
        },
      });
    }
    this.routes();
  }

  /** Where the gateway listens (http://host:port), once it does. */
  address(): string {
    const a = this.app.server.address();
    if (a === null || typeof a === "string") return `http://${this.config.listen.host}:${this.config.listen.port}`;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  private routes(): void {
    const app = this.app;
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    // Origin-form targets only (`/claude/v1/messages`): an absolute-form target (`GET http://host/…`) is what a
    // client sends to a forward proxy, which the gateway never is.
    app.addHook("onRequest", (req, _reply, done) => {
      if (!(req.raw.url ?? "").startsWith("/")) done(new GatewayError("GUARD_BAD_REQUEST", "the request target must be a path: the gateway is not a forward proxy"));
      else done();
    });
    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/readyz", async (_req, reply) => this.ready(reply));
    app.get("/metrics", async (_req, reply) => {
      reply.header("content-type", this.metrics.registry.contentType);
      return this.metrics.registry.metrics();
    });
    void this.approvals.register(app);
    // The session views are for people: the approvers' identity providers authenticate them (none: nobody).
    void app.register(sessionRoutes, { store: this.options.store, authenticate: (req) => this.approvals.person(Authenticator.tokenOf(req.headers)) });
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
      const authMs = performance.now() - started;
      const bundle = this.policies.current;
      let decision: Decision = await inSpan("guard.evaluate", { "guard.bundle.revision": bundle?.revision ?? "" }, () =>
        decide(bundle, connection.entrypoint, input, { timeoutMs: this.config.limits.evaluationTimeoutMs, maxSteps: this.config.limits.evaluationSteps }),
      );
      const masks = maskerFor(decision.document);
      if (!masks.ok) decision = { ...decision, outcome: "error", reasons: masks.problems };
      const masker = masks.ok ? masks.masker : undefined;
      // The body as it may leave the gateway (and be recorded): masked whatever the decision.
      let forwardBody: Buffer | null = body;
      let maskedHits: { name: string; count: number }[] = [];
      let maskedJson: unknown;
      try {
        ({ body: forwardBody, hits: maskedHits, json: maskedJson } = maskRequest(body, masker, json));
      } catch (e) {
        forwardBody = null;
        if (decision.outcome === "allow") decision = { ...decision, outcome: "deny", reasons: [(e as Error).message] };
      }
      if (decision.outcome === "allow" && decision.approval) decision = { ...decision, reasons: [`held for human approval: ${decision.approval.reason}`] };
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

      // Every exchange is recorded under its CI run's session, masked (the policy input too), denied ones included.
      const toolDecisions: NonNullable<ExchangeRecord["toolDecisions"]> = [];
      // Recorded after the answer is on its way (masking the input and trimming cost CPU the caller need not wait for).
      const record = (response: ExchangeRecord["response"], upstreamMs: number | null) => {
        const recorder = this.recorder;
        if (!recorder) return;
        const totalMs = performance.now() - started;
        setImmediate(() => {
          let exchange: ExchangeRecord;
          try {
            exchange = {
              sessionId: sessionIdOf(identity, req.headers),
              decisionId: decision.id,
              subject: identity.subject,
              repository: identity.repository,
              connection: name,
              request: { method: req.method, path: summary.path, headers: req.headers, body: forwardBody },
              response,
              input: masker ? maskedInput(input, masker, maskedJson) : input,
              inputMasked: masker !== undefined,
              decision: { outcome: decision.outcome, reasons: decision.reasons, revision: decision.revision, entrypoint: connection.entrypoint, document: recordedDocument(decision.document, masks) },
              toolDecisions,
              timings: { authMs, evaluationMs: decision.evaluationMs, upstreamMs, totalMs },
            };
          } catch (e) {
            // (outside the request: a throw here would end the process)
            this.app.log.warn({ err: (e as Error).message, decision_id: decision.id }, "session recording failed");
            return;
          }
          void recorder.record(exchange);
        });
      };
      const refuse = (e: GatewayError): never => {
        record(null, null);
        throw e.withDecision(decision.id);
      };
      if (decision.outcome !== "allow") {
        if (!bundle) refuse(new GatewayError("GUARD_NO_BUNDLE"));
        if (decision.outcome === "error") refuse(new GatewayError("GUARD_POLICY_ERROR", `the policy could not decide; denied (fail closed)`));
        refuse(new GatewayError("GUARD_DENIED", `denied by policy: ${decision.reasons.join("; ")}`));
      }
      const abort = new AbortController();
      reply.raw.on("close", () => {
        if (!reply.raw.writableFinished) abort.abort();
      });

      // 4. A human, when the policy asks for one: held until approved (or refused with the approval's status URL).
      if (decision.approval) {
        try {
          await this.approvals.require(
            {
              connection: name,
              method: req.method,
              path: summary.path,
              content: ApprovalGate.content(forwardBody!),
              identity,
              preview: { model: model ?? null, texts: ApprovalGate.previewOf(input.llm?.texts ?? [], masker) },
              decisionId: decision.id,
            },
            decision.approval,
            abort.signal,
          );
        } catch (e) {
          refuse(e instanceof GatewayError ? e : new GatewayError("GUARD_AUDIT_UNAVAILABLE", "the approval could not be recorded"));
        }
      }

      // 5. Forward with the gateway's credential.
      let credential: Record<string, string> | undefined;
      if (connection.credential) {
        credential = this.credentials.headers(connection.credential);
        if (!credential) refuse(new GatewayError("GUARD_NO_CREDENTIAL", `the gateway has no credential for connection ${name} (${connection.credential.source} is empty)`));
      }
      // Answers the gateway inspects (masking, tool calls) must come uncompressed.
      const toolPath = connection.toolEntrypoint;
      const inspects = masker !== undefined || (connection.type === "anthropic" && bundle !== undefined && definesRule(bundle, toolPath));
      const add = inspects ? { ...decision.headers.add, "accept-encoding": "identity" } : decision.headers.add;
      const upstreamStarted = performance.now();
      let res;
      try {
        res = await inSpan("guard.upstream", { "url.full": this.forwarder.resolve(connection, pathAndQuery).href }, () =>
          this.forwarder.forward(connection, { method: req.method, pathAndQuery, headers: req.headers, body: forwardBody!, credential, add, remove: decision.headers.remove }, abort.signal),
        );
      } catch (e) {
        if (e instanceof GatewayError) refuse(e);
        throw e;
      }
      const upstreamMs = performance.now() - upstreamStarted;
      this.metrics.upstream.observe({ connection: name, status: String(res.status) }, upstreamMs / 1000);
      span.setAttribute("http.response.status_code", res.status);
      res.body.on("error", (err) => req.log.warn({ decision_id: decision.id, err: err.message }, "upstream body ended with an error"));

      // 6. The answer, with the obligations applied on the way back: masking, and the model's tool calls decided.
      const onToolUse =
        connection.type === "anthropic" && bundle && definesRule(bundle, toolPath)
          ? (block: ToolUseBlock) => this.decideToolUse({ bundle, connection, input, block, summary, identity, parentId: decision.id, masker, recorded: toolDecisions })
          : undefined;
      let guarded;
      try {
        guarded = await guardResponse(res, { connectionType: connection.type, masker, onToolUse });
      } catch (e) {
        if (e instanceof GatewayError) refuse(e);
        throw e;
      }
      reply.code(guarded.status).headers(guarded.headers).header("x-guard-decision-id", decision.id);
      if (!this.recorder) return reply.send(guarded.body);
      const headersOut = guarded.headers;
      if (Buffer.isBuffer(guarded.body)) {
        reply.send(guarded.body);
        record({ status: guarded.status, headers: headersOut, body: guarded.body }, upstreamMs);
        return reply;
      }
      const capture = new ResponseCapture({ sse: String(headersOut["content-type"] ?? "").includes("event-stream"), maxBytes: this.config.sessions.maxBodyBytes });
      let recorded = false;
      const done = () => {
        if (recorded) return;
        recorded = true;
        record({ status: guarded.status, headers: headersOut, capture }, upstreamMs);
      };
      capture.on("end", done);
      capture.on("close", done);
      return reply.send(guarded.body.pipe(capture));
    });
  }

  /**
   * Decides one tool call the model made (policy `tool_decision`; a call the policy wants a human for is held for
   * approval like a request), and audits it. Never throws: every failure denies the call.
   */
  private async decideToolUse(t: {
    bundle: PolicyBundle;
    connection: ConnectionConfig;
    input: PolicyInput;
    block: ToolUseBlock;
    summary: AuditEntry["request"];
    identity: Identity;
    parentId: string;
    masker: Masker | undefined;
    recorded: NonNullable<ExchangeRecord["toolDecisions"]>;
  }): Promise<ToolDecision> {
    const { connection, block, identity } = t;
    const toolInput: ToolInput = { ...t.input, tool_use: { id: block.id, name: block.name, input: block.input } };
    let d = decide(t.bundle, connection.toolEntrypoint, toolInput, { timeoutMs: this.config.limits.evaluationTimeoutMs, maxSteps: this.config.limits.evaluationSteps });
    if (d.outcome === "allow" && d.approval) {
      try {
        const content = JSON.stringify({ name: block.name, input: block.input });
        const preview = ApprovalGate.previewOf([`${block.name}: ${JSON.stringify(block.input)}`], t.masker);
        await this.approvals.require({ connection: connection.name, method: "TOOL", path: `${t.summary.path}#tool_use:${block.name}`, content, identity, preview: { texts: preview }, decisionId: d.id }, d.approval);
        d = { ...d, reasons: [] };
      } catch (e) {
        d = { ...d, outcome: "deny", reasons: [(e as Error).message] };
      }
    }
    this.metrics.toolCalls.inc({ connection: connection.name, decision: d.outcome });
    t.recorded.push({ toolUseId: block.id, name: block.name, input: block.input, outcome: d.outcome, reasons: d.reasons, entrypoint: connection.toolEntrypoint });
    try {
      await this.audit({
        decisionId: d.id,
        subject: identity.subject,
        repository: identity.repository,
        connection: connection.name,
        request: t.summary,
        tool: { id: block.id, name: block.name },
        decision: d.outcome,
        reasons: d.outcome === "allow" ? [] : [...d.reasons, `(tool call in the answer to ${t.parentId})`],
        bundleRevision: d.revision,
        latencyMs: d.evaluationMs,
      });
    } catch {
      return { deny: "the audit log cannot be written" };
    }
    this.app.log.info({ decision_id: d.id, parent: t.parentId, tool: block.name, decision: d.outcome, reasons: d.reasons }, "tool call decision");
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
    const address = await this.app.listen({ host: this.config.listen.host, port: this.config.listen.port });
    this.retention?.start();
    return address;
  }

  async close(): Promise<void> {
    this.policies.stop();
    await this.app.close();
    await this.approvals.close();
    await this.recorder?.close();
    await this.retention?.close();
    await this.forwarder.close();
  }
}

/** The policy input as recorded: masked, the request body being the masked copy maskRequest made (not masked twice). */
function maskedInput(input: PolicyInput, masker: Masker, maskedBody: unknown): unknown {
  if (maskedBody === undefined) return maskJson(input, masker).value;
  const masked = maskJson({ ...input, request: { ...input.request, body: null } }, masker).value as PolicyInput;
  masked.request.body = maskedBody;
  return masked;
}
