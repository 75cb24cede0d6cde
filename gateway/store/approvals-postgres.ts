// Approvals in the PostgreSQL store (schema version 2), shared by every gateway instance on the database.
//
// Each step is one transaction; a change to one approval holds its row (`FOR UPDATE`), opening holds an advisory
// lock on (operation, requester) so that two instances never open duplicates. Every change sends
// `NOTIFY guard_approvals, '<schema>:<id>'` in its transaction (delivered on COMMIT); each instance LISTENs on a
// connection of its own (not taken from the pool, opened on the first subscribe, reopened when it drops), so an
// approval made through one instance releases a request held by another.
import pg from "pg";
import type { Approval, ApprovalListQuery, ApprovalStore } from "./approvals-types.js";

export const PG_APPROVALS_CHANNEL = "guard_approvals";

export const PG_APPROVALS_MIGRATION = `
  CREATE TABLE %s.approvals (
    id                TEXT    PRIMARY KEY,
    operation_hash    TEXT    NOT NULL,
    requester_subject TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'consumed')),
    created_ms        BIGINT  NOT NULL,
    expires_ms        BIGINT  NOT NULL,
    record            TEXT    NOT NULL
  );
  CREATE INDEX approvals_operation ON %s.approvals (operation_hash, requester_subject, status);
  CREATE INDEX approvals_status    ON %s.approvals (status, expires_ms);
  CREATE INDEX approvals_created   ON %s.approvals (created_ms);
`;

interface Row {
  record: string;
}

const parse = (r: Row): Approval => JSON.parse(r.record) as Approval;

