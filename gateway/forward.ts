// Forwarding to the upstream with undici: only to the connection's configured URL (never an open proxy), the
// caller's credential and hop-by-hop headers removed, the gateway's credential injected, the response streamed back
// without buffering (server-sent events pass through as they arrive).
import type { Readable } from "node:stream";
import { Agent, errors as undiciErrors } from "undici";
import type { ConnectionConfig } from "./config.js";
import { CREDENTIAL_HEADERS } from "./input.js";
import { GatewayError } from "./errors.js";

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway sets itself. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect"]);

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
}

export interface ForwardRequest {
  method: string;
  /** The path below the connection prefix, with its query string: `/v1/messages?beta=true`. */
  pathAndQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  credential: Record<string, string> | undefined;
  add: Record<string, string>;
  remove: readonly string[];
}

/** The names listed in a Connection header are hop-by-hop for that message too. */
function connectionListed(headers: Record<string, string | string[] | undefined>): Set<string> {
  const v = headers.connection;
  const text = Array.isArray(v) ? v.join(",") : (v ?? "");
  return new Set(text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
}

export function upstreamHeaders(req: ForwardRequest): Record<string, string> {
  const listed = connectionListed(req.headers);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.has(k) || CREDENTIAL_HEADERS.has(k) || k.startsWith("x-guard-")) continue;
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  for (const name of req.remove) delete out[name];
  for (const [k, v] of Object.entries(req.add)) if (!CREDENTIAL_HEADERS.has(k) && !HOP_BY_HOP.has(k)) out[k] = v;
  if (req.credential) Object.assign(out, req.credential);
  return out;
}

export function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.has(k) || k === "set-cookie") continue;
    out[k] = v;
  }
  return out;
}

export class Forwarder {
  private readonly agent: Agent;
  private readonly targets = new WeakMap<ConnectionConfig, Map<string, { origin: string; path: string; href: string }>>();

  constructor(timeoutMs: number) {
    this.agent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000), keepAliveTimeout: 10_000 });
  }

  /** The upstream URL for a path: always below the connection's base URL, whatever the path says. */
  static target(connection: ConnectionConfig, pathAndQuery: string): URL {
    const base = connection.upstream;
    const basePath = base.pathname.replace(/\/$/, "");
    const q = pathAndQuery.indexOf("?");
    const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
    const query = q < 0 ? "" : pathAndQuery.slice(q);
    // Normalize dot segments against a dummy origin so `/../` can never climb above the base path.
    const normalized = new URL(path.startsWith("/") ? path : `/${path}`, "http://x").pathname;
    return new URL(`${base.protocol}//${base.host}${basePath}${normalized}${query}`);
  }

  /**
   * The target of a path as strings (origin, path with query, full URL), remembered per connection for the paths seen
   * most recently: a gateway forwards to a handful of endpoints, and parsing two URLs per request is measurable.
   */
  resolve(connection: ConnectionConfig, pathAndQuery: string): { origin: string; path: string; href: string } {
    let seen = this.targets.get(connection);
    if (!seen) this.targets.set(connection, (seen = new Map()));
    let t = seen.get(pathAndQuery);
    if (t === undefined) {
      const url = Forwarder.target(connection, pathAndQuery);
      t = { origin: url.origin, path: url.pathname + url.search, href: url.href };
      if (seen.size >= 256) seen.delete(seen.keys().next().value!);
      seen.set(pathAndQuery, t);
    }
    return t;
  }

  async forward(connection: ConnectionConfig, req: ForwardRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const url = this.resolve(connection, req.pathAndQuery);
    const hasBody = req.body.length > 0 && req.method !== "GET" && req.method !== "HEAD";
    try {
      const res = await this.agent.request({
        origin: url.origin,
        path: url.path,
        method: req.method as "GET",
        headers: { ...upstreamHeaders(req), ...(hasBody ? { "content-length": String(req.body.length) } : {}) },
        body: hasBody ? req.body : undefined,
        signal,
      });
      return { status: res.statusCode, headers: responseHeaders(res.headers), body: res.body };
    } catch (e) {
      throw upstreamError(e);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export function upstreamError(e: unknown): GatewayError {
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || e instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError("GUARD_UPSTREAM_TIMEOUT");
  }
  const code = (e as { code?: string }).code;
  return new GatewayError("GUARD_UPSTREAM_ERROR", `the upstream could not be reached${code ? ` (${code})` : ""}`);
}
