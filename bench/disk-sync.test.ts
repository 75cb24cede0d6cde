// syncLatency: durable small writes timed in a scratch file that is removed afterwards.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { syncLatency } from "./disk-sync.js";

describe("syncLatency", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), "guard-sync-test-"));
    dirs.push(d);
    return d;
  };

  it("times each sync and orders its percentiles, leaving nothing behind", () => {
    const d = dir();
    const r = syncLatency(d, 20);
    expect(r.syncs).toBe(20);
    expect(r.bytes).toBe(512);
    expect(r.p50).toBeGreaterThan(0);
    expect(r.p50).toBeLessThanOrEqual(r.p99);
    expect(r.p99).toBeLessThanOrEqual(r.max);
    expect(readdirSync(d)).toEqual([]);
  });

  it("refuses a count that is not a whole number of at least 1", () => {
    expect(() => syncLatency(dir(), 0)).toThrow(RangeError);
    expect(() => syncLatency(dir(), 2.5)).toThrow(/whole number/);
  });
});
