// Language laws, checked on generated values and modules through both engines:
// `not not p` ≡ p for a defined boolean p; `every` ≡ the negation of `some` with the negated condition;
// a set comprehension ≡ the partial set rule with the same body; an object comprehension ≡ the partial object
// rule; `with` replaces input / data only for its expression (the outer state is restored after it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Policy } from "../../engine/engine.js";
import type { Value } from "../../engine/value/value.js";
import { regoText, value } from "../arbitraries/values.js";
import { NOW_NS, sameOutcome, showOutcome, type Outcome } from "../differential.js";
import { expectEq, params } from "../laws.js";

export const covers = ["literal", "term-expr", "every", "some-in", "setcompr", "objectcompr", "arraycompr", "contains", "partial-object", "with", "default", "membership"];

const nums = fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 6 });
const cond = fc.constantFrom("x > 0", "x == 2", "x % 2 == 0", "x < -3", "abs(x) <= 1", "x != 0");

/** Evaluates data.t.<rule> for a module by both engines (which must agree). */
function rule(module: string, name: string, input?: Value): Value | undefined {
  const policy = Policy.compile([{ file: "t.rego", text: `package t\n\n${module}\n` }]);
  const get = (engine: "compiled" | "reference"): Outcome => {
    try {
      return { kind: "value", value: policy.evaluate(["t", name], { input, engine, nowNs: NOW_NS }) };
    } catch (e) {
      return { kind: "error", code: String((e as { code?: string }).code), message: String(e) };
    }
  };
  const c = get("compiled");
  const r = get("reference");
  if (!sameOutcome(c, r)) throw new Error(`engines disagree on ${name}:\n${module}\ncompiled ${showOutcome(c)}; reference ${showOutcome(r)}`);
  if (c.kind === "error") throw new Error(`${name}: ${c.message}`);
  return c.value;
}

describe("language laws", () => {
  it("not not p ≡ p for a defined boolean p", () => {
    fc.assert(
      fc.property(nums, cond, (xs, c) => {
        const m = `p if { some x in input; ${c} }\ndefault q := false\nq if not np\nnp if not p`;
        const p = rule(m, "p", xs) === true;
        expect(rule(m, "q", xs)).toBe(p);
      }),
      params(30),
    );
  });
  it("every x in xs { c } ≡ not (some x in xs; not c)", () => {
    fc.assert(
      fc.property(nums, cond, (xs, c) => {
        const m = `default a := false\na if every x in input { ${c} }\ndefault b := false\nb if not counter\ncounter if { some x in input; not ${c} }`;
        expect(rule(m, "a", xs)).toBe(rule(m, "b", xs));
        expect(rule(m, "a", xs)).toBe(xs.every((x) => evalCond(c, x)));
      }),
      params(30),
    );
  });
  it("a set comprehension ≡ the partial set rule with the same body", () => {
    fc.assert(
      fc.property(nums, cond, fc.constantFrom("x", "(x * 2)", "[x]", "{\"k\": x}", "sprintf(\"%d\", [x])"), (xs, c, head) => {
        const m = `s contains ${head} if { some x in input; ${c} }\nc := {${head} | some x in input; ${c}}`;
        expectEq(rule(m, "s", xs), rule(m, "c", xs));
      }),
      params(30),
    );
  });
  it("an object comprehension ≡ the partial object rule with the same body", () => {
    fc.assert(
      fc.property(nums, cond, fc.constantFrom("x", "(x * 2)", "[i, x]"), (xs, c, v) => {
        const m = `o[i] := ${v} if { some i, x in input; ${c} }\nc := {i: ${v} | some i, x in input; ${c}}`;
        expectEq(rule(m, "o", xs), rule(m, "c", xs));
      }),
      params(30),
    );
  });
  it("`with` replaces input and data for its expression only", () => {
    fc.assert(
      fc.property(value({ depth: 2 }), value({ depth: 2 }), (outer, inner) => {
        const m = [
          `get_input := input`,
          `default get_data := null`,
          `get_data := data.base`,
          `inside := v if { v := get_input with input as ${regoText(inner)} }`,
          `inside_data := v if { v := get_data with data.base as ${regoText(inner)} }`,
          `after := [a, b, c] if { a := get_input; _ := get_input with input as ${regoText(inner)}; b := get_input; c := get_data }`,
        ].join("\n");
        const policy = { module: m };
        expectEq(rule(policy.module, "inside", outer), inner);
        expectEq(rule(policy.module, "inside_data", outer), inner);
        expectEq(rule(policy.module, "after", outer), [outer, outer, null]);
      }),
      params(20),
    );
  });
});

function evalCond(c: string, x: number): boolean {
  switch (c) {
    case "x > 0":
      return x > 0;
    case "x == 2":
      return x === 2;
    case "x % 2 == 0":
      return x % 2 === 0;
    case "x < -3":
      return x < -3;
    case "abs(x) <= 1":
      return Math.abs(x) <= 1;
    default:
      return x !== 0;
  }
}
