// Reports of `guard test` results: pretty (as `opa test` prints), json, junit (XML) and github (workflow annotations).
import { coverageJson, formatCoveragePretty, formatPercent, type CoverageReport } from "./coverage.js";
import { explanationLines } from "./explain.js";
import { summarize, type TestResult } from "./run.js";

export type ReportFormat = "pretty" | "json" | "junit" | "github";
export const REPORT_FORMATS: readonly ReportFormat[] = ["pretty", "json", "junit", "github"];

const RULE = "-".repeat(80);
const LABEL = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIPPED" } as const;

/** A duration as Go prints one (`opa test` does): `512ns`, `12.5µs`, `1.234567ms`, `2.5s`. */
export function formatDuration(ns: number): string {
  if (ns < 1_000) return `${ns}ns`;
  const trim = (n: number, unit: string) => `${Number(n.toFixed(6)).toString()}${unit}`;
  if (ns < 1_000_000) return trim(ns / 1_000, "µs");
  if (ns < 1_000_000_000) return trim(ns / 1_000_000, "ms");
  return trim(ns / 1_000_000_000, "s");
}

function byFile(results: readonly TestResult[]): Map<string, TestResult[]> {
  const files = new Map<string, TestResult[]>();
  for (const r of results) {
    const list = files.get(r.file);
    if (list) list.push(r);
    else files.set(r.file, [r]);
  }
  return files;
}

function errorText(r: TestResult): string {
  const e = r.error;
  if (!e) return "";
  const at = e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : "";
  return `${at}${e.code}: ${e.message}`;
}

/** Why a test failed: a property's failing input, seed and the command that runs it again, then the failing expression (and a comparison's values). */
function detailLines(r: TestResult): string[] {
  const why = explanationLines(r.failure);
  if (r.reproduce === undefined) return why;
  return [`counterexample: ${JSON.stringify(r.counterexample ?? null)}`, `seed: ${r.seed}`, `reproduce: ${r.reproduce}`, ...why];
}

function indent(text: string, by = "  "): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => (l === "" ? "" : by + l))
    .join("\n");
}

/** `opa test`'s report: failures, a summary by file (every test with `verbose`, with print output), counts. */
export function formatPretty(results: readonly TestResult[], options: ReportOptions = {}): string {
  const verbose = options.verbose === true;
  const counts = summarize(results);
  const out: string[] = [];
  const line = (r: TestResult) => {
    const time = r.status === "skip" ? "" : ` (${formatDuration(r.durationNs)})`;
    return `${r.name}: ${LABEL[r.status]}${time}`;
  };
  const failed = results.filter((r) => r.status === "fail" || r.status === "error");
  if (failed.length > 0) {
    out.push("FAILURES", RULE);
    for (const r of failed) {
      out.push(line(r), `  ${r.file}:${r.line}`);
      if (r.error) out.push(indent(errorText(r)));
      for (const l of detailLines(r)) out.push(indent(l));
      if (r.output !== "") out.push("", indent(r.output));
      out.push("");
    }
  }
  if (failed.length > 0 || verbose || counts.skip > 0) {
    out.push("SUMMARY", RULE);
    for (const [file, list] of byFile(results)) {
      const shown = list.filter((r) => verbose || r.status !== "pass");
      if (shown.length === 0) continue;
      out.push(`${file}:`);
      for (const r of shown) {
        out.push(line(r));
        if (r.error) out.push(indent(errorText(r)));
        if (verbose && r.output !== "") out.push("", indent(r.output), "");
      }
      out.push("");
    }
    if (out[out.length - 1] === "") out.pop();
    out.push(RULE);
  }
  const total = counts.total;
  out.push(`PASS: ${counts.pass}/${total}`);
  if (counts.fail > 0) out.push(`FAIL: ${counts.fail}/${total}`);
  if (counts.skip > 0) out.push(`SKIPPED: ${counts.skip}/${total}`);
  if (counts.error > 0) out.push(`ERROR: ${counts.error}/${total}`);
  let text = out.join("\n") + "\n";
  if (results.some((r) => r.bench)) text += `\n${formatBenchPretty(results)}`;
  return options.coverage ? `${text}\n${formatCoveragePretty(options.coverage)}` : text;
}

