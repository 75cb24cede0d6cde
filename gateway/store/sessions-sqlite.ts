// The session store on SQLite (the store's own better-sqlite3 connection; tables from schema version 3).
import type Database from "better-sqlite3";
import { exchangeFromRow, exchangeQuerySql, exchangeRow, listSql, pruneVictims, summaryDeltas, summaryFromRow, summaryParams, summaryUpsertSql, type ExchangeRow, type SummaryRow } from "./sessions-sql.js";
import type { ExchangeData, TrimOptions } from "../sessions/trim.js";
import type { ExchangeQuery, PruneResult, RetentionLimits, SessionExchange, SessionQuery, SessionStats, SessionStore, SessionSummary, StoredExchange } from "./sessions-types.js";

export { SESSIONS_SQLITE_MIGRATION } from "./sessions-sql.js";

const q = (): string => "?";

export class SqliteSessionStore implements SessionStore {
  private readonly insertTx: Database.Transaction<(rows: SessionExchange[]) => number[]>;
  private readonly pruneTx: Database.Transaction<(limits: RetentionLimits) => PruneResult>;

  /**
   * `appendVia`: where appends go instead of this connection (the store's writer thread), and `untrimmedVia` where
   * untrimmed ones go (the writer thread trims them).
   */
  readonly appendUntrimmed?: (exchanges: ExchangeData[], options: TrimOptions) => Promise<number[]>;

  constructor(
    private readonly db: Database.Database,
    private readonly appendVia?: (exchanges: SessionExchange[]) => Promise<number[]>,
    untrimmedVia?: (exchanges: ExchangeData[], options: TrimOptions) => Promise<number[]>,
    /** Where prunes go instead of this connection (the writer thread: a prune's transaction never waits here). */
    private readonly pruneVia?: (limits: RetentionLimits) => Promise<PruneResult>,
  ) {
    if (untrimmedVia) this.appendUntrimmed = untrimmedVia;
    const upsert = db.prepare(summaryUpsertSql("sessions", () => "?"));
    const insert = db.prepare("INSERT INTO session_exchanges (session_id, decision_id, time, time_ms, outcome, bytes, exchange) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.insertTx = db.transaction((exchanges: SessionExchange[]) => {
      const rows = exchanges.map((x) => ({ x, row: exchangeRow(x) }));
      for (const d of summaryDeltas(rows)) upsert.run(...summaryParams(d));
      return rows.map(({ x, row }) => Number(insert.run(x.sessionId, x.decisionId, x.time, row.timeMs, x.decision.outcome, row.bytes, row.json).lastInsertRowid));
    });
    const all = db.prepare("SELECT session_id AS id, last_ms AS lastMs, bytes FROM sessions ORDER BY last_ms, session_id");
    const delSession = db.prepare("DELETE FROM sessions WHERE session_id = ? RETURNING exchanges, bytes");
    const delExchanges = db.prepare("DELETE FROM session_exchanges WHERE session_id = ?");
    this.pruneTx = db.transaction((limits: RetentionLimits) => {
      const sessions = all.all() as { id: string; lastMs: number; bytes: number }[];
      const victims = pruneVictims(sessions, limits.maxAgeMs, limits.maxBytes, limits.now ?? Date.now());
      const out: PruneResult = { sessions: 0, exchanges: 0, bytes: 0 };
      for (const id of victims) {
        const r = delSession.get(id) as { exchanges: number; bytes: number } | undefined;
        delExchanges.run(id);
        if (r === undefined) continue;
        out.sessions++;
        out.exchanges += r.exchanges;
        out.bytes += r.bytes;
      }
      return out;
    });
  }

  async append(exchanges: SessionExchange[]): Promise<number[]> {
    if (exchanges.length === 0) return [];
    return this.appendVia ? this.appendVia(exchanges) : this.appendSync(exchanges);
  }

  /** Appends on this connection, in one transaction (the writer thread's side of `appendVia`). */
  appendSync(exchanges: SessionExchange[]): number[] {
    return this.insertTx.immediate(exchanges);
  }

  async list(query: SessionQuery = {}): Promise<SessionSummary[]> {
    const { sql, params } = listSql(query, "sessions", q);
    return (this.db.prepare(sql).all(...params) as SummaryRow[]).map(summaryFromRow);
  }

  async exchanges(sessionId: string): Promise<StoredExchange[]> {
    const rows = this.db.prepare("SELECT seq, bytes, exchange FROM session_exchanges WHERE session_id = ? ORDER BY seq").all(sessionId) as ExchangeRow[];
    return rows.map(exchangeFromRow);
  }

  async query(query: ExchangeQuery = {}): Promise<StoredExchange[]> {
    const { sql, params } = exchangeQuerySql(query, "session_exchanges", q);
    return (this.db.prepare(sql).all(...params) as ExchangeRow[]).map(exchangeFromRow);
  }

  async prune(limits: RetentionLimits): Promise<PruneResult> {
    if (limits.maxAgeMs === undefined && limits.maxBytes === undefined) return { sessions: 0, exchanges: 0, bytes: 0 };
    return this.pruneVia ? this.pruneVia(limits) : this.pruneSync(limits);
  }

  /** Prunes on this connection (the writer thread's side of `pruneVia`). */
  pruneSync(limits: RetentionLimits): PruneResult {
    return this.pruneTx.immediate(limits);
  }

  async stats(): Promise<SessionStats> {
    const r = this.db.prepare("SELECT count(*) AS sessions, coalesce(sum(exchanges), 0) AS exchanges, coalesce(sum(bytes), 0) AS bytes FROM sessions").get() as SessionStats;
    return { sessions: Number(r.sessions), exchanges: Number(r.exchanges), bytes: Number(r.bytes) };
  }
}
