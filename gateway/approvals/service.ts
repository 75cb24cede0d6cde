// Human approval, just in time: a policy decision that carries `require_approval` holds the request until enough
// people of the named groups approve it (or one denies it, or it lapses). The rules live here; the store
// (store/approvals-*.ts) only offers atomic steps, so every rule holds across gateway instances sharing PostgreSQL.
import { createHash, randomUUID } from "node:crypto";
import { parseDuration } from "../durations.js";
import type { Identity } from "../identity.js";
import { canonicalJson } from "../store/audit-chain.js";
import type { Approval, ApprovalListQuery, ApprovalRequester, ApprovalStatus, ApprovalStore, ApprovalSummary, ApprovalVote } from "../store/approvals-types.js";

export type { Approval, ApprovalRequester, ApprovalStatus, ApprovalSummary, ApprovalVote } from "../store/approvals-types.js";

// ---------------------------------------------------------------------------------------------------------------
// The operation: what a retry after approval must match.

/**
 * SHA-256 (hex) of the operation: connection, method (upper case), path, the body's canonical JSON (see
 * canonicalBody) and the requester's subject. The same request retried after approval hashes the same.
 */
export function operationHash(connection: string, method: string, path: string, bodyCanonicalJson: string, subject: string): string {
  return createHash("sha256")
    .update(JSON.stringify(["guard-approval-operation/1", connection, method.toUpperCase(), path, bodyCanonicalJson, subject]))
    .digest("hex");
}

/**
 * A body as operationHash wants it: its canonical JSON (keys sorted, no whitespace: the same document hashes the
 * same however it was serialized) when it is JSON, `sha256:<hex>` of the bytes otherwise, "" when empty.
 */
export function canonicalBody(body: Buffer | string | undefined | null): string {
  if (body === undefined || body === null || body.length === 0) return "";
  const text = typeof body === "string" ? body : body.toString("utf8");
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return `sha256:${createHash("sha256").update(body).digest("hex")}`;
  }
}

/** The requester as an approval shows it: subject, repository and the CI claims worth judging by (never a token). */
export function requesterOf(identity: Identity): ApprovalRequester {
  const claims: Record<string, unknown> = { issuer: identity.issuer };
  for (const k of ["repository_owner", "ref", "ref_type", "sha", "workflow", "environment", "event_name", "run_id", "run_attempt", "actor"] as const) {
    if (identity[k] !== null) claims[k] = identity[k];
  }
  return { subject: identity.subject, repository: identity.repository, claims };
}

/** A preview's texts: at most `maxTexts` texts of at most `maxChars` characters each (pass them MASKED). */
export function previewTexts(texts: readonly string[], maxChars = 300, maxTexts = 5): string[] {
  return texts.slice(0, maxTexts).map((t) => (t.length > maxChars ? `${t.slice(0, maxChars)}…` : t));
}

/** `require_approval` as a policy writes it, checked. */
export interface ApprovalRequirement {
  reason: string;
  approvers: string[];
  approvalsNeeded: number;
  /** "onetime" or a duration ("1h"). */
  validity: string;
}

/**
 * Reads a decision's `require_approval` ({"reason", "approvers": [group…], "approvals": N, "validity": "onetime" |
 * "1h"}); a malformed one is a problem (deny: fail closed), never a default.
 */
export function parseRequireApproval(value: unknown): { ok: true; requirement: ApprovalRequirement } | { ok: false; problem: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: "require_approval must be an object" };
  const v = value as Record<string, unknown>;
  const reason = v.reason ?? "approval required by policy";
  if (typeof reason !== "string") return { ok: false, problem: "require_approval.reason must be a string" };
  if (!Array.isArray(v.approvers) || v.approvers.length === 0 || !v.approvers.every((g) => typeof g === "string" && g !== "")) {
    return { ok: false, problem: "require_approval.approvers must be a non-empty list of group names" };
  }
  const n = v.approvals ?? 1;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 20) return { ok: false, problem: "require_approval.approvals must be a whole number from 1 to 20" };
  const validity = v.validity ?? "onetime";
  if (typeof validity !== "string" || (validity !== "onetime" && !(parseDuration(validity)! > 0))) {
    return { ok: false, problem: 'require_approval.validity must be "onetime" or a duration such as "1h"' };
  }
  return { ok: true, requirement: { reason, approvers: [...new Set(v.approvers as string[])], approvalsNeeded: n, validity } };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and events.

