// The SQLite audit prune: one IMMEDIATE transaction (the write lock appends take) that removes the oldest records up
// to the first one not before the cutoff (audit-retention.ts) and moves the checkpoint. Used on the store's own
// connection (`:memory:`) and by the audit writer thread.
import type Database from "better-sqlite3";
import { checkpointOf, prunablePrefix, type CheckpointRow, type PrunableRow } from "./audit-retention.js";
import { AUDIT_COLUMNS } from "./query.js";
import type { AuditPruneResult } from "./types.js";

export function auditPruner(db: Database.Database): (beforeMs: number, limit: number, now: string) => AuditPruneResult {
  const checkpoint = db.prepare("SELECT seq, hash, time, pruned_at FROM audit_checkpoint WHERE id = 1");
  const oldest = db.prepare(`SELECT ${AUDIT_COLUMNS}, time_ms FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
  const remove = db.prepare("DELETE FROM audit_log WHERE seq > ? AND seq <= ?");
  const save = db.prepare(
    `INSERT INTO audit_checkpoint (id, seq, hash, time, pruned_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, time = excluded.time, pruned_at = excluded.pruned_at`,
  );
  const tx = db.transaction((beforeMs: number, limit: number, now: string): AuditPruneResult => {
    const row = checkpoint.get() as CheckpointRow | undefined;
    const start = row ? { seq: Number(row.seq), hash: row.hash } : undefined;
    const after = start?.seq ?? 0;
    const last = prunablePrefix(start, oldest.all(after, limit) as PrunableRow[], beforeMs);
    if (last === undefined) return { removed: 0, checkpoint: row ? checkpointOf(row) : null };
    const removed = remove.run(after, last.seq).changes;
    const next = { seq: Number(last.seq), hash: last.hash, time: last.time, prunedAt: now };
    save.run(next.seq, next.hash, next.time, next.prunedAt);
    return { removed, checkpoint: next };
  });
  return (beforeMs, limit, now) => tx.immediate(beforeMs, limit, now);
}

/** The checkpoint verify() starts from (undefined: nothing was ever removed). */
export function sqliteCheckpoint(db: Database.Database): { seq: number; hash: string } | undefined {
  const row = db.prepare("SELECT seq, hash FROM audit_checkpoint WHERE id = 1").get() as { seq: number; hash: string } | undefined;
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}
