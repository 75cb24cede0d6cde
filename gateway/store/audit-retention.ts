// Audit retention, the part both stores share: which of the oldest records a prune may remove. A store reads the
// records after its checkpoint in seq order (with time_ms), deletes the prefix prunablePrefix returns and keeps that
// prefix's last record as the new checkpoint, all in one transaction that holds the chain's write lock.
import { ChainVerifier, pushRow, type AuditRow, type ChainStart } from "./audit-chain.js";
import { AUDIT_COLUMNS } from "./query.js";
import type { AuditCheckpoint, AuditLog, AuditPruneResult } from "./types.js";

/**
 * Records removed per transaction (each prune call). The transaction holds up appends while it checks and deletes
 * them (the lock; in SQLite also the audit writer thread): about 60 µs a record on the benchmark machine (its hash
 * recomputed, the row and its index entries deleted) plus the commit, so 250 hold appends up for 15 to 50 ms.
 */
export const PRUNE_BATCH = 250;

export type PrunableRow = AuditRow & { time_ms: number | string };

/** prune()'s arguments checked: the cutoff in ms since the epoch, and a whole number of records of at least 1. */
export function pruneArgs(before: string, limit: number): number {
  const beforeMs = Date.parse(before);
  if (Number.isNaN(beforeMs)) throw new TypeError(`prune: not an ISO 8601 time: ${JSON.stringify(before)}`);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`prune: the limit must be a whole number of at least 1, not ${limit}`);
  return beforeMs;
}

/**
 * Prunes `log` to `before` batch after batch (yielding to the event loop between them) until a batch comes back
 * short, or `stop()` says so; `onBatch` sees each batch's result. Throws what a batch throws (the batches before it
 * stay done).
 */
export async function pruneTo(
  log: AuditLog,
  before: string,
  options: { batch?: number; onBatch?: (r: AuditPruneResult) => void; stop?: () => boolean } = {},
): Promise<void> {
  const batch = options.batch ?? PRUNE_BATCH;
  for (;;) {
    if (options.stop?.()) return;
    const r = await log.prune(before, batch);
    options.onBatch?.(r);
    // a short batch is the last one; a full one may have more behind it
    if (r.removed < batch) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Retention's SQL, the same in both stores (as query.ts for queries): `schema` prefixes the table names ("" or
 * `"guard".`), `p(n)` writes the n-th placeholder (`?` or `$n`).
 */
export function retentionSql(schema: string, p: (n: number) => string) {
  return {
    /** The checkpoint row (none: nothing was ever removed). */
    checkpoint: `SELECT seq, hash, time, pruned_at FROM ${schema}audit_checkpoint WHERE id = 1`,
    /** The first `p(2)` records after seq `p(1)`, with time_ms (prunablePrefix's rows). */
    oldest: `SELECT ${AUDIT_COLUMNS}, time_ms FROM ${schema}audit_log WHERE seq > ${p(1)} ORDER BY seq LIMIT ${p(2)}`,
    remove: `DELETE FROM ${schema}audit_log WHERE seq > ${p(1)} AND seq <= ${p(2)}`,
    /** seq, hash, time, pruned_at */
    save: `INSERT INTO ${schema}audit_checkpoint (id, seq, hash, time, pruned_at) VALUES (1, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, time = excluded.time, pruned_at = excluded.pruned_at`,
    /** The lowest seq at or before the checkpoint's `p(1)` (rejectBelowCheckpoint). */
    below: `SELECT min(seq) AS seq FROM ${schema}audit_log WHERE seq <= ${p(1)}`,
  };
}

/** The checkpoint table's row as both stores keep it. */
export interface CheckpointRow {
  seq: number | string;
  hash: string;
  time: string;
  pruned_at: string;
}

/**
 * Rejects a record kept at or before the checkpoint (query shows it, but the chain from the checkpoint would never
 * see it: added behind the store's back after a prune). `lowest` is the lowest seq at or before start.seq, if any.
 */
export function rejectBelowCheckpoint(v: ChainVerifier, start: ChainStart, lowest: number | undefined): void {
  if (lowest !== undefined) v.reject(lowest, `record ${lowest} is in the log although retention removed records 1..${start.seq} (added behind the store's back?)`);
}

export function checkpointOf(row: CheckpointRow): AuditCheckpoint {
  return { seq: Number(row.seq), hash: row.hash, time: row.time, prunedAt: row.pruned_at };
}

/**
 * The last row of the longest prefix of `rows` (the records after `start`, in seq order) whose time is before
 * `beforeMs`, or undefined when the first is not. Throws when that prefix does not verify (a changed, missing or
 * relinked record): retention must never remove the evidence of tampering.
 */
export function prunablePrefix(start: ChainStart | undefined, rows: PrunableRow[], beforeMs: number): PrunableRow | undefined {
  const v = new ChainVerifier(start);
  let last: PrunableRow | undefined;
  for (const row of rows) {
    if (Number(row.time_ms) >= beforeMs) break;
    if (!pushRow(v, row)) {
      const r = v.finish();
      throw new Error(`audit retention stopped: the records it would remove do not verify: ${r.ok ? "unknown problem" : r.problem} (run guard audit verify)`);
    }
    last = row;
  }
  return last;
}
