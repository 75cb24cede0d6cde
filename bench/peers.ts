// Guard beside its peers on the peer scenario of ../shared/bench-scenario (21 policies): Guard compiled
// (bench/rbac/policy.guard over the data bench/rbac/scenario.ts builds), the hand-written TypeScript function
// (bench/rbac/handwritten.ts), Cedar (cedar-wasm) and casbin, in one process, timed interleaved.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Value } from "../engine/value/value.js";
import { loadCasbin } from "./peers/casbin.js";
import { loadCedar } from "./peers/cedar.js";
import { fmt, interleaved, machineLine, memory, memoryDelta, pairedRatio, us, type Candidate, type MemorySnapshot, type Timing } from "./peers/harness.js";
import { loadPeerScenario, type PeerEngine } from "./peers/scenario.js";
import { handwrittenDecide } from "./rbac/handwritten.js";
import { loadScenario, repoRoot, SCENARIO_FILE, type RbacRequest } from "./rbac/scenario.js";

export interface PeerOptions {
  rounds?: number;
  /** Milliseconds per timed batch. */
  targetMs?: number;
}

interface Loaded {
  engine: PeerEngine;
  version: string;
  memory: MemorySnapshot;
}

/** Loads every engine (measuring the memory each adds) and checks it answers all of the scenario's requests. */
export async function loadPeers(): Promise<{ engines: Loaded[]; requests: RbacRequest[]; main: RbacRequest } | undefined> {
  const scenario = await loadScenario();
  const peer = await loadPeerScenario();
  if (!scenario || !peer) return undefined;
  const engines: Loaded[] = [];
  const load = async (f: () => Promise<PeerEngine & { version: string }>) => {
    const before = memory();
    const engine = await f();
    engines.push({ engine, version: engine.version, memory: memoryDelta(before, memory()) });
  };
  await load(async () => {
    const { Policy } = await import("../engine/engine.js");
    const text = readFileSync(join(repoRoot(), "bench", "rbac", "policy.guard"), "utf8");
    const policy = Policy.compile([{ file: "bench/rbac/policy.guard", text }], { data: scenario.data });
    const allow = policy.entrypoint(["rbac", "allow"]);
    return {
      name: "Guard compiled",
      how: '`policy.entrypoint(["rbac", "allow"])` on the request object',
      version: "this tree",
      prepare: (q: RbacRequest) => q as unknown as Value,
      decide: (input: unknown) => allow(input as Value) === true,
    };
  });
  await load(async () => ({
    name: "hand-written TypeScript",
    how: "`handwrittenDecide(data, request)` (bench/rbac/handwritten.ts)",
    version: "—",
    prepare: (q: RbacRequest) => q,
    decide: (q: unknown) => handwrittenDecide(scenario.data, q as RbacRequest),
  }));
  await load(() => loadCedar(peer) as Promise<PeerEngine & { version: string }>);
  await load(() => loadCasbin(peer) as Promise<PeerEngine & { version: string }>);
  for (const { engine } of engines) {
    const wrong = scenario.requests.filter((q) => engine.decide(engine.prepare(q)) !== q.expect);
    if (wrong.length > 0) throw new Error(`${engine.name} answers ${wrong.length} of the scenario's ${scenario.requests.length} requests wrongly, first ${JSON.stringify(wrong[0])}`);
  }
  return { engines, requests: scenario.requests, main: scenario.main };
}

export interface PeerRow {
  name: string;
  version: string;
  how: string;
  main: Timing;
  mixed: Timing;
  memory: MemorySnapshot;
}

export async function measurePeers(options: PeerOptions = {}): Promise<PeerRow[] | undefined> {
  const loaded = await loadPeers();
  if (!loaded) return undefined;
  const candidates: Candidate[] = [];
  for (const { engine } of loaded.engines) {
    const main = engine.prepare(loaded.main);
    const mixed = loaded.requests.map((q) => engine.prepare(q));
    candidates.push({ name: `${engine.name} main`, run: () => engine.decide(main) });
    candidates.push({ name: `${engine.name} mixed`, run: (i) => engine.decide(mixed[i % mixed.length]) });
  }
  const timings = interleaved(candidates, { rounds: options.rounds ?? 15, targetMs: options.targetMs ?? 60 });
  return loaded.engines.map((l, k) => ({
    name: l.engine.name,
    version: l.version,
    how: l.engine.how,
    main: timings[2 * k]!,
    mixed: timings[2 * k + 1]!,
    memory: l.memory,
  }));
}

