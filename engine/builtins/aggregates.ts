// Aggregates: count, sum, product, max, min, sort, and the deprecated any and all.
import { compare, isObject, isSet, normalizeBig, objectSize, type Value } from "../value/value.js";
import * as F from "./bigfloat.js";
import type { BuiltinRegistry } from "./registry.js";
import { arrayOrSetMembers, elementErr, typeErr } from "./operands.js";
import { isIntegral, toBig } from "./numbers.js";
import { any, arrayOf, boolean, number, objectOf, setOf, string, union } from "./types.js";

/** Members of an array, or a set's in sorted order (OPA's order for sets). */
function members(args: Value[]): Value[] {
  return arrayOrSetMembers(args, 0, "set-array");
}

function isNumber(v: Value): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

export function sum(xs: Value[], collection: Value): number | bigint {
  // exact on integers (JS numbers while they stay safe, then bigints)
  let small = 0;
  let i = 0;
  for (; i < xs.length; i++) {
    const x = xs[i]!;
    if (typeof x !== "number" || !Number.isSafeInteger(x)) break;
    const s = small + x;
    if (!Number.isSafeInteger(s)) break;
    small = s;
  }
  if (i === xs.length) return small === 0 ? 0 : small;
  if (xs.every((x) => isNumber(x) && isIntegral(x))) {
    let big = 0n;
    for (const x of xs) big += toBig(x as number | bigint);
    return normalizeBig(big);
  }
  // floats: accumulated as a big.Float of 64 bits, as OPA does
  let acc: F.BigFloat = { neg: false, mant: 0n, exp: 0, prec: 0 };
  for (const x of xs) {
    if (!isNumber(x)) throw elementErr(1, collection, x, "number");
    acc = F.add(acc, F.fromNumber(x));
  }
  return F.toValue(acc);
}

export function product(xs: Value[], collection: Value): number | bigint {
  if (xs.every((x) => isNumber(x) && isIntegral(x))) {
    let small = 1;
    let i = 0;
    for (; i < xs.length; i++) {
      const x = xs[i]!;
      if (typeof x !== "number" || !Number.isSafeInteger(x)) break;
      const p = small * x;
      if (!Number.isSafeInteger(p)) break;
      small = p;
    }
    if (i === xs.length) return small === 0 ? 0 : small;
    let big = 1n;
    for (const x of xs) big *= toBig(x as number | bigint);
    return normalizeBig(big);
  }
  // floats: OPA starts from big.NewFloat(1), whose 53-bit precision every product is then rounded to
  let acc = F.parseDecimal("1", 53);
  for (const x of xs) {
    if (!isNumber(x)) throw elementErr(1, collection, x, "number");
    acc = F.mul(acc, F.fromNumber(x), acc.prec);
  }
  return F.toValue(acc);
}

function maxOf(xs: Value[]): Value | undefined {
  if (xs.length === 0) return undefined;
  let best: Value = xs[0]!;
  for (const x of xs) if (compare(best, x) <= 0) best = x;
  return best;
}

function minOf(xs: Value[]): Value | undefined {
  if (xs.length === 0) return undefined;
  let best: Value = xs[0]!;
  for (const x of xs) if (compare(best, x) >= 0) best = x;
  return best;
}

export function register(r: BuiltinRegistry): void {
  const aggregates = ["aggregates"];
  const numbers = union(setOf(number), arrayOf(number));
  const collection = union(setOf(any), arrayOf(any));

  r.register({
    name: "count",
    args: [
      {
        name: "collection",
        type: union(setOf(any), arrayOf(any), objectOf(any, any), string),
        description: "the set/array/object/string to be counted",
      },
    ],
    result: { name: "n", type: number, description: "the count of elements, key/val pairs, or characters, respectively." },
    description: "Count takes a collection or string and returns the number of elements (or characters) in it.",
    categories: aggregates,
    impl: ([x]) => {
      if (Array.isArray(x)) return x.length;
      if (isSet(x)) return x.size;
      if (typeof x === "string") {
        let n = 0;
        for (const _ of x) n++;
        return n;
      }
      if (isObject(x)) return objectSize(x);
      throw typeErr(1, x, "array", "object", "set", "string");
    },
  });

  r.register({
    name: "sum",
    args: [{ name: "collection", type: numbers, description: "the set or array of numbers to sum" }],
    result: { name: "n", type: number, description: "the sum of all elements" },
    description: "Sums elements of an array or set of numbers.",
    categories: aggregates,
    impl: (args) => sum(members(args), args[0]!),
  });

  r.register({
    name: "product",
    args: [{ name: "collection", type: numbers, description: "the set or array of numbers to multiply" }],
    result: { name: "n", type: number, description: "the product of all elements" },
    description: "Multiplies elements of an array or set of numbers",
    categories: aggregates,
    impl: (args) => product(members(args), args[0]!),
  });

  r.register({
    name: "max",
    args: [{ name: "collection", type: collection, description: "the set or array to be searched" }],
    result: { name: "n", type: any, description: "the maximum of all elements" },
    description: "Returns the maximum value in a collection.",
    categories: aggregates,
    impl: (args) => maxOf(members(args)),
  });

  r.register({
    name: "min",
    args: [{ name: "collection", type: collection, description: "the set or array to be searched" }],
    result: { name: "n", type: any, description: "the minimum of all elements" },
    description: "Returns the minimum value in a collection.",
    categories: aggregates,
    impl: (args) => minOf(members(args)),
  });

  r.register({
    name: "sort",
    args: [{ name: "collection", type: union(arrayOf(any), setOf(any)), description: "the array or set to be sorted" }],
    result: { name: "n", type: arrayOf(any), description: "the sorted array" },
    description: "Returns a sorted array.",
    categories: aggregates,
    impl: (args) => {
      const [x] = args;
      if (isSet(x)) return x.sorted().slice();
      return [...members(args)].sort(compare);
    },
  });

  r.register({
    name: "any",
    args: [{ name: "collection", type: union(setOf(any), arrayOf(any)), description: "the set or array to be checked" }],
    result: { name: "result", type: boolean, description: "`true` if any of the values in `collection` is `true`, `false` otherwise" },
    description: "Returns `true` if any of the values in the collection is `true`. Deprecated: use `some ... in` instead.",
    categories: aggregates,
    deprecated: true,
    impl: (args) => arrayOrSetMembers(args, 0, "array-set").some((x) => x === true),
  });

  r.register({
    name: "all",
    args: [{ name: "collection", type: union(setOf(any), arrayOf(any)), description: "the set or array to be checked" }],
    result: { name: "result", type: boolean, description: "`true` if all values in `collection` are `true`, `false` otherwise" },
    description: "Returns `true` if all of the values in the collection are `true`. Deprecated: use `every` instead.",
    categories: aggregates,
    deprecated: true,
    impl: (args) => arrayOrSetMembers(args, 0, "array-set").every((x) => x === true),
  });
}
