// Laws of the aggregates family (engine/builtins/aggregates.ts) against JavaScript, through both engines.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/aggregates.js";
import { compare, SetValue, type Value } from "../../engine/value/value.js";
import { value } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, holds, params, tableDriven, val } from "../laws.js";

export const family = "aggregates";
export const laws = ["all", "any", "count", "max", "min", "product", "sort", "sum"];

const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 8 });
const values = fc.array(value({ depth: 2 }), { maxLength: 6 });

describe("aggregates laws", () => {
  it("sum, product, count, max, min agree with JavaScript on integers", () => {
    fc.assert(
      fc.property(ints, (xs) => {
        expectEq(callv("sum", xs), xs.reduce((a, b) => a + b, 0));
        expectEq(callv("product", xs.slice(0, 4)), xs.slice(0, 4).reduce((a, b) => a * b, 1));
        expectEq(callv("count", xs), xs.length);
        expectEq(callv("max", xs), xs.length ? Math.max(...xs) : undefined);
        expectEq(callv("min", xs), xs.length ? Math.min(...xs) : undefined);
        expectEq(val("sum({x | some x in input})", xs), [...new Set(xs)].reduce((a, b) => a + b, 0));
      }),
      params(),
    );
  });
  it("sort is ordered, idempotent, a permutation; max/min are its ends", () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = callv("sort", xs) as Value[];
        expectEq(s, [...xs].sort(compare));
        expectEq(callv("sort", s), s);
        if (s.length >= 2) expect(holds("every i in numbers.range(1, count(input) - 1) { input[i - 1] <= input[i] }", s)).toBe(true);
        expectEq(callv("max", xs), s.length ? s[s.length - 1] : undefined);
        expectEq(callv("min", xs), s.length ? s[0] : undefined);
        expectEq(callv("sort", new SetValue(xs)), new SetValue(xs).sorted());
      }),
      params(),
    );
  });
  it("all / any agree with JavaScript on booleans (and any value)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.boolean(), value({ depth: 1 })), { maxLength: 5 }), (xs) => {
        expectEq(callv("all", xs), xs.every((x) => x === true));
        expectEq(callv("any", xs), xs.some((x) => x === true));
        expectEq(callv("count", new SetValue(xs)), new SetValue(xs).size);
      }),
      params(),
    );
  });
});

describe("aggregates: table-driven", () => tableDriven(familyDecls(register)));
