// Laws of the glob family (engine/builtins/glob.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/glob.js";
import { asciiWord, smallString } from "../arbitraries/values.js";
import { callv, familyDecls, params, tableDriven } from "../laws.js";

export const family = "glob";
export const laws = ["glob.match", "glob.quote_meta"];

describe("glob laws", () => {
  it("a quoted pattern matches exactly its text", () => {
    fc.assert(
      fc.property(smallString, smallString, (x, y) => {
        const q = callv("glob.quote_meta", x) as string;
        expect(callv("glob.match", q, [], x)).toBe(true);
        expect(callv("glob.match", q, [], y)).toBe(x === y);
      }),
      params(),
    );
  });
  it("`*` matches within a segment, `**` across separators; prefix patterns", () => {
    fc.assert(
      fc.property(asciiWord, asciiWord, (a, b) => {
        expect(callv("glob.match", "*", ["."], a)).toBe(true);
        expect(callv("glob.match", "*", ["."], `${a}.${b}`)).toBe(false);
        expect(callv("glob.match", "**", ["."], `${a}.${b}`)).toBe(true);
        expect(callv("glob.match", `${callv("glob.quote_meta", a) as string}*`, [], a + b)).toBe(true);
      }),
      params(),
    );
  });
});

describe("glob: table-driven", () => tableDriven(familyDecls(register)));
