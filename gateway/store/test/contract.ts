// The behaviour both stores must have: one suite, run by sqlite.test.ts and postgres.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, recordHash } from "../audit-chain.js";
import type { AuditEntry, AuditRecord, Store } from "../types.js";

/** One fresh database for a test: stores on it, and raw SQL on its tables (unqualified names). */
export interface StoreHarness {
  /** Opens a store on the database (call again for a second "instance"). */
  open(): Promise<Store>;
  /** Runs raw SQL (no parameters: use lit()) and returns its rows. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Closes what open() opened and drops the database. */
  cleanup(): Promise<void>;
}

/** An SQL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

let counter = 0;

/** A plausible entry; `over` replaces fields. */
export function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  counter++;
  return {
    decisionId: `dec-${process.pid}-${Date.now().toString(36)}-${counter}`,
    time: new Date(Date.UTC(2026, 10, 21, 12, 0, 0) + counter * 1000).toISOString(),
    subject: "repo:acme/api:ref:refs/heads/main",
    repository: "acme/api",
    connection: "anthropic",
    request: { method: "POST", path: "/v1/messages", size: 1234, bodySha256: "ab".repeat(32), model: "claude-sonnet-4-5" },
    decision: "allow",
    reasons: [],
    bundleRevision: "rev-1",
    latencyMs: 0.42,
    status: 200,
    ...over,
  };
}

/** Before each test of the suite: a fresh database from `make` and a store opened on it, given to `set`; after: cleanup. */
export function freshStoreEachTest<H extends StoreHarness>(make: () => Promise<H>, set: (h: H, store: Store) => void): void {
  let current: H | undefined;
  beforeEach(async () => {
    current = await make();
    set(current, await current.open());
  });
  afterEach(async () => {
    await current?.cleanup();
  });
}

