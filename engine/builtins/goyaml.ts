// YAML as OPA's Go runtime writes and reads it (sigs.k8s.io/yaml over go-yaml v2), for yaml.marshal,
// yaml.unmarshal and yaml.is_valid.
//
// Writing follows go-yaml v2's emitter for JSON-shaped data: block style, mapping keys in go-yaml's natural order,
// sequences not indented under their key, empty collections as {} and [], strings plain where they read back as
// strings, else single-quoted, double-quoted or literal (|) as libyaml chooses, lines folded past column 80.
// Reading resolves plain scalars with YAML 1.1's rules as go-yaml v2 does (yes/no/on/off are booleans, 0x1F and
// 017 integers, timestamps stay strings); the structure is parsed by js-yaml.
import yaml from "js-yaml";
import {
  compareStrings,
  isSet,
  normalizeBig,
  ObjectBuilder,
  objectEntries,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { marshalJSON } from "./gojson.js";
import { utf8Bytes } from "./operands.js";

// ---------------------------------------------------------------------------------------------------------------
// Plain scalar resolution (go-yaml v2's resolve)

export type Resolved =
  | { tag: "str" }
  | { tag: "null" }
  | { tag: "bool"; value: boolean }
  | { tag: "int"; value: bigint }
  | { tag: "float"; value: number }
  | { tag: "timestamp" }
  | { tag: "merge" };

const RESOLVE_MAP = new Map<string, Resolved>();
for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) {
  RESOLVE_MAP.set(s, { tag: "bool", value: true });
}
for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) {
  RESOLVE_MAP.set(s, { tag: "bool", value: false });
}
for (const s of ["", "~", "null", "Null", "NULL"]) RESOLVE_MAP.set(s, { tag: "null" });
for (const s of [".nan", ".NaN", ".NAN"]) RESOLVE_MAP.set(s, { tag: "float", value: NaN });
for (const s of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) RESOLVE_MAP.set(s, { tag: "float", value: Infinity });
for (const s of ["-.inf", "-.Inf", "-.INF"]) RESOLVE_MAP.set(s, { tag: "float", value: -Infinity });
RESOLVE_MAP.set("<<", { tag: "merge" });

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;
const MAX_UINT64 = 18446744073709551615n;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) (or ParseUint when unsigned) without the range check: undefined on a syntax error. */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, body] = m as unknown as [string, string, string];
  if (!signed && sign !== "") return undefined;
  let n: bigint;
  if (/^0[oO]/.test(body)) n = BigInt("0o" + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) n = BigInt("0o" + body.slice(1));
  else n = BigInt(body.toLowerCase());
  return sign === "-" ? -n : n;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** go-yaml's timestamp check (the formats it tries with time.Parse). */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const [h, min, sec] = m[4] ? [m[5], m[6], m[7]] : [m[8], m[9], m[10]];
  if (h === undefined) return true;
  return Number(h) < 24 && Number(min) < 60 && Number(sec) < 60;
}

/** What a plain (unquoted, untagged) scalar means to go-yaml v2. */
export function resolvePlain(s: string): Resolved {
  if (s === "") return { tag: "null" };
  const c = s[0]!;
  const hint =
    c === "+" || c === "-" ? "S" : c >= "0" && c <= "9" ? "D" : "yYnNtTfFoO~".includes(c) ? "M" : c === "." ? "." : "";
  if (hint === "") return { tag: "str" };
  const known = RESOLVE_MAP.get(s);
  if (known) return known;
  if (hint === ".") {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return { tag: "float", value: Number(s) };
    return { tag: "str" };
  }
  if (hint === "D" || hint === "S") {
    if (isTimestamp(s)) return { tag: "timestamp" };
    const plain = s.replaceAll("_", "");
    const asInt = parseGoInt(plain, true);
    if (asInt !== undefined && asInt >= MIN_INT64 && asInt <= MAX_INT64) return { tag: "int", value: asInt };
    const asUint = parseGoInt(plain, false);
    if (asUint !== undefined && asUint <= MAX_UINT64) return { tag: "int", value: asUint };
    if (YAML_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: "float", value: f };
    }
    // beyond 64 bits and not a float: a big integer (the sigs.k8s.io fork of go-yaml)
    if (asUint !== undefined) return { tag: "int", value: asUint };
  }
  return { tag: "str" };
}

