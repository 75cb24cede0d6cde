// A writer thread: its own connection to the SQLite file, so that commits (and their fsync) never block the
// gateway's event loop. `audit`: the audit chain, durable (synchronous=FULL). `sessions`: recorded exchanges
// (synchronous=NORMAL: a replay aid, not the record of decisions).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { SqliteSessionStore } from "./sessions-sqlite.js";
import { auditAppender } from "./sqlite-append.js";
import type { AuditEntry, AuditRecord, SessionExchange } from "./types.js";

export type WriterKind = "audit" | "sessions";

export interface WriteRequest {
  id: number;
  entries: AuditEntry[] | SessionExchange[];
}

export type WriteReply = { id: number; records: AuditRecord[] | number[] } | { id: number; error: string; code?: string };

const { file, busyTimeoutMs, kind } = workerData as { file: string; busyTimeoutMs: number; kind: WriterKind };
const db = new Database(file, { fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma("journal_mode = WAL");
db.pragma(kind === "audit" ? "synchronous = FULL" : "synchronous = NORMAL");
const append: (entries: never[]) => AuditRecord[] | number[] =
  kind === "audit" ? auditAppender(db) : ((sessions) => (xs: SessionExchange[]) => sessions.appendSync(xs))(new SqliteSessionStore(db));

parentPort!.on("message", (req: WriteRequest) => {
  let reply: WriteReply;
  try {
    reply = { id: req.id, records: append(req.entries as never[]) };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code };
  }
  parentPort!.postMessage(reply);
});
