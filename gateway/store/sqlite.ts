// The embedded store: SQLite through better-sqlite3, in two files: the audit log and approvals in one (default
// `.guard/guard.db`), the recorded sessions in another beside it (`.guard/guard.sessions.db`), so that recording
// never holds the lock an audit append waits for (SQLite has one writer per file, and a writer that finds the lock
// taken sleeps for milliseconds) and an audit commit's fsync covers audit pages only.
//
// WAL journal, synchronous=FULL: an append returns once its transaction is in the WAL and fsynced, so an
// acknowledged record survives the process being killed (and the machine losing power). Appends take the write
// lock (BEGIN IMMEDIATE) before reading the chain head, so two processes sharing the file still make one chain.
// Sessions are a replay aid: synchronous=NORMAL (a process crash loses nothing, a power cut may lose the last ones).
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import Database from "better-sqlite3";
import { ChainVerifier, GENESIS_HASH, pushRow, recordFromRow, type AuditRow } from "./audit-chain.js";
import { AppendQueue } from "./append-queue.js";
import { auditAppender } from "./sqlite-append.js";
import { auditPruner, sqliteBelow, sqliteCheckpoint } from "./sqlite-audit-prune.js";
import { PRUNE_BATCH, pruneArgs, rejectBelowCheckpoint } from "./audit-retention.js";
import { SqliteWriter } from "./sqlite-writer.js";
import { SqliteApprovalStore, SQLITE_APPROVALS_MIGRATION } from "./approvals-sqlite.js";
import type { ApprovalStore } from "./approvals-types.js";
import { AUDIT_COLUMNS, auditQuerySql } from "./query.js";
import { SESSIONS_SQLITE_MIGRATION, SqliteSessionStore } from "./sessions-sqlite.js";
import type { PruneResult, SessionStore } from "./sessions-types.js";
import type { ExchangeData } from "../sessions/trim.js";
import type { AuditEntry, AuditLog, AuditPruneResult, AuditQuery, AuditRecord, SessionExchange, Store, VerifyResult } from "./types.js";

const AUDIT_CHECKPOINT_MIGRATION = `
  CREATE TABLE audit_checkpoint (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    hash      TEXT    NOT NULL,
    time      TEXT    NOT NULL,
    pruned_at TEXT    NOT NULL
  );
`;

