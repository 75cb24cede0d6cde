// How an exchange is kept: bodies cut to a limit (and parsed when JSON), credential headers dropped (again,
// defensively), a streamed answer reassembled, the policy input dropped when too large. Pure functions of the
// exchange, so that the store's writer thread can shape exchanges off the event loop (sqlite-writer-worker.ts).
import { isUtf8 } from "node:buffer";
import { CREDENTIAL_HEADERS } from "../input.js";
import type { RecordedBody, RecordedStream, RecordedToolDecision, SessionExchange } from "../store/sessions-types.js";
import { capturedBody, StreamAssembler } from "./capture.js";

/** Headers never recorded, whatever the caller passes: credentials both ways. */
export const UNRECORDED_HEADERS: ReadonlySet<string> = new Set([...CREDENTIAL_HEADERS, "set-cookie", "proxy-authenticate", "www-authenticate"]);

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
export const DEFAULT_MAX_INPUT_BYTES = 1024 * 1024;

export type HeaderMap = Record<string, string | string[] | number | undefined>;

/** What a captured (piped-through) answer held, read once the answer ended (ResponseCapture.captured()). */
export interface CapturedAnswer {
  stream?: RecordedStream;
  /** An event stream kept whole and raw, to be reassembled when trimmed. */
  sse?: Uint8Array;
  body?: Uint8Array;
  truncated: boolean;
  size: number;
}

/**
 * An exchange as plain data (what the recorder hands on: it can cross to a worker thread): everything already
 * masked and without credentials; the time set; a captured answer already read.
 */
export interface ExchangeData {
  /** From sessionIdOf(). */
  sessionId: string;
  /** The request's decision id: the exchange's id (unique). */
  decisionId: string;
  /** When the request arrived, ISO 8601. */
  time: string;
  subject: string | null;
  repository: string | null;
  connection: string;
  request: {
    method: string;
    /** The path as the caller sent it, without the query string (`/claude/v1/messages`). */
    path: string;
    headers: HeaderMap;
    /** The MASKED body: a parsed JSON value, a string, or bytes (parsed as JSON when it is JSON); null/undefined: none. */
    body?: unknown;
  };
  /** The answer, when one was forwarded; null or absent when denied before forwarding. */
  response?: {
    status: number;
    headers: HeaderMap;
    /** The MASKED body (not streamed): as request.body. */
    body?: unknown;
    /** The MASKED event stream as sent to the caller (text/event-stream): reassembled into text and tool calls. */
    sse?: string | Uint8Array;
    /** Or: what a capture of the (masked) streamed answer held. */
    captured?: CapturedAnswer;
  } | null;
  /**
   * The policy input that was evaluated (buildInput's result), kept for replay. It holds the request's texts as the
   * policy saw them (unmasked); pass it masked (and say so with `inputMasked`) when those must not be stored.
   */
  input: unknown;
  inputMasked?: boolean;
  /** As stored (the entrypoint: the connection's `connection.entrypoint`). */
  decision: SessionExchange["decision"];
  toolDecisions?: RecordedToolDecision[];
  timings: { authMs?: number | null; evaluationMs?: number | null; upstreamMs?: number | null; totalMs?: number | null };
}

export interface TrimOptions {
  maxBodyBytes: number;
  maxInputBytes: number;
  /** Keep the decision document. */
  keepDocuments: boolean;
  /** Copy the input (its JSON parsed again): false when the exchange is a copy already (it crossed to a thread). */
  copy: boolean;
}

