// processCpuMicros: the CPU a process has used, read from /proc (Linux); undefined elsewhere or for no such process.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { processCpuMicros } from "./process-cpu.js";

describe("processCpuMicros", () => {
  it.skipIf(!existsSync("/proc/self/stat"))("grows by about the CPU this process burns", () => {
    const before = processCpuMicros(process.pid)!;
    const usage = process.cpuUsage();
    const until = performance.now() + 300;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const burnt = process.cpuUsage(usage);
    const grew = processCpuMicros(process.pid)! - before;
    // /proc counts in clock ticks (10 ms): within a few ticks of what Node itself measured
    expect(grew).toBeGreaterThan(burnt.user + burnt.system - 50_000);
    expect(grew).toBeLessThan(burnt.user + burnt.system + 50_000);
  });

  it("is undefined for a process that does not exist", () => {
    expect(processCpuMicros(2 ** 22 + 12345)).toBeUndefined();
  });
});
