// The gateway's side of human approval: a request (or a tool call) the policy allows only with `require_approval`
// is bound to a hash of the exact operation and its requester, held until approvers decide (or the hold ends), and
// forwarded only with a usable approval. Every step goes to the audit log; webhooks are told of new approvals.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { FastifyBaseLogger } from "fastify";
import { fromJSON } from "../engine/value/value.js";
import { approvalRoutes } from "./approvals/routes.js";
import { ApprovalService, canonicalBody, operationHash, previewTexts, requesterOf, type ApprovalEvent, type ApprovalRequirement } from "./approvals/service.js";
import { ApprovalWebhooks } from "./approvals/webhook.js";
import type { PolicyBundle } from "./bundle.js";
import type { ApprovalsConfig, SecretRef } from "./config.js";
import { CredentialStore } from "./credentials.js";
import { GatewayError } from "./errors.js";
import { Authenticator, type Identity } from "./identity.js";
import type { Masker } from "./masking/patterns.js";
import type { Approval, AuditEntry, Store } from "./store/types.js";

/** The policy rule that may veto an approver (`data.guard.approvals.may_approve`), when the bundle has one. */
const MAY_APPROVE = ["guard", "approvals", "may_approve"];

export interface ApprovalGateOptions {
  config: ApprovalsConfig;
  store: Store;
  env: NodeJS.ProcessEnv;
  /** The bundle serving now (for the approver policy). */
  bundle: () => PolicyBundle | undefined;
  audit: (entry: Omit<AuditEntry, "time">) => Promise<string>;
  log: FastifyBaseLogger;
  /** The gateway's own URL once it listens (for links when no public_url is configured). */
  address: () => string;
  /** The CI jobs' authenticator: a requester may follow its own approvals with its job token. */
  requesters: Authenticator;
}

export interface Operation {
  connection: string;
  method: string;
  path: string;
  /** What identifies the operation's content: the forwarded (masked) body, or a tool call's name and input. */
  content: string;
  identity: Identity;
  /** Shown to approvers, already masked. */
  preview: { model?: string | null; texts: string[] };
  decisionId: string;
}

function secret(ref: SecretRef | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return ref ? new CredentialStore(env).secret(ref) : undefined;
}

export class ApprovalGate {
  readonly service: ApprovalService;
  private readonly approvers: Authenticator;
  private webhooks: ApprovalWebhooks | undefined;

  constructor(private readonly o: ApprovalGateOptions) {
    this.approvers = new Authenticator(o.config.providers);
    this.service = new ApprovalService({
      store: o.store.approvals,
      pendingTtlMs: o.config.pendingTtlMs,
      onEvent: (e) => this.onEvent(e),
      onEventError: (err, e) => o.log.error({ err: (err as Error).message, event: e.type }, "approval event not recorded"),
      mayApprove: (approver, approval) => this.mayApprove(approver, approval),
    });
  }

  get publicUrl(): string {
    return this.o.config.publicUrl ?? this.o.address();
  }

  /** A person (an approver's identity provider), for the other pages meant for people (the session views). */
  person(token: string | undefined): Promise<Identity> {
    return this.approvers.verify(token);
  }

  /**
   * Approvers sign in with their own identity provider. A CI job's token is accepted too, so that a held job can
   * follow its approval, but with no groups: a job can never approve anything.
   */
  private async identify(token: string | undefined): Promise<Identity> {
    try {
      return await this.approvers.verify(token);
    } catch (e) {
      try {
        return { ...(await this.o.requesters.verify(token)), groups: [] };
      } catch {
        throw e;
      }
    }
  }

  /** Mounts the approval API and page at /approvals. */
  async register(app: FastifyInstance): Promise<void> {
    const login = this.o.config.login;
    await app.register(approvalRoutes, {
      service: this.service,
      basePath: "/approvals",
      authenticate: (req) => this.identify(Authenticator.tokenOf(req.headers)),
      ...(login
        ? {
            login: {
              issuer: login.issuer,
              clientId: login.clientId,
              clientSecret: secret(login.clientSecret, this.o.env),
              redirectUrl: login.redirectUrl,
              verifyToken: (t: string) => this.approvers.verify(t),
            },
          }
        : {}),
    });
  }