/** The exchange as stored: bodies cut, credentials dropped, the stream reassembled. */
export function trimExchange(e: ExchangeData, o: TrimOptions): SessionExchange {
  let response: SessionExchange["response"] = null;
  if (e.response) {
    const r = e.response;
    response = { status: r.status, headers: recordedHeaders(r.headers), body: null };
    if (r.captured !== undefined) {
      const c = r.captured;
      const stream = c.stream ?? (c.sse !== undefined ? reassembleSse(c.sse, o.maxBodyBytes) : undefined);
      if (stream) response.stream = stream;
      else if (c.sse !== undefined) response.body = recordedBody(c.sse, o.maxBodyBytes, false);
      else {
        const parse = !String(response.headers["content-type"] ?? "").includes("event-stream");
        response.body = capturedBody(c, (b) => recordedBody(b, o.maxBodyBytes, parse));
      }
    } else if (r.sse !== undefined) {
      const text = typeof r.sse === "string" ? r.sse : Buffer.from(r.sse.buffer, r.sse.byteOffset, r.sse.byteLength).toString("utf8");
      const stream = reassembleSse(text);
      if (stream) response.stream = stream;
      else response.body = recordedBody(text, o.maxBodyBytes, false);
    } else response.body = recordedBody(r.body, o.maxBodyBytes);
  }
  const input = withoutCredentialHeaders(e.input);
  const inputJson = JSON.stringify(input ?? null);
  const inputFits = Buffer.byteLength(inputJson) <= o.maxInputBytes;
  return {
    sessionId: e.sessionId,
    decisionId: e.decisionId,
    time: e.time,
    subject: e.subject ?? null,
    repository: e.repository ?? null,
    connection: e.connection,
    request: { method: e.request.method, path: e.request.path, headers: recordedHeaders(e.request.headers), body: recordedBody(e.request.body, o.maxBodyBytes) },
    response,
    input: !inputFits ? null : o.copy ? (JSON.parse(inputJson) as unknown) : input,
    ...(e.inputMasked === true ? { inputMasked: true } : {}),
    decision: {
      outcome: e.decision.outcome,
      reasons: [...e.decision.reasons],
      revision: e.decision.revision,
      entrypoint: [...e.decision.entrypoint],
      ...(o.keepDocuments !== false && e.decision.document !== undefined ? { document: e.decision.document } : {}),
    },
    toolDecisions: (e.toolDecisions ?? []).map((t) => ({ ...t, reasons: [...t.reasons] })),
    timings: {
      authMs: e.timings.authMs ?? null,
      evaluationMs: e.timings.evaluationMs ?? null,
      upstreamMs: e.timings.upstreamMs ?? null,
      totalMs: e.timings.totalMs ?? null,
    },
  };
}

/** Headers as recorded: lower-case names, values joined, credentials dropped. */
export function recordedHeaders(headers: HeaderMap | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (v === undefined || UNRECORDED_HEADERS.has(name)) continue;
    out[name] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return out;
}

function withoutCredentialHeaders(input: unknown): unknown {
  if (input === null || typeof input !== "object") return input ?? null;
  const i = input as { request?: { headers?: HeaderMap } };
  if (i.request?.headers === undefined || typeof i.request.headers !== "object") return input;
  return { ...i, request: { ...i.request, headers: recordedHeaders(i.request.headers) } };
}

/** Cuts `text` to at most `max` UTF-8 bytes, at a character boundary. */
function cut(text: string, max: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // not inside a multi-byte character
  return buf.subarray(0, end).toString("utf8");
}

/**
 * A (masked) body as recorded: JSON values as JSON, strings and Buffers as text (parsed as JSON when `parse` and it
 * is JSON), a Buffer that is not UTF-8 as `binary` (not kept). Longer than `max` bytes: the beginning, as text.
 */
export function recordedBody(body: unknown, max: number, parse = true): RecordedBody | null {
  if (body === undefined || body === null) return null;
  let text: string;
  let json: unknown;
  let isJson = false;
  if (body instanceof Uint8Array) {
    if (body.length === 0) return null;
    if (!isUtf8(body)) return { truncated: false, size: body.length, binary: true };
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  } else if (typeof body === "string") text = body;
  else {
    text = JSON.stringify(body) ?? "null";
    isJson = true;
  }
  const size = Buffer.byteLength(text);
  if (size > max) return { text: cut(text, max), truncated: true, size };
  if (isJson || (parse && /^\s*[[{]/.test(text))) {
    try {
      // a copy (parsed afresh): the caller's object may change after record() returns
      json = JSON.parse(text);
      isJson = true;
    } catch {
      // text, then
    }
  }
  return isJson ? { json, truncated: false, size } : { text, truncated: false, size };
}

/**
 * Reassembles an Anthropic Messages stream (masked SSE text): the text blocks joined, the tool calls with their
 * inputs, the stop reason, an error event's message. Undefined when the text holds no Messages API event.
 */
export function reassembleSse(sse: string | Uint8Array, maxChars?: number): RecordedStream | undefined {
  const a = new StreamAssembler(maxChars);
  a.push(sse);
  return a.result();
}
