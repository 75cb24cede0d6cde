// semver.is_valid and semver.compare: Semantic Versioning 2.0.0 with the parsing and precedence rules OPA applies
// (major.minor.patch as 64-bit integers, optional "-pre.release" and "+build" identifiers of [0-9A-Za-z-]).
import type { Value } from "../value/value.js";
import { str } from "./args.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { any, boolean, number, string } from "./types.js";

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  preRelease: string;
  metadata: string;
}

const IDENTIFIERS = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** A signed decimal that fits in 64 bits (Go's strconv.ParseInt(s, 10, 64) / Atoi), or undefined. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/** Splits at the first `sep`: [before, after], or [s, ""] without one. */
function splitOff(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + 1)];
}

export function parseSemVer(text: string): SemVer | undefined {
  const [beforeMeta, metadata] = splitOff(text, "+");
  const [core, preRelease] = splitOff(beforeMeta, "-");
  const parts = core.split(".");
  if (parts.length < 3) return undefined;
  // at most three parts: "1.2.3.4" leaves "3.4" as the patch, which is then no integer
  const patchText = parts.slice(2).join(".");
  if (preRelease !== "" && !IDENTIFIERS.test(preRelease)) return undefined;
  if (metadata !== "" && !IDENTIFIERS.test(metadata)) return undefined;
  const major = parseInt64(parts[0]!);
  const minor = parseInt64(parts[1]!);
  const patch = parseInt64(patchText);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return { major, minor, patch, preRelease, metadata };
}

const cmp = <T extends bigint | string>(a: T, b: T): number => (a > b ? 1 : a < b ? -1 : 0);

function comparePreRelease(a: string[], b: string[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length) return i >= b.length ? 0 : -1;
    if (i >= b.length) return 1;
    const x = a[i]!;
    const y = b[i]!;
    const xi = parseInt64(x);
    const yi = parseInt64(y);
    // numeric identifiers have lower precedence than alphanumeric ones
    if (xi !== undefined && yi === undefined) return -1;
    if (xi === undefined && yi !== undefined) return 1;
    if (xi !== undefined && yi !== undefined) {
      const c = cmp(xi, yi);
      if (c !== 0) return c;
    }
    const c = cmp(x, y);
    if (c !== 0) return c;
  }
}

/** -1, 0 or 1 as `a` has lower, equal or higher precedence than `b`. Build metadata is ignored. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const c = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (c !== 0) return c;
  if (a.preRelease === "" && b.preRelease !== "") return 1;
  if (b.preRelease === "" && a.preRelease !== "") return -1;
  return comparePreRelease(a.preRelease.split("."), b.preRelease.split("."));
}

/** Go's strconv.Quote, for the messages (`string "1" is not a valid SemVer`). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (/^[\p{C}\p{Zl}\p{Zp}]$/u.test(ch) || (/^\p{Zs}$/u.test(ch) && c !== 0x20))
      out += c > 0xffff ? "\\U" + c.toString(16).padStart(8, "0") : "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "semver.is_valid",
    args: [{ name: "vsn", type: any, description: "input to validate" }],
    result: { name: "result", type: boolean, description: "`true` if `vsn` is a valid SemVer; `false` otherwise" },
    description: "Validates that the input is a valid SemVer string.",
    categories: ["semver"],
    impl: (args): Value => typeof args[0] === "string" && parseSemVer(args[0]) !== undefined,
  });
  r.register({
    name: "semver.compare",
    args: [
      { name: "a", type: string, description: "first version string" },
      { name: "b", type: string, description: "second version string" },
    ],
    result: { name: "result", type: number, description: "`-1` if `a < b`; `1` if `a > b`; `0` if `a == b`" },
    description: "Compares valid SemVer formatted version strings.",
    categories: ["semver"],
    impl: (args): Value => {
      const a = str(args, 0);
      const b = str(args, 1);
      const va = parseSemVer(a);
      if (va === undefined) throw new BuiltinError(`operand 1: string ${goQuote(a)} is not a valid SemVer`);
      const vb = parseSemVer(b);
      if (vb === undefined) throw new BuiltinError(`operand 2: string ${goQuote(b)} is not a valid SemVer`);
      return compareSemVer(va, vb);
    },
  });
}
