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

  const schemaFixture = {
    "schemas/input.json": JSON.stringify({
      type: "object",
      properties: {
        user: { type: "object", properties: { name: { type: "string" }, roles: { type: "array", items: { type: "string" } } }, additionalProperties: false },
        method: { type: "string" },
      },
      additionalProperties: false,
    }),
    "authz/policy.rego": `# METADATA
# schemas:
#   - input: schema.input
package authz

allow if input.usr.name == "ann"

allow if {
	some role in input.user.roles
	role == "admin"
}

deny if input.user.name.first == "x"

deny if input.method == "DELETE"
`,
  };

  it("--strict checks input references against the METADATA schemas, with the location and the close match", () => {
    const dir = fixture(schemaFixture);
    expect(guard(["check", "."], dir)).toEqual({ status: 0, stdout: "", stderr: "" });
    const r = guard(["check", "--strict", "."], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(
      'authz/policy.rego:6:16: rego_type_error: undefined ref: input.usr.name: input has no field "usr" in schema.input; did you mean "user"?\n' +
        "authz/policy.rego:13:25: rego_type_error: undefined ref: input.user.name.first: input.user.name is a string in schema.input: it has no fields\n\n2 errors\n",
    );
    const json = guard(["check", "--strict", "--format", "json", "."], dir);
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as { errors: unknown[] }).errors[0]).toMatchObject({
      code: "rego_type_error",
      message: expect.stringContaining('did you mean "user"?'),
      location: { file: "authz/policy.rego", line: 6, column: 16 },
    });
    const gh = guard(["check", "--strict", "--format", "github", "."], dir);
    expect(gh.status).toBe(2);
    expect(gh.stdout.split("\n")[0]).toBe(
      "::error file=authz/policy.rego,line=6,col=16::rego_type_error%3A undefined ref%3A input.usr.name%3A input has no field \"usr\" in schema.input; did you mean \"user\"?",
    );
    // fixed, it passes
    const fixed = fixture({ ...schemaFixture, "authz/policy.rego": schemaFixture["authz/policy.rego"].replace("input.usr.name", "input.user.name").replace("input.user.name.first", "input.user.name") });
    expect(guard(["check", "--strict", "."], fixed)).toEqual({ status: 0, stdout: "", stderr: "" });
    // a schema that is not there
    const missing = guard(["check", "--strict", "."], fixture({ "p.rego": "# METADATA\n# schemas:\n#   - input: schema.nope\npackage p\n\nx if input.a\n" }));
    expect(missing.status).toBe(2);
    expect(missing.stdout).toContain("p.rego:1:1: rego_type_error: schema schema.nope for input: schemas/nope.json not found");
  });

  it("usage names the schema check", () => {
    expect(guard(["help", "check"], fixture({})).stdout).toContain("references to input that the JSON Schema bound in METADATA does not declare");
  });
});
