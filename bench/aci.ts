// A real-world policy: the Azure Container Instances confidential-containers framework (rego-cpp's aci test suite,
// ../shared/opa-cases/rego-cpp/aci: api.rego, framework.rego, policy.rego, about 57 KB of Rego) with its YAML test
// cases. Compile time (parse + compile, then the first decision, which generates the JavaScript), and per case the
// decision latency of the compiled engine beside the reference interpreter, timed interleaved.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import yaml from "js-yaml";
import { runCaseWith, type OpaCase } from "../conformance/opa-runner.js";
import { Policy, type Source } from "../engine/engine.js";
import { fromJSON, toJSON, type Value } from "../engine/value/value.js";
import { parseModule } from "../lang/parse.js";
import { fmt, gc, interleaved, machineLine, us, type Timing } from "./peers/harness.js";
import { median } from "./parse.js";
import { repoRoot } from "./rbac/scenario.js";

export const ACI_DIR = join(repoRoot(), "..", "shared", "opa-cases", "rego-cpp", "aci");
const NOW_NS = 1_700_000_000_000_000_000n;

export interface AciCase {
  note: string;
  /** The rule decided: data.policy.<rule>. */
  rule: string;
  case: OpaCase;
}

/** The suite's cases and its modules (read as the conformance runner reads them), or undefined when absent. */
export function loadAci(dir = ACI_DIR): { cases: AciCase[]; sources: Source[] } | undefined {
  const file = join(dir, "aci.yaml");
  if (!existsSync(file)) return undefined;
  const doc = yaml.load(readFileSync(file, "utf8")) as { cases?: OpaCase[] };
  const cases = (doc.cases ?? []).map((c) => {
    const m = /^data\.policy\.([A-Za-z_][A-Za-z0-9_]*)\s*=\s*x$/.exec(c.query.trim());
    if (!m) throw new Error(`aci: case ${c.note} has a query this benchmark does not read: ${c.query}`);
    return { note: c.note, rule: m[1]!, case: c };
  });
  const names = [...new Set(cases.flatMap((c) => c.case.modules ?? []).filter((m) => isModuleFile(m, dir)).map((m) => m.trim()))];
  const sources = names.map((name) => ({ file: name, text: readFileSync(join(dir, name), "utf8") }));
  return { cases, sources };
}

/** A `modules` entry that names a file beside the YAML (else it is the module's text), as the conformance runner reads it. */
function isModuleFile(m: string, dir: string): boolean {
  return !m.includes("\n") && m.trim().endsWith(".rego") && existsSync(join(dir, m.trim()));
}

/** A case's modules: the files it names and its inline modules. */
export function caseSources(c: OpaCase, dir = ACI_DIR): Source[] {
  return (c.modules ?? []).map((m, i) => (isModuleFile(m, dir) ? { file: m.trim(), text: readFileSync(join(dir, m.trim()), "utf8") } : { file: `module-${i}.rego`, text: m }));
}

export interface AciCaseResult {
  note: string;
  rule: string;
  compiled: Timing;
  reference: Timing;
  /** The median over the rounds of reference time / compiled time (each round times both, one after the other). */
  ratio: number;
}

export interface AciResult {
  bytes: number;
  lines: number;
  rules: number;
  parseMs: number;
  compileMs: number;
  firstDecisionMs: number;
  compileRuns: number[];
  cases: AciCaseResult[];
}

/** Checks that both engines pass every case, and that the entrypoint answers what the case's query answers. */
export function prepareAciCase(c: AciCase, dir = ACI_DIR): { compiled: (input: Value | undefined) => unknown; reference: (input: Value | undefined) => unknown; input: Value | undefined } {
  for (const engine of ["compiled", "reference"] as const) {
    const outcome = runCaseWith(c.case, dir, engine);
    if (outcome.status !== "pass") throw new Error(`aci: ${c.note} does not pass with the ${engine} engine: ${JSON.stringify(outcome)}`);
  }
  const policy = Policy.compile(caseSources(c.case, dir), { data: c.case.data });
  const input = c.case.input === undefined ? undefined : fromJSON(c.case.input);
  const options = { nowNs: NOW_NS };
  const compiled = policy.entrypoint(["policy", c.rule], options);
  const reference = policy.entrypoint(["policy", c.rule], { ...options, engine: "reference" });
  const want = JSON.stringify(toJSON(policy.query(c.case.query, { input, ...options })[0]!["x"]!));
  for (const [name, decide] of [["compiled", compiled], ["reference", reference]] as const) {
    const got = decide(input);
    if (got === undefined || JSON.stringify(toJSON(got)) !== want) throw new Error(`aci: the ${name} entrypoint for ${c.note} answers differently from its query`);
  }
  return { compiled, reference, input };
}

