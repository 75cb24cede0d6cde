// String built-ins: concat, contains, endswith, startswith, format_int, indexof, indexof_n, lower, upper, replace,
// strings.replace_n, split, sprintf, substring, trim*, strings.reverse, strings.count, strings.any_prefix_match,
// strings.any_suffix_match, strings.render_template.
//
// OPA implements these with Go's strings and fmt packages; this file reproduces their results (indexes and lengths
// in code points, Go's Unicode case mapping and white space, Go's fmt for sprintf). `sprintf` passes its arguments
// to Go's fmt the way OPA does: integers as Go `int` (or `*big.Int` beyond 64 bits), other numbers as `float64`,
// strings as Go strings and every other value as its Rego text (so `%v` of a collection prints Rego syntax, and
// `%d` of a boolean prints "%!d(string=true)", exactly as OPA).
import {
  compareStrings,
  formatNumber,
  isObject,
  isSet,
  MapObject,
  sortedEntries,
  compare,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { any, arrayOf, boolean, number, objectOf, setOf, string, union } from "./types.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { arr, num, obj, str } from "./args.js";

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

/** An operand error with a message of its own (OPA's builtins.NewOperandErr): an eval_type_error. */
export class OperandError extends OperandTypeError {
  constructor(message: string) {
    super(0, "", undefined);
    this.message = message;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** builtins.IntOperand: an integer (fitting Go's int) or OPA's operand errors. */
export function goIntOperand(args: Value[], i: number): number {
  const v = num(args, i);
  if (typeof v === "bigint") {
    if (v < INT64_MIN || v > INT64_MAX) {
      throw new OperandError(`operand ${i + 1} must be integer number but got floating-point number`);
    }
    return Number(v);
  }
  if (!Number.isInteger(v)) {
    throw new OperandError(`operand ${i + 1} must be integer number but got floating-point number`);
  }
  return v;
}

function typeNameOf(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
  }
  if (Array.isArray(v)) return "array";
  if (isSet(v)) return "set";
  return "object";
}

/** Members of an array or set that must all be strings (OPA's StringSliceOperand / element errors). */
function stringElems(v: Value, pos: number): string[] {
  const items = Array.isArray(v) ? v : isSet(v) ? v.sorted() : undefined;
  if (!items) throw new OperandError(`operand ${pos} must be one of {array, set} but got ${typeNameOf(v)}`);
  const out: string[] = [];
  for (const x of items) {
    if (typeof x !== "string") {
      const tpe = typeNameOf(v);
      throw new OperandError(`operand ${pos} must be ${tpe} of strings but got ${tpe} containing ${typeNameOf(x)}`);
    }
    out.push(x);
  }
  return out;
}

function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// Go's unicode.ToUpper / ToLower are simple (one code point to one code point) mappings.
const UPPER_EXCEPTIONS = new Map<number, number>([
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
for (const base of [0x1f80, 0x1f90, 0x1fa0]) for (let k = 0; k < 8; k++) UPPER_EXCEPTIONS.set(base + k, base + 8 + k);
const LOWER_EXCEPTIONS = new Map<number, number>([[0x130, 0x69]]);

function mapCase(s: string, upper: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if (m.length === ch.length && codePointCount(m) === 1) out += m;
    else if (m === ch) out += ch;
    else {
      const special = (upper ? UPPER_EXCEPTIONS : LOWER_EXCEPTIONS).get(ch.codePointAt(0)!);
      out += special !== undefined ? String.fromCodePoint(special) : codePointCount(m) === 1 ? m : ch;
    }
  }
  return out;
}

/** Go's unicode.IsSpace. */
function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x20 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

function trimLeftBy(s: string, drop: (c: number) => boolean): string {
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    if (!drop(c)) break;
    i += c > 0xffff ? 2 : 1;
  }
  return s.slice(i);
}
function trimRightBy(s: string, drop: (c: number) => boolean): string {
  let j = s.length;
  while (j > 0) {
    let k = j - 1;
    const lo = s.charCodeAt(k);
    if (lo >= 0xdc00 && lo <= 0xdfff && k > 0) {
      const hi = s.charCodeAt(k - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) k--;
    }
    if (!drop(s.codePointAt(k)!)) break;
    j = k;
  }
  return s.slice(0, j);
}
function cutsetPredicate(cutset: string): (c: number) => boolean {
  const set = new Set<number>();
  for (const ch of cutset) set.add(ch.codePointAt(0)!);
  return (c) => set.has(c);
}

/** Go's strings.Replacer (as built by strings.NewReplacer): at each position the first matching old string in
 * argument order wins; an empty old string matches between characters (Go: between bytes). */
function goReplace(s: string, pairs: [string, string][]): string {
  if (pairs.length === 1 && pairs[0]![0] !== "") return s.split(pairs[0]![0]).join(pairs[0]![1]);
  let out = "";
  let last = 0;
  let i = 0;
  let prevMatchEmpty = false;
  while (i <= s.length) {
    let matched: [string, string] | undefined;
    for (const p of pairs) {
      if (p[0] === "" ? !prevMatchEmpty : s.startsWith(p[0], i)) {
        matched = p;
        break;
      }
    }
    prevMatchEmpty = matched !== undefined && matched[0] === "";
    if (matched) {
      out += s.slice(last, i) + matched[1];
      i += matched[0].length;
      last = i;
      continue;
    }
    if (i === s.length) break;
    const c = s.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
  }
  return out + s.slice(last);
}

// ---------------------------------------------------------------------------------------------------------------
// Rego text (OPA's ast.Term String) and Go quoting

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint. */
function isPrint(c: number): boolean {
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

function goQuoteRune(c: number, asciiOnly: boolean): string {
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c < 0) c = 0xfffd;
  return "'" + escapeRune(c, 0x27, asciiOnly) + "'";
}

function canBackquote(s: string): boolean {
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

// ---------------------------------------------------------------------------------------------------------------
// Go's fmt, for the argument types OPA passes to it

type GoArg = { t: "int"; v: bigint } | { t: "big"; v: bigint } | { t: "float"; v: number } | { t: "string"; v: string };

function toGoArg(v: Value): GoArg {
  if (typeof v === "string") return { t: "string", v };
  if (typeof v === "bigint") return v >= INT64_MIN && v <= INT64_MAX ? { t: "int", v } : { t: "big", v };
  if (typeof v === "number") {
    // Integers are Go ints (or *big.Int); a double beyond 2^53 written with an exponent stays a float64, as OPA
    // keeps such a number's text ("1e+21") and cannot read it as an integer.
    if (Number.isInteger(v) && (Number.isSafeInteger(v) || Math.abs(v) < 1e21)) {
      const b = BigInt(v);
      return b >= INT64_MIN && b <= INT64_MAX ? { t: "int", v: b } : { t: "big", v: b };
    }
    return { t: "float", v };
  }
  return { t: "string", v: regoText(v) };
}

function goTypeName(a: GoArg): string {
  return a.t === "int" ? "int" : a.t === "big" ? "*big.Int" : a.t === "float" ? "float64" : "string";
}

interface FmtState {
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
}

function clearFlags(): FmtState {
  return {
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
    minus: false,
    plus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
  };
}

class Printer {
  buf = "";
  f: FmtState = clearFlags();

  private padding(n: number): string {
    if (n <= 0) return "";
    return (this.f.zero && !this.f.minus ? "0" : " ").repeat(n);
  }
  /** fmt.pad / padString: width counts code points. */
  pad(s: string): void {
    const f = this.f;
    if (!f.widPresent || f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = f.wid - codePointCount(s);
    if (!f.minus) this.buf += this.padding(width) + s;
    else this.buf += s + this.padding(width);
  }

  // ---- integers (Go int)
  fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.buf += this.padding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = "0b" + digits;
      else if (base === 8 && digits[0] !== "0") digits = "0" + digits;
      else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
    }
    if (verb === "O") digits = "0o" + digits;
    if (negative) digits = "-" + digits;
    else if (f.plus) digits = "+" + digits;
    else if (f.space) digits = " " + digits;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = oldZero;
  }

  fmtC(v: bigint): void {
    let c = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    this.pad(String.fromCodePoint(c));
  }

  fmtQc(v: bigint): void {
    const c = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
    this.pad(goQuoteRune(c, this.f.plus));
  }

  fmtUnicode(v: bigint): void {
    const f = this.f;
    const u = v < 0n ? v + 2n ** 64n : v;
    let prec = 4;
    if (f.precPresent && f.prec > 4) prec = f.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    s = "U+" + s;
    if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
  }

  printInt(v: bigint, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
      case "d":
        return this.fmtInteger(v, 10, verb, false);
      case "b":
        return this.fmtInteger(v, 2, verb, false);
      case "o":
      case "O":
        return this.fmtInteger(v, 8, verb, false);
      case "x":
        return this.fmtInteger(v, 16, verb, false);
      case "X":
        return this.fmtInteger(v, 16, verb, true);
      case "c":
        return this.fmtC(v);
      case "q":
        return this.fmtQc(v);
      case "U":
        return this.fmtUnicode(v);
      default:
        return this.badVerb(verb, arg);
    }
  }

  // ---- *big.Int (its own Format method)
  printBig(x: bigint, verb: string): void {
    const f = this.f;
    let base: number;
    switch (verb) {
      case "b":
        base = 2;
        break;
      case "o":
      case "O":
        base = 8;
        break;
      case "d":
      case "s":
      case "v":
        base = 10;
        break;
      case "x":
      case "X":
        base = 16;
        break;
      default:
        this.buf += `%!${verb}(big.Int=${x.toString()})`;
        return;
    }
    const plusFlag = f.plus || f.plusV;
    const sharpFlag = f.sharp || f.sharpV;
    const sign = x < 0n ? "-" : plusFlag ? "+" : f.space ? " " : "";
    let prefix = "";
    if (sharpFlag) {
      if (verb === "b") prefix = "0b";
      else if (verb === "o") prefix = "0";
      else if (verb === "x") prefix = "0x";
      else if (verb === "X") prefix = "0X";
    }
    if (verb === "O") prefix = "0o";
    let digits = (x < 0n ? -x : x).toString(base);
    if (verb === "X") digits = digits.toUpperCase();
    let left = 0;
    let zeros = 0;
    let right = 0;
    if (f.precPresent) {
      if (digits.length < f.prec) zeros = f.prec - digits.length;
      else if (digits === "0" && f.prec === 0) return;
    }
    const length = sign.length + prefix.length + zeros + digits.length;
    if (f.widPresent && length < f.wid) {
      const d = f.wid - length;
      if (f.minus) right = d;
      else if (f.zero && !f.precPresent) zeros = d;
      else left = d;
    }
    this.buf += " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
  }

  // ---- float64
  printFloat(v: number, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
        return this.fmtFloat(v, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return this.fmtFloat(v, verb, -1);
      case "f":
      case "e":
      case "E":
        return this.fmtFloat(v, verb, 6);
      case "F":
        return this.fmtFloat(v, "f", 6);
      default:
        return this.badVerb(verb, arg);
    }
  }

  fmtFloat(v: number, verb: string, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] === "-" || num[0] === "+") {
      // keep
    } else num = "+" + num;
    if (f.space && num[0] === "+" && !f.plus) num = " " + num.slice(1);
    if (f.sharp && verb !== "b") {
      let digits = 0;
      if (verb === "v" || verb === "g" || verb === "G" || verb === "x") {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = "";
      let body = num;
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < body.length; i++) {
        const ch = body[i]!;
        if (ch === ".") hasDecimalPoint = true;
        else if (ch === "p" || ch === "P") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((ch === "e" || ch === "E") && verb !== "x" && verb !== "X") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (ch !== "0") sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === "0") digits--;
        body += ".";
      }
      while (digits > 0) {
        body += "0";
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== "+") {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0] + "0".repeat(f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- string
  printString(s: string, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) return this.fmtQ(s);
        return this.fmtS(s);
      case "s":
        return this.fmtS(s);
      case "x":
        return this.fmtSx(s, false);
      case "X":
        return this.fmtSx(s, true);
      case "q":
        return this.fmtQ(s);
      default:
        return this.badVerb(verb, arg);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    let n = this.f.prec;
    let i = 0;
    for (const ch of s) {
      if (n-- <= 0) return s.slice(0, i);
      i += ch.length;
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    const bytes = Buffer.from(s, "utf8");
    let length = bytes.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.buf += this.padding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.buf += this.padding(f.wid - width);
    const x = upper ? "0X" : "0x";
    let out = f.sharp ? x : "";
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += " ";
        if (f.sharp) out += x;
      }
      const h = bytes[i]!.toString(16).padStart(2, "0");
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.buf += this.padding(f.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(goQuote(s, this.f.plus));
  }

  // ---- dispatch
  printArg(arg: GoArg, verb: string): void {
    if (verb === "T") {
      this.fmtS(goTypeName(arg));
      return;
    }
    switch (arg.t) {
      case "int":
        return this.printInt(arg.v, verb, arg);
      case "big":
        return this.printBig(arg.v, verb);
      case "float":
        return this.printFloat(arg.v, verb, arg);
      case "string":
        return this.printString(arg.v, verb, arg);
    }
  }

  badVerb(verb: string, arg: GoArg): void {
    this.buf += "%!" + verb + "(" + goTypeName(arg) + "=";
    this.printArg(arg, "v");
    this.buf += ")";
  }
}

/** Go's fmt.Sprintf for the argument kinds OPA produces. */
export function goSprintf(format: string, a: GoArg[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const parsenum = (start: number): [number, boolean, number] => {
    let n = 0;
    let isnum = false;
    let i = start;
    if (start >= end) return [0, false, end];
    for (; i < end && format[i]! >= "0" && format[i]! <= "9"; i++) {
      if (n > 1e6 || n < -1e6) return [0, false, end];
      n = n * 10 + (format.charCodeAt(i) - 0x30);
      isnum = true;
    }
    return [n, isnum, i];
  };
  const argNumber = (i: number): [number, number, boolean] => {
    if (i >= end || format[i] !== "[") return [argNum, i, false];
    reordered = true;
    // parseArgNumber
    let index = 0;
    let wid = 1;
    let ok = false;
    if (end - i >= 3) {
      for (let j = i + 1; j < end; j++) {
        if (format[j] === "]") {
          const [w, isnum, newi] = parsenum(i + 1);
          if (!isnum || newi !== j) {
            wid = j - i + 1;
            ok = false;
          } else {
            index = w - 1;
            wid = j - i + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
    goodArgNum = false;
    return [argNum, i + wid, ok];
  };
  const intFromArg = (): [number, boolean] => {
    let n = 0;
    let isInt = false;
    if (argNum < a.length) {
      const x = a[argNum]!;
      if (x.t === "int") {
        n = Number(x.v);
        isInt = true;
      }
      argNum++;
      if (n > 1e6 || n < -1e6) {
        n = 0;
        isInt = false;
      }
    }
    return [n, isInt];
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.f = clearFlags();
    const f = p.f;
    let simple = false;
    for (; i < end; i++) {
      const c = format[i]!;
      if (c === "#") f.sharp = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "+") f.plus = true;
      else if (c === "-") {
        f.minus = true;
        f.zero = false;
      } else if (c === " ") f.space = true;
      else {
        if (c >= "a" && c <= "z" && argNum < a.length) {
          if (c === "v") {
            f.sharpV = f.sharp;
            f.sharp = false;
            f.plusV = f.plus;
            f.plus = false;
          }
          p.printArg(a[argNum]!, c);
          argNum++;
          i++;
          simple = true;
        }
        break;
      }
    }
    if (simple) continue;

    [argNum, i, afterIndex] = argNumber(i);

    if (i < end && format[i] === "*") {
      i++;
      [f.wid, f.widPresent] = intFromArg();
      if (!f.widPresent) p.buf += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      [f.wid, f.widPresent, i] = parsenum(i);
      if (afterIndex && f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === "*") {
        i++;
        [f.prec, f.precPresent] = intFromArg();
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [f.prec, f.precPresent, i] = parsenum(i);
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }

    if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);

    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }

    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;

    if (verb === "%") p.buf += "%";
    else if (!goodArgNum) p.buf += "%!" + verb + "(BADINDEX)";
    else if (argNum >= a.length) p.buf += "%!" + verb + "(MISSING)";
    else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(a[argNum]!, verb);
      argNum++;
    }
  }

  if (!reordered && argNum < a.length) {
    p.f = clearFlags();
    p.buf += "%!(EXTRA ";
    for (let k = argNum; k < a.length; k++) {
      if (k > argNum) p.buf += ", ";
      p.buf += goTypeName(a[k]!) + "=";
      p.printArg(a[k]!, "v");
    }
    p.buf += ")";
  }
  return p.buf;
}

// ---- strconv.FormatFloat

interface Decimal {
  d: string; // digits without leading/trailing zeros ("" for zero)
  dp: number; // decimal point position
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  digits = digits.replace(/0+$/, "");
  return { d: digits, dp };
}

/** The shortest decimal that reads back as x (x > 0). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const [m, e] = x.toExponential().split("e");
  const d = m!.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
}

/** Rounds to nd digits, half to even (Go's decimal.Round). */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  let up: boolean;
  if (a.d[nd] === "5" && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 0x30) % 2 === 1;
  else up = a.d[nd]! >= "5";
  if (up) {
    for (let i = nd - 1; i >= 0; i--) {
      if (a.d[i]! < "9") return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
    }
    return { d: "1", dp: a.dp + 1 };
  }
  const d = a.d.slice(0, nd).replace(/0+$/, "");
  return { d, dp: d === "" ? 0 : a.dp };
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: string): string {
  let out = neg ? "-" : "";
  out += d.d.length ? d.d[0] : "0";
  if (prec > 0) {
    out += ".";
    let i = 1;
    const m = Math.min(d.d.length, prec + 1);
    if (i < m) {
      out += d.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += "0";
  }
  out += e;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else out += "+";
  out += exp < 10 ? "0" + exp : String(exp);
  return out;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? "-" : "";
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m) + "0".repeat(d.dp - m);
  } else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.d.length ? d.d[j] : "0";
    }
  }
  return out;
}

