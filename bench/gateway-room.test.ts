// The gateway report's "room left" lines: the CPU budget the throughput aim leaves a target, and whether the bare
// proxy itself meets the latency aim, computed from the cells measured in the same run.
import { describe, expect, it } from "vitest";
import { roomLeft, type Cell, type Row } from "./gateway.js";

const cell = (over: Partial<Cell>): Cell => ({ rps: 1000, cpuUs: 0, loadCpuUs: 0, sendLagMs: NaN, p50: 0, p99: 0, p50us: 0, p99us: 0, errors: 0, ...over });
const sync = { syncs: 2000, bytes: 512, p50: 0.15, p99: 0.9, max: 3 };

function rows(bareAddedP99: number): Row[] {
  return [
    {
      label: "1000 req/s, JSON",
      kind: "paced",
      variants: true,
      cells: [cell({ p99us: 2 }), cell({ p99us: 2 + bareAddedP99, sendLagMs: 4.5 }), cell({ p99us: 20 })],
      peerCells: [],
    },
    {
      label: "saturation, JSON",
      kind: "saturation",
      variants: true,
      // direct (the upstream's CPU per request), bare, Guard, Guard unrecorded, Guard in memory
      cells: [cell({ cpuUs: 40 }), cell({ cpuUs: 48, loadCpuUs: 40 }), cell({ cpuUs: 400 }), cell({ cpuUs: 300 }), cell({ cpuUs: 240 })],
      peerCells: [],
    },
  ];
}

describe("roomLeft", () => {
  it("gives the CPU per request that 80% of the bare proxy's throughput allows on shared cores", () => {
    const text = roomLeft(rows(0.5), sync, 1000).join("\n");
    // (48 + 40 + 40) / 0.8 − 40 − 40 = 80
    expect(text).toContain("= **80 µs** per request");
    expect(text).toContain("Guard spends 400");
    expect(text).toContain("still spends 240, 3.0x that budget");
    expect(text).toContain("0.15 ms at p50 and 0.90 ms at p99");
  });

  it("says whether the bare proxy itself meets the latency aim", () => {
    expect(roomLeft(rows(0.5), sync, 1000).join("\n")).toContain("The bare proxy meets the latency aim here.");
    expect(roomLeft(rows(1.8), sync, 1000).join("\n")).toContain("not met by the bare proxy either");
    expect(roomLeft(rows(1.8), sync, 1000).join("\n")).toContain("up to 4.50 ms behind their due time");
  });

  it("leaves out what the run did not measure", () => {
    const text = roomLeft([], sync, 1000).join("\n");
    expect(text).toContain("fdatasync");
    expect(text).not.toContain("bare proxy, which does nothing");
    expect(text).not.toContain("µs** per request");
  });
});
