// Translation of an RE2 parse tree into a JavaScript RegExp (flag `v`), and compiling Go patterns with a cache.
//
// Every literal and class is emitted explicitly (code-point escapes, `.` as `[^\n]`, `^`/`$` per Go's (?m) rules,
// case folding expanded into classes), so JavaScript's own syntax and flags never change the meaning. Known
// differences: JavaScript backtracks, so a pathological pattern can be slow where RE2 is linear; matching of repeated
// empty-width groups can differ in corner cases; Unicode tables are V8's, not Go's.
import { ERR, RegexSyntaxError, syntaxError, type Node } from "./re2-ast.js";
import { cpEscape, orbits, rangesSource } from "./re2-ranges.js";
import { Parser } from "./re2-syntax.js";

function emit(n: Node): string {
  switch (n.k) {
    case "lit": {
      if (n.fold) {
        const orbit = orbits().get(n.cp);
        if (orbit) return "[" + orbit.map(cpEscape).join("") + "]";
      }
      return cpEscape(n.cp);
    }
    case "class":
      return "[" + (n.neg ? "^" : "") + rangesSource(n.ranges) + n.parts.join("") + "]";
    case "any":
      return n.nl ? "[\\u{0}-\\u{10FFFF}]" : "[^\\n]";
    case "assert":
      return n.js;
    case "empty":
      return "(?:)";
    case "cap":
      return "(" + emit(n.sub) + ")";
    case "group":
      return "(?:" + emit(n.sub) + ")";
    case "concat":
      return n.subs.map(emit).join("");
    case "alt":
      return n.subs.map(emit).join("|");
    case "rep": {
      const k = n.sub.k;
      const atom = k === "lit" || k === "class" || k === "any" || k === "cap" || k === "group";
      const body = atom ? emit(n.sub) : "(?:" + emit(n.sub) + ")";
      let q: string;
      if (n.min === 0 && n.max === -1) q = "*";
      else if (n.min === 1 && n.max === -1) q = "+";
      else if (n.min === 0 && n.max === 1) q = "?";
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.min === n.max) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      return body + q + (n.greedy ? "" : "?");
    }
  }
}

/** A compiled Go regular expression. */
export interface GoRegexp {
  /** The JavaScript equivalent (flags `gv`; always set lastIndex before use). */
  readonly re: RegExp;
  /** Number of capture groups. */
  readonly numSubexp: number;
  /** Capture group names by index ("" when unnamed; index 0 is the whole match). */
  readonly names: string[];
  /** The Go pattern. */
  readonly expr: string;
}

/** Parses a Go (RE2) pattern and translates it; throws RegexSyntaxError with Go's message. */
export function translateGoRegexp(pattern: string): GoRegexp {
  const p = new Parser(pattern);
  const tree = p.parse();
  const source = emit(tree);
  let re: RegExp;
  try {
    re = new RegExp(source, "gv");
  } catch {
    throw syntaxError(ERR.large, pattern);
  }
  return { re, numSubexp: p.numCap, names: p.names, expr: pattern };
}

const CACHE_MAX = 256;
const cache = new Map<string, GoRegexp | RegexSyntaxError>();

/** Compiles with a bounded cache; throws RegexSyntaxError. */
export function compileGoRegexp(pattern: string): GoRegexp {
  let hit = cache.get(pattern);
  if (hit === undefined) {
    try {
      hit = translateGoRegexp(pattern);
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      hit = e;
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(pattern, hit);
  }
  if (hit instanceof RegexSyntaxError) throw hit;
  return hit;
}

export function isValidGoRegexp(pattern: string): boolean {
  try {
    compileGoRegexp(pattern);
    return true;
  } catch (e) {
    if (e instanceof RegexSyntaxError) return false;
    throw e;
  }
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
