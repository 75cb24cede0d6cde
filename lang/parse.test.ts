import { describe, expect, it } from "vitest";
import { parseModule } from "./parse.js";
import { literals, noLoc, parseOk, rules, term } from "./test/helpers.js";

const v = (name: string) => ({ kind: "var", name });
const s = (value: string) => ({ kind: "string", value, raw: false });
const n = (raw: string) => ({ kind: "number", raw });

describe("modules", () => {
  it("reads the package, imports and aliases", () => {
    const m = parseOk(`package a.b["c-d"]\n\nimport rego.v1\nimport future.keywords.in\nimport data.lib.util as u\nimport input.user\n\np := 1\n`);
    expect(noLoc(m.package.path)).toEqual({ kind: "ref", head: v("a"), path: [s("b"), s("c-d")] });
    expect(m.imports.map((i) => [noLoc(i.path).head, i.alias])).toEqual([
      [v("rego"), undefined],
      [v("future"), undefined],
      [v("data"), "u"],
      [v("input"), undefined],
    ]);
    expect(m.rules).toHaveLength(1);
  });

  it("keeps every comment with its location", () => {
    const m = parseOk(`# top\npackage p # after package\n\n# before rule\np := 1 # trailing\n`);
    expect(m.comments.map((c) => [c.text, c.loc.line, c.loc.column])).toEqual([
      [" top", 1, 1],
      [" after package", 2, 11],
      [" before rule", 4, 1],
      [" trailing", 5, 8],
    ]);
  });

  it("gives every node a location with file, line, column and end", () => {
    const m = parseModule(`package p\n\nallow if {\n\tinput.x == 1\n}\n`, { file: "f.guard" }).module!;
    const rule = m.rules[0]!;
    expect(rule.loc).toMatchObject({ file: "f.guard", line: 3, column: 1, endLine: 5, endColumn: 1 });
    const lit = rule.body!.literals[0]!;
    expect(lit.loc).toMatchObject({ line: 4, column: 2, endLine: 4, endColumn: 13 });
    const cmp = lit.expr.kind === "term-expr" ? lit.expr.term : undefined;
    expect(cmp?.kind).toBe("binary");
    if (cmp?.kind === "binary") expect(cmp.right.loc).toMatchObject({ line: 4, column: 13, offset: 34, endOffset: 35 });
  });
});

describe("rule heads", () => {
  it("reads default, :=, = and functions", () => {
    const [d, a, u, f] = rules(`default allow := false\nallow := true if input.ok\np = 2\nf(x, y) := x + y`);
    expect(d!.default).toBe(true);
    expect(d!.bodyStyle).toBe("none");
    expect(noLoc(d!.head.value)).toEqual({ kind: "boolean", value: false });
    expect(a!.head.op).toBe(":=");
    expect(a!.bodyStyle).toBe("if-literal");
    expect(u!.head.op).toBe("=");
    expect(noLoc(f!.head.args)).toEqual([v("x"), v("y")]);
    expect(noLoc(f!.head.value)).toEqual({ kind: "binary", op: "+", left: v("x"), right: v("y") });
  });

  it("reads multi-value rules and ref heads", () => {
    const [c, r, k] = rules(`deny contains msg if msg := "no"\na.b.c := 1\np[x] := y if { x := "k"; y := 2 }`);
    expect(noLoc(c!.head.contains)).toEqual(v("msg"));
    expect(noLoc(r!.head.name)).toEqual({ kind: "ref", head: v("a"), path: [s("b"), s("c")] });
    expect(noLoc(k!.head.name.path)).toEqual([v("x")]);
    expect(k!.bodyStyle).toBe("if-block");
    expect(k!.body!.literals).toHaveLength(2);
  });

  it("reads else chains with and without values and bodies", () => {
    const [r] = rules(`p := 1 if {\n\tinput.a\n} else := 2 if {\n\tinput.b\n} else := 3`);
    expect(r!.elses.map((e) => [e.op, noLoc(e.value), e.bodyStyle])).toEqual([
      [":=", n("2"), "if-block"],
      [":=", n("3"), "none"],
    ]);
    const [g] = rules(`f(x) := "a" if x > 1\nelse := "b"`);
    expect(g!.elses).toHaveLength(1);
  });

  it("reads further bodies of one rule", () => {
    const [r] = rules(`p if { input.a } { input.b }`);
    expect(r!.alternatives).toHaveLength(1);
  });

  it("accepts keywords as names inside refs and `contains` as a built-in name in bodies", () => {
    const [r] = rules(`p if {\n\tinput.in.every.some == 1\n\tcontains("abc", "b")\n}`);
    const [a, b] = noLoc(r!.body!.literals);
    expect(a!.expr).toMatchObject({ term: { left: { kind: "ref", path: [s("in"), s("every"), s("some")] } } });
    expect(b!.expr).toMatchObject({ term: { kind: "call", name: ["contains"] } });
  });
});

