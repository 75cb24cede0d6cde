// The gateway's cost, side by side in one run: the upstream directly, through a bare undici proxy, and through Guard
// (token verification, the shipped policies, the audit append, the session record, the forward), JSON and streamed
// (SSE) answers. Latency at fixed rates comes from an open-loop generator that spaces requests evenly (paced-load.ts);
// throughput at saturation and autocannon's own fixed-rate figures from autocannon; each target's CPU per request from
// /proc (process-cpu.ts). Each cell is the median of several runs, the targets interleaved. Two more Guard processes,
// without session recording and with the audit log in memory as well, show what those features cost; AI gateway
// peers (gateway-peers.ts: Portkey's) are measured in the same runs wherever they answer.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startPortkey } from "./gateway-peers.js";
import type { PacedResult } from "./paced-load.js";
import { syncLatency, type SyncLatency } from "./disk-sync.js";
import { percentile } from "./percentile.js";
import { processCpuMicros } from "./process-cpu.js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const HERE = dirname(fileURLToPath(import.meta.url));

export interface GatewayBenchOptions {
  /** The policy bundle Guard serves (default: the shipped pack, policies/). */
  policies: string;
  /** The token's claims: a CI identity the policies allow. */
  claims: Record<string, unknown>;
  /** The request body (a Messages API request the policies allow). */
  body: Record<string, unknown>;
  rates: number[];
  durationS: number;
  runs: number;
  connections: number;
  /** Measure the AI gateway peers (gateway-peers.ts) too (default true). */
  peers?: boolean;
}

export interface Row {
  label: string;
  /** Measured on the Guard variants too (the cost-by-feature table). */
  variants: boolean;
  /** paced: the open-loop generator; saturation: autocannon unlimited; autocannon-rate: autocannon's overallRate. */
  kind: "paced" | "saturation" | "autocannon-rate";
  cells: Cell[];
  /** The AI gateway peers' cells, in the order of `peerNames` (those that answer this kind of request). */
  peerCells: Cell[];
}

export interface Cell {
  rps: number;
  /** CPU the target's process used per request (all its threads), in µs; NaN where /proc cannot be read. */
  cpuUs: number;
  /** CPU the load generator used per request, in µs (it shares the machine's cores with the targets). */
  loadCpuUs: number;
  /** The open-loop generator's largest lag of a send behind its due time, in ms (NaN for autocannon). */
  sendLagMs: number;
  /** autocannon's own percentiles (whole milliseconds, coordinated-omission corrected at fixed rates). */
  p50: number;
  p99: number;
  /** The same from every response's own time (autocannon's hrtime, in ms with µs precision). */
  p50us: number;
  p99us: number;
  errors: number;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(HERE, "gateway-servers.js"), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolveStart, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolveStart({ child, url: m[1]! });
    });
    child.on("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

interface Target {
  name: string;
  url: string;
  pid: number;
  /** Headers of its own on every request (a peer's provider and upstream). */
  headers?: Record<string, string>;
}

/** The CPU the target used per request while `run` ran, with run's own figures. */
async function withCpu(t: Target, run: () => Promise<Omit<Cell, "cpuUs"> & { requests: number }>): Promise<Cell> {
  const before = processCpuMicros(t.pid);
  const { requests, ...cell } = await run();
  const after = processCpuMicros(t.pid);
  return { ...cell, cpuUs: before === undefined || after === undefined || requests === 0 ? NaN : (after - before) / requests };
}

async function load(url: string, headers: Record<string, string>, body: string, rate: number | undefined, o: GatewayBenchOptions): Promise<Omit<Cell, "cpuUs"> & { requests: number }> {
  // autocannon keeps its histogram in whole milliseconds; each response event carries the time at hrtime precision.
  const times: number[] = [];
  // autocannon runs in this process: its CPU (and this process's handling of its events) is the generator's
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        connections: o.connections,
        duration: o.durationS,
        ...(rate !== undefined ? { overallRate: rate } : {}),
      },
      (err, r) => (err ? reject(err) : resolveRun(r)),
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) times.push(ms);
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const requests = result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, p50us: percentile(times, 0.5), p99us: percentile(times, 0.99), errors: result.errors + result.timeouts + result.non2xx, requests, loadCpuUs: requests > 0 ? (cpu.user + cpu.system) / requests : NaN, sendLagMs: NaN };
}

