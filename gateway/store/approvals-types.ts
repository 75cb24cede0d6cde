// Human approvals (just-in-time access), as the store keeps them. The rules (who may approve, how many, expiry)
// live in gateway/approvals/service.ts; the store only offers the atomic steps they need.

export type ApprovalStatus = "pending" | "approved" | "denied" | "expired" | "consumed";

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ["pending", "approved", "denied", "expired", "consumed"];

/** Who asked: the verified CI identity, in summary (never a token). */
export interface ApprovalRequester {
  subject: string;
  repository: string | null;
  /** A few verified claims for the approver to judge by (workflow, ref, actor, run …). */
  claims: Record<string, unknown>;
}

/** What is asked for, MASKED by the caller: the approver sees this, never the raw request. */
export interface ApprovalSummary {
  method: string;
  path: string;
  model?: string | null;
  /** The first characters of the prompt texts (already masked). */
  texts?: string[];
}

/** One approver's decision. */
export interface ApprovalVote {
  /** The approver's verified subject. */
  subject: string;
  /** Their issuer and a display name when the token has one (`name`, `email`, `preferred_username`). */
  issuer: string;
  name: string | null;
  groups: string[];
  decision: "approve" | "deny";
  comment: string | null;
  /** ISO 8601. */
  at: string;
}

export interface Approval {
  /** Random (UUID v4): also what the status URL names. */
  id: string;
  /** operationHash(connection, method, path, body, subject): what a retry must match. */
  operationHash: string;
  status: ApprovalStatus;
  requester: ApprovalRequester;
  connection: string;
  summary: ApprovalSummary;
  reason: string;
  /** The groups whose members may decide. */
  approvers: string[];
  /** Distinct approvals needed (>= 1). */
  approvalsNeeded: number;
  /** "onetime" (passes exactly once) or a JIT window as written in the policy ("1h"). */
  validity: string;
  /** The window in ms, null for onetime. */
  validityMs: number | null;
  /** The decision that asked for the approval (x-guard-decision-id). */
  decisionId: string | null;
  /** ISO 8601 times. expiresAt: while pending, when the request lapses; once approved, when the approval does. */
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  consumedAt: string | null;
  votes: ApprovalVote[];
}

export interface ApprovalListQuery {
  status?: ApprovalStatus;
  /** Newest first, at most this many (default 200). */
  limit?: number;
}

export interface ApprovalStore {
  /**
   * Atomically: the active approval (pending, or approved, not past its expiry at `now`) for `fresh`'s operation
   * hash and requester subject if there is one, else `fresh`, inserted.
   */
  openOrReuse(fresh: Approval, now: number): Promise<{ approval: Approval; created: boolean }>;
  get(id: string): Promise<Approval | undefined>;
  list(q?: ApprovalListQuery): Promise<Approval[]>;
  /**
   * Read-modify-write of one approval in a transaction that holds it (no other instance changes it meanwhile).
   * `mutate` returns the new record (undefined: no change) or throws to abort. Undefined when there is no such id.
   */
  update(id: string, mutate: (current: Approval) => Approval | undefined): Promise<{ before: Approval; after: Approval } | undefined>;
  /** Marks every pending or approved approval whose expiry is at or before `now` expired; returns each once (across instances). */
  expireDue(now: number): Promise<Approval[]>;
  /**
   * An approved, unexpired approval of this operation and requester: a onetime one is consumed in the same step
   * (so it passes exactly once, whichever instance asks), a window one is returned as is.
   */
  useValid(operationHash: string, subject: string, now: number): Promise<{ approval: Approval; consumed: boolean } | undefined>;
  /**
   * Calls `listener` with an approval's id after each change: made here, or (PostgreSQL, LISTEN/NOTIFY) by another
   * instance. Resolves once listening; returns the unsubscribe function.
   */
  subscribe(listener: (id: string) => void): Promise<() => void>;
}
