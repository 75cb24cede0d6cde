import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite.js";
import type { SessionStore, StoredExchange } from "../store/sessions-types.js";
import type { Store } from "../store/types.js";
import { ResponseCapture } from "./capture.js";
import { reassembleSse, recordedBody, SessionRecorder, sessionIdOf, type ExchangeRecord } from "./recorder.js";
import { bundleOf, exchange, identity, writeBundle } from "./test/fixtures.js";

const bundle = bundleOf(writeBundle(["m1", "m2"]));

describe("sessionIdOf", () => {
  const day = new Date("2026-11-21T23:59:00Z");
  it("names a CI run from the verified claims", () => {
    expect(sessionIdOf(identity(), {}, day)).toBe("acme/app/4242/1");
    expect(sessionIdOf(identity({ run_attempt: "3" }), { "x-guard-session": "mine" }, day)).toBe("acme/app/4242/3");
    expect(sessionIdOf(identity({ run_attempt: null }), {}, day)).toBe("acme/app/4242/1");
  });
  it("else takes a valid x-guard-session header, scoped to the subject", () => {
    const who = identity({ run_id: null });
    expect(sessionIdOf(who, { "x-guard-session": "deploy-7" }, day)).toBe("repo:acme/app:ref:refs/heads/main/deploy-7");
    expect(sessionIdOf(who, { "x-guard-session": ["a", "b"] }, day)).toBe("repo:acme/app:ref:refs/heads/main/a");
  });
  it("else one per subject and UTC day; a bad header is ignored", () => {
    const who = identity({ run_id: null, repository: null });
    for (const bad of ["", "with space", "x".repeat(101), "tab\there", "é", "<script>"]) {
      const id = sessionIdOf(who, { "x-guard-session": bad }, day);
      if (bad === "<script>") expect(id).toBe("repo:acme/app:ref:refs/heads/main/<script>"); // printable: kept (and escaped where shown)
      else expect(id).toBe("repo:acme/app:ref:refs/heads/main/2026-11-21");
    }
    expect(sessionIdOf(null, {}, day)).toBe("anonymous/2026-11-21");
  });
});

