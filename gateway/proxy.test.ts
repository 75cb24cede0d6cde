// The request flow end to end on loopback: authenticate, decide, audit, forward with the gateway's credential.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { Writable } from "node:stream";
import { request } from "undici";
import { messages, startHarness, type Harness } from "./test/harness.js";
import { UPSTREAM_KEY } from "./test/servers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ upstreamDelayMs: 40 });
});
afterAll(async () => h?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read freely in assertions
type Body = Record<string, any>;

async function post(path: string, body: string, token?: string, headers: Record<string, string> = {}) {
  const res = await request(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Body };
}

describe("allowed requests", () => {
  it("forwards to the model API with the gateway's key, never the caller's token", async () => {
    const token = await h.token();
    const before = h.anthropic.requests.length;
    const res = await post("/claude/v1/messages", messages(), token, { "x-api-key": "caller-key", cookie: "s=1" });
    expect(res.status).toBe(200);
    expect(res.json().content[0].text).toBe("Hello from upstream");
    const decisionId = res.headers["x-guard-decision-id"] as string;
    expect(decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["x-guard-bundle-revision"]).toBe(h.gateway.policies.current!.revision);
    const seen = h.anthropic.requests[before]!;
    expect(seen.url).toBe("/v1/messages");
    expect(seen.headers["x-api-key"]).toBe(UPSTREAM_KEY);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-guard-policy"]).toBe("test");
    expect(JSON.parse(seen.body).model).toBe("claude-sonnet-4-5");
    const [record] = await h.store.audit.query({ limit: 1000 }).then((rs) => rs.filter((r) => r.decisionId === decisionId));
    expect(record).toMatchObject({ decision: "allow", subject: "repo:acme/app:ref:refs/heads/main", repository: "acme/app", connection: "claude" });
    expect(record!.request).toMatchObject({ method: "POST", path: "/claude/v1/messages", model: "claude-sonnet-4-5" });
    expect(JSON.stringify(record)).not.toContain(token);
    expect(JSON.stringify(record)).not.toContain(UPSTREAM_KEY);
  });

  it("streams server-sent events through as they arrive, not after the stream ended", async () => {
    const token = await h.token();
    const started = Date.now();
    const res = await request(`${h.url}/claude/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: messages({ stream: true, metadata: { reply: "one two three four five six seven" } }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/event-stream");
    const arrivals: number[] = [];
    let text = "";
    for await (const chunk of res.body) {
      arrivals.push(Date.now() - started);
      text += chunk.toString();
    }
    const events = text.split("\n\n").filter(Boolean).map((e) => e.split("\n")[0]);
    expect(events[0]).toBe("event: message_start");
    expect(events.at(-1)).toBe("event: message_stop");
    const deltas = [...text.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join("");
    expect(deltas).toBe("one two three four five six seven");
    // The upstream waits 40 ms between events: chunks reach the client spread over that time.
    expect(arrivals.length).toBeGreaterThan(3);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(150);
  });

  it("forwards http connections below their base URL, with a bearer credential and the policy's header changes", async () => {
    const token = await h.token();
    const res = await request(`${h.url}/api/repos/acme/app?x=1&x=2`, { headers: { authorization: `Bearer ${token}`, "x-drop-me": "1", "x-keep": "2" } });
    expect(res.statusCode).toBe(200);
    const echoed = (await res.body.json()) as { url: string; headers: Record<string, string> };
    expect(echoed.url).toBe("/base/repos/acme/app?x=1&x=2");
    expect(echoed.headers.authorization).toBe("Bearer api-token-secret");
    expect(echoed.headers["x-reviewed"]).toBe("guard");
    expect(echoed.headers["x-drop-me"]).toBeUndefined();
    expect(echoed.headers["x-keep"]).toBe("2");
    // Hop-by-hop response headers (listed in Connection) stop at the gateway.
    expect(res.headers["x-upstream"]).toBe("yes");
    expect(res.headers["x-hop"]).toBeUndefined();
  });

  it("drops the request's hop-by-hop headers, also those its Connection header names", async () => {
    const token = await h.token();
    const echoed = await new Promise<{ headers: Record<string, string> }>((resolve, reject) => {
      const req = httpRequest(`${h.url}/api/hop`, { headers: { authorization: `Bearer ${token}`, connection: "keep-alive, x-hop-req", "x-hop-req": "gone", "keep-alive": "timeout=5", te: "trailers" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve(JSON.parse(text)));
      });
      req.on("error", reject);
      req.end();
    });
    expect(echoed.headers["x-hop-req"]).toBeUndefined();
    expect(echoed.headers["keep-alive"]).toBeUndefined();
    expect(echoed.headers.te).toBeUndefined();
  });

  it("never climbs above the connection's base URL", async () => {
    const token = await h.token();
    for (const path of ["/api/../../etc/passwd", "/api/%2e%2e/%2e%2e/secret", "/api/a/../../../x"]) {
      const res = await request(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.body.json()) as { url?: string };
      if (res.statusCode === 200) expect(body.url!.startsWith("/base/")).toBe(true);
      else expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("denied requests", () => {
  it("answers a policy deny in Anthropic's error shape with the reasons and the decision id; nothing reaches the model", async () => {
    const token = await h.token();
    const before = h.anthropic.requests.length;
    const res = await post("/claude/v1/messages", messages({ model: "claude-opus-4" }, "what is the production API key?"), token);
    expect(res.status).toBe(403);
    const body = res.json();
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("permission_error");
    expect(body.error.guard_code).toBe("GUARD_DENIED");
    expect(body.error.message).toContain("model claude-opus-4 not allowed");
    expect(body.error.message).toContain("prompt asks for credentials");
    expect(body.error.decision_id).toBe(res.headers["x-guard-decision-id"]);
    expect(res.headers["x-guard-bundle-revision"]).toBe(h.gateway.policies.current!.revision);
    expect(h.anthropic.requests.length).toBe(before);
    const records = await h.store.audit.query({ decision: "deny" });
    expect(records.find((r) => r.decisionId === body.error.decision_id)?.reasons).toEqual(expect.arrayContaining(["model claude-opus-4 not allowed"]));
  });

  it("denies identities the policy does not know", async () => {
    const res = await post("/claude/v1/messages", messages(), await h.token({ repository: "evil/fork" }));
    expect(res.status).toBe(403);
    expect(res.json().error.message).toContain("repository not allowed");
  });

  it("answers http connections' denials in the plain error shape (the default rule)", async () => {
    const res = await post("/api/repos/acme/app/merges", "{}", await h.token());
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: "GUARD_DENIED", message: "denied by policy: only reads are allowed" } });
  });

  it("fails closed on an evaluation error", async () => {
    const before = h.http.requests.length;
    const res = await post("/broken/x", "", await h.token());
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe("GUARD_POLICY_ERROR");
    expect(h.http.requests.length).toBe(before);
    const record = (await h.store.audit.query({ decision: "error" })).at(-1)!;
    expect(record.reasons[0]).toMatch(/divide by zero|division by zero/);
  });

  it("fails closed when the policy exceeds its evaluation budget", async () => {
    const res = await post("/spin/x", "", await h.token());
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe("GUARD_POLICY_ERROR");
    const record = (await h.store.audit.query({ decision: "error", connection: "spin" })).at(-1)!;
    expect(record.reasons[0]).toMatch(/^eval_limit_error/);
  });

  it("answers unknown connections 404 and never proxies anywhere else", async () => {
    const res = await post("/elsewhere/v1/messages", messages(), await h.token());
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe("GUARD_UNKNOWN_CONNECTION");
    const absolute = await request(`${h.url}/claude/v1/messages`, { method: "GET", headers: { host: "evil.example" } });
    expect(absolute.statusCode).toBe(401);
    await absolute.body.dump();
  });

  it("is never an open proxy: absolute-form targets and CONNECT are refused", async () => {
    const token = await h.token();
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(h.url);
        const socket = connect(Number(url.port), url.hostname, () => socket.write(`${head}\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`));
        let out = "";
        socket.on("data", (c) => (out += c.toString()));
        socket.on("end", () => resolve(out));
        socket.on("error", reject);
      });
    const before = h.http.requests.length + h.anthropic.requests.length;
    expect(await raw(`GET ${h.http.url}/base/x HTTP/1.1`)).toMatch(/^HTTP\/1\.1 400 .*[\s\S]*not a forward proxy/);
    expect(await raw(`GET http://example.com/api/x HTTP/1.1`)).toMatch(/^HTTP\/1\.1 400 .*[\s\S]*not a forward proxy/);
    // CONNECT: node closes the connection without an answer (no tunnel is ever opened).
    expect(await raw(`CONNECT example.com:443 HTTP/1.1`)).not.toMatch(/^HTTP\/1\.1 2/);
    expect(h.http.requests.length + h.anthropic.requests.length).toBe(before);
  });

  it("rejects bodies over the limit with 413 and unreadable Messages API bodies with 400", async () => {
    const token = await h.token();
    const big = await post("/claude/v1/messages", messages({}, "x".repeat(70_000)), token);
    expect(big.status).toBe(413);
    expect(big.json().error.type).toBe("request_too_large");
    const bad = await post("/claude/v1/messages", "{not json", token);
    expect(bad.status).toBe(400);
    expect(bad.json().error.guard_code).toBe("GUARD_BAD_REQUEST");
  });
});

describe("upstream failures", () => {
  it("answers 504 when the upstream does not answer in time", async () => {
    const res = await post("/slow/v1/slow", messages(), await h.token());
    expect(res.status).toBe(504);
    expect(res.json().error.guard_code).toBe("GUARD_UPSTREAM_TIMEOUT");
  });
});

describe("credentials", () => {
  it("never writes a token or a credential to the logs", async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const h2 = await startHarness({ logStream: stream });
    try {
      const token = await h2.token();
      const expired = await h2.issuer.sign(undefined, { expiresIn: Math.floor(Date.now() / 1000) - 100 });
      for (const [t, body] of [[token, messages()], [token, messages({ model: "x" })], [expired, messages()], [token, "{bad"]] as const) {
        const res = await request(`${h2.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${t}` }, body });
        await res.body.dump();
      }
      await (await request(`${h2.url}/broken/x`, { headers: { authorization: `Bearer ${token}` } })).body.dump();
      const log = lines.join("");
      expect(log).toContain('"msg":"decision"');
      expect(log).toContain("unauthenticated request denied");
      for (const secret of [token, expired, token.split(".")[2]!, UPSTREAM_KEY, "api-token-secret"]) expect(log).not.toContain(secret);
    } finally {
      await h2.close();
    }
  });

  it("answers 502 without forwarding when the gateway lacks the connection's credential, naming where it looked but not a secret", async () => {
    const h2 = await startHarness({ env: {} });
    try {
      const before = h2.anthropic.requests.length;
      const res = await request(`${h2.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await h2.token()}` }, body: messages() });
      const body = (await res.body.json()) as { error: { guard_code: string; message: string } };
      expect(res.statusCode).toBe(502);
      expect(body.error.guard_code).toBe("GUARD_NO_CREDENTIAL");
      expect(body.error.message).toContain("env TEST_ANTHROPIC_KEY");
      expect(h2.anthropic.requests.length).toBe(before);
    } finally {
      await h2.close();
    }
  });

  it("answers 502 when the upstream cannot be reached", async () => {
    await h.http.close();
    const res = await request(`${h.url}/api/x`, { headers: { authorization: `Bearer ${await h.token()}` } });
    expect(res.statusCode).toBe(502);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("GUARD_UPSTREAM_ERROR");
  });
});
