// YAML as OPA's Go runtime reads it (sigs.k8s.io/yaml over go-yaml v2), for yaml.unmarshal and yaml.is_valid, and the
// scalar rules its writer (goyaml-emit.ts) shares: plain-scalar resolution, float formatting and key order.
//
// Reading resolves plain scalars with YAML 1.1's rules as go-yaml v2 does (yes/no/on/off are booleans, 0x1F and
// 017 integers, timestamps stay strings); the structure is parsed by js-yaml.
import yaml from "js-yaml";
import { normalizeBig, ObjectBuilder, type Value } from "../value/value.js";

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

export const MAX_INT64 = 9223372036854775807n;
export const MIN_INT64 = -9223372036854775808n;
export const MAX_UINT64 = 18446744073709551615n;
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

export function isBase60Float(s: string): boolean {
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
export function yamlFloat(f: number): string {
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