describe("recordedBody and reassembleSse", () => {
  it("keeps JSON as JSON, text as text, cuts long bodies at a character boundary, never keeps binary", () => {
    expect(recordedBody({ a: 1 }, 100)).toEqual({ json: { a: 1 }, truncated: false, size: 7 });
    expect(recordedBody(Buffer.from('{"a":2}'), 100)).toEqual({ json: { a: 2 }, truncated: false, size: 7 });
    expect(recordedBody("plain", 100)).toEqual({ text: "plain", truncated: false, size: 5 });
    expect(recordedBody(null, 100)).toBeNull();
    const long = recordedBody({ text: "é".repeat(100) }, 21)!;
    expect(long.truncated).toBe(true);
    expect(long.size).toBe(211);
    expect(Buffer.byteLength(long.text!)).toBeLessThanOrEqual(21);
    expect(long.text).toBe(`{"text":"${"é".repeat(6)}`);
    expect(recordedBody(Buffer.from([0xff, 0xfe, 0x00]), 100)).toEqual({ truncated: false, size: 3, binary: true });
  });

  it("reassembles an Anthropic stream: text, tool calls, stop reason", () => {
    const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`;
    const sse =
      ev("message_start", { message: { id: "m" } }) +
      ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
      ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hel" } }) +
      ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "lo" } }) +
      ev("content_block_stop", { index: 0 }) +
      ev("content_block_start", { index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "bash", input: {} } }) +
      ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '{"comm' } }) +
      ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: 'and":"ls"}' } }) +
      ev("content_block_stop", { index: 1 }) +
      ev("message_delta", { delta: { stop_reason: "tool_use" } }) +
      ev("message_stop", {});
    expect(reassembleSse(sse)).toEqual({ text: "Hello", toolCalls: [{ id: "toolu_1", name: "bash", input: { command: "ls" } }], stopReason: "tool_use", error: null });
    expect(reassembleSse("data: not json\n\n")).toBeUndefined();
    expect(reassembleSse(ev("error", { error: { type: "guard_error", message: "tool denied" } }))?.error).toBe("tool denied");
  });
});

describe("SessionRecorder", () => {
  let store: Store;
  let errors: { error: Error; context: unknown }[];
  beforeEach(async () => {
    store = await openSqliteStore(":memory:");
    errors = [];
  });
  afterEach(async () => {
    await store.close();
  });
  const onError = (error: Error, context: unknown) => void errors.push({ error, context });

  it("records an exchange without any credential, in the store", async () => {
    const r = new SessionRecorder(store.sessions, { onError });
    const x = exchange(bundle, { model: "m1", prompt: "hello" });
    expect(await r.record(x)).toBe(true);
    const [back] = await store.sessions.exchanges("acme/app/4242/1");
    expect(back).toMatchObject({ decisionId: x.decisionId, connection: "claude", decision: { outcome: "allow", reasons: [], entrypoint: ["guard", "claude", "decision"] } });
    expect(back!.request.body).toMatchObject({ json: { model: "m1" }, truncated: false });
    expect(back!.response?.status).toBe(200);
    expect((back!.input as { llm: { model: string } }).llm.model).toBe("m1");
    expect(back!.timings).toMatchObject({ authMs: 1, upstreamMs: 20, totalMs: 25 });
    const text = JSON.stringify(back);
    expect(text).not.toMatch(/SECRET/);
    expect(back!.request.headers).toEqual({ "content-type": "application/json" });
    // even when the caller forgets to drop them (fastify's and node's header objects are accepted as they are)
    const incoming: IncomingHttpHeaders = { authorization: "Bearer SECRET", "set-cookie": ["a=SECRET"], accept: "*/*" };
    await r.record({ ...x, decisionId: "again", request: { ...x.request, headers: incoming }, input: { request: { headers: { Authorization: "Bearer SECRET", "x-api-key": "SECRET", accept: "*/*" } } } });
    const again = (await store.sessions.exchanges("acme/app/4242/1"))[1]!;
    expect(again.input).toEqual({ request: { headers: { accept: "*/*" } } });
    expect(again.request.headers).toEqual({ accept: "*/*" });
    expect(errors).toEqual([]);
    await r.close();
  });

  it("cuts bodies to the limit, flags them, and drops an input too large to keep", async () => {
    const r = new SessionRecorder(store.sessions, { onError, maxBodyBytes: 64, maxInputBytes: 100 });
    const x = exchange(bundle, { model: "m1", prompt: "p".repeat(500) });
    await r.record(x);
    const [back] = await store.sessions.exchanges(x.sessionId);
    expect(back!.request.body!.truncated).toBe(true);
    expect(back!.request.body!.text!.length).toBe(64);
    expect(back!.request.body!.size).toBeGreaterThan(500);
    expect(back!.input).toBeNull();
    await r.close();
  });

  it("records a streamed answer reassembled, or the raw stream cut when it is not a Messages stream", async () => {
    const r = new SessionRecorder(store.sessions, { onError, maxBodyBytes: 10 });
    const x = exchange(bundle, { model: "m1" });
    const sse = `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"hi"}}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"}}\n\n`;
    await r.record({ ...x, response: { status: 200, headers: { "content-type": "text/event-stream" }, sse } });
    await r.record({ ...x, decisionId: "raw", response: { status: 200, headers: {}, sse: Buffer.from("data: one\n\ndata: two\n\n") } });
    const [a, b] = await store.sessions.exchanges(x.sessionId);
    expect(a!.response!.stream).toEqual({ text: "hi", toolCalls: [], stopReason: "end_turn", error: null });
    expect(b!.response!.stream).toBeUndefined();
    expect(b!.response!.body).toEqual({ text: "data: one\n", truncated: true, size: 22 });
    await r.close();
  });

  it("never throws into the request path: store failures and bad exchanges go to onError", async () => {
    const failing: SessionStore = { ...store.sessions, append: () => Promise.reject(new Error("disk full")) } as unknown as SessionStore;
    const r = new SessionRecorder(failing, { onError });
    const x = exchange(bundle, { model: "m1" });
    expect(await r.record(x)).toBe(false);
    expect(errors[0]!.error.message).toBe("disk full");
    expect(errors[0]!.context).toEqual({ operation: "record", decisionId: x.decisionId, sessionId: x.sessionId });
    expect(await r.record({ ...x, sessionId: "" })).toBe(false);
    expect(await r.record(null as unknown as ExchangeRecord)).toBe(false);
    expect(errors).toHaveLength(3);
    // a throwing callback is contained too
    const r2 = new SessionRecorder(failing, { onError: () => { throw new Error("callback"); } });
    expect(await r2.record(x)).toBe(false);
    await r.close();
    await r2.close();
    expect(await r.record(x)).toBe(false); // closed
  });

  it("writes concurrent records together; a repeated decision id fails alone", async () => {
    const r = new SessionRecorder(store.sessions, { onError });
    const xs = Array.from({ length: 50 }, (_, i) => exchange(bundle, { model: "m1", sessionId: `s-${i % 5}` }));
    const dup = { ...xs[0]!, sessionId: "s-0" };
    const results = await Promise.all([...xs.map((x) => r.record(x)), r.record(dup)]);
    expect(results.filter((ok) => ok)).toHaveLength(50);
    expect(errors).toHaveLength(1);
    expect(await store.sessions.stats()).toMatchObject({ sessions: 5, exchanges: 50 });
    await r.close();
  });

  it("drops (and reports) records beyond maxPending rather than holding them", async () => {
    const r = new SessionRecorder(store.sessions, { onError, maxPending: 3 });
    const results = await Promise.all(Array.from({ length: 5 }, () => r.record(exchange(bundle, { model: "m1" }))));
    expect(results).toEqual([true, true, true, false, false]);
    expect(errors.map((e) => e.error.message)).toEqual([expect.stringMatching(/waiting/), expect.stringMatching(/waiting/)]);
    await r.close();
  });

  describe("batch window", () => {
    /** The store, counting the batches it is handed. */
    const counted = () => {
      const batches: number[] = [];
      const s: SessionStore = Object.create(store.sessions) as SessionStore;
      s.append = (xs) => (batches.push(xs.length), store.sessions.append(xs));
      return { s, batches };
    };

    it("writes the exchanges of one window in one batch, and the next window's in another", async () => {
      const { s, batches } = counted();
      const r = new SessionRecorder(s, { onError, batchWindowMs: 40 });
      const first = [r.record(exchange(bundle, { model: "m1" }))];
      await new Promise((w) => setTimeout(w, 5));
      first.push(r.record(exchange(bundle, { model: "m1" })), r.record(exchange(bundle, { model: "m1" })));
      expect(batches).toEqual([]); // waiting for the window
      expect(await Promise.all(first)).toEqual([true, true, true]);
      expect(batches).toEqual([3]);
      expect(await r.record(exchange(bundle, { model: "m1" }))).toBe(true);
      expect(batches).toEqual([3, 1]);
      expect(errors).toEqual([]);
      await r.close();
    });

    it("writes a full batch (256) without waiting for the window; the rest waits", async () => {
      const { s, batches } = counted();
      const r = new SessionRecorder(s, { onError, batchWindowMs: 60_000 });
      const full = Array.from({ length: 256 }, () => r.record(exchange(bundle, { model: "m1" })));
      expect(await Promise.all(full)).toEqual(full.map(() => true));
      const late = r.record(exchange(bundle, { model: "m1" }));
      await new Promise((w) => setTimeout(w, 20));
      expect(batches).toEqual([256]);
      await r.close(); // writes what waits, without waiting for the window
      expect(await late).toBe(true);
      expect(batches).toEqual([256, 1]);
      expect(await store.sessions.stats()).toMatchObject({ exchanges: 257 });
    });

    it("flush() writes at once; records made after it wait for a window again", async () => {
      const { s, batches } = counted();
      const r = new SessionRecorder(s, { onError, batchWindowMs: 60_000 });
      const a = r.record(exchange(bundle, { model: "m1" }));
      await r.flush(); // (waiting for the window would time the test out)
      expect(await a).toBe(true);
      void r.record(exchange(bundle, { model: "m1" }));
      await new Promise((w) => setTimeout(w, 20));
      expect(batches).toEqual([1]);
      await r.close();
      expect(batches).toEqual([1, 1]);
    });
  });

  it("enforces retention by size every N appends", async () => {
    const pruned: unknown[] = [];
    const probe = exchange(bundle, { model: "m1", sessionId: "probe" });
    const probeRecorder = new SessionRecorder(store.sessions);
    await probeRecorder.record(probe);
    const per = (await store.sessions.stats()).bytes;
    await store.sessions.prune({ maxBytes: 0 });
    const maxBytes = Math.floor(per * 4.5);
    const r = new SessionRecorder(store.sessions, { onError, onPrune: (p) => pruned.push(p), retention: { maxBytes, pruneEvery: 5 } });
    for (let i = 0; i < 20; i++) await r.record(exchange(bundle, { model: "m1", sessionId: `size-${String(i).padStart(2, "0")}`, time: new Date(Date.UTC(2026, 10, 21, 10, i)) }));
    await r.close();
    const stats = await store.sessions.stats();
    expect(stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(pruned.length).toBeGreaterThan(0);
    const ids = (await store.sessions.list()).map((s) => s.id);
    expect(ids).toContain("size-19"); // the newest are kept
    expect(ids).not.toContain("size-00"); // the oldest went first
    expect(errors).toEqual([]);
  });

  it("enforces retention by age, on a timer too", async () => {
    const now = Date.UTC(2026, 10, 21, 12, 0);
    const r = new SessionRecorder(store.sessions, { onError, now: () => now, retention: { maxAgeMs: 3_600_000, pruneIntervalMs: 20, pruneEvery: 1_000_000 } });
    await r.record(exchange(bundle, { model: "m1", sessionId: "old", time: new Date(now - 2 * 3_600_000) }));
    await r.record(exchange(bundle, { model: "m1", sessionId: "recent", time: new Date(now - 60_000) }));
    expect((await store.sessions.list()).map((s) => s.id).sort()).toEqual(["old", "recent"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.sessions.list()).map((s) => s.id)).toEqual(["recent"]);
    expect(await r.prune()).toEqual({ sessions: 0, exchanges: 0, bytes: 0 });
    await r.close();
  });
});