export type ApprovalErrorCode =
  | "invalid"
  | "not_found"
  | "self_approval"
  | "not_an_approver"
  | "policy_refused"
  | "already_voted"
  | "already_decided"
  | "expired";

const STATUS_OF: Record<ApprovalErrorCode, number> = {
  invalid: 400,
  not_found: 404,
  self_approval: 403,
  not_an_approver: 403,
  policy_refused: 403,
  already_voted: 409,
  already_decided: 409,
  expired: 409,
};

export class ApprovalError extends Error {
  /** The HTTP status the routes answer with. */
  readonly status: number;
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

/** An approver as events and votes name them. */
export interface ApproverRef {
  subject: string;
  issuer: string;
  name: string | null;
  groups: string[];
}

export type ApprovalEvent =
  | { type: "approval.opened"; time: string; approval: Approval }
  /** One approval given; `complete` when it was the last one needed (the approval is now `approved`). */
  | { type: "approval.approved"; time: string; approval: Approval; approver: ApproverRef; comment: string | null; complete: boolean }
  | { type: "approval.denied"; time: string; approval: Approval; approver: ApproverRef; comment: string | null }
  /** A decision attempt refused (self-approval, not in the groups, the policy check, already decided …). */
  | { type: "approval.refused"; time: string; approval: Approval; approver: ApproverRef; action: "approve" | "deny"; code: ApprovalErrorCode; message: string }
  /** Lapsed: pending past its TTL, or an approved window (or unused onetime approval) past its end. */
  | { type: "approval.expired"; time: string; approval: Approval }
  /** A onetime approval used: the request it approved passes (once). */
  | { type: "approval.consumed"; time: string; approval: Approval };

export type WaitOutcome = "approved" | "denied" | "expired" | "pending";

// ---------------------------------------------------------------------------------------------------------------
// The service.

export interface ApprovalServiceOptions {
  store: ApprovalStore;
  /** How long a request waits for its approvers before it lapses (default 15 min). */
  pendingTtlMs?: number;
  /** How long an approved onetime approval stays usable before it lapses unused (default 15 min). */
  onetimeTtlMs?: number;
  /** The longest JIT window a policy may ask for (default 24 h); a longer one is refused (`invalid`). */
  maxWindowMs?: number;
  /** How often lapsed approvals are swept (default 30 s; 0: never, expiry is still enforced on read). */
  sweepIntervalMs?: number;
  /** waitFor re-reads at this interval too, in case a notification was lost (default 5 s). */
  pollIntervalMs?: number;
  /** Every step, for the audit log. Called synchronously; a throw or rejection is reported to onEventError. */
  onEvent?: (event: ApprovalEvent) => void | Promise<void>;
  onEventError?: (error: unknown, event: ApprovalEvent) => void;
  /** An extra check (a policy rule): may this approver decide this approval? False refuses (`policy_refused`). */
  mayApprove?: (approver: Identity, approval: Approval) => boolean | Promise<boolean>;
  /** The clock (tests). */
  now?: () => number;
}

export interface OpenApprovalInput {
  operationHash: string;
  requester: ApprovalRequester;
  connection: string;
  /** MASKED preview (see previewTexts): the approver sees only this. */
  summary: ApprovalSummary;
  reason: string;
  /** Groups whose members may decide. */
  approvers: string[];
  /** Distinct approvals needed (default 1). */
  approvalsNeeded?: number;
  /** "onetime" (default) or a JIT window ("1h"). */
  validity?: string;
  decisionId?: string | null;
}

const LIVE: ReadonlySet<ApprovalStatus> = new Set(["pending", "approved"]);

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

function nameOf(claims: Record<string, unknown>): string | null {
  for (const k of ["name", "preferred_username", "email", "login", "nickname"]) if (typeof claims[k] === "string" && claims[k] !== "") return claims[k];
  return null;
}

/** Login-like names of a human approver, to tell whether they triggered the CI run they are asked to approve. */
function loginsOf(claims: Record<string, unknown>): string[] {
  return ["preferred_username", "login", "nickname", "actor", "user_login"].flatMap((k) => (typeof claims[k] === "string" && claims[k] !== "" ? [claims[k].toLowerCase()] : []));
}

export function approverRef(identity: Identity): ApproverRef {
  return { subject: identity.subject, issuer: identity.issuer, name: nameOf(identity.claims as Record<string, unknown>), groups: [...identity.groups] };
}

/** What waitFor reports for a status. */
export function outcomeOf(status: ApprovalStatus): WaitOutcome {
  return status === "approved" || status === "consumed" ? "approved" : status;
}

export class ApprovalService {
  readonly store: ApprovalStore;
  readonly pendingTtlMs: number;
  readonly onetimeTtlMs: number;
  private readonly maxWindowMs: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.store = options.store;
    this.pendingTtlMs = options.pendingTtlMs ?? 15 * 60_000;
    this.onetimeTtlMs = options.onetimeTtlMs ?? 15 * 60_000;
    this.maxWindowMs = options.maxWindowMs ?? 24 * 3_600_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.now = options.now ?? Date.now;
    const every = options.sweepIntervalMs ?? 30_000;
    if (every > 0) {
      this.sweeper = setInterval(() => void this.sweep().catch(() => {}), every);
      this.sweeper.unref();
    }
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  private emit(event: ApprovalEvent): void {
    const { onEvent, onEventError } = this.options;
    if (!onEvent) return;
    try {
      const r = onEvent(event);
      if (r && typeof r.then === "function") r.then(undefined, (e: unknown) => onEventError?.(e, event));
    } catch (e) {
      onEventError?.(e, event);
    }
  }

