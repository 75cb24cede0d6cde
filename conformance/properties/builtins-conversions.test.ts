// Laws of the conversions family (engine/builtins/conversions.ts).
import fc from "fast-check";
import { describe, it } from "vitest";
import { register } from "../../engine/builtins/conversions.js";
import { callv, expectEq, familyDecls, params, tableDriven } from "../laws.js";

export const family = "conversions";
export const laws = ["to_number"];

describe("conversions laws", () => {
  it("to_number inverts format_int and number printing; booleans and null", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1000, max: 1000 }), (n, k) => {
        expectEq(callv("to_number", callv("format_int", n, 10)!), n);
        expectEq(callv("to_number", String(k / 4)), k / 4);
        expectEq(callv("to_number", n), n);
      }),
      params(),
    );
    expectEq(callv("to_number", true), 1);
    expectEq(callv("to_number", false), 0);
    expectEq(callv("to_number", null), 0);
    expectEq(callv("to_number", "123456789012345678901234567890"), 123456789012345678901234567890n);
  });
});

describe("conversions: table-driven", () => tableDriven(familyDecls(register), 40));
