// Regular-expression built-ins: regex.match (and the deprecated re_match), regex.is_valid, regex.split,
// regex.find_n, regex.find_all_string_submatch_n, regex.replace, regex.template_match, regex.globs_match.
//
// OPA uses Go's `regexp` package (RE2 syntax, leftmost-first matching). Patterns are parsed exactly as Go's
// regexp/syntax does (re2-syntax.ts, re2-classes.ts), translated into JavaScript RegExps (re2-to-js.ts) and searched
// with Go's algorithms (re2-search.ts); regex.globs_match is in glob-intersection.ts.
import type { Value } from "../value/value.js";
import { arrayOf, boolean, number, string } from "./types.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { str } from "./args.js";
import { goIntOperand } from "./operands.js";
import { RegexSyntaxError } from "./re2-ast.js";
import { compileGoRegexp, isValidGoRegexp, quoteMeta, type GoRegexp } from "./re2-to-js.js";
import { findAll, matchString, replaceAll, split } from "./re2-search.js";
import { globsNonEmpty } from "./glob-intersection.js";

// Other modules' names, still importable from here.
export { compileGoRegexp, translateGoRegexp } from "./re2-to-js.js";

/** compileGoRegexp, with a syntax error as the built-in's error. */
function compileOrFail(pattern: string): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new BuiltinError(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// regex.template_match (gorilla/mux-style templates, as OPA forked them)

function templateRegexp(tpl: string, open: string, close: string): GoRegexp {
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  const unbalanced = (): BuiltinError => new BuiltinError(`unbalanced braces in ${goQuoteSimple(tpl)}`);
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open) {
      if (++level === 1) idx = i;
    } else if (tpl[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) throw unbalanced();
    }
  }
  if (level !== 0) throw unbalanced();
  let pattern = "^";
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const patt = tpl.slice(idxs[i]! + 1, end - 1);
    pattern += `${quoteMeta(raw)}(${patt})`;
    compileOrFail(`^${patt}$`);
  }
  pattern += quoteMeta(tpl.slice(end)) + "$";
  return compileOrFail(pattern);
}

/** strconv.Quote for messages (printable characters kept). */
function goQuoteSimple(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

export function register(r: BuiltinRegistry): void {
  const match = (args: Value[]): Value => {
    const pattern = str(args, 0);
    const value = str(args, 1);
    return matchString(compileOrFail(pattern), value);
  };
  r.register({
    name: "regex.match",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "value to match against `pattern`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches `pattern`" },
    description: "Matches a string against a regular expression.",
    categories: ["regex"],
    impl: match,
  });
  r.register({
    name: "re_match",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "value to match against `pattern`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches `pattern`" },
    description: "Matches a string against a regular expression (deprecated: use regex.match).",
    categories: ["regex"],
    deprecated: true,
    impl: match,
  });
  r.register({
    name: "regex.is_valid",
    args: [{ name: "pattern", type: string, description: "regular expression" }],
    result: { name: "result", type: boolean, description: "true if `pattern` is a valid regular expression" },
    description: "Checks if a string is a valid regular expression (RE2 syntax).",
    categories: ["regex"],
    impl: (args) => {
      const p = args[0];
      return typeof p === "string" && isValidGoRegexp(p);
    },
  });
  r.register({
    name: "regex.split",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
    ],
    result: { name: "output", type: arrayOf(string), description: "the parts obtained by splitting `value`" },
    description: "Splits the input string by the occurrences of the given pattern.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      return split(compileOrFail(pattern), value);
    },
  });
  r.register({
    name: "regex.find_n",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
      { name: "number", type: number, description: "number of matches to return; -1 means all matches" },
    ],
    result: { name: "output", type: arrayOf(string), description: "collected matches" },
    description: "Returns the specified number of matches when matching the input against the pattern.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      const n = goIntOperand(args, 2);
      if (n === 0) return [];
      return findAll(compileOrFail(pattern), value, n).map((m) => m[0]);
    },
  });
  r.register({
    name: "regex.find_all_string_submatch_n",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
      { name: "number", type: number, description: "number of matches to return; -1 means all matches" },
    ],
    result: { name: "output", type: arrayOf(arrayOf(string)), description: "array of all matches" },
    description: "Returns all successive matches of the expression, each with its submatches.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      const n = goIntOperand(args, 2);
      if (n === 0) return [];
      const g = compileOrFail(pattern);
      return findAll(g, value, n).map((m) => {
        const row: Value[] = [];
        for (let k = 0; k <= g.numSubexp; k++) row.push(m[k] ?? "");
        return row;
      });
    },
  });
  r.register({
    name: "regex.replace",
    args: [
      { name: "s", type: string, description: "string being processed" },
      { name: "pattern", type: string, description: "regex pattern to be applied" },
      { name: "value", type: string, description: "regex value" },
    ],
    result: { name: "output", type: string, description: "string with replaced substrings" },
    description: "Find and replaces the text using the regular expression pattern.",
    categories: ["regex"],
    impl: (args) => {
      const s = str(args, 0);
      const pattern = str(args, 1);
      const value = str(args, 2);
      return replaceAll(compileOrFail(pattern), s, value);
    },
  });
  r.register({
    name: "regex.template_match",
    args: [
      { name: "template", type: string, description: "template expression containing `0..n` regular expressions" },
      { name: "value", type: string, description: "string to match" },
      { name: "delimiter_start", type: string, description: "start delimiter of the regular expression in `template`" },
      { name: "delimiter_end", type: string, description: "end delimiter of the regular expression in `template`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches the `template`" },
    description: "Matches a string against a pattern, where the pattern may be glob-like.",
    categories: ["regex"],
    impl: (args) => {
      const tpl = str(args, 0);
      const value = str(args, 1);
      const start = str(args, 2);
      const end = str(args, 3);
      const startLen = Buffer.byteLength(start);
      if (startLen !== 1) {
        throw new BuiltinError(`start delimiter has to be exactly one character long but is ${startLen} long`);
      }
      if (Buffer.byteLength(end) !== 1) {
        // OPA reports the start delimiter's length here.
        throw new BuiltinError(`end delimiter has to be exactly one character long but is ${startLen} long`);
      }
      return matchString(templateRegexp(tpl, start, end), value);
    },
  });
  r.register({
    name: "regex.globs_match",
    args: [
      { name: "glob1", type: string, description: "first glob-style regular expression" },
      { name: "glob2", type: string, description: "second glob-style regular expression" },
    ],
    result: { name: "result", type: boolean, description: "true if the intersection of `glob1` and `glob2` matches a non-empty set of non-empty strings" },
    description:
      "Checks if the intersection of two glob-style regular expressions matches a non-empty set of non-empty strings. " +
      "The set of regex symbols is limited for this builtin: only `.`, `*`, `+`, `[`, `-`, `]` and `\\` are treated as special symbols.",
    categories: ["regex"],
    impl: (args) => {
      const a = str(args, 0);
      const b = str(args, 1);
      return globsNonEmpty(a, b);
    },
  });
}
