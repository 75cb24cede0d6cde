// The session store's behaviour, shared by SQLite and PostgreSQL: run by sessions-sqlite.test.ts and
// sessions-postgres.test.ts.
import { expect, it } from "vitest";
import { freshStoreEachTest } from "./contract.js";
import type { SessionExchange } from "../sessions-types.js";
import type { Store } from "../types.js";

export interface SessionHarness {
  /** Opens a store on a fresh database (again: a second instance on the same one). */
  open(): Promise<Store>;
  sql(text: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

let counter = 0;

export function sessionExchange(over: Partial<SessionExchange> & { minute?: number } = {}): SessionExchange {
  counter++;
  const { minute, ...rest } = over;
  return {
    sessionId: "acme/app/1/1",
    decisionId: `x-${process.pid}-${Date.now().toString(36)}-${counter}`,
    time: new Date(Date.UTC(2026, 10, 21, 12, minute ?? 0, counter % 60)).toISOString(),
    subject: "repo:acme/app:ref:refs/heads/main",
    repository: "acme/app",
    connection: "claude",
    request: { method: "POST", path: "/claude/v1/messages", headers: { "content-type": "application/json" }, body: { json: { model: "m1", messages: [{ role: "user", content: `hi ${counter}` }] }, truncated: false, size: 60 } },
    response: { status: 200, headers: {}, body: { json: { content: [{ type: "text", text: "hello" }] }, truncated: false, size: 40 } },
    input: { llm: { model: "m1", messages: [{ role: "user", text: `hi ${counter}` }] } },
    decision: { outcome: "allow", reasons: [], revision: "rev-a", entrypoint: ["guard", "claude", "decision"] },
    toolDecisions: [],
    timings: { authMs: 1, evaluationMs: 0.5, upstreamMs: 10, totalMs: 12 },
    ...rest,
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 12, minute, 0)).toISOString();

export function sessionStoreContract(make: () => Promise<SessionHarness>): void {
  let h: SessionHarness;
  let store: Store;
  freshStoreEachTest(make, (x, s) => ((h = x), (store = s)));

  it("records schema version 3 (sessions) and creates its tables", async () => {
    const versions = (await h.sql("SELECT version FROM schema_migrations ORDER BY version")).map((r) => Number(r.version));
    expect(versions).toContain(1);
    expect(versions).toContain(3);
    expect(await h.sql("SELECT count(*) AS n FROM session_exchanges")).toEqual([{ n: expect.anything() }]);
  });

  it("appends exchanges and shows a session's exchanges in order, as they were", async () => {
    const xs = [1, 2, 3].map((m) => sessionExchange({ time: at(m) }));
    const seqs = await store.sessions.append(xs);
    expect(seqs).toHaveLength(3);
    expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
    const back = await store.sessions.exchanges("acme/app/1/1");
    expect(back.map((x) => x.decisionId)).toEqual(xs.map((x) => x.decisionId));
    expect(back.map((x) => x.seq)).toEqual(seqs);
    const { seq, bytes, ...first } = back[0]!;
    expect(first).toEqual(xs[0]);
    expect(seq).toBe(seqs[0]);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(xs[0])));
    expect(await store.sessions.exchanges("no/such/session")).toEqual([]);
  });