  /**
   * Passes when the operation has a usable approval; otherwise opens one (or finds the one open), holds up to the
   * configured wait, and passes if it is approved in time. Throws GUARD_APPROVAL_REQUIRED (403, with the approval's
   * status URL) when it is not.
   */
  async require(op: Operation, requirement: ApprovalRequirement, signal?: AbortSignal): Promise<Approval> {
    const hash = operationHash(op.connection, op.method, op.path, op.content, op.identity.subject);
    const valid = await this.service.findValid(hash, op.identity.subject);
    if (valid) return valid;
    const opened = await this.service.open({
      operationHash: hash,
      requester: requesterOf(op.identity),
      connection: op.connection,
      summary: { method: op.method, path: op.path, model: op.preview.model ?? null, texts: previewTexts(op.preview.texts) },
      reason: requirement.reason,
      approvers: requirement.approvers,
      approvalsNeeded: requirement.approvalsNeeded,
      validity: requirement.validity,
      decisionId: op.decisionId,
    });
    const outcome = await this.service.waitFor(opened.id, { timeoutMs: this.o.config.holdMs, signal });
    if (outcome === "approved") {
      const approved = await this.service.findValid(hash, op.identity.subject);
      if (approved) return approved;
    }
    const statusUrl = `${this.publicUrl}/approvals/api/${opened.id}/status`;
    const why = outcome === "pending" ? "is still waiting for approvers" : `was ${outcome}`;
    throw new GatewayError("GUARD_APPROVAL_REQUIRED", `${requirement.reason}: approval ${opened.id} ${why}; retry once it is approved (${statusUrl})`, op.decisionId, {
      approval_id: opened.id,
      approval_status: outcome,
      status_url: statusUrl,
      page_url: `${this.publicUrl}/approvals`,
    });
  }

  /** The masked preview texts of a request. */
  static previewOf(texts: readonly string[], masker: Masker | undefined): string[] {
    return texts.slice(0, 5).map((t) => (masker ? masker.maskText(t).text : t));
  }

  /** Canonical content of a forwarded body (the approval binds to exactly it). */
  static content(body: Buffer): string {
    return canonicalBody(body);
  }

  private async mayApprove(approver: Identity, approval: Approval): Promise<boolean> {
    const bundle = this.o.bundle();
    if (!bundle || !bundle.documents.has(MAY_APPROVE.join("."))) return true;
    try {
      const v = bundle.policy.evaluate(MAY_APPROVE, { input: fromJSON({ approver, approval }), strictBuiltinErrors: true, timeoutMs: 100 });
      return v === true;
    } catch {
      return false; // an error refuses (fail closed)
    }
  }

  private async onEvent(e: ApprovalEvent): Promise<void> {
    const a = e.approval;
    const actor = "approver" in e ? e.approver.subject : a.requester.subject;
    const reasons = [`approval ${a.id} ${e.type.replace("approval.", "")}${"approver" in e ? ` by ${e.approver.name ?? e.approver.subject}` : ""}`];
    if (e.type === "approval.opened") reasons.push(a.reason);
    if (e.type === "approval.refused") reasons.push(`${e.code}: ${e.message}`);
    if ("comment" in e && e.comment) reasons.push(`comment: ${e.comment}`);
    const allowed = e.type === "approval.consumed" || (e.type === "approval.approved" && e.complete);
    await this.o.audit({
      decisionId: randomUUID(),
      subject: actor,
      repository: a.requester.repository,
      connection: a.connection,
      request: { method: a.summary.method, path: a.summary.path, size: 0, bodySha256: null, ...(a.summary.model ? { model: a.summary.model } : {}) },
      decision: allowed ? "allow" : "deny",
      reasons,
      bundleRevision: this.o.bundle()?.revision ?? null,
      latencyMs: 0,
      approval: { id: a.id, event: e.type },
    });
    if (e.type === "approval.opened" && this.o.config.webhooks.length > 0) {
      this.webhooks ??= new ApprovalWebhooks({
        targets: this.o.config.webhooks.map((w) => ({ url: w.url, kind: w.kind, ...(w.secret ? { secret: secret(w.secret, this.o.env) } : {}) })),
        publicUrl: this.publicUrl,
        logger: this.o.log,
      });
      void this.webhooks.onEvent(e);
    }
  }

  async close(): Promise<void> {
    this.service.close();
    await this.webhooks?.idle();
  }
}
