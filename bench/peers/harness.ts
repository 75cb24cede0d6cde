// Measuring helpers shared by the peers, aci, compile and masking benchmarks: garbage collection on demand (without
// --expose-gc on the command line), memory snapshots, and interleaved timing (every candidate timed once per
// round, rounds repeated, medians kept), so that the noise of a shared machine hits all candidates alike.
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { environment, median, type Environment } from "../parse.js";

let collect: (() => void) | undefined;

/** Runs a full garbage collection (twice, so that finalizers' garbage goes too). */
export function gc(): void {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) collect = exposed;
    else {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    }
  }
  collect();
  collect();
}

export interface MemorySnapshot {
  heapMB: number;
  rssMB: number;
  externalMB: number;
}

/** Memory in use after a full collection (MB = 2^20 bytes). */
export function memory(): MemorySnapshot {
  gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, externalMB: m.external / 2 ** 20 };
}

export function memoryDelta(before: MemorySnapshot, after: MemorySnapshot): MemorySnapshot {
  return { heapMB: after.heapMB - before.heapMB, rssMB: after.rssMB - before.rssMB, externalMB: after.externalMB - before.externalMB };
}

/** Keeps results alive so the loops cannot be optimized away. */
export let sink = 0;

export interface Candidate {
  name: string;
  /** One operation (a decision); i counts the calls, for rotating through inputs. */
  run(i: number): unknown;
}

export interface Timing {
  name: string;
  iterations: number;
  /** Microseconds per operation, one sample per round. */
  samples: number[];
  medianUs: number;
}

function batch(c: Candidate, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (c.run(i)) sink++;
  return performance.now() - t0;
}

/** Iterations for one batch of about targetMs (after a warm-up of the same length). */
export function calibrate(c: Candidate, targetMs: number): number {
  let n = 1;
  for (;;) {
    const ms = batch(c, n);
    if (ms >= targetMs / 8 || n >= 1 << 24) {
      const iterations = Math.max(1, Math.round((n * targetMs) / Math.max(ms, 1e-3)));
      batch(c, iterations); // warm-up at full length
      return iterations;
    }
    n *= 4;
  }
}

/**
 * Times the candidates side by side: `rounds` rounds, each timing every candidate once for about targetMs (the
 * order rotates from round to round); the median of a candidate's rounds is its figure.
 */
export function interleaved(candidates: Candidate[], options: { rounds: number; targetMs: number }): Timing[] {
  const iterations = candidates.map((c) => calibrate(c, options.targetMs));
  for (let j = 0; j < candidates.length; j++) batch(candidates[j]!, iterations[j]!); // one untimed round: every candidate's code settles
  const samples: number[][] = candidates.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const j = (k + r) % candidates.length;
      samples[j]!.push((batch(candidates[j]!, iterations[j]!) * 1000) / iterations[j]!);
    }
  }
  return candidates.map((c, j) => ({ name: c.name, iterations: iterations[j]!, samples: samples[j]!, medianUs: median(samples[j]!) }));
}

/** Milliseconds of a call, the median of `runs` calls (each after a collection). */
export function medianMs(runs: number, fn: () => unknown): { medianMs: number; samples: number[] } {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc();
    const t0 = performance.now();
    if (fn()) sink++;
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samples };
}

/** A number with thousands separators and the given decimals. */
export function fmt(n: number, decimals = 0): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A microsecond figure with sensible precision. */
export function us(n: number): string {
  return n >= 100 ? fmt(n, 0) : n >= 10 ? fmt(n, 1) : n >= 1 ? fmt(n, 2) : fmt(n, 3);
}

/** The first line of a section: the command and the machine, as the parse benchmark writes it. */
export function machineLine(command: string, env: Environment = environment()): string {
  return `\`${command}\` — Node ${env.node}, ${env.cpu} (${env.cores} cores), ${env.platform}, ${env.date}, load average ${env.load.toFixed(2)} at the start.`;
}

/** The median over the rounds of a's time / b's time (both timed in every round): steadier than a ratio of medians. */
export function pairedRatio(a: Timing, b: Timing): number {
  return median(a.samples.map((x, r) => x / b.samples[r]!));
}