  /**
   * Opens an approval for an operation, or returns the one already pending (or approved and still valid) for the
   * same operation hash and requester: a retry, or concurrent identical requests, never open duplicates.
   */
  async open(input: OpenApprovalInput): Promise<Approval> {
    const approvers = [...new Set(input.approvers)].filter((g) => typeof g === "string" && g !== "");
    if (approvers.length === 0) throw new ApprovalError("invalid", "an approval needs at least one approver group");
    const needed = input.approvalsNeeded ?? 1;
    if (!Number.isInteger(needed) || needed < 1) throw new ApprovalError("invalid", "approvalsNeeded must be a whole number >= 1");
    const validity = input.validity ?? "onetime";
    let validityMs: number | null = null;
    if (validity !== "onetime") {
      const ms = parseDuration(validity);
      if (ms === undefined || ms <= 0) throw new ApprovalError("invalid", `validity must be "onetime" or a duration ("1h"), not ${JSON.stringify(validity).slice(0, 50)}`);
      if (ms > this.maxWindowMs) throw new ApprovalError("invalid", `the window ${validity} is longer than the longest allowed (${this.maxWindowMs / 60_000} min)`);
      validityMs = ms;
    }
    if (!/^[0-9a-f]{64}$/.test(input.operationHash)) throw new ApprovalError("invalid", "operationHash must be a SHA-256 hex digest (see operationHash())");
    const now = this.now();
    const s = input.summary;
    const fresh: Approval = {
      id: randomUUID(),
      operationHash: input.operationHash,
      status: "pending",
      requester: input.requester,
      connection: input.connection,
      summary: {
        method: clip(String(s.method), 16),
        path: clip(String(s.path), 2_000),
        ...(s.model !== undefined ? { model: s.model === null ? null : clip(String(s.model), 200) } : {}),
        ...(s.texts !== undefined ? { texts: s.texts.slice(0, 20).map((t) => clip(String(t), 4_000)) } : {}),
      },
      reason: clip(input.reason, 2_000),
      approvers,
      approvalsNeeded: needed,
      validity,
      validityMs,
      decisionId: input.decisionId ?? null,
      createdAt: this.iso(now),
      expiresAt: this.iso(now + this.pendingTtlMs),
      decidedAt: null,
      consumedAt: null,
      votes: [],
    };
    const { approval, created } = await this.store.openOrReuse(fresh, now);
    if (created) this.emit({ type: "approval.opened", time: this.iso(now), approval });
    return approval;
  }

  /** One approval, expired first if its time is up; undefined when there is none. */
  async get(id: string): Promise<Approval | undefined> {
    const a = await this.store.get(id);
    if (a === undefined || !LIVE.has(a.status) || Date.parse(a.expiresAt) > this.now()) return a;
    return this.expire(id);
  }

