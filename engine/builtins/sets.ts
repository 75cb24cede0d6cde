// Set built-ins: and (&), or (|), intersection (of a set of sets), union (of a set of sets).
import { isSet, SetValue, type Value } from "../value/value.js";
import { set } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { typeErr } from "./operands.js";
import { any, setOf } from "./types.js";

export function intersect(a: SetValue, b: SetValue): SetValue {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new SetValue();
  for (const v of small.values()) if (large.has(v)) out.add(v);
  return out;
}

export function unite(a: SetValue, b: SetValue): SetValue {
  const out = new SetValue(a.values());
  for (const v of b.values()) out.add(v);
  return out;
}

/** The members of a set of sets, each checked to be a set (OPA reports "operand 1 must be set but got ..."). */
function memberSets(s: SetValue): SetValue[] {
  return s.sorted().map((m: Value) => {
    if (!isSet(m)) throw typeErr(1, m, "set");
    return m;
  });
}

export function register(r: BuiltinRegistry): void {
  const anySet = setOf(any);
  r.register({
    name: "and",
    infix: "&",
    args: [
      { name: "x", type: anySet, description: "the first set" },
      { name: "y", type: anySet, description: "the second set" },
    ],
    result: { name: "z", type: anySet, description: "the intersection of `x` and `y`" },
    description: "Returns the intersection of two sets.",
    categories: ["sets"],
    impl: (args) => intersect(set(args, 0), set(args, 1)),
  });
  r.register({
    name: "or",
    infix: "|",
    args: [
      { name: "x", type: anySet },
      { name: "y", type: anySet },
    ],
    result: { name: "z", type: anySet, description: "the union of `x` and `y`" },
    description: "Returns the union of two sets.",
    categories: ["sets"],
    impl: (args) => unite(set(args, 0), set(args, 1)),
  });
  r.register({
    name: "intersection",
    args: [{ name: "xs", type: setOf(anySet), description: "set of sets to intersect" }],
    result: { name: "y", type: anySet, description: "the intersection of all `xs` sets" },
    description: "Returns the intersection of the given input sets.",
    categories: ["sets"],
    impl: (args) => {
      const sets = memberSets(set(args, 0));
      if (sets.length === 0) return new SetValue();
      return sets.slice(1).reduce(intersect, sets[0]!);
    },
  });
  r.register({
    name: "union",
    args: [{ name: "xs", type: setOf(anySet), description: "set of sets to merge" }],
    result: { name: "y", type: anySet, description: "the union of all `xs` sets" },
    description: "Returns the union of the given input sets.",
    categories: ["sets"],
    impl: (args) => {
      const out = new SetValue();
      for (const s of memberSets(set(args, 0))) for (const v of s.values()) out.add(v);
      return out;
    },
  });
}
