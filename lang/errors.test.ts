// Real mistakes and the exact messages they get: what was expected, what was found, where, and how to fix it.
import { describe, expect, it } from "vitest";
import { parseModule } from "./parse.js";
import { errorsOf } from "./test/helpers.js";

const lines = (...ls: string[]) => ls.join("\n");

describe("messages for real mistakes", () => {
  it("missing `if` before a condition", () => {
    expect(errorsOf(`package p\n\nallow input.user == "alice"\n`)).toBe(
      lines(
        "policy.guard:3:7: error[unexpected-token]: expected `if`, `:=`, `=` or `contains` after the rule name `allow`, found the name `input`",
        "  |",
        '3 | allow input.user == "alice"',
        "  |       ^^^^^",
        "  = hint: a rule's conditions follow `if`: write `allow if …`",
      ),
    );
  });

  it("an unclosed brace names the line that opened it", () => {
    expect(errorsOf(`package p\n\nallow if {\n\tinput.x == 1\n`)).toBe(
      lines(
        "policy.guard:5:1: error[unexpected-end]: expected `}`, found the end of the file: the `{` on line 3 is never closed",
        "  |",
        "5 | ",
        "  | ^",
        "  = hint: close it with `}`",
      ),
    );
  });

  it("`==` where a rule value needs `:=`", () => {
    expect(errorsOf(`package p\n\nallow == true if input.x\n`)).toBe(
      lines(
        "policy.guard:3:7: error[unexpected-token]: expected `:=` or `=` to give the rule `allow` a value, found `==`",
        "  |",
        "3 | allow == true if input.x",
        "  |       ^^",
        "  = hint: `==` compares; write `allow := …`",
      ),
    );
  });

  it("`:=` inside an expression", () => {
    expect(errorsOf(`package p\n\nallow if count(x := 1) > 0\n`)).toBe(
      lines(
        "policy.guard:3:18: error[unexpected-token]: expected `)`, found `:=`",
        "  |",
        "3 | allow if count(x := 1) > 0",
        "  |                  ^^",
        "  = hint: `:=` declares a variable and stands as a statement of its own: `x := f(y)`; to compare use `==`",
      ),
    );
  });

  it("a stray closing token", () => {
    expect(errorsOf(`package p\n\nallow if {\n\tinput.x == 1 )\n}\n`)).toBe(
      lines(
        "policy.guard:4:15: error[unexpected-token]: expected `}`, found `)`",
        "  |",
        "4 |     input.x == 1 )",
        "  |                  ^",
        "  = hint: this `)` does not match the `{` opened on line 3",
      ),
    );
  });

  it("two expressions on one line", () => {
    expect(errorsOf(`package p\n\nallow if {\n  x := 1 y := 2\n}\n`)).toBe(
      lines(
        "policy.guard:4:10: error[unexpected-token]: expected `}`, found the name `y`",
        "  |",
        "4 |   x := 1 y := 2",
        "  |          ^",
        "  = hint: put each expression of a body on its own line, or separate them with `;`",
      ),
    );
  });

  it("Rego v0: a body without `if`", () => {
    expect(errorsOf(`package p\n\nallow {\n  input.admin\n}\n`)).toBe(
      lines(
        "policy.guard:3:7: error[rego-v0-syntax]: Rego v0 syntax: a rule body needs `if` before it in Rego v1",
        "  |",
        "3 | allow {",
        "  |       ^",
        "  = hint: write `allow if { … }`",
      ),
    );
  });

  it("Rego v0: a partial set rule", () => {
    expect(errorsOf(`package p\n\ndeny[msg] {\n  msg := "no"\n}\n`)).toBe(
      lines(
        "policy.guard:3:11: error[rego-v0-syntax]: Rego v0 syntax: a multi-value rule needs `contains` and `if` in Rego v1",
        "  |",
        "3 | deny[msg] {",
        "  |           ^",
        "  = hint: write `deny contains msg if { … }`",
      ),
    );
  });

  it("Rego v0: a partial object rule with `=`", () => {
    expect(errorsOf(`package p\n\nlabels[k] = v {\n  some k, v in input.l\n}\n`)).toBe(
      lines(
        "policy.guard:3:15: error[rego-v0-syntax]: Rego v0 syntax: a rule body needs `if` before it in Rego v1",
        "  |",
        "3 | labels[k] = v {",
        "  |               ^",
        "  = hint: write `labels[k] := v if { … }`",
      ),
    );
  });

  it("strings: unterminated, single quotes, bad escapes", () => {
    expect(errorsOf(`package p\n\nx := "abc\n`)).toBe(
      lines(
        'policy.guard:3:6: error[unterminated-string]: this string has no closing `"` before the end of the line',
        "  |",
        '3 | x := "abc',
        "  |      ^^^^",
        '  = hint: close the string with `"`; for text over several lines use a raw string in back-ticks (`…`)',
      ),
    );
    expect(errorsOf(`package p\n\nx := 'a'\n`).split("\n")[0]).toBe(`policy.guard:3:6: error[illegal-character]: unexpected character "'"`);
    expect(errorsOf(`package p\n\nx := "a\\d"\n`).split("\n")[0]).toBe("policy.guard:3:8: error[invalid-escape]: invalid escape `\\d` in a string");
  });

  it("a module without a package", () => {
    expect(errorsOf(`allow if true\n`)).toBe(
      lines(
        "policy.guard:1:1: error[missing-package]: a module must start with a `package` declaration",
        "  |",
        "1 | allow if true",
        "  | ^^^^^^^^^^^^^",
        "  = hint: add `package name` as the first line, such as `package authz`",
      ),
    );
  });

  it("METADATA that is not YAML", () => {
    const text = `package p\n\n# METADATA\n# title: x\n# description: [\nallow := 1\n`;
    expect(errorsOf(text).split("\n")[0]).toBe(
      "policy.guard:5:1: error[invalid-metadata]: the METADATA block is not valid YAML: unexpected end of the stream within a flow collection",
    );
  });

  it("a `some … in` whose key is an expression (found by the differential tests: it compiled and crashed)", () => {
    expect(errorsOf(`package p\n\nq contains i if { some i in "ab", n in {} }\n`).split("\n")[0]).toBe(
      "policy.guard:3:24: error[invalid-construct]: `some … in` binds variables: its key and value must be names or patterns of names and values, not expressions",
    );
    expect(errorsOf(`package p\n\nq contains [a, b] if { some [a, 1], {"k": b} in input.xs }\n`)).toBe("");
  });

  it("numbers with leading zeros", () => {
    expect(errorsOf(`package p\n\nx := 007\n`).split("\n").slice(0, 1).concat(errorsOf(`package p\n\nx := 007\n`).split("\n").slice(-1))).toEqual([
      "policy.guard:3:6: error[invalid-number]: a number cannot start with 0: `007`",
      "  = hint: write `7`",
    ]);
  });
});

describe("recovery", () => {
  it("reports several errors in one file and keeps the rules that parse", () => {
    const text = `package p\n\na if {\n  x := \n}\n\nb := [1, 2\n\nc if }\n\nd := 1\n`;
    const r = parseModule(text, { file: "f.guard" });
    expect(r.diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`)).toEqual([
      "5:1 expected a term (a value, a name, `[`, `{` or `(`), found `}`",
      "9:1 expected `]`, found the name `c`",
      "9:6 expected a rule body (`if …` or `if { … }`), found `}`",
    ]);
    expect(r.module?.rules.map((rule) => rule.head.name.head.kind === "var" && rule.head.name.head.name)).toEqual(["d"]);
  });

  it("stops after the error limit", () => {
    const text = "package p\n" + "x if }\n".repeat(30);
    const r = parseModule(text, { maxErrors: 5 });
    expect(r.diagnostics.filter((d) => d.code === "unexpected-token")).toHaveLength(5);
    expect(r.diagnostics.at(-1)?.code).toBe("too-many-errors");
  });
});
