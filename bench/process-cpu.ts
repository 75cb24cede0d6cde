// The CPU time a process has used (all its threads, user and system), from Linux's /proc/PID/stat: the gateway
// benchmark divides it by the requests served to give CPU µs per request, a figure that moves far less with the
// machine's noise than latency or throughput do. Undefined where there is no /proc.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // USER_HZ on Linux
    }
  }
  return ticksPerSecond;
}

/** Microseconds of CPU the process has used so far, or undefined when it cannot be read. */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1e6) / clockTicks();
}
