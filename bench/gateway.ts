// The gateway's cost, side by side in one run: the upstream directly, through a bare undici proxy, and through Guard
// (token verification, the shipped policies, the audit append, the session record, the forward), JSON and streamed
// (SSE) answers. Latency at fixed rates comes from an open-loop generator that spaces requests evenly (paced-load.ts);
// throughput at saturation and autocannon's own fixed-rate figures from autocannon. Each cell is the median of
// several runs, the targets interleaved.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import type { PacedResult } from "./paced-load.js";
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
}

interface Row {
  label: string;
  /** paced: the open-loop generator; saturation: autocannon unlimited; autocannon-rate: autocannon's overallRate. */
  kind: "paced" | "saturation" | "autocannon-rate";
  cells: Cell[];
}

interface Cell {
  rps: number;
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

async function load(url: string, headers: Record<string, string>, body: string, rate: number | undefined, o: GatewayBenchOptions): Promise<Cell> {
  // autocannon keeps its histogram in whole milliseconds; each response event carries the time at hrtime precision.
  const times: number[] = [];
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
  times.sort((a, b) => a - b);
  const pct = (q: number) => (times.length === 0 ? NaN : times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, p50us: pct(0.5), p99us: pct(0.99), errors: result.errors + result.timeouts + result.non2xx };
}

/** The open-loop generator in its own process (so that it does not share an event loop with autocannon's results). */
function pacedLoad(url: string, headers: Record<string, string>, body: string, rate: number, o: GatewayBenchOptions): Promise<Cell> {
  const args = JSON.stringify({ url, rate, seconds: o.durationS, connections: 64, headers: { "content-type": "application/json", ...headers }, body });
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(HERE, "paced-load.js"), args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`paced-load exited with ${code}`));
      const r = JSON.parse(out) as PacedResult;
      resolveRun({ rps: r.ok / o.durationS, p50: r.p50, p99: r.p99, p50us: r.p50, p99us: r.p99, errors: r.errors });
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function medianCell(cells: Cell[]): Cell {
  return {
    rps: median(cells.map((c) => c.rps)),
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
    const upstream = await start(["upstream"]);
    children.push(upstream.child);
    const bare = await start(["bare", upstream.url]);
    children.push(bare.child);
    const guard = await start(["guard"], {
      GUARD_BENCH_POLICIES: resolve(o.policies),
      GUARD_BENCH_ISSUER: issuer,
      GUARD_BENCH_JWK: JSON.stringify(jwk),
      GUARD_BENCH_UPSTREAM: upstream.url,
      GUARD_BENCH_DB: join(dir, "guard.db"),
    });
    children.push(guard.child);
    const targets = [
      { name: "upstream directly", url: `${upstream.url}/v1/messages` },
      { name: "bare undici proxy", url: `${bare.url}/claude/v1/messages` },
      { name: "Guard", url: `${guard.url}/claude/v1/messages` },
    ];
    const auth = { authorization: `Bearer ${token}` };
    // Every target must answer 200 before it is timed (Guard: the policies allow the request).
    for (const t of targets) {
      const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(o.body) });
      if (res.status !== 200) throw new Error(`${t.name} answered ${res.status}: ${await res.text()}`);
    }
    const json = JSON.stringify(o.body);
    const stream = JSON.stringify({ ...o.body, stream: true });
    const rows: Row[] = [];
    const middle = o.rates[1] ?? o.rates[0]!;
    const scenarios: { label: string; kind: Row["kind"]; rate?: number; body: string }[] = [
      ...o.rates.map((rate) => ({ label: `${rate} req/s, JSON`, kind: "paced" as const, rate, body: json })),
      { label: `${middle} req/s, SSE stream`, kind: "paced", rate: middle, body: stream },
      { label: "saturation, JSON", kind: "saturation", body: json },
      { label: "saturation, SSE stream", kind: "saturation", body: stream },
      ...o.rates.map((rate) => ({ label: `${rate} req/s, JSON`, kind: "autocannon-rate" as const, rate, body: json })),
    ];
    for (const s of scenarios) {
      const perTarget: Cell[][] = targets.map(() => []);
      for (let run = 0; run < o.runs; run++) {
        // Interleaved: each run measures the three targets back to back, so drift hits them alike; a pause after
        // each, so that work a target left (a writer thread's backlog) does not run into the next measurement.
        for (const [i, t] of targets.entries()) {
          perTarget[i]!.push(s.kind === "paced" ? await pacedLoad(t.url, auth, s.body, s.rate!, o) : await load(t.url, auth, s.body, s.rate, o));
          await pause(1000);
        }
      }
      const cells = perTarget.map(medianCell);
      rows.push({ label: s.label, kind: s.kind, cells });
      console.error(`${s.kind} ${s.label}: ${cells.map((c, i) => `${targets[i]!.name} ${c.rps.toFixed(0)} req/s p50 ${ms(c.p50us)} ms p99 ${ms(c.p99us)} ms`).join(" | ")}`);
    }
    return report(rows, targets.map((t) => t.name), o);
  } finally {
    for (const c of children) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(2));

