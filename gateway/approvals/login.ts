// Sign-in for the approvers' page: OIDC authorization code flow with PKCE (S256) against the identity provider.
//
//   GET {base}/login     → 302 to the provider's authorization endpoint (state, nonce, code_challenge); the state, the
//                          PKCE verifier and the nonce go into a short-lived HttpOnly cookie scoped to {base}, so any
//                          gateway instance can finish the flow
//   GET {base}/callback  ← the provider's redirect: the state must match the cookie's; the code is exchanged (with the
//                          verifier, and the client secret if configured) for an ID token, which is verified like any
//                          bearer token (signature, iss, aud = client id, exp) and must carry the nonce; the page then
//                          keeps it in the tab's sessionStorage, as a pasted one, and goes back to {base}
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Identity } from "../identity.js";

export interface OidcLoginOptions {
  /** The identity provider (its discovery document is at {issuer}/.well-known/openid-configuration). */
  issuer: string;
  /** The client registered at the provider for the page; ID tokens' audience (the Authenticator must accept it). */
  clientId: string;
  /** For a confidential client (sent as client_secret_post); omit for a public client (PKCE alone). */
  clientSecret?: string;
  /** The public URL of {base}/callback, as registered at the provider. */
  redirectUrl: string;
  /** Default: openid profile email groups. */
  scopes?: string[];
  /** Verifies the ID token (the gateway's `Authenticator.verify`). */
  verifyToken: (token: string) => Promise<Identity>;
  /** Endpoints, when the provider has no discovery document. */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  /** Per request to the provider (default 10 s). */
  timeoutMs?: number;
}

const COOKIE = "guard_approvals_login";
const b64url = (b: Buffer) => b.toString("base64url");
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function loginRoutes(app: FastifyInstance, base: string, o: OidcLoginOptions): void {
  const secure = o.redirectUrl.startsWith("https://");
  const timeout = () => AbortSignal.timeout(o.timeoutMs ?? 10_000);
  let endpoints: Promise<{ authorization: string; token: string }> | undefined;
  const discover = () =>
    (endpoints ??= (async () => {
      if (o.authorizationEndpoint && o.tokenEndpoint) return { authorization: o.authorizationEndpoint, token: o.tokenEndpoint };
      const res = await fetch(`${o.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, { signal: timeout() });
      if (!res.ok) throw new Error(`OIDC discovery for ${o.issuer} answered ${res.status}`);
      const doc = (await res.json()) as { authorization_endpoint?: unknown; token_endpoint?: unknown };
      const authorization = o.authorizationEndpoint ?? doc.authorization_endpoint;
      const token = o.tokenEndpoint ?? doc.token_endpoint;
      if (typeof authorization !== "string" || typeof token !== "string") throw new Error(`OIDC discovery for ${o.issuer} names no authorization or token endpoint`);
      return { authorization, token };
    })().catch((e: unknown) => {
      endpoints = undefined;
      throw e;
    }));

  const fail = (reply: FastifyReply, status: number, message: string) =>
    reply
      .code(status)
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", "default-src 'none'")
      .header("set-cookie", `${COOKIE}=; Path=${base}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`)
      .send(`<!doctype html><meta charset="utf-8"><title>Guard: sign-in failed</title><p>Sign-in failed: ${escapeHtml(message)}</p><p><a href="${escapeHtml(base)}">Back</a></p>`);

  app.get(`${base}/login`, async (req, reply) => {
    let ep: { authorization: string };
    try {
      ep = await discover();
    } catch (e) {
      req.log.error({ err: e }, "approvals login: discovery failed");
      return fail(reply, 502, "the identity provider could not be reached");
    }
    const state = b64url(randomBytes(24));
    const verifier = b64url(randomBytes(32));
    const nonce = b64url(randomBytes(24));
    const url = new URL(ep.authorization);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", o.clientId);
    url.searchParams.set("redirect_uri", o.redirectUrl);
    url.searchParams.set("scope", (o.scopes ?? ["openid", "profile", "email", "groups"]).join(" "));
    url.searchParams.set("state", state);
    url.searchParams.set("nonce", nonce);
    url.searchParams.set("code_challenge", b64url(createHash("sha256").update(verifier).digest()));
    url.searchParams.set("code_challenge_method", "S256");
    return reply
      .code(302)
      .header("cache-control", "no-store")
      .header("set-cookie", `${COOKIE}=${state}.${verifier}.${nonce}; Path=${base}; Max-Age=600; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`)
      .header("location", url.toString())
      .send();
  });

  app.get(`${base}/callback`, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.error !== undefined) return fail(reply, 400, `the identity provider said ${String(q.error).slice(0, 100)}${q.error_description ? `: ${String(q.error_description).slice(0, 300)}` : ""}`);
    const [state, verifier, nonce] = (cookieOf(req.headers.cookie, COOKIE) ?? "").split(".");
    if (!state || !verifier || !nonce) return fail(reply, 400, "no sign-in in progress in this browser (or it took longer than 10 minutes): start again");
    if (typeof q.state !== "string" || !same(q.state, state)) return fail(reply, 400, "the state does not match this browser's sign-in");
    if (typeof q.code !== "string" || q.code === "") return fail(reply, 400, "the provider sent no code");
    let idToken: unknown;
    try {
      const { token } = await discover();
      const form = new URLSearchParams({ grant_type: "authorization_code", code: q.code, redirect_uri: o.redirectUrl, client_id: o.clientId, code_verifier: verifier });
      if (o.clientSecret !== undefined) form.set("client_secret", o.clientSecret);
      const res = await fetch(token, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form, signal: timeout() });
      const body = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
      if (!res.ok) return fail(reply, 502, `the identity provider refused the code (${String(body.error ?? res.status).slice(0, 100)})`);
      idToken = body.id_token;
    } catch (e) {
      req.log.error({ err: e }, "approvals login: code exchange failed");
      return fail(reply, 502, "the identity provider could not be reached");
    }
    if (typeof idToken !== "string") return fail(reply, 502, "the identity provider sent no ID token");
    let identity: Identity;
    try {
      identity = await o.verifyToken(idToken);
    } catch (e) {
      return fail(reply, 401, `the ID token is not valid: ${e instanceof Error ? e.message : "rejected"}`);
    }
    if (typeof identity.claims.nonce !== "string" || !same(identity.claims.nonce, nonce)) return fail(reply, 401, "the ID token's nonce does not match this sign-in");
    const cspNonce = b64url(randomBytes(16));
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("referrer-policy", "no-referrer")
      .header("content-security-policy", `default-src 'none'; script-src 'nonce-${cspNonce}'`)
      .header("set-cookie", `${COOKIE}=; Path=${base}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`)
      .send(
        `<!doctype html><meta charset="utf-8"><title>Guard: signed in</title><p>Signed in; back to the approvals…</p>` +
          `<script nonce="${cspNonce}">sessionStorage.setItem("guard-approvals-token", ${scriptJson(idToken)}); location.replace(${scriptJson(base)});</script>`,
      );
  });
}
