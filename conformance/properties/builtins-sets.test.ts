// Laws of the sets family (engine/builtins/sets.ts): union / intersection (and `|`, `&`, `-`) are commutative,
// associative, idempotent, absorptive, and agree with JavaScript sets; union/intersection of a set of sets fold.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/sets.js";
import { SetValue } from "../../engine/value/value.js";
import { value } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "sets";
export const laws = ["and", "or", "union", "intersection"];

const set = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom("a", "b", "c"), value({ depth: 1 })), { maxLength: 6 }).map((xs) => new SetValue(xs));

describe("sets laws", () => {
  it("or / and are commutative, idempotent, absorptive; minus is the complement", () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        expectEq(callv("or", a, b), callv("or", b, a));
        expectEq(callv("and", a, b), callv("and", b, a));
        expectEq(callv("or", a, a), a);
        expectEq(callv("and", a, a), a);
        expectEq(val("input[0] | (input[0] & input[1])", [a, b]), a);
        expectEq(val("input[0] & (input[0] | input[1])", [a, b]), a);
        expectEq(callv("or", a, b), new SetValue([...a.values(), ...b.values()]));
        expectEq(callv("and", a, b), new SetValue([...a.values()].filter((x) => b.has(x))));
        expectEq(val("(input[0] - input[1]) | (input[0] & input[1])", [a, b]), a);
        expect(val("count(input[0] - input[1]) + count(input[0] & input[1])", [a, b])).toBe(a.size);
      }),
      params(),
    );
  });
  it("associativity; union / intersection of a set of sets are the folds", () => {
    fc.assert(
      fc.property(set, set, set, (a, b, c) => {
        expectEq(val("(input[0] | input[1]) | input[2]", [a, b, c]), val("input[0] | (input[1] | input[2])", [a, b, c]));
        expectEq(val("(input[0] & input[1]) & input[2]", [a, b, c]), val("input[0] & (input[1] & input[2])", [a, b, c]));
        expectEq(callv("union", new SetValue([a, b, c])), val("input[0] | input[1] | input[2]", [a, b, c]));
        expectEq(callv("intersection", new SetValue([a, b, c])), val("input[0] & input[1] & input[2]", [a, b, c]));
      }),
      params(),
    );
  });
});

describe("sets: table-driven", () => tableDriven(familyDecls(register)));
