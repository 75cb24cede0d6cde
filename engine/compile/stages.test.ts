import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { BuiltinRegistry } from "../builtins/registry.js";
import { any, number } from "../builtins/types.js";

function registry(): BuiltinRegistry {
  const r = new BuiltinRegistry();
  r.register({
    name: "count",
    args: [{ name: "collection", type: any }],
    result: { name: "n", type: number },
    description: "test double",
    categories: [],
    impl: (args) => (Array.isArray(args[0]) ? args[0].length : undefined),
  });
  return r;
}

function errorsOf(text: string): string[] {
  const { errors } = Policy.tryCompile([{ file: "p.rego", text }], { builtins: registry() });
  return errors.map((e) => `${e.code} ${e.loc?.line ?? "?"}:${e.loc?.column ?? "?"} ${e.message}`);
}

describe("compile stages", () => {
  it("reports unknown functions, with every call site", () => {
    expect(errorsOf(`package p\n\nx := nope(1)\ny := data.p.missing(2)\n`)).toEqual([
      "rego_type_error 3:6 undefined function nope",
      "rego_type_error 4:6 undefined function data.p.missing",
    ]);
  });

  it("reports arity mismatches but accepts an output argument in a statement", () => {
    expect(errorsOf(`package p\n\nx := count(1, 2, 3)\n`)).toEqual(["rego_type_error 3:6 count: arity mismatch: called with 3 arguments, takes 1"]);
    expect(errorsOf(`package p\n\nx if count([1], 1)\n`)).toEqual([]);
    expect(errorsOf(`package p\n\nf(a, b) := a\nx := f(1)\n`)).toEqual(["rego_type_error 4:6 data.p.f: arity mismatch: called with 1 argument, takes 2"]);
  });

  it("reports unsafe variables, including in rule values and comprehension heads", () => {
    expect(errorsOf(`package p\n\nx if y > 1\n`)).toEqual(["rego_unsafe_var_error 3:6 var y is unsafe"]);
    expect(errorsOf(`package p\n\nx := y if input.a\n`)).toEqual(["rego_unsafe_var_error 3:6 var y is unsafe"]);
    expect(errorsOf(`package p\n\nx := [z | input.a[_]]\n`)).toEqual(["rego_unsafe_var_error 3:7 var z is unsafe"]);
    expect(errorsOf(`package p\n\nx if not f(y)\nf(a) := a\n`)).toEqual(["rego_unsafe_var_error 3:6 var y is unsafe"]);
  });

  it("orders literals so that variables are bound before use", () => {
    expect(errorsOf(`package p\n\nx if {\n\ty > 1\n\ty = input.a\n}\n`)).toEqual([]);
    expect(errorsOf(`package p\n\nx contains k if input.m[k] == 1\n`)).toEqual([]);
    expect(errorsOf(`package p\n\nf([a, b]) := a + b if true\n`).filter((e) => e.includes("unsafe"))).toEqual([]);
  });

  it("reports recursion with its cycle", () => {
    expect(errorsOf(`package p\n\na if b\nb if a\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a",
    ]);
  });

  it("reports recursion through references with computed elements, which may reach several rules", () => {
    // a variable element reaches every rule below it
    expect(errorsOf(`package p\n\na if {\n\tsome x\n\tdata.p[x] == 1\n}\n`)).toEqual(["rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.a"]);
    expect(errorsOf(`package p\n\na if {\n\tsome x\n\tdata[x].b\n}\n\nb if a\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a",
    ]);
    // … but names after it still have to match
    expect(errorsOf(`package p\n\na if {\n\tsome x\n\tdata[x].c\n}\n\nb if a\n`)).toEqual([]);
    // all of data reaches every rule
    expect(errorsOf(`package p\n\na := count(data)\n`)).toEqual(["rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.a"]);
    // a reference above a rule reaches it; one below a rule (into its document) reaches it too
    expect(errorsOf(`package p\n\na := data.p.q\n\nq.b := 1 if a\n`)).toEqual(["rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.q.b -> data.p.a"]);
    expect(errorsOf(`package p\n\na if {\n\tsome k\n\tdata.p.m[k].z\n}\n\nm[k] := {"z": true} if {\n\tk := "x"\n\ta\n}\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.m -> data.p.a",
    ]);
    expect(errorsOf(`package p\n\na if {\n\tsome x\n\tdata.p.r[x].c.d == 1\n}\n\nr.s.c.d := 1 if a\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.r.s.c.d -> data.p.a",
    ]);
    // a reference into base data, or to a name no rule has, reaches nothing
    expect(errorsOf(`package p\n\na if {\n\tsome x\n\tdata.q[x].a\n}\n\nb if data.p.c.d\n`)).toEqual([]);
  });

  it("reports recursion through functions, and each cycle once", () => {
    expect(errorsOf(`package p\n\nf(x) := y if y := data.p.g(x)\ng(x) := y if y := f(x)\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.f is recursive: data.p.f -> data.p.g -> data.p.f",
    ]);
    expect(errorsOf(`package p\n\na if b\nb if a\nc if d\nd if c\ne if a\n`)).toEqual([
      "rego_recursion_error 3:1 rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a",
      "rego_recursion_error 5:1 rule data.p.c is recursive: data.p.c -> data.p.d -> data.p.c",
    ]);
  });

  it("reports rules of different kinds at one path", () => {
    expect(errorsOf(`package p\n\nx := 1\nx contains 2\n`)).toEqual(["rego_type_error 4:1 conflicting rules data.p.x found"]);
  });
});

describe("type check", () => {
  function typeErrors(text: string): string[] {
    const { errors } = Policy.tryCompile([{ file: "t.rego", text }]);
    return errors.map((e) => `${e.code} ${e.loc?.line}:${e.loc?.column} ${e.message}`);
  }

  it("rejects built-in calls whose literal arguments have the wrong type", () => {
    expect(typeErrors(`package t\n\nx := count(1)\ny := "a" + 1\n`)).toEqual([
      "rego_type_error 3:6 count: invalid argument(s): have (number), want (collection: any<set[any], array[any], object[any: any], string>)",
      "rego_type_error 4:6 plus: invalid argument(s): have (string, number), want (x: number, y: number)",
    ]);
  });

  it("accepts arguments whose types are only known at run time, and arguments of the right type", () => {
    expect(typeErrors(`package t\n\nx := count(input.xs)\ny := concat(",", {"a", "b"})\nz := 1 + 2\nw := [1] - input.s\n`)).toEqual([
      "rego_type_error 6:6 minus: invalid argument(s): have (array[any], any), want (x: any<number, set[any]>, y: any<number, set[any]>)",
    ]);
  });
});
