// JSON as OPA's Go runtime writes and reads it (encoding/json), for json.marshal, json.unmarshal, json.is_valid and
// the encoders built on them.
//
// Writing: object keys sorted, sets as sorted arrays, non-string keys as their JSON text, strings escaped as Go does
// (HTML-safe: <, > and & as \u003c, \u003e, \u0026; U+2028, U+2029 escaped). Reading: exact big integers, and Go's
// error messages ("invalid character 'x' looking for beginning of value", "unexpected EOF").
import {
  formatNumber,
  isSet,
  ObjectBuilder,
  objectEntries,
  parseNumberLiteral,
  compareStrings,
  type Value,
} from "../value/value.js";
import { goString, utf8Bytes } from "./operands.js";

// ---------------------------------------------------------------------------------------------------------------
// Writing

const HEX = "0123456789abcdef";

/** A string as Go's json.Marshal quotes it. */
export function quoteJSON(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      esc =
        c === 0x08 ? "\\b" : c === 0x0c ? "\\f" : c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : c === 0x09 ? "\\t" : "\\u00" + HEX[c >> 4]! + HEX[c & 15]!;
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (c === 0x3c) esc = "\\u003c";
    else if (c === 0x3e) esc = "\\u003e";
    else if (c === 0x26) esc = "\\u0026";
    else if (c === 0x2028) esc = "\\u2028";
    else if (c === 0x2029) esc = "\\u2029";
    else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      esc = "\ufffd";
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function numberText(n: number | bigint): string {
  if (typeof n === "bigint") return n.toString();
  if (Object.is(n, -0)) return "-0";
  return formatNumber(n);
}

/** Object entries as Go's encoding/json orders them: keys as strings (non-strings as JSON text), sorted. */
function jsonEntries(v: Value): [string, Value][] {
  const byKey = new Map<string, Value>();
  for (const [k, x] of objectEntries(v as Parameters<typeof objectEntries>[0])) {
    byKey.set(typeof k === "string" ? k : marshalJSON(k), x);
  }
  return [...byKey.entries()].sort((a, b) => compareStrings(a[0], b[0]));
}

/** json.Marshal of a value (compact). */
export function marshalJSON(v: Value): string {
  switch (typeof v) {
    case "string":
      return quoteJSON(v);
    case "number":
    case "bigint":
      return numberText(v);
    case "boolean":
      return v ? "true" : "false";
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return "[" + v.map(marshalJSON).join(",") + "]";
      if (isSet(v)) return "[" + v.sorted().map(marshalJSON).join(",") + "]";
      return "{" + jsonEntries(v).map(([k, x]) => quoteJSON(k) + ":" + marshalJSON(x)).join(",") + "}";
  }
}

/** json.MarshalIndent of a value (the first line not prefixed, as in Go). */
export function marshalJSONIndent(v: Value, prefix: string, indent: string): string {
  const write = (x: Value, depth: number): string => {
    const nl = (d: number) => "\n" + prefix + indent.repeat(d);
    if (Array.isArray(x) || isSet(x)) {
      const items = Array.isArray(x) ? x : x.sorted();
      if (items.length === 0) return "[]";
      return "[" + items.map((y) => nl(depth + 1) + write(y, depth + 1)).join(",") + nl(depth) + "]";
    }
    if (x !== null && typeof x === "object") {
      const entries = jsonEntries(x);
      if (entries.length === 0) return "{}";
      return (
        "{" + entries.map(([k, y]) => nl(depth + 1) + quoteJSON(k) + ": " + write(y, depth + 1)).join(",") + nl(depth) + "}"
      );
    }
    return marshalJSON(x);
  };
  return write(v, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export class JSONSyntaxError extends Error {}

/** Go's quoteChar: how a byte is shown in a syntax error. */
export function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return "'" + goQuoteRune(c) + "'";
}

/** The inside of strconv.Quote for a single rune (Go's escaping of non-printable runes). */
export function goQuoteRune(r: number): string {
  switch (r) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
    case 0x5c:
      return "\\\\";
    case 0x22:
      return '\\"';
  }
  if (r < 0x20 || r === 0x7f) return "\\x" + HEX[r >> 4]! + HEX[r & 15]!;
  if (!isPrintRune(r)) {
    if (r < 0x10000) return "\\u" + r.toString(16).padStart(4, "0");
    return "\\U" + r.toString(16).padStart(8, "0");
  }
  return String.fromCodePoint(r);
}

/** An approximation of Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrintRune(r: number): boolean {
  if (r === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(r));
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Raised at the end of the input inside a value (the streaming decoder's io.ErrUnexpectedEOF). */
class EndOfInput extends Error {}

class Parser {
  i = 0;
  constructor(readonly b: Uint8Array) {}

  private peek(): number {
    if (this.i >= this.b.length) throw new EndOfInput();
    return this.b[this.i]!;
  }
  private error(c: number, context: string): never {
    throw new JSONSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  }
  skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i]!)) this.i++;
  }

  value(context = "looking for beginning of value"): Value {
    this.skipSpace();
    const c = this.peek();
    switch (c) {
      case 0x7b:
        return this.object();
      case 0x5b:
        return this.array();
      case 0x22:
        return this.string();
      case 0x74:
        return this.literal("true", true);
      case 0x66:
        return this.literal("false", false);
      case 0x6e:
        return this.literal("null", null);
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        return this.error(c, context);
    }
  }

  private literal(word: string, v: Value): Value {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      const c = this.peek();
      if (c !== word.charCodeAt(k)) this.error(c, `in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      this.i++;
    }
    return v;
  }

  private number(): Value {
    const start = this.i;
    if (this.b[this.i] === 0x2d) {
      this.i++;
      const c = this.peek();
      if (!isDigit(c)) this.error(c, "in numeric literal");
    }
    if (this.b[this.i] === 0x30) this.i++;
    else while (this.i < this.b.length && isDigit(this.b[this.i]!)) this.i++;
    if (this.i < this.b.length && this.b[this.i] === 0x2e) {
      this.i++;
      const c = this.peek();
      if (!isDigit(c)) this.error(c, "after decimal point in numeric literal");
      while (this.i < this.b.length && isDigit(this.b[this.i]!)) this.i++;
    }
    if (this.i < this.b.length && (this.b[this.i] === 0x65 || this.b[this.i] === 0x45)) {
      this.i++;
      let c = this.peek();
      if (c === 0x2b || c === 0x2d) {
        this.i++;
        c = this.peek();
      }
      if (!isDigit(c)) this.error(c, "in exponent of numeric literal");
      while (this.i < this.b.length && isDigit(this.b[this.i]!)) this.i++;
    }
    const text = Buffer.from(this.b.subarray(start, this.i)).toString("latin1");
    return parseNumberLiteral(text);
  }

  private string(): string {
    this.i++;
    const bytes: number[] = [];
    for (;;) {
      const c = this.peek();
      this.i++;
      if (c === 0x22) break;
      if (c < 0x20) this.error(c, "in string literal");
      if (c !== 0x5c) {
        bytes.push(c);
        continue;
      }
      const e = this.peek();
      this.i++;
      switch (e) {
        case 0x22:
        case 0x5c:
        case 0x2f:
          bytes.push(e);
          break;
        case 0x62:
          bytes.push(0x08);
          break;
        case 0x66:
          bytes.push(0x0c);
          break;
        case 0x6e:
          bytes.push(0x0a);
          break;
        case 0x72:
          bytes.push(0x0d);
          break;
        case 0x74:
          bytes.push(0x09);
          break;
        case 0x75: {
          let r = this.hex4();
          if (r >= 0xd800 && r < 0xdc00) {
            // a high surrogate: combined with a following \u low surrogate, else U+FFFD
            const save = this.i;
            if (this.b[this.i] === 0x5c && this.b[this.i + 1] === 0x75) {
              this.i += 2;
              const lo = this.hex4();
              if (lo >= 0xdc00 && lo < 0xe000) r = 0x10000 + ((r - 0xd800) << 10) + (lo - 0xdc00);
              else {
                this.i = save;
                r = 0xfffd;
              }
            } else r = 0xfffd;
          } else if (r >= 0xdc00 && r < 0xe000) r = 0xfffd;
          for (const x of utf8Bytes(String.fromCodePoint(r))) bytes.push(x);
          break;
        }
        default:
          this.error(e, "in string escape code");
      }
    }
    return goString(Uint8Array.from(bytes));
  }

  private hex4(): number {
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.peek();
      if (!isHex(c)) this.error(c, "in \\u hexadecimal character escape");
      r = r * 16 + parseInt(String.fromCharCode(c), 16);
      this.i++;
    }
    return r;
  }

  private array(): Value[] {
    this.i++;
    const out: Value[] = [];
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.error(c, "after array element");
    }
  }

  private object(): Value {
    this.i++;
    const out = new ObjectBuilder();
    this.skipSpace();
    let c = this.peek();
    if (c === 0x7d) {
      this.i++;
      return out.build();
    }
    for (;;) {
      if (c !== 0x22) this.error(c, "looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      c = this.peek();
      if (c !== 0x3a) this.error(c, "after object key");
      this.i++;
      out.set(key, this.value());
      this.skipSpace();
      c = this.peek();
      this.i++;
      if (c === 0x7d) return out.build();
      if (c !== 0x2c) this.error(c, "after object key:value pair");
      this.skipSpace();
      c = this.peek();
    }
  }
}

/**
 * OPA's util.UnmarshalJSON: one value read by Go's streaming decoder, then anything but whitespace after it is an
 * error. Throws JSONSyntaxError with Go's message.
 */
export function unmarshalJSON(text: string): Value {
  const p = new Parser(utf8Bytes(text));
  p.skipSpace();
  if (p.i >= p.b.length) throw new JSONSyntaxError("EOF");
  let v: Value;
  try {
    v = p.value();
  } catch (e) {
    if (e instanceof EndOfInput) throw new JSONSyntaxError("unexpected EOF");
    throw e;
  }
  p.skipSpace();
  if (p.i >= p.b.length) return v;
  // what decoder.Token() makes of the rest
  const c = p.b[p.i]!;
  const moreValues = "error(s) occurred while decoding: %!w(<nil>)";
  if (c === 0x7b || c === 0x5b) throw new JSONSyntaxError(moreValues);
  if (c === 0x5d || c === 0x7d || c === 0x2c || c === 0x3a) {
    throw new JSONSyntaxError(`invalid character ${quoteChar(c)} looking for beginning of value`);
  }
  try {
    p.value();
  } catch (e) {
    if (e instanceof EndOfInput) throw new JSONSyntaxError("unexpected EOF");
    throw e;
  }
  throw new JSONSyntaxError(moreValues);
}

/** Go's json.Valid: exactly one JSON value, with whitespace around it. */
export function validJSON(text: string): boolean {
  const p = new Parser(utf8Bytes(text));
  try {
    p.value();
    p.skipSpace();
    return p.i === p.b.length;
  } catch (e) {
    if (e instanceof EndOfInput || e instanceof JSONSyntaxError) return false;
    throw e;
  }
}

