// `guard test`: run the `test_` rules of bundles, as `opa test` does, and the `prop_` rules (property tests).
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadBundles } from "../engine/bundle.js";
import { Policy } from "../engine/engine.js";
import { CompileFailure } from "../engine/errors.js";
import { policyTests } from "../engine/testing/discover.js";
import { REPORT_FORMATS, formatReport, type ReportFormat } from "../engine/testing/report.js";
import { formatPercent, runTestsWithCoverage, type CoverageReport } from "../engine/testing/coverage.js";
import { clearSourceCache } from "../engine/testing/explain.js";
import { runTests, summarize, type TestResult } from "../engine/testing/run.js";

export const TEST_USAGE = `Usage: guard test [PATH…] [--run REGEX] [-v] [--format pretty|json|junit|github] [--timeout DURATION]
                  [--seed N] [--runs N] [--coverage [--threshold N]] [--bench [--benchtime DURATION]]
                  [--watch [--clear]]

Runs the tests of the bundles: every rule named test_… (in any module, usually *_test.guard / *_test.rego).
A test passes when its rule is defined and true; todo_test_… and todo_prop_… rules are reported as skipped.
A failed test shows its last failing expression; when that is a comparison (==, !=, <, <=, >, >=, =), the
values of both sides, and for large objects and arrays a line diff of their JSON (- left, + right).

A rule named prop_… is a property: it must be true for every input generated from its input schema,
METADATA \`schemas: [{input: SCHEMA}]\` on the rule or its package, where SCHEMA is an inline JSON Schema or
schema.NAME for the file schemas/NAME.json of the bundle (dots name folders). METADATA custom.examples lists
inputs always tried first; custom.runs sets how many inputs to try (default 100). A failing property reports
its shrunk counterexample, the seed and the command that runs it again.

Arguments:
  PATH                 a bundle directory or a policy file (default: the current directory); repeatable

Options:
  -r, --run REGEX      only the tests whose full name (data.pkg.test_x) matches REGEX
  -v, --verbose        show every test and what it printed
  -f, --format FORMAT  pretty (default), json, junit or github (workflow annotations)
  -t, --timeout DUR    time allowed per test (5s, 500ms, 1m); past it the test errors
  --engine ENGINE      compiled (default) or reference
  --seed N             the seed of the property tests (default: derived from each test's name)
  --runs N             inputs tried per property (overrides custom.runs)
  -c, --coverage       report which lines of the policies (not the *_test files) the tests evaluated: per file
                       the covered / coverable lines (rule heads and body literals) and those not covered, and
                       the total; pretty adds a COVERAGE section, json becomes {"results": […], "coverage": {…}},
                       junit adds a testsuite "coverage" (a property per file), github a ::notice per file with
                       lines not covered (::warning when the file is below --threshold). Runs on the reference
                       engine.
  --threshold N        with --coverage: exit 1 when the total coverage is below N percent (every format)
  -b, --bench          benchmark each passing test (not properties), as opa test --bench: evaluate it again
                       and again for --benchtime and report the evaluations run (ops) and ns/op; pretty adds a
                       BENCHMARKS section, json a "bench": {"ops", "nsPerOp"} member per test
  --benchtime DUR      time per benchmarked test (default 200ms)
  -w, --watch          run the tests, then again whenever a .guard, .rego, data (.json/.yaml) or schema file
                       below PATH changes (polled, debounced); stop with Ctrl-C (exit code 0)
  --clear              with --watch: clear the screen before each run

Exit codes: 0 every test passed (skipped ones allowed), 1 a test failed or errored (or the coverage is
below --threshold), 2 the policies do not compile or the arguments are wrong.
`;

class UsageError extends Error {}

const DEFAULT_BENCH_MS = 200;

