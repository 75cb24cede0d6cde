// `print` and `walk`: declared here with their types (for arity checks and docs). Both engines evaluate them
// themselves: `print` shows undefined arguments as <undefined> instead of failing, and `walk` is a relation
// (one result per [path, value] pair), which no ordinary function can be.
import { isObject, isSet, sortedEntries, stringifyValue, type Value } from "../value/value.js";
import type { BuiltinRegistry } from "./registry.js";
import { any, arrayOf, boolean } from "./types.js";

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "print",
    args: [{ name: "values", type: any, description: "values to print" }],
    variadic: true,
    result: { name: "ok", type: boolean, description: "always true" },
    description: "Prints its arguments, space-separated (undefined ones as <undefined>): `guard test -v` and `guard eval` show them.",
    categories: ["debugging"],
    impl: (args, ctx) => {
      ctx.print(args.map((a) => (typeof a === "string" ? a : stringifyValue(a))).join(" "));
      return true;
    },
  });
  r.register({
    name: "walk",
    args: [{ name: "x", type: any, description: "the document to walk" }],
    result: { name: "output", type: arrayOf(any), description: "each [path, value] pair of the document, one result at a time" },
    description: "Enumerates every document nested in x with its path: `walk(input, [path, value])`.",
    categories: ["graph"],
    impl: ([x]) => walkPairs(x as Value),
  });
}

/** Every [path, value] pair of a document, the document itself first, in Rego's order. */
export function walkPairs(root: Value): Value[] {
  const out: Value[] = [];
  const visit = (path: Value[], v: Value) => {
    out.push([path, v]);
    const children: [Value, Value][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : isSet(v) ? v.sorted().map((x) => [x, x]) : isObject(v) ? sortedEntries(v) : [];
    for (const [k, child] of children) visit([...path, k], child);
  };
  visit([], root);
  return out;
}
