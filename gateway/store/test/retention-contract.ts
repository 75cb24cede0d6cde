// Audit retention, the behaviour both stores must have (run by sqlite.test.ts and postgres.test.ts): prune removes
// the oldest records before a cutoff, only ones that verify, and keeps a checkpoint that verify starts from; any
// other deletion or change is still detected.
import { describe, expect, it } from "vitest";
import type { AuditRecord, Store } from "../types.js";
import { entry, freshStoreEachTest, lit, type StoreHarness } from "./contract.js";

const BASE = Date.UTC(2026, 0, 1);
const hour = (h: number) => new Date(BASE + h * 3_600_000).toISOString();

export function auditRetentionContract(make: () => Promise<StoreHarness>): void {
  describe("audit retention", () => {
    let h: StoreHarness;
    let store: Store;
    freshStoreEachTest(make, (x, s) => ((h = x), (store = s)));

    /** One record per hour given (its time). */
    async function appendAt(hours: number[]): Promise<AuditRecord[]> {
      const out: AuditRecord[] = [];
      for (const x of hours) out.push(await store.audit.append(entry({ time: hour(x) })));
      return out;
    }

    it("removes the records before the cutoff, keeps the last one as the checkpoint, and verify checks the rest", async () => {
      const records = await appendAt([1, 2, 3, 4, 5, 6]);
      const r = await store.audit.prune(hour(4));
      expect(r.removed).toBe(3);
      expect(r.checkpoint).toMatchObject({ seq: 3, hash: records[2]!.hash, time: records[2]!.time });
      expect(Date.parse(r.checkpoint!.prunedAt)).not.toBeNaN();
      expect((await store.audit.query({})).map((x) => x.seq)).toEqual([4, 5, 6]);
      expect(await store.audit.verify()).toEqual({ ok: true, records: 3, head: records[5]!.hash, removedThrough: 3 });
      // the chain goes on from its head
      const next = await store.audit.append(entry({ time: hour(7) }));
      expect(next).toMatchObject({ seq: 7, prevHash: records[5]!.hash });
      expect(await store.audit.verify()).toEqual({ ok: true, records: 4, head: next.hash, removedThrough: 3 });
    });

    it("removes nothing when the oldest record is not before the cutoff", async () => {
      await appendAt([5, 6]);
      expect(await store.audit.prune(hour(5))).toEqual({ removed: 0, checkpoint: null });
      expect((await store.audit.verify()).ok).toBe(true);
      expect(await store.audit.prune(new Date(0).toISOString())).toEqual({ removed: 0, checkpoint: null });
    });

    it("stops at the first record not before the cutoff, even when later ones are older (only a prefix goes)", async () => {
      await appendAt([1, 9, 2, 3]);
      const r = await store.audit.prune(hour(5));
      expect(r).toMatchObject({ removed: 1, checkpoint: { seq: 1 } });
      expect((await store.audit.query({})).map((x) => x.seq)).toEqual([2, 3, 4]);
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 3, removedThrough: 1 });
    });

    it("removes at most `limit` records a call; the next call goes on from the checkpoint", async () => {
      await appendAt([1, 2, 3, 4, 5, 9]);
      const removed: number[] = [];
      for (let i = 0; i < 4; i++) removed.push((await store.audit.prune(hour(8), 2)).removed);
      expect(removed).toEqual([2, 2, 1, 0]);
      expect((await store.audit.prune(hour(8), 2)).checkpoint).toMatchObject({ seq: 5 });
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 1, removedThrough: 5 });
    });

    it("can remove every record: the empty log is intact and the chain goes on", async () => {
      const records = await appendAt([1, 2, 3]);
      expect((await store.audit.prune(hour(10))).removed).toBe(3);
      expect(await store.audit.verify()).toEqual({ ok: true, records: 0, head: records[2]!.hash, removedThrough: 3 });
      const next = await store.audit.append(entry({ time: hour(11) }));
      expect(next).toMatchObject({ seq: 4, prevHash: records[2]!.hash });
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 1, removedThrough: 3 });
    });

    it("refuses to remove records that do not verify, and removes nothing", async () => {
      await appendAt([1, 2, 3, 4]);
      await h.sql(`UPDATE audit_log SET entry = replace(entry, '"allow"', '"deny"') WHERE seq = 2`);
      await expect(store.audit.prune(hour(10))).rejects.toThrow(/do not verify: record 2 was changed/);
      expect((await store.audit.query({})).map((x) => x.seq)).toEqual([1, 2, 3, 4]);
      expect(await h.sql("SELECT seq FROM audit_checkpoint")).toEqual([]);
      // a record deleted in the middle: the same
      await h.sql(`UPDATE audit_log SET entry = replace(entry, '"deny"', '"allow"') WHERE seq = 2`);
      await h.sql("DELETE FROM audit_log WHERE seq = 3");
      await expect(store.audit.prune(hour(10))).rejects.toThrow(/record 3 is missing/);
      expect((await store.audit.query({})).map((x) => x.seq)).toEqual([1, 2, 4]);
    });

    it("rejects a cutoff that is not a time, and a limit that is not a whole number of at least 1 (removing nothing)", async () => {
      await appendAt([1, 2]);
      await expect(store.audit.prune("last tuesday")).rejects.toThrow(/not an ISO 8601 time/);
      for (const limit of [0, -1, 1.5, Number.NaN]) await expect(store.audit.prune(hour(10), limit)).rejects.toThrow(/limit must be a whole number of at least 1/);
      expect((await store.audit.query({})).length).toBe(2);
    });

    const tampering: [string, number, RegExp, string[]][] = [
      ["the checkpoint deleted", 1, /records 1\.\.2 are missing/, ["DELETE FROM audit_checkpoint"]],
      ["the checkpoint's hash changed", 3, /retention checkpoint keeps for record 2/, [`UPDATE audit_checkpoint SET hash = ${lit("0".repeat(64))}`]],
      ["the checkpoint moved forward over a kept record", 4, /record 4's prevHash/, ["UPDATE audit_checkpoint SET seq = 3", "DELETE FROM audit_log WHERE seq = 3"]],
      ["a kept record deleted", 3, /record 3 is missing/, ["DELETE FROM audit_log WHERE seq = 3"]],
      ["the first kept record changed", 3, /record 3 was changed/, [`UPDATE audit_log SET entry = replace(entry, '"allow"', '"deny"') WHERE seq = 3`]],
      [
        "a record put back below the checkpoint (query would show it)",
        2,
        /record 2 is in the log although retention removed records 1\.\.2/,
        [
          `INSERT INTO audit_log (seq, decision_id, time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash)
           SELECT 2, 'forged-old', time, time_ms, subject, repository, connection, decision, entry, prev_hash, hash FROM audit_log WHERE seq = 3`,
        ],
      ],
    ];
    for (const [what, brokenAt, problem, statements] of tampering) {
      it(`after a prune, verify still detects ${what}`, async () => {
        await appendAt([1, 2, 3, 4, 5]);
        expect((await store.audit.prune(hour(3))).removed).toBe(2);
        for (const s of statements) await h.sql(s);
        const v = await store.audit.verify();
        expect(v).toMatchObject({ ok: false, brokenAt });
        if (!v.ok) expect(v.problem).toMatch(problem);
      });
    }

    it("prunes while appends go on (another instance too): one intact chain", async () => {
      await appendAt(Array.from({ length: 40 }, (_, i) => i / 10));
      const other = await h.open();
      const [, pruned] = await Promise.all([
        Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? store : other).audit.append(entry({ time: hour(100 + i) })))),
        (async () => {
          let n = 0;
          for (;;) {
            const r = await other.audit.prune(hour(50), 7);
            n += r.removed;
            if (r.removed < 7) return n;
          }
        })(),
      ]);
      expect(pruned).toBe(40);
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 60, removedThrough: 40 });
    });
  });
}
