import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgresStore } from "../gateway/store/postgres.js";
import { openSqliteStore } from "../gateway/store/sqlite.js";
import type { AuditEntry, AuditRecord } from "../gateway/store/types.js";
import { parseTimeArg } from "./store-command.js";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 240_000);

function entry(i: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    decisionId: `dec-${i}`,
    time: new Date(Date.now() - (10 - i) * 3_600_000).toISOString(), // i hours ago … now
    subject: i % 2 === 0 ? "repo:acme/api:ref:refs/heads/main" : "repo:acme/web:ref:refs/heads/main",
    repository: i % 2 === 0 ? "acme/api" : "acme/web",
    connection: "anthropic",
    request: { method: "POST", path: "/v1/messages", size: 100 + i, bodySha256: null, model: "claude-sonnet-4-5" },
    decision: i % 3 === 0 ? "deny" : "allow",
    reasons: i % 3 === 0 ? ["model not allowed"] : [],
    bundleRevision: "abc123",
    latencyMs: 0.5,
    status: i % 3 === 0 ? 403 : 200,
    ...over,
  };
}

/** Runs one statement on the default store's file behind the gateway's back (tampering). */
function runSql(dir: string, statement: string): void {
  const db = new Database(join(dir, ".guard/guard.db"));
  db.prepare(statement).run();
  db.close();
}

/** A directory with a SQLite store at `path` holding records 1..n. */
async function withLog(n: number, path = ".guard/guard.db", files: Record<string, string> = {}): Promise<{ dir: string; records: AuditRecord[] }> {
  const dir = fixture(files);
  const store = await openSqliteStore(join(dir, path));
  const records: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) records.push(await store.audit.append(entry(i)));
  await store.close();
  return { dir, records };
}

describe("guard audit prune", () => {
  it("removes the records older than --older-than, and verify checks the rest from the checkpoint", async () => {
    const { dir, records } = await withLog(10); // record i is 10 - i hours old
    const r = guard(["audit", "prune", "--older-than", "5h30m"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`4 records removed; the log now starts after #4 (${records[3]!.time}), its checkpoint\n`);
    const v = guard(["audit", "verify"], dir);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`audit log intact: 6 records (#1..#4 removed by retention; checked from its checkpoint), head ${records[9]!.hash}\n`);
    const again = guard(["audit", "prune", "--older-than", "5h30m", "--format", "json"], dir);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ removed: 0, checkpoint: { seq: 4, hash: records[3]!.hash } });
    expect(guard(["audit", "prune", "--older-than", "5h30m"], dir).stdout).toMatch(/^nothing removed: no record is older than /);
  });

  it("exits 1 and removes nothing when the records it would remove do not verify", async () => {
    const { dir } = await withLog(10);
    runSql(dir, "UPDATE audit_log SET entry = replace(entry, '\"allow\"', '\"deny\"') WHERE seq = 2");
    const r = guard(["audit", "prune", "--older-than", "1h30m"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^guard audit prune: audit retention stopped: the records it would remove do not verify: record 2 was changed/);
    expect(guard(["audit", "query", "--format", "json"], dir).stdout).toSatisfy((out: string) => (JSON.parse(out) as unknown[]).length === 10);
  });

  it("needs --older-than, and takes no query filters", async () => {
    const { dir } = await withLog(1);
    const missing = guard(["audit", "prune"], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/prune needs --older-than TIME/);
    const filtered = guard(["audit", "prune", "--older-than", "1d", "--sub", "x"], dir);
    expect(filtered.status).toBe(2);
    expect(filtered.stderr).toMatch(/--sub is a filter of guard audit query/);
    expect(guard(["audit", "verify", "--older-than", "1d"], dir).stderr).toMatch(/--older-than is an option of guard audit prune/);
  });
});

