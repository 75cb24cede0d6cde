import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";

function strictErrors(text: string): string[] {
  const { errors } = Policy.tryCompile([{ file: "s.rego", text }], { strict: true });
  return errors.map((e) => `${e.code} ${e.loc?.line}:${e.loc?.column} ${e.message}`);
}

describe("strict mode", () => {
  it("accepts a clean module, and lenient mode never reports these", () => {
    const clean = `package s\n\nimport data.lib.roles\n\nallow if {\n\tsome r in roles\n\tx := r.name\n\tx == input.name\n}\n\nf(a, _) := a\n`;
    expect(strictErrors(clean)).toEqual([]);
    const messy = `package s\n\nimport data.unused\n\nallow if {\n\tx := 1\n\tinput.ok\n}\n`;
    expect(Policy.tryCompile([{ file: "s.rego", text: messy }]).errors).toEqual([]);
  });

  it("reports unused and duplicate imports", () => {
    expect(strictErrors(`package s\n\nimport data.a.b\nimport data.a.b\nimport input.c as d\n\np := 1\n`)).toEqual([
      "rego_compile_error 3:1 import data.a.b unused",
      "rego_compile_error 4:1 import data.a.b is a duplicate",
      "rego_compile_error 5:1 import input.c as d unused",
    ]);
  });

  it("reports assigned variables and arguments that are never used", () => {
    expect(strictErrors(`package s\n\np if {\n\tx := input.a\n\tinput.b\n}\n\nf(a, b) := a\n`)).toEqual([
      "rego_compile_error 4:2 assigned var x unused",
      "rego_compile_error 8:6 unused argument b. (hint: use _ (wildcard variable) instead)",
    ]);
  });

  it("reports shadowing of input and data, and deprecated built-ins", () => {
    expect(strictErrors(`package s\n\np if {\n\tinput := 1\n\tinput == 1\n}\n\nq if any([true])\n`)).toEqual([
      "rego_compile_error 4:2 variables must not shadow input (use a different variable name)",
      "rego_type_error 8:6 deprecated built-in function calls in expression: any",
    ]);
  });
});
