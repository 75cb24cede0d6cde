// Glob built-ins: glob.match and glob.quote_meta, with the semantics of github.com/gobwas/glob as OPA uses it.
//
// Syntax: `*` any sequence of non-delimiter characters, `**` any sequence, `?` one non-delimiter character,
// `[abc]` / `[!abc]` one character in / not in the list, `[a-z]` / `[!a-z]` one character in / not in the range
// (a class holds either a list or a single range), `{a,b}` alternatives (nested patterns), `\` escapes.
// `,` is special only inside `{}`, and `}` only when a `{` is open; an unclosed `{` ends with the pattern.
// The pattern is parsed as gobwas's lexer and parser do (the same errors) and matched as an anchored RegExp.
import { typeName, type Value } from "../value/value.js";
import { arrayOf, boolean, nul, string, union } from "./types.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { str } from "./args.js";
import { OperandError } from "./operands.js";

class GlobSyntaxError extends Error {}

type GNode =
  | { k: "text"; text: string }
  | { k: "any" }
  | { k: "super" }
  | { k: "single" }
  | { k: "list"; chars: string; not: boolean }
  | { k: "range"; lo: number; hi: number; not: boolean }
  | { k: "anyof"; patterns: GNode[][] };

type Tok =
  | { t: "text"; v: string }
  | { t: "any" | "super" | "single" | "not" | "sep" | "rangeOpen" | "rangeClose" | "rangeBetween" | "termsOpen" | "termsClose" | "eof" }
  | { t: "rangeLo" | "rangeHi"; v: number };

/** gobwas/glob's lexer: the tokens of a pattern, or a GlobSyntaxError for its lexical errors. */
function lex(pattern: string): Tok[] {
  const runes = [...pattern].map((c) => c.codePointAt(0)!);
  const toks: Tok[] = [];
  let pos = 0;
  let termsLevel = 0;
  const EOF = -1;
  const read = (): number => (pos < runes.length ? runes[pos++]! : EOF);
  const peek = (): number => (pos < runes.length ? runes[pos]! : EOF);
  const text = (breakers: string): void => {
    let data = "";
    let escaped = false;
    while (pos < runes.length) {
      const r = runes[pos]!;
      if (!escaped) {
        if (r === 0x5c) {
          escaped = true;
          pos++;
          continue;
        }
        if (breakers.includes(String.fromCodePoint(r))) break;
      }
      escaped = false;
      data += String.fromCodePoint(r);
      pos++;
    }
    if (data) toks.push({ t: "text", v: data });
  };
  for (;;) {
    const r = read();
    if (r === EOF) {
      toks.push({ t: "eof" });
      return toks;
    }
    const c = String.fromCodePoint(r);
    if (c === "{") {
      termsLevel++;
      toks.push({ t: "termsOpen" });
    } else if (c === "," && termsLevel > 0) toks.push({ t: "sep" });
    else if (c === "}" && termsLevel > 0) {
      toks.push({ t: "termsClose" });
      termsLevel--;
    } else if (c === "[") {
      toks.push({ t: "rangeOpen" });
      // fetchRange
      let wantHi = false;
      let wantClose = false;
      let seenNot = false;
      for (;;) {
        const x = read();
        if (x === EOF) throw new GlobSyntaxError("unexpected end of input");
        if (wantClose) {
          if (x !== 0x5d) throw new GlobSyntaxError("expected close range character");
          toks.push({ t: "rangeClose" });
          break;
        }
        if (wantHi) {
          toks.push({ t: "rangeHi", v: x });
          wantClose = true;
          continue;
        }
        if (!seenNot && x === 0x21) {
          toks.push({ t: "not" });
          seenNot = true;
          continue;
        }
        if (peek() === 0x2d) {
          pos++;
          toks.push({ t: "rangeLo", v: x }, { t: "rangeBetween" });
          wantHi = true;
          continue;
        }
        pos--;
        text("]");
        wantClose = true;
      }
    } else if (c === "?") toks.push({ t: "single" });
    else if (c === "*") {
      if (peek() === 0x2a) {
        pos++;
        toks.push({ t: "super" });
      } else toks.push({ t: "any" });
    } else {
      pos--;
      text(termsLevel > 0 ? "?*[{}," : "?*[{");
    }
  }
}

/** gobwas/glob's parser: the pattern as a sequence of nodes. */
function parse(pattern: string): GNode[] {
  const toks = lex(pattern);
  const root: GNode[] = [];
  // stack of open alternatives: the anyof node and the pattern being filled
  const stack: { anyof: { k: "anyof"; patterns: GNode[][] }; outer: GNode[] }[] = [];
  let cur = root;
  let i = 0;
  for (;;) {
    const tok = toks[i++]!;
    switch (tok.t) {
      case "eof":
        return root;
      case "text":
        cur.push({ k: "text", text: tok.v });
        break;
      case "any":
        cur.push({ k: "any" });
        break;
      case "super":
        cur.push({ k: "super" });
        break;
      case "single":
        cur.push({ k: "single" });
        break;
      case "termsOpen": {
        const anyof: { k: "anyof"; patterns: GNode[][] } = { k: "anyof", patterns: [[]] };
        cur.push(anyof);
        stack.push({ anyof, outer: cur });
        cur = anyof.patterns[0]!;
        break;
      }
      case "sep": {
        const top = stack[stack.length - 1]!;
        const p: GNode[] = [];
        top.anyof.patterns.push(p);
        cur = p;
        break;
      }
      case "termsClose":
        cur = stack.pop()!.outer;
        break;
      case "rangeOpen": {
        let not = false;
        let lo = 0;
        let hi = 0;
        let chars = "";
        for (;;) {
          const t = toks[i++]!;
          if (t.t === "eof") throw new GlobSyntaxError("unexpected end");
          if (t.t === "not") not = true;
          else if (t.t === "rangeLo") lo = t.v;
          else if (t.t === "rangeHi") {
            hi = t.v;
            if (hi < lo) {
              throw new GlobSyntaxError(
                `hi character '${String.fromCodePoint(hi)}' should be greater than lo '${String.fromCodePoint(lo)}'`,
              );
            }
          } else if (t.t === "text") chars = t.v;
          else if (t.t === "rangeClose") break;
        }
        const isRange = lo !== 0 && hi !== 0;
        const isChars = chars !== "";
        if (isChars === isRange) throw new GlobSyntaxError("could not parse range");
        cur.push(isRange ? { k: "range", lo, hi, not } : { k: "list", chars, not });
        break;
      }
      default:
        throw new GlobSyntaxError(`unexpected token: ${tok.t}`);
    }
  }
}