function floatBits(x: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const neg = hi >>> 31 === 1;
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  return { neg, mant, exp };
}

function fmtX(x: number, prec: number, verb: string): string {
  const bits = floatBits(x);
  const neg = bits.neg;
  let { mant, exp } = bits;
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 at bit 60
  const bit60 = 1n << 60n;
  while (mant !== 0n && (mant & bit60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (bit60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = verb === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = (neg ? "-" : "") + "0" + verb + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += verb === "X" ? "P" : "p";
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else out += "+";
  out += exp < 10 ? "0" + exp : String(exp);
  return out;
}

/** strconv.FormatFloat(x, verb, prec, 64). */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (verb === "b") {
    const { neg, mant, exp } = floatBits(x);
    const e = exp - 52;
    return (neg ? "-" : "") + mant.toString() + "p" + (e >= 0 ? "+" : "") + e;
  }
  if (verb === "x" || verb === "X") return fmtX(x, prec, verb);
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(ax);
    if (verb === "e" || verb === "E") prec = Math.max(d.d.length - 1, 0);
    else if (verb === "f") prec = Math.max(d.d.length - d.dp, 0);
    else prec = d.d.length;
  } else {
    d = exactDecimal(ax);
    if (verb === "e" || verb === "E") d = roundDecimal(d, prec + 1);
    else if (verb === "f") d = roundDecimal(d, d.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(d, prec);
    }
  }
  switch (verb) {
    case "e":
    case "E":
      return fmtE(neg, d, shortest ? d.d.length - 1 : prec, verb);
    case "f":
      return fmtF(neg, d, prec);
    default: {
      // g, G
      let eprec = prec;
      if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.d.length) prec = d.d.length;
        return fmtE(neg, d, prec - 1, verb === "G" ? "E" : "e");
      }
      if (prec > d.dp) prec = d.d.length;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}

export function sprintf(format: string, values: Value[]): string {
  return goSprintf(format, values.map(toGoArg));
}

// ---------------------------------------------------------------------------------------------------------------
// strings.render_template: a subset of Go's text/template.
//
// Supported: text and actions with trim markers (`{{- ` / ` -}}`), comments, field and variable references
// (`.`, `.a.b`, `$`, `$x.a`), literals (strings, numbers, true/false/nil), pipelines with `|` and parentheses,
// variable declarations (`{{$x := .a}}`), `if` / `else if` / `else`, `with`, `range` (with `$i, $e :=`), and the
// functions len, index, not, and, or, eq, ne, print. Other functions and `define`/`template`/`block` raise an error
// (OPA, with the full text/template, would evaluate them). Values print as Go's fmt prints the JSON-decoded variables
// (numbers as written, `[a b]` for arrays, `map[k:v]` for objects, `<no value>` for null); a missing key is an error,
// as with OPA's `missingkey=error`.

class JsonNumber {
  constructor(readonly text: string) {}
}
type TVal = null | boolean | string | JsonNumber | TVal[] | { [k: string]: TVal } | bigint;

class TemplateError extends Error {}

function jsonDecodeError(v: Value): string | undefined {
  if (isSet(v)) {
    if (v.size === 0) return "invalid character 's' looking for beginning of value";
    const first = v.sorted()[0]!;
    if (typeof first === "string") return `invalid character '${v.size > 1 ? "," : "}"}' after object key`;
    return `invalid character '${regoText(first)[0]}' looking for beginning of object key string`;
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      const e = jsonDecodeError(x);
      if (e) return e;
    }
    return undefined;
  }
  if (isObject(v)) {
    const entries = sortedEntries(v);
    for (const [k, x] of entries) {
      if (typeof k !== "string") return `invalid character '${regoText(k)[0]}' looking for beginning of object key string`;
      const e = jsonDecodeError(x);
      if (e) return e;
    }
  }
  return undefined;
}

