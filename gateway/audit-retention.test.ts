// AuditRetention: the gateway's audit.max_age, pruning batch after batch to the cutoff, one run at a time, failures
// reported and never thrown.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { AuditRetention } from "./audit-retention.js";
import { messages, startHarness } from "./test/harness.js";
import { openSqliteStore } from "./store/sqlite.js";
import { entry } from "./store/test/contract.js";
import type { AuditLog, AuditPruneResult } from "./store/types.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12);

describe("AuditRetention", () => {
  it("removes the records older than max_age, in batches, and verify checks the rest", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      for (let d = 40; d >= 1; d--) await store.audit.append(entry({ time: new Date(NOW - d * DAY).toISOString() }));
      const pruned: [number, number][] = [];
      const retention = new AuditRetention(store.audit, { maxAgeMs: 30 * DAY, batch: 4, now: () => NOW, onPruned: (n, cp) => pruned.push([n, cp.seq]) });
      // days 40..31 are older than 30 days: records 1..10, in batches of 4
      expect(await retention.run()).toBe(10);
      expect(pruned).toEqual([
        [4, 4],
        [4, 8],
        [2, 10],
      ]);
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 30, removedThrough: 10 });
      expect(await retention.run()).toBe(0);
      await retention.close();
    } finally {
      await store.close();
    }
  });

  it("runs one prune at a time: a call while one runs gets that run", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const log = {
      prune: async (): Promise<AuditPruneResult> => {
        calls++;
        await gate;
        return { removed: 0, checkpoint: null };
      },
    } as unknown as AuditLog;
    const retention = new AuditRetention(log, { maxAgeMs: DAY });
    const a = retention.run();
    const b = retention.run();
    expect(b).toBe(a);
    release();
    await a;
    expect(calls).toBe(1);
    await retention.run();
    expect(calls).toBe(2);
  });

  it("reports a failing prune instead of throwing, and stops that run", async () => {
    const errors: string[] = [];
    let calls = 0;
    const log = {
      prune: async (): Promise<AuditPruneResult> => {
        calls++;
        throw new Error("audit retention stopped: the records it would remove do not verify");
      },
    } as unknown as AuditLog;
    const retention = new AuditRetention(log, { maxAgeMs: DAY, onError: (e) => errors.push(e.message) });
    expect(await retention.run()).toBe(0);
    expect(calls).toBe(1);
    expect(errors).toEqual(["audit retention stopped: the records it would remove do not verify"]);
  });

  it("prunes when started and every interval, until closed", async () => {
    const cutoffs: string[] = [];
    let now = NOW;
    const log = {
      prune: async (before: string): Promise<AuditPruneResult> => {
        cutoffs.push(before);
        return { removed: 0, checkpoint: null };
      },
    } as unknown as AuditLog;
    const retention = new AuditRetention(log, { maxAgeMs: DAY, intervalMs: 20, now: () => now });
    retention.start();
    expect(cutoffs).toEqual([new Date(NOW - DAY).toISOString()]);
    now += 1000;
    await new Promise((r) => setTimeout(r, 70));
    expect(cutoffs.length).toBeGreaterThanOrEqual(2);
    expect(cutoffs[1]).toBe(new Date(NOW + 1000 - DAY).toISOString());
    await retention.close();
    const after = cutoffs.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(cutoffs.length).toBe(after);
  });

  it("runs in the gateway with audit.max_age: the old records go when it starts, and the chain goes on", async () => {
    const logs = new PassThrough();
    let logged = "";
    logs.on("data", (c: Buffer) => (logged += c.toString()));
    const old = Date.now() - 40 * DAY;
    const h = await startHarness({
      config: { audit: { max_age: "30d" } },
      logStream: logs,
      seed: async (store) => {
        for (let i = 0; i < 3; i++) await store.audit.append(entry({ time: new Date(old + i * 1000).toISOString() }));
        await store.audit.append(entry({ time: new Date(Date.now() - DAY).toISOString() }));
      },
    });
    try {
      await expect.poll(async () => (await h.store.audit.verify()) as unknown, { timeout: 5000 }).toMatchObject({ ok: true, records: 1, removedThrough: 3 });
      const res = await fetch(`${h.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await h.token()}`, "content-type": "application/json" }, body: messages() });
      expect(res.status).toBe(200);
      await expect.poll(async () => (await h.store.audit.verify()) as unknown, { timeout: 5000 }).toMatchObject({ ok: true, records: 2, removedThrough: 3 });
      const line = logged.split("\n").find((l) => l.includes("audit retention removed old records"));
      expect(JSON.parse(line!)).toMatchObject({ removed: 3, through: 3, throughTime: new Date(old + 2000).toISOString() });
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(metrics).toMatch(/^guard_audit_pruned_records_total 3$/m);
      expect(metrics).toMatch(/^guard_audit_prune_failures_total 0$/m);
    } finally {
      await h.close();
    }
  });
});