function isBase60Float(s: string): boolean {
  if (s === "" || !/^[-+0-9]/.test(s) || !s.includes(":")) return false;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers as Go formats them

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6 up. */
export function goFormatFloat(f: number): string {
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (Number.isNaN(f)) return "NaN";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mant, expText] = f.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return (neg ? "-" : "") + digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" + (exp < 0 ? "-" : "+") + e;
  }
  let text: string;
  if (exp < 0) text = "0." + "0".repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) text = digits + "0".repeat(exp + 1 - digits.length);
  else text = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  return (neg ? "-" : "") + text;
}

/** A float as go-yaml writes it. */
function yamlFloat(f: number): string {
  const s = goFormatFloat(f);
  return s === "+Inf" ? ".inf" : s === "-Inf" ? "-.inf" : s === "NaN" ? ".nan" : s;
}

// ---------------------------------------------------------------------------------------------------------------
// go-yaml v2's key order

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}
function isDigitRune(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

/** go-yaml v2's keyList.Less for two string keys: runs of digits compare as numbers, letters before other runes. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigitRune(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigitRune(ar[ai]!); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    let bi = i;
    for (; bi < br.length && isDigitRune(br[bi]!); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

type Node =
  | { kind: "scalar"; text: string; plainRequested: boolean; isString: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "map"; entries: [Node, Node][] };

const scalar = (text: string): Node => ({ kind: "scalar", text, plainRequested: true, isString: false });

function numberNode(n: number | bigint): Node {
  if (typeof n === "bigint") {
    if ((n >= MIN_INT64 && n <= MAX_INT64) || (n >= 0n && n <= MAX_UINT64)) return scalar(n.toString());
    return scalar(yamlFloat(Number(n)));
  }
  if (Number.isSafeInteger(n)) return scalar(String(n === 0 ? 0 : n));
  // what the JSON text of the number reads back as
  const r = resolvePlain(marshalJSON(n));
  if (r.tag === "int") return scalar(r.value.toString());
  return scalar(yamlFloat(n));
}

function stringNode(s: string): Node {
  const r = resolvePlain(s);
  return { kind: "scalar", text: s, plainRequested: r.tag === "str" && !isBase60Float(s), isString: true };
}

/** The value as go-yaml receives it after OPA's JSON round trip. */
function toNode(v: Value): Node {
  switch (typeof v) {
    case "string":
      return stringNode(v);
    case "number":
    case "bigint":
      return numberNode(v);
    case "boolean":
      return scalar(v ? "true" : "false");
    default:
      if (v === null) return scalar("null");
      if (Array.isArray(v)) return { kind: "seq", items: v.map(toNode) };
      if (isSet(v)) return { kind: "seq", items: v.sorted().map(toNode) };
      return { kind: "map", entries: mapEntries(v) };
  }
}

function mapEntries(o: ObjectValue): [Node, Node][] {
  const byKey = new Map<string, Value>();
  for (const [k, x] of objectEntries(o)) byKey.set(typeof k === "string" ? k : marshalJSON(k), x);
  const keys = [...byKey.keys()].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : compareStrings(a, b)));
  return keys.map((k) => [stringNode(k), toNode(byKey.get(k)!)]);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const isBreakChar = (c: string) => c === "\r" || c === "\n" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankChar = (c: string | undefined) => c === " " || c === "\t";

/** libyaml's is_printable. */
function isPrintable(c: string): boolean {
  const r = c.codePointAt(0)!;
  return (
    r === 0x0a ||
    (r >= 0x20 && r <= 0x7e) ||
    r === 0x85 ||
    (r >= 0xa0 && r <= 0xd7ff) ||
    (r >= 0xe000 && r <= 0xfffd && r !== 0xfeff) ||
    (r >= 0x10000 && r <= 0x10ffff)
  );
}