/** Milliseconds in a Go-style duration (`5s`, `500ms`, `1m30s`, `250us`); a bare number is seconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new UsageError(`invalid duration \`${text}\`: use such as 5s or 500ms`);
    total += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  if (text === "") throw new UsageError("invalid duration ``");
  return total;
}

interface Options {
  paths: string[];
  run?: RegExp;
  verbose: boolean;
  format: ReportFormat;
  timeoutMs?: number;
  engine: "compiled" | "reference";
  seed?: number;
  runs?: number;
  coverage: boolean;
  threshold?: number;
  benchMs?: number;
  watch: boolean;
  clear: boolean;
}

function parseArgs(args: string[]): Options {
  const o: Options = { paths: [], verbose: false, format: "pretty", engine: "compiled", coverage: false, watch: false, clear: false };
  let benchtime: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "-r" || a === "--run") {
      const source = value();
      try {
        o.run = new RegExp(source);
      } catch (e) {
        throw new UsageError(`invalid --run pattern: ${(e as Error).message}`);
      }
    } else if (a === "-v" || a === "--verbose") o.verbose = true;
    else if (a === "-f" || a === "--format") {
      const f = value();
      if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format \`${f}\`: use ${REPORT_FORMATS.join(", ")}`);
      o.format = f as ReportFormat;
    } else if (a === "-t" || a === "--timeout") o.timeoutMs = parseDuration(value());
    else if (a === "--engine") {
      const e = value();
      if (e !== "compiled" && e !== "reference") throw new UsageError(`unknown engine \`${e}\`: use compiled or reference`);
      o.engine = e;
    } else if (a === "--seed") {
      const v = value();
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`invalid --seed \`${v}\`: use an integer`);
      o.seed = Number(v);
    } else if (a === "--runs") {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new UsageError(`invalid --runs \`${v}\`: use a positive integer`);
      o.runs = Number(v);
    } else if (a === "-c" || a === "--coverage") o.coverage = true;
    else if (a === "--threshold") {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 100) throw new UsageError(`invalid --threshold \`${v}\`: use a percentage from 0 to 100`);
      o.threshold = Number(v);
    } else if (a === "-b" || a === "--bench") o.benchMs ??= DEFAULT_BENCH_MS;
    else if (a === "--benchtime") benchtime = parseDuration(value());
    else if (a === "-w" || a === "--watch") o.watch = true;
    else if (a === "--clear") o.clear = true;
    else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (o.paths.length === 0) o.paths.push(".");
  if (o.threshold !== undefined && !o.coverage) throw new UsageError("--threshold needs --coverage");
  if (benchtime !== undefined) {
    if (o.benchMs === undefined) throw new UsageError("--benchtime needs --bench");
    o.benchMs = benchtime;
  }
  if (o.clear && !o.watch) throw new UsageError("--clear needs --watch");
  return o;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function testCommand(args: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`guard test: ${e.message}\n\n${TEST_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (o.watch) return watch(o);
  return runOnce(o);
}

/** Loads, compiles and tests the bundles once; prints the report; returns the exit code. */
function runOnce(o: Options): number {
  const { sources, data, errors } = loadBundles(o.paths);
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(`${e.message}\n`);
    return 2;
  }
  let policy: Policy;
  try {
    policy = Policy.compile(sources, { data });
  } catch (e) {
    if (e instanceof CompileFailure) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const schemaDir = o.paths.map((p) => (isDirectory(p) ? p : dirname(p)));
  const runOptions = { run: o.run, timeoutMs: o.timeoutMs, engine: o.engine, seed: o.seed, runs: o.runs, schemaDir, benchMs: o.benchMs };
  let results: TestResult[];
  let coverage: CoverageReport | undefined;
  if (o.coverage) ({ results, coverage } = runTestsWithCoverage(policy, policyTests(policy), runOptions));
  else results = runTests(policy, policyTests(policy), runOptions);
  if (results.length === 0 && o.format === "pretty") {
    process.stderr.write("guard test: no tests found\n");
    return 0;
  }
  process.stdout.write(formatReport(o.format, results, { verbose: o.verbose, coverage, threshold: o.threshold }));
  const c = summarize(results);
  if (coverage && o.threshold !== undefined && coverage.coverage < o.threshold) {
    process.stderr.write(`coverage ${formatPercent(coverage.coverage)} is below the threshold ${o.threshold}%\n`);
    return 1;
  }
  return c.fail > 0 || c.error > 0 ? 1 : 0;
}

const WATCHED = /\.(guard|rego|json|ya?ml)$/;
const POLL_MS = 200;
const SETTLE_MS = 100;

/** Modification time and size of every watched file below the paths (skipping dot folders and node_modules). */
function snapshot(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (path: string, top: boolean) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(path);
      } catch {
        return;
      }
      for (const name of names) if (!name.startsWith(".") && name !== "node_modules") visit(join(path, name), false);
    } else if (top || WATCHED.test(path)) out.set(path, `${st.mtimeMs}:${st.size}`);
  };
  for (const p of paths) visit(p, true);
  return out;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [f, sig] of after) if (before.get(f) !== sig) changed.add(f);
  for (const f of before.keys()) if (!after.has(f)) changed.add(f);
  return [...changed].sort();
}

/** `--watch`: runs once, then again on every change (polled every POLL_MS, settled for SETTLE_MS); resolves with 0 on SIGINT. */
function watch(o: Options): Promise<number> {
  const run = () => {
    if (o.clear) process.stdout.write("\x1b[2J\x1b[H");
    clearSourceCache();
    let code: number;
    try {
      code = runOnce(o);
    } catch (e) {
      // keep watching: the next change may fix it
      process.stderr.write(`guard test: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 2;
    }
    process.stderr.write(`guard test: watching ${o.paths.join(" ")} for changes (exit code ${code}); Ctrl-C to stop\n`);
  };
  return new Promise((resolve) => {
    let last = snapshot(o.paths);
    run();
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      const now = snapshot(o.paths);
      const changed = changedFiles(last, now);
      if (changed.length === 0) return;
      busy = true;
      // debounce: wait until the files stop changing (an editor writes in several steps)
      const settle = (prev: Map<string, string>) => {
        setTimeout(() => {
          const again = snapshot(o.paths);
          if (changedFiles(prev, again).length > 0) return settle(again);
          const all = changedFiles(last, again);
          last = again;
          if (all.length > 0) {
            process.stderr.write(`guard test: changed: ${all.join(", ")}\n`);
            run();
          }
          busy = false;
        }, SETTLE_MS);
      };
      settle(now);
    }, POLL_MS);
    process.once("SIGINT", () => {
      clearInterval(timer);
      resolve(0);
    });
  });
}
