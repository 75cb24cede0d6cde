// The shared store: PostgreSQL, for several gateway instances (through a pg Pool).
//
// Every append locks the one-row chain head (`audit_head … FOR UPDATE`) in its transaction, so appends from any
// number of instances on one database are serialized into ONE chain; the COMMIT is durable (synchronous_commit
// as the server has it: on by default) before the append resolves.
import pg from "pg";
import { ChainVerifier, GENESIS_HASH, chainRecord, pushRow, recordFromRow, timeMs, type AuditRow } from "./audit-chain.js";
import { AppendQueue } from "./append-queue.js";
import { checkpointOf, PRUNE_BATCH, prunablePrefix, pruneArgs, rejectBelowCheckpoint, retentionSql, type CheckpointRow, type PrunableRow } from "./audit-retention.js";
import { PG_APPROVALS_MIGRATION, PostgresApprovalStore } from "./approvals-postgres.js";
import { AUDIT_COLUMNS, auditQuerySql } from "./query.js";
import { PostgresSessionStore, SESSIONS_PG_MIGRATION } from "./sessions-postgres.js";
import type { SessionStore } from "./sessions-types.js";
import type { AuditEntry, AuditLog, AuditPruneResult, AuditQuery, AuditRecord, Store, VerifyResult } from "./types.js";

export const DEFAULT_PG_SCHEMA = "guard";

/** The schema, one step per version (`%s` is the quoted schema name); the versions applied are in schema_migrations. */
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE %s.audit_log (
        seq         BIGINT  PRIMARY KEY,
        decision_id TEXT    NOT NULL UNIQUE,
        time        TEXT    NOT NULL,
        time_ms     BIGINT  NOT NULL,
        subject     TEXT,
        repository  TEXT,
        connection  TEXT,
        decision    TEXT    NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
        entry       TEXT    NOT NULL,
        prev_hash   TEXT    NOT NULL,
        hash        TEXT    NOT NULL
      );
      CREATE INDEX audit_log_subject    ON %s.audit_log (subject, seq);
      CREATE INDEX audit_log_repository ON %s.audit_log (repository, seq);
      CREATE INDEX audit_log_connection ON %s.audit_log (connection, seq);
      CREATE INDEX audit_log_decision   ON %s.audit_log (decision, seq);
      CREATE INDEX audit_log_time       ON %s.audit_log (time_ms);
      CREATE TABLE %s.audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  BIGINT  NOT NULL,
        hash TEXT    NOT NULL
      );
      INSERT INTO %s.audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
    `,
  },
  { version: 2, sql: PG_APPROVALS_MIGRATION },
  // sessions (sessions-sql.ts)
  { version: 3, sql: SESSIONS_PG_MIGRATION },
  // audit retention: the last removed record, where verify starts (audit-retention.ts)
  {
    version: 4,
    sql: `
      CREATE TABLE %s.audit_checkpoint (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        seq       BIGINT  NOT NULL,
        hash      TEXT    NOT NULL,
        time      TEXT    NOT NULL,
        pruned_at TEXT    NOT NULL
      );
    `,
  },
];

export const PG_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** How long to wait for a connection, in milliseconds (default 10000). */
  connectTimeoutMs?: number;
}

/**
 * Opens the PostgreSQL store at `url`, in `schema` (default "guard"): creates the schema and its tables when they
 * are missing (several instances starting at once take turns, under an advisory lock).
 */
export async function openPostgresStore(url: string, schema: string = DEFAULT_PG_SCHEMA, options: PostgresStoreOptions = {}): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema) || schema.length > 63) {
    throw new TypeError(`PostgreSQL schema name ${JSON.stringify(schema)}: use lower case letters, digits and _, starting with a letter or _`);
  }
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // an idle connection dropped by the server: the pool replaces it; the next query reports any lasting problem
  pool.on("error", () => {});
  try {
    await migrate(pool, schema);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return new PostgresStore(pool, `"${schema}"`);
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const q = `"${schema}"`;
  await transaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`guard-store-migrate:${schema}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${q}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const r = await c.query<{ version: number }>(`SELECT version FROM ${q}.schema_migrations`);
    const applied = new Set(r.rows.map((row) => Number(row.version)));
    const current = Math.max(0, ...applied);
    if (current > PG_SCHEMA_VERSION) {
      throw new Error(`the store's schema ${schema} is version ${current}, newer than this guard's (${PG_SCHEMA_VERSION}): upgrade guard`);
    }
    // in version order, each one not applied yet (a version added later below one already applied still runs)
    for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await c.query(m.sql.replaceAll("%s", q));
      await c.query(`INSERT INTO ${q}.schema_migrations (version) VALUES ($1)`, [m.version]);
    }
  });
}

async function transaction<T>(pool: pg.Pool, body: (c: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const out = await body(c);
    await c.query("COMMIT");
    c.release();
    return out;
  } catch (e) {
    // a connection whose ROLLBACK fails is broken: destroy it rather than return it to the pool
    const broken = await c.query("ROLLBACK").then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    c.release(broken);
    throw e;
  }
}

