import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Policy } from "../engine.js";
import { discoverTests } from "./discover.js";
import { seedOf } from "./properties.js";
import { formatJson, formatPretty } from "./report.js";
import { runTests, type RunOptions, type TestResult } from "./run.js";

function compile(text: string): Policy {
  return Policy.compile([{ file: "p.rego", text }]);
}

function run(text: string, options: RunOptions = {}): TestResult[] {
  const policy = compile(text);
  return runTests(policy, discoverTests(policy.modules), options);
}

const small = `package p

# METADATA
# schemas:
#   - input:
#       type: object
#       properties:
#         n: {type: integer, minimum: 0}
#       required: [n]
prop_small if input.n < 10

# METADATA
# schemas:
#   - input: {type: object, properties: {n: {type: integer, minimum: 0, maximum: 100}}, required: [n]}
prop_nonneg if input.n >= 0

test_plain if true
`;

describe("property tests", () => {
  it("discovers prop_ rules beside tests; a holding property passes", () => {
    const rs = run(small);
    expect(rs.map((r) => [r.name, r.status])).toEqual([
      ["data.p.prop_small", "fail"],
      ["data.p.prop_nonneg", "pass"],
      ["data.p.test_plain", "pass"],
    ]);
    expect(rs[1]!.seed).toBe(seedOf("data.p.prop_nonneg"));
  });

  it("a failing property reports the shrunk counterexample, the seed and the reproduce command", () => {
    for (const engine of ["compiled", "reference"] as const) {
      const [r] = run(small, { run: /prop_small/, engine });
      const seed = seedOf("data.p.prop_small");
      expect(r).toMatchObject({ status: "fail", counterexample: { n: 10 }, seed, reproduce: `guard test --run '^data.p.prop_small$' --seed ${seed}` });
      const pretty = formatPretty([r!]);
      expect(pretty).toContain('  counterexample: {"n":10}\n');
      expect(pretty).toContain(`  seed: ${seed}\n  reproduce: guard test --run '^data.p.prop_small$' --seed ${seed}\n`);
      expect(JSON.parse(formatJson([r!]))[0]).toMatchObject({ status: "fail", counterexample: { n: 10 }, seed });
    }
  });

  it("the same seed gives the same result; --seed is used and reported", () => {
    const policy = `package p

# METADATA
# schemas:
#   - input: {type: array, items: {type: string, maxLength: 3}}
prop_short if count(concat("", input)) < 5
`;
    const strip = (rs: TestResult[]) => rs.map(({ durationNs: _, ...r }) => r);
    expect(strip(run(policy, { seed: 1234 }))).toEqual(strip(run(policy, { seed: 1234 })));
    expect(strip(run(policy))).toEqual(strip(run(policy)));
    const [r] = run(policy, { seed: 1234 });
    expect(r).toMatchObject({ status: "fail", seed: 1234, reproduce: "guard test --run '^data.p.prop_short$' --seed 1234" });
    expect((r!.counterexample as string[]).join("").length).toBe(5);
  });

  it("custom.examples are always tried first", () => {
    const rs = run(`package p

# METADATA
# schemas:
#   - input: {type: object, properties: {n: {type: integer, minimum: 0, maximum: 1000000}}, required: [n]}
# custom:
#   runs: 1
#   examples: [{n: 1}, {n: 777}]
prop_not_777 if input.n != 777
`);
    expect(rs[0]).toMatchObject({ status: "fail", counterexample: { n: 777 } });
  });

  it("custom.runs sets the number of inputs; the runs option overrides it", () => {
    const text = `package p

# METADATA
# schemas:
#   - input: {type: integer}
# custom:
#   runs: 7
prop_any if true
`;
    const policy = compile(text);
    const spy = vi.spyOn(policy, "evaluate");
    const tests = discoverTests(policy.modules);
    expect(runTests(policy, tests)[0]!.status).toBe("pass");
    expect(spy).toHaveBeenCalledTimes(7);
    spy.mockClear();
    runTests(policy, tests, { runs: 3 });
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it("the schema may come from the package annotations", () => {
    const rs = run(`# METADATA
# schemas:
#   - input: {type: object, properties: {s: {enum: [a, b]}}, required: [s]}
package p

prop_ab if input.s in {"a", "b"}
`);
    expect(rs[0]!.status).toBe("pass");
  });

  it("schema.NAME names schemas/NAME.json below the schema directory; a missing file is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-prop-"));
    mkdirSync(join(dir, "schemas", "acl"), { recursive: true });
    writeFileSync(join(dir, "schemas", "acl", "user.json"), JSON.stringify({ type: "object", properties: { age: { type: "integer", minimum: 18 } }, required: ["age"] }));
    const text = (name: string) => `package p

# METADATA
# schemas:
#   - input: schema.${name}
prop_adult if input.age >= 18
`;
    expect(run(text("acl.user"), { schemaDir: ["/nonexistent", dir] })[0]!.status).toBe("pass");
    expect(run(text("acl.nope"), { schemaDir: dir })[0]).toMatchObject({
      status: "error",
      error: { message: "no schema for input: schemas/acl/nope.json not found" },
    });
    expect(run("package p\n\nprop_none if true\n")[0]).toMatchObject({ status: "error", error: { message: expect.stringMatching(/^no schema for input/) } });
  });

  it("an evaluation error inside a property is an error with the failing input", () => {
    const [r] = run(`package p

f(x) := 1 if x > 5
f(x) := 2 if x > 5

# METADATA
# schemas:
#   - input: {type: object, properties: {n: {type: integer, minimum: 0}}, required: [n]}
prop_f if f(input.n) >= 0
`);
    expect(r).toMatchObject({ status: "error", error: { code: "eval_conflict_error" }, counterexample: { n: 6 } });
    expect(formatPretty([r!])).toContain('counterexample: {"n":6}');
  });

  it("an unsupported $ref is an error naming it", () => {
    const [r] = run(`package p

# METADATA
# schemas:
#   - input: {$ref: "https://example.com/x.json"}
prop_x if true
`);
    expect(r).toMatchObject({ status: "error", error: { code: "schema_error", message: expect.stringContaining('unsupported $ref "https://example.com/x.json"') } });
  });

  it("a failing property explains its failing comparison on the counterexample; todo_prop_ is skipped", () => {
    const rs = run(small + "\ntodo_prop_later if false\n");
    expect(rs[0]).toMatchObject({ status: "fail", counterexample: { n: 10 } });
    expect(rs[0]!.failure).toMatchObject({ line: 10, op: "<", left: { text: "input.n", value: 10 }, right: { value: 10 } });
    expect(formatPretty(rs)).toContain("  counterexample: {\"n\":10}\n");
    expect(rs[3]).toMatchObject({ name: "data.p.todo_prop_later", status: "skip", durationNs: 0 });
  });
});
