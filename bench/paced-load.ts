// An open-loop load generator at an even rate, for latency at a fixed load (its own process, started by
// gateway.ts): request i is due at start + i / rate and is sent at the first timer tick at or after that (ticks
// about 1 ms apart), whatever happened to the earlier ones: a slow answer never delays the next request (no
// coordinated omission). Latency counts from the send. autocannon's `overallRate` instead lets each connection send
// its quota for the second back to back and then wait for the next second, so its "fixed rate" arrives as a burst
// at the top of each second, and the latency it reports is that of the burst.
//
//   node dist/bench/paced-load.js '{"url":…,"rate":1000,"seconds":5,"connections":64,"headers":{…},"body":"…"}'
// prints one JSON line: { sent, ok, errors, p50, p90, p99, max } (milliseconds).
import { Pool } from "undici";
import { percentile } from "./percentile.js";

export interface PacedOptions {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  headers: Record<string, string>;
  body: string;
}

export interface PacedResult {
  sent: number;
  ok: number;
  errors: number;
  /** Latency percentiles from each request's send, in ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The largest lag of a send behind its due time, in ms (the generator's own jitter). */
  maxSendLagMs: number;
  /** CPU the generator itself used over the run (user and system, all its threads), in µs. */
  cpuUs: number;
}

export async function paced(o: PacedOptions): Promise<PacedResult> {
  const cpuBefore = process.cpuUsage();
  const url = new URL(o.url);
  const pool = new Pool(url.origin, { connections: o.connections, pipelining: 1 });
  const path = url.pathname + url.search;
  const total = Math.round(o.rate * o.seconds);
  const times: number[] = [];
  let ok = 0;
  let errors = 0;
  let maxLag = 0;
  const inflight: Promise<void>[] = [];
  const one = async () => {
    const sent = performance.now();
    try {
      const res = await pool.request({ path, method: "POST", headers: o.headers, body: o.body });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        ok++;
        times.push(performance.now() - sent);

      } else errors++;
    } catch {
      errors++;
    }
  };
  const start = performance.now() + 20;
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / o.rate <= now) {
        const due = start + (next * 1000) / o.rate;
        maxLag = Math.max(maxLag, now - due);
        inflight.push(one());
        next++;
      }
      if (next >= total) return done();
      // no spinning (it would take a core from the servers): the next tick in at least 1 ms
      setTimeout(tick, Math.max(1, Math.floor(start + (next * 1000) / o.rate - performance.now())));
    };
    tick();
  });
  await Promise.all(inflight);
  await pool.close();
  times.sort((a, b) => a - b);
  const cpu = process.cpuUsage(cpuBefore);
  return { sent: total, ok, errors, p50: percentile(times, 0.5), p90: percentile(times, 0.9), p99: percentile(times, 0.99), max: times.length ? times[times.length - 1]! : NaN, maxSendLagMs: maxLag, cpuUs: cpu.user + cpu.system };
}

if (process.argv[1]?.endsWith("paced-load.js")) {
  const options = JSON.parse(process.argv[2] ?? "{}") as PacedOptions;
  console.log(JSON.stringify(await paced(options)));
}