describe("ResponseCapture", () => {
  const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const pass = async (capture: ResponseCapture, chunks: (string | Buffer)[]): Promise<Buffer> => {
    const out: Buffer[] = [];
    capture.on("data", (c: Buffer) => out.push(c));
    const done = new Promise((resolve) => capture.on("end", resolve));
    for (const c of chunks) capture.write(c);
    capture.end();
    await done;
    return Buffer.concat(out);
  };

  it("passes the answer through unchanged and reassembles a stream split anywhere", async () => {
    const sse =
      ev("message_start", {}) +
      ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
      ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "héllo" } }) +
      ev("content_block_start", { index: 1, content_block: { type: "tool_use", id: "t1", name: "bash", input: {} } }) +
      ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '{"a":1}' } }) +
      ev("message_delta", { delta: { stop_reason: "tool_use" } });
    const bytes = Buffer.from(sse);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const expected = { text: "héllo", toolCalls: [{ id: "t1", name: "bash", input: { a: 1 } }], stopReason: "tool_use", error: null };
    // It fits in maxBytes: kept raw, reassembled where the record is trimmed (off the event loop for SQLite).
    const c = new ResponseCapture({ sse: true });
    expect((await pass(c, chunks)).equals(bytes)).toBe(true);
    expect(c.captured()).toEqual({ sse: bytes, truncated: false, size: bytes.length });
    const store = await openSqliteStore(":memory:");
    try {
      const r = new SessionRecorder(store.sessions);
      const x = exchange(bundle, { model: "m1" });
      expect(await r.record({ ...x, response: { status: 200, headers: { "content-type": "text/event-stream" }, capture: c } })).toBe(true);
      // an event stream that is not the Messages API's: kept as text
      const other = new ResponseCapture({ sse: true });
      await pass(other, ["data: one\n\n", "data: two\n\n"]);
      expect(await r.record({ ...x, decisionId: "other", response: { status: 200, headers: { "content-type": "text/event-stream" }, capture: other } })).toBe(true);
      await r.close();
      const [a, b] = await store.sessions.exchanges(x.sessionId);
      expect(a!.response).toMatchObject({ stream: expected, body: null });
      expect(b!.response).toMatchObject({ body: { text: "data: one\n\ndata: two\n\n", truncated: false, size: 22 } });
    } finally {
      await store.close();
    }
    // Longer than maxBytes, wherever a chunk crosses it: reassembled as it passes, the same record.
    for (const max of [bytes.length - 1, 100, 41]) {
      const long = new ResponseCapture({ sse: true, maxBytes: max });
      expect((await pass(long, chunks)).equals(bytes)).toBe(true);
      expect(long.captured()).toEqual({ stream: reassembleSse(sse, max), truncated: false, size: bytes.length });
      expect(reassembleSse(sse, max)).toEqual(expected);
    }
    const small = new ResponseCapture({ sse: true, maxBytes: 3 });
    await pass(small, [sse]);
    expect(small.captured().stream).toMatchObject({ text: "hél", truncated: true });
  });

  it("keeps the beginning of a long body, whole characters only, and the recorder stores it cut", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      const c = new ResponseCapture({ maxBytes: 8 });
      await pass(c, [Buffer.from("ééééé"), Buffer.from("more")]);
      expect(c.captured()).toEqual({ body: Buffer.from("éééé"), truncated: true, size: 14 });
      const r = new SessionRecorder(store.sessions);
      const x = exchange(bundle, { model: "m1" });
      expect(await r.record({ ...x, response: { status: 200, headers: { "content-type": "text/plain" }, capture: c } })).toBe(true);
      const whole = new ResponseCapture();
      await pass(whole, ['{"content":[{"type":"text","text":"hi"}]}']);
      expect(await r.record({ ...x, decisionId: "whole", response: { status: 200, headers: {}, capture: whole } })).toBe(true);
      await r.close();
      const [a, b] = await store.sessions.exchanges(x.sessionId);
      expect(a!.response!.body).toEqual({ text: "éééé", truncated: true, size: 14 });
      expect(b!.response!.body).toEqual({ json: { content: [{ type: "text", text: "hi" }] }, truncated: false, size: 41 });
    } finally {
      await store.close();
    }
  });
});

