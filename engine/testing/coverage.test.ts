import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { coverableLines, formatCoveragePretty, isTestFile, runTestsWithCoverage } from "./coverage.js";
import { discoverTests } from "./discover.js";
import { formatGithub, formatJson, formatJunit, formatPretty } from "./report.js";

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

  it("junit: a coverage testsuite with a property per file; with a threshold a testcase that fails below it", () => {
    const { results, coverage } = covered(policySrc, testsSrc);
    const plain = formatJunit(results, { coverage });
    expect(plain).toContain('  <testsuite name="coverage" tests="0" failures="0" errors="0" skipped="0" time="0.000000">\n    <properties>\n');
    expect(plain).toContain('      <property name="coverage" value="88.9"/>\n');
    expect(plain).toContain('      <property name="coverage:authz.rego" value="88.9"/>\n      <property name="not_covered:authz.rego" value="17"/>\n');
    expect(plain).toContain("<system-out>COVERAGE\n");
    expect(plain).not.toContain('name="threshold"');
    const low = formatJunit(results, { coverage, threshold: 90 });
    expect(low).toContain('<testsuite name="coverage" tests="1" failures="1"');
    expect(low).toContain('<testcase name="threshold" classname="coverage" time="0.000000">\n      <failure message="coverage 88.9% is below the threshold 90%" type="coverage"/>');
    expect(formatJunit(results, { coverage, threshold: 80 })).toContain('<testcase name="threshold" classname="coverage" time="0.000000"/>');
  });

  it("github: an annotation per file with lines not covered, a warning below the threshold, an error for the total", () => {
    const { results, coverage } = covered(policySrc, testsSrc);
    expect(formatGithub(results, { coverage }).split("\n")).toEqual([
      "::notice file=authz.rego,line=17,title=guard test coverage::coverage 88.9%25 (8/9); lines not covered: 17",
      "guard test: 4/4 passed, 0 failed, 0 errored, 0 skipped",
      "guard test: coverage 88.9%",
      "",
    ]);
    expect(formatGithub(results, { coverage, threshold: 95 }).split("\n")).toEqual([
      "::warning file=authz.rego,line=17,title=guard test coverage::coverage 88.9%25 (8/9), below the threshold 95%25; lines not covered: 17",
      "::error title=guard test coverage::coverage 88.9%25 is below the threshold 95%25",
      "guard test: 4/4 passed, 0 failed, 0 errored, 0 skipped",
      "guard test: coverage 88.9% (threshold 95%)",
      "",
    ]);
  });

  it("json: the threshold and whether the coverage reaches it", () => {
    const { results, coverage } = covered(policySrc, testsSrc);
    expect((JSON.parse(formatJson(results, coverage, 95)) as { coverage: unknown }).coverage).toMatchObject({ coverage: 88.9, threshold: 95, passed: false });
  });
});
