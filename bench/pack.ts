// Decision latency of the shipped Claude policy pack: `data.guard.claude.decision` (policies/claude/policy.guard,
// policies/lib/ci.guard, policies/claude/data.yaml) decided by Guard's compiled engine, by the reference
// interpreter, and by a hand-written TypeScript function of the same logic (bench/pack/handwritten.ts), on ~20
// gateway inputs in classes (bench/pack/inputs.ts). Before anything is timed, the three must give the same decision
// document on every input and on a few hundred generated ones (bench/pack/check.ts); a mismatch aborts.
import { performance } from "node:perf_hooks";
import { fromJSON, toJSON, type Value } from "../engine/value/value.js";
import { loadClaudeData } from "./pack/handwritten.js";
import { checkEquivalence, loadPack, type EquivalenceReport } from "./pack/check.js";
import { INPUT_CLASSES, packCases, type PackCase } from "./pack/inputs.js";
import { fmt, interleaved, machineLine, pairedRatio, us, type Candidate, type Timing } from "./peers/harness.js";

export interface PackBenchOptions {
  /** Rounds of interleaved timing (each times every candidate once). */
  rounds?: number;
  /** Milliseconds per timed batch. */
  targetMs?: number;
  /** Random inputs checked for equivalence before timing. */
  generated?: number;
}

const ENGINES = ["hand-written", "compiled", "reference", "gateway"] as const;
type Engine = (typeof ENGINES)[number];

export interface PackRow {
  group: string;
  inputs: number;
  timings: Record<Engine, Timing>;
}

/** Checks the engines agree, then times them on each class of inputs and on all of them. */
export function measurePack(options: PackBenchOptions = {}): { rows: PackRow[]; equivalence: EquivalenceReport; cases: PackCase[] } {
  const pack = loadPack();
  const cases = packCases();
  const equivalence = checkEquivalence(pack, { cases, generated: options.generated ?? 300 });
  const groups: [string, PackCase[]][] = [...INPUT_CLASSES.map((c) => [c, cases.filter((k) => k.class === c)] as [string, PackCase[]]), ["all inputs", cases]];
  const candidates: Candidate[] = [];
  for (const [group, list] of groups) {
    const plain = list.map((c) => c.input as unknown as Record<string, unknown>);
    const values: Value[] = list.map((c) => fromJSON(c.input));
    const n = list.length;
    const run: Record<Engine, (i: number) => unknown> = {
      "hand-written": (i) => pack.handwritten(plain[i % n]!),
      compiled: (i) => pack.compiled(values[i % n]),
      reference: (i) => pack.reference(values[i % n]),
      // as the gateway calls it: the input converted to a Value, the decision back to JSON
      gateway: (i) => toJSON(pack.compiled(fromJSON(plain[i % n]!))!),
    };
    for (const e of ENGINES) candidates.push({ name: `${e} ${group}`, run: run[e] });
  }
  // Warm every candidate up first: the harness calibrates its batch size on a first call, which would otherwise be
  // a cold one (for the slow candidates, a batch of a single call).
  for (const c of candidates) {
    const until = performance.now() + 100;
    for (let i = 0; i < 20 || performance.now() < until; i++) c.run(i);
  }
  const timings = interleaved(candidates, { rounds: options.rounds ?? 15, targetMs: options.targetMs ?? 30 });
  const rows = groups.map(([group, list], g) => ({
    group,
    inputs: list.length,
    timings: Object.fromEntries(ENGINES.map((e, k) => [e, timings[g * ENGINES.length + k]!])) as Record<Engine, Timing>,
  }));
  return { rows, equivalence, cases };
}

const geo = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

const ratio = (x: number): string => `${x < 10 ? x.toFixed(2) : fmt(x)}x`;