describe("SessionRecorder with a store that trims in its writer thread", () => {
  // The file store trims exchanges in its sessions writer thread (appendUntrimmed); the in-memory store has no
  // writer thread, so the recorder trims them on the event loop. Both must store exactly the same exchanges.
  it("stores what trimming on the event loop stores, for every kind of exchange", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-recorder-"));
    const file = await openSqliteStore(join(dir, "guard.db"));
    const memory = await openSqliteStore(":memory:");
    try {
      expect(file.sessions.appendUntrimmed).toBeDefined();
      expect(memory.sessions.appendUntrimmed).toBeUndefined();
      const options = { maxBodyBytes: 200, maxInputBytes: 2_000 };
      const viaThread = new SessionRecorder(file.sessions, options);
      const onLoop = new SessionRecorder(memory.sessions, options);
      const base = exchange(bundle, { model: "m1", prompt: "hello", tools: ["bash"] });
      const sse = `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"hé"}}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"}}\n\n`;
      const captured = async (chunks: string[], sseCapture: boolean, maxBytes = 200) => {
        const capture = new ResponseCapture({ sse: sseCapture, maxBytes });
        const done = new Promise((resolve) => capture.on("finish", resolve));
        for (const c of chunks) capture.write(Buffer.from(c));
        capture.end();
        capture.resume();
        await done;
        return capture;
      };
      const variants: ExchangeRecord[] = [
        base,
        { ...base, decisionId: "buffer-bodies", request: { ...base.request, body: Buffer.from('{"model":"m1","messages":[]}') }, response: { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from('{"ok":true}') } },
        { ...base, decisionId: "binary", request: { ...base.request, body: Buffer.from([0xff, 0xfe, 0x00]) }, response: null },
        { ...base, decisionId: "long", request: { ...base.request, body: "é".repeat(300) }, input: { big: "x".repeat(5_000) } },
        { ...base, decisionId: "sse-string", response: { status: 200, headers: { "content-type": "text/event-stream" }, sse } },
        { ...base, decisionId: "sse-buffer", response: { status: 200, headers: {}, sse: Buffer.from("data: one\n\ndata: two\n\n") } },
        { ...base, decisionId: "captured-sse", response: { status: 200, headers: { "content-type": "text/event-stream" }, capture: await captured([sse.slice(0, 50), sse.slice(50)], true, 400) } },
        { ...base, decisionId: "captured-sse-long", response: { status: 200, headers: { "content-type": "text/event-stream" }, capture: await captured([sse, sse.slice(0, 30), sse.slice(30)], true) } },
        { ...base, decisionId: "captured-json", response: { status: 200, headers: { "content-type": "application/json" }, capture: await captured(['{"a":', '"b"}'], false) } },
        { ...base, decisionId: "captured-cut", response: { status: 200, headers: { "content-type": "text/plain" }, capture: await captured(["é".repeat(150)], false) } },
        { ...base, decisionId: "credentials", request: { ...base.request, headers: { authorization: "Bearer SECRET", Cookie: "c=SECRET", accept: "*/*" } }, input: { request: { headers: { "X-Api-Key": "SECRET", accept: "*/*" } } }, inputMasked: true },
        { ...base, decisionId: "denied", response: null, decision: { ...base.decision, outcome: "deny", reasons: ["no"] } },
      ];
      for (const x of variants) {
        expect(await viaThread.record(x)).toBe(true);
        expect(await onLoop.record(x)).toBe(true);
      }
      const strip = (xs: StoredExchange[]) => xs.map(({ seq: _seq, ...rest }) => rest);
      const a = strip(await file.sessions.exchanges(base.sessionId));
      const b = strip(await memory.sessions.exchanges(base.sessionId));
      expect(a).toHaveLength(variants.length);
      expect(a).toEqual(b);
      expect(JSON.stringify(a)).not.toContain("SECRET");
      // spot checks that the trimming happened at all
      const byId = new Map(a.map((x) => [x.decisionId, x]));
      expect(byId.get("binary")!.request.body).toEqual({ truncated: false, size: 3, binary: true });
      expect(byId.get("long")!.request.body!.truncated).toBe(true);
      expect(byId.get("long")!.input).toBeNull();
      expect(byId.get("captured-sse")!.response!.stream!.text).toBe("hé"); // kept raw (it fits), reassembled in the thread
      expect(byId.get("captured-sse-long")!.response!.stream!.text).toContain("hé"); // reassembled as it passed
      expect(byId.get("captured-json")!.response!.body).toEqual({ json: { a: "b" }, truncated: false, size: 9 });
      await viaThread.close();
      await onLoop.close();
    } finally {
      await file.close();
      await memory.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