describe("bodies", () => {
  it("separates literals by newlines and semicolons", () => {
    expect(literals(`a := 1; b := 2\nc := 3`)).toHaveLength(3);
  });

  it("reads some, some-in, every, not and stacked with", () => {
    const [d, si, kv, ev, ng] = literals(
      `some x, y\nsome z in input.xs\nsome k, val in input.m\nevery i, e in input.xs { e > i }\nnot input.denied with input as {} with data.x as 1`,
    );
    expect(d!.expr).toEqual({ kind: "some-decl", vars: [v("x"), v("y")] });
    expect(si!.expr).toMatchObject({ kind: "some-in", value: v("z") });
    expect(kv!.expr).toMatchObject({ kind: "some-in", key: v("k"), value: v("val") });
    expect(ev!.expr).toMatchObject({ kind: "every", key: v("i"), value: v("e") });
    expect(ng!.negated).toBe(true);
    expect(ng!.with.map((w) => w.target.kind)).toEqual(["var", "ref"]);
  });

  it("reads := and = with patterns", () => {
    const [a, u] = literals(`[x, {"k": y}] := input.pair\n[1, z] = input.arr`);
    expect(a!.expr).toMatchObject({ kind: "assign", op: ":=", left: { kind: "array" } });
    expect(u!.expr).toMatchObject({ kind: "assign", op: "=" });
  });
});

describe("terms", () => {
  it("reads scalars of any size", () => {
    expect(term(`null`)).toEqual({ kind: "null" });
    expect(term(`true`)).toEqual({ kind: "boolean", value: true });
    expect(term(`123456789012345678901234567890`)).toEqual(n("123456789012345678901234567890"));
    expect(term(`-1.5e-10`)).toEqual(n("-1.5e-10"));
    expect(term(`"a\\n\\"b\\u00e9"`)).toEqual(s('a\n"bé'));
    expect(term("`raw\\d+`")).toEqual({ kind: "string", value: "raw\\d+", raw: true });
  });

  it("reads collections and the empty set", () => {
    expect(term(`[1, 2,]`)).toEqual({ kind: "array", items: [n("1"), n("2")] });
    expect(term(`{1, "a"}`)).toEqual({ kind: "set", items: [n("1"), s("a")] });
    expect(term(`set()`)).toEqual({ kind: "set", items: [] });
    expect(term(`{}`)).toEqual({ kind: "object", entries: [] });
    expect(term(`{"a": 1, 2: [3]}`)).toEqual({
      kind: "object",
      entries: [
        { key: s("a"), value: n("1") },
        { key: n("2"), value: { kind: "array", items: [n("3")] } },
      ],
    });
  });

  it("reads comprehensions", () => {
    expect(term(`[x | some x in input.xs]`)).toMatchObject({ kind: "arraycompr", term: v("x") });
    expect(term(`{x | x := input.xs[_]}`)).toMatchObject({ kind: "setcompr", term: v("x") });
    expect(term(`{k: v | some k, v in input.m}`)).toMatchObject({ kind: "objectcompr", key: v("k"), value: v("v") });
  });

  it("reads `|` after a single term as a comprehension only when a body and the bracket follow", () => {
    expect(term(`[a | b, 4]`)).toEqual({
      kind: "array",
      items: [{ kind: "binary", op: "|", left: v("a"), right: v("b") }, n("4")],
    });
    expect(term(`{a | b}`)).toMatchObject({ kind: "setcompr" });
  });

  it("applies operator precedence and left associativity", () => {
    expect(term(`1 + 2 * 3`)).toEqual({
      kind: "binary",
      op: "+",
      left: n("1"),
      right: { kind: "binary", op: "*", left: n("2"), right: n("3") },
    });
    expect(term(`a - b - c`)).toEqual({
      kind: "binary",
      op: "-",
      left: { kind: "binary", op: "-", left: v("a"), right: v("b") },
      right: v("c"),
    });
    expect(term(`(a + b) * c`)).toMatchObject({ op: "*", left: { op: "+" } });
    expect(term(`a | b & c`)).toMatchObject({ op: "|", right: { op: "&" } });
    expect(term(`a + 1 == b`)).toMatchObject({ op: "==", left: { op: "+" } });
    expect(term(`x in xs == true`)).toMatchObject({ kind: "membership", collection: { op: "==" } });
    expect(term(`(x in xs) == true`)).toMatchObject({ kind: "binary", op: "==", left: { kind: "membership" } });
  });

  it("reads refs, calls and refs into call results", () => {
    expect(term(`input.a[0]["b-c"][x]`)).toEqual({
      kind: "ref",
      head: v("input"),
      path: [s("a"), n("0"), s("b-c"), v("x")],
    });
    expect(term(`strings.replace_n({"a": "b"}, s)`)).toMatchObject({ kind: "call", name: ["strings", "replace_n"] });
    expect(term(`f(x).y[0]`)).toMatchObject({ kind: "ref", head: { kind: "call", name: ["f"] }, path: [s("y"), n("0")] });
    expect(term(`[1, 2][0]`)).toMatchObject({ kind: "ref", head: { kind: "array" } });
  });

  it("continues a ref only when the bracket touches it", () => {
    const lits = literals(`x := a\n[1] = y`);
    expect(lits).toHaveLength(2);
    expect(lits[0]!.expr).toMatchObject({ right: v("a") });
  });

  it("reads `k, v in xs` as one membership where a list cannot be meant", () => {
    expect(term(`k, v in xs`)).toEqual({ kind: "membership", key: v("k"), value: v("v"), collection: v("xs") });
    expect(term(`[k, v in xs]`)).toEqual({
      kind: "array",
      items: [v("k"), { kind: "membership", value: v("v"), collection: v("xs") }],
    });
  });
});

