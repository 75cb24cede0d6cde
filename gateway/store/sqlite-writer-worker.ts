// The audit writer thread: its own connection to the SQLite file, appending batches durably (synchronous=FULL)
// so that the fsync of each commit never blocks the gateway's event loop.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { auditAppender } from "./sqlite-append.js";
import type { AuditEntry, AuditRecord } from "./types.js";

export interface WriteRequest {
  id: number;
  entries: AuditEntry[];
}

export type WriteReply = { id: number; records: AuditRecord[] } | { id: number; error: string; code?: string };

const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs: number };
const db = new Database(file, { fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
const append = auditAppender(db);

parentPort!.on("message", (req: WriteRequest) => {
  let reply: WriteReply;
  try {
    reply = { id: req.id, records: append(req.entries) };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code };
  }
  parentPort!.postMessage(reply);
});