  it("lists sessions, most recently active first, with their counts", async () => {
    await store.sessions.append([
      sessionExchange({ sessionId: "s-a", time: at(1) }),
      sessionExchange({ sessionId: "s-a", time: at(5), decision: { outcome: "deny", reasons: ["no"], revision: "r", entrypoint: ["x"] } }),
      sessionExchange({ sessionId: "s-b", time: at(3), subject: "other", repository: "acme/web" }),
    ]);
    await store.sessions.append([sessionExchange({ sessionId: "s-a", time: at(2), decision: { outcome: "error", reasons: ["e"], revision: "r", entrypoint: ["x"] } })]);
    const list = await store.sessions.list();
    expect(list.map((s) => s.id)).toEqual(["s-a", "s-b"]);
    expect(list[0]).toMatchObject({ id: "s-a", subject: "repo:acme/app:ref:refs/heads/main", repository: "acme/app", firstTime: at(1), lastTime: at(5), exchanges: 3, denied: 2 });
    expect(list[0]!.bytes).toBeGreaterThan(0);
    expect(list[1]).toMatchObject({ id: "s-b", subject: "other", repository: "acme/web", firstTime: at(3), lastTime: at(3), exchanges: 1, denied: 0 });
    expect((await store.sessions.list({ repository: "acme/web" })).map((s) => s.id)).toEqual(["s-b"]);
    expect((await store.sessions.list({ subject: "other" })).map((s) => s.id)).toEqual(["s-b"]);
    expect((await store.sessions.list({ since: at(4) })).map((s) => s.id)).toEqual(["s-a"]);
    expect((await store.sessions.list({ until: at(2) })).map((s) => s.id)).toEqual(["s-a"]);
    expect((await store.sessions.list({ limit: 1 })).map((s) => s.id)).toEqual(["s-a"]);
    const stats = await store.sessions.stats();
    expect(stats).toMatchObject({ sessions: 2, exchanges: 4 });
    expect(stats.bytes).toBe(list[0]!.bytes + list[1]!.bytes);
  });

  it("keeps the same summaries for a batch as for its exchanges appended one by one (out of order, ties included)", async () => {
    const deny = { outcome: "deny" as const, reasons: ["no"], revision: "r", entrypoint: ["x"] };
    const plan: [string, number, boolean][] = [["b", 5, false], ["a", 3, true], ["b", 2, false], ["a", 3, false], ["b", 9, true], ["a", 1, false], ["b", 9, false], ["c", 4, false], ["a", 1, true]];
    const make = (prefix: string) => plan.map(([s, m, denied], i) => sessionExchange({ sessionId: `${prefix}-${s}`, time: at(m), subject: `who-${i}`, ...(denied ? { decision: deny } : {}) }));
    await store.sessions.append(make("batch"));
    for (const x of make("alone")) await store.sessions.append([x]);
    // (bytes: each session's exchanges, whose ids and texts differ between the two runs)
    const summaries = (prefix: string) => store.sessions.list({ limit: 100 }).then((l) => l.filter((s) => s.id.startsWith(`${prefix}-`)).map(({ bytes: _, ...s }) => ({ ...s, id: s.id.slice(prefix.length) })));
    const batch = await summaries("batch");
    expect(batch).toHaveLength(3);
    expect(batch).toEqual(await summaries("alone"));
    expect(batch.find((s) => s.id === "-a")).toMatchObject({ firstTime: at(1), lastTime: at(3), exchanges: 4, denied: 2, subject: "who-1" });
    for (const s of (await store.sessions.list({ limit: 100 })).filter((x) => x.id.startsWith("batch-"))) {
      expect(s.bytes).toBe((await store.sessions.exchanges(s.id)).reduce((n, x) => n + x.bytes, 0));
    }
  });

  it("queries exchanges across sessions: by session, by time, the newest N oldest first", async () => {
    const xs = [sessionExchange({ sessionId: "q1", time: at(1) }), sessionExchange({ sessionId: "q2", time: at(2) }), sessionExchange({ sessionId: "q1", time: at(3) })];
    await store.sessions.append(xs);
    expect((await store.sessions.query()).map((x) => x.decisionId)).toEqual(xs.map((x) => x.decisionId));
    expect((await store.sessions.query({ sessionIds: ["q1"] })).map((x) => x.decisionId)).toEqual([xs[0]!.decisionId, xs[2]!.decisionId]);
    expect(await store.sessions.query({ sessionIds: [] })).toEqual([]);
    expect((await store.sessions.query({ since: at(2) })).map((x) => x.decisionId)).toEqual([xs[1]!.decisionId, xs[2]!.decisionId]);
    expect((await store.sessions.query({ until: at(2) })).map((x) => x.decisionId)).toEqual([xs[0]!.decisionId]);
    expect((await store.sessions.query({ limit: 2 })).map((x) => x.decisionId)).toEqual([xs[1]!.decisionId, xs[2]!.decisionId]);
  });