/** libyaml's yaml_emitter_analyze_scalar. */
function analyze(value: string): Analysis {
  if (value.length === 0) {
    return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlankChar(next) || isBreakChar(next);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(c)) flowIndicators = true;
      else if (c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakChar(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankChar(c) || isBreakChar(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
    a.block = false;
  }
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

type Style = "plain" | "single" | "double" | "literal";

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

class Emitter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;

  private put(s: string): void {
    this.out += s;
    this.column++;
  }
  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }
  /** A character of content: breaks reset the column. */
  private write(c: string): void {
    this.out += c;
    this.column++;
  }
  writeIndent(indent: number): void {
    const ind = Math.max(indent, 0);
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) this.putBreak();
    while (this.column < ind) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }
  writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const c of ind) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Picks the scalar style as libyaml's select_scalar_style does. */
  style(node: Extract<Node, { kind: "scalar" }>, simpleKey: boolean): Style {
    const a = analyze(node.text);
    let style: Style = node.isString && node.text.includes("\n") ? "literal" : node.plainRequested ? "plain" : "double";
    if (simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      if (!a.blockPlain) style = "single";
      if (node.text.length === 0 && simpleKey) style = "single";
    }
    if (style === "single" && !a.singleQuoted) style = "double";
    if (style === "literal" && (!a.block || simpleKey)) style = "double";
    return style;
  }

  scalar(node: Extract<Node, { kind: "scalar" }>, indent: number, simpleKey: boolean): void {
    const style = this.style(node, simpleKey);
    const allowBreaks = !simpleKey;
    const chars = [...node.text];
    switch (style) {
      case "plain": {
        if (!this.whitespace) this.put(" ");
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") this.writeIndent(indent);
            else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            this.indention = false;
            spaces = false;
          }
        }
        this.whitespace = false;
        this.indention = false;
        break;
      }
      case "single": {
        this.writeIndicator("'", true, false, false);
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== " ") {
              this.writeIndent(indent);
            } else this.write(c);
            spaces = true;
          } else {
            if (c === "'") this.put("'");
            this.write(c);
            this.indention = false;
            spaces = false;
          }
        }
        this.writeIndicator("'", false, false, false);
        break;
      }
      case "double": {
        this.writeIndicator('"', true, false, false);
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          const r = c.codePointAt(0)!;
          if (!isPrintable(c) || r === 0xfeff || isBreakChar(c) || c === '"' || c === "\\") {
            this.put("\\");
            const named: Record<number, string> = {
              0x00: "0",
              0x07: "a",
              0x08: "b",
              0x09: "t",
              0x0a: "n",
              0x0b: "v",
              0x0c: "f",
              0x0d: "r",
              0x1b: "e",
              0x22: '"',
              0x5c: "\\",
              0x85: "N",
              0xa0: "_",
              0x2028: "L",
              0x2029: "P",
            };
            const esc = named[r];
            if (esc !== undefined) this.put(esc);
            else {
              const hex = r.toString(16).toUpperCase();
              const [p, w] = r <= 0xff ? ["x", 2] : r <= 0xffff ? ["u", 4] : ["U", 8];
              this.put(p);
              for (const d of hex.padStart(w, "0")) this.put(d);
            }
            spaces = false;
          } else if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
              this.writeIndent(indent);
              if (chars[i + 1] === " ") this.put("\\");
            } else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        this.writeIndicator('"', false, false, false);
        break;
      }
      case "literal": {
        this.writeIndicator("|", true, false, false);
        if (chars[0] === " " || isBreakChar(chars[0] ?? "")) this.writeIndicator(String(BEST_INDENT), false, false, false);
        const last = chars[chars.length - 1];
        let chomp = "";
        if (last === undefined || !isBreakChar(last)) chomp = "-";
        else if (chars.length === 1 || isBreakChar(chars[chars.length - 2]!)) chomp = "+";
        if (chomp) this.writeIndicator(chomp, false, false, false);
        this.putBreak();
        this.indention = true;
        this.whitespace = true;
        let breaks = true;
        for (const c of chars) {
          if (isBreakChar(c)) {
            this.putBreak();
            this.indention = true;
            breaks = true;
          } else {
            if (breaks) {
              this.writeIndent(indent);
              breaks = false;
            }
            this.write(c);
            this.indention = false;
          }
        }
        break;
      }
    }
  }

  /** Emits a node whose parent has indentation `parent` (-1 at the root). */
  node(n: Node, parent: number, inMapping: boolean): void {
    if (n.kind === "scalar") {
      this.scalar(n, parent < 0 ? BEST_INDENT : parent + BEST_INDENT, false);
      return;
    }
    if (n.kind === "seq") {
      if (n.items.length === 0) {
        this.writeIndicator("[", true, true, false);
        this.writeIndicator("]", false, false, false);
        return;
      }
      // a sequence directly under a mapping key is not indented
      const indent = parent < 0 ? 0 : inMapping && !this.indention ? parent : parent + BEST_INDENT;
      for (const item of n.items) {
        this.writeIndent(indent);
        this.writeIndicator("-", true, false, true);
        this.node(item, indent, false);
      }
      return;
    }
    if (n.entries.length === 0) {
      this.writeIndicator("{", true, true, false);
      this.writeIndicator("}", false, false, false);
      return;
    }
    const indent = parent < 0 ? 0 : parent + BEST_INDENT;
    for (const [k, v] of n.entries) {
      this.writeIndent(indent);
      const key = k as Extract<Node, { kind: "scalar" }>;
      if (this.simpleKey(key)) {
        this.scalar(key, indent + BEST_INDENT, true);
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.scalar(key, indent + BEST_INDENT, false);
        this.writeIndent(indent);
        this.writeIndicator(":", true, false, true);
      }
      this.node(v, indent, true);
    }
  }

  private simpleKey(key: Extract<Node, { kind: "scalar" }>): boolean {
    return utf8Bytes(key.text).length <= 128 && !analyze(key.text).multiline;
  }
}