export class PostgresApprovalStore implements ApprovalStore {
  private readonly table: string;
  private readonly schemaName: string;
  private readonly listeners = new Set<(id: string) => void>();
  private listening: Promise<void> | undefined;
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  /** `schema`: the quoted schema name (`"guard"`). */
  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `${schema}.approvals`;
    this.schemaName = schema.replace(/^"|"$/g, "");
  }

  private async tx<T>(body: (c: pg.PoolClient, notify: (id: string) => void) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    const changed: string[] = [];
    try {
      await c.query("BEGIN");
      const out = await body(c, (id) => changed.push(id));
      for (const id of changed) await c.query("SELECT pg_notify($1, $2)", [PG_APPROVALS_CHANNEL, `${this.schemaName}:${id}`]);
      await c.query("COMMIT");
      c.release();
      // this instance's own listeners hear it at once (and again through LISTEN: listeners re-read, so twice is harmless)
      for (const id of changed) this.emit(id);
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

  private async write(c: pg.PoolClient, a: Approval): Promise<void> {
    await c.query(`UPDATE ${this.table} SET status = $1, expires_ms = $2, record = $3 WHERE id = $4`, [a.status, Date.parse(a.expiresAt), JSON.stringify(a), a.id]);
  }

  async openOrReuse(fresh: Approval, now: number): Promise<{ approval: Approval; created: boolean }> {
    return this.tx(async (c, notify) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`guard-approval:${this.schemaName}:${fresh.operationHash}:${fresh.requester.subject}`]);
      const found = await c.query<Row>(
        `SELECT record FROM ${this.table} WHERE operation_hash = $1 AND requester_subject = $2 AND status IN ('pending', 'approved') AND expires_ms > $3
         ORDER BY status = 'approved' DESC, created_ms DESC LIMIT 1`,
        [fresh.operationHash, fresh.requester.subject, now],
      );
      if (found.rows[0]) return { approval: parse(found.rows[0]), created: false };
      await c.query(
        `INSERT INTO ${this.table} (id, operation_hash, requester_subject, status, created_ms, expires_ms, record) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [fresh.id, fresh.operationHash, fresh.requester.subject, fresh.status, Date.parse(fresh.createdAt), Date.parse(fresh.expiresAt), JSON.stringify(fresh)],
      );
      notify(fresh.id);
      return { approval: fresh, created: true };
    });
  }

  async get(id: string): Promise<Approval | undefined> {
    const r = await this.pool.query<Row>(`SELECT record FROM ${this.table} WHERE id = $1`, [id]);
    return r.rows[0] && parse(r.rows[0]);
  }

  async list(q: ApprovalListQuery = {}): Promise<Approval[]> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 200)));
    const r =
      q.status === undefined
        ? await this.pool.query<Row>(`SELECT record FROM ${this.table} ORDER BY created_ms DESC, id LIMIT $1`, [limit])
        : await this.pool.query<Row>(`SELECT record FROM ${this.table} WHERE status = $1 ORDER BY created_ms DESC, id LIMIT $2`, [q.status, limit]);
    return r.rows.map(parse);
  }

  async update(id: string, mutate: (current: Approval) => Approval | undefined): Promise<{ before: Approval; after: Approval } | undefined> {
    return this.tx(async (c, notify) => {
      const r = await c.query<Row>(`SELECT record FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
      if (!r.rows[0]) return undefined;
      const before = parse(r.rows[0]);
      const after = mutate(structuredClone(before));
      if (after === undefined) return { before, after: before };
      await this.write(c, after);
      notify(id);
      return { before, after };
    });
  }

  async expireDue(now: number): Promise<Approval[]> {
    return this.tx(async (c, notify) => {
      // SKIP LOCKED: rows another instance is changing right now are left to it (or the next sweep)
      const r = await c.query<Row>(`SELECT record FROM ${this.table} WHERE status IN ('pending', 'approved') AND expires_ms <= $1 FOR UPDATE SKIP LOCKED`, [now]);
      const out: Approval[] = [];
      for (const row of r.rows) {
        const a: Approval = { ...parse(row), status: "expired" };
        await this.write(c, a);
        notify(a.id);
        out.push(a);
      }
      return out;
    });
  }

  async useValid(operationHash: string, subject: string, now: number): Promise<{ approval: Approval; consumed: boolean } | undefined> {
    return this.tx(async (c, notify) => {
      const r = await c.query<Row>(
        `SELECT record FROM ${this.table} WHERE operation_hash = $1 AND requester_subject = $2 AND status = 'approved' AND expires_ms > $3
         ORDER BY created_ms LIMIT 1 FOR UPDATE`,
        [operationHash, subject, now],
      );
      if (!r.rows[0]) return undefined;
      const a = parse(r.rows[0]);
      // FOR UPDATE re-checks the row after waiting: a onetime approval consumed meanwhile by another instance is gone
      if (a.status !== "approved") return undefined;
      if (a.validityMs !== null) return { approval: a, consumed: false };
      const used: Approval = { ...a, status: "consumed", consumedAt: new Date(now).toISOString() };
      await this.write(c, used);
      notify(a.id);
      return { approval: used, consumed: true };
    });
  }

  private emit(id: string): void {
    for (const l of [...this.listeners]) {
      try {
        l(id);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async subscribe(listener: (id: string) => void): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.listen();
    } catch (e) {
      this.listeners.delete(listener);
      throw e;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private listen(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the approval store is closed"));
    this.listening ??= (async () => {
      const client = new pg.Client(this.pool.options);
      const lost = () => {
        if (this.client !== client) return;
        this.client = undefined;
        this.listening = undefined;
        client.end().catch(() => {});
        // reconnect while someone listens; waiters also poll, so nothing waits forever meanwhile
        if (!this.closed && this.listeners.size > 0 && this.retry === undefined) {
          this.retry = setTimeout(() => {
            this.retry = undefined;
            this.listen().catch(() => {});
          }, 1_000);
          this.retry.unref();
        }
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (n) => {
        const payload = n.payload ?? "";
        const prefix = `${this.schemaName}:`;
        if (n.channel === PG_APPROVALS_CHANNEL && payload.startsWith(prefix)) this.emit(payload.slice(prefix.length));
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${PG_APPROVALS_CHANNEL}`);
      } catch (e) {
        this.listening = undefined;
        client.removeAllListeners();
        await client.end().catch(() => {});
        throw e;
      }
      if (this.closed) {
        client.removeAllListeners();
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
    })();
    return this.listening;
  }

  /** Stops listening (the pool is the store's to close). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listening?.catch(() => {});
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on("error", () => {});
      await c.end().catch(() => {});
    }
  }
}
