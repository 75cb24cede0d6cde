// The SQLite audit prune: one IMMEDIATE transaction (the write lock appends take) that removes the oldest records up
// to the first one not before the cutoff (audit-retention.ts) and moves the checkpoint. Used on the store's own
// connection (`:memory:`) and by the audit writer thread.
import type Database from "better-sqlite3";
import { checkpointOf, prunablePrefix, retentionSql, type CheckpointRow, type PrunableRow } from "./audit-retention.js";
import type { AuditPruneResult } from "./types.js";

const SQL = retentionSql("", () => "?");

export function auditPruner(db: Database.Database): (beforeMs: number, limit: number, now: string) => AuditPruneResult {
  const checkpoint = db.prepare(SQL.checkpoint);
  const oldest = db.prepare(SQL.oldest);
  const remove = db.prepare(SQL.remove);
  const save = db.prepare(SQL.save);
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
  const row = db.prepare(SQL.checkpoint).get() as CheckpointRow | undefined;
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/** The lowest seq at or before `seq` (records the checkpoint says were removed), if any. */
export function sqliteBelow(db: Database.Database, seq: number): number | undefined {
  return (db.prepare(SQL.below).get(seq) as { seq: number | null }).seq ?? undefined;
}
