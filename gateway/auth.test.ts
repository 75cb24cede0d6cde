// Authentication: token attacks are each answered 401 with nothing forwarded; real CI tokens map to identities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { generateKeyPair, SignJWT } from "jose";
import { normalizeConfig } from "./config.js";
import { Authenticator, AuthError, identityOf } from "./identity.js";
import { messages, startHarness, type Harness } from "./test/harness.js";
import { AUDIENCE, githubClaims, startIssuer } from "./test/servers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

async function attempt(headers: Record<string, string>) {
  const before = h.anthropic.requests.length;
  const res = await request(`${h.url}/claude/v1/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: messages() });
  const body = (await res.body.json()) as { type: string; error: { type: string; guard_code: string; message: string } };
  return { status: res.statusCode, body, forwarded: h.anthropic.requests.length - before, wwwAuthenticate: res.headers["www-authenticate"] };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe("token attacks: 401, the upstream never called", () => {
  const attacks: [string, () => Promise<Record<string, string>>][] = [
    ["no token at all", async () => ({})],
    ["alg none", async () => bearer(`${b64({ alg: "none", typ: "JWT" })}.${b64({ ...githubClaims(), iss: h.issuer.issuer, aud: AUDIENCE, exp: now() + 300 })}.`)],
    [
      "signed by another key under the issuer's kid",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return bearer(await h.issuer.sign(githubClaims(), { key: privateKey }));
      },
    ],
    [
      "HS256 signed with the issuer's public key as the secret",
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(h.issuer.publicJwk));
        const t = await new SignJWT(githubClaims()).setProtectedHeader({ alg: "HS256", kid: "key-1" }).setIssuer(h.issuer.issuer).setAudience(AUDIENCE).setExpirationTime("5m").sign(secret);
        return bearer(t);
      },
    ],
    ["expired", async () => bearer(await h.issuer.sign(githubClaims(), { expiresIn: now() - 120 }))],
    ["not yet valid", async () => bearer(await h.issuer.sign(githubClaims(), { notBefore: now() + 600 }))],
    ["wrong issuer", async () => bearer(await h.issuer.sign({ ...githubClaims(), iss: "https://token.evil.example" }))],
    ["wrong audience", async () => bearer(await h.issuer.sign({ ...githubClaims(), aud: "someone-else" }))],
    ["unknown key id", async () => bearer(await h.issuer.sign(githubClaims(), { kid: "no-such-key" }))],
    ["garbage", async () => bearer("not-a-jwt")],
    ["three garbage segments", async () => bearer("eyJhbGciOi.eyJzdWIi.c2ln")],
    ["a tampered payload", async () => {
      const [head, , sig] = (await h.token()).split(".");
      return bearer(`${head}.${b64({ ...githubClaims({ repository: "acme/app" }), sub: "admin", iss: h.issuer.issuer, aud: AUDIENCE, exp: now() + 300 })}.${sig}`);
    }],
    ["a Basic credential", async () => ({ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` })],
  ];
  for (const [name, headers] of attacks) {
    it(name, async () => {
      const r = await attempt(await headers());
      expect(r.status).toBe(401);
      expect(r.forwarded).toBe(0);
      expect(r.body).toMatchObject({ type: "error", error: { type: "authentication_error", guard_code: "GUARD_UNAUTHENTICATED" } });
      expect(r.wwwAuthenticate).toBe('Bearer realm="guard"');
    });
  }

  it("records each refusal in the audit log, without the token", async () => {
    const token = await h.issuer.sign(githubClaims(), { expiresIn: now() - 120 });
    await attempt(bearer(token));
    const last = (await h.store.audit.query({ decision: "deny" })).at(-1)!;
    expect(last.subject).toBeNull();
    expect(last.reasons[0]).toBe("unauthenticated (invalid): the token has expired");
    expect(last.status).toBe(401);
    expect(JSON.stringify(last)).not.toContain(token);
  });

  it("accepts the same valid token from x-api-key (what an SDK with an API key sends)", async () => {
    const r = await attempt({ "x-api-key": await h.token() });
    expect(r.status).toBe(200);
    expect(r.forwarded).toBe(1);
  });
});