/** The open-loop generator in its own process (so that it does not share an event loop with autocannon's results). */
function pacedLoad(url: string, headers: Record<string, string>, body: string, rate: number, o: GatewayBenchOptions): Promise<Omit<Cell, "cpuUs"> & { requests: number }> {
  const args = JSON.stringify({ url, rate, seconds: o.durationS, connections: 64, headers: { "content-type": "application/json", ...headers }, body });
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(HERE, "paced-load.js"), args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`paced-load exited with ${code}`));
      const r = JSON.parse(out) as PacedResult;
      resolveRun({ rps: r.ok / o.durationS, p50: r.p50, p99: r.p99, p50us: r.p50, p99us: r.p99, errors: r.errors, requests: r.sent, loadCpuUs: r.sent > 0 ? r.cpuUs / r.sent : NaN, sendLagMs: r.maxSendLagMs });
    });
  });
}

const missingCell = (): Cell => ({ rps: NaN, cpuUs: NaN, loadCpuUs: NaN, sendLagMs: NaN, p50: NaN, p99: NaN, p50us: NaN, p99us: NaN, errors: 0 });

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function medianCell(cells: Cell[]): Cell {
  return {
    rps: median(cells.map((c) => c.rps)),
    cpuUs: median(cells.map((c) => c.cpuUs)),
    loadCpuUs: median(cells.map((c) => c.loadCpuUs)),
    sendLagMs: median(cells.map((c) => c.sendLagMs)),
    p50: median(cells.map((c) => c.p50)),
    p99: median(cells.map((c) => c.p99)),
    p50us: median(cells.map((c) => c.p50us)),
    p99us: median(cells.map((c) => c.p99us)),
    errors: cells.reduce((s, c) => s + c.errors, 0),
  };
}

