import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store, StoredExchange } from "../store/types.js";
import { SessionRecorder } from "./recorder.js";
import { replaySessions } from "./replay.js";
import { bundleOf, exchange, writeBundle } from "./test/fixtures.js";

// A allows m1 and m2 and every tool; B allows only m1 and denies the bash tool; C = A with another revision
const A = bundleOf(writeBundle(["m1", "m2"]));
const B = bundleOf(writeBundle(["m1"], ["bash"]));
const C = bundleOf(writeBundle(["m1", "m2", "m3"]));

describe("replaySessions", () => {
  let store: Store;
  let recorded: StoredExchange[];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = await openSqliteStore(":memory:");
    const r = new SessionRecorder(store.sessions);
    const xs = {
      m1: exchange(A, { model: "m1", tools: ["bash", "read"] }),
      m2: exchange(A, { model: "m2" }),
      m3: exchange(A, { model: "m3" }),
    };
    for (const [k, x] of Object.entries(xs)) {
      ids[k] = x.decisionId;
      expect(await r.record(x)).toBe(true);
    }
    await r.close();
    recorded = await store.sessions.exchanges("acme/app/4242/1");
    expect(recorded.map((x) => x.decision.outcome)).toEqual(["allow", "allow", "deny"]);
  });
  afterAll(async () => {
    await store.close();
  });

  it("reports no change with the bundle that decided", () => {
    const r = replaySessions(recorded, A);
    expect(r).toMatchObject({ revision: A.revision, exchanges: 3, decisions: 5, changes: [], skipped: [] });
  });

  it("reports every decision that would change, with the exchange id", () => {
    const r = replaySessions(recorded, B);
    expect(r.changes).toHaveLength(2);
    expect(r.changes[0]).toMatchObject({
      exchangeId: ids.m1,
      sessionId: "acme/app/4242/1",
      kind: "allow->deny",
      tool: { id: expect.stringMatching(/^toolu_/), name: "bash" },
      recorded: { outcome: "allow", reasons: [], revision: A.revision },
      candidate: { outcome: "deny", reasons: ["tool bash is denied"], revision: B.revision },
    });
    expect(r.changes[1]).toMatchObject({
      exchangeId: ids.m2,
      kind: "allow->deny",
      tool: null,
      request: "POST /claude/v1/messages",
      candidate: { outcome: "deny", reasons: ["model m2 is not allowed"] },
    });
    expect(r.changes[1]!.seq).toBe(recorded[1]!.seq);
  });

  it("reports deny->allow", () => {
    const r = replaySessions(recorded, C);
    expect(r.changes.map((c) => [c.exchangeId, c.kind])).toEqual([[ids.m3, "deny->allow"]]);
    expect(r.changes[0]!.recorded).toMatchObject({ outcome: "deny", reasons: ["model m3 is not allowed"] });
  });

  it("reports changed reasons when the outcome stays, and skips what it cannot replay", () => {
    const x = recorded[2]!;
    const changed = { ...x, decision: { ...x.decision, reasons: ["some older reason"] } };
    const noInput = { ...recorded[0]!, decisionId: "no-input", input: null };
    const r = replaySessions([changed, noInput], A);
    expect(r.changes).toMatchObject([{ kind: "reasons", recorded: { reasons: ["some older reason"] }, candidate: { reasons: ["model m3 is not allowed"] } }]);
    expect(r.skipped).toEqual([{ exchangeId: "no-input", sessionId: "acme/app/4242/1", reason: expect.stringMatching(/not kept/) }]);
  });

  it("an evaluation error in the candidate counts as a deny", () => {
    const broken = { ...recorded[0]!, decision: { ...recorded[0]!.decision, entrypoint: ["guard", "nothing", "here"] }, toolDecisions: [] };
    const r = replaySessions([broken], A);
    expect(r.changes).toMatchObject([{ kind: "allow->deny", candidate: { outcome: "deny", reasons: [expect.stringMatching(/undefined/)] } }]);
  });
});

describe("replaySessions on a masked input", () => {
  it("says so on each change", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      const r = new SessionRecorder(store.sessions);
      await r.record({ ...exchange(A, { model: "m2" }), inputMasked: true });
      await r.close();
      const [x] = await store.sessions.exchanges("acme/app/4242/1");
      expect(x!.inputMasked).toBe(true);
      expect(replaySessions([x!], B).changes).toMatchObject([{ kind: "allow->deny", inputMasked: true }]);
    } finally {
      await store.close();
    }
  });
});
