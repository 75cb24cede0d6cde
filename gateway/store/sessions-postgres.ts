// The session store on PostgreSQL (the store's pool; tables from schema version 3, in the store's schema).
//
// An append upserts the session's summary row before inserting the exchange, and prune deletes summary rows before
// their exchanges: the summary row's lock orders an append and a prune of the same session, across instances.
import type pg from "pg";
import { exchangeFromRow, exchangeQuerySql, exchangeRow, listSql, pruneVictims, summaryDeltas, summaryFromRow, summaryParams, summaryUpsertSql, type ExchangeRow, type SummaryRow } from "./sessions-sql.js";
import type { ExchangeQuery, PruneResult, RetentionLimits, SessionExchange, SessionQuery, SessionStats, SessionStore, SessionSummary, StoredExchange } from "./sessions-types.js";

export { SESSIONS_PG_MIGRATION } from "./sessions-sql.js";

const dollar = (n: number): string => `$${n}`;

async function transaction<T>(pool: pg.Pool, body: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await body(c);
    await c.query("COMMIT");
    c.release();
    return out;
  } catch (e) {
    const broken = await c.query("ROLLBACK").then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    c.release(broken);
    throw e;
  }
}

export class PostgresSessionStore implements SessionStore {
  /**
   * @param schema the quoted schema name (`"guard"`)
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async append(exchanges: SessionExchange[]): Promise<number[]> {
    if (exchanges.length === 0) return [];
    const s = this.schema;
    const rows = exchanges.map((x) => ({ x, row: exchangeRow(x) }));
    return transaction(this.pool, async (c) => {
      for (const d of summaryDeltas(rows)) await c.query(summaryUpsertSql(`${s}.sessions`, dollar), summaryParams(d));
      const seqs: number[] = [];
      for (const { x, row } of rows) {
        const r = await c.query<{ seq: string }>(
          `INSERT INTO ${s}.session_exchanges (session_id, decision_id, time, time_ms, outcome, bytes, exchange) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq`,
          [x.sessionId, x.decisionId, x.time, row.timeMs, x.decision.outcome, row.bytes, row.json],
        );
        seqs.push(Number(r.rows[0]!.seq));
      }
      return seqs;
    });
  }

  async list(query: SessionQuery = {}): Promise<SessionSummary[]> {
    const { sql, params } = listSql(query, `${this.schema}.sessions`, dollar);
    return (await this.pool.query<SummaryRow>(sql, params)).rows.map(summaryFromRow);
  }

  async exchanges(sessionId: string): Promise<StoredExchange[]> {
    const r = await this.pool.query<ExchangeRow>(`SELECT seq, bytes, exchange FROM ${this.schema}.session_exchanges WHERE session_id = $1 ORDER BY seq`, [sessionId]);
    return r.rows.map(exchangeFromRow);
  }

  async query(query: ExchangeQuery = {}): Promise<StoredExchange[]> {
    const { sql, params } = exchangeQuerySql(query, `${this.schema}.session_exchanges`, dollar);
    return (await this.pool.query<ExchangeRow>(sql, params)).rows.map(exchangeFromRow);
  }

  async prune(limits: RetentionLimits): Promise<PruneResult> {
    if (limits.maxAgeMs === undefined && limits.maxBytes === undefined) return { sessions: 0, exchanges: 0, bytes: 0 };
    const s = this.schema;
    return transaction(this.pool, async (c) => {
      const all = await c.query<{ id: string; last_ms: string; bytes: string }>(`SELECT session_id AS id, last_ms, bytes FROM ${s}.sessions ORDER BY last_ms, session_id`);
      const victims = [
        ...pruneVictims(
          all.rows.map((r) => ({ id: r.id, lastMs: Number(r.last_ms), bytes: Number(r.bytes) })),
          limits.maxAgeMs,
          limits.maxBytes,
          limits.now ?? Date.now(),
        ),
      ];
      if (victims.length === 0) return { sessions: 0, exchanges: 0, bytes: 0 };
      const d = await c.query<{ exchanges: string; bytes: string }>(`DELETE FROM ${s}.sessions WHERE session_id = ANY($1) RETURNING exchanges, bytes`, [victims]);
      await c.query(`DELETE FROM ${s}.session_exchanges WHERE session_id = ANY($1)`, [victims]);
      const out: PruneResult = { sessions: 0, exchanges: 0, bytes: 0 };
      for (const r of d.rows) {
        out.sessions++;
        out.exchanges += Number(r.exchanges);
        out.bytes += Number(r.bytes);
      }
      return out;
    });
  }

  async stats(): Promise<SessionStats> {
    const r = await this.pool.query<{ sessions: string; exchanges: string; bytes: string }>(
      `SELECT count(*) AS sessions, coalesce(sum(exchanges), 0) AS exchanges, coalesce(sum(bytes), 0) AS bytes FROM ${this.schema}.sessions`,
    );
    const row = r.rows[0]!;
    return { sessions: Number(row.sessions), exchanges: Number(row.exchanges), bytes: Number(row.bytes) };
  }
}
