// Decision latency: the peer scenario's RBAC policy (21 policies) decided by Guard's compiled engine, by the
// reference interpreter, and by a hand-written TypeScript function of the same logic, side by side in one run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Policy } from "../engine/engine.js";
import type { Value } from "../engine/value/value.js";
import { median } from "./parse.js";
import { handwrittenDecide } from "./rbac/handwritten.js";
import { loadScenario, repoRoot, SCENARIO_FILE, type RbacRequest } from "./rbac/scenario.js";

const POLICY_FILE = join(repoRoot(), "bench", "rbac", "policy.guard");

export interface DecisionResult {
  name: string;
  /** Median microseconds per decision over the runs. */
  mainUs: number;
  mixedUs: number;
}

function time(decide: (q: RbacRequest) => unknown, requests: RbacRequest[], iterations: number, runs: number): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) decide(requests[i % requests.length]!);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) decide(requests[i % requests.length]!);
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  return median(samples);
}

export async function runDecisionBench(): Promise<string> {
  const scenario = await loadScenario();
  if (!scenario) return `Skipped: ${SCENARIO_FILE} is not there.`;
  const policy = Policy.compile([{ file: "bench/rbac/policy.guard", text: readFileSync(POLICY_FILE, "utf8") }], { data: scenario.data });
  const compiled = policy.entrypoint(["rbac", "allow"]);
  const reference = policy.entrypoint(["rbac", "allow"], { engine: "reference" });
  const engines: [string, (q: RbacRequest) => unknown, number][] = [
    ["hand-written TypeScript", (q) => handwrittenDecide(scenario.data, q), 1_000_000],
    ["Guard compiled", (q) => compiled(q as unknown as Value), 200_000],
    ["Guard reference interpreter", (q) => reference(q as unknown as Value), 2_000],
  ];
  for (const [name, decide] of engines) {
    const wrong = scenario.requests.filter((q) => decide(q) !== q.expect);
    if (wrong.length > 0) throw new Error(`${name} answers ${wrong.length} of the scenario's requests wrongly: ${JSON.stringify(wrong[0])}`);
  }
  const results: DecisionResult[] = engines.map(([name, decide, n]) => ({
    name,
    mainUs: time(decide, [scenario.main], n, 7),
    mixedUs: time(decide, scenario.requests, n, 7),
  }));
  for (const r of results) console.log(`decision [${r.name}]: ${r.mainUs.toFixed(3)} µs main request, ${r.mixedUs.toFixed(3)} µs mixed`);
  const base = results[0]!;
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.mainUs.toFixed(3)} | ${Math.round(1e6 / r.mainUs).toLocaleString("en-US")} | ${r.mixedUs.toFixed(3)} | ${(r.mixedUs / base.mixedUs).toFixed(1)}x |`,
  );
  const guard = results[1]!;
  return [
    "## Decision latency (RBAC)",
    "",
    "`npm run bench -- decision` — the peer scenario of `../shared/bench-scenario` (7 users, 10 groups, 6 documents, 21",
    "policies, group and action closures prebuilt as data) as `bench/rbac/policy.guard`; each engine must answer the",
    "scenario's 21 requests correctly before it is timed. Medians of 7 runs; one decision = one `allow` query for an",
    "input, through `policy.entrypoint([\"rbac\", \"allow\"])` (a fresh evaluation context per decision).",
    "",
    "| engine | µs per decision (main request) | decisions/s | µs per decision (21 mixed requests) | vs hand-written (mixed) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `Guard compiled is ${(guard.mixedUs / base.mixedUs).toFixed(1)}x the hand-written function on the mixed requests (aim: within 3x) ` +
      `and ${(results[2]!.mixedUs / guard.mixedUs).toFixed(0)}x faster than the reference interpreter.`,
  ].join("\n");
}
