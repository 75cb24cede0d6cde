// Runs `guard gateway` as a process, as operators do: resolves with its address once the banner is printed.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers.js";

export function startGateway(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; address: string; banner: string }> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "guard.js"), "gateway", ...args], { cwd, env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)[\s\S]*Metrics: \S+\n/.exec(out);
      if (m) resolve({ child, address: m[1]!, banner: out });
    });
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}