  private async expire(id: string): Promise<Approval | undefined> {
    const now = this.now();
    const r = await this.store.update(id, (cur) => (LIVE.has(cur.status) && Date.parse(cur.expiresAt) <= now ? { ...cur, status: "expired" } : undefined));
    if (r && r.before.status !== r.after.status) this.emit({ type: "approval.expired", time: this.iso(now), approval: r.after });
    return r?.after;
  }

  /** Approvals, newest first (lapsed ones are swept first, so a `pending` list holds only live ones). */
  async list(q: ApprovalListQuery = {}): Promise<Approval[]> {
    await this.sweep();
    return this.store.list(q);
  }

  /** Marks every lapsed approval expired (each reported once, whichever instance sweeps). Returns how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    const expired = await this.store.expireDue(now);
    for (const approval of expired) this.emit({ type: "approval.expired", time: this.iso(now), approval });
    return expired.length;
  }

  /**
   * A usable approval of this operation by this requester: an approved onetime approval is consumed by this call
   * (it passes exactly once, across instances), a window one is returned while the window lasts. Undefined: none.
   */
  async findValid(operationHash: string, subject: string): Promise<Approval | undefined> {
    const now = this.now();
    const r = await this.store.useValid(operationHash, subject, now);
    if (r?.consumed) this.emit({ type: "approval.consumed", time: this.iso(now), approval: r.approval });
    return r?.approval;
  }

  /** Gives `approver`'s approval; the approval turns `approved` once `approvalsNeeded` distinct approvers gave theirs. */
  async approve(id: string, approver: Identity, comment?: string | null): Promise<Approval> {
    return this.vote(id, approver, "approve", comment ?? null);
  }

  /** Denies: one eligible approver's denial decides. */
  async deny(id: string, approver: Identity, comment?: string | null): Promise<Approval> {
    return this.vote(id, approver, "deny", comment ?? null);
  }

  /** Whether `identity` may see an approval: its requester, or a member of one of its approver groups. */
  maySee(identity: Identity, approval: Approval): boolean {
    return identity.subject === approval.requester.subject || identity.groups.some((g) => approval.approvers.includes(g));
  }

  private async vote(id: string, approver: Identity, decision: "approve" | "deny", comment: string | null): Promise<Approval> {
    const current = await this.get(id);
    if (current === undefined) throw new ApprovalError("not_found", `no approval ${JSON.stringify(id).slice(0, 80)}`);
    const who = approverRef(approver);
    const refuse = (e: ApprovalError, approval: Approval): never => {
      this.emit({ type: "approval.refused", time: this.iso(), approval, approver: who, action: decision, code: e.code, message: e.message });
      throw e;
    };
    const check = (a: Approval): void => {
      if (a.status === "expired") throw new ApprovalError("expired", "the approval request has expired");
      if (a.status !== "pending") throw new ApprovalError("already_decided", `the approval is already ${a.status}`);
      if (Date.parse(a.expiresAt) <= this.now()) throw new ApprovalError("expired", "the approval request has expired");
      if (a.votes.some((v) => v.subject === approver.subject && v.issuer === approver.issuer)) {
        throw new ApprovalError("already_voted", `${who.name ?? who.subject} has already decided on this approval`);
      }
    };
    try {
      check(current);
      if (approver.subject === current.requester.subject) throw new ApprovalError("self_approval", "the requester cannot decide on their own request");
      const actor = current.requester.claims.actor;
      if (typeof actor === "string" && loginsOf(approver.claims as Record<string, unknown>).includes(actor.toLowerCase())) {
        throw new ApprovalError("self_approval", `${actor} triggered the run that made this request and cannot decide on it`);
      }
      if (!approver.groups.some((g) => current.approvers.includes(g))) {
        throw new ApprovalError("not_an_approver", `only members of ${current.approvers.join(", ")} may decide on this approval`);
      }
      if (this.options.mayApprove && !(await this.options.mayApprove(approver, current))) {
        throw new ApprovalError("policy_refused", "the approval policy does not allow this approver to decide on this request");
      }
    } catch (e) {
      if (e instanceof ApprovalError) refuse(e, current);
      throw e;
    }
    const now = this.now();
    const vote: ApprovalVote = {
      subject: who.subject,
      issuer: who.issuer,
      name: who.name,
      groups: who.groups,
      decision,
      comment: comment === null ? null : clip(comment, 1_000),
      at: this.iso(now),
    };
    let r: { before: Approval; after: Approval } | undefined;
    try {
      r = await this.store.update(id, (a) => {
        check(a); // again, holding the row: another approver (or instance) may have decided meanwhile
        a.votes.push(vote);
        if (decision === "deny") {
          a.status = "denied";
          a.decidedAt = vote.at;
        } else if (a.votes.filter((v) => v.decision === "approve").length >= a.approvalsNeeded) {
          a.status = "approved";
          a.decidedAt = vote.at;
          a.expiresAt = this.iso(now + (a.validityMs ?? this.onetimeTtlMs));
        }
        return a;
      });
    } catch (e) {
      if (e instanceof ApprovalError) refuse(e, current);
      throw e;
    }
    if (r === undefined) throw new ApprovalError("not_found", `no approval ${JSON.stringify(id).slice(0, 80)}`);
    const approval = r.after;
    if (decision === "deny") this.emit({ type: "approval.denied", time: vote.at, approval, approver: who, comment: vote.comment });
    else this.emit({ type: "approval.approved", time: vote.at, approval, approver: who, comment: vote.comment, complete: approval.status === "approved" });
    return approval;
  }

