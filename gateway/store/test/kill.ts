// The kill -9 durability check, shared by both stores' tests: a child appends in a loop, printing each acknowledged
// seq; it is SIGKILLed mid-stream; every acknowledged record must then be in the store, and the chain intact.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "append-loop.ts");

/** Runs the append loop on `spec` until `acks` appends are acknowledged (or `timeoutMs`), then kills it with SIGKILL. */
export async function appendThenKill(spec: string, acks: number, timeoutMs = 45_000): Promise<number[]> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, spec], { stdio: ["ignore", "pipe", "pipe"] });
  const acked: number[] = [];
  let stderr = "";
  let buffered = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the append loop acknowledged ${acked.length} appends in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const l of lines) acked.push(Number(l));
      if (acked.length >= acks && child.exitCode === null && !child.killed) {
        child.kill("SIGKILL"); // mid-stream: the loop is appending as it dies
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      if (acked.length < acks) {
        clearTimeout(timer);
        reject(new Error(`the append loop exited (${code}) after ${acked.length} appends; stderr: ${stderr}`));
      }
    });
  });
  const { signal } = await exited;
  if (signal !== "SIGKILL") throw new Error(`the append loop ended with ${String(signal)}, not SIGKILL`);
  return acked;
}
