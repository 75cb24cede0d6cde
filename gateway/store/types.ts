// The gateway's store: what it keeps (audit records now; approvals and sessions later) behind one interface, with
// two implementations: SQLite (embedded, the default, a file under `.guard/`) and PostgreSQL (several instances).
import type { SessionStore } from "./sessions-types.js";

export type * from "./sessions-types.js";
import type { ApprovalStore } from "./approvals-types.js";

export type * from "./approvals-types.js";

/** One decision, as the gateway hands it to the audit log. Never holds a credential or a raw body. */
export interface AuditEntry {
  /** The decision id returned to the caller (`x-guard-decision-id`), unique. */
  decisionId: string;
  /** ISO 8601 time of the decision. */
  time: string;
  /** The verified subject (`sub` claim), or null when authentication failed. */
  subject: string | null;
  /** The CI repository (`identity.repository`), or null. */
  repository: string | null;
  /** The connection's name, or null when the path named none. */
  connection: string | null;
  /** The request in summary: method, path (no query string), body size and its SHA-256 (hex), model if any. */
  request: { method: string; path: string; size: number; bodySha256: string | null; model?: string | null };
  /** allow, deny (policy said no, or authentication failed), error (evaluation failed: denied too, fail closed). */
  decision: "allow" | "deny" | "error";
  /** Why: the policy's deny reasons, or the error's code and message. */
  reasons: string[];
  /** The bundle revision that decided (a git commit when synced, else a content hash). */
  bundleRevision: string | null;
  /** Time spent deciding, in milliseconds. */
  latencyMs: number;
  /** For a tool-call decision: the call the model made (its input is not recorded here, only in sessions). */
  tool?: { id: string | null; name: string };
  /** A step of a human approval: the approval's id and what happened (opened, approved, denied, …). */
  approval?: { id: string; event: string };
  /** Secrets masked in the request, by pattern name (values are never recorded). */
  masked?: { name: string; count: number }[];
  /** The HTTP status the gateway answered with (or will forward from upstream: filled when known). */
  status?: number;
}

/** An audit entry as stored: its place in the chain and the hashes that link it. */
export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3 … without gaps. */
  seq: number;
  /** The previous record's hash (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 (hex) of prevHash and the canonical JSON of the entry with its seq. */
  hash: string;
}

export interface AuditQuery {
  /** One decision, by the id the caller was given. */
  decisionId?: string;
  subject?: string;
  repository?: string;
  connection?: string;
  decision?: AuditEntry["decision"];
  /** ISO 8601 lower bound on time, inclusive. */
  since?: string;
  /** ISO 8601 upper bound on time, exclusive. */
  until?: string;
  /** At most this many, newest last (default 1000). */
  limit?: number;
}

export type VerifyResult =
  /** `removedThrough`: records 1..removedThrough were removed by retention (the chain is checked from its checkpoint). */
  | { ok: true; records: number; head: string; removedThrough?: number }
  | {
      ok: false;
      records: number;
      /** The first seq where the chain breaks (a changed record, a deleted one, a reordered one). */
      brokenAt: number;
      problem: string;
    };

export interface AuditLog {
  /** Appends durably: when the promise resolves, the record survives the process being killed. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  query(q: AuditQuery): Promise<AuditRecord[]>;
  /** Walks the whole chain from seq 1 (or from the retention checkpoint) and recomputes every hash. */
  verify(): Promise<VerifyResult>;
  /**
   * Retention: removes the oldest records, in seq order, up to the first one whose time is not before `before` (ISO
   * 8601), at most `limit` of them in one transaction, after checking that they are an intact part of the chain; the
   * last removed record's seq and hash become the checkpoint that verify() starts from. Refuses (throws) to remove
   * records that do not verify, so that tampering is never pruned away unseen.
   */
  prune(before: string, limit?: number): Promise<AuditPruneResult>;
}

/** The last record retention removed, kept so that the rest of the chain can still be verified. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** The removed record's time. */
  time: string;
  /** When it was removed (ISO 8601). */
  prunedAt: string;
}

export interface AuditPruneResult {
  removed: number;
  /** The checkpoint after this prune (null: nothing was ever removed). */
  checkpoint: AuditCheckpoint | null;
}

export interface Store {
  readonly kind: "sqlite" | "postgres";
  readonly audit: AuditLog;
  /** Human approvals (approvals-types.ts; the rules are in gateway/approvals/service.ts). */
  readonly approvals: ApprovalStore;
  /** Recorded exchanges by session (sessions-types.ts). */
  readonly sessions: SessionStore;
  /** Checks the store answers (for /readyz). Throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string; schema?: string };