/** The BENCHMARKS section of `--bench`: per benchmarked test the evaluations run and the time of one. */
export function formatBenchPretty(results: readonly TestResult[]): string {
  const rows = results.filter((r) => r.bench);
  const width = Math.max(...rows.map((r) => r.name.length));
  const opsWidth = Math.max(...rows.map((r) => String(r.bench!.ops).length));
  const nsWidth = Math.max(...rows.map((r) => String(r.bench!.nsPerOp).length));
  const out = ["BENCHMARKS", RULE];
  for (const r of rows) out.push(`${r.name.padEnd(width)}  ${String(r.bench!.ops).padStart(opsWidth)} ops  ${String(r.bench!.nsPerOp).padStart(nsWidth)} ns/op`);
  return out.join("\n") + "\n";
}

/** Every result as JSON (times in nanoseconds); with coverage, an object `{results, coverage}`. */
export function formatJson(results: readonly TestResult[], coverage?: CoverageReport, threshold?: number): string {
  const rows = results.map((r) => ({
    name: r.name,
    package: r.package,
    file: r.file,
    line: r.line,
    status: r.status,
    durationNs: r.durationNs,
    output: r.output,
    ...(r.error
      ? { error: { code: r.error.code, message: r.error.message, ...(r.error.loc ? { loc: { file: r.error.loc.file, line: r.error.loc.line, column: r.error.loc.column } } : {}) } }
      : {}),
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
    ...(r.reproduce !== undefined ? { counterexample: r.counterexample ?? null, reproduce: r.reproduce } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.bench ? { bench: { ops: r.bench.ops, nsPerOp: r.bench.nsPerOp } } : {}),
  }));
  const cov = coverage ? { ...coverageJson(coverage), ...(threshold !== undefined ? { threshold, passed: coverage.coverage >= threshold } : {}) } : undefined;
  return JSON.stringify(cov ? { results: rows, coverage: cov } : rows, null, 2) + "\n";
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function seconds(ns: number): string {
  return (ns / 1e9).toFixed(6);
}

/** JUnit XML: one testsuite per file, one testcase per test (classname the package, name the rule). */
export function formatJunit(results: readonly TestResult[], options: ReportOptions = {}): string {
  const all = summarize(results);
  const totalNs = results.reduce((s, r) => s + r.durationNs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="guard test" tests="${all.total}" failures="${all.fail}" errors="${all.error}" skipped="${all.skip}" time="${seconds(totalNs)}">`,
  ];
  for (const [file, list] of byFile(results)) {
    const c = summarize(list);
    const ns = list.reduce((s, r) => s + r.durationNs, 0);
    out.push(`  <testsuite name="${xml(file)}" tests="${c.total}" failures="${c.fail}" errors="${c.error}" skipped="${c.skip}" time="${seconds(ns)}">`);
    for (const r of list) {
      const rule = r.name.slice(r.package.length + 1);
      const open = `    <testcase name="${xml(rule)}" classname="${xml(r.package)}" file="${xml(r.file)}" line="${r.line}" time="${seconds(r.durationNs)}"`;
      const inner: string[] = [];
      const prop = detailLines(r).join("\n");
      if (r.status === "fail") inner.push(`      <failure message="${xml(`${r.name} failed`)}" type="fail">${xml(prop)}</failure>`);
      if (r.status === "error") inner.push(`      <error message="${xml(r.error?.message ?? "")}" type="${xml(r.error?.code ?? "")}">${xml([errorText(r), ...detailLines(r)].join("\n"))}</error>`);
      if (r.status === "skip") inner.push("      <skipped/>");
      const bench = r.bench ? `bench: ${r.bench.ops} ops, ${r.bench.nsPerOp} ns/op\n` : "";
      if (r.output !== "" || bench !== "") inner.push(`      <system-out>${xml(r.output + bench)}</system-out>`);
      out.push(inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join("\n")}\n    </testcase>`);
    }
    out.push("  </testsuite>");
  }
  if (options.coverage) out.push(...junitCoverage(options.coverage, options.threshold));
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

/** Coverage as a JUnit testsuite named `coverage`: a property per file and the total (percent), the COVERAGE
 *  section as its system-out, and with a threshold one testcase that fails below it. */
