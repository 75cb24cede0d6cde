import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite.js";
import { sessionExchange, sessionStoreContract, type SessionHarness } from "./test/sessions-contract.js";
import type { Store } from "./types.js";

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
      raw ??= new Database(path);
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

  it("upgrades a store made before sessions (version 1 only) and keeps its audit log", async () => {
    const h = await harness();
    try {
      const s = await h.open();
      await s.close();
      const db = new Database(join((await h.sql("PRAGMA database_list"))[0]!.file as string));
      db.exec("DROP TABLE session_exchanges; DROP TABLE sessions; DELETE FROM schema_migrations WHERE version = 3");
      db.close();
      const again = await h.open();
      await again.sessions.append([sessionExchange({ sessionId: "after-upgrade" })]);
      expect((await again.sessions.list()).map((x) => x.id)).toEqual(["after-upgrade"]);
      expect((await h.sql("SELECT version FROM schema_migrations")).map((r) => r.version)).toContain(3);
    } finally {
      await h.cleanup();
    }
  });

  it("applies a version missing below one already applied (a gap: 1 and 3 applied, 2 not)", async () => {
    const h = await harness();
    try {
      await (await h.open()).close();
      const file = (await h.sql("PRAGMA database_list"))[0]!.file as string;
      const keep = new Set(["audit_log", "audit_head", "sessions", "session_exchanges", "schema_migrations", "sqlite_sequence"]);
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