export function storeContract(make: () => Promise<StoreHarness>): void {
  let h: StoreHarness;
  let store: Store;
  freshStoreEachTest(make, (x, s) => ((h = x), (store = s)));

  async function appendMany(n: number, over: (i: number) => Partial<AuditEntry> = () => ({})): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for (let i = 1; i <= n; i++) out.push(await store.audit.append(entry(over(i))));
    return out;
  }

  describe("append and query", () => {
    it("numbers records 1, 2, 3 … and links each to the previous one's hash", async () => {
      const records = await appendMany(4);
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(records[0]!.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
      for (const r of records) {
        expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(recordHash(r.prevHash, r, r.seq)).toBe(r.hash);
      }
    });

    it("gives back exactly what was appended", async () => {
      const e = entry({ subject: null, repository: null, connection: null, reasons: ["no: ünïcödé \"quoted\" \n line"], status: undefined });
      const r = await store.audit.append(e);
      const { status: _status, ...withoutStatus } = e;
      expect(r).toEqual({ ...withoutStatus, seq: 1, prevHash: GENESIS_HASH, hash: r.hash });
      expect(await store.audit.query({})).toEqual([r]);
      const [again] = await store.audit.query({ decisionId: e.decisionId });
      expect(canonicalJson(again)).toBe(canonicalJson(r));
    });

    it("filters by subject, repository, connection, decision, time, decision id; combined", async () => {
      await appendMany(12, (i) => ({
        subject: i % 2 === 0 ? "alice" : "bob",
        repository: i % 3 === 0 ? "acme/web" : "acme/api",
        connection: i <= 6 ? "anthropic" : "github",
        decision: i % 4 === 0 ? "deny" : i === 7 ? "error" : "allow",
        time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      }));
      const seqs = async (q: Parameters<Store["audit"]["query"]>[0]) => (await store.audit.query(q)).map((r) => r.seq);
      expect(await seqs({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(await seqs({ subject: "alice" })).toEqual([2, 4, 6, 8, 10, 12]);
      expect(await seqs({ repository: "acme/web" })).toEqual([3, 6, 9, 12]);
      expect(await seqs({ connection: "github" })).toEqual([7, 8, 9, 10, 11, 12]);
      expect(await seqs({ decision: "deny" })).toEqual([4, 8, 12]);
      expect(await seqs({ decision: "error" })).toEqual([7]);
      expect(await seqs({ since: "2026-01-01T00:05:00Z", until: "2026-01-01T00:08:00Z" })).toEqual([5, 6, 7]);
      // another offset, the same instant
      expect(await seqs({ since: "2026-01-01T01:10:00+01:00" })).toEqual([10, 11, 12]);
      expect(await seqs({ subject: "alice", repository: "acme/web", connection: "github" })).toEqual([12]);
      expect(await seqs({ subject: "nobody" })).toEqual([]);
      const [third] = await store.audit.query({ subject: "bob", repository: "acme/web" });
      expect(await seqs({ decisionId: third!.decisionId })).toEqual([third!.seq]);
    });

    it("limit keeps the newest, returned oldest first", async () => {
      await appendMany(7);
      expect((await store.audit.query({ limit: 3 })).map((r) => r.seq)).toEqual([5, 6, 7]);
      expect((await store.audit.query({ limit: 0 })).map((r) => r.seq)).toEqual([]);
      await expect(store.audit.query({ limit: -1 })).rejects.toThrow(/limit/);
      await expect(store.audit.query({ since: "yesterday" })).rejects.toThrow(/since/);
    });

    it("rejects a malformed entry or a repeated decision id, and the chain goes on without a gap", async () => {
      const first = await store.audit.append(entry());
      await expect(store.audit.append(entry({ decision: "maybe" as "allow" }))).rejects.toThrow(/decision/);
      await expect(store.audit.append(entry({ time: "not a time" }))).rejects.toThrow(/time/);
      await expect(store.audit.append(entry({ decisionId: first.decisionId }))).rejects.toThrow();
      const second = await store.audit.append(entry());
      expect(second.seq).toBe(2);
      expect(second.prevHash).toBe(first.hash);
      expect(await store.audit.verify()).toEqual({ ok: true, records: 2, head: second.hash });
    });

    it("close waits for the appends already made", async () => {
      const appending = [entry(), entry(), entry()].map((e) => store.audit.append(e));
      await store.close();
      expect((await Promise.all(appending)).map((r) => r.seq)).toEqual([1, 2, 3]);
      store = await h.open();
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 3 });
    });

    it("answers ping, and a second store on the same database continues the chain", async () => {
      await store.ping();
      const [a] = await appendMany(1);
      await store.close();
      store = await h.open();
      const b = await store.audit.append(entry());
      expect(b.seq).toBe(2);
      expect(b.prevHash).toBe(a!.hash);
      expect((await store.audit.verify()).ok).toBe(true);
    });
  });

  describe("verify", () => {
    it("an empty log is intact", async () => {
      expect(await store.audit.verify()).toEqual({ ok: true, records: 0, head: GENESIS_HASH });
    });

    it("an untouched log is intact, with the last hash as head", async () => {
      const records = await appendMany(25);
      expect(await store.audit.verify()).toEqual({ ok: true, records: 25, head: records[24]!.hash });
    });

    const cases: [string, number, RegExp, (records: AuditRecord[]) => string[]][] = [
      [
        "a changed field in the stored entry",
        3,
        /record 3 was changed/,
        (r) => [`UPDATE audit_log SET entry = ${lit(JSON.stringify({ ...JSON.parse(canonicalJson(strip(r[2]!))), decision: "deny" }))} WHERE seq = 3`],
      ],
      ["a changed filter column", 3, /record 3 was changed: its subject column/, () => [`UPDATE audit_log SET subject = 'mallory' WHERE seq = 3`]],
      ["a deleted record in the middle", 3, /record 3 is missing/, () => [`DELETE FROM audit_log WHERE seq = 3`]],
      ["deleted records in the middle", 2, /records 2\.\.3 are missing/, () => [`DELETE FROM audit_log WHERE seq IN (2, 3)`]],
      ["a deleted last record (truncation)", 5, /record 5 is missing \(the log was truncated\)/, () => [`DELETE FROM audit_log WHERE seq = 5`]],
      ["a deleted first record", 1, /record 1 is missing/, () => [`DELETE FROM audit_log WHERE seq = 1`]],
      [
        "two records' contents swapped",
        2,
        /record 2 was changed/,
        (r) => [
          `UPDATE audit_log SET decision_id = 'tmp' WHERE seq = 4`,
          ...setContent(2, r[3]!),
          ...setContent(4, r[1]!),
        ],
      ],
      [
        "two whole records swapped, hashes too",
        2,
        /record 2 was changed|record 1 was rewritten/,
        (r) => [`UPDATE audit_log SET decision_id = 'tmp' WHERE seq = 4`, ...setRow(2, r[3]!), ...setRow(4, r[1]!)],
      ],
      ["a changed hash", 3, /record 3 was changed/, () => [`UPDATE audit_log SET hash = '${"f".repeat(64)}' WHERE seq = 3`]],
      ["a changed prevHash", 3, /record 3 was changed/, () => [`UPDATE audit_log SET prev_hash = '${"e".repeat(64)}' WHERE seq = 3`]],
      [
        "a record rewritten with its hash recomputed",
        3,
        /record 3 was rewritten/,
        (r) => {
          const forged = { ...strip(r[2]!), reasons: ["forged"] };
          return [`UPDATE audit_log SET entry = ${lit(canonicalJson(forged))}, hash = ${lit(recordHash(r[2]!.prevHash, forged, 3))} WHERE seq = 3`];
        },
      ],
      [
        "the last record rewritten with its hash recomputed",
        5,
        /chain head's hash/,
        (r) => {
          const forged = { ...strip(r[4]!), reasons: ["forged"] };
          return [`UPDATE audit_log SET entry = ${lit(canonicalJson(forged))}, hash = ${lit(recordHash(r[4]!.prevHash, forged, 5))} WHERE seq = 5`];
        },
      ],
      [
        "a record added outside the store",
        6,
        /records after 5 are not in the chain head/,
        (r) => {
          const forged = { ...strip(r[4]!), decisionId: "forged" };
          const hash = recordHash(r[4]!.hash, forged, 6);
          return [
            `INSERT INTO audit_log (seq, decision_id, time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash)
             SELECT 6, 'forged', time, time_ms, subject, repository, connection, decision, ${lit(canonicalJson(forged))}, hash, ${lit(hash)} FROM audit_log WHERE seq = 5`,
          ];
        },
      ],
      ["the chain head emptied", 6, /head is missing/, () => [`DELETE FROM audit_head`]],
    ];
    for (const [what, brokenAt, problem, tamper] of cases) {
      it(`detects ${what}`, async () => {
        const records = await appendMany(5);
        expect((await store.audit.verify()).ok).toBe(true);
        for (const statement of tamper(records)) await h.sql(statement);
        const result = await store.audit.verify();
        expect(result).toMatchObject({ ok: false, brokenAt });
        if (!result.ok) expect(result.problem).toMatch(problem);
      });
    }
  });

  describe("concurrency", () => {
    it("appends made together are committed together, and a bad one among them fails alone", async () => {
      const first = await store.audit.append(entry());
      const batch = [entry(), entry({ decisionId: first.decisionId }), entry(), entry({ decision: "nope" as "deny" }), entry()];
      const results = await Promise.allSettled(batch.map((e) => store.audit.append(e)));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
      const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(ok.map((r) => r.seq)).toEqual([2, 3, 4]);
      expect((await store.audit.query({})).map((r) => r.decisionId)).toEqual([first.decisionId, batch[0]!.decisionId, batch[2]!.decisionId, batch[4]!.decisionId]);
      expect(await store.audit.verify()).toEqual({ ok: true, records: 4, head: ok[2]!.hash });
    });

    it("200 concurrent appends from two instances make one valid chain of 200", async () => {
      const other = await h.open();
      const entries = Array.from({ length: 200 }, () => entry());
      const records = await Promise.all(entries.map((e, i) => (i % 2 === 0 ? store : other).audit.append(e)));
      expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const all = await store.audit.query({ limit: 1000 });
      expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(new Set(all.map((r) => r.decisionId))).toEqual(new Set(entries.map((e) => e.decisionId)));
      const v = await other.audit.verify();
      expect(v).toEqual({ ok: true, records: 200, head: all[199]!.hash });
    });
  });
}

function strip(r: AuditRecord): AuditEntry {
  const { seq: _s, prevHash: _p, hash: _h, ...e } = r;
  return e;
}

function columns(r: AuditRecord): string {
  return [
    `decision_id = ${lit(r.decisionId)}`,
    `time = ${lit(r.time)}`,
    `time_ms = ${Date.parse(r.time)}`,
    `subject = ${r.subject === null ? "NULL" : lit(r.subject)}`,
    `repository = ${r.repository === null ? "NULL" : lit(r.repository)}`,
    `connection = ${r.connection === null ? "NULL" : lit(r.connection)}`,
    `decision = ${lit(r.decision)}`,
    `entry = ${lit(canonicalJson(strip(r)))}`,
  ].join(", ");
}

/** Puts `r`'s entry at `seq`, keeping that row's hashes. */
function setContent(seq: number, r: AuditRecord): string[] {
  return [`UPDATE audit_log SET ${columns(r)} WHERE seq = ${seq}`];
}

/** Puts all of `r` but its seq at `seq`. */
function setRow(seq: number, r: AuditRecord): string[] {
  return [`UPDATE audit_log SET ${columns(r)}, prev_hash = ${lit(r.prevHash)}, hash = ${lit(r.hash)} WHERE seq = ${seq}`];
}