  /**
   * Waits until the approval is decided or lapses: "approved" (also when already consumed), "denied", "expired";
   * "pending" when `timeoutMs` passes first, `signal` aborts, or the service closes. Released at once by a change
   * made through this instance, or (PostgreSQL) another one; re-reads every pollIntervalMs as well.
   * Throws ApprovalError("not_found") for an unknown id.
   */
  async waitFor(id: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<WaitOutcome> {
    const first = await this.get(id);
    if (first === undefined) throw new ApprovalError("not_found", `no approval ${JSON.stringify(id).slice(0, 80)}`);
    if (outcomeOf(first.status) !== "pending" || this.closed || options.signal?.aborted) return outcomeOf(first.status);
    const timeoutMs = Math.max(0, options.timeoutMs ?? 60_000);
    return new Promise<WaitOutcome>((resolve, reject) => {
      let settled = false;
      let unsubscribe: (() => void) | undefined;
      let expiry: NodeJS.Timeout | undefined;
      const timers: NodeJS.Timeout[] = [];
      const finish = (outcome: WaitOutcome | Error) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        if (expiry) clearTimeout(expiry);
        unsubscribe?.();
        options.signal?.removeEventListener("abort", aborted);
        this.waiters.delete(stop);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const stop = () => finish("pending");
      const aborted = () => finish("pending");
      let checking: Promise<void> | undefined;
      let again = false;
      const check = (): void => {
        if (settled) return;
        if (checking) {
          again = true;
          return;
        }
        checking = (async () => {
          try {
            const a = await this.get(id);
            if (a === undefined) return finish(new ApprovalError("not_found", "the approval is gone"));
            const o = outcomeOf(a.status);
            if (o !== "pending") return finish(o);
            // wake up when it lapses, even when no sweep runs
            if (expiry) clearTimeout(expiry);
            expiry = setTimeout(check, Math.max(0, Date.parse(a.expiresAt) - this.now()) + 5);
          } catch {
            // a store hiccup: the poll tries again
          }
        })().finally(() => {
          checking = undefined;
          if (again) {
            again = false;
            check();
          }
        });
      };
      this.waiters.add(stop);
      options.signal?.addEventListener("abort", aborted, { once: true });
      timers.push(setTimeout(() => finish("pending"), timeoutMs));
      timers.push(setInterval(check, this.pollIntervalMs)); // clearTimeout clears an interval too
      this.store
        .subscribe((changed) => {
          if (changed === id) check();
        })
        .then(
          (off) => {
            if (settled) off();
            else unsubscribe = off;
            check(); // a change made before we listened is seen here
          },
          () => check(), // cannot listen: the poll still works
        );
    });
  }

  /** Stops the sweep and releases every waitFor ("pending"). The store is the caller's to close. */
  close(): void {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const stop of [...this.waiters]) stop();
  }
}