class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  readonly audit: AuditLog;
  readonly approvals: PostgresApprovalStore;
  readonly sessions: SessionStore;
  private closed = false;

  private readonly log: PostgresAuditLog;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.audit = this.log = new PostgresAuditLog(pool, schema);
    this.approvals = new PostgresApprovalStore(pool, schema);
    this.sessions = new PostgresSessionStore(pool, schema);
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  /** Closes once the appends already made are written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.log.flushed();
    await this.approvals.close();
    await this.pool.end();
  }
}

const PAGE = 2000;

class PostgresAuditLog implements AuditLog {
  // concurrent appends of this instance share a transaction: see append-queue.ts
  private readonly queue = new AppendQueue((entries) => this.write(entries), 200);

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.queue.append(entry);
  }

  flushed(): Promise<void> {
    return this.queue.idle();
  }

  /** Appends a batch in one transaction, holding the chain head's row lock (so instances take turns). */
  private async write(entries: AuditEntry[]): Promise<AuditRecord[]> {
    const s = this.schema;
    return transaction(this.pool, async (c) => {
      const h = await c.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${s}.audit_head WHERE id = 1 FOR UPDATE`);
      const row = h.rows[0];
      if (row === undefined) throw new Error("the audit chain head is missing (audit_head was emptied)");
      let head = { seq: Number(row.seq), hash: row.hash };
      const records: AuditRecord[] = [];
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (const entry of entries) {
        const { record, json } = chainRecord(entry, head);
        head = { seq: record.seq, hash: record.hash };
        records.push(record);
        const base = values.length;
        values.push(
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
        tuples.push(`(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(", ")})`);
      }
      await c.query(
        `INSERT INTO ${s}.audit_log (seq, decision_id, time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash)
         VALUES ${tuples.join(", ")}`,
        values,
      );
      await c.query(`UPDATE ${s}.audit_head SET seq = $1, hash = $2 WHERE id = 1`, [head.seq, head.hash]);
      return records;
    });
  }

  /** Holds the chain head's row lock too, so that it takes turns with every instance's appends and prunes. */
  async prune(before: string, limit = PRUNE_BATCH): Promise<AuditPruneResult> {
    const beforeMs = pruneArgs(before, limit);
    const s = this.schema;
    const sql = retentionSql(`${s}.`, (n) => `$${n}`);
    return transaction(this.pool, async (c) => {
      await c.query(`SELECT seq FROM ${s}.audit_head WHERE id = 1 FOR UPDATE`);
      const row = (await c.query<CheckpointRow>(sql.checkpoint)).rows[0];
      const start = row ? { seq: Number(row.seq), hash: row.hash } : undefined;
      const after = start?.seq ?? 0;
      const oldest = await c.query<PrunableRow>(sql.oldest, [after, limit]);
      const last = prunablePrefix(start, oldest.rows, beforeMs);
      if (last === undefined) return { removed: 0, checkpoint: row ? checkpointOf(row) : null };
      const removed = (await c.query(sql.remove, [after, last.seq])).rowCount ?? 0;
      const next = { seq: Number(last.seq), hash: last.hash, time: last.time, prunedAt: new Date().toISOString() };
      await c.query(sql.save, [next.seq, next.hash, next.time, next.prunedAt]);
      return { removed, checkpoint: next };
    });
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const { sql, params } = auditQuerySql(q, `${this.schema}.audit_log`, (n) => `$${n}`);
    const r = await this.pool.query<AuditRow>(sql, params);
    return r.rows.map(recordFromRow);
  }

  async verify(): Promise<VerifyResult> {
    const s = this.schema;
    // one snapshot of head and records, read a page at a time (keyset on seq) so that a big log is never all in memory
    return transaction(
      this.pool,
      async (c) => {
        const h = await c.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${s}.audit_head WHERE id = 1`);
        // from the retention checkpoint, if records were removed
        const sql = retentionSql(`${s}.`, (n) => `$${n}`);
        const cp = (await c.query<CheckpointRow>(sql.checkpoint)).rows[0];
        const start = cp ? { seq: Number(cp.seq), hash: cp.hash } : undefined;
        const v = new ChainVerifier(start);
        if (start) {
          const below = (await c.query<{ seq: string | null }>(sql.below, [start.seq])).rows[0]?.seq;
          rejectBelowCheckpoint(v, start, below === null || below === undefined ? undefined : Number(below));
        }
        let after = start?.seq ?? 0;
        for (;;) {
          const page = await c.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM ${s}.audit_log WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`, [after]);
          let going = true;
          for (const row of page.rows) if (!(going = pushRow(v, row))) break;
          if (!going || page.rows.length < PAGE) break;
          after = Number(page.rows[page.rows.length - 1]!.seq);
        }
        const head = h.rows[0];
        if (head === undefined) {
          const r = v.finish();
          return r.ok ? { ok: false as const, records: r.records, brokenAt: r.records + 1, problem: "the chain head is missing (audit_head was emptied)" } : r;
        }
        return v.finish({ seq: Number(head.seq), hash: head.hash });
      },
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    );
  }
}
