import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { discoverTests } from "./discover.js";
import { explanationLines, lineDiff } from "./explain.js";
import { formatGithub, formatJson, formatJunit, formatPretty } from "./report.js";
import { runTests, type TestResult } from "./run.js";

const policySrc = `package authz

deny contains "a" if input.x
deny contains "b" if input.y

profile := {"name": "ann", "roles": ["admin", "dev"], "teams": ["a", "b", "c"], "city": "Paris"}
`;

function run(tests: string, engine: "compiled" | "reference" = "compiled"): TestResult[] {
  const policy = Policy.compile([{ file: "authz.rego", text: policySrc }, { file: "authz_test.rego", text: tests }]);
  return runTests(policy, discoverTests(policy.modules), { engine });
}

describe("failure explanations", () => {
  for (const engine of ["compiled", "reference"] as const) {
    it(`a failed comparison shows both sides' values (${engine})`, () => {
      const [r] = run(
        `package authz

test_one_deny if {
	n := 1
	count(deny) == n with input as {"x": true, "y": true}
}
`,
        engine,
      );
      expect(r!.status).toBe("fail");
      expect(r!.failure).toMatchObject({ file: "authz_test.rego", line: 5, column: 2, op: "==", left: { value: 2 }, right: { text: "n", value: 1 } });
      expect(r!.failure!.diff).toBeUndefined();
    });
  }

  it("each comparison operator; an undefined side", () => {
    const rs = run(`package authz

test_ne if 1 != 1
test_lt if count(deny) < 0
test_ge if 1 >= 2
test_unify if [1, 2] = [1, 3]
test_undefined if input.a.b == 3
`);
    expect(rs.map((r) => [r.failure?.op, r.failure?.left?.value, r.failure?.right?.value])).toEqual([
      ["!=", 1, 1],
      ["<", 0, 0],
      [">=", 1, 2],
      ["=", [1, 2], [1, 3]],
      ["==", undefined, 3],
    ]);
    expect(rs[4]!.failure!.left).toEqual({ text: "input.a.b", type: "undefined" });
    expect(explanationLines(rs[4]!.failure)).toEqual(["authz_test.rego:7:19: input.a.b == 3", "  left:  undefined  (input.a.b)", "  right: 3"]);
  });

  it("the last failing expression of a longer body, and nothing extra for a one-expression test", () => {
    const rs = run(`package authz

test_steps if {
	x := 1
	x > 0
	not deny["a"] with input as {"x": true}
	x == 1
}

test_single if deny["a"]
`);
    expect(rs[0]!.failure).toMatchObject({ line: 6, expression: expect.stringContaining("not data.authz.deny") });
    expect(rs[0]!.failure!.op).toBeUndefined();
    expect(rs[1]!.failure).toBeUndefined();
  });

  it("large objects and arrays: a line diff of their pretty JSON", () => {
    const [r] = run(`package authz

test_profile if profile == {"name": "ann", "roles": ["admin"], "teams": ["a", "b", "c"], "city": "Lyon"}
`);
    expect(r!.failure!.diff).toBe(
      [
        "  {",
        '-   "city": "Paris",',
        '+   "city": "Lyon",',
        '    "name": "ann",',
        '    "roles": [',
        '-     "admin",',
        '-     "dev"',
        '+     "admin"',
        "    ],",
        '    "teams": [',
        '      "a",',
        '      "b",',
        '      "c"',
        "    ]",
        "  }",
      ].join("\n"),
    );
    const lines = explanationLines(r!.failure);
    expect(lines[1]).toBe('  left:  {"city":"Paris","name":"ann","roles":["admin","dev"],"teams":["a","b","c"]}  (data.authz.profile)');
    expect(lines[3]).toBe("  diff (- left, + right):");
    expect(lines[5]).toBe('    -   "city": "Paris",');
  });

  it("is in every report format", () => {
    const rs = run(`package authz

test_count if count(deny) == 1 with input as {"x": true, "y": true}
`);
    expect(formatPretty(rs)).toContain("  authz_test.rego:3\n  authz_test.rego:3:15: count(data.authz.deny) == 1\n    left:  2  (count(data.authz.deny))\n    right: 1\n");
    expect((JSON.parse(formatJson(rs)) as { failure: unknown }[])[0]!.failure).toMatchObject({ op: "==", left: { value: 2 }, right: { value: 1 } });
    expect(formatJunit(rs)).toContain('<failure message="data.authz.test_count failed" type="fail">authz_test.rego:3:15: count(data.authz.deny) == 1\n  left:  2');
    expect(formatGithub(rs).split("\n")[0]).toBe(
      "::error file=authz_test.rego,line=3::data.authz.test_count failed%0Aauthz_test.rego:3:15: count(data.authz.deny) == 1%0A  left:  2  (count(data.authz.deny))%0A  right: 1",
    );
  });

  it("equal JSON of different types shows the types; a multi-line expression on one line", () => {
    const rs = run(`package authz

test_set_vs_array if {
	{1, 2} == [
		1,
		2,
	]
}
`);
    // no source file at hand: the terms as written by the compiler
    expect(explanationLines(rs[0]!.failure)).toEqual(["authz_test.rego:4:2: {1, 2} == [1, 2]", "  left:  [1,2] : set  ({1, 2})", "  right: [1,2] : array  ([1, 2])"]);
    // the source file read: its text, on one line
    const dir = mkdtempSync(join(tmpdir(), "guard-explain-"));
    const file = join(dir, "t_test.rego");
    const text = "package t\n\ntest_x if {\n\t{1, 2} == [\n\t\t1,\n\t\t2,\n\t]\n}\n";
    writeFileSync(file, text);
    const policy = Policy.compile([{ file, text }]);
    const [r] = runTests(policy, discoverTests(policy.modules));
    expect(explanationLines(r!.failure)).toEqual([`${file}:4:2: {1, 2} == [ 1, 2, ]`, "  left:  [1,2] : set  ({1, 2})", "  right: [1,2] : array  ([ 1, 2, ])"]);
  });

  it("lineDiff keeps common lines and marks removed and added ones", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd")).toBe("  a\n- b\n  c\n+ d");
  });
});