export async function runGatewayBench(o: GatewayBenchOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "guard-gw-bench-"));
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256" };
  // GitHub Actions' issuer (the pack trusts it), with a key of the bench's own given to Guard as a local JWKS.
  const issuer = "https://token.actions.githubusercontent.com";
  const token = await new SignJWT(o.claims).setProtectedHeader({ alg: "RS256", kid: "bench" }).setIssuer(issuer).setAudience("guard").setIssuedAt().setExpirationTime("2h").sign(privateKey);
  const children: ChildProcess[] = [];
  try {
    // The disk's durable-write latency where the stores live, before any target runs (a floor under Guard's latency).
    const sync = syncLatency(dir);
    const upstream = await start(["upstream"]);
    children.push(upstream.child);
    const bare = await start(["bare", upstream.url]);
    children.push(bare.child);
    const guardEnv = { GUARD_BENCH_POLICIES: resolve(o.policies), GUARD_BENCH_ISSUER: issuer, GUARD_BENCH_JWK: JSON.stringify(jwk), GUARD_BENCH_UPSTREAM: upstream.url };
    const guard = await start(["guard"], { ...guardEnv, GUARD_BENCH_DB: join(dir, "guard.db") });
    children.push(guard.child);
    // What recording and the durable audit log cost: Guard without session recording, and without it and with the
    // audit log in memory (no writer threads, no fsync; for comparison only, not a configuration to run).
    const unrecorded = await start(["guard"], { ...guardEnv, GUARD_BENCH_DB: join(dir, "unrecorded.db"), GUARD_BENCH_SESSIONS: "0" });
    children.push(unrecorded.child);
    const inMemory = await start(["guard"], { ...guardEnv, GUARD_BENCH_DB: ":memory:", GUARD_BENCH_SESSIONS: "0" });
    children.push(inMemory.child);
    const target = (name: string, s: { child: ChildProcess; url: string }, path: string): Target => ({ name, url: `${s.url}${path}`, pid: s.child.pid! });
    const targets = [target("upstream directly", upstream, "/v1/messages"), target("bare undici proxy", bare, "/claude/v1/messages"), target("Guard", guard, "/claude/v1/messages")];
    const variants = [target("Guard, no session recording", unrecorded, "/claude/v1/messages"), target("Guard, no recording, audit log in memory", inMemory, "/claude/v1/messages")];
    const auth = { authorization: `Bearer ${token}` };
    const headersOf = (t: Target) => ({ ...auth, ...t.headers });
    const json = JSON.stringify(o.body);
    const stream = JSON.stringify({ ...o.body, stream: true });
    const first = async (t: Target, body: string) => {
      const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...headersOf(t) }, body });
      const text = await res.text();
      return res.status === 200 && text.includes("msg_bench") ? undefined : `answered ${res.status}: ${text.slice(0, 200)}`;
    };
    // Every target must answer 200 before it is timed (Guard: the policies allow the request), both kinds.
    for (const t of [...targets, ...variants]) {
      for (const body of [json, stream]) {
        const wrong = await first(t, body);
        if (wrong) throw new Error(`${t.name} ${wrong}`);
      }
    }
    // A peer is measured on each kind of request it answers; what it does not answer is said in the report.
    const peerNotes: string[] = [];
    const jsonPeers: Target[] = [];
    const streamPeers: Target[] = [];
    if (o.peers !== false) {
      const portkey = await startPortkey(resolve(HERE, "..", ".."), upstream.url);
      if (typeof portkey === "string") peerNotes.push(`Not measured: ${portkey}.`);
      else {
        children.push(portkey.child);
        const t: Target = { name: portkey.name, url: portkey.url, pid: portkey.child.pid!, headers: portkey.headers };
        for (const [body, list, kind] of [[json, jsonPeers, "JSON"], [stream, streamPeers, "streamed (SSE)"]] as const) {
          const wrong = await first(t, body);
          if (wrong === undefined) list.push(t);
          else peerNotes.push(`${t.name} is left out of the ${kind} rows: it ${wrong.replace(/\s+/g, " ")}.`);
        }
      }
    }
    const peers = [...jsonPeers, ...streamPeers.filter((t) => !jsonPeers.includes(t))];
    // Warm-up: every target serves both kinds of request at saturation first, so that no run measures a cold JIT.
    for (const t of [...targets, ...variants]) for (const body of [json, stream]) await load(t.url, headersOf(t), body, undefined, { ...o, durationS: 2 });
    for (const t of jsonPeers) await load(t.url, headersOf(t), json, undefined, { ...o, durationS: 2 });
    for (const t of streamPeers) await load(t.url, headersOf(t), stream, undefined, { ...o, durationS: 2 });
    const rows: Row[] = [];
    const middle = o.rates[1] ?? o.rates[0]!;
    const scenarios: { label: string; kind: Row["kind"]; rate?: number; body: string; variants?: boolean }[] = [
      ...o.rates.map((rate) => ({ label: `${rate} req/s, JSON`, kind: "paced" as const, rate, body: json, variants: rate === middle })),
      { label: `${middle} req/s, SSE stream`, kind: "paced", rate: middle, body: stream },
      { label: "saturation, JSON", kind: "saturation", body: json, variants: true },
      { label: "saturation, SSE stream", kind: "saturation", body: stream },
      ...o.rates.map((rate) => ({ label: `${rate} req/s, JSON`, kind: "autocannon-rate" as const, rate, body: json })),
    ];
    for (const s of scenarios) {
      // the peers where Guard's figures are the headline: the paced rates and saturation
      const scenarioPeers = s.kind === "autocannon-rate" ? [] : s.body === json ? jsonPeers : streamPeers;
      const own = s.variants ? [...targets, ...variants] : targets;
      const measured = [...own, ...scenarioPeers];
      const perTarget: Cell[][] = measured.map(() => []);
      for (let run = 0; run < o.runs; run++) {
        // Interleaved: each run measures the targets back to back, so drift hits them alike; a pause after each, so
        // that work a target left (a writer thread's backlog) does not run into the next measurement.
        for (const [i, t] of measured.entries()) {
          perTarget[i]!.push(await withCpu(t, () => (s.kind === "paced" ? pacedLoad(t.url, headersOf(t), s.body, s.rate!, o) : load(t.url, headersOf(t), s.body, s.rate, o))));
          await pause(1000);
        }
      }
      const all = perTarget.map(medianCell);
      const cells = all.slice(0, own.length);
      // peer cells by the report's peer order, NaN where this kind of request leaves a peer out
      const peerCells = peers.map((p) => all[own.length + scenarioPeers.indexOf(p)] ?? missingCell());
      rows.push({ label: s.label, kind: s.kind, variants: s.variants === true, cells, peerCells: scenarioPeers.length > 0 ? peerCells : [] });
      console.error(`${s.kind} ${s.label}: ${all.map((c, i) => `${measured[i]!.name} ${c.rps.toFixed(0)} req/s p50 ${ms(c.p50us)} ms p99 ${ms(c.p99us)} ms cpu ${c.cpuUs.toFixed(0)} µs/req`).join(" | ")}`);
    }
    return report(rows, targets.map((t) => t.name), variants.map((t) => t.name), peers.map((t) => t.name), peerNotes, sync, o);
  } finally {
    for (const c of children) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(2));

