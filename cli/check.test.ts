import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const clean = `package authz\n\nimport data.roles\n\nallow if input.role in roles\n`;
const messy = `package authz\n\nimport data.unused\n\nallow if {\n\tx := 1\n\tinput.ok\n}\n`;

describe("guard check", () => {
  it("exits 0 and prints nothing for policies without errors", () => {
    expect(guard(["check", "."], fixture({ "p.rego": clean }))).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("reports every compile error with its location and exits 2", () => {
    const r = guard(["check"], fixture({ "p.rego": `package p\n\nx := y\nz := w\n` }));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("p.rego:3:6: rego_unsafe_var_error: var y is unsafe\np.rego:4:6: rego_unsafe_var_error: var w is unsafe\n\n2 errors\n");
  });

  it("reports syntax errors rendered with the source line", () => {
    const r = guard(["check"], fixture({ "p.rego": `package p\n\nallow input.x\n` }));
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("p.rego:3:7: error[unexpected-token]: expected `if`, `:=`, `=` or `contains` after the rule name `allow`");
    expect(r.stdout).toContain("3 | allow input.x");
  });

  it("adds the strict checks with --strict", () => {
    const dir = fixture({ "p.rego": messy });
    expect(guard(["check"], dir).status).toBe(0);
    const r = guard(["check", "--strict", "--format", "json"], dir);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as { errors: { code: string; message: string }[] };
    expect(out.errors.map((e) => e.message)).toEqual(["import data.unused unused", "assigned var x unused"]);
  });

  it("prints GitHub workflow annotations", () => {
    const r = guard(["check", "--strict", "--format", "github"], fixture({ "p.rego": messy }));
    expect(r.stdout.split("\n")[0]).toBe("::error file=p.rego,line=3,col=1::rego_compile_error%3A import data.unused unused");
    expect(r.stdout).toContain("guard check: 1 file, 2 errors");
  });
});