/** yaml.marshal: the document go-yaml v2 writes for the value's JSON form. */
export function marshalYAML(v: Value): string {
  const e = new Emitter();
  e.node(toNode(v), -1, false);
  e.writeIndent(0);
  return e.out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export class YAMLError extends Error {}

function plainType(tag: string, accept: (r: Resolved) => boolean, construct: (r: Resolved) => unknown): yaml.Type {
  return new yaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (data: unknown) => typeof data === "string" && accept(resolvePlain(data)),
    construct: (data: string) => construct(resolvePlain(data)),
  });
}

const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    plainType("null", (r) => r.tag === "null", () => null),
    plainType("bool", (r) => r.tag === "bool", (r) => (r as { value: boolean }).value),
    plainType("int", (r) => r.tag === "int", (r) => (r as { value: bigint }).value),
    plainType("float", (r) => r.tag === "float", (r) => (r as { value: number }).value),
    new yaml.Type("tag:yaml.org,2002:merge", { kind: "scalar", resolve: (d: unknown) => d === "<<" || d === null }),
  ],
});

function toValue(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === "string" || typeof x === "boolean") return x;
  if (typeof x === "bigint") return normalizeBig(x);
  if (typeof x === "number") {
    if (!Number.isFinite(x)) throw new YAMLError(`error converting YAML to JSON: json: unsupported value: ${goFormatFloat(x)}`);
    return x;
  }
  if (Array.isArray(x)) return x.map(toValue);
  const b = new ObjectBuilder();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) b.set(k, toValue(v));
  return b.build();
}

function parseDocuments(text: string): unknown[] {
  try {
    return yaml.loadAll(text, null, { schema: SCHEMA, json: true });
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      const line = e.mark ? `line ${e.mark.line + 1}: ` : "";
      throw new YAMLError(`error converting YAML to JSON: yaml: ${line}${e.reason}`);
    }
    throw e;
  }
}

/** yaml.unmarshal: the first document (the whole stream must parse). */
export function unmarshalYAML(text: string): Value {
  const docs = parseDocuments(text);
  return toValue(docs.length === 0 ? null : docs[0]);
}
