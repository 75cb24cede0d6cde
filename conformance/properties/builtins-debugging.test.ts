// Laws of the debugging family (engine/builtins/debugging.ts): walk visits every path with its value; print is true.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/debugging.js";
import { jsonValue } from "../arbitraries/values.js";
import { familyDecls, holds, params, tableDriven, val } from "../laws.js";

export const family = "debugging";
export const laws = ["walk", "print"];

describe("debugging laws", () => {
  it("walk: the root comes first, and each path leads to its value", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(val("[p | walk(input, [p, _])][0] == []", v)).toBe(true);
        expect(holds("every p, x in {p: x | walk(input, [p, x])} { object.get({\"r\": input}, array.concat([\"r\"], p), null) == x }", v)).toBe(true);
        expect(val("count({p | walk(input, [p, _])}) == count([p | walk(input, [p, _])])", v)).toBe(true);
      }),
      params(),
    );
  });
  it("print is true, also with undefined arguments", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(holds("print(input, input.nothing)", v)).toBe(true);
      }),
      params(10),
    );
  });
});

describe("debugging: table-driven", () => tableDriven(familyDecls(register)));
