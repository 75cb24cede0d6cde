// Real servers on loopback for the gateway's integration tests: an OIDC issuer (discovery + JWKS, keys made with
// jose), an upstream that speaks the Anthropic Messages API subset (JSON and SSE streaming), and a plain http
// upstream that echoes what it received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from "jose";

export interface Started {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface Issuer extends Started {
  issuer: string;
  publicJwk: JWK;
  /** Requests to the JWKS endpoint so far. */
  jwksRequests: number;
  /** A token signed with the issuer's key; `claims` override the defaults (a GitHub Actions token). */
  sign(claims?: JWTPayload, options?: { kid?: string; alg?: string; key?: KeyLike; expiresIn?: string | number; notBefore?: string | number }): Promise<string>;
  /** Adds a new key to the JWKS (key rotation); returns its kid. */
  rotate(): Promise<string>;
  keyFor(kid: string): KeyLike;
}

export const AUDIENCE = "guard-test";

/** GitHub Actions' claims for a workflow run on main of acme/app. */
export function githubClaims(over: JWTPayload = {}): JWTPayload {
  return {
    sub: "repo:acme/app:ref:refs/heads/main",
    repository: "acme/app",
    repository_owner: "acme",
    ref: "refs/heads/main",
    ref_type: "branch",
    sha: "0123456789abcdef0123456789abcdef01234567",
    workflow: "ci",
    event_name: "push",
    run_id: "4242",
    run_attempt: "1",
    actor: "octocat",
    ...over,
  };
}

export async function startIssuer(): Promise<Issuer> {
  const keys = new Map<string, { privateKey: KeyLike; jwk: JWK }>();
  const addKey = async (kid: string) => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    keys.set(kid, { privateKey, jwk });
    return jwk;
  };
  const first = await addKey("key-1");
  let jwksRequests = 0;
  const { server, url } = await listen((req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    } else if (req.url === "/jwks") {
      jwksRequests++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [...keys.values()].map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  let rotations = 1;
  const issuer: Issuer = {
    url,
    issuer: url,
    publicJwk: first,
    get jwksRequests() {
      return jwksRequests;
    },
    async sign(claims = githubClaims(), options = {}) {
      const kid = options.kid ?? "key-1";
      const key = options.key ?? keys.get(kid)?.privateKey ?? keys.get("key-1")!.privateKey;
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: options.alg ?? "RS256", kid })
        .setIssuer(claims.iss ?? url)
        .setAudience(claims.aud ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m");
      if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
      return jwt.sign(key);
    },
    async rotate() {
      const kid = `key-${++rotations}`;
      await addKey(kid);
      return kid;
    },
    keyFor: (kid) => keys.get(kid)!.privateKey,
    close: closer(server),
  };
  return issuer;
}

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Upstream extends Started {
  requests: Recorded[];
}

export const UPSTREAM_KEY = "sk-ant-upstream-secret-0123456789";

/**
 * The Messages API subset: POST /v1/messages with the right x-api-key answers a message (JSON), or with
 * `stream: true` the SSE event sequence Anthropic sends, the reply text in several deltas, one every `delayMs`.
 * The reply text is `reply` from the request's `metadata` if given, else "Hello from upstream"; with a `tool`
 * (`{name, input}`) in the metadata, the answer also has that tool_use block (streamed as input_json_delta pieces).
 * `/v1/slow` answers after 2 s (timeouts).
 */
export async function startAnthropicUpstream(options: { delayMs?: number } = {}): Promise<Upstream> {
  const requests: Recorded[] = [];
  const { server, url } = await listen((req, res) => {
    void (async () => {
      const body = (await readBody(req)).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if (req.url === "/v1/slow") {
        setTimeout(() => res.end("{}"), 2_000);
        return;
      }
      res.setHeader("request-id", `req_${requests.length}`);
      if (req.headers["x-api-key"] !== UPSTREAM_KEY) {
        res.statusCode = 401;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }));
        return;
      }
      if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) {
        res.statusCode = 404;
        res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "not found" } }));
        return;
      }
      const parsed = JSON.parse(body) as { model: string; stream?: boolean; metadata?: { reply?: string; tool?: { name: string; input: unknown } } };
      const text = parsed.metadata?.reply ?? "Hello from upstream";
      const tool = parsed.metadata?.tool;
      const message = { id: "msg_1", type: "message", role: "assistant", model: parsed.model, stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 5, output_tokens: 4 } };
      if (!parsed.stream) {
        res.setHeader("content-type", "application/json");
        const content: unknown[] = [{ type: "text", text }];
        if (tool) content.push({ type: "tool_use", id: "toolu_1", name: tool.name, input: tool.input });
        res.end(JSON.stringify({ ...message, content }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const events: [string, unknown][] = [
        ["message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null } }],
        ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
        ...chunk(text, 4).map((t): [string, unknown] => ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } }]),
        ["content_block_stop", { type: "content_block_stop", index: 0 }],
        ...(tool
          ? ([
              ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: tool.name, input: {} } }],
              ...chunk(JSON.stringify(tool.input), 7).map((p): [string, unknown] => ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: p } }]),
              ["content_block_stop", { type: "content_block_stop", index: 1 }],
            ] as [string, unknown][])
          : []),
        ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 4 } }],
        ["message_stop", { type: "message_stop" }],
      ];
      for (const [event, data] of events) {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      }
      res.end();
    })();
  });
  return { url, requests, close: closer(server) };
}

function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/** Echoes method, url, headers and body as JSON. */
export async function startHttpUpstream(): Promise<Upstream> {
  const requests: Recorded[] = [];
  const { server, url } = await listen((req, res) => {
    void (async () => {
      const body = (await readBody(req)).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.setHeader("content-type", "application/json");
      res.setHeader("connection", "keep-alive, x-hop");
      res.setHeader("x-hop", "hop-by-hop");
      res.setHeader("x-upstream", "yes");
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    })();
  });
  return { url, requests, close: closer(server) };
}
