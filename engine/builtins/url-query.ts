// URL query encoding as Go's net/url does it (QueryEscape, QueryUnescape, ParseQuery), for the urlquery.* built-ins.
import { compareStrings, isObject, isSet, objectEntries, type Value } from "../value/value.js";
import { goQuoteRune, marshalJSON } from "./gojson.js";
import { goString, operandErr, typeErr, utf8Bytes } from "./operands.js";

const UPPER_HEX = "0123456789ABCDEF";

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += "+";
    else out += "%" + UPPER_HEX[b >> 4] + UPPER_HEX[b & 15];
  }
  return out;
}

/** Go's strconv.Quote of bytes (invalid UTF-8 as \x escapes). */
function goQuoteBytes(bytes: Uint8Array): string {
  let out = '"';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += goQuoteRune(b);
      i++;
      continue;
    }
    const text = goString(bytes.subarray(i, Math.min(bytes.length, i + 4)));
    const first = text.codePointAt(0)!;
    if (first === 0xfffd && !(bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd)) {
      out += "\\x" + b.toString(16).padStart(2, "0");
      i++;
      continue;
    }
    out += goQuoteRune(first);
    i += utf8Bytes(String.fromCodePoint(first)).length;
  }
  return out + '"';
}

export class EscapeError extends Error {}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const src = utf8Bytes(s);
  const isHex = (c: number | undefined) =>
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
  for (let i = 0; i < src.length; ) {
    if (src[i] === 0x25) {
      if (i + 2 >= src.length || !isHex(src[i + 1]) || !isHex(src[i + 2])) {
        const bad = src.subarray(i, Math.min(src.length, i + 3));
        throw new EscapeError(`invalid URL escape ${goQuoteBytes(bad)}`);
      }
      i += 3;
    } else i++;
  }
  const out: number[] = [];
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === 0x25) {
      out.push(parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16));
      i += 3;
    } else {
      out.push(c === 0x2b ? 0x20 : c);
      i++;
    }
  }
  return goString(Uint8Array.from(out));
}

/** Go's url.ParseQuery: the values per key, and the error it reports (the parse goes on past errors). */
export function parseQuery(query: string): { values: Map<string, string[]>; error?: string } {
  const values = new Map<string, string[]>();
  let error: string | undefined;
  let rest = query;
  while (rest !== "") {
    const amp = rest.indexOf("&");
    let key = amp < 0 ? rest : rest.slice(0, amp);
    rest = amp < 0 ? "" : rest.slice(amp + 1);
    if (key.includes(";")) {
      error = "invalid semicolon separator in query";
      continue;
    }
    if (key === "") continue;
    const eq = key.indexOf("=");
    let value = eq < 0 ? "" : key.slice(eq + 1);
    key = eq < 0 ? key : key.slice(0, eq);
    try {
      key = queryUnescape(key);
      value = queryUnescape(value);
    } catch (e) {
      if (!(e instanceof EscapeError)) throw e;
      error ??= e.message;
      continue;
    }
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return error === undefined ? { values } : { values, error };
}

const ENCODE_OBJECT_ERROR = "values must be string, array[string], or set[string]";

export function encodeObject(o: Value | undefined): string {
  if (!isObject(o)) throw typeErr(1, o, "object");
  const byKey = new Map<string, string[]>();
  for (const [k, v] of objectEntries(o)) {
    const key = typeof k === "string" ? k : marshalJSON(k);
    let list: string[];
    if (typeof v === "string") list = [v];
    else if (Array.isArray(v) || isSet(v)) {
      list = (Array.isArray(v) ? v : v.sorted()).map((x) => {
        if (typeof x !== "string") throw operandErr(1, ENCODE_OBJECT_ERROR);
        return x;
      });
    } else throw operandErr(1, ENCODE_OBJECT_ERROR);
    byKey.set(key, list);
  }
  const parts: string[] = [];
  for (const key of [...byKey.keys()].sort(compareStrings)) {
    for (const v of byKey.get(key)!) parts.push(queryEscape(key) + "=" + queryEscape(v));
  }
  return parts.join("&");
}