function toTVal(v: Value): TVal {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return new JsonNumber(formatNumber(v));
  if (typeof v === "bigint") return new JsonNumber(v.toString());
  if (Array.isArray(v)) return v.map(toTVal);
  const o: { [k: string]: TVal } = Object.create(null);
  for (const [k, x] of sortedEntries(v as ObjectValue)) o[k as string] = toTVal(x);
  return o;
}

function isMap(v: TVal): v is { [k: string]: TVal } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function goTypeOf(v: TVal): string {
  if (v === null) return "interface {}";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (v instanceof JsonNumber) return "json.Number";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** fmt's %v of a decoded JSON value inside a composite. */
function fmtValue(v: TVal, top: boolean): string {
  if (v === null) return top ? "<no value>" : "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return "[" + v.map((x) => fmtValue(x, false)).join(" ") + "]";
  const keys = Object.keys(v).sort(compareStrings);
  return "map[" + keys.map((k) => k + ":" + fmtValue(v[k]!, false)).join(" ") + "]";
}

function truth(v: TVal): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "bigint") return v !== 0n;
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

type TTok =
  | { k: "field"; names: string[]; pos: number; at: number; src: string }
  | { k: "var"; name: string; names: string[]; pos: number; at: number; src: string }
  | { k: "dot"; pos: number; src: string }
  | { k: "ident"; name: string; pos: number; src: string }
  | { k: "str"; v: string; pos: number; src: string }
  | { k: "num"; v: TVal; pos: number; src: string }
  | { k: "bool"; v: boolean; pos: number; src: string }
  | { k: "nil"; pos: number; src: string }
  | { k: "punct"; v: string; pos: number; src: string };

