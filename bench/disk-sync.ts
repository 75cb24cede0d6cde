// How long the disk under a directory takes to make a small write durable (write + fdatasync), as the SQLite audit
// log does for every commit (WAL, synchronous=FULL). The gateway benchmark measures it in the directory its stores
// live in, because every request Guard forwards waits for one such commit: its latency is a floor under Guard's.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "./percentile.js";

export interface SyncLatency {
  syncs: number;
  /** Bytes written before each sync. */
  bytes: number;
  /** Milliseconds from the write to fdatasync's return. */
  p50: number;
  p99: number;
  max: number;
}

/** `syncs` appends of `bytes` bytes, each followed by fdatasync, in a scratch file under `dir` (removed after). */
export function syncLatency(dir: string, syncs = 2000, bytes = 512): SyncLatency {
  if (!Number.isInteger(syncs) || syncs < 1) throw new RangeError(`syncs must be a whole number of at least 1, not ${syncs}`);
  const scratch = mkdtempSync(join(dir, "sync-latency-"));
  const fd = openSync(join(scratch, "wal"), "w");
  const page = Buffer.alloc(bytes, 0x61);
  const times: number[] = [];
  try {
    for (let i = 0; i < syncs; i++) {
      const t = performance.now();
      writeSync(fd, page);
      fdatasyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(scratch, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { syncs, bytes, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1]! };
}
