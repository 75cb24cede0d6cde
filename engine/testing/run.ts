// Running tests for `guard test`: each test's document evaluated afresh; it passes when defined and `true`.
import type { Location } from "../../lang/ast.js";
import type { Policy } from "../engine.js";
import { EvalError } from "../errors.js";
import type { TestCase } from "./discover.js";
import { explainFailure, type FailureExplanation } from "./explain.js";
import { runProperty, type PropertyOptions } from "./properties.js";

export type TestStatus = "pass" | "fail" | "error" | "skip";

export interface TestResult {
  /** `data.authz.test_admin_allowed` */
  name: string;
  /** `data.authz` */
  package: string;
  file: string;
  line: number;
  status: TestStatus;
  /** Wall time of the evaluation, in nanoseconds (0 for skipped tests). */
  durationNs: number;
  /** What `print` wrote during the test, one line per call. */
  output: string;
  error?: { code: string; message: string; loc?: Location };
  /** Properties: the seed of the run; on failure the (shrunk) failing input and how to run it again. */
  seed?: number;
  counterexample?: unknown;
  reproduce?: string;
  /** A failed test: its last failing expression and, for a comparison, both sides' values. */
  failure?: FailureExplanation;
  /** With `bench`: how many evaluations ran in the time budget and the mean time of one. */
  bench?: BenchResult;
}

export interface BenchResult {
  ops: number;
  nsPerOp: number;
}

export interface RunOptions extends PropertyOptions {
  /** Only the tests whose full name (`data.pkg.test_x`) matches. */
  run?: RegExp;
  /** Milliseconds each test may run before it ends with eval_limit_error. */
  timeoutMs?: number;
  engine?: "compiled" | "reference";
  /** Called for each literal and rule head evaluated (the reference engine only; see coverage.ts). */
  coverage?: (loc: Location) => void;
  /** Benchmark each passing test (not properties): evaluate it repeatedly for this many milliseconds. */
  benchMs?: number;
  /** Explain failures (the failing expression and a comparison's values; default true). */
  explain?: boolean;
  /** Called after each test (for progress reporting). */
  onResult?: (result: TestResult) => void;
}

/** Runs the tests (in order) against the policy. */
export function runTests(policy: Policy, tests: readonly TestCase[], options: RunOptions = {}): TestResult[] {
  const results: TestResult[] = [];
  for (const test of tests) {
    if (options.run !== undefined) {
      options.run.lastIndex = 0;
      if (!options.run.test(test.name)) continue;
    }
    const result = runTest(policy, test, options);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

function runTest(policy: Policy, test: TestCase, options: RunOptions): TestResult {
  const base = { name: test.name, package: test.package, file: test.file, line: test.line };
  if (test.skip) return { ...base, status: "skip", durationNs: 0, output: "" };
  if (test.property) return runProperty(policy, test, test.property, options);
  const lines: string[] = [];
  const print = (message: string) => void lines.push(message);
  const start = process.hrtime.bigint();
  let status: TestStatus;
  let error: TestResult["error"];
  try {
    const value = policy.evaluate(test.path, { print, timeoutMs: options.timeoutMs, engine: options.engine, coverage: options.coverage });
    status = value === true ? "pass" : "fail";
  } catch (e) {
    status = "error";
    if (e instanceof EvalError) error = { code: e.code, message: e.message, ...(e.loc ? { loc: e.loc } : {}) };
    else error = { code: "eval_internal_error", message: e instanceof Error ? e.message : String(e) };
  }
  const durationNs = Number(process.hrtime.bigint() - start);
  const output = lines.map((l) => l + "\n").join("");
  const failure = status === "fail" && options.explain !== false ? explainFailure(policy, test, { timeoutMs: options.timeoutMs }) : undefined;
  const bench = status === "pass" && options.benchMs !== undefined ? benchmark(policy, test, options, options.benchMs) : undefined;
  return { ...base, status, durationNs, output, ...(error ? { error } : {}), ...(failure ? { failure } : {}), ...(bench ? { bench } : {}) };
}

/** Evaluates a test again and again for `budgetMs` (at least once), as `opa test --bench` does. */
export function benchmark(policy: Policy, test: TestCase, options: RunOptions, budgetMs: number): BenchResult {
  const evalOptions = { print: () => {}, timeoutMs: options.timeoutMs, engine: options.engine };
  const budget = BigInt(Math.max(0, Math.round(budgetMs * 1e6)));
  const start = process.hrtime.bigint();
  let ops = 0;
  let batch = 1;
  let elapsed = 0n;
  // in batches sized to what is left of the budget, so that reading the clock costs little against fast tests
  while (ops === 0 || elapsed < budget) {
    for (let i = 0; i < batch; i++) policy.evaluate(test.path, evalOptions);
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
    const perOp = Number(elapsed) / ops;
    batch = Math.max(1, Math.min(1024, Math.floor(Number(budget - elapsed) / Math.max(perOp, 1))));
  }
  return { ops, nsPerOp: Math.round(Number(elapsed) / ops) };
}

/** Counts of each status. */
export function summarize(results: readonly TestResult[]): Record<TestStatus, number> & { total: number } {
  const counts = { pass: 0, fail: 0, error: 0, skip: 0, total: results.length };
  for (const r of results) counts[r.status]++;
  return counts;
}