type TArg = { k: "tok"; tok: TTok } | { k: "paren"; pipe: TPipe; fields: string[]; pos: number; src: string };
interface TCmd {
  args: TArg[];
}
interface TPipe {
  decl: string[];
  assign: boolean;
  cmds: TCmd[];
  pos: number;
}
type TNode =
  | { k: "text"; text: string }
  | { k: "action"; pipe: TPipe }
  | { k: "if" | "with"; pipe: TPipe; list: TNode[]; elseList: TNode[] | undefined }
  | { k: "range"; pipe: TPipe; list: TNode[]; elseList: TNode[] | undefined };

class Template {
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  lineOf(pos: number): number {
    let n = 1;
    for (let i = 0; i < pos && i < this.src.length; i++) if (this.src[i] === "\n") n++;
    return n;
  }
  location(pos: number): string {
    const before = this.src.slice(0, pos);
    const nl = before.lastIndexOf("\n");
    return `template:${this.lineOf(pos)}:${utf8Length(before.slice(nl + 1))}`;
  }
  parseError(pos: number, msg: string): TemplateError {
    return new TemplateError(`template: template:${this.lineOf(pos)}: ${msg}`);
  }

  // ---- lexing into text pieces and action token lists
  private items: ({ k: "text"; text: string } | { k: "action"; toks: TTok[]; pos: number })[] = [];

