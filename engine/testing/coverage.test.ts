import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { coverableLines, formatCoveragePretty, isTestFile, runTestsWithCoverage } from "./coverage.js";
import { discoverTests } from "./discover.js";
import { formatJson, formatPretty } from "./report.js";

// line numbers matter: 1 package, 3 default, 5-8 allow, 10-13 deny, 15 f, 17 untested
const policySrc = `package authz

default allow := false

allow if {
	input.user == "admin"
	input.method == "GET"
}

deny contains msg if {
	input.user == "mallory"
	msg := "no"
}

f(x) := x + 1

untested if input.nothing == 1
`;

const testsSrc = `package authz

test_admin if allow with input as {"user": "admin", "method": "GET"}
test_guest if not allow with input as {"user": "guest"}
test_deny if deny["no"] with input as {"user": "mallory"}
test_f if f(1) == 2
`;

function covered(policyText: string, testsText: string, extra: { file: string; text: string }[] = []) {
  const policy = Policy.compile([{ file: "authz.rego", text: policyText }, { file: "authz_test.rego", text: testsText }, ...extra]);
  return runTestsWithCoverage(policy, discoverTests(policy.modules));
}

describe("coverage", () => {
  it("reports the lines of an untested rule as not covered", () => {
    const { results, coverage } = covered(policySrc, testsSrc);
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(coverage.files.map((f) => f.file)).toEqual(["authz.rego"]);
    const file = coverage.files[0]!;
    expect(file.covered).toEqual([3, 5, 6, 7, 10, 11, 12, 15]);
    expect(file.notCovered).toEqual([17]);
    expect(file.coverage).toBeCloseTo((8 / 9) * 100);
    expect(coverage.coverage).toBeCloseTo((8 / 9) * 100);
  });

  it("counts a literal covered only when it holds", () => {
    const { coverage } = covered(policySrc, `package authz\n\ntest_guest if not allow with input as {"user": "guest"}\n`);
    const file = coverage.files[0]!;
    // the default head and the first literal were evaluated (and failed for the guest): 6 did not hold, 7 never ran
    expect(file.covered).toEqual([3]);
    expect(file.notCovered).toEqual([5, 6, 7, 10, 11, 12, 15, 17]);
  });

  it("reports 100% for a fully tested policy", () => {
    const src = `package p

allow if input.x == 1

deny if {
	input.x == 2
}
`;
    const tests = `package p

test_allow if allow with input as {"x": 1}
test_deny if deny with input as {"x": 2}
`;
    const { coverage } = covered(src, tests);
    expect(coverage.files).toEqual([{ file: "authz.rego", covered: [3, 5, 6], notCovered: [], coverage: 100 }]);
    expect(coverage.coverage).toBe(100);
    expect(formatCoveragePretty(coverage)).toBe(`COVERAGE\n${"-".repeat(80)}\nauthz.rego: 100.0% (3/3)\n${"-".repeat(80)}\nTotal: 100.0%\n`);
  });

  it("excludes test files and test rules from the coverable lines", () => {
    expect(isTestFile("a/b_test.rego")).toBe(true);
    expect(isTestFile("a/b_test.guard")).toBe(true);
    expect(isTestFile("a/test.rego")).toBe(false);
    const policy = Policy.compile([
      { file: "p.rego", text: "package p\n\nallow if input.x == 1\n\ntest_inline if allow with input as {\"x\": 1}\n" },
      { file: "p_test.rego", text: "package p\n\ntest_allow if allow with input as {\"x\": 1}\n" },
    ]);
    const lines = coverableLines(policy.modules);
    expect([...lines.keys()]).toEqual(["p.rego"]);
    expect([...lines.get("p.rego")!]).toEqual([3]);
    const { coverage } = runTestsWithCoverage(policy, discoverTests(policy.modules));
    expect(coverage.files).toEqual([{ file: "p.rego", covered: [3], notCovered: [], coverage: 100 }]);
  });

  it("adds a COVERAGE section to the pretty report and a coverage member to json", () => {
    const { results, coverage } = covered(policySrc, testsSrc);
    const pretty = formatPretty(results, { coverage });
    expect(pretty).toBe(`PASS: 4/4\n\nCOVERAGE\n${"-".repeat(80)}\nauthz.rego: 88.9% (8/9), not covered: 17\n${"-".repeat(80)}\nTotal: 88.9%\n`);
    const json = JSON.parse(formatJson(results, coverage)) as { results: unknown[]; coverage: unknown };
    expect(json.results).toHaveLength(4);
    expect(json.coverage).toEqual({
      files: { "authz.rego": { covered: [3, 5, 6, 7, 10, 11, 12, 15], not_covered: [17], coverage: 88.9 } },
      coverage: 88.9,
    });
  });
});
