// Laws of the arrays family (engine/builtins/arrays.ts), through both engines.
import fc from "fast-check";
import { describe, it } from "vitest";
import { register } from "../../engine/builtins/arrays.js";
import type { Value } from "../../engine/value/value.js";
import { value } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "arrays";
export const laws = ["array.concat", "array.reverse", "array.slice"];

const arr = fc.array(value({ depth: 1 }), { maxLength: 6 });

describe("arrays laws", () => {
  it("concat is JS concat; slicing it back gives the parts", () => {
    fc.assert(
      fc.property(arr, arr, (a, b) => {
        const c = callv("array.concat", a, b) as Value[];
        expectEq(c, [...a, ...b]);
        expectEq(callv("array.slice", c, 0, a.length), a);
        expectEq(callv("array.slice", c, a.length, c.length), b);
      }),
      params(),
    );
  });
  it("reverse is an involution and JS reverse", () => {
    fc.assert(
      fc.property(arr, (a) => {
        expectEq(callv("array.reverse", a), [...a].reverse());
        expectEq(val("array.reverse(array.reverse(input))", a), a);
      }),
      params(),
    );
  });
  it("slice clamps like OPA: out-of-range bounds are clamped, start > stop is empty", () => {
    fc.assert(
      fc.property(arr, fc.integer({ min: -2, max: 8 }), fc.integer({ min: -2, max: 8 }), (a, i, j) => {
        const lo = Math.max(0, i);
        const hi = Math.min(a.length, j);
        expectEq(callv("array.slice", a, i, j), lo >= hi ? [] : a.slice(lo, hi));
      }),
      params(),
    );
  });
});

describe("arrays: table-driven", () => tableDriven(familyDecls(register)));
