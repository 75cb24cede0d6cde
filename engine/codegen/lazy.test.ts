// The compiled program is generated node by node: a decision compiles what it can call, nothing else, and every
// other way to reach a node (a computed reference, `with` replacing a function, a query, `guard build`'s whole
// source) still finds it.
import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { fromJSON, toJSON, type Value } from "../value/value.js";

const SOURCES = [
  {
    file: "a.rego",
    text: `package a

allow if {
	data.a.helper.ok
	data.lib.f(input.x) == 2
}

other := 7

far := data.b.unused
`,
  },
  { file: "helper.rego", text: `package a.helper\n\nok if input.x > 0\n` },
  { file: "lib.rego", text: `package lib\n\nf(x) := x + 1\n\ng(x) := x * 10\n` },
  { file: "b.rego", text: `package b\n\nunused := 1\n\nnames contains n if some n, _ in data.a\n\nmocked := y if y := data.lib.f(1) with data.lib.f as data.lib.g\n` },
];

function compiled(): Policy {
  return Policy.compile(SOURCES);
}

const json = (v: Value | undefined) => (v === undefined ? undefined : toJSON(v));

describe("lazily compiled programs", () => {
  it("compile on a decision only the nodes and functions it can call", () => {
    const p = compiled();
    expect(p.compiled.compiledKeys()).toEqual([]);
    const decide = p.entrypoint(["a", "allow"]);
    expect(new Set(p.compiled.compiledKeys())).toEqual(new Set(["a.allow", "a.helper.ok", "lib.f"]));
    expect(json(decide(fromJSON({ x: 1 })))).toBe(true);
    expect(json(decide(fromJSON({ x: 0 })))).toBeUndefined();
  });

  it("compile what a computed reference, a `with` replacement or a query reaches on demand", () => {
    const p = compiled();
    expect(json(p.evaluate(["b", "names"], { input: fromJSON({ x: 1 }) }))).toEqual(["allow", "far", "helper", "other"]);
    expect(json(p.evaluate(["b", "mocked"]))).toBe(10);
    expect(p.query("x := data.a.other + data.lib.g(1)").map((r) => json(r.x))).toEqual([17]);
    expect(json(p.evaluate(["a"], { input: fromJSON({ x: 1 }) }))).toEqual({ allow: true, far: 1, helper: { ok: true }, other: 7 });
    for (const path of [["a", "allow"], ["b", "names"], ["b", "mocked"], ["a", "other"]]) {
      expect(json(p.evaluate(path, { input: fromJSON({ x: 1 }) }))).toEqual(json(p.evaluate(path, { input: fromJSON({ x: 1 }), engine: "reference" })));
    }
  });

  it("still give the whole program's source", () => {
    const p = compiled();
    const source = p.compiled.source;
    for (const name of ["data.a.allow", "data.a.helper.ok", "data.b.unused", "function data.lib.g"]) expect(source).toContain(`// ${name}`);
    expect(p.compiled.compiledKeys()).toEqual([]);
  });
});