  it("appends a batch all or nothing: a repeated decision id fails and leaves nothing behind", async () => {
    const a = sessionExchange({ sessionId: "dup" });
    await store.sessions.append([a]);
    await expect(store.sessions.append([sessionExchange({ sessionId: "dup" }), { ...a }])).rejects.toThrow();
    expect((await store.sessions.exchanges("dup")).map((x) => x.decisionId)).toEqual([a.decisionId]);
    expect((await store.sessions.list())[0]).toMatchObject({ id: "dup", exchanges: 1 });
    await expect(store.sessions.append([{ ...sessionExchange(), time: "not a time" }])).rejects.toThrow(/ISO 8601/);
  });

  it("prunes by age: sessions last active before the limit, whole", async () => {
    await store.sessions.append([
      sessionExchange({ sessionId: "old", time: at(0) }),
      sessionExchange({ sessionId: "old", time: at(10) }),
      sessionExchange({ sessionId: "mixed", time: at(5) }),
      sessionExchange({ sessionId: "mixed", time: at(50) }),
      sessionExchange({ sessionId: "new", time: at(55) }),
    ]);
    const now = Date.parse(at(60));
    const r = await store.sessions.prune({ maxAgeMs: 30 * 60_000, now });
    expect(r).toMatchObject({ sessions: 1, exchanges: 2 });
    expect((await store.sessions.list()).map((s) => s.id).sort()).toEqual(["mixed", "new"]);
    expect(await store.sessions.exchanges("old")).toEqual([]);
    expect(await store.sessions.exchanges("mixed")).toHaveLength(2);
    expect(await store.sessions.prune({ maxAgeMs: 30 * 60_000, now })).toEqual({ sessions: 0, exchanges: 0, bytes: 0 });
  });

  it("prunes by size: the least recently active sessions first, until the rest fit", async () => {
    for (let i = 0; i < 6; i++) await store.sessions.append([sessionExchange({ sessionId: `size-${i}`, time: at(i) }), sessionExchange({ sessionId: `size-${i}`, time: at(i) })]);
    const before = await store.sessions.stats();
    const per = before.bytes / 6;
    const max = Math.floor(per * 2.5);
    const r = await store.sessions.prune({ maxBytes: max });
    expect(r.sessions).toBe(4);
    expect(r.exchanges).toBe(8);
    const after = await store.sessions.stats();
    expect(after.bytes).toBeLessThanOrEqual(max);
    expect(after.bytes + r.bytes).toBe(before.bytes);
    expect((await store.sessions.list()).map((s) => s.id)).toEqual(["size-5", "size-4"]);
    expect(Number((await h.sql("SELECT count(*) AS n FROM session_exchanges"))[0]!.n)).toBe(4);
    expect(await store.sessions.prune({})).toEqual({ sessions: 0, exchanges: 0, bytes: 0 });
  });

  it("two instances appending to one session at once keep one summary", async () => {
    const other = await h.open();
    const writes: Promise<number[]>[] = [];
    for (let i = 0; i < 40; i++) writes.push((i % 2 === 0 ? store : other).sessions.append([sessionExchange({ sessionId: "shared", time: at(i % 60) })]));
    await Promise.all(writes);
    const [s] = await store.sessions.list();
    expect(s).toMatchObject({ id: "shared", exchanges: 40, firstTime: at(0), lastTime: at(39) });
    expect(await other.sessions.exchanges("shared")).toHaveLength(40);
    expect(s!.bytes).toBe((await store.sessions.exchanges("shared")).reduce((n, x) => n + x.bytes, 0));
  });
}
