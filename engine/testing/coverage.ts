// Test coverage for `guard test --coverage`, as `opa test --coverage` reports it: which lines of the policies
// (not of the tests) the tests evaluated. The reference interpreter reports each literal that held and each
// rule head whose value it produced; the coverable lines are those of every rule head and body literal.
import type * as A from "../../lang/ast.js";
import type { Policy } from "../engine.js";
import { testKind, type TestCase } from "./discover.js";
import { runTests, type RunOptions, type TestResult } from "./run.js";

export interface FileCoverage {
  file: string;
  /** Coverable lines the tests evaluated, ascending. */
  covered: number[];
  /** Coverable lines the tests never evaluated, ascending. */
  notCovered: number[];
  /** covered / coverable, in percent (100 for a file with no coverable lines). */
  coverage: number;
}

export interface CoverageReport {
  /** Per policy file (test files excluded), in file order. */
  files: FileCoverage[];
  /** Covered / coverable lines over every file, in percent. */
  coverage: number;
}

/** A test module (`*_test.guard`, `*_test.rego`): none of its lines are coverable. */
export function isTestFile(file: string): boolean {
  return /_test\.(guard|rego)$/.test(file);
}

function ruleName(rule: A.Rule): string | undefined {
  const ref = rule.head.name;
  return ref.head.kind === "var" && ref.path.length === 0 ? ref.head.name : undefined;
}

/** The coverable lines of each policy file: its rule heads and body literals (test files and test rules excluded). */
export function coverableLines(modules: readonly A.Module[]): Map<string, Set<number>> {
  const files = new Map<string, Set<number>>();
  for (const module of modules) {
    for (const rule of module.rules) {
      const file = rule.loc.file || module.file;
      if (isTestFile(file)) continue;
      const name = ruleName(rule);
      if (name !== undefined && testKind(name) !== undefined) continue;
      let lines = files.get(file);
      if (!lines) files.set(file, (lines = new Set()));
      lines.add(rule.head.loc.line);
      const bodies = [rule.body, ...rule.alternatives, ...rule.elses.map((e) => e.body)];
      for (const el of rule.elses) lines.add(el.loc.line);
      for (const body of bodies) for (const lit of body?.literals ?? []) lines.add(lit.loc.line);
    }
  }
  return files;
}

/** Collects the lines the coverage hook reports, per file. */
export class CoverageCollector {
  readonly lines = new Map<string, Set<number>>();

  readonly hook = (loc: A.Location): void => {
    let set = this.lines.get(loc.file);
    if (!set) this.lines.set(loc.file, (set = new Set()));
    set.add(loc.line);
  };
}

function percent(covered: number, total: number): number {
  return total === 0 ? 100 : (covered / total) * 100;
}

/** Coverable − covered, per file. */
export function coverageReport(coverable: Map<string, Set<number>>, covered: Map<string, Set<number>>): CoverageReport {
  const files: FileCoverage[] = [];
  let hit = 0;
  let all = 0;
  for (const [file, lines] of coverable) {
    const seen = covered.get(file) ?? new Set<number>();
    const sorted = [...lines].sort((a, b) => a - b);
    const yes = sorted.filter((l) => seen.has(l));
    const no = sorted.filter((l) => !seen.has(l));
    hit += yes.length;
    all += sorted.length;
    files.push({ file, covered: yes, notCovered: no, coverage: percent(yes.length, sorted.length) });
  }
  return { files, coverage: percent(hit, all) };
}

/** Runs the tests on the reference interpreter, collecting which policy lines they evaluated. */
export function runTestsWithCoverage(
  policy: Policy,
  tests: readonly TestCase[],
  options: RunOptions = {},
): { results: TestResult[]; coverage: CoverageReport } {
  const collector = new CoverageCollector();
  const results = runTests(policy, tests, { ...options, engine: "reference", coverage: collector.hook });
  return { results, coverage: coverageReport(coverableLines(policy.modules), collector.lines) };
}

/** A percentage as reports show it: one decimal. */
export function formatPercent(p: number): string {
  return `${p.toFixed(1)}%`;
}

/** The pretty report's COVERAGE section. */
export function formatCoveragePretty(report: CoverageReport): string {
  const out = ["COVERAGE", "-".repeat(80)];
  for (const f of report.files) {
    const total = f.covered.length + f.notCovered.length;
    const missing = f.notCovered.length > 0 ? `, not covered: ${f.notCovered.join(", ")}` : "";
    out.push(`${f.file}: ${formatPercent(f.coverage)} (${f.covered.length}/${total})${missing}`);
  }
  out.push("-".repeat(80), `Total: ${formatPercent(report.coverage)}`);
  return out.join("\n") + "\n";
}

/** The json report's `coverage` member (percentages rounded to one decimal). */
export function coverageJson(report: CoverageReport): { files: Record<string, { covered: number[]; not_covered: number[]; coverage: number }>; coverage: number } {
  const files: Record<string, { covered: number[]; not_covered: number[]; coverage: number }> = {};
  for (const f of report.files) files[f.file] = { covered: f.covered, not_covered: f.notCovered, coverage: round1(f.coverage) };
  return { files, coverage: round1(report.coverage) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
