// The policy input the gateway builds for each request (documented in gateway/input.schema.json): who is asking
// (`identity`), through which connection, what the request is (credentials removed), for Anthropic an `llm` view,
// and the time.
import type { ConnectionConfig } from "./config.js";
import type { Identity } from "./identity.js";
import { llmView, type LlmView } from "./llm.js";

/** Headers that carry the caller's credentials: never shown to policy, logged, or forwarded upstream. */
export const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "x-api-key", "cookie"]);

export interface PolicyInput {
  identity: Identity;
  connection: { name: string; type: string };
  request: {
    method: string;
    /** The path below the connection's prefix: `/v1/messages` for `/claude/v1/messages`. */
    path: string;
    query: Record<string, string[]>;
    headers: Record<string, string>;
    /** The body parsed as JSON, or null when it is empty or not JSON. */
    body: unknown;
    size: number;
  };
  llm?: LlmView;
  time: { ns: number; rfc3339: string };
}

export interface RequestFacts {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body already parsed (undefined: not JSON). */
  json: unknown;
}

export function policyHeaders(headers: RequestFacts["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || CREDENTIAL_HEADERS.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

export function buildInput(identity: Identity, connection: ConnectionConfig, req: RequestFacts, now: Date): PolicyInput {
  const query: Record<string, string[]> = {};
  for (const [k, v] of req.query) (query[k] ??= []).push(v);
  const input: PolicyInput = {
    identity,
    connection: { name: connection.name, type: connection.type },
    request: {
      method: req.method,
      path: req.path,
      query,
      headers: policyHeaders(req.headers),
      body: req.json === undefined ? null : req.json,
      size: req.body.length,
    },
    time: { ns: now.getTime() * 1_000_000, rfc3339: now.toISOString() },
  };
  if (connection.type === "anthropic") input.llm = llmView(req.json);
  return input;
}