/** The schema, one step per version; a file records the versions applied in `schema_migrations`. */
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY,
        decision_id TEXT    NOT NULL UNIQUE,
        time        TEXT    NOT NULL,
        time_ms     INTEGER NOT NULL,
        subject     TEXT,
        repository  TEXT,
        connection  TEXT,
        decision    TEXT    NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
        entry       TEXT    NOT NULL,
        prev_hash   TEXT    NOT NULL,
        hash        TEXT    NOT NULL
      );
      CREATE INDEX audit_log_subject    ON audit_log (subject, seq);
      CREATE INDEX audit_log_repository ON audit_log (repository, seq);
      CREATE INDEX audit_log_connection ON audit_log (connection, seq);
      CREATE INDEX audit_log_decision   ON audit_log (decision, seq);
      CREATE INDEX audit_log_time       ON audit_log (time_ms);
      CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT    NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
    `,
  },
  { version: 2, sql: SQLITE_APPROVALS_MIGRATION },
  // sessions (sessions-sql.ts), in this file until version 4
  { version: 3, sql: SESSIONS_SQLITE_MIGRATION },
  // sessions moved to the sessions file (their rows copied there first: moveSessions)
  { version: 4, sql: "DROP TABLE IF EXISTS main.session_exchanges; DROP TABLE IF EXISTS main.sessions;" },
  // audit retention: the last removed record, where verify starts (sqlite-audit-prune.ts)
  { version: 5, sql: AUDIT_CHECKPOINT_MIGRATION },
];

/** The sessions file's schema (its own schema_migrations): the same tables, numbered as in the main file. */
const SESSIONS_FILE_MIGRATIONS: { version: number; sql: string }[] = [{ version: 3, sql: SESSIONS_SQLITE_MIGRATION }];

export const SQLITE_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Where a store's sessions are kept: `guard.db` → `guard.sessions.db` (any other name: `NAME.sessions`). */
export function sessionsFileOf(file: string): string {
  return file.endsWith(".db") ? `${file.slice(0, -3)}.sessions.db` : `${file}.sessions`;
}

export interface SqliteStoreOptions {
  /** Fail when the file does not exist instead of creating it (and its directory): for `guard audit`. */
  mustExist?: boolean;
  /** How long to wait for another process's write lock, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
}

/** Opens (creating when needed, and migrating) the SQLite store at `path` (`:memory:` for a throwaway one). */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const memory = path === ":memory:" || path === "";
  const file = memory ? path : resolve(path);
  if (!memory) {
    if (options.mustExist && !existsSync(file)) throw new Error(`no SQLite store at ${file}`);
    mkdirSync(dirname(file), { recursive: true });
  }
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  const db = new Database(file, { fileMustExist: !memory && options.mustExist === true });
  let sessionsDb: Database.Database | undefined;
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!memory) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    // In memory the sessions stay in the one database (nothing to move, no writer threads).
    // (version 4 is applied by moveSessions, after the sessions file exists)
    migrate(db, MIGRATIONS.filter((m) => m.version !== 4));
    if (!memory) {
      sessionsDb = new Database(sessionsFileOf(file));
      sessionsDb.pragma(`busy_timeout = ${busyTimeoutMs}`);
      sessionsDb.pragma("journal_mode = WAL");
      sessionsDb.pragma("synchronous = NORMAL");
      migrate(sessionsDb, SESSIONS_FILE_MIGRATIONS);
      moveSessions(db, sessionsFileOf(file));
    }
  } catch (e) {
    sessionsDb?.close();
    db.close();
    throw e;
  }
  return new SqliteStore(db, sessionsDb ?? db, file, memory, busyTimeoutMs);
}

function migrate(db: Database.Database, migrations: { version: number; sql: string }[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  db.transaction(() => {
    const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
    const current = Math.max(0, ...applied);
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new Error(`the store's schema is version ${current}, newer than this guard's (${SQLITE_SCHEMA_VERSION}): upgrade guard`);
    }
    // in version order, each one not applied yet (a version added later below one already applied still runs)
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
    }
  }).immediate();
}

/**
 * Version 4: the sessions recorded in the main file (versions 3 and up, before this one) are copied to the sessions
 * file and dropped from the main file, in one transaction; done once (another process opening the store at the
 * same time waits for the lock and then finds it done).
 */
function moveSessions(db: Database.Database, sessionsFile: string): void {
  const done = () => db.prepare("SELECT 1 FROM schema_migrations WHERE version = 4").get() !== undefined;
  if (done()) return;
  db.prepare("ATTACH DATABASE ? AS sessions_file").run(sessionsFile);
  try {
    db.transaction(() => {
      if (done()) return;
      const has = (t: string) => db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
      if (has("sessions")) db.exec("INSERT OR IGNORE INTO sessions_file.sessions SELECT * FROM main.sessions");
      if (has("session_exchanges")) db.exec("INSERT OR IGNORE INTO sessions_file.session_exchanges SELECT * FROM main.session_exchanges");
      db.exec(MIGRATIONS.find((m) => m.version === 4)!.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (4, ?)").run(new Date().toISOString());
    }).immediate();
  } finally {
    db.exec("DETACH DATABASE sessions_file");
  }
}

class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  readonly audit: AuditLog;
  readonly approvals: ApprovalStore;
  readonly sessions: SessionStore;

  private readonly log: SqliteAuditLog;
  private readonly sessionsWriter: SqliteWriter<SessionExchange | ExchangeData, number | PruneResult> | undefined;

  /** `sessionsDb`: the sessions file's connection (in memory: `db` itself). */
  constructor(
    private readonly db: Database.Database,
    private readonly sessionsDb: Database.Database,
    file: string,
    memory: boolean,
    busyTimeoutMs: number,
  ) {
    this.audit = this.log = new SqliteAuditLog(db, file, memory, busyTimeoutMs);
    this.approvals = new SqliteApprovalStore(db);
    // Session recording is a replay aid, not the record of decisions: its writer thread (on the sessions file)
    // commits without waiting for fsync (WAL, synchronous=NORMAL: a process crash loses nothing, a power cut may lose
    // the last exchanges).
    if (!memory) {
      const writer = new SqliteWriter<SessionExchange | ExchangeData, number | PruneResult>(sessionsFileOf(file), busyTimeoutMs, "sessions");
      this.sessionsWriter = writer;
      // Untrimmed exchanges are trimmed in the writer thread: the event loop only copies them over. Prunes run there
      // too, so that the event loop never waits for the sessions file's write lock.
      this.sessions = new SqliteSessionStore(
        sessionsDb,
        (xs) => writer.write(xs) as Promise<number[]>,
        (xs, trim) => writer.write(xs, { trim }) as Promise<number[]>,
        async (limits) => (await writer.write([], { prune: limits }))[0] as PruneResult,
      );
    } else this.sessions = new SqliteSessionStore(db);
  }

  async ping(): Promise<void> {
    this.db.prepare("SELECT 1").get();
  }

  /** Closes once the appends already made are written. */
  async close(): Promise<void> {
    await this.log.close();
    await this.sessionsWriter?.close();
    if (this.sessionsDb !== this.db && this.sessionsDb.open) this.sessionsDb.close();
    if (this.db.open) this.db.close();
  }
}

class SqliteAuditLog implements AuditLog {
  private readonly queue: AppendQueue;
  private readonly writer: SqliteWriter<AuditEntry, AuditRecord> | undefined;
  /** In memory: prunes on the store's connection (a file store prunes in its writer thread). */
  private readonly pruneHere: ReturnType<typeof auditPruner> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly memory: boolean,
    private readonly busyTimeoutMs: number,
  ) {
    // Concurrent appends share a transaction (and its fsync): see append-queue.ts. A file store commits from a
    // writer thread, so the fsync never blocks the event loop; an in-memory one cannot be shared, so it commits here.
    if (memory) {
      const append = auditAppender(db);
      this.queue = new AppendQueue(async (entries) => append(entries));
      this.pruneHere = auditPruner(db);
    } else {
      this.writer = new SqliteWriter<AuditEntry, AuditRecord>(file, busyTimeoutMs, "audit");
      const writer = this.writer;
      this.queue = new AppendQueue((entries) => writer.write(entries));
    }
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.queue.append(entry);
  }

  flushed(): Promise<void> {
    return this.queue.idle();
  }

  /** Waits for the appends already made, then stops the writer thread. */
  async close(): Promise<void> {
    await this.queue.idle();
    await this.writer?.close();
  }

  async prune(before: string, limit = PRUNE_BATCH): Promise<AuditPruneResult> {
    const beforeMs = pruneArgs(before, limit);
    const now = new Date().toISOString();
    if (this.pruneHere) return this.pruneHere(beforeMs, limit, now);
    const [result] = (await this.writer!.write([], { pruneAudit: { beforeMs, limit, now } })) as unknown as AuditPruneResult[];
    return result!;
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const { sql, params } = auditQuerySql(q, "audit_log", () => "?");
    return (this.db.prepare(sql).all(...params) as AuditRow[]).map(recordFromRow);
  }

  async verify(): Promise<VerifyResult> {
    // a read-only connection of its own: one snapshot of head and records (WAL), while appends go on
    const reader = this.memory ? this.db : new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      if (!this.memory) reader.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      // from the retention checkpoint, if records were removed
      const rows = reader.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq`);
      const headStmt = reader.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
      const fromCheckpoint = () => {
        const start = sqliteCheckpoint(reader);
        const v = new ChainVerifier(start);
        if (start) rejectBelowCheckpoint(v, start, sqliteBelow(reader, start.seq));
        return { start, v };
      };
      if (this.memory) {
        const { start, v } = fromCheckpoint();
        const head = headStmt.get() as { seq: number; hash: string } | undefined;
        for (const row of rows.iterate(start?.seq ?? 0) as IterableIterator<AuditRow>) if (!pushRow(v, row)) break;
        return finish(v, head);
      }
      reader.exec("BEGIN");
      try {
        const { start, v } = fromCheckpoint();
        const head = headStmt.get() as { seq: number; hash: string } | undefined;
        let n = 0;
        const it = rows.iterate(start?.seq ?? 0) as IterableIterator<AuditRow>;
        try {
          for (const row of it) {
            if (!pushRow(v, row)) break;
            if (++n % 5000 === 0) await yieldToLoop(); // let the gateway serve while a big log is checked
          }
        } finally {
          it.return?.();
        }
        return finish(v, head);
      } finally {
        reader.exec("COMMIT");
      }
    } finally {
      if (!this.memory) reader.close();
    }
  }
}

function finish(v: ChainVerifier, head: { seq: number; hash: string } | undefined): VerifyResult {
  if (head === undefined) {
    const r = v.finish();
    return r.ok ? { ok: false, records: r.records, brokenAt: r.records + 1, problem: "the chain head is missing (audit_head was emptied)" } : r;
  }
  return v.finish(head);
}
