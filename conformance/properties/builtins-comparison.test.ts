// Laws of the comparison family (engine/builtins/comparison.ts): the operators are Rego's total order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/comparison.js";
import { compare, SetValue } from "../../engine/value/value.js";
import { numberValue, value } from "../arbitraries/values.js";
import { callv, familyDecls, holds, params, tableDriven, val } from "../laws.js";

export const family = "comparison";
export const laws = ["equal", "neq", "lt", "lte", "gt", "gte"];

const v = value({ depth: 2 });

describe("comparison laws", () => {
  it("the operators agree with the total order of values (across types)", () => {
    fc.assert(
      fc.property(v, v, (a, b) => {
        const c = compare(a, b);
        expect(callv("lt", a, b)).toBe(c < 0);
        expect(callv("lte", a, b)).toBe(c <= 0);
        expect(callv("gt", a, b)).toBe(c > 0);
        expect(callv("gte", a, b)).toBe(c >= 0);
        expect(callv("equal", a, b)).toBe(c === 0);
        expect(callv("neq", a, b)).toBe(c !== 0);
        expect(val("input[0] < input[1]", [a, b])).toBe(c < 0);
        expect(val("input[0] == input[1]", [a, b])).toBe(c === 0);
      }),
      params(100),
    );
  });
  it("a number equals no array, set or string that holds it (big integers included)", () => {
    fc.assert(
      fc.property(numberValue, (n) => {
        expect(holds("input[0] == input[1]", [n, [n]])).toBe(false);
        expect(holds("input[0] == input[1]", [n, String(n)])).toBe(false);
        expect(holds("input[0] != input[1]", [n, new SetValue([n])])).toBe(true);
        expect(holds("x := input[0]; x == input[1][0]", [n, [n]])).toBe(true);
      }),
      params(),
    );
  });
  it("equality is reflexive, the order is antisymmetric", () => {
    fc.assert(
      fc.property(v, v, (a, b) => {
        expect(callv("equal", a, a)).toBe(true);
        expect(callv("lt", a, b) === true && callv("lt", b, a) === true).toBe(false);
      }),
      params(),
    );
  });
});

describe("comparison: table-driven", () => tableDriven(familyDecls(register)));
