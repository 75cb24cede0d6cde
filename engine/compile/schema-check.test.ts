import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { closest, fileSchemaResolver } from "./schema-check.js";

const inputSchema = {
  type: "object",
  properties: {
    user: {
      type: "object",
      properties: { name: { type: "string" }, roles: { type: "array", items: { type: "string" } }, age: { type: "integer" } },
      additionalProperties: false,
    },
    method: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    resources: { type: "array", items: { $ref: "#/$defs/resource" } },
    extra: {},
  },
  $defs: { resource: { type: "object", properties: { id: { type: "string" }, owner: { $ref: "#/properties/user" } }, required: ["id"] } },
};

function errorsOf(text: string, strict = true, file = "p.rego"): string[] {
  const { errors } = Policy.tryCompile([{ file, text }], { strict });
  return errors.map((e) => `${e.loc?.line ?? "?"}:${e.loc?.column ?? "?"} ${e.code}: ${e.message}`);
}

const annotated = (schema: unknown, body: string) => `# METADATA
# schemas:
#   - input: ${JSON.stringify(schema)}
package p

${body}
`;

describe("schema check (strict)", () => {
  it("reports an undeclared input field with its location and the closest declared name", () => {
    expect(errorsOf(annotated(inputSchema, "allow if input.usr.name == \"ann\"\n"))).toEqual([
      '6:16 rego_type_error: undefined ref: input.usr.name: input has no field "usr" in the inline schema; did you mean "user"?',
    ]);
    expect(errorsOf(annotated(inputSchema, "allow if input.user.nmae == \"ann\"\n"))).toEqual([
      '6:21 rego_type_error: undefined ref: input.user.nmae: input.user has no field "nmae" in the inline schema; did you mean "name"?',
    ]);
    expect(errorsOf(annotated(inputSchema, "allow if input.zzz\n"))[0]).toContain('input has no field "zzz" in the inline schema; it has "user", "method", "labels", "resources", "extra"');
  });

  it("only in strict mode", () => {
    expect(errorsOf(annotated(inputSchema, "allow if input.usr\n"), false)).toEqual([]);
  });

  it("accepts declared fields, open parts, additionalProperties, array items and $ref", () => {
    const ok = [
      'allow if input.user.name == "ann"',
      'allow if { some r in input.user.roles; r == "admin" }',
      "allow if input.user.roles[0]",
      'allow if input.labels.team == "x"',
      "allow if input.extra.anything.goes",
      'allow if input.resources[_].owner.name == "ann"',
      "allow if { some i; input.resources[i].id }",
      "allow if input.method",
    ];
    for (const body of ok) expect(errorsOf(annotated(inputSchema, body + "\n")), body).toEqual([]);
  });

  it("a field of a scalar, a name on an array, a misspelled field behind $ref", () => {
    expect(errorsOf(annotated(inputSchema, "allow if input.user.name.first\n"))).toEqual([
      "6:26 rego_type_error: undefined ref: input.user.name.first: input.user.name is a string in the inline schema: it has no fields",
    ]);
    expect(errorsOf(annotated(inputSchema, "allow if input.user.roles.admin\n"))).toEqual([
      '6:27 rego_type_error: undefined ref: input.user.roles.admin: input.user.roles is an array in the inline schema: index it with a number, not "admin"',
    ]);
    expect(errorsOf(annotated(inputSchema, "allow if input.resources[0].owner.nam\n"))).toEqual([
      '6:35 rego_type_error: undefined ref: input.resources[0].owner.nam: input.resources[0].owner has no field "nam" in the inline schema; did you mean "name"?',
    ]);
  });

  it("allOf parts merged, anyOf alternatives each allowed", () => {
    const schema = {
      allOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { b: { anyOf: [{ type: "object", properties: { x: {} } }, { type: "object", properties: { y: {} } }] } } }],
    };
    expect(errorsOf(annotated(schema, "p if input.a\nq if input.b.x\nr if input.b.y\n"))).toEqual([]);
    expect(errorsOf(annotated(schema, "p if input.c\nq if input.b.z\n"))).toEqual([
      '6:12 rego_type_error: undefined ref: input.c: input has no field "c" in the inline schema; it has "a", "b"',
      '7:14 rego_type_error: undefined ref: input.b.z: input.b has no field "z" in the inline schema; it has "x", "y"',
    ]);
  });

  it("the rule's own schemas first, a part of input (input.user: …), imports followed", () => {
    const text = `# METADATA
# schemas:
#   - input: {type: object, properties: {a: {type: string}}}
package p

import input.user

# METADATA
# schemas:
#   - input.user: {type: object, properties: {name: {type: string}}}
x if user.nme

y if input.b
`;
    expect(errorsOf(text)).toEqual([
      '11:11 rego_type_error: undefined ref: input.user.nme: input.user has no field "nme" in the inline schema; did you mean "name"?',
      '13:12 rego_type_error: undefined ref: input.b: input has no field "b" in the inline schema; it has "a"',
    ]);
  });

  it("schema.NAME: schemas/NAME.json in the module's folder or above; a missing one is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-schema-"));
    mkdirSync(join(dir, "schemas", "acl"), { recursive: true });
    mkdirSync(join(dir, "policies", "authz"), { recursive: true });
    writeFileSync(join(dir, "schemas", "acl", "input.json"), JSON.stringify(inputSchema));
    const file = join(dir, "policies", "authz", "p.rego");
    expect(fileSchemaResolver("schema.acl.input", file)).toEqual(inputSchema);
    expect(fileSchemaResolver("schema.nope", file)).toBeUndefined();
    const text = `package p

# METADATA
# schemas:
#   - input: schema.acl.input
allow if input.method == "GET"

# METADATA
# schemas:
#   - input: schema.acl.input
deny if input.methd == "GET"

# METADATA
# schemas:
#   - input: schema.nope
other if input.x
`;
    expect(errorsOf(text, true, file)).toEqual([
      '11:15 rego_type_error: undefined ref: input.methd: input has no field "methd" in schema.acl.input; did you mean "method"?',
      "13:1 rego_type_error: schema schema.nope for input: schemas/nope.json not found",
    ]);
  });

  it("closest: small edits only", () => {
    expect(closest("usr", ["user", "method"])).toBe("user");
    expect(closest("b", ["a"])).toBeUndefined();
    expect(closest("completely", ["user"])).toBeUndefined();
    expect(closest("Name", ["name", "names"])).toBe("name");
  });
});