export function runPackBench(options: PackBenchOptions = {}): string {
  const command = "npm run bench -- pack";
  const header = machineLine(command);
  const { rows, equivalence: eq, cases } = measurePack(options);
  for (const r of rows) {
    const t = r.timings;
    console.log(
      `pack [${r.group}]: hand-written ${us(t["hand-written"].medianUs)} µs, compiled ${us(t.compiled.medianUs)} µs, reference ${us(t.reference.medianUs)} µs, ` +
        `gateway path ${us(t.gateway.medianUs)} µs; compiled/hand ${pairedRatio(t.compiled, t["hand-written"]).toFixed(2)}x, reference/compiled ${pairedRatio(t.reference, t.compiled).toFixed(0)}x`,
    );
  }
  const table = rows.map((r) => {
    const t = r.timings;
    const name = r.group === "all inputs" ? `**${r.group}**` : r.group;
    return (
      `| ${name} | ${r.inputs} | ${us(t["hand-written"].medianUs)} | ${us(t.compiled.medianUs)} | ${us(t.gateway.medianUs)} | ${us(t.reference.medianUs)} | ` +
      `${ratio(pairedRatio(t.compiled, t["hand-written"]))} | ${ratio(pairedRatio(t.reference, t.compiled))} |`
    );
  });
  const all = rows[rows.length - 1]!.timings;
  const vsHand = pairedRatio(all.compiled, all["hand-written"]);
  const refVsCompiled = pairedRatio(all.reference, all.compiled);
  const rounds = all.compiled.samples.length;
  const classes = rows.slice(0, -1);
  const long = cases.filter((k) => k.class === "long conversation").map((k) => (k.input.llm?.texts ?? []).reduce((n, t) => n + t.length, 0) / 1000);
  const mask = loadClaudeData().secret_patterns.length;
  const byClass = INPUT_CLASSES.map((c) => `*${c}*: ${cases.filter((k) => k.class === c).map((k) => k.name).join("; ")}`).join(". ");
  return [
    "## Decision latency of the shipped Claude policy pack",
    "",
    header,
    "",
    "`data.guard.claude.decision` of the shipped pack (`policies/`: `claude/policy.guard`, `lib/ci.guard`, `claude/data.yaml`,",
    "compiled as the gateway loads it) against a hand-written TypeScript function of the same logic (`bench/pack/handwritten.ts`:",
    "the data read once, globs and the RE2 patterns compiled once as JavaScript RegExps, a decision is a few string",
    `tests). The ${cases.length} inputs (\`bench/pack/inputs.ts\`) are what \`gateway/input.ts\` builds for requests to the \`claude\``,
    "connection: a verified GitHub Actions identity, the connection, the request with its body, the `llm` view (system,",
    "messages, texts, tools), the time; the long conversations carry 12 to 20 rounds of tool_use / tool_result blocks",
    `(file contents, test output: ${Math.min(...long).toFixed(0)} to ${Math.max(...long).toFixed(0)} KB of text each). The decision document is \`allow\`, the \`deny\` reasons, the`,
    `\`mask\` list (${mask} secret patterns) and, when nothing denies and a prompt touches production, \`require_approval\`.`,
    "",
    `Before anything is timed, the hand-written function and the reference interpreter must return exactly Guard compiled's`,
    `decision document (deep-equal after \`toJSON\`, deny reasons compared as sets) on the ${eq.cases} inputs and on ${eq.generated}`,
    "inputs generated with fast-check (texts drawn from a vocabulary of prose and the pack's trigger phrases; random",
    "repositories, refs, environments, providers, endpoints, models and max_tokens): a mismatch aborts the benchmark with the",
    `input. In this run all ${eq.cases + eq.generated} agreed (generated: ${eq.denied} denied, ${eq.exfiltration} of them by a prompt pattern; ${eq.approval} allowed`,
    `with an approval; ${eq.allowed} allowed outright; ${eq.production} with a production prompt). \`bench/pack.test.ts\` runs the same check.`,
    "The vocabulary leaves out the two places where the pack's patterns read differently as JavaScript RegExps: RE2's `(?i)`",
    "folds `ſ` and the Kelvin sign `K` with s and k, and RE2's `\\s` is ASCII whitespace only (no `\\v`, no-break space): a",
    "hand-written function with JavaScript RegExps denies `print\\u00a0the API key` where Guard, keeping RE2's meaning, does not.",
    "",
    "µs per decision, median of the rounds: in each of " +
      `${rounds} rounds every engine runs one batch of about ${options.targetMs ?? 30} ms per input class (the order rotating, after a warm-up), cycling`,
    "through the class's inputs. *compiled* is `policy.entrypoint([\"guard\", \"claude\", \"decision\"])` on the input already",
    "converted to a Value; *gateway path* is the same plus the conversions the gateway does around it",
    "(`toJSON(decision(fromJSON(input)))`); *reference* is the same entrypoint with `engine: \"reference\"`. Ratios are the",
    "medians of the rounds' ratios.",
    "",
    "| inputs | n | hand-written µs | Guard compiled µs | gateway path µs | reference µs | compiled / hand-written | reference / compiled |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...table,
    "",
    `Over all ${cases.length} inputs **Guard compiled is ${vsHand.toFixed(2)}x the hand-written function** ` +
      `(${us(all.compiled.medianUs)} vs ${us(all["hand-written"].medianUs)} µs per decision) and ${fmt(refVsCompiled)}x faster than the reference interpreter ` +
      `(${us(all.reference.medianUs)} µs). That figure is the mean cost over the inputs, which the long conversations dominate;` +
      ` per class, the geometric mean of the compiled / hand-written ratios is ${geo(classes.map((r) => pairedRatio(r.timings.compiled, r.timings["hand-written"]))).toFixed(1)}x` +
      ` and of the reference / compiled ratios ${fmt(geo(classes.map((r) => pairedRatio(r.timings.reference, r.timings.compiled))))}x.`,
    "",
    `Inputs: ${byClass}.`,
    "",
    "Cedar and casbin are not in this comparison: the pack's regular-expression checks of prompt texts, its glob matching of",
    "repositories, refs and models, and its `mask` and `require_approval` obligations have no counterpart in them.",
  ].join("\n");
}
