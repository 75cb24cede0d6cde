// Laws of the strings family (engine/builtins/strings.ts), through both engines; every built-in of the family also
// gets the table-driven property (random well-typed arguments: engines agree, deterministic).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/strings.js";
import { asciiWord, smallString, stringArray } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "strings";
export const laws = ["concat", "split", "upper", "lower", "trim", "trim_left", "trim_right", "trim_prefix", "trim_suffix", "trim_space", "replace", "indexof", "contains", "startswith", "endswith", "strings.reverse", "substring", "sprintf", "strings.count", "indexof_n", "format_int", "strings.any_prefix_match", "strings.any_suffix_match", "strings.replace_n", "strings.render_template"];

const sep = fc.oneof(fc.constantFrom(",", "-", "ab", "é"), smallString.filter((s) => s.length > 0));

describe("strings laws", () => {
  it("concat(s, split(x, s)) == x", () => {
    fc.assert(fc.property(smallString, sep, (x, s) => expectEq(val("concat(input.s, split(input.x, input.s))", { x, s }), x)), params());
  });
  it("split(concat(s, xs), s) == xs when no part contains s", () => {
    fc.assert(
      fc.property(fc.array(asciiWord, { minLength: 1, maxLength: 4 }), (xs) => expectEq(callv("split", callv("concat", "|", xs)!, "|"), xs)),
      params(),
    );
  });
  it("upper and lower are idempotent and agree with JS on ASCII", () => {
    fc.assert(
      fc.property(asciiWord, (x) => {
        expectEq(callv("upper", x), x.toUpperCase());
        expectEq(callv("lower", x), x.toLowerCase());
        expectEq(val("upper(upper(input))", x), val("upper(input)", x));
        expectEq(val("lower(upper(input))", x), x.toLowerCase());
      }),
      params(),
    );
  });
  it("trim family: trim(x, c) == trim_left(trim_right(x, c), c); trim_space", () => {
    fc.assert(
      fc.property(smallString, fc.constantFrom(" ", "a", "ab", " \t"), (x, c) => {
        expectEq(callv("trim", x, c), val("trim_left(trim_right(input[0], input[1]), input[1])", [x, c]));
        expectEq(callv("trim_space", ` ${x}\t`), callv("trim_space", x));
      }),
      params(),
    );
  });
  it("trim_prefix / trim_suffix undo concatenation, startswith / endswith hold", () => {
    fc.assert(
      fc.property(smallString, smallString, (p, x) => {
        expectEq(callv("trim_prefix", p + x, p), x);
        expectEq(callv("trim_suffix", x + p, p), x);
        expect(callv("startswith", p + x, p)).toBe(true);
        expect(callv("endswith", x + p, p)).toBe(true);
      }),
      params(),
    );
  });
  it("indexof(x, s) >= 0 iff contains(x, s); replace(x, s, s) == x; replace removes every s", () => {
    fc.assert(
      fc.property(smallString, sep, (x, s) => {
        const i = callv("indexof", x, s) as number;
        expect(i >= 0).toBe(callv("contains", x, s));
        expect(i >= 0).toBe(x.includes(s));
        expectEq(callv("replace", x, s, s), x);
        expect(callv("contains", callv("replace", x, s, "")!, s) === true).toBe(x.split(s).join("").includes(s));
        expectEq(callv("strings.count", x, s), x.split(s).length - 1);
        expect(val("count(indexof_n(input[0], input[1])) >= strings.count(input[0], input[1])", [x, s])).toBe(true);
      }),
      params(),
    );
  });
  it("strings.reverse is an involution; substring(x, 0, count(x)) == x", () => {
    fc.assert(
      fc.property(smallString, (x) => {
        expectEq(val("strings.reverse(strings.reverse(input))", x), x);
        expectEq(val("substring(input, 0, count(input))", x), x);
        expectEq(val("count(input)", x), [...x].length);
      }),
      params(),
    );
  });
  it("sprintf %v of a string is the string; %d of an integer is format_int(n, 10)", () => {
    fc.assert(
      fc.property(smallString, fc.integer({ min: -1e6, max: 1e6 }), (s, n) => {
        expectEq(callv("sprintf", "%v", [s]), s);
        expectEq(callv("sprintf", "%d", [n]), callv("format_int", n, 10));
        expectEq(callv("format_int", n, 16), (n < 0 ? "-" : "") + Math.abs(n).toString(16));
      }),
      params(),
    );
  });
  it("concat of a set is the concat of its sorted members", () => {
    fc.assert(fc.property(stringArray, (xs) => expectEq(val("concat(\",\", {x | some x in input})", xs), val("concat(\",\", sort({x | some x in input}))", xs))), params(30));
  });
});

describe("strings laws (matching, replacing, templates)", () => {
  it("any_prefix_match / any_suffix_match agree with startswith / endswith over all pairs", () => {
    fc.assert(
      fc.property(fc.array(smallString, { maxLength: 3 }), fc.array(smallString, { maxLength: 3 }), (xs, ps) => {
        expect(callv("strings.any_prefix_match", xs, ps)).toBe(xs.some((x) => ps.some((p) => x.startsWith(p))));
        expect(callv("strings.any_suffix_match", xs, ps)).toBe(xs.some((x) => ps.some((p) => x.endsWith(p))));
        if (xs.length > 0 && ps.length > 0) expect(callv("strings.any_prefix_match", xs[0]!, ps[0]!)).toBe(callv("startswith", xs[0]!, ps[0]!));
      }),
      params(),
    );
  });
  it("replace_n with one pattern is replace; render_template substitutes values", () => {
    fc.assert(
      fc.property(smallString, sep, asciiWord, (x, p, r) => {
        expectEq(callv("strings.replace_n", { [p]: r }, x), callv("replace", x, p, r));
        expectEq(callv("strings.render_template", "<{{.a}}|{{.b}}>", { a: x, b: r }), `<${x}|${r}>`);
      }),
      params(),
    );
  });
});

describe("strings: table-driven", () => tableDriven(familyDecls(register)));