function report(rows: Row[], names: string[], o: GatewayBenchOptions): string {
  const table = (kind: Row["kind"], head: string) => {
    const out = [
      `| ${head} | ${names.map((n) => `${n}: req/s, p50, p99`).join(" | ")} | Guard added p50 / p99 vs direct | Guard added p50 / p99 vs bare proxy | Guard throughput vs bare proxy | errors |`,
      `| --- | ${names.map(() => "---").join(" | ")} | --- | --- | --- | --- |`,
    ];
    for (const r of rows.filter((x) => x.kind === kind)) {
      const [direct, bare, guard] = r.cells as [Cell, Cell, Cell];
      out.push(
        `| ${r.label} | ${r.cells.map((c) => `${c.rps.toFixed(0)}, ${ms(c.p50us)}, ${ms(c.p99us)}`).join(" | ")} | ` +
          `${ms(guard.p50us - direct.p50us)} / ${ms(guard.p99us - direct.p99us)} | ${ms(guard.p50us - bare.p50us)} / ${ms(guard.p99us - bare.p99us)} | ` +
          `${((guard.rps / bare.rps) * 100).toFixed(0)}% | ${r.cells.map((c) => c.errors).join(" / ")} |`,
      );
    }
    return out;
  };
  const middle = o.rates[1] ?? o.rates[0]!;
  const fixed = rows.find((r) => r.kind === "paced" && r.label === `${middle} req/s, JSON`)?.cells as [Cell, Cell, Cell] | undefined;
  const sat = rows.find((r) => r.kind === "saturation" && r.label === "saturation, JSON")?.cells as [Cell, Cell, Cell] | undefined;
  const lines = [
    "## Gateway overhead",
    "",
    `Command: \`npm run bench -- gateway\`. Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at the end. ` +
      `Loopback; each target in its own process (the upstream stand-in answers at once, so the figures are the proxies' own cost), ${o.durationS} s per run, median of ${o.runs} runs per cell, the three targets interleaved with a pause after each run. ` +
      `Guard does everything it does in production: RS256 token verification (verified tokens cached), the policies in \`${o.policies}\` (decision, masking both ways, tool-call decisions), ` +
      `the SQLite audit append (synchronous=FULL: on disk before the request is forwarded; group commit), the session record (its own file, written and trimmed by a writer thread), the forward.`,
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
  ];
  if (fixed) {
    const added = fixed[2].p99us - fixed[0].p99us;
    lines.push(`At ${middle} req/s (even) Guard adds **${ms(fixed[2].p50us - fixed[0].p50us)} ms at p50 and ${ms(added)} ms at p99** to calling the upstream directly (aim: under 1 ms at p99, ${added < 1 ? "met" : "not met"}).`);
  }
  if (sat) {
    const ratio = sat[2].rps / sat[1].rps;
    lines.push(`At saturation Guard serves **${(ratio * 100).toFixed(0)}% of the bare proxy's throughput** (aim: at least 80%, ${ratio >= 0.8 ? "met" : "not met"}).`);
  }
  return lines.join("\n");
}
