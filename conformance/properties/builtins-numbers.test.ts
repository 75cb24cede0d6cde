// Laws of the numbers family (engine/builtins/numbers.ts): arithmetic identities, exact big integers, rounding
// against Go's rules, ranges.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/numbers.js";
import { bigInt } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, holds, params, tableDriven, val } from "../laws.js";

export const family = "numbers";
export const laws = ["abs", "round", "ceil", "floor", "plus", "minus", "mul", "div", "rem", "numbers.range", "numbers.range_step", "rand.intn"];

const int = fc.integer({ min: -1e6, max: 1e6 });
const quarter = fc.integer({ min: -4000, max: 4000 }).map((n) => n / 4);

/** Go's math.Round: half away from zero. */
const goRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

describe("numbers laws", () => {
  it("abs, round, ceil, floor agree with Go's rules", () => {
    fc.assert(
      fc.property(quarter, (x) => {
        expectEq(callv("abs", x), Math.abs(x));
        expectEq(callv("abs", -x), callv("abs", x));
        expectEq(callv("round", x), goRound(x) || 0);
        // OPA's quirk (big.Float truncation): strictly between -1 and 0, ceil is 1 and floor is 0
        const between = x > -1 && x < 0;
        expectEq(callv("ceil", x), between ? 1 : Math.ceil(x) || 0);
        expectEq(callv("floor", x), between ? 0 : Math.floor(x) || 0);
        if (!between) expect(holds("floor(input) <= input; input <= ceil(input)", x)).toBe(true);
      }),
      params(),
    );
  });
  it("plus / minus / mul / div / rem: identities on integers, exact on big integers", () => {
    fc.assert(
      fc.property(int, int, bigInt, (a, b, big) => {
        expectEq(callv("plus", a, b), a + b);
        expectEq(callv("minus", callv("plus", a, b)!, b), a);
        expectEq(callv("mul", a, 1), a);
        expectEq(val("(input[0] + input[1]) - input[1]", [big, a]), big);
        expectEq(val("input[0] * 2 - input[0]", [big]), big);
        if (b !== 0) {
          expectEq(callv("rem", a, b), a % b || 0);
          expectEq(callv("div", a * b, b), a);
        }
        expectEq(callv("div", a, 1), a);
      }),
      params(),
    );
  });
  it("numbers.range has |b-a|+1 members from a to b; range_step agrees with a JS loop", () => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 5 }), (a, b, s) => {
        const r = callv("numbers.range", a, b) as number[];
        expect(r.length).toBe(Math.abs(b - a) + 1);
        expect(r[0]).toBe(a);
        expect(r[r.length - 1]).toBe(b);
        const want: number[] = [];
        if (a <= b) for (let x = a; x <= b; x += s) want.push(x);
        else for (let x = a; x >= b; x -= s) want.push(x);
        expectEq(callv("numbers.range_step", a, b, s), want);
      }),
      params(),
    );
  });
  it("rand.intn(s, n) is in [0, n) and the same for one seed within a query", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), fc.integer({ min: 1, max: 100 }), (s, n) => {
        expect(holds("x := rand.intn(input[0], input[1]); x == rand.intn(input[0], input[1]); 0 <= x; x < input[1]", [s, n])).toBe(true);
      }),
      params(20),
    );
  });
});

const small = fc.integer({ min: -30, max: 30 });
describe("numbers: table-driven", () =>
  tableDriven(familyDecls(register), 25, {
    // ranges of random (big) bounds would be huge
    "numbers.range": fc.tuple(small, fc.oneof(small, fc.constant(2.5))),
    "numbers.range_step": fc.tuple(small, small, fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constant(0.5))),
  }));
