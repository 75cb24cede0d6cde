// Masking request bodies before they reach the model: every string value of a JSON body (system prompt, message
// text blocks, tool_result content, tool_use inputs, …) is masked as a whole text; other bodies as UTF-8 text.
//
// Values only, never object keys: keys are the body's schema (Messages API field names, a tool's input parameter
// names, JSON-schema property names in `tools`), so masking one changes what the request means, and two keys masked
// to the same replacement would collide and silently lose a value. Secrets travel in values; a secret used as a key
// passes (a documented limit).
// Opaque values are left alone by default, since changing them breaks the request without protecting anything
// readable: base64 `data` of image/document sources ({"type": "base64"}), a thinking block's `signature`, a
// redacted_thinking block's `data`.
import { type MaskHit, Masker, hitsOf } from "./patterns.js";

export interface JsonMaskOptions {
  /** Skip the opaque values listed above (default true). */
  skipOpaque?: boolean;
}

type Json = Record<string, unknown>;

/** out[key] = value, also for the key "__proto__" (an assignment would set the prototype and lose the value). */
function define(out: Json, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function opaqueKey(obj: Json, key: string): boolean {
  if (key === "data") return obj.type === "base64" || obj.type === "redacted_thinking";
  if (key === "signature") return obj.type === "thinking";
  return false;
}

/** A copy of `value` with every string value masked (objects and arrays rebuilt; unchanged parts shared). */
export function maskJson(value: unknown, masker: Masker, options: JsonMaskOptions = {}): { value: unknown; hits: MaskHit[] } {
  const counts = new Map<string, number>();
  const skipOpaque = options.skipOpaque !== false;
  // Copies are made only on the first change (most values have no secret: they come back as they are, no allocation).
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return masker.scanAll(v, 0, counts);
    if (typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        const y = walk(x);
        if (y !== x) (out ??= v.slice())[i] = y;
      }
      return out ?? v;
    }
    const keys = Object.keys(v);
    let out: Json | null = null;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = (v as Json)[k];
      const y = skipOpaque && opaqueKey(v as Json, k) ? x : walk(x);
      if (y === x) continue;
      if (out === null) {
        out = {};
        for (const j of keys) define(out, j, (v as Json)[j]);
      }
      define(out, k, y);
    }
    return out ?? v;
  };
  if (masker.empty) return { value, hits: [] };
  const out = walk(value);
  return { value: out, hits: hitsOf(counts) };
}

export interface BodyMaskResult {
  body: Buffer;
  hits: MaskHit[];
  /** How the body was read: JSON string values, UTF-8 text, or not at all (binary: not valid UTF-8). */
  as: "json" | "text" | "binary" | "empty";
  changed: boolean;
}

/**
 * Masks a request body: as JSON when it parses (string values only), else as UTF-8 text. A body that is not valid
 * UTF-8 comes back unchanged with `as: "binary"`: the caller decides (the gateway should refuse it when masking is on).
 */
export function maskBody(body: Buffer, masker: Masker, options: JsonMaskOptions = {}): BodyMaskResult {
  if (body.length === 0) return { body, hits: [], as: "empty", changed: false };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { body, hits: [], as: "binary", changed: false };
  }
  if (masker.empty) return { body, hits: [], as: "text", changed: false };
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(text);
    isJson = true;
  } catch {
    // not JSON: masked as text below
  }
  if (isJson) {
    const { value, hits } = maskJson(parsed, masker, options);
    if (hits.length === 0) return { body, hits, as: "json", changed: false };
    return { body: Buffer.from(JSON.stringify(value), "utf8"), hits, as: "json", changed: true };
  }
  const { text: masked, hits } = masker.maskText(text);
  if (hits.length === 0) return { body, hits, as: "text", changed: false };
  return { body: Buffer.from(masked, "utf8"), hits, as: "text", changed: true };
}
