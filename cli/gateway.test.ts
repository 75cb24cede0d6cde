// `guard gateway` as operators run it: the real binary, a guard.yaml, a JWKS issuer and an upstream on loopback.
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { openSqliteStore } from "../gateway/store/sqlite.js";
import { CLAUDE_POLICY, messages } from "../gateway/test/harness.js";
import { AUDIENCE, startAnthropicUpstream, startIssuer, UPSTREAM_KEY, type Issuer, type Upstream } from "../gateway/test/servers.js";
import { startGateway as start } from "./test/gateway-process.js";
import { ensureBuilt, fixture, guard, ROOT } from "./test/helpers.js";

let issuer: Issuer;
let upstream: Upstream;
beforeAll(async () => {
  ensureBuilt();
  [issuer, upstream] = await Promise.all([startIssuer(), startAnthropicUpstream()]);
}, 300_000);
afterAll(async () => Promise.all([issuer?.close(), upstream?.close()]));

const yaml = () => `listen:
  port: 0
identity:
  providers:
    - preset: github-actions
      issuer: ${issuer.issuer}
      audience: ${AUDIENCE}
connections:
  - name: claude
    type: anthropic
    upstream: ${upstream.url}
    credential:
      env: TEST_KEY
`;

describe("guard gateway", () => {
  it("starts from guard.yaml, prints how to point Claude at it, serves decisions, and stops cleanly on SIGTERM", async () => {
    const dir = fixture({ "guard.yaml": yaml(), "policies/claude/policy.guard": CLAUDE_POLICY });
    const { child, address, banner } = await start(dir, [], { TEST_KEY: UPSTREAM_KEY });
    const exited = new Promise((r) => child.once("exit", r));
    try {
      expect(banner).toContain(`export ANTHROPIC_BASE_URL=${address}/claude`);
      expect(banner).toMatch(/policies: .*policies \(revision [0-9a-f]{12}, 0 tests passed\)/);
      expect(banner).toContain(`connection:  ${address}/claude → ${upstream.url}/ (anthropic, decided by data.guard.claude.decision)`);
      expect(banner).not.toContain(UPSTREAM_KEY);
      expect(banner).toContain("audit log:   records kept for ever (audit.max_age removes old ones)");
      const ok = await request(`${address}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await issuer.sign()}` }, body: messages() });
      expect(ok.statusCode).toBe(200);
      await ok.body.dump();
      const denied = await request(`${address}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await issuer.sign()}` }, body: messages({ model: "other" }) });
      expect(denied.statusCode).toBe(403);
      await denied.body.dump();
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    // The decisions are in the default store under .guard/, and the chain verifies.
    const verify = guard(["audit", "verify"], dir);
    expect(verify.stdout + verify.stderr).toMatch(/3 records|2 records/);
    expect(verify.status).toBe(0);
  });

  it("runs what npm start runs: the shipped guard.yaml with the shipped pack, its tests passed first", async () => {
    const dir = fixture({ "guard.yaml": readFileSync(join(ROOT, "guard.yaml"), "utf8") });
    symlinkSync(join(ROOT, "policies"), join(dir, "policies"));
    const { child, address, banner } = await start(dir, ["--port", "0"], { ANTHROPIC_API_KEY: "sk-ant-test", GITHUB_TOKEN: "ghp_test" });
    try {
      expect(banner).toMatch(/revision [0-9a-f]{12}, [1-9]\d* tests passed/);
      expect(banner).toContain(`export ANTHROPIC_BASE_URL=${address}/claude`);
      expect(banner).toContain("audience=guard");
      expect(banner).toMatch(/store: +sqlite \S+\/\.guard\/guard\.db \(sessions: \S+\/\.guard\/guard\.sessions\.db\)/);
      expect(banner).toMatch(/audit log: +records older than 400 days removed, at start and hourly/);
      const ready = await request(`${address}/readyz`);
      expect(ready.statusCode).toBe(200);
      await ready.body.dump();
      // No token, or a token from an issuer the config does not trust: refused before anything else.
      for (const headers of [{}, { authorization: `Bearer ${await issuer.sign()}` }]) {
        const res = await request(`${address}/claude/v1/messages`, { method: "POST", headers, body: messages() });
        expect(res.statusCode).toBe(401);
        expect(((await res.body.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
      }
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("loses no acknowledged audit record when killed with SIGKILL under load", async () => {
    const dir = fixture({ "guard.yaml": yaml(), "policies/claude/policy.guard": CLAUDE_POLICY });
    const { child, address } = await start(dir, [], { TEST_KEY: UPSTREAM_KEY });
    const token = await issuer.sign();
    const acknowledged: string[] = [];
    let running = true;
    const client = async (i: number) => {
      while (running) {
        try {
          const res = await request(`${address}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: messages(i % 2 ? {} : { model: "denied" }) });
          await res.body.dump();
          acknowledged.push(String(res.headers["x-guard-decision-id"]));
        } catch {
          return; // the gateway died mid-request: that one was never acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3, 4, 5].map(client);
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    running = false;
    await Promise.all(clients);
    await exited;
    expect(acknowledged.length).toBeGreaterThan(20);
    const store = await openSqliteStore(join(dir, ".guard", "guard.db"));
    try {
      const stored = new Set((await store.audit.query({ limit: 1_000_000 })).map((r) => r.decisionId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      expect(await store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });

  it("warns at start-up when a connection's credential is missing", async () => {
    const dir = fixture({ "guard.yaml": yaml(), "policies/claude/policy.guard": CLAUDE_POLICY });
    const { child, banner } = await start(dir, [], { TEST_KEY: "" });
    child.kill("SIGTERM");
    expect(banner).toContain("WARNING: env TEST_KEY is empty; requests will fail with 502");
  });

  it("refuses to start on a bad configuration, naming the field", () => {
    const dir = fixture({ "guard.yaml": yaml().replace("type: anthropic", "type: grpc"), "policies/claude/policy.guard": CLAUDE_POLICY });
    const r = guard(["gateway"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('connections[0].type: must be one of "anthropic", "http"');
  });

  it("refuses to start when the policies do not compile, showing where", () => {
    const dir = fixture({ "guard.yaml": yaml(), "policies/claude/policy.guard": "package guard.claude\n\ndecision := {\n" });
    const r = guard(["gateway", "--config", "guard.yaml"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot be served:\n {2}.*policy\.guard:4:1: error\[unexpected-end\]/);
  });
});
