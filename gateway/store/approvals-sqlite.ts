// Approvals in the SQLite store (schema version 2). better-sqlite3 is synchronous: each step is one IMMEDIATE
// transaction (the write lock first), so two processes sharing the file also see each step as atomic. Changes are
// announced in-process only (a second process on the same file finds them when it polls).
import { EventEmitter } from "node:events";
import type Database from "better-sqlite3";
import type { Approval, ApprovalListQuery, ApprovalStore } from "./approvals-types.js";

export const SQLITE_APPROVALS_MIGRATION = `
  CREATE TABLE approvals (
    id                TEXT    PRIMARY KEY,
    operation_hash    TEXT    NOT NULL,
    requester_subject TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'consumed')),
    created_ms        INTEGER NOT NULL,
    expires_ms        INTEGER NOT NULL,
    record            TEXT    NOT NULL
  );
  CREATE INDEX approvals_operation ON approvals (operation_hash, requester_subject, status);
  CREATE INDEX approvals_status    ON approvals (status, expires_ms);
  CREATE INDEX approvals_created   ON approvals (created_ms);
`;

interface Row {
  record: string;
}

const parse = (r: Row): Approval => JSON.parse(r.record) as Approval;

export class SqliteApprovalStore implements ApprovalStore {
  private readonly changes = new EventEmitter();
  private readonly insertStmt: Database.Statement;
  private readonly writeStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly activeStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.changes.setMaxListeners(0);
    this.insertStmt = db.prepare(
      "INSERT INTO approvals (id, operation_hash, requester_subject, status, created_ms, expires_ms, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.writeStmt = db.prepare("UPDATE approvals SET status = ?, expires_ms = ?, record = ? WHERE id = ?");
    this.getStmt = db.prepare("SELECT record FROM approvals WHERE id = ?");
    this.activeStmt = db.prepare(
      `SELECT record FROM approvals WHERE operation_hash = ? AND requester_subject = ? AND status IN ('pending', 'approved') AND expires_ms > ?
       ORDER BY status = 'approved' DESC, created_ms DESC LIMIT 1`,
    );
  }

  private write(a: Approval): void {
    this.writeStmt.run(a.status, Date.parse(a.expiresAt), JSON.stringify(a), a.id);
  }

  private announce(ids: string[]): void {
    for (const id of ids) this.changes.emit("change", id);
  }

  async openOrReuse(fresh: Approval, now: number): Promise<{ approval: Approval; created: boolean }> {
    const out = this.db
      .transaction(() => {
        const found = this.activeStmt.get(fresh.operationHash, fresh.requester.subject, now) as Row | undefined;
        if (found) return { approval: parse(found), created: false };
        this.insertStmt.run(fresh.id, fresh.operationHash, fresh.requester.subject, fresh.status, Date.parse(fresh.createdAt), Date.parse(fresh.expiresAt), JSON.stringify(fresh));
        return { approval: fresh, created: true };
      })
      .immediate();
    if (out.created) this.announce([fresh.id]);
    return out;
  }

  async get(id: string): Promise<Approval | undefined> {
    const r = this.getStmt.get(id) as Row | undefined;
    return r && parse(r);
  }

  async list(q: ApprovalListQuery = {}): Promise<Approval[]> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 200)));
    const rows = (
      q.status === undefined
        ? this.db.prepare("SELECT record FROM approvals ORDER BY created_ms DESC, id LIMIT ?").all(limit)
        : this.db.prepare("SELECT record FROM approvals WHERE status = ? ORDER BY created_ms DESC, id LIMIT ?").all(q.status, limit)
    ) as Row[];
    return rows.map(parse);
  }

  async update(id: string, mutate: (current: Approval) => Approval | undefined): Promise<{ before: Approval; after: Approval } | undefined> {
    const out = this.db
      .transaction(() => {
        const r = this.getStmt.get(id) as Row | undefined;
        if (!r) return undefined;
        const before = parse(r);
        const after = mutate(structuredClone(before));
        if (after === undefined) return { before, after: before, changed: false };
        this.write(after);
        return { before, after, changed: true };
      })
      .immediate();
    if (out === undefined) return undefined;
    if (out.changed) this.announce([id]);
    return { before: out.before, after: out.after };
  }

  async expireDue(now: number): Promise<Approval[]> {
    const expired = this.db
      .transaction(() => {
        const rows = this.db.prepare("SELECT record FROM approvals WHERE status IN ('pending', 'approved') AND expires_ms <= ?").all(now) as Row[];
        return rows.map((r) => {
          const a: Approval = { ...parse(r), status: "expired" };
          this.write(a);
          return a;
        });
      })
      .immediate();
    this.announce(expired.map((a) => a.id));
    return expired;
  }

  async useValid(operationHash: string, subject: string, now: number): Promise<{ approval: Approval; consumed: boolean } | undefined> {
    const out = this.db
      .transaction(() => {
        const r = this.db
          .prepare(
            `SELECT record FROM approvals WHERE operation_hash = ? AND requester_subject = ? AND status = 'approved' AND expires_ms > ?
             ORDER BY created_ms LIMIT 1`,
          )
          .get(operationHash, subject, now) as Row | undefined;
        if (!r) return undefined;
        const a = parse(r);
        if (a.validityMs !== null) return { approval: a, consumed: false };
        const used: Approval = { ...a, status: "consumed", consumedAt: new Date(now).toISOString() };
        this.write(used);
        return { approval: used, consumed: true };
      })
      .immediate();
    if (out?.consumed) this.announce([out.approval.id]);
    return out;
  }

  async subscribe(listener: (id: string) => void): Promise<() => void> {
    this.changes.on("change", listener);
    return () => {
      this.changes.off("change", listener);
    };
  }
}
