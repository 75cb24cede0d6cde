// Sign-in on the approvals page: OIDC authorization code + PKCE against a test provider, through fastify.inject and
// in a real browser.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { Authenticator } from "../identity.js";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { approvalRoutes } from "./routes.js";
import { ApprovalService, operationHash } from "./service.js";
import { startIdp, type Idp } from "./test/idp.js";

const CLIENT = "guard-approvals";
const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) console.warn(`gateway/approvals/login.test.ts: the browser sign-in test is skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface World {
  app: FastifyInstance;
  idp: Idp;
  service: ApprovalService;
  store: Store;
  gateway: string;
  close(): Promise<void>;
}

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function world(secret?: string): Promise<World> {
  const port = await freePort();
  const gateway = `http://127.0.0.1:${port}`;
  const idp = await startIdp(CLIENT, () => `${gateway}/approvals/callback`, secret);
  const store = await openSqliteStore(":memory:");
  const service = new ApprovalService({ store: store.approvals, sweepIntervalMs: 0 });
  const auth = new Authenticator([{ name: "idp", issuer: idp.issuer, audience: [CLIENT], algorithms: ["RS256"], clockSkewSeconds: 30, groupsClaim: "groups" }]);
  const app = Fastify({ logger: false });
  await app.register(approvalRoutes, {
    service,
    authenticate: (req) => auth.verify(Authenticator.tokenOf(req.headers)),
    login: { issuer: idp.issuer, clientId: CLIENT, clientSecret: secret, redirectUrl: `${gateway}/approvals/callback`, verifyToken: (t) => auth.verify(t) },
  });
  await app.listen({ port, host: "127.0.0.1" });
  return {
    app,
    idp,
    service,
    store,
    gateway,
    async close() {
      service.close();
      await app.close();
      await store.close();
      await idp.close();
    },
  };
}

const openApproval = (service: ApprovalService) =>
  service.open({
    operationHash: operationHash("prod", "POST", "/deploy", "", "repo:acme/app"),
    requester: { subject: "repo:acme/app", repository: "acme/app", claims: {} },
    connection: "prod",
    summary: { method: "POST", path: "/deploy", texts: ["deploy it"] },
    reason: "production deploys need a human",
    approvers: ["sre"],
  });

/** Runs the flow without a browser: /login, the provider's redirect, /callback with the cookie. */
async function signIn(x: World, tamper: (cookie: string) => string = (c) => c): Promise<{ status: number; body: string; token?: string }> {
  const login = await x.app.inject({ url: "/approvals/login" });
  expect(login.statusCode).toBe(302);
  const setCookie = String(login.headers["set-cookie"]);
  expect(setCookie).toMatch(/^guard_approvals_login=[\w-]+\.[\w-]+\.[\w-]+; Path=\/approvals; Max-Age=600; HttpOnly; SameSite=Lax$/);
  const cookie = tamper(setCookie.split(";")[0]!);
  const atIdp = await fetch(String(login.headers.location), { redirect: "manual" });
  expect(atIdp.status).toBe(302);
  const back = new URL(atIdp.headers.get("location")!);
  const cb = await x.app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie } });
  const token = /sessionStorage\.setItem\("guard-approvals-token", "([^"]+)"\)/.exec(cb.body)?.[1];
  return { status: cb.statusCode, body: cb.body, token };
}

describe("approvals sign-in (authorization code + PKCE)", () => {
  it("redirects to the provider with PKCE, state and nonce, and the callback hands the page a verified ID token", async () => {
    w = await world("client-secret");
    const a = await openApproval(w.service);
    const r = await signIn(w);
    expect(r.status).toBe(200);
    const q = w.idp.authorizations[0]!;
    expect(q).toMatchObject({ response_type: "code", client_id: CLIENT, redirect_uri: `${w.gateway}/approvals/callback`, scope: "openid profile email groups", code_challenge_method: "S256" });
    expect(q.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(q.state).toMatch(/^[\w-]{32}$/);
    expect(q.nonce).toMatch(/^[\w-]{32}$/);
    expect(r.token).toMatch(/^eyJ/);
    const list = await w.app.inject({ url: "/approvals/api?status=pending", headers: { authorization: `Bearer ${r.token}` } });
    expect(list.json().approvals.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const approved = await w.app.inject({ method: "POST", url: `/approvals/api/${a.id}/approve`, headers: { authorization: `Bearer ${r.token}` }, payload: {} });
    expect(approved.json().approval.status).toBe("approved");
    const page = await w.app.inject({ url: "/approvals" });
    expect(page.body).toContain('<a id="login" href="/approvals/login">');
  });

  it("refuses a callback without this browser's sign-in, with another state, a wrong verifier, or a replayed nonce", async () => {
    w = await world();
    const none = await signIn(w, () => "");
    expect(none.status).toBe(400);
    expect(none.body).toContain("no sign-in in progress");
    const otherState = await signIn(w, (c) => c.replace(/=[\w-]+\./, "=someone-elses-state."));
    expect(otherState.status).toBe(400);
    expect(otherState.body).toContain("state does not match");
    const badVerifier = await signIn(w, (c) => c.replace(/\.[\w-]+\./, ".wrong-verifier."));
    expect(badVerifier.status).toBe(502);
    expect(badVerifier.body).toContain("refused the code (invalid_grant)");
    expect(badVerifier.token).toBeUndefined();
    w.idp.nonceOverride = "an-old-nonce";
    const replay = await signIn(w);
    expect(replay.status).toBe(401);
    expect(replay.body).toContain("nonce does not match");
    w.idp.nonceOverride = undefined;
    const denied = await w.app.inject({ url: "/approvals/callback?error=access_denied&error_description=%3Cscript%3Ex%3C%2Fscript%3E", headers: { cookie: "guard_approvals_login=a.b.c" } });
    expect(denied.statusCode).toBe(400);
    expect(denied.body).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(denied.body).not.toContain("<script>");
    expect(denied.headers["content-security-policy"]).toBe("default-src 'none'");
  });

  it.skipIf(!existsSync(CHROMIUM))("signs in from the page in a real browser and approves", async () => {
    const { chromium } = await import("playwright-core");
    w = await world();
    const a = await openApproval(w.service);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${w.gateway}/approvals`);
      await page.click("#login");
      const item = page.locator(`li.item[data-id="${a.id}"]`);
      await item.waitFor();
      expect(page.url()).toBe(`${w.gateway}/approvals`);
      await item.locator("button.approve").click();
      await item.waitFor({ state: "detached" });
      expect((await w.service.get(a.id))!.votes[0]).toMatchObject({ subject: "user:alice", decision: "approve" });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
