// Rules whose value depends on data alone (the fixed-rules compile stage) are computed once per compiled policy:
// the same value object on every evaluation, never under a `with` that replaces data or a function, never after an
// error, never for rules that read input or call a non-deterministic built-in; always what the reference gives.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseModule } from "../../lang/parse.js";
import { defaultBuiltins } from "../builtins/index.js";
import { compileStages } from "../compile/stages.js";
import { Policy } from "../engine.js";
import { EvalError } from "../errors.js";
import { toJSON, type Value } from "../value/value.js";

const POLICY = `package p

import rego.v1

# data alone: fixed
mask := [{"name": x.name, "replacement": sprintf("[MASKED:%s]", [x.name])} | some x in data.cfg.patterns]
names := {x.name | some x in data.cfg.patterns}
n := count(names)
by_name[name] := x if { some x in data.cfg.patterns; name := x.name }
uses_fn := double(n)
double(x) := x * 2
limit := data.cfg.limit
constant := {"a": [1, 2, {"b": 3}]}
default maybe := "default"
maybe := "set" if data.cfg.flag

# input, directly or through a rule or a function: not fixed
greeting := sprintf("hello %v", [input.who])
via_rule := [greeting, n]
via_fn := plus_input(1)
plus_input(x) := x + input.k
default mixed := false
mixed if input.on

# non-deterministic built-ins, print, with: not fixed
now := time.now_ns()
later := now + 1
random := rand.intn("seed", 1000000)
id := uuid.rfc4122("x")
printed := n if print("computing printed")
wrapped := names if with_input
with_input if input.on with input.on as true
`;

const DATA = { cfg: { patterns: [{ name: "aws" }, { name: "github" }, { name: "slack" }], limit: 3, flag: false, zero: 0 } };

function compile(text = POLICY, data: unknown = DATA): Policy {
  return Policy.compile([{ file: "p.rego", text }], { data });
}

function fixedNodes(...texts: string[]): string[] {
  const modules = texts.map((text, i) => {
    const parsed = parseModule(text, { file: `p${i}.rego` });
    expect(parsed.diagnostics).toEqual([]);
    return parsed.module!;
  });
  const state = compileStages(modules, defaultBuiltins());
  expect(state.errors).toEqual([]);
  return [...state.fixed!].sort();
}

describe("the fixed-rules stage", () => {
  it("finds the rules that depend on data and constants alone", () => {
    expect(fixedNodes(POLICY)).toEqual(["p.by_name", "p.constant", "p.limit", "p.mask", "p.maybe", "p.n", "p.names", "p.uses_fn"]);
  });

  it("leaves out rules whose dependencies read input, even far away", () => {
    const text = `package q\n\na := b\nb := c\nc := d\nd := data.q.e.f\n\ne.f := input.x\n\ng := data.q.e\n\nk := data.other\n`;
    expect(fixedNodes(text)).toEqual(["q.k"]);
  });

  it("leaves out rules that reach a rule reading input through a computed reference", () => {
    const r = `package r\n\na := 1\nb := input.x\n`;
    const s = `package s\n\nsome_rule := data.r[x] if x := "a"\nonly_a := data.r.a\nwhole := data.r\n`;
    expect(fixedNodes(r, s)).toEqual(["r.a", "s.only_a"]);
  });

  it("leaves out rules with `with`, also inside comprehensions and every", () => {
    const text = `package w\n\nf(x) := x\na := y if {\n\ty := f(1) with f as 2\n}\nb := [y | y := f(1) with f as 3]\nc if every x in [1] { f(x) with f as 1 }\nd := f(1)\ne := [y | some z in [1]; y := [w | w := f(z) with f as 3]]\n`;
    expect(fixedNodes(text)).toEqual(["w.d"]);
  });
});

