// A writer thread: its own connection to the SQLite file, so that commits (and their fsync) never block the
// gateway's event loop. `audit`: the audit chain, durable (synchronous=FULL). `sessions`: recorded exchanges
// (synchronous=NORMAL: a replay aid, not the record of decisions).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { SqliteSessionStore } from "./sessions-sqlite.js";
import { auditAppender } from "./sqlite-append.js";
import { auditPruner } from "./sqlite-audit-prune.js";
import { trimExchange, type ExchangeData, type TrimOptions } from "../sessions/trim.js";
import type { PruneResult, RetentionLimits } from "./sessions-types.js";
import type { AuditEntry, AuditPruneResult, AuditRecord, SessionExchange } from "./types.js";

export type WriterKind = "audit" | "sessions";

export interface WriteRequest {
  id: number;
  entries: AuditEntry[] | SessionExchange[] | ExchangeData[];
  /** Sessions: the entries are untrimmed (ExchangeData); trim them with these options first. */
  trim?: TrimOptions;
  /** Sessions: enforce retention (no entries); the reply's one record is the PruneResult. */
  prune?: RetentionLimits;
  /** Audit: remove records before beforeMs (auditPruner; no entries); the reply's one record is the AuditPruneResult. */
  pruneAudit?: { beforeMs: number; limit: number; now: string };
}

export type WriteReply = { id: number; records: AuditRecord[] | number[] | PruneResult[] | AuditPruneResult[] } | { id: number; error: string; code?: string };

const { file, busyTimeoutMs, kind } = workerData as { file: string; busyTimeoutMs: number; kind: WriterKind };
const db = new Database(file, { fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma("journal_mode = WAL");
db.pragma(kind === "audit" ? "synchronous = FULL" : "synchronous = NORMAL");
const sessions = kind === "sessions" ? new SqliteSessionStore(db) : undefined;
const append: (entries: never[]) => AuditRecord[] | number[] = sessions ? (xs: SessionExchange[]) => sessions.appendSync(xs) : auditAppender(db);
const pruneAudit = sessions ? undefined : auditPruner(db);

parentPort!.on("message", (req: WriteRequest) => {
  let reply: WriteReply;
  try {
    // Untrimmed exchanges arrive as a copy already (the message), so trimming need not copy them again.
    const trim = req.trim;
    if (req.prune) {
      if (!sessions) throw new Error("only the sessions writer prunes sessions");
      reply = { id: req.id, records: [sessions.pruneSync(req.prune)] };
    } else if (req.pruneAudit) {
      if (!pruneAudit) throw new Error("only the audit writer prunes the audit log");
      reply = { id: req.id, records: [pruneAudit(req.pruneAudit.beforeMs, req.pruneAudit.limit, req.pruneAudit.now)] };
    } else {
      const entries = trim ? (req.entries as ExchangeData[]).map((x) => trimExchange(x, { ...trim, copy: false })) : req.entries;
      reply = { id: req.id, records: append(entries as never[]) };
    }
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code };
  }
  parentPort!.postMessage(reply);
});
