// The decision's obligations applied in the data path: `mask` (secret patterns replaced in the request before it
// reaches the model and in the response before it reaches the agent, streams included) and tool-call decisions on
// the model's answer. Whatever cannot be applied safely fails closed.
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import { isDeepStrictEqual } from "node:util";
import type { UpstreamResponse } from "./forward.js";
import { GatewayError } from "./errors.js";
import { maskAnthropicReadable, type ToolDecision, type ToolUseBlock } from "./masking/anthropic-stream.js";
import { maskBody, maskJson } from "./masking/json-body.js";
import { compileMasks, type MaskHit, type Masker } from "./masking/patterns.js";

type MaskerEntry = { masker: Masker } | { problems: string[] };
const cache = new Map<string, MaskerEntry>();
/** The last list asked for: as given (`source`), a copy of it (`mask`), and whether `source` is deep-frozen. */
let last: { source: unknown; frozen: boolean; mask: unknown; entry: MaskerEntry } | undefined;

let none: Masker | undefined;

/** A masker that masks nothing (streams still pass through the tool-call checks). */
export function emptyMasker(): Masker {
  if (none) return none;
  const r = compileMasks([]);
  if (!r.ok) throw new Error("an empty mask list must compile");
  return (none = r.masker);
}

/**
 * The masker for a decision's `mask` obligation (compiled once per distinct list: a pack sends the same list every
 * time). Undefined when the decision asks for no masking; problems when the list is invalid.
 */
export function maskerFor(document: unknown): { ok: true; masker: Masker | undefined } | { ok: false; problems: string[] } {
  const mask = typeof document === "object" && document !== null ? (document as { mask?: unknown }).mask : undefined;
  if (mask === undefined || mask === null || (Array.isArray(mask) && mask.length === 0)) return { ok: true, masker: undefined };
  // A pack sends the same list every time: the very same frozen object from decide() (a rule computed once), or
  // else compared with the last one without building its text first.
  let entry = last !== undefined && ((last.frozen && mask === last.source) || isDeepStrictEqual(mask, last.mask)) ? last.entry : undefined;
  if (entry === undefined) {
    const key = JSON.stringify(mask);
    entry = cache.get(key);
    if (entry === undefined) {
      const r = compileMasks(mask);
      entry = r.ok ? { masker: r.masker } : { problems: r.errors.map((e) => `mask ${e.name ?? "?"}: ${e.message}`) };
      if (cache.size >= 64) cache.delete(cache.keys().next().value!);
      cache.set(key, entry);
    }
    // a copy: the document the list came from may change later (unless it is frozen)
    last = { source: mask, frozen: deepFrozen(mask), mask: JSON.parse(key) as unknown, entry };
  } else if (last!.source !== mask) last = { ...last!, source: mask, frozen: deepFrozen(mask) };
  return "masker" in entry ? { ok: true, masker: entry.masker } : { ok: false, problems: entry.problems };
}

function deepFrozen(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deepFrozen);
}

/**
 * The decision document as a session records it: a valid `mask` list by its patterns' names only. The patterns are
 * the bundle's, whose revision the record names; kept whole they were most of each record (with the shipped pack,
 * 2.3 of 5.2 KB). Anything else, an invalid list included, is kept as it is. `masks`: what maskerFor said of it.
 */
export function recordedDocument(document: unknown, masks: ReturnType<typeof maskerFor>): unknown {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return document;
  const mask = (document as { mask?: unknown }).mask;
  if (!Array.isArray(mask) || mask.length === 0 || !masks.ok) return document;
  return { ...document, mask: mask.map((m) => (m as { name: string }).name) };
}

/**
 * The request body with the secrets masked, before it is forwarded. A body that cannot be read as text is refused.
 * `parsed`: the body already parsed as JSON by the caller (undefined: not JSON), so it is not parsed again; then
 * `json` is its masked copy (unchanged parts shared).
 */
