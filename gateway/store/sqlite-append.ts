// The SQLite audit append: one IMMEDIATE transaction that reads the chain head, inserts the batch's records with
// their hashes, and moves the head. Used on the store's own connection (`:memory:`) and by the writer thread.
import type Database from "better-sqlite3";
import { chainRecord, timeMs } from "./audit-chain.js";
import type { AuditEntry, AuditRecord } from "./types.js";

export function auditAppender(db: Database.Database): (entries: AuditEntry[]) => AuditRecord[] {
  const head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, decision_id, time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const moveHead = db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1");
  const tx = db.transaction((entries: AuditEntry[]): AuditRecord[] => {
    let h = head.get() as { seq: number; hash: string } | undefined;
    if (h === undefined) throw new Error("the audit chain head is missing (audit_head was emptied)");
    const records: AuditRecord[] = [];
    for (const entry of entries) {
      const { record, json } = chainRecord(entry, h);
      insert.run(
        record.seq,
        record.decisionId,
        record.time,
        timeMs(record.time),
        record.subject ?? null,
        record.repository ?? null,
        record.connection ?? null,
        record.decision,
        json,
        record.prevHash,
        record.hash,
      );
      records.push(record);
      h = { seq: record.seq, hash: record.hash };
    }
    moveHead.run(h.seq, h.hash);
    return records;
  });
  return (entries) => tx.immediate(entries);
}