function junitCoverage(report: CoverageReport, threshold: number | undefined): string[] {
  const failed = threshold !== undefined && report.coverage < threshold;
  const tests = threshold !== undefined ? 1 : 0;
  const out = [`  <testsuite name="coverage" tests="${tests}" failures="${failed ? 1 : 0}" errors="0" skipped="0" time="0.000000">`, "    <properties>"];
  out.push(`      <property name="coverage" value="${report.coverage.toFixed(1)}"/>`);
  if (threshold !== undefined) out.push(`      <property name="threshold" value="${threshold}"/>`);
  for (const f of report.files) {
    out.push(`      <property name="coverage:${xml(f.file)}" value="${f.coverage.toFixed(1)}"/>`);
    if (f.notCovered.length > 0) out.push(`      <property name="not_covered:${xml(f.file)}" value="${f.notCovered.join(",")}"/>`);
  }
  out.push("    </properties>");
  if (threshold !== undefined) {
    const open = `    <testcase name="threshold" classname="coverage" time="0.000000"`;
    const msg = `coverage ${formatPercent(report.coverage)} is below the threshold ${threshold}%`;
    out.push(failed ? `${open}>\n      <failure message="${xml(msg)}" type="coverage"/>\n    </testcase>` : `${open}/>`);
  }
  out.push(`    <system-out>${xml(formatCoveragePretty(report))}</system-out>`, "  </testsuite>");
  return out;
}

function ghData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands: an `::error` annotation per failed or errored test, then a summary line; with
 *  coverage an annotation per file with lines not covered (`::warning` when the file is below the threshold, else
 *  `::notice`), at its first such line, and the total (an `::error` when it is below the threshold). */
export function formatGithub(results: readonly TestResult[], options: ReportOptions = {}): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.status !== "fail" && r.status !== "error") continue;
    const where = `file=${ghProperty(r.file)},line=${r.line}`;
    const what = r.status === "fail" ? `${r.name} failed` : `${r.name} failed: ${errorText(r)}`;
    out.push(`::error ${where}::${ghData([what, ...detailLines(r)].join("\n"))}`);
  }
  const c = summarize(results);
  const cov = options.coverage;
  const threshold = options.threshold;
  if (cov) {
    for (const f of cov.files) {
      if (f.notCovered.length === 0) continue;
      const below = threshold !== undefined && f.coverage < threshold;
      const total = f.covered.length + f.notCovered.length;
      const what = `coverage ${formatPercent(f.coverage)} (${f.covered.length}/${total})${below ? `, below the threshold ${threshold}%` : ""}; lines not covered: ${f.notCovered.join(", ")}`;
      out.push(`::${below ? "warning" : "notice"} file=${ghProperty(f.file)},line=${f.notCovered[0]},title=${ghProperty("guard test coverage")}::${ghData(what)}`);
    }
    if (threshold !== undefined && cov.coverage < threshold) out.push(`::error title=${ghProperty("guard test coverage")}::${ghData(`coverage ${formatPercent(cov.coverage)} is below the threshold ${threshold}%`)}`);
  }
  out.push(`guard test: ${c.pass}/${c.total} passed, ${c.fail} failed, ${c.error} errored, ${c.skip} skipped`);
  if (cov) out.push(`guard test: coverage ${formatPercent(cov.coverage)}${threshold !== undefined ? ` (threshold ${threshold}%)` : ""}`);
  for (const r of results) if (r.bench) out.push(`guard test: bench ${r.name}: ${r.bench.ops} ops, ${r.bench.nsPerOp} ns/op`);
  return out.join("\n") + "\n";
}

export interface ReportOptions {
  verbose?: boolean;
  /** Shown by every report: pretty (a COVERAGE section), json (a `coverage` member), junit (a `coverage`
   *  testsuite), github (annotations of the lines not covered). */
  coverage?: CoverageReport;
  /** The `--threshold` percentage, shown with the coverage. */
  threshold?: number;
}

export function formatReport(format: ReportFormat, results: readonly TestResult[], options: ReportOptions = {}): string {
  switch (format) {
    case "pretty":
      return formatPretty(results, options);
    case "json":
      return formatJson(results, options.coverage, options.threshold);
    case "junit":
      return formatJunit(results, options);
    case "github":
      return formatGithub(results, options);
  }
}
