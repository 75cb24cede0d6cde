import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SESSIONS_SQLITE_MIGRATION } from "./sessions-sqlite.js";
import { openSqliteStore, sessionsFileOf } from "./sqlite.js";
import { sessionExchange, sessionStoreContract, type SessionHarness } from "./test/sessions-contract.js";
import type { Store } from "./types.js";

function removeSessionsFile(mainFile: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(sessionsFileOf(mainFile) + suffix, { force: true });
}

const auditEntry = (decisionId: string) => ({
  time: "2026-11-21T09:00:00.000Z",
  decisionId,
  subject: "s",
  repository: "r",
  connection: "claude",
  request: { method: "POST", path: "/claude/v1/messages", size: 2, bodySha256: null },
  decision: "allow" as const,
  reasons: [],
  bundleRevision: "abc",
  latencyMs: 1,
});

async function harness(): Promise<SessionHarness> {
  const dir = mkdtempSync(join(tmpdir(), "guard-sessions-"));
  const path = join(dir, "guard.db");
  const opened: Store[] = [];
  let raw: Database.Database | undefined;
  return {
    async open() {
      const s = await openSqliteStore(path);
      opened.push(s);
      return s;
    },
    async sql(text) {
      // the main file, with the sessions file attached: unqualified names find the sessions tables there
      if (!raw) {
        raw = new Database(path);
        raw.prepare("ATTACH DATABASE ? AS sessions_file").run(sessionsFileOf(path));
      }
      return raw.prepare(text).all() as Record<string, unknown>[];
    },
    async cleanup() {
      for (const s of opened) await s.close();
      raw?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("SQLite session store", () => {
  sessionStoreContract(harness);

  it("upgrades a store made before sessions (versions 1 and 2 only) and keeps its audit log", async () => {
    const h = await harness();
    try {
      const s = await h.open();
      const record = await s.audit.append(auditEntry("before-upgrade"));
      await s.close();
      const file = (await h.sql("PRAGMA database_list"))[0]!.file as string;
      const db = new Database(file);
      db.exec("DELETE FROM schema_migrations WHERE version IN (3, 4)");
      db.close();
      removeSessionsFile(file);
      const again = await h.open();
      await again.sessions.append([sessionExchange({ sessionId: "after-upgrade" })]);
      expect((await again.sessions.list()).map((x) => x.id)).toEqual(["after-upgrade"]);
      expect((await h.sql("SELECT version FROM main.schema_migrations")).map((r) => r.version)).toEqual(expect.arrayContaining([3, 4]));
      expect((await again.audit.query({})).map((r) => r.hash)).toEqual([record.hash]);
      expect((await again.audit.verify()).ok).toBe(true);
    } finally {
      await h.cleanup();
    }
  });

  it("moves the sessions a store kept in its main file (schema version 3) to the sessions file, once", async () => {
    const h = await harness();
    try {
      const s = await h.open();
      const old = [1, 2, 3].map((m) => sessionExchange({ sessionId: "old", time: `2026-11-21T10:00:0${m}.000Z` }));
      const seqs = await s.sessions.append(old);
      await s.close();
      // The version-3 layout: the sessions tables and their rows in the main file, no sessions file.
      const file = (await h.sql("PRAGMA database_list"))[0]!.file as string;
      const db = new Database(file);
      db.prepare("ATTACH DATABASE ? AS s").run(sessionsFileOf(file));
      db.exec(SESSIONS_SQLITE_MIGRATION);
      db.exec("INSERT INTO main.sessions SELECT * FROM s.sessions; INSERT INTO main.session_exchanges SELECT * FROM s.session_exchanges");
      db.exec("DELETE FROM main.schema_migrations WHERE version = 4; DETACH DATABASE s");
      db.close();
      removeSessionsFile(file);
      const again = await h.open();
      const back = await again.sessions.exchanges("old");
      expect(back.map((x) => x.seq)).toEqual(seqs);
      expect(back.map(({ seq: _seq, bytes: _bytes, ...x }) => x)).toEqual(old);
      expect((await again.sessions.list()).map((x) => [x.id, x.exchanges])).toEqual([["old", 3]]);
      // gone from the main file; later appends number on from the moved ones
      expect(await h.sql("SELECT name FROM main.sqlite_master WHERE name LIKE 'session%'")).toEqual([]);
      const [next] = await again.sessions.append([sessionExchange({ sessionId: "new" })]);
      expect(next!).toBeGreaterThan(Math.max(...seqs));
      await again.close();
      // opened again: nothing moved twice
      const third = await h.open();
      expect(await third.sessions.exchanges("old")).toHaveLength(3);
    } finally {
      await h.cleanup();
    }
  });

  it("applies a version missing below one already applied (a gap: 1 and 3 applied, 2 not)", async () => {
    const h = await harness();
    try {
      await (await h.open()).close();
      const file = (await h.sql("PRAGMA database_list"))[0]!.file as string;
      const keep = new Set(["audit_log", "audit_head", "audit_checkpoint", "sessions", "session_exchanges", "schema_migrations", "sqlite_sequence"]); // all but version 2's (approvals)
      const db = new Database(file);
      const others = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name).filter((n) => !keep.has(n));
      for (const t of others) db.exec(`DROP TABLE "${t}"`);
      const had2 = db.prepare("DELETE FROM schema_migrations WHERE version = 2").run().changes === 1;
      db.close();
      await h.open();
      const versions = (await h.sql("SELECT version FROM schema_migrations ORDER BY version")).map((r) => r.version);
      expect(versions).toContain(3);
      if (had2) {
        expect(versions).toContain(2);
        const tables = (await h.sql("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name);
        for (const t of others) expect(tables).toContain(t);
      }
    } finally {
      await h.cleanup();
    }
  });

  it("works in memory", async () => {
    const s = await openSqliteStore(":memory:");
    try {
      await s.sessions.append([sessionExchange({ sessionId: "m" })]);
      expect(await s.sessions.stats()).toMatchObject({ sessions: 1, exchanges: 1 });
    } finally {
      await s.close();
    }
  });
});