describe("fixed rules in the compiled engine", () => {
  it("return the same value object on every evaluation, equal to the reference's", () => {
    const p = compile();
    for (const name of ["mask", "names", "n", "by_name", "uses_fn", "limit", "constant", "maybe"]) {
      const first = p.evaluate(["p", name]);
      expect(first, name).toBeDefined();
      expect(p.evaluate(["p", name], { input: { who: "x" } }), name).toBe(first);
      expect(p.entrypoint(["p", name])({ on: true }), name).toBe(first);
      expect(toJSON(first!), name).toEqual(toJSON(p.evaluate(["p", name], { engine: "reference" })!));
    }
    // reached from a rule that is not fixed, or from a query
    const via = p.evaluate(["p", "via_rule"], { input: { who: "y" } }) as Value[];
    expect(via[1]).toBe(p.evaluate(["p", "n"]));
    expect(p.query("x := data.p.mask")[0]!.x).toBe(p.evaluate(["p", "mask"]));
    // `with input as …` replaces nothing a fixed rule reads
    expect(p.query("x := data.p.mask with input as {}")[0]!.x).toBe(p.evaluate(["p", "mask"]));
  });

  it("are recomputed for each evaluation when they read input", () => {
    const p = compile();
    const a = p.evaluate(["p", "via_rule"], { input: { who: "a" } });
    const b = p.evaluate(["p", "via_rule"], { input: { who: "a" } });
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(p.evaluate(["p", "greeting"], { input: { who: "b" } })).toBe("hello b");
    expect(p.evaluate(["p", "via_fn"], { input: { k: 1 } })).toBe(2);
    expect(p.evaluate(["p", "via_fn"], { input: { k: 5 } })).toBe(6);
    expect(p.evaluate(["p", "mixed"], { input: { on: true } })).toBe(true);
    expect(p.evaluate(["p", "mixed"], { input: {} })).toBe(false);
  });

  it("are recomputed for non-deterministic built-ins and print", () => {
    const p = compile();
    expect(p.evaluate(["p", "now"], { nowNs: 5n })).toBe(5);
    expect(p.evaluate(["p", "now"], { nowNs: 7n })).toBe(7);
    expect(p.evaluate(["p", "later"], { nowNs: 9n })).toBe(10);
    const printed: string[] = [];
    for (let i = 0; i < 3; i++) expect(p.evaluate(["p", "printed"], { print: (m) => printed.push(m) })).toBe(3);
    expect(printed).toEqual(["computing printed", "computing printed", "computing printed"]);
    const ids = new Set([0, 1, 2, 3].map(() => p.evaluate(["p", "id"])));
    expect(ids.size).toBe(4);
  });

  it("are not kept, nor read, under a `with` that replaces data or a function", () => {
    const p = compile();
    const replaced = p.query(`x := data.p.mask with data.cfg.patterns as [{"name": "npm"}]`)[0]!.x;
    expect(toJSON(replaced)).toEqual([{ name: "npm", replacement: "[MASKED:npm]" }]);
    const kept = p.evaluate(["p", "mask"]);
    expect(toJSON(kept!)).toEqual(toJSON(p.evaluate(["p", "mask"], { engine: "reference" })!));
    expect(p.query(`x := data.p.n with data.cfg.patterns as []`)[0]!.x).toBe(0);
    expect(p.query(`x := data.p.uses_fn with data.p.double as 100`)[0]!.x).toBe(100);
    expect(p.query(`x := data.p.mask with sprintf as "masked"`)[0]!.x).toEqual([
      { name: "aws", replacement: "masked" },
      { name: "github", replacement: "masked" },
      { name: "slack", replacement: "masked" },
    ]);
    // the kept values are still the ones data gives
    expect(p.evaluate(["p", "mask"])).toBe(kept);
    expect(p.evaluate(["p", "n"])).toBe(3);
    expect(p.evaluate(["p", "uses_fn"])).toBe(6);
  });

  it("are not kept when computing them fails, and errors surface on every evaluation", () => {
    const text = `package e\n\nratio := 10 / data.cfg.zero\nboth := [ratio, 1]\nx := 1 if data.cfg.flag == false\nx := 2 if data.cfg.limit == 3\n`;
    const p = compile(text);
    const code = (f: () => unknown): string => {
      try {
        f();
        return "ok";
      } catch (e) {
        return e instanceof EvalError ? e.code : String(e);
      }
    };
    // lax first (an error is undefined: kept as undefined for lax evaluations only), then strict, then lax again
    expect(p.evaluate(["e", "both"])).toBeUndefined();
    expect(code(() => p.evaluate(["e", "both"], { strictBuiltinErrors: true }))).toBe("eval_builtin_error");
    expect(code(() => p.evaluate(["e", "both"], { strictBuiltinErrors: true }))).toBe("eval_builtin_error");
    expect(p.evaluate(["e", "both"])).toBeUndefined();
    // strict first on a fresh policy
    const q = compile(text);
    expect(code(() => q.evaluate(["e", "ratio"], { strictBuiltinErrors: true }))).toBe("eval_builtin_error");
    expect(q.evaluate(["e", "ratio"])).toBeUndefined();
    expect(code(() => q.evaluate(["e", "ratio"], { strictBuiltinErrors: true }))).toBe("eval_builtin_error");
    // conflicts, every time, in both engines
    for (let i = 0; i < 2; i++) {
      expect(code(() => p.evaluate(["e", "x"]))).toBe("eval_conflict_error");
      expect(code(() => p.evaluate(["e", "x"], { engine: "reference" }))).toBe("eval_conflict_error");
    }
  });

  it("are kept only once computed within the limits; kept values cost no steps", () => {
    const text = `package s\n\nn := count([[a, b] | some a in numbers.range(1, 100); some b in numbers.range(1, 100)])\n`;
    const p = compile(text);
    const code = (f: () => unknown): unknown => {
      try {
        return f();
      } catch (e) {
        return e instanceof EvalError ? e.code : String(e);
      }
    };
    expect(code(() => p.evaluate(["s", "n"], { maxSteps: 50 }))).toBe("eval_limit_error");
    expect(code(() => p.evaluate(["s", "n"], { maxSteps: 50 }))).toBe("eval_limit_error");
    expect(p.evaluate(["s", "n"], { maxSteps: 1_000_000 })).toBe(10000);
    expect(p.evaluate(["s", "n"], { maxSteps: 50 })).toBe(10000);
    expect(code(() => p.evaluate(["s", "n"], { maxSteps: 50, engine: "reference" }))).toBe("eval_limit_error");
  });

  it("are shared, and nothing the engine does with them changes them", () => {
    const text = `package u

import rego.v1

kept := {"list": [3, 1, 2], "set": {"b", "a"}, "obj": {"z": 1, "a": {"n": [1]}}}
uses contains x if {
	x := object.union(kept, {"obj": {"a": {"m": 2}}, "extra": input.x})
}
uses contains x if x := array.concat(kept.list, [input.x])
uses contains x if x := sort(kept.list)
uses contains x if x := json.patch(kept, [{"op": "add", "path": "/obj/a/n/-", "value": input.x}])
uses contains x if x := object.remove(kept, ["set"])
uses contains x if x := [y | some y in kept.set]
uses contains x if x := union({kept.set, {input.x}})
uses contains x if x := json.filter(kept, ["obj/a"])
uses contains x if x := object.filter(kept.obj, ["z"])
uses contains x if x := array.reverse(kept.list)
uses contains x if x := {k: v | some k, v in kept.obj}
`;
    const p = compile(text, {});
    const kept = p.evaluate(["u", "kept"])!;
    const before = JSON.stringify(toJSON(kept));
    for (let i = 0; i < 3; i++) {
      const uses = p.evaluate(["u", "uses"], { input: { x: i } });
      expect(toJSON(uses!)).toEqual(toJSON(p.evaluate(["u", "uses"], { input: { x: i }, engine: "reference" })!));
      p.query(`x := data.u.uses with input.x as ${i}`);
      expect(p.evaluate(["u", "kept"])).toBe(kept);
    }
    expect(JSON.stringify(toJSON(kept))).toBe(before);
  });

  it("agree with the reference on generated data, evaluation after evaluation", () => {
    const text = `package g

import rego.v1

items := [sprintf("%v=%v", [k, v]) | some k, v in data.d.m]
keys := {k | some k, _ in data.d.m}
total := sum([v | some v in data.d.nums])
merged := object.union(data.d.m, {"extra": count(keys)})
first := data.d.nums[0]
big contains v if { some v in data.d.nums; v > 10 }
`;
    const scalar = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 4 }), fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 5 }), (m, nums) => {
        const p = compile(text, { d: { m, nums } });
        for (const name of ["items", "keys", "total", "merged", "first", "big"]) {
          const ref = p.evaluate(["g", name], { engine: "reference" });
          const a = p.evaluate(["g", name]);
          const b = p.evaluate(["g", name], { input: { other: true } });
          expect(a === undefined ? undefined : toJSON(a), name).toEqual(ref === undefined ? undefined : toJSON(ref));
          expect(b, name).toBe(a);
        }
      }),
      { numRuns: 60 },
    );
  });
});
