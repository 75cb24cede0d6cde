// Laws of the regex family (engine/builtins/regex.ts): match vs find_n, quoted literals, split vs split, replace.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/regex.js";
import type { Value } from "../../engine/value/value.js";
import { asciiWord, smallString } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "regex";
export const laws = ["regex.match", "re_match", "regex.find_n", "regex.find_all_string_submatch_n", "regex.is_valid", "regex.split", "regex.replace", "regex.template_match", "regex.globs_match"];

const pattern = fc.constantFrom("a", "a+", "[ab]", "b*c?", "^a", "x$", "(a|b)c", "\\d+", ".", "[^a]", "é+", "(?i)A");
const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

describe("regex laws", () => {
  it("regex.match(p, x) iff find_n finds a match; re_match is regex.match; is_valid", () => {
    fc.assert(
      fc.property(pattern, smallString, (p, x) => {
        const m = callv("regex.match", p, x);
        expect(m).toBe((callv("regex.find_n", p, x, -1) as Value[]).length > 0);
        expect(callv("re_match", p, x)).toBe(m);
        expect(callv("regex.is_valid", p)).toBe(true);
        expect((callv("regex.find_all_string_submatch_n", p, x, -1) as Value[]).length).toBe((callv("regex.find_n", p, x, -1) as Value[]).length);
        expect((callv("regex.find_n", p, x, 1) as Value[]).length).toBe(m ? 1 : 0);
      }),
      params(),
    );
  });
  it("a quoted literal behaves like the string built-ins", () => {
    fc.assert(
      fc.property(asciiWord.filter((s) => s.length > 0), smallString, (lit, x) => {
        const q = quote(lit);
        expect(callv("regex.match", q, x)).toBe(callv("contains", x, lit));
        expectEq(callv("regex.split", q, x), callv("split", x, lit));
        expectEq(callv("regex.replace", x, q, "-"), callv("replace", x, lit, "-"));
      }),
      params(),
    );
  });
  it("template_match with a literal template; globs_match is reflexive on literals", () => {
    fc.assert(
      fc.property(asciiWord, (w) => {
        expect(callv("regex.template_match", `urn:{${"[a-zA-Z0-9]*"}}`, `urn:${w}`, "{", "}")).toBe(true);
        expect(callv("regex.globs_match", quote(w) || "a", quote(w) || "a")).toBe(true);
        expect(val("regex.globs_match(\"a.*\", \"ab*\")")).toBe(true);
      }),
      params(30),
    );
  });
});

describe("regex: table-driven", () => tableDriven(familyDecls(register), 20, {
  "regex.match": fc.tuple(pattern, smallString),
  "regex.find_n": fc.tuple(pattern, smallString, fc.integer({ min: -1, max: 3 })),
  "regex.replace": fc.tuple(smallString, pattern, fc.constantFrom("", "x", "$1", "${0}")),
}));
