// String built-ins: concat, contains, endswith, startswith, format_int, indexof, indexof_n, lower, upper, replace,
// strings.replace_n, split, sprintf, substring, trim*, strings.reverse, strings.count, strings.any_prefix_match,
// strings.any_suffix_match, strings.render_template.
//
// OPA implements these with Go's strings and fmt packages; the ports live in their own files: go-strings.ts (indexes
// and lengths in code points, Unicode case mapping, white space, strings.Replacer), go-fmt.ts (sprintf) and
// go-template.ts (strings.render_template).
import {
  isObject,
  isSet,
  MapObject,
  sortedEntries,
  compare,
  typeName,
  type Value,
} from "../value/value.js";
import { any, arrayOf, boolean, number, objectOf, setOf, string, union } from "./types.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { arr, num, obj, str } from "./args.js";
import { goIntOperand, OperandError } from "./operands.js";
import { codePointCount, cutsetPredicate, goReplace, isGoSpace, mapCase, trimLeftBy, trimRightBy } from "./go-strings.js";
import { sprintf } from "./go-fmt.js";
import { renderTemplate } from "./go-template.js";

// Other modules' names, still importable from here.
export { formatFloat } from "./go-format-float.js";
export { regoText } from "./rego-text.js";
export { sprintf };

// ---------------------------------------------------------------------------------------------------------------
// Operands

/** Members of an array or set that must all be strings (OPA's StringSliceOperand / element errors). */
function stringElems(v: Value, pos: number): string[] {
  const items = Array.isArray(v) ? v : isSet(v) ? v.sorted() : undefined;
  if (!items) throw new OperandError(`operand ${pos} must be one of {array, set} but got ${typeName(v)}`);
  const out: string[] = [];
  for (const x of items) {
    if (typeof x !== "string") {
      const tpe = typeName(v);
      throw new OperandError(`operand ${pos} must be ${tpe} of strings but got ${tpe} containing ${typeName(x)}`);
    }
    out.push(x);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

const strOrColl = union(string, arrayOf(string), setOf(string));

function prefixMatchArg(v: Value, pos: number): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) || isSet(v)) return stringElems(v, pos);
  throw new OperandError(`operand ${pos} must be one of {string, set, array} but got ${typeName(v)}`);
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
      if (!Array.isArray(c) && !isSet(c)) throw new OperandError(`operand 2 must be one of {set, array} but got ${typeName(c ?? null)}`);
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
