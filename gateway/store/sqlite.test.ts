import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, chainRecord } from "./audit-chain.js";
import { openSqliteStore } from "./sqlite.js";
import { entry, storeContract, type StoreHarness } from "./test/contract.js";
import { auditRetentionContract } from "./test/retention-contract.js";
import { appendThenKill } from "./test/kill.js";
import type { Store } from "./types.js";

async function harness(): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), "guard-store-"));
  const path = join(dir, "nested", "guard.db");
  const opened: Store[] = [];
  const raw: Database.Database[] = [];
  return {
    async open() {
      const s = await openSqliteStore(path);
      opened.push(s);
      return s;
    },
    async sql(text) {
      if (raw.length === 0) raw.push(new Database(path));
      const stmt = raw[0]!.prepare(text);
      if (stmt.reader) return stmt.all() as Record<string, unknown>[];
      stmt.run();
      return [];
    },
    async cleanup() {
      for (const s of opened) await s.close();
      for (const d of raw) d.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("SQLite store", () => {
  storeContract(harness);
  auditRetentionContract(harness);

  it("creates its directory and schema, in WAL mode, with its schema version recorded", async () => {
    const h = await harness();
    try {
      await h.open();
      expect(await h.sql("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
      expect(await h.sql("SELECT version FROM schema_migrations ORDER BY version")).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }]); // audit, approvals, sessions, sessions in their own file, audit retention's checkpoint
      // the sessions are in their own file, not in this one
      expect(await h.sql("SELECT name FROM sqlite_master WHERE name LIKE 'session%'")).toEqual([]);
      const indexes = (await h.sql("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND name LIKE 'audit_log_%'")).map((r) => r.name);
      expect(indexes.sort()).toEqual(["audit_log_connection", "audit_log_decision", "audit_log_repository", "audit_log_subject", "audit_log_time"]);
      const plan = await h.sql("EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE subject = 'x' ORDER BY seq DESC LIMIT 10");
      expect(JSON.stringify(plan)).toMatch(/audit_log_subject/);
    } finally {
      await h.cleanup();
    }
  });

  it("refuses a missing file with mustExist, and a schema newer than it knows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-store-"));
    try {
      await expect(openSqliteStore(join(dir, "none.db"), { mustExist: true })).rejects.toThrow(/no SQLite store/);
      const path = join(dir, "guard.db");
      await (await openSqliteStore(path)).close();
      const db = new Database(path);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'later')").run();
      db.close();
      await expect(openSqliteStore(path)).rejects.toThrow(/version 99, newer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("works in memory", async () => {
    const s = await openSqliteStore(":memory:");
    const r = await s.audit.append({
      decisionId: "m1",
      time: "2026-11-21T00:00:00Z",
      subject: null,
      repository: null,
      connection: null,
      request: { method: "GET", path: "/", size: 0, bodySha256: null },
      decision: "deny",
      reasons: ["unauthenticated"],
      bundleRevision: null,
      latencyMs: 1,
    });
    expect(await s.audit.verify()).toEqual({ ok: true, records: 1, head: r.hash });
    // retention works on the store's own connection too
    const later = await s.audit.append(entry({ time: "2026-11-22T00:00:00Z" }));
    expect(await s.audit.prune("2026-11-21T12:00:00Z")).toMatchObject({ removed: 1, checkpoint: { seq: 1, hash: r.hash } });
    expect(await s.audit.verify()).toEqual({ ok: true, records: 1, head: later.hash, removedThrough: 1 });
    await s.close();
  });

  it("verifies a big log a page at a time while appends go on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-store-"));
    const path = join(dir, "guard.db");
    try {
      const s = await openSqliteStore(path);
      // 12,000 records written in one transaction (the store fsyncs each append: too slow for a test)
      const db = new Database(path);
      const insert = db.prepare(
        "INSERT INTO audit_log (seq, decision_id, time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      let head = { seq: 0, hash: GENESIS_HASH };
      db.transaction(() => {
        for (let i = 0; i < 12_000; i++) {
          const { record: r, json } = chainRecord(
            {
              decisionId: `big-${i}`,
              time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
              subject: `s${i % 7}`,
              repository: "acme/api",
              connection: "anthropic",
              request: { method: "POST", path: "/v1/messages", size: i, bodySha256: null },
              decision: "allow",
              reasons: [],
              bundleRevision: null,
              latencyMs: 0,
            },
            head,
          );
          insert.run(r.seq, r.decisionId, r.time, Date.parse(r.time), r.subject, r.repository, r.connection, r.decision, json, r.prevHash, r.hash);
          head = { seq: r.seq, hash: r.hash };
        }
        db.prepare("UPDATE audit_head SET seq = ?, hash = ?").run(head.seq, head.hash);
      })();
      db.close();
      const verifying = s.audit.verify();
      const during = await s.audit.append({
        decisionId: "during",
        time: new Date().toISOString(),
        subject: null,
        repository: null,
        connection: null,
        request: { method: "GET", path: "/", size: 0, bodySha256: null },
        decision: "allow",
        reasons: [],
        bundleRevision: null,
        latencyMs: 0,
      });
      expect(during.seq).toBe(12_001);
      expect(await verifying).toEqual({ ok: true, records: 12_000, head: head.hash });
      expect(await s.audit.verify()).toEqual({ ok: true, records: 12_001, head: during.hash });
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps every acknowledged append through kill -9", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-store-kill-"));
    const path = join(dir, "guard.db");
    try {
      const acked = await appendThenKill(`sqlite:${path}`, 40);
      expect(acked.length).toBeGreaterThanOrEqual(40);
      const s = await openSqliteStore(path);
      const seqs = new Set((await s.audit.query({ limit: 1_000_000 })).map((r) => r.seq));
      for (const seq of acked) expect(seqs.has(seq)).toBe(true);
      const v = await s.audit.verify();
      expect(v.ok).toBe(true);
      expect(v.records).toBeGreaterThanOrEqual(acked.length);
      // and the chain goes on from where the killed process left it
      const next = await s.audit.append({
        decisionId: "after-kill",
        time: new Date().toISOString(),
        subject: null,
        repository: null,
        connection: null,
        request: { method: "GET", path: "/", size: 0, bodySha256: null },
        decision: "allow",
        reasons: [],
        bundleRevision: null,
        latencyMs: 0,
      });
      expect(next.seq).toBe(v.records + 1);
      expect((await s.audit.verify()).ok).toBe(true);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