  lex(): void {
    const s = this.src;
    let i = 0;
    let trimNext = false;
    while (i <= s.length) {
      const open = s.indexOf("{{", i);
      let text = open < 0 ? s.slice(i) : s.slice(i, open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
      trimNext = false;
      if (open < 0) {
        if (text) this.items.push({ k: "text", text });
        break;
      }
      let j = open + 2;
      if (s[j] === "-" && /[ \t\r\n]/.test(s[j + 1] ?? "")) {
        text = text.replace(/[ \t\r\n]+$/, "");
        j += 2;
      }
      if (text) this.items.push({ k: "text", text });
      // comment
      if (s.startsWith("/*", j)) {
        const endC = s.indexOf("*/", j + 2);
        if (endC < 0) throw this.parseError(open, "unclosed comment");
        let after = endC + 2;
        if (s.startsWith(" -}}", after) || s.startsWith("\t-}}", after) || s.startsWith("\n-}}", after) || s.startsWith("\r-}}", after)) {
          trimNext = true;
          after += 4;
        } else if (s.startsWith("}}", after)) after += 2;
        else throw this.parseError(open, "comment ends before closing delimiter");
        i = after;
        continue;
      }
      const toks: TTok[] = [];
      const r = this.lexAction(j, toks);
      if (r.trim) trimNext = true;
      this.items.push({ k: "action", toks, pos: j });
      i = r.end;
    }
  }

  private lexAction(start: number, toks: TTok[]): { end: number; trim: boolean } {
    const s = this.src;
    let i = start;
    for (;;) {
      if (i >= s.length) throw this.parseError(start, "unclosed action");
      const c = s[i]!;
      if (/[ \t\r\n]/.test(c)) {
        if (s[i + 1] === "-" && s.startsWith("}}", i + 2)) return { end: i + 4, trim: true };
        i++;
        continue;
      }
      if (s.startsWith("}}", i)) return { end: i + 2, trim: false };
      const pos = i;
      if (c === '"') {
        let j = i + 1;
        let out = "";
        for (;;) {
          if (j >= s.length || s[j] === "\n") throw this.parseError(pos, "unterminated quoted string");
          const ch = s[j]!;
          if (ch === '"') break;
          if (ch === "\\") {
            const e = s[j + 1];
            const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v", "'": "'" };
            if (e !== undefined && simple[e] !== undefined) {
              out += simple[e];
              j += 2;
              continue;
            }
            const m = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(s.slice(j + 1));
            if (!m) throw this.parseError(pos, `invalid syntax`);
            out += String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[3]!, 16));
            j += 1 + m[0].length;
            continue;
          }
          out += ch;
          j++;
        }
        toks.push({ k: "str", v: out, pos, src: s.slice(pos, j + 1) });
        i = j + 1;
        continue;
      }
      if (c === "`") {
        const j = s.indexOf("`", i + 1);
        if (j < 0) throw this.parseError(pos, "unterminated raw quoted string");
        toks.push({ k: "str", v: s.slice(i + 1, j), pos, src: s.slice(pos, j + 1) });
        i = j + 1;
        continue;
      }
      if (c === ":" && s[i + 1] === "=") {
        toks.push({ k: "punct", v: ":=", pos, src: ":=" });
        i += 2;
        continue;
      }
      if ("()|,=".includes(c)) {
        toks.push({ k: "punct", v: c, pos, src: c });
        i++;
        continue;
      }
      // A field chain: the names and where each starts. Go places a chain's node (the position its errors
      // report) at its second element: `.a.b` at `.b`, `$x.a` at `.a`.
      const fieldChain = (j: number): [string[], number[], number] => {
        const names: string[] = [];
        const starts: number[] = [];
        while (s[j] === "." && /[\p{L}_]/u.test(s[j + 1] ?? "")) {
          const m = /^[\p{L}\p{Nd}_]+/u.exec(s.slice(j + 1))!;
          names.push(m[0]);
          starts.push(j);
          j += 1 + m[0].length;
        }
        return [names, starts, j];
      };
      if (c === ".") {
        const [names, starts, j] = fieldChain(i);
        if (names.length === 0) {
          toks.push({ k: "dot", pos, src: "." });
          i++;
        } else {
          toks.push({ k: "field", names, pos, at: starts[1] ?? pos, src: s.slice(pos, j) });
          i = j;
        }
        continue;
      }
      if (c === "$") {
        const m = /^\$[\p{L}\p{Nd}_]*/u.exec(s.slice(i))!;
        const [names, starts, j] = fieldChain(i + m[0].length);
        toks.push({ k: "var", name: m[0], names, pos, at: starts[0] ?? pos, src: s.slice(pos, j) });
        i = j;
        continue;
      }
      const num = /^[+-]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(s.slice(i));
      if (num && (c !== "+" && c !== "-" ? true : num[0].length > 1)) {
        const text = num[0];
        const v: TVal = /^[+-]?\d+$/.test(text) ? BigInt(text) : new JsonNumber(text);
        toks.push({ k: "num", v, pos, src: text });
        i += text.length;
        continue;
      }
      const id = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(s.slice(i));
      if (id) {
        const name = id[0];
        if (name === "true" || name === "false") toks.push({ k: "bool", v: name === "true", pos, src: name });
        else if (name === "nil") toks.push({ k: "nil", pos, src: name });
        else toks.push({ k: "ident", name, pos, src: name });
        i += name.length;
        continue;
      }
      throw this.parseError(pos, `unexpected ${goQuoteRune(c.codePointAt(0)!, false)} in command`);
    }
  }

  // ---- parsing
  private at = 0;

  parse(): TNode[] {
    this.lex();
    const [list, end] = this.parseList();
    if (end) throw this.parseError(end.pos, `unexpected {{${end.word}}}`);
    return list;
  }

  /** Parses nodes until {{end}} / {{else ...}} (returned) or the end. */
  private parseList(): [TNode[], { word: "end" | "else"; toks: TTok[]; pos: number } | undefined] {
    const list: TNode[] = [];
    while (this.at < this.items.length) {
      const it = this.items[this.at++]!;
      if (it.k === "text") {
        list.push(it);
        continue;
      }
      const first = it.toks[0];
      if (first?.k === "ident") {
        switch (first.name) {
          case "end":
          case "else":
            return [list, { word: first.name, toks: it.toks.slice(1), pos: it.pos }];
          case "if":
          case "with":
          case "range":
            list.push(this.parseControl(first.name, it.toks.slice(1), it.pos));
            continue;
          case "define":
          case "template":
          case "block":
          case "break":
          case "continue":
            throw this.parseError(it.pos, `{{${first.name}}} is not supported by Guard's strings.render_template`);
        }
      }
      if (it.toks.length === 0) throw this.parseError(it.pos, "missing value for command");
      list.push({ k: "action", pipe: this.parsePipe(it.toks, it.pos, true) });
    }
    return [list, undefined];
  }

  private parseControl(word: "if" | "with" | "range", toks: TTok[], pos: number): TNode {
    if (toks.length === 0) throw this.parseError(pos, `missing value for ${word}`);
    const pipe = this.parsePipe(toks, pos, word === "range" ? "range" : true);
    const [list, end] = this.parseList();
    if (!end) throw this.parseError(pos, `unexpected EOF`);
    let elseList: TNode[] | undefined;
    if (end.word === "else") {
      const next = end.toks[0];
      if (next?.k === "ident" && (next.name === "if" || next.name === "with")) {
        // {{else if ...}}: a nested control that consumes the {{end}}
        elseList = [this.parseControl(next.name, end.toks.slice(1), end.pos)];
      } else {
        if (end.toks.length) throw this.parseError(end.pos, "unexpected tokens after else");
        const [l2, end2] = this.parseList();
        if (!end2 || end2.word !== "end") throw this.parseError(end.pos, "expected end; found " + (end2 ? "{{else}}" : "EOF"));
        elseList = l2;
      }
    }
    if (word === "range") return { k: "range", pipe, list, elseList };
    return { k: word, pipe, list, elseList };
  }

  private parsePipe(toks: TTok[], pos: number, decl: boolean | "range"): TPipe {
    let i = 0;
    const names: string[] = [];
    let assign = false;
    if (decl && toks[0]?.k === "var" && toks[0].names.length === 0) {
      // $x := / $x = / $i, $e :=
      let j = 0;
      const vs: string[] = [];
      for (;;) {
        const t = toks[j];
        if (t?.k !== "var" || t.names.length) break;
        vs.push(t.name);
        const p = toks[j + 1];
        if (p?.k === "punct" && p.v === "," && decl === "range" && vs.length === 1) {
          j += 2;
          continue;
        }
        if (p?.k === "punct" && (p.v === ":=" || p.v === "=")) {
          names.push(...vs);
          assign = p.v === "=";
          i = j + 2;
        }
        break;
      }
    }
    const cmds: TCmd[] = [];
    let cur: TArg[] = [];
    const stack: { cmds: TCmd[]; cur: TArg[]; pos: number }[] = [];
    for (; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.k === "punct" && t.v === "|") {
        if (cur.length === 0) throw this.parseError(pos, "missing command");
        (stack.length ? stack[stack.length - 1]!.cmds : cmds).push({ args: cur });
        cur = [];
        continue;
      }
      if (t.k === "punct" && t.v === "(") {
        stack.push({ cmds: [], cur, pos: t.pos });
        cur = [];
        continue;
      }
      if (t.k === "punct" && t.v === ")") {
        const frame = stack.pop();
        if (!frame) throw this.parseError(pos, "unexpected right paren");
        if (cur.length) frame.cmds.push({ args: cur });
        // fields after a parenthesized pipeline: (x).a.b
        let fields: string[] = [];
        const nx = toks[i + 1];
        if (nx?.k === "field" && nx.pos === t.pos + 1) {
          fields = nx.names;
          i++;
        }
        cur = frame.cur;
        cur.push({ k: "paren", pipe: { decl: [], assign: false, cmds: frame.cmds, pos: frame.pos }, fields, pos: frame.pos, src: this.src.slice(frame.pos, t.pos + 1) });
        continue;
      }
      if (t.k === "punct") throw this.parseError(pos, `unexpected "${t.v}" in command`);
      cur.push({ k: "tok", tok: t });
    }
    if (stack.length) throw this.parseError(pos, "unclosed left paren");
    if (cur.length) cmds.push({ args: cur });
    else if (cmds.length) throw this.parseError(pos, "missing command");
    return { decl: names, assign, cmds, pos };
  }

  // ---- execution
  private vars: [string, TVal][] = [];

  execute(nodes: TNode[], data: TVal): string {
    this.vars = [["$", data]];
    return this.walk(nodes, data);
  }

  private fail(pos: number, src: string, msg: string): TemplateError {
    return new TemplateError(`template: ${this.location(pos)}: executing "template" at <${src}>: ${msg}`);
  }

  private walk(nodes: TNode[], dot: TVal): string {
    let out = "";
    for (const n of nodes) {
      switch (n.k) {
        case "text":
          out += n.text;
          break;
        case "action": {
          const v = this.evalPipe(n.pipe, dot);
          if (n.pipe.decl.length === 0) out += fmtValue(v, true);
          break;
        }
        case "if":
        case "with": {
          const mark = this.vars.length;
          const v = this.evalPipe(n.pipe, dot);
          if (truth(v)) out += this.walk(n.list, n.k === "with" ? v : dot);
          else if (n.elseList) out += this.walk(n.elseList, dot);
          this.vars.length = mark;
          break;
        }
        case "range": {
          const mark = this.vars.length;
          const decl = n.pipe.decl;
          const v = this.evalPipe({ ...n.pipe, decl: [] }, dot);
          const iterate = (key: TVal, elem: TVal): void => {
            if (decl.length === 1) this.vars.push([decl[0]!, elem]);
            else if (decl.length === 2) this.vars.push([decl[0]!, key], [decl[1]!, elem]);
            out += this.walk(n.list, elem);
            this.vars.length = mark;
          };
          let count = 0;
          if (Array.isArray(v)) {
            v.forEach((x, idx) => iterate(BigInt(idx), x));
            count = v.length;
          } else if (isMap(v)) {
            const keys = Object.keys(v).sort(compareStrings);
            for (const k of keys) iterate(k, v[k]!);
            count = keys.length;
          } else if (typeof v === "bigint") {
            for (let k = 0n; k < v; k++) iterate(k, k);
            count = v > 0n ? 1 : 0;
          } else if (v !== null) {
            throw this.fail(n.pipe.pos, "range", `range can't iterate over ${fmtValue(v, true)}`);
          }
          if (count === 0 && n.elseList) out += this.walk(n.elseList, dot);
          this.vars.length = mark;
          break;
        }
      }
    }
    return out;
  }

  private evalPipe(pipe: TPipe, dot: TVal): TVal {
    let v: TVal | undefined;
    for (const cmd of pipe.cmds) v = this.evalCmd(cmd, dot, v);
    const value = v ?? null;
    if (pipe.decl.length) {
      if (pipe.assign) {
        const name = pipe.decl[0]!;
        for (let k = this.vars.length - 1; k >= 0; k--) {
          if (this.vars[k]![0] === name) {
            this.vars[k]![1] = value;
            return value;
          }
        }
        throw new TemplateError(`template: template:${this.lineOf(pipe.pos)}: undefined variable: ${name}`);
      }
      this.vars.push([pipe.decl[0]!, value]);
    }
    return value;
  }

  private lookupVar(name: string, pos: number): TVal {
    for (let k = this.vars.length - 1; k >= 0; k--) if (this.vars[k]![0] === name) return this.vars[k]![1];
    throw new TemplateError(`template: template:${this.lineOf(pos)}: undefined variable: ${name}`);
  }

  private fields(v: TVal, names: string[], pos: number, src: string): TVal {
    for (const name of names) {
      if (isMap(v)) {
        if (!Object.prototype.hasOwnProperty.call(v, name)) throw this.fail(pos, src, `map has no entry for key "${name}"`);
        v = v[name]!;
      } else if (v === null) {
        throw this.fail(pos, src, `nil pointer evaluating interface {}.${name}`);
      } else {
        throw this.fail(pos, src, `can't evaluate field ${name} in type ${goTypeOf(v)}`);
      }
    }
    return v;
  }

  private evalArg(a: TArg, dot: TVal): TVal {
    if (a.k === "paren") return this.fields(this.evalPipe(a.pipe, dot), a.fields, a.pos, a.src);
    const t = a.tok;
    switch (t.k) {
      case "dot":
        return dot;
      case "field":
        return this.fields(dot, t.names, t.at, t.src);
      case "var":
        return this.fields(this.lookupVar(t.name, t.pos), t.names, t.at, t.src);
      case "str":
        return t.v;
      case "num":
        return t.v;
      case "bool":
        return t.v;
      case "nil":
        throw this.fail(t.pos, "nil", "nil is not a command");
      case "ident":
        return this.call(t, [], dot, undefined);
      case "punct":
        throw this.parseError(t.pos, `unexpected ${t.v}`);
    }
  }

  private evalCmd(cmd: TCmd, dot: TVal, final: TVal | undefined): TVal {
    const first = cmd.args[0]!;
    if (first.k === "tok" && first.tok.k === "ident") return this.call(first.tok, cmd.args.slice(1), dot, final);
    if (cmd.args.length > 1 || final !== undefined) {
      const src = first.k === "tok" ? first.tok.src : first.src;
      const pos = first.k === "tok" ? first.tok.pos : first.pos;
      throw this.fail(pos, src, `can't give argument to non-function ${src}`);
    }
    return this.evalArg(first, dot);
  }

  private call(fn: TTok & { k: "ident" }, rawArgs: TArg[], dot: TVal, final: TVal | undefined): TVal {
    const name = fn.name;
    const lazy = name === "and" || name === "or";
    const evalAll = (): TVal[] => {
      const vs = rawArgs.map((a) => this.evalArg(a, dot));
      if (final !== undefined) vs.push(final);
      return vs;
    };
    const wrongArgs = (n: number, want: string): TemplateError =>
      this.fail(fn.pos, name, `wrong number of args for ${name}: want ${want} got ${n}`);
    if (lazy) {
      const n = rawArgs.length + (final !== undefined ? 1 : 0);
      if (n < 1) throw wrongArgs(n, "at least 1");
      let v: TVal = null;
      for (let k = 0; k < n; k++) {
        v = k < rawArgs.length ? this.evalArg(rawArgs[k]!, dot) : final!;
        if (name === "and" ? !truth(v) : truth(v)) return v;
      }
      return v;
    }
    switch (name) {
      case "not": {
        const vs = evalAll();
        if (vs.length !== 1) throw wrongArgs(vs.length, "1");
        return !truth(vs[0]!);
      }
      case "len": {
        const vs = evalAll();
        if (vs.length !== 1) throw wrongArgs(vs.length, "1");
        const v = vs[0]!;
        if (typeof v === "string") return BigInt(utf8Length(v));
        if (v instanceof JsonNumber) return BigInt(utf8Length(v.text));
        if (Array.isArray(v)) return BigInt(v.length);
        if (isMap(v)) return BigInt(Object.keys(v).length);
        throw this.fail(fn.pos, name, `error calling len: len of type ${goTypeOf(v)}`);
      }
      case "index": {
        const vs = evalAll();
        if (vs.length < 1) throw wrongArgs(vs.length, "at least 1");
        let v: TVal = vs[0] as TVal;
        for (const ix of vs.slice(1)) {
          if (Array.isArray(v)) {
            if (typeof ix !== "bigint") throw this.fail(fn.pos, name, `error calling index: cannot index slice/array with type ${goTypeOf(ix)}`);
            if (ix < 0n || ix >= BigInt(v.length)) throw this.fail(fn.pos, name, `error calling index: index out of range: ${ix}`);
            v = v[Number(ix)]!;
          } else if (isMap(v)) {
            if (typeof ix !== "string") throw this.fail(fn.pos, name, `error calling index: value has type ${goTypeOf(ix)}; should be string`);
            v = Object.prototype.hasOwnProperty.call(v, ix) ? v[ix]! : null;
          } else if (v === null) {
            throw this.fail(fn.pos, name, "error calling index: index of untyped nil");
          } else {
            throw this.fail(fn.pos, name, `error calling index: can't index item of type ${goTypeOf(v)}`);
          }
        }
        return v;
      }
      case "eq":
      case "ne": {
        const vs = evalAll();
        if (vs.length < 2) throw this.fail(fn.pos, name, `error calling ${name}: missing argument for comparison`);
        const kind = (x: TVal): string =>
          typeof x === "string" || x instanceof JsonNumber ? "string" : typeof x === "boolean" ? "bool" : typeof x === "bigint" ? "int" : x === null ? "nil" : "other";
        const val = (x: TVal): unknown => (x instanceof JsonNumber ? x.text : x);
        const a0 = vs[0]!;
        if (name === "ne" && vs.length !== 2) throw wrongArgs(vs.length, "2");
        let eq = false;
        for (const b of vs.slice(1)) {
          const ka = kind(a0);
          const kb = kind(b);
          if (ka === "other" || kb === "other") throw this.fail(fn.pos, name, `error calling ${name}: non-comparable type`);
          if (ka !== kb) {
            if (ka === "nil" || kb === "nil") {
              eq = false;
            } else throw this.fail(fn.pos, name, `error calling ${name}: incompatible types for comparison`);
          } else if (val(a0) === val(b)) {
            eq = true;
            break;
          }
        }
        return name === "eq" ? eq : !eq;
      }
      case "print": {
        const vs = evalAll();
        let out = "";
        const isStr = (v: TVal): boolean => typeof v === "string" || v instanceof JsonNumber;
        vs.forEach((v, k) => {
          if (k > 0 && !isStr(v) && !isStr(vs[k - 1]!)) out += " ";
          out += fmtValue(v, false);
        });
        return out;
      }
    }
    throw new TemplateError(`template: template:${this.lineOf(fn.pos)}: function "${name}" not defined`);
  }
}

