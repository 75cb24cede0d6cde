import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { SessionRecorder } from "./recorder.js";
import { escapeHtml, sessionRoutes } from "./routes.js";
import { bundleOf, exchange, writeBundle } from "./test/fixtures.js";

const A = bundleOf(writeBundle(["m1"]));
const SID = "acme/app/4242/1";

describe("session routes", () => {
  let store: Store;
  let app: FastifyInstance;
  let locked: FastifyInstance;

  beforeAll(async () => {
    store = await openSqliteStore(":memory:");
    const r = new SessionRecorder(store.sessions);
    const first = [{ role: "user", content: "<script>alert(1)</script> please list files" }];
    await r.record(exchange(A, { model: "m1", messages: first, tools: ["bash"] }));
    await r.record(exchange(A, { model: "m1", messages: [...first, { role: "assistant", content: "ok" }, { role: "user", content: "thanks & bye" }] }));
    await r.record(exchange(A, { model: "m9", prompt: "denied one" }));
    await r.close();
    app = Fastify();
    await app.register(sessionRoutes, { store });
    locked = Fastify();
    await sessionRoutes(locked, {
      store: store.sessions,
      basePath: "/admin/sessions/",
      authenticate: async (req) => {
        if (req.headers.authorization !== "Bearer ok") throw Object.assign(new Error("no"), { statusCode: req.headers.authorization ? 403 : 401 });
        return { sub: "admin" };
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await locked.close();
    await store.close();
  });

  it("lists sessions as HTML, with links to each", async () => {
    const res = await app.inject({ method: "GET", url: "/sessions" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(res.body).toContain(`href="/sessions/${encodeURIComponent(SID)}"`);
    expect(res.body).toMatch(/<td>3<\/td><td class="deny">1<\/td>/);
  });

  it("shows a session as a conversation, every recorded text escaped", async () => {
    const res = await app.inject({ method: "GET", url: `/sessions/${encodeURIComponent(SID)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("<script>");
    expect(res.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; please list files");
    expect(res.body).toContain("thanks &amp; bye");
    expect(res.body).toContain("(1 earlier message)");
    expect(res.body).toMatch(/<b>assistant<\/b> <span class="meta">\(200, end_turn\)<\/span>\nanswer \d+/);
    expect(res.body).toContain("tool call bash");
    expect(res.body).toContain("tool bash: <span class=\"allow\">allow</span>");
    expect(res.body).toContain('decision: <span class="deny">deny</span>: model m9 is not allowed');
    expect(res.body).toMatch(/auth 1ms {2}eval [\d.]+ms {2}upstream 20ms {2}total 25ms/);
  });

  it("serves the same as JSON under /api", async () => {
    const list = await app.inject({ method: "GET", url: "/sessions/api" });
    expect(list.json()).toMatchObject({ sessions: [{ id: SID, exchanges: 3, denied: 1 }] });
    const one = await app.inject({ method: "GET", url: `/sessions/api/${encodeURIComponent(SID)}` });
    expect(one.json().exchanges).toHaveLength(3);
    expect(JSON.stringify(one.json())).not.toMatch(/SECRET/);
    expect((await app.inject({ method: "GET", url: "/sessions/api/nope" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/sessions/api?repository=acme/web" })).json()).toEqual({ sessions: [] });
  });

  it("answers 404 for an unknown session, with its id escaped", async () => {
    const res = await app.inject({ method: "GET", url: `/sessions/${encodeURIComponent("<b>x</b>")}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(res.body).not.toContain("<b>x</b>");
  });

  it("asks authenticate first, under another base path", async () => {
    expect((await locked.inject({ method: "GET", url: "/admin/sessions" })).statusCode).toBe(401);
    expect((await locked.inject({ method: "GET", url: "/admin/sessions/api", headers: { authorization: "Bearer bad" } })).statusCode).toBe(403);
    expect((await locked.inject({ method: "GET", url: `/admin/sessions/${encodeURIComponent(SID)}` })).statusCode).toBe(401);
    const ok = await locked.inject({ method: "GET", url: "/admin/sessions", headers: { authorization: "Bearer ok" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain(`href="/admin/sessions/${encodeURIComponent(SID)}"`);
    expect((await locked.inject({ method: "GET", url: "/sessions" })).statusCode).toBe(404);
  });

  it("escapeHtml escapes the five characters", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});
