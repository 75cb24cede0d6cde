// Values as OPA prints terms (ast.Term's String), with Go's strconv quoting (Quote, QuoteRune, CanBackquote).
import { formatNumber, isSet, sortedEntries, type Value } from "../value/value.js";

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint. */
export function isPrint(c: number): boolean {
  if (c < 0x80) return c >= 0x20 && c < 0x7f;
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
  return PRINTABLE.test(String.fromCodePoint(c));
}

function escapeRune(c: number, quote: number, asciiOnly: boolean): string {
  if (c === quote || c === 0x5c) return "\\" + String.fromCharCode(c);
  if (asciiOnly ? c < 0x80 && isPrint(c) : isPrint(c)) return String.fromCodePoint(c);
  switch (c) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (c < 0x20 || c === 0x7f) return "\\x" + c.toString(16).padStart(2, "0");
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) c = 0xfffd;
  if (c < 0x10000) return "\\u" + c.toString(16).padStart(4, "0");
  return "\\U" + c.toString(16).padStart(8, "0");
}

/** strconv.Quote (or QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 0x22, asciiOnly);
  return out + '"';
}

export function goQuoteRune(c: number, asciiOnly: boolean): string {
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c < 0) c = 0xfffd;
  return "'" + escapeRune(c, 0x27, asciiOnly) + "'";
}

export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfeff) return false;
    if (c >= 0x80) continue;
    if ((c < 0x20 && c !== 0x09) || c === 0x60 || c === 0x7f) return false;
  }
  return true;
}

/** A value as OPA prints a term: strings quoted, `[1, 2]`, `{"a": 1}`, `{1, 2}`, `set()`. */
export function regoText(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return formatNumber(v);
    case "bigint":
      return v.toString();
    case "string":
      return goQuote(v);
  }
  if (Array.isArray(v)) return "[" + v.map(regoText).join(", ") + "]";
  if (isSet(v)) return v.size === 0 ? "set()" : "{" + v.sorted().map(regoText).join(", ") + "}";
  return "{" + sortedEntries(v).map(([k, x]) => regoText(k) + ": " + regoText(x)).join(", ") + "}";
}