export function renderTemplate(template: string, vars: ObjectValue): string {
  const decodeErr = jsonDecodeError(vars);
  if (decodeErr) throw new BuiltinError(decodeErr);
  const t = new Template(template);
  try {
    const nodes = t.parse();
    return t.execute(nodes, toTVal(vars));
  } catch (e) {
    if (e instanceof TemplateError) throw new BuiltinError(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

const strOrColl = union(string, arrayOf(string), setOf(string));

function prefixMatchArg(v: Value, pos: number): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) || isSet(v)) return stringElems(v, pos);
  throw new OperandError(`operand ${pos} must be one of {string, set, array} but got ${typeNameOf(v)}`);
}

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "concat",
    args: [
      { name: "delimiter", type: string, description: "string to use as a delimiter" },
      { name: "collection", type: union(arrayOf(string), setOf(string)), description: "strings to join" },
    ],
    result: { name: "output", type: string, description: "the joined string" },
    description: "Joins a set or array of strings with a delimiter.",
    categories: ["strings"],
    impl: (args) => {
      const sep = str(args, 0);
      const c = args[1];
      if (!Array.isArray(c) && !isSet(c)) throw new OperandError(`operand 2 must be one of {set, array} but got ${typeNameOf(c ?? null)}`);
      return stringElems(c, 2).join(sep);
    },
  });
  const pred = (name: string, description: string, f: (a: string, b: string) => boolean, a1: string, a2: string): void =>
    r.register({
      name,
      args: [
        { name: a1, type: string },
        { name: a2, type: string },
      ],
      result: { name: "result", type: boolean },
      description,
      categories: ["strings"],
      impl: (args) => {
        const a = str(args, 0);
        const b = str(args, 1);
        return f(a, b);
      },
    });
  pred("contains", "Returns `true` if the search string is included in the base string", (a, b) => a.includes(b), "haystack", "needle");
  pred("startswith", "Returns true if the search string begins with the base string.", (a, b) => a.startsWith(b), "search", "base");
  pred("endswith", "Returns true if the search string ends with the base string.", (a, b) => a.endsWith(b), "search", "base");

  r.register({
    name: "format_int",
    args: [
      { name: "number", type: number, description: "number to format" },
      { name: "base", type: number, description: "base of number representation to use" },
    ],
    result: { name: "output", type: string, description: "formatted number" },
    description: "Returns the string representation of the number in the given base after rounding it down to an integer value.",
    categories: ["strings"],
    impl: (args) => {
      const n = num(args, 0);
      const base = num(args, 1);
      const b = Number(base);
      if (b !== 2 && b !== 8 && b !== 10 && b !== 16) throw new OperandError("operand 2 must be one of {2, 8, 10, 16}");
      const i = typeof n === "bigint" ? n : BigInt(Math.trunc(n));
      return i.toString(b);
    },
  });

  r.register({
    name: "indexof",
    args: [
      { name: "haystack", type: string, description: "string to search in" },
      { name: "needle", type: string, description: "substring to look for" },
    ],
    result: { name: "output", type: number, description: "index of first occurrence, `-1` if not found" },
    description: "Returns the index of a substring contained inside a string.",
    categories: ["strings"],
    impl: (args) => {
      const base = str(args, 0);
      const search = str(args, 1);
      if (search === "") throw new BuiltinError("empty search character");
      const idx = base.indexOf(search);
      return idx < 0 ? -1 : codePointCount(base.slice(0, idx));
    },
  });
  r.register({
    name: "indexof_n",
    args: [
      { name: "haystack", type: string, description: "string to search in" },
      { name: "needle", type: string, description: "substring to look for" },
    ],
    result: { name: "output", type: arrayOf(number), description: "all indices at which `needle` occurs in `haystack`, may be empty" },
    description: "Returns a list of all the indexes of a substring contained inside a string.",
    categories: ["strings"],
    impl: (args) => {
      const base = str(args, 0);
      const search = str(args, 1);
      if (search === "") throw new BuiltinError("empty search character");
      const out: Value[] = [];
      let from = 0;
      let cps = 0;
      let counted = 0;
      for (;;) {
        const idx = base.indexOf(search, from);
        if (idx < 0) break;
        cps += codePointCount(base.slice(counted, idx));
        counted = idx;
        out.push(cps);
        from = idx + 1;
      }
      return out;
    },
  });
  r.register({
    name: "lower",
    args: [{ name: "x", type: string, description: "string that is converted to lower-case" }],
    result: { name: "y", type: string, description: "lower-case of x" },
    description: "Returns the input string but with all characters in lower-case.",
    categories: ["strings"],
    impl: (args) => mapCase(str(args, 0), false),
  });
  r.register({
    name: "upper",
    args: [{ name: "x", type: string, description: "string that is converted to upper-case" }],
    result: { name: "y", type: string, description: "upper-case of x" },
    description: "Returns the input string but with all characters in upper-case.",
    categories: ["strings"],
    impl: (args) => mapCase(str(args, 0), true),
  });
  r.register({
    name: "replace",
    args: [
      { name: "x", type: string, description: "string being processed" },
      { name: "old", type: string, description: "substring to replace" },
      { name: "new", type: string, description: "string to replace `old` with" },
    ],
    result: { name: "y", type: string, description: "string with replaced substrings" },
    description: "Replace replaces all instances of a sub-string.",
    categories: ["strings"],
    impl: (args) => {
      const x = str(args, 0);
      const o = str(args, 1);
      const n = str(args, 2);
      return goReplace(x, [[o, n]]);
    },
  });
  r.register({
    name: "strings.replace_n",
    args: [
      { name: "patterns", type: objectOf(string, string), description: "replacement pairs" },
      { name: "value", type: string, description: "string to replace substring matches in" },
    ],
    result: { name: "output", type: string, description: "string with replaced substrings" },
    description:
      "Replaces a string from a list of old, new string pairs. Replacements are performed in the order they appear " +
      "in the target string, without overlapping matches. The old string comparisons are done in argument order.",
    categories: ["strings"],
    impl: (args) => {
      const patterns = obj(args, 0);
      const value = str(args, 1);
      const entries =
        patterns instanceof MapObject
          ? [...patterns.entries.values()].sort((a, b) => compare(a[0], b[0]))
          : sortedEntries(patterns);
      const pairs: [string, string][] = [];
      for (const [k, v] of entries) {
        if (typeof k !== "string") throw new OperandError("operand 1 non-string key found in pattern object");
        if (typeof v !== "string") throw new OperandError("operand 1 non-string value found in pattern object");
        pairs.push([k, v]);
      }
      if (pairs.length === 0) return value;
      return goReplace(value, pairs);
    },
  });
  r.register({
    name: "split",
    args: [
      { name: "x", type: string, description: "string that is split" },
      { name: "delimiter", type: string, description: "delimiter used for splitting" },
    ],
    result: { name: "ys", type: arrayOf(string), description: "split parts" },
    description: "Split returns an array containing elements of the input string split on a delimiter.",
    categories: ["strings"],
    impl: (args) => {
      const x = str(args, 0);
      const d = str(args, 1);
      if (d === "") return [...x];
      return x.split(d);
    },
  });
  r.register({
    name: "sprintf",
    args: [
      { name: "format", type: string, description: "string with formatting verbs" },
      { name: "values", type: arrayOf(any), description: "arguments to format into formatting verbs" },
    ],
    result: { name: "output", type: string, description: "`format` formatted by the values in `values`" },
    description: "Returns the given string, formatted.",
    categories: ["strings"],
    impl: (args) => {
      const format = str(args, 0);
      const values = arr(args, 1);
      return sprintf(format, values);
    },
  });
  r.register({
    name: "substring",
    args: [
      { name: "value", type: string, description: "string to extract substring from" },
      { name: "offset", type: number, description: "offset, must be positive" },
      { name: "length", type: number, description: "length of the substring starting from `offset`" },
    ],
    result: { name: "output", type: string, description: "substring of `value` from `offset`, of length `length`" },
    description:
      "Returns the  portion of a string for a given `offset` and a `length`.  If `length < 0`, `output` is the remainder of the string.",
    categories: ["strings"],
    impl: (args) => {
      const base = str(args, 0);
      const start = goIntOperand(args, 1);
      const length = goIntOperand(args, 2);
      if (start < 0) throw new BuiltinError("negative offset");
      if (base === "") return "";
      const runes = [...base];
      if (start >= runes.length) return "";
      if (length < 0) return runes.slice(start).join("");
      return runes.slice(start, Math.min(runes.length, start + length)).join("");
    },
  });
  const trimFn = (name: string, description: string, argName: string, f: (s: string, c: string) => string): void =>
    r.register({
      name,
      args: [
        { name: "value", type: string, description: "string to trim" },
        { name: argName, type: string },
      ],
      result: { name: "output", type: string, description: "string trimmed" },
      description,
      categories: ["strings"],
      impl: (args) => {
        const s = str(args, 0);
        const c = str(args, 1);
        return f(s, c);
      },
    });
  trimFn("trim", "Returns `value` with all leading or trailing instances of the `cutset` characters removed.", "cutset", (s, c) => {
    if (s === "" || c === "") return s;
    const p = cutsetPredicate(c);
    return trimRightBy(trimLeftBy(s, p), p);
  });
  trimFn("trim_left", "Returns `value` with all leading instances of the `cutset` characters removed.", "cutset", (s, c) =>
    s === "" || c === "" ? s : trimLeftBy(s, cutsetPredicate(c)),
  );
  trimFn("trim_right", "Returns `value` with all trailing instances of the `cutset` characters removed.", "cutset", (s, c) =>
    s === "" || c === "" ? s : trimRightBy(s, cutsetPredicate(c)),
  );
  trimFn("trim_prefix", "Returns `value` without the prefix. If `value` doesn't start with `prefix`, it is returned unchanged.", "prefix", (s, p) =>
    s.startsWith(p) ? s.slice(p.length) : s,
  );
  trimFn("trim_suffix", "Returns `value` without the suffix. If `value` doesn't end with `suffix`, it is returned unchanged.", "suffix", (s, p) =>
    p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s,
  );
  r.register({
    name: "trim_space",
    args: [{ name: "value", type: string, description: "string to trim" }],
    result: { name: "output", type: string, description: "string leading and trailing white space cut off" },
    description: "Return the given string with all leading and trailing white space removed.",
    categories: ["strings"],
    impl: (args) => trimRightBy(trimLeftBy(str(args, 0), isGoSpace), isGoSpace),
  });
  r.register({
    name: "strings.reverse",
    args: [{ name: "x", type: string, description: "string to reverse" }],
    result: { name: "y", type: string, description: "reversed string" },
    description: "Reverses a given string.",
    categories: ["strings"],
    impl: (args) => [...str(args, 0)].reverse().join(""),
  });
  r.register({
    name: "strings.count",
    args: [
      { name: "search", type: string, description: "string to search in" },
      { name: "substring", type: string, description: "substring to look for" },
    ],
    result: { name: "output", type: number, description: "count of occurrences, `0` if not found" },
    description: "Returns the number of non-overlapping instances of a substring in a string.",
    categories: ["strings"],
    impl: (args) => {
      const s = str(args, 0);
      const sub = str(args, 1);
      if (sub === "") return codePointCount(s) + 1;
      return s.split(sub).length - 1;
    },
  });
  r.register({
    name: "strings.any_prefix_match",
    args: [
      { name: "search", type: strOrColl, description: "string(s) to search" },
      { name: "base", type: strOrColl, description: "base string(s)" },
    ],
    result: { name: "result", type: boolean, description: "result of the prefix check" },
    description: "Returns true if any of the search strings begins with any of the base strings.",
    categories: ["strings"],
    impl: (args) => {
      const strs = prefixMatchArg(args[0]!, 1);
      const prefixes = prefixMatchArg(args[1]!, 2);
      return strs.some((s) => prefixes.some((p) => s.startsWith(p)));
    },
  });
  r.register({
    name: "strings.any_suffix_match",
    args: [
      { name: "search", type: strOrColl, description: "string(s) to search" },
      { name: "base", type: strOrColl, description: "base string(s)" },
    ],
    result: { name: "result", type: boolean, description: "result of the suffix check" },
    description: "Returns true if any of the search strings ends with any of the base strings.",
    categories: ["strings"],
    impl: (args) => {
      const strs = prefixMatchArg(args[0]!, 1);
      const suffixes = prefixMatchArg(args[1]!, 2);
      return strs.some((s) => suffixes.some((p) => s.endsWith(p)));
    },
  });
  r.register({
    name: "strings.render_template",
    args: [
      { name: "value", type: string, description: "a templated string" },
      { name: "vars", type: objectOf(string, any), description: "a mapping of template variable keys to values" },
    ],
    result: { name: "result", type: string, description: "rendered template with template variables injected" },
    description:
      "Renders a templated string with given template variables injected. For a given templated string and key/value " +
      "mapping, values will be injected into the template where they are referenced by key.",
    categories: ["strings"],
    impl: (args) => {
      const tpl = str(args, 0);
      const vars = args[1];
      if (!isObject(vars)) throw new OperandTypeError(2, "object", vars);
      return renderTemplate(tpl, vars);
    },
  });
}