const cpu = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(0));

function report(rows: Row[], names: string[], variantNames: string[], peerNames: string[], peerNotes: string[], sync: SyncLatency, o: GatewayBenchOptions): string {
  const table = (kind: Row["kind"], head: string) => {
    const out = [
      `| ${head} | ${names.map((n) => `${n}: req/s, p50, p99`).join(" | ")} | Guard added p50 / p99 vs direct | Guard added p50 / p99 vs bare proxy | Guard throughput vs bare proxy | CPU µs per request: ${names.join(" / ")} | errors |`,
      `| --- | ${names.map(() => "---").join(" | ")} | --- | --- | --- | --- | --- |`,
    ];
    for (const r of rows.filter((x) => x.kind === kind)) {
      const [direct, bare, guard] = r.cells as [Cell, Cell, Cell];
      out.push(
        `| ${r.label} | ${r.cells.slice(0, 3).map((c) => `${c.rps.toFixed(0)}, ${ms(c.p50us)}, ${ms(c.p99us)}`).join(" | ")} | ` +
          `${ms(guard.p50us - direct.p50us)} / ${ms(guard.p99us - direct.p99us)} | ${ms(guard.p50us - bare.p50us)} / ${ms(guard.p99us - bare.p99us)} | ` +
          `${((guard.rps / bare.rps) * 100).toFixed(0)}% | ${[direct, bare, guard].map((c) => cpu(c.cpuUs)).join(" / ")} | ${r.cells.slice(0, 3).map((c) => c.errors).join(" / ")} |`,
      );
    }
    return out;
  };
  // Guard and its variants, side by side: what session recording and the durable audit log cost.
  const byFeature = () => {
    const out = [
      "| load | target | req/s | p50 ms | p99 ms | throughput vs bare proxy | CPU µs per request | errors |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const r of rows.filter((x) => x.variants)) {
      const bare = r.cells[1]!;
      for (const [i, name] of [names[1]!, names[2]!, ...variantNames].entries()) {
        const c = r.cells[i + 1]!;
        out.push(`| ${r.kind === "paced" ? `paced ${r.label}` : r.label} | ${name} | ${c.rps.toFixed(0)} | ${ms(c.p50us)} | ${ms(c.p99us)} | ${((c.rps / bare.rps) * 100).toFixed(0)}% | ${cpu(c.cpuUs)} | ${c.errors} |`);
      }
    }
    return out;
  };
  // Guard beside the AI gateway peers, each against calling the upstream directly in the same runs.
  const byPeer = () => {
    const out = [
      "| load | target | req/s | p50 ms | p99 ms | added p50 / p99 vs direct | CPU µs per request | errors |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const r of rows.filter((x) => x.peerCells.length > 0)) {
      const direct = r.cells[0]!;
      const label = r.kind === "paced" ? `paced ${r.label}` : r.label;
      for (const [name, c] of [[names[2]!, r.cells[2]!], ...peerNames.map((n, i) => [n, r.peerCells[i]!] as const)] as const) {
        if (Number.isNaN(c.rps)) continue;
        out.push(`| ${label} | ${name} | ${c.rps.toFixed(0)} | ${ms(c.p50us)} | ${ms(c.p99us)} | ${ms(c.p50us - direct.p50us)} / ${ms(c.p99us - direct.p99us)} | ${cpu(c.cpuUs)} | ${c.errors} |`);
      }
    }
    return out;
  };
  const middle = o.rates[1] ?? o.rates[0]!;
  const fixedRow = rows.find((r) => r.kind === "paced" && r.label === `${middle} req/s, JSON`);
  const satRow = rows.find((r) => r.kind === "saturation" && r.label === "saturation, JSON");
  const fixed = fixedRow?.cells as [Cell, Cell, Cell] | undefined;
  const sat = satRow?.cells as [Cell, Cell, Cell] | undefined;
  const lines = [
    "## Gateway overhead",
    "",
    `Command: \`npm run bench -- gateway\`. Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at the end. ` +
      `Loopback; each target in its own process (the upstream stand-in answers at once, so the figures are the proxies' own cost), ${o.durationS} s per run, median of ${o.runs} runs per cell, the targets interleaved with a pause after each run, after 2 s of each kind of request at saturation to warm each target up. ` +
      `Guard does everything it does in production: RS256 token verification (verified tokens cached), the policies in \`${o.policies}\` (decision, masking both ways, tool-call decisions), ` +
      `the SQLite audit append (synchronous=FULL: on disk before the request is forwarded; group commit), the session record (its own file, written and trimmed by a writer thread), the forward. ` +
      `CPU µs per request: all the process's threads (user and system), from /proc, divided by the requests sent; the load generator, the upstream and the target share the machine's cores.`,
    "",
    "**At fixed rates** (latency): an open-loop generator (`bench/paced-load.ts`, its own process, 64 connections) sends request i at start + i / rate, whatever the earlier ones did; latency in ms from each send.",
    "",
    ...table("paced", "rate"),
    "",
    "**At saturation** (throughput): autocannon, " + `${o.connections} connections, as fast as the target answers; latency from each response's own time (autocannon's hrtime).`,
    "",
    ...table("saturation", "load"),
    "",
    `**autocannon at fixed rates**, for comparison: its \`overallRate\` lets each of the ${o.connections} connections send its quota for the second back to back and then wait for the next second, so the load arrives as a burst at the top of each second and these latencies are those of the burst (close to saturation latency), not of an even rate.`,
    "",
    ...table("autocannon-rate", "overallRate"),
    "",
    "**Cost by feature**: the same runs with two more Guard processes: without session recording, and without it and with the audit log in an in-memory SQLite database (no writer threads, no fsync; for comparison only: not durable, not a configuration to run).",
    "",
    ...byFeature(),
    "",
    ...(peerNames.length > 0 || peerNotes.length > 0
      ? [
          "**AI gateway peers**: in the same runs, other gateways that proxy the Messages API to the same upstream stand-in, each in its own process " +
            "(`bench/gateway-peers.ts`; Portkey's open-source gateway from npm, started with the upstream as its custom host, does no token check, no policy, no masking and no audit log). " +
            "A peer that cannot keep up with a fixed rate shows it as latency: the generator sends on schedule whatever the answers do.",
          "",
          ...(peerNames.length > 0 ? byPeer() : []),
          ...(peerNotes.length > 0 ? ["", ...peerNotes] : []),
          "",
        ]
      : []),
  ];
  if (fixed) {
    const added = fixed[2].p99us - fixed[0].p99us;
    lines.push(
      `At ${middle} req/s (even) Guard adds **${ms(fixed[2].p50us - fixed[0].p50us)} ms at p50 and ${ms(added)} ms at p99** to calling the upstream directly (aim: under 1 ms at p99, ${added < 1 ? "met" : "not met"}); ` +
        `in the same runs the bare proxy adds ${ms(fixed[1].p50us - fixed[0].p50us)} ms at p50 and ${ms(fixed[1].p99us - fixed[0].p99us)} ms at p99.`,
    );
  }
  for (const [i, name] of peerNames.entries()) {
    const atRate = fixedRow?.peerCells[i];
    const atSat = satRow?.peerCells[i];
    const parts: string[] = [];
    if (fixed && atRate && !Number.isNaN(atRate.rps)) {
      parts.push(
        `at ${middle} req/s (even) it adds ${ms(atRate.p50us - fixed[0].p50us)} ms at p50 and ${ms(atRate.p99us - fixed[0].p99us)} ms at p99 where Guard adds ${ms(fixed[2].p50us - fixed[0].p50us)} and ${ms(fixed[2].p99us - fixed[0].p99us)}`,
      );
    }
    if (sat && atSat && !Number.isNaN(atSat.rps)) {
      parts.push(`at saturation it serves ${atSat.rps.toFixed(0)} requests/s to Guard's ${sat[2].rps.toFixed(0)} (Guard ${(sat[2].rps / atSat.rps).toFixed(1)}x), using ${cpu(atSat.cpuUs)} µs of CPU per request to Guard's ${cpu(sat[2].cpuUs)}`);
    }
    if (parts.length > 0) lines.push(`${name}, JSON: ${parts.join("; ")}.`);
  }
  if (sat) {
    const ratio = sat[2].rps / sat[1].rps;
    lines.push(
      `At saturation Guard serves **${(ratio * 100).toFixed(0)}% of the bare proxy's throughput** (aim: at least 80%, ${ratio >= 0.8 ? "met" : "not met"}), ` +
        `using ${cpu(sat[2].cpuUs)} µs of CPU per request to the bare proxy's ${cpu(sat[1].cpuUs)}.`,
    );
    // What each feature costs, from the variants: the audit log's thread and fsync (Guard without recording, against
    // the same with the audit log in memory: the hash chain and the insert are in both) and session recording.
    const parts = rows
      .filter((r) => r.variants && r.cells.length >= 5)
      .map((r) => {
        const [, bare, full, unrecorded, inMemory] = r.cells as [Cell, Cell, Cell, Cell, Cell];
        return `${r.kind === "paced" ? `at ${r.label.replace(", JSON", "")}` : "at saturation"}: ${cpu(inMemory.cpuUs - bare.cpuUs)} for the request path with the audit append in memory (token, input, decision, masking both ways, hash chain, forward, metrics), ${cpu(unrecorded.cpuUs - inMemory.cpuUs)} for the audit log's writer thread and fsync, ${cpu(full.cpuUs - unrecorded.cpuUs)} for session recording`;
      });
    if (parts.length > 0) {
      lines.push(
        `Where Guard's CPU per request goes beyond the bare proxy's (JSON, µs): ${parts.join("; ")}. ` +
          `At saturation many appends share one transaction and one fsync (group commit) and 256 exchanges one recorded batch; at an even ${middle} req/s each request has its own commit.`,
      );
    }
  }
  lines.push("", ...roomLeft(rows, sync, middle));
  return lines.join("\n");
}