export function maskRequest(body: Buffer, masker: Masker | undefined, parsed?: unknown): { body: Buffer; hits: MaskHit[]; json?: unknown } {
  if (!masker || body.length === 0) return { body, hits: [], json: parsed };
  if (parsed === undefined) {
    const r = maskBody(body, masker);
    if (r.as === "binary") throw new GatewayError("GUARD_BAD_REQUEST", "the request body is not UTF-8 text, so it cannot be checked for secrets");
    return { body: r.body, hits: r.hits };
  }
  if (!isUtf8(body)) throw new GatewayError("GUARD_BAD_REQUEST", "the request body is not UTF-8 text, so it cannot be checked for secrets");
  const { value, hits } = maskJson(parsed, masker);
  return { body: hits.length === 0 ? body : Buffer.from(JSON.stringify(value), "utf8"), hits, json: value };
}

export interface ResponseGuard {
  connectionType: "anthropic" | "http";
  masker: Masker | undefined;
  /** Decides each tool call the model makes (undefined: tool calls are not checked). */
  onToolUse?: (block: ToolUseBlock) => Promise<ToolDecision>;
  /** The largest non-streamed response read whole to mask it (default 32 MiB); larger fails closed. */
  maxBuffered?: number;
  /** Masked texts found in the response, reported as they are found. */
  onHits?: (hits: MaskHit[]) => void;
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable | Buffer;
}

function readAll(body: Readable, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    body.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        fail(new GatewayError("GUARD_UPSTREAM_ERROR", `the upstream's answer is larger than ${max} bytes and cannot be checked for secrets`));
        body.destroy();
        return;
      }
      chunks.push(c);
    });
    body.once("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    body.once("error", fail);
    body.once("close", () => {
      if (!settled) fail(new GatewayError("GUARD_UPSTREAM_ERROR", "the upstream's answer ended before it was complete"));
    });
  });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The upstream's answer with the obligations applied: streamed answers stay streamed. */
export async function guardResponse(res: UpstreamResponse, guard: ResponseGuard): Promise<GuardedResponse> {
  const { masker, onToolUse } = guard;
  if (!masker && !onToolUse) return res;
  const type = String(res.headers["content-type"] ?? "");
  const encoding = String(res.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding !== "identity") {
    // The gateway asked for an uncompressed answer; a compressed one cannot be checked, so it is not passed on.
    res.body.destroy();
    throw new GatewayError("GUARD_UPSTREAM_ERROR", `the upstream answered with content-encoding ${encoding}, which the gateway cannot check for secrets`);
  }
  const headers = { ...res.headers };
  delete headers["content-length"];
  if (guard.connectionType === "anthropic" && type.includes("text/event-stream")) {
    return { status: res.status, headers, body: maskAnthropicReadable(res.body, { masker: masker ?? emptyMasker(), onToolUse }) };
  }
  const textual = type.includes("json") || type.startsWith("text/") || type.includes("xml") || type.includes("yaml");
  if (!textual) return res; // images and other binary content carry no text to mask
  const raw = await readAll(res.body, guard.maxBuffered ?? 32 * 1024 * 1024);
  let out = raw;
  if (type.includes("json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const masked = masker ? maskJson(parsed, masker) : { value: parsed, hits: [] };
      if (masked.hits.length > 0) guard.onHits?.(masked.hits);
      if (guard.connectionType === "anthropic" && onToolUse && isObject(masked.value) && Array.isArray(masked.value.content)) {
        for (const [index, block] of (masked.value.content as unknown[]).entries()) {
          if (!isObject(block) || block.type !== "tool_use") continue;
          const verdict = await onToolUse({ index, type: "tool_use", id: typeof block.id === "string" ? block.id : null, name: String(block.name ?? ""), input: block.input ?? null });
          if (verdict !== "allow") throw new GatewayError("GUARD_TOOL_DENIED", `the model's call of tool ${String(block.name)} was denied: ${verdict.deny}`);
        }
      }
      out = masked.value === parsed ? raw : Buffer.from(JSON.stringify(masked.value));
    } else if (masker) out = maskText(raw, masker, guard);
  } else if (masker) out = maskText(raw, masker, guard);
  return { status: res.status, headers: { ...headers, "content-length": String(out.length) }, body: out };
}

function maskText(raw: Buffer, masker: Masker, guard: ResponseGuard): Buffer {
  const r = masker.maskText(raw.toString("utf8"));
  if (r.hits.length > 0) guard.onHits?.(r.hits);
  return Buffer.from(r.text);
}
