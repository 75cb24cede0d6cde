// The audit query as SQL, shared by both stores (they differ only in how a parameter is written: ? or $n).
import { timeMs } from "./audit-chain.js";
import type { AuditQuery } from "./types.js";

export const DEFAULT_QUERY_LIMIT = 1000;

/** The columns a record is read from, in both stores. */
export const AUDIT_COLUMNS = "seq, decision_id, time, subject, repository, connection, decision, entry, prev_hash, hash";

/**
 * The SELECT for a query: the newest `limit` matching records, returned oldest first (newest last). `table` is the
 * (quoted, qualified) audit table; `param(n)` writes the n-th parameter (1-based).
 */
export function auditQuerySql(q: AuditQuery, table: string, param: (n: number) => string): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, op: string, value: unknown) => {
    params.push(value);
    conditions.push(`${column} ${op} ${param(params.length)}`);
  };
  if (q.decisionId !== undefined) add("decision_id", "=", q.decisionId);
  if (q.subject !== undefined) add("subject", "=", q.subject);
  if (q.repository !== undefined) add("repository", "=", q.repository);
  if (q.connection !== undefined) add("connection", "=", q.connection);
  if (q.decision !== undefined) {
    if (!["allow", "deny", "error"].includes(q.decision)) throw new TypeError(`audit query: decision must be allow, deny or error, found ${JSON.stringify(q.decision)}`);
    add("decision", "=", q.decision);
  }
  if (q.since !== undefined) add("time_ms", ">=", boundMs("since", q.since));
  if (q.until !== undefined) add("time_ms", "<", boundMs("until", q.until));
  const limit = q.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`audit query: limit must be a whole number ≥ 0, found ${String(q.limit)}`);
  params.push(limit);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  const sql = `SELECT * FROM (SELECT ${AUDIT_COLUMNS} FROM ${table}${where} ORDER BY seq DESC LIMIT ${param(params.length)}) AS newest ORDER BY seq ASC`;
  return { sql, params };
}

function boundMs(name: string, time: string): number {
  try {
    return timeMs(time);
  } catch {
    throw new TypeError(`audit query: ${name} must be an ISO 8601 time, found ${JSON.stringify(time)}`);
  }
}