/**
 * What the two gateway aims leave for Guard's own work on this machine, from the same run: the disk's durable-write
 * latency (every forwarded request waits for its audit record's commit) beside the bare proxy's own added p99, and
 * the CPU a request may cost for 80% of the bare proxy's throughput when the load generator, the upstream and the
 * target share the cores (saturation is CPU-bound: T·(target + upstream + generator) is the same for every target).
 */
export function roomLeft(rows: Row[], sync: SyncLatency, middle: number): string[] {
  const out = ["**What the aims leave room for** (same run):", ""];
  out.push(
    `- The disk: a ${sync.syncs}-times repeated ${sync.bytes}-byte write + fdatasync in the stores' directory, before the targets started, takes ${ms(sync.p50)} ms at p50 and ${ms(sync.p99)} ms at p99 (max ${ms(sync.max)}). ` +
      "Guard forwards a request only once its audit record is committed (synchronous=FULL), so its latency includes one such commit, and a request that arrives during a commit waits for two.",
  );
  const fixed = rows.find((r) => r.kind === "paced" && r.label === `${middle} req/s, JSON`)?.cells;
  if (fixed) {
    const bareAdded = fixed[1]!.p99us - fixed[0]!.p99us;
    out.push(
      `- The bare proxy, which does nothing but forward, adds ${ms(bareAdded)} ms at p99 at ${middle} req/s (even) over calling the upstream directly; ` +
        `the generator, on the same cores, sent its requests up to ${ms(fixed[1]!.sendLagMs)} ms behind their due time in those runs (median of each run's largest lag). ${bareAdded >= 1 ? "On this machine the latency aim (under 1 ms added at p99) is not met by the bare proxy either." : "The bare proxy meets the latency aim here."}`,
    );
  }
  const variantsAt = rows.find((r) => r.kind === "saturation" && r.variants && r.cells.length >= 5)?.cells;
  if (variantsAt) {
    const [direct, bare, guard, , inMemory] = variantsAt as [Cell, Cell, Cell, Cell, Cell];
    const upstream = direct.cpuUs;
    const generator = bare.loadCpuUs;
    const budget = (bare.cpuUs + upstream + generator) / 0.8 - upstream - generator;
    out.push(
      `- The cores: at saturation each request costs the load generator ${cpu(generator)} µs of CPU and the upstream ${cpu(upstream)}. ` +
        `For 80% of the bare proxy's throughput (${cpu(bare.cpuUs)} µs per request) a target may spend about (${cpu(bare.cpuUs)} + ${cpu(upstream)} + ${cpu(generator)}) / 0.8 − ${cpu(upstream)} − ${cpu(generator)} = **${cpu(budget)} µs** per request. ` +
        `Guard spends ${cpu(guard.cpuUs)}; without session recording and with the audit log in memory (not durable) it still spends ${cpu(inMemory.cpuUs)}, ${(inMemory.cpuUs / budget).toFixed(1)}x that budget.`,
    );
  }
  return out;
}