describe("Authenticator", () => {
  it("refetches the JWKS when a token names a new key (rotation), and caches it otherwise", async () => {
    const issuer = await startIssuer();
    try {
      const [provider] = normalizeConfig(
        { identity: { providers: [{ preset: "github-actions", issuer: issuer.issuer, audience: AUDIENCE }] }, connections: [{ name: "c", type: "http", upstream: "http://127.0.0.1:1" }] },
        { file: "t.yaml", baseDir: "/" },
      ).providers;
      const auth = new Authenticator([provider!], { jwksCooldownMs: 0 });
      await auth.verify(await issuer.sign());
      await auth.verify(await issuer.sign());
      expect(issuer.jwksRequests).toBe(1);
      const kid = await issuer.rotate();
      const id = await auth.verify(await issuer.sign(githubClaims(), { kid }));
      expect(id.repository).toBe("acme/app");
      expect(issuer.jwksRequests).toBe(2);
      await expect(auth.verify(await issuer.sign(githubClaims(), { kid: "unknown" }))).rejects.toBeInstanceOf(AuthError);
    } finally {
      await issuer.close();
    }
  });

  it("remembers a verified token only until it expires", async () => {
    const issuer = await startIssuer();
    try {
      const auth = new Authenticator([{ name: "x", issuer: issuer.issuer, audience: [AUDIENCE], algorithms: ["RS256"], clockSkewSeconds: 0, jwksUrl: `${issuer.url}/jwks` }]);
      const token = await issuer.sign(githubClaims(), { expiresIn: Math.floor(Date.now() / 1000) + 1 });
      expect((await auth.verify(token)).repository).toBe("acme/app");
      expect((await auth.verify(token)).repository).toBe("acme/app");
      await new Promise((r) => setTimeout(r, 2100));
      await expect(auth.verify(token)).rejects.toThrow("the token has expired");
    } finally {
      await issuer.close();
    }
  });

  it("lifts GitHub Actions and GitLab CI claims into identity fields", () => {
    const base = { issuer: "i", audience: ["a"], algorithms: ["RS256"], clockSkewSeconds: 30 };
    const gh = identityOf({ ...base, name: "github-actions", preset: "github-actions", groupsClaim: "teams" }, { ...githubClaims({ environment: "production", teams: ["sre", 3] }), iss: "i" });
    expect(gh).toMatchObject({ provider: "github-actions", repository: "acme/app", ref: "refs/heads/main", workflow: "ci", environment: "production", run_id: "4242", actor: "octocat", groups: ["sre"] });
    const gl = identityOf(
      { ...base, name: "gitlab-ci", preset: "gitlab-ci" },
      { iss: "i", sub: "project_path:grp/app:ref_type:branch:ref:main", project_path: "grp/app", namespace_path: "grp", ref: "main", ref_type: "branch", pipeline_id: 77, user_login: "alice", environment: "prod", pipeline_source: "push" },
    );
    expect(gl).toMatchObject({ repository: "grp/app", repository_owner: "grp", ref: "refs/heads/main", run_id: "77", actor: "alice", environment: "prod", event_name: "push" });
  });

  it("finds the keys through OIDC discovery when no JWKS URL is given", async () => {
    const issuer = await startIssuer();
    try {
      const auth = new Authenticator([{ name: "x", issuer: issuer.issuer, audience: [AUDIENCE], algorithms: ["RS256"], clockSkewSeconds: 5 }]);
      expect((await auth.verify(await issuer.sign())).subject).toBe("repo:acme/app:ref:refs/heads/main");
    } finally {
      await issuer.close();
    }
  });
});