export function measureAci(options: { compileRuns?: number; rounds?: number; targetMs?: number } = {}): AciResult | undefined {
  const suite = loadAci();
  if (!suite) return undefined;
  const { cases, sources } = suite;
  const runs = options.compileRuns ?? 7;
  const first = cases[0]!;
  const parseSamples: number[] = [];
  const compileSamples: number[] = [];
  const firstSamples: number[] = [];
  let rules = 0;
  for (let r = 0; r < runs; r++) {
    gc();
    let t0 = performance.now();
    let count = 0;
    for (const s of sources) count += parseModule(s.text, { file: s.file }).module?.rules.length ?? 0;
    rules = count;
    parseSamples.push(performance.now() - t0);
    gc();
    t0 = performance.now();
    const policy = Policy.compile(sources, { data: first.case.data });
    compileSamples.push(performance.now() - t0);
    t0 = performance.now();
    const decide = policy.entrypoint(["policy", first.rule], { nowNs: NOW_NS });
    decide(first.case.input === undefined ? undefined : fromJSON(first.case.input));
    firstSamples.push(performance.now() - t0);
  }
  const results: AciCaseResult[] = [];
  for (const c of cases) {
    const p = prepareAciCase(c);
    const [compiled, reference] = interleaved(
      [
        { name: "compiled", run: () => p.compiled(p.input) },
        { name: "reference", run: () => p.reference(p.input) },
      ],
      { rounds: options.rounds ?? 9, targetMs: options.targetMs ?? 50 },
    );
    const ratio = median(reference!.samples.map((x, r) => x / compiled!.samples[r]!));
    results.push({ note: c.note, rule: c.rule, compiled: compiled!, reference: reference!, ratio });
  }
  return {
    bytes: sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0),
    lines: sources.reduce((n, s) => n + s.text.split("\n").length, 0),
    rules,
    parseMs: median(parseSamples),
    compileMs: median(compileSamples),
    firstDecisionMs: median(firstSamples),
    compileRuns: compileSamples,
    cases: results,
  };
}

export function runAciBench(): string {
  const header = machineLine("npm run bench -- aci");
  const r = measureAci();
  if (!r) {
    const msg = `Skipped: ${join(ACI_DIR, "aci.yaml")} is not there (rego-cpp's aci suite lives in ../shared/opa-cases).`;
    console.log(msg);
    return ["## A real-world policy: ACI (rego-cpp)", "", header, "", msg].join("\n");
  }
  console.log(`aci: parse ${r.parseMs.toFixed(1)} ms, parse + compile ${r.compileMs.toFixed(1)} ms, first decision ${r.firstDecisionMs.toFixed(1)} ms`);
  const rows = r.cases.map((c) => {
    console.log(`aci [${c.note}]: compiled ${us(c.compiled.medianUs)} µs, reference ${us(c.reference.medianUs)} µs`);
    return `| ${c.note} | \`data.policy.${c.rule}\` | ${us(c.compiled.medianUs)} | ${fmt(1e6 / c.compiled.medianUs)} | ${us(c.reference.medianUs)} | ${fmt(c.ratio, 1)}x |`;
  });
  const ratios = r.cases.map((c) => c.ratio);
  return [
    "## A real-world policy: ACI (rego-cpp)",
    "",
    header,
    "",
    `The Azure Container Instances confidential-containers policy of rego-cpp's test suite (\`../shared/opa-cases/rego-cpp/aci\`:`,
    `api.rego, framework.rego, policy.rego; ${fmt(r.bytes / 1000, 1)} KB, ${fmt(r.lines)} lines, ${fmt(r.rules)} rules) with its ${r.cases.length} YAML cases, each`,
    "checked with both engines (the conformance runner's check) before it is timed.",
    "",
    "| stage | median |",
    "| --- | ---: |",
    `| parse (3 modules) | ${r.parseMs.toFixed(1)} ms |`,
    `| parse + compile (\`Policy.compile\`) | **${r.compileMs.toFixed(1)} ms** |`,
    `| first decision after compile (code generation + one evaluation) | ${r.firstDecisionMs.toFixed(1)} ms |`,
    "",
    `Medians of ${r.compileRuns.length} runs (parse + compile runs, ms: ${r.compileRuns.map((x) => x.toFixed(0)).join(", ")}).`,
    "",
    "Per case: one decision = the case's rule for the case's input and data through `policy.entrypoint([\"policy\", rule])`",
    "(a fresh evaluation context each time); the two engines timed side by side in 9 interleaved rounds of about 50 ms each:",
    "medians of the rounds, and the speed-up is the median of the rounds' ratios.",
    "",
    "| case | rule | compiled µs/decision | compiled decisions/s | reference µs/decision | compiled speed-up |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `The compiled engine is ${fmt(Math.min(...ratios), 1)}x to ${fmt(Math.max(...ratios), 1)}x faster than the reference interpreter (median ${fmt(median(ratios), 1)}x).`,
  ].join("\n");
}
