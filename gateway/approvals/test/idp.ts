// A tiny OIDC provider for the sign-in tests: discovery, JWKS, an authorization endpoint that signs the user in at
// once (redirecting back with a code), and a token endpoint that checks the client, the redirect URI, the code (once)
// and the PKCE verifier before it hands out an ID token.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface Idp {
  issuer: string;
  /** Authorization requests seen (their query parameters). */
  authorizations: Record<string, string>[];
  /** The claims of the user who signs in; `nonceOverride` replaces the nonce (a replayed token). */
  user: Record<string, unknown>;
  nonceOverride?: string;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startIdp(clientId: string, redirectUri: () => string, clientSecret?: string): Promise<Idp> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  const codes = new Map<string, { challenge: string; nonce: string; redirect: string }>();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", idp.issuer);
      const json = (status: number, v: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(v));
      };
      if (url.pathname === "/.well-known/openid-configuration") {
        return json(200, { issuer: idp.issuer, authorization_endpoint: `${idp.issuer}/authorize`, token_endpoint: `${idp.issuer}/token`, jwks_uri: `${idp.issuer}/jwks` });
      }
      if (url.pathname === "/jwks") return json(200, { keys: [jwk] });
      if (url.pathname === "/authorize") {
        const q = Object.fromEntries(url.searchParams);
        idp.authorizations.push(q);
        if (q.client_id !== clientId || q.redirect_uri !== redirectUri() || q.response_type !== "code" || q.code_challenge_method !== "S256") {
          return json(400, { error: "invalid_request" });
        }
        const code = randomBytes(12).toString("hex");
        codes.set(code, { challenge: q.code_challenge!, nonce: q.nonce!, redirect: q.redirect_uri! });
        const back = new URL(q.redirect_uri!);
        back.searchParams.set("code", code);
        back.searchParams.set("state", q.state!);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (url.pathname === "/token" && req.method === "POST") {
        const f = new URLSearchParams(await body(req));
        const c = codes.get(f.get("code") ?? "");
        codes.delete(f.get("code") ?? ""); // once
        if (!c) return json(400, { error: "invalid_grant" });
        if (f.get("client_id") !== clientId || (clientSecret !== undefined && f.get("client_secret") !== clientSecret)) return json(401, { error: "invalid_client" });
        if (f.get("redirect_uri") !== c.redirect || f.get("grant_type") !== "authorization_code") return json(400, { error: "invalid_grant" });
        const challenge = createHash("sha256")
          .update(f.get("code_verifier") ?? "")
          .digest("base64url");
        if (challenge !== c.challenge) return json(400, { error: "invalid_grant", error_description: "PKCE verification failed" });
        const idToken = await new SignJWT({ ...idp.user, nonce: idp.nonceOverride ?? c.nonce })
          .setProtectedHeader({ alg: "RS256", kid: "idp-1" })
          .setIssuer(idp.issuer)
          .setAudience(clientId)
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(privateKey);
        return json(200, { access_token: "at", token_type: "Bearer", id_token: idToken, expires_in: 300 });
      }
      json(404, { error: "not_found" });
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const idp: Idp = {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations: [],
    user: { sub: "user:alice", preferred_username: "alice", name: "Alice", groups: ["sre"] },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return idp;
}
