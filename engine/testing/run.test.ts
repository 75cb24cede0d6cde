import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { discoverTests } from "./discover.js";
import { formatGithub, formatJson, formatJunit, formatPretty, formatDuration } from "./report.js";
import { runTests, type RunOptions, type TestResult } from "./run.js";

const policySrc = `package authz

default allow := false

allow if input.user == "admin"

deny contains msg if {
	input.user == "mallory"
	msg := "no"
}
`;

function run(tests: string, options: RunOptions = {}, extra: { file: string; text: string }[] = []): TestResult[] {
  const policy = Policy.compile([{ file: "authz.rego", text: policySrc }, { file: "authz_test.rego", text: tests }, ...extra]);
  return runTests(policy, discoverTests(policy.modules), options);
}

const brief = (rs: TestResult[]) => rs.map((r) => [r.name, r.status]);

describe("runTests", () => {
  for (const engine of ["compiled", "reference"] as const) {
    it(`reports pass, fail (false, undefined, a non-strict built-in error) and skip (${engine})`, () => {
      const rs = run(
        `package authz

test_admin_allowed if allow with input as {"user": "admin"}
test_guest_denied if not allow with input as {"user": "guest"}
test_false := false
test_undefined if input.nothing == 1
test_wrong if allow with input as {"user": "guest"}
test_builtin_error if 1 / 0 == 1
todo_test_later if false
helper if true
`,
        { engine },
      );
      expect(brief(rs)).toEqual([
        ["data.authz.test_admin_allowed", "pass"],
        ["data.authz.test_guest_denied", "pass"],
        ["data.authz.test_false", "fail"],
        ["data.authz.test_undefined", "fail"],
        ["data.authz.test_wrong", "fail"],
        ["data.authz.test_builtin_error", "fail"],
        ["data.authz.todo_test_later", "skip"],
      ]);
      expect(rs[0]).toMatchObject({ package: "data.authz", file: "authz_test.rego", line: 3, output: "" });
      expect(rs[0]!.durationNs).toBeGreaterThan(0);
      expect(rs[6]!.durationNs).toBe(0);
    });
  }

  it("is an error when evaluation fails, with the code and location", () => {
    const rs = run(`package authz

test_conflict if f(1) == 1
f(x) := 1
f(x) := 2
`);
    expect(rs).toHaveLength(1);
    expect(rs[0]!.status).toBe("error");
    expect(rs[0]!.error?.code).toBe("eval_conflict_error");
  });

  it("is an error past the timeout", () => {
    const rs = run(
      `package authz

test_slow if {
	xs := numbers.range(1, 200000)
	count([x | some x in xs; x > 0]) > 0
}
`,
      { timeoutMs: 0 },
    );
    expect(rs[0]!.status).toBe("error");
    expect(rs[0]!.error?.code).toBe("eval_limit_error");
  });

  it("runs several definitions of one test as one test", () => {
    const rs = run(`package authz

test_either if input.x == 1
test_either if allow with input as {"user": "admin"}
`);
    expect(brief(rs)).toEqual([["data.authz.test_either", "pass"]]);
    expect(rs[0]!.line).toBe(3);
  });

  it("mocks data, input and functions with with", () => {
    const rs = run(`package authz

test_data if data.authz.allow with data.authz.allow as true
test_fn if {
	count(deny) == 1 with input as {"user": "mallory"}
}
test_mock_fn if {
	d := deny with input as {"user": "mallory"} with sprintf as mock
	count(d) == 1
}
mock(_, _) := "x"
`);
    expect(brief(rs)).toEqual([
      ["data.authz.test_data", "pass"],
      ["data.authz.test_fn", "pass"],
      ["data.authz.test_mock_fn", "pass"],
    ]);
  });

  it("finds tests in any module and package", () => {
    const rs = run(`package authz

test_a if true
`, {}, [{ file: "other.rego", text: "package lib.util\n\ntest_b if true\n" }]);
    expect(brief(rs)).toEqual([
      ["data.authz.test_a", "pass"],
      ["data.lib.util.test_b", "pass"],
    ]);
    expect(rs[1]).toMatchObject({ package: "data.lib.util", file: "other.rego" });
  });

  it("filters by --run on the full name", () => {
    const tests = `package authz

test_one if true
test_two if true
test_three if false
`;
    expect(brief(run(tests, { run: /_t[wh]/ }))).toEqual([
      ["data.authz.test_two", "pass"],
      ["data.authz.test_three", "fail"],
    ]);
    expect(brief(run(tests, { run: /^data\.authz\.test_one$/ }))).toEqual([["data.authz.test_one", "pass"]]);
    expect(run(tests, { run: /nothing/ })).toEqual([]);
  });

  it("captures what each test prints", () => {
    const rs = run(`package authz

test_a if {
	print("hello", 1)
	print("again")
}
test_b if true
`);
    expect(rs.map((r) => r.output)).toEqual(["hello 1\nagain\n", ""]);
  });
});