describe("regressions found by the property tests", () => {
  it("does not read `some x, y` and a next line's `z in w` as one membership", () => {
    const lits = literals(`some x, y\nz in w`);
    expect(lits.map((l) => l.expr.kind)).toEqual(["some-decl", "term-expr"]);
  });

  it("reads keywords after `.` as names while looking for `in`", () => {
    expect(literals(`a, b.if in c`)[0]!.expr).toMatchObject({ term: { kind: "membership", key: v("a") } });
    expect(term(`[1 | a, data.every in z]`)).toMatchObject({ kind: "arraycompr" });
  });
});

describe("regressions found by the formatter's round trips", () => {
  it("keeps a parenthesised membership as the value of `k, v in xs`", () => {
    expect(literals(`k, (a in b) in c`)[0]!.expr).toMatchObject({
      term: { kind: "membership", key: v("k"), value: { kind: "membership", value: v("a") }, collection: v("c") },
    });
  });

  it("reads `|` inside the value of `k, v in xs`", () => {
    expect(literals(`k, a | b in c`)[0]!.expr).toMatchObject({
      term: { kind: "membership", key: v("k"), value: { kind: "binary", op: "|" } },
    });
  });
});

describe("metadata", () => {
  it("parses METADATA blocks as YAML and attaches them to the next package or rule", () => {
    const m = parseOk(
      `# METADATA\n# title: Authz\n# description: Who may do what\npackage authz\n\n# METADATA\n# title: Allow admins\n# schemas:\n#   - input: schema.input\n# custom:\n#   runs: 50\nallow if input.admin\n`,
    );
    expect(m.package.annotations).toMatchObject({ scope: "package", data: { title: "Authz" } });
    expect(m.rules[0]!.annotations).toMatchObject({
      scope: "rule",
      data: { title: "Allow admins", schemas: [{ input: "schema.input" }], custom: { runs: 50 } },
    });
  });
});

describe("robustness", () => {
  it("never throws, whatever the text", () => {
    for (const text of ["", "}", "package", "package p\n\np := [", "\u0000\u0001", "package p\np if {{{{{{", "`", '"']) {
      const r = parseModule(text);
      expect(Array.isArray(r.diagnostics)).toBe(true);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it("parses an empty file into no module with one error", () => {
    const r = parseModule("\n# only a comment\n");
    expect(r.module).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["missing-package"]);
  });
});