function esc(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
  return `\\u{${cp.toString(16)}}`;
}
function escText(s: string): string {
  let out = "";
  for (const ch of s) out += esc(ch.codePointAt(0)!);
  return out;
}

function toSource(nodes: GNode[], seps: string): string {
  const notSep = seps ? `[^${seps}]` : "[\\s\\S]";
  let out = "";
  for (const n of nodes) {
    switch (n.k) {
      case "text":
        out += escText(n.text);
        break;
      case "any":
        out += notSep + "*";
        break;
      case "super":
        out += "[\\s\\S]*";
        break;
      case "single":
        out += notSep;
        break;
      case "list":
        out += "[" + (n.not ? "^" : "") + escText(n.chars) + "]";
        break;
      case "range":
        out += "[" + (n.not ? "^" : "") + esc(n.lo) + "-" + esc(n.hi) + "]";
        break;
      case "anyof":
        out += "(?:" + n.patterns.map((p) => toSource(p, seps)).join("|") + ")";
        break;
    }
  }
  return out;
}

/** Compiles a glob with the given delimiters (each one character); throws GlobSyntaxError. */
export function compileGlob(pattern: string, delimiters: string[]): RegExp {
  const nodes = parse(pattern);
  return new RegExp("^(?:" + toSource(nodes, escText(delimiters.join(""))) + ")$", "u");
}

const CACHE_MAX = 256;
/**
 * Compiled globs by delimiters, then by pattern: both keys are strings the caller already has (a pattern from data
 * or the policy is hashed once), where one key made of both would be a new string to hash on every call.
 */
const cache = new Map<string, Map<string, RegExp | GlobSyntaxError>>();
let cached = 0;

export function globMatch(pattern: string, delimiters: string[], value: string): boolean {
  const seps = delimiters.length === 1 ? delimiters[0]! : delimiters.join("");
  let byPattern = cache.get(seps);
  let re = byPattern?.get(pattern);
  if (re === undefined) {
    try {
      re = compileGlob(pattern, delimiters);
    } catch (e) {
      if (!(e instanceof GlobSyntaxError)) throw e;
      re = e;
    }
    if (cached >= CACHE_MAX) {
      cache.clear();
      cached = 0;
      byPattern = undefined;
    }
    if (byPattern === undefined) cache.set(seps, (byPattern = new Map()));
    byPattern.set(pattern, re);
    cached++;
  }
  if (re instanceof GlobSyntaxError) throw new BuiltinError(re.message);
  return re.test(value);
}

/** gobwas/glob's QuoteMeta: a backslash before each of `*?\[]{}`. */
export function globQuoteMeta(s: string): string {
  return s.replace(/[*?\\[\]{}]/g, "\\$&");
}

function delimitersOf(v: Value | undefined): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new OperandError(`operand 2 must be one of {array, null} but got ${typeName(v)}`);
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== "string") throw new OperandError(`operand 2 must be array of strings but got array containing ${typeName(x)}`);
    if ([...x].length !== 1) throw new OperandError("operand 2 must be array of runes but got array containing string");
    out.push(x);
  }
  return out.length ? out : ["."];
}

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "glob.match",
    args: [
      { name: "pattern", type: string, description: "glob pattern" },
      {
        name: "delimiters",
        type: union(arrayOf(string), nul),
        description:
          'glob pattern delimiters, e.g. `[".", ":"]`, defaults to `["."]` if unset. If `delimiters` is `null`, glob match without delimiter.',
      },
      { name: "match", type: string, description: "string to match against `pattern`" },
    ],
    result: { name: "result", type: boolean, description: "true if `match` can be found in `pattern` which is separated by `delimiters`" },
    description: "Parses and matches strings against the glob notation. Not to be confused with `regex.globs_match`.",
    categories: ["glob"],
    impl: (args) => {
      const pattern = str(args, 0);
      const delimiters = delimitersOf(args[1]);
      const value = str(args, 2);
      return globMatch(pattern, delimiters, value);
    },
  });
  r.register({
    name: "glob.quote_meta",
    args: [{ name: "pattern", type: string, description: "glob pattern" }],
    result: { name: "output", type: string, description: "the escaped string of `pattern`" },
    description: "Returns a string which represents a version of the pattern where all asterisks have been escaped.",
    categories: ["glob"],
    impl: (args) => globQuoteMeta(str(args, 0)),
  });
}