describe("reports", () => {
  const results: TestResult[] = [
    { name: "data.p.test_ok", package: "data.p", file: "p_test.rego", line: 3, status: "pass", durationNs: 1_500_000, output: "hi\n" },
    { name: "data.p.test_bad", package: "data.p", file: "p_test.rego", line: 4, status: "fail", durationNs: 2_000, output: "" },
    {
      name: "data.p.test_err",
      package: "data.p",
      file: "p_test.rego",
      line: 5,
      status: "error",
      durationNs: 10,
      output: "",
      error: { code: "eval_type_error", message: "bad <thing>", loc: { file: "p.rego", line: 2, column: 3, endLine: 2, endColumn: 4, offset: 0, endOffset: 1 } },
    },
    { name: "data.p.todo_test_x", package: "data.p", file: "p_test.rego", line: 6, status: "skip", durationNs: 0, output: "" },
  ];

  it("formats durations as Go does", () => {
    expect([formatDuration(10), formatDuration(1_500), formatDuration(1_234_567), formatDuration(2_500_000_000)]).toEqual(["10ns", "1.5µs", "1.234567ms", "2.5s"]);
  });

  it("pretty: failures, summary, counts; verbose shows passes and output", () => {
    const text = formatPretty(results);
    expect(text).toContain("FAILURES\n" + "-".repeat(80) + "\ndata.p.test_bad: FAIL (2µs)\n  p_test.rego:4\n");
    expect(text).toContain("SUMMARY\n" + "-".repeat(80) + "\np_test.rego:\ndata.p.test_bad: FAIL (2µs)\ndata.p.test_err: ERROR (10ns)\n  p.rego:2:3: eval_type_error: bad <thing>\ndata.p.todo_test_x: SKIPPED\n");
    expect(text).not.toContain("test_ok");
    expect(text.endsWith("PASS: 1/4\nFAIL: 1/4\nSKIPPED: 1/4\nERROR: 1/4\n")).toBe(true);
    const verbose = formatPretty(results, { verbose: true });
    expect(verbose).toContain("data.p.test_ok: PASS (1.5ms)\n\n  hi\n\n");
    expect(formatPretty([results[0]!])).toBe("PASS: 1/1\n");
  });

  it("json, junit and github", () => {
    const json = JSON.parse(formatJson(results)) as { name: string; durationNs: number; error?: { loc: unknown } }[];
    expect(json[0]).toMatchObject({ name: "data.p.test_ok", durationNs: 1_500_000, status: "pass", output: "hi\n" });
    expect(json[2]!.error).toEqual({ code: "eval_type_error", message: "bad <thing>", loc: { file: "p.rego", line: 2, column: 3 } });
    const xml = formatJunit(results);
    expect(xml).toContain('<testsuite name="p_test.rego" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml).toContain('<testcase name="test_bad" classname="data.p" file="p_test.rego" line="4" time="0.000002">\n      <failure message="data.p.test_bad failed"');
    expect(xml).toContain('<error message="bad &lt;thing&gt;" type="eval_type_error">');
    expect(xml).toContain("<system-out>hi\n</system-out>");
    const gh = formatGithub(results);
    expect(gh).toBe(
      "::error file=p_test.rego,line=4::data.p.test_bad failed\n" +
        "::error file=p_test.rego,line=5::data.p.test_err failed: p.rego:2:3: eval_type_error: bad <thing>\n" +
        "guard test: 1/4 passed, 1 failed, 1 errored, 1 skipped\n",
    );
  });

  it("--bench: passing tests evaluated again and again for the budget, with ops and ns/op", () => {
    const policy = Policy.compile([{ file: "authz.rego", text: policySrc }, { file: "authz_test.rego", text: "package authz\n\ntest_ok if allow with input as {\"user\": \"admin\"}\ntest_bad if allow\n" }]);
    const rs = runTests(policy, discoverTests(policy.modules), { benchMs: 20 });
    expect(rs[0]!.bench!.ops).toBeGreaterThan(1);
    expect(rs[0]!.bench!.nsPerOp).toBeGreaterThan(0);
    expect(rs[0]!.bench!.ops * rs[0]!.bench!.nsPerOp).toBeGreaterThanOrEqual(15e6);
    expect(rs[1]!.bench).toBeUndefined();
    const pretty = formatPretty(rs);
    expect(pretty).toMatch(/\n\nBENCHMARKS\n-{80}\ndata\.authz\.test_ok {2}\d+ ops {2}\d+ ns\/op\n$/);
    const json = JSON.parse(formatJson(rs)) as { bench?: { ops: number; nsPerOp: number } }[];
    expect(json[0]!.bench).toEqual(rs[0]!.bench);
    expect(json[1]!.bench).toBeUndefined();
    expect(formatJunit(rs)).toMatch(/<system-out>bench: \d+ ops, \d+ ns\/op\n<\/system-out>/);
    expect(formatGithub(rs)).toMatch(/\nguard test: bench data\.authz\.test_ok: \d+ ops, \d+ ns\/op\n$/);
  });

  it("todo_prop_ rules are skipped like todo_test_", () => {
    expect(brief(run("package authz\n\ntodo_prop_x if false\ntodo_test_y if false\n"))).toEqual([
      ["data.authz.todo_prop_x", "skip"],
      ["data.authz.todo_test_y", "skip"],
    ]);
  });
});