const ratio = (x: number): string => `${x < 10 ? x.toFixed(2) : fmt(x)}x`;

const SKIPPED = `Skipped: ${SCENARIO_FILE} is not there (the peer scenario lives in ../shared/bench-scenario).`;

export async function runPeersBench(options: PeerOptions = {}): Promise<string> {
  const command = "npm run bench -- peers";
  const header = machineLine(command);
  const rows = await measurePeers(options);
  if (!rows) {
    console.log(SKIPPED);
    return ["## Guard and its peers (RBAC scenario)", "", header, "", SKIPPED].join("\n");
  }
  for (const r of rows) console.log(`peers [${r.name}]: ${us(r.main.medianUs)} µs main, ${us(r.mixed.medianUs)} µs mixed (runs ${r.mixed.samples.map((x) => us(x)).join(", ")})`);
  const get = (name: string) => rows.find((r) => r.name === name)!;
  const guard = get("Guard compiled");
  const hand = get("hand-written TypeScript");
  const cedar = get("Cedar (cedar-wasm)");
  const casbin = get("casbin");
  const rounds = guard.main.samples.length;
  const table = rows.map(
    (r) =>
      `| ${r.name} | ${us(r.main.medianUs)} | ${fmt(1e6 / r.main.medianUs)} | ${us(r.mixed.medianUs)} | ${fmt(1e6 / r.mixed.medianUs)} | ` +
      `${ratio(pairedRatio(r.mixed, guard.mixed))} | ` +
      `${r.memory.heapMB.toFixed(2)} | ${r.memory.rssMB.toFixed(1)} |`,
  );
  const vsCedar = pairedRatio(cedar.mixed, guard.mixed);
  const vsCedarMain = pairedRatio(cedar.main, guard.main);
  const vsHand = pairedRatio(guard.mixed, hand.mixed);
  const vsHandMain = pairedRatio(guard.main, hand.main);
  console.log(`peers: Guard is ${vsCedar.toFixed(0)}x faster than cedar-wasm, ${vsHand.toFixed(2)}x the hand-written function (mixed)`);
  return [
    "## Guard and its peers (RBAC scenario)",
    "",
    header,
    "",
    "The peer scenario of `../shared/bench-scenario` (7 users, 10 groups, 6 documents, 21 policies) decided in one",
    "process by four engines; each must answer the scenario's 21 requests correctly before it is timed. Inputs are",
    "prepared ahead of the timing in each engine's own shape. The engines are timed side by side: in each of",
    `${rounds} rounds every engine runs one batch of about ${options.targetMs ?? 60} ms (the order rotating), and the figure is the median`,
    "of its rounds. *main* is the scenario's headline request (alice edits d-7: allowed), *mixed* rotates through the 21",
    "requests. Memory: heap and RSS added by loading the engine (import + policy compile / preparse), after a full",
    "collection; RSS deltas in one process are rough.",
    "",
    "| engine | µs per decision (main) | decisions/s (main) | µs per decision (mixed) | decisions/s (mixed) | vs Guard (mixed) | heap Δ MB | RSS Δ MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...table,
    "",
    `**Guard compiled is ${fmt(vsCedar)}x faster than cedar-wasm** on the mixed requests (${fmt(vsCedarMain)}x on the main one; aim: at least 100x, ${vsCedar >= 100 ? "met" : "not met"}), ` +
      `**${vsHand.toFixed(2)}x the hand-written function** (${vsHandMain.toFixed(2)}x on the main one; aim: within 3x, ${vsHand <= 3 ? "met" : "not met"}), ` +
      `and ${fmt(pairedRatio(casbin.mixed, guard.mixed))}x faster than casbin. Ratios are medians of the rounds' ratios (each round times every engine).`,
    "",
    ...rows.map((r) => `- ${r.name} (${r.version}): ${r.how}.`),
  ].join("\n");
}