describe("guard audit verify", () => {
  it("exits 0 on an intact log (the default store: .guard/guard.db)", async () => {
    const { dir, records } = await withLog(10);
    const r = guard(["audit", "verify"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`audit log intact: 10 records, head ${records[9]!.hash}\n`);
    const json = guard(["audit", "verify", "--format", "json"], dir);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, records: 10, head: records[9]!.hash });
  });

  it("exits 1 on a tampered log, saying where and what", async () => {
    const { dir } = await withLog(10);
    runSql(dir, "UPDATE audit_log SET entry = replace(entry, '\"deny\"', '\"allow\"') WHERE seq = 6");
    const r = guard(["audit", "verify", "--store", "sqlite:.guard/guard.db"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^audit log BROKEN at record 6: record 6 was changed/);
    expect(JSON.parse(guard(["audit", "verify", "--format", "json"], dir).stdout)).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it("exits 1 on a truncated log", async () => {
    const { dir } = await withLog(4);
    runSql(dir, "DELETE FROM audit_log WHERE seq = 4");
    const r = guard(["audit", "verify"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at record 4: record 4 is missing \(the log was truncated\)/);
  });

  it("finds the store from guard.yaml's store section, relative to the file", async () => {
    const { dir } = await withLog(3, "conf/data/audit.db", { "conf/guard.yaml": "listen: 8080\nstore:\n  type: sqlite\n  path: data/audit.db\n" });
    const r = guard(["audit", "verify", "--config", "conf/guard.yaml"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^audit log intact: 3 records/);
  });

  it("exits 2 without a store, without creating one", async () => {
    const dir = fixture({ "bad.yaml": "store: { type: redis }\n" });
    const r = guard(["audit", "verify"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot open the store .*no SQLite store/);
    expect(existsSync(join(dir, ".guard"))).toBe(false);
    expect(guard(["audit", "verify", "--config", "bad.yaml"], dir).stderr).toMatch(/store.type must be sqlite or postgres/);
    expect(guard(["audit", "verify", "--store", "mysql://x"], dir).stderr).toMatch(/unknown store/);
    expect(guard(["audit"], dir).status).toBe(2);
    expect(guard(["audit", "verify", "--sub", "x"], dir).stderr).toMatch(/filter of guard audit query/);
  });
});

describe("guard audit query", () => {
  it("prints the records, filtered, oldest first", async () => {
    const { dir } = await withLog(9);
    const all = guard(["audit", "query", "--format", "json"], dir);
    expect(all.stderr).toBe("");
    expect((JSON.parse(all.stdout) as AuditRecord[]).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seqs = (args: string[]) => (JSON.parse(guard(["audit", "query", "--format", "json", ...args], dir).stdout) as AuditRecord[]).map((r) => r.seq);
    expect(seqs(["--decision", "deny"])).toEqual([3, 6, 9]);
    expect(seqs(["--repo", "acme/api"])).toEqual([2, 4, 6, 8]);
    expect(seqs(["--sub", "repo:acme/web:ref:refs/heads/main", "--decision", "allow"])).toEqual([1, 5, 7]);
    expect(seqs(["--connection", "github"])).toEqual([]);
    expect(seqs(["--id", "dec-4"])).toEqual([4]);
    expect(seqs(["--limit", "2"])).toEqual([8, 9]);
    expect(seqs(["--since", "2h30m"])).toEqual([8, 9]);
    expect(seqs(["--until", "2h30m"])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seqs(["--since", "2000-01-01T00:00:00Z", "--limit", "1"])).toEqual([9]);
  });

  it("prints one line a record in pretty form", async () => {
    const { dir } = await withLog(3);
    const r = guard(["audit", "query", "--decision", "deny"], dir);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]!.split(/ {2,}/)).toEqual([
      "#3",
      expect.stringMatching(/Z$/),
      "deny",
      "403",
      "POST /v1/messages",
      "sub=repo:acme/web:ref:refs/heads/main",
      "repo=acme/web",
      "conn=anthropic",
      "0.5ms",
      "id=dec-3",
      "reasons: model not allowed",
    ]);
    expect(lines[1]).toBe("1 record");
  });

  it("rejects bad filters", async () => {
    const { dir } = await withLog(1);
    expect(guard(["audit", "query", "--decision", "maybe"], dir).stderr).toMatch(/--decision must be allow, deny or error/);
    expect(guard(["audit", "query", "--since", "yesterday"], dir).stderr).toMatch(/--since must be an ISO 8601 time/);
    expect(guard(["audit", "query", "--limit", "-3"], dir).status).toBe(2);
    expect(guard(["audit", "query", "--format", "xml"], dir).status).toBe(2);
  });
});

const pgUrl = process.env.GUARD_TEST_PG_URL;
if (!pgUrl) console.warn("cli/audit.test.ts: PostgreSQL cases skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them");

describe.skipIf(!pgUrl)("guard audit on PostgreSQL", () => {
  it("verifies and queries a PostgreSQL store, and exits 1 once it is tampered with", async () => {
    const schema = `guard_cli_${randomBytes(6).toString("hex")}`;
    const spec = `${pgUrl}${pgUrl!.includes("?") ? "&" : "?"}schema=${schema}`;
    const store = await openPostgresStore(pgUrl!, schema);
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      for (let i = 1; i <= 5; i++) await store.audit.append(entry(i, { decisionId: `${schema}-${i}` }));
      const dir = fixture({ "guard.yaml": `store:\n  type: postgres\n  url: ${pgUrl}\n  schema: ${schema}\n` });
      expect(guard(["audit", "verify", "--store", spec], dir)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^audit log intact: 5 records/) });
      expect(guard(["audit", "verify", "--config", "guard.yaml"], dir).status).toBe(0);
      const q = guard(["audit", "query", "--config", "guard.yaml", "--decision", "deny", "--format", "json"], dir);
      expect((JSON.parse(q.stdout) as AuditRecord[]).map((r) => r.seq)).toEqual([3]);
      await client.query(`DELETE FROM "${schema}".audit_log WHERE seq = 2`);
      const r = guard(["audit", "verify", "--store", spec], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at record 2: record 2 is missing/);
    } finally {
      await store.close();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});

describe("time arguments", () => {
  it("reads ISO times and durations back from now", () => {
    const now = Date.parse("2026-11-21T12:00:00Z");
    expect(parseTimeArg("1h", now)).toBe("2026-11-21T11:00:00.000Z");
    expect(parseTimeArg("1h30m", now)).toBe("2026-11-21T10:30:00.000Z");
    expect(parseTimeArg("7d", now)).toBe("2026-11-14T12:00:00.000Z");
    expect(parseTimeArg("2026-11-20T08:00:00+01:00", now)).toBe("2026-11-20T08:00:00+01:00");
    expect(parseTimeArg("2026-11-20", now)).toBe("2026-11-20");
    expect(parseTimeArg("soon", now)).toBeUndefined();
  });
});
