// docs/tutorial.md, run: in a temporary directory, blocks with `file=PATH` are written to PATH and the commands of
// ```sh runnable blocks are run in order, with `guard` on the PATH (the built bin/guard.js). After a command,
// `# → TEXT` lines must appear in its output (stdout and stderr) and `# exit: N` gives its exit status (default
// 0). A command ending in `&` is started in the background (and stopped by `kill %1`, or after the last block).
// Port 8787 is replaced everywhere by a free port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/test/helpers.js";
import { parseModule } from "../lang/parse.js";
import { ROOT } from "./generate.js";
import { fencedBlocks, type FencedBlock } from "./markdown.js";

const DOC_PORT = "8787";
const blocks = fencedBlocks(readFileSync(join(ROOT, "docs", "tutorial.md"), "utf8"));

interface Command {
  text: string;
  expect: string[];
  exit: number;
}

/** The commands of a runnable block, each with the expectations written under it. */
export function commands(body: string): Command[] {
  const out: Command[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const arrow = /^\s*#\s*→\s?(.*)$/.exec(line);
    const exit = /^\s*#\s*exit:\s*(\d+)\s*$/.exec(line);
    if (arrow || exit) {
      const last = out.at(-1);
      if (!last) throw new Error(`an expectation before any command: ${line}`);
      if (arrow) last.expect.push(arrow[1]!);
      else last.exit = Number(exit![1]);
      continue;
    }
    if (/^\s*#/.test(line)) continue;
    let text = line;
    while (text.endsWith("\\") && i + 1 < lines.length) text = text.slice(0, -1) + "\n" + lines[++i]!;
    out.push({ text, expect: [], exit: 0 });
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

describe("docs/tutorial.md", () => {
  let dir = "";
  let env: NodeJS.ProcessEnv = {};
  let port = "";
  const background: ChildProcess[] = [];

  const stopBackground = async () => {
    for (const p of background.splice(0)) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((done) => p.once("exit", done));
      p.kill("SIGTERM");
      await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    }
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "guard-tutorial-"));
    const bin = join(dir, ".bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "guard"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "bin", "guard.js"))} "$@"\n`);
    chmodSync(join(bin, "guard"), 0o755);
    port = String(await freePort());
    const { ANTHROPIC_API_KEY: _key, GUARD_AUDIENCE: _aud, ...rest } = process.env;
    env = { ...rest, PATH: `${bin}:${process.env.PATH ?? ""}` };
  }, 180_000);

  afterAll(async () => {
    await stopBackground();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const local = (text: string) => text.split(DOC_PORT).join(port);

  it("has runnable steps, files, and the workflow", () => {
    expect(blocks.filter((b) => b.lang === "sh" && b.attrs.runnable).length).toBeGreaterThanOrEqual(6);
    expect(blocks.filter((b) => typeof b.attrs.file === "string").length).toBeGreaterThanOrEqual(5);
    const workflow = blocks.find((b) => b.lang === "yaml" && b.body.includes("id-token: write"));
    expect(workflow?.body).toContain("ANTHROPIC_BASE_URL: https://guard.example/claude");
    expect(workflow?.body).toContain("ANTHROPIC_AUTH_TOKEN");
    expect(workflow?.body).toContain("audience=guard");
  });

  it("has only examples that parse: policies and the workflow", () => {
    for (const b of blocks.filter((x) => x.lang === "rego")) {
      const { diagnostics } = parseModule(b.body, { file: `docs/tutorial.md:${b.line}` });
      expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    }
    for (const b of blocks.filter((x) => x.lang === "yaml")) expect(() => yaml.load(b.body), `docs/tutorial.md:${b.line}`).not.toThrow();
  });

  const steps = blocks.filter((b): b is FencedBlock => typeof b.attrs.file === "string" || (b.lang === "sh" && b.attrs.runnable === true));
  for (const block of steps) {
    const file = block.attrs.file;
    if (typeof file === "string") {
      it(`writes ${file} (line ${block.line})`, () => {
        const path = join(dir, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, local(block.body));
      });
      continue;
    }
    it(`runs the commands at line ${block.line}`, async () => {
      for (const c of commands(block.body)) {
        const text = local(c.text);
        if (text.trim() === "kill %1") {
          await stopBackground();
          continue;
        }
        if (text.trimEnd().endsWith("&")) {
          const log = openSync(join(dir, `.background-${background.length}.log`), "w");
          background.push(spawn("sh", ["-c", `exec ${text.trimEnd().slice(0, -1)}`], { cwd: dir, env, stdio: ["ignore", log, log] }));
          continue;
        }
        const r = spawnSync("sh", ["-c", text], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
        const output = `${r.stdout}${r.stderr}`;
        const logs = background.map((_, i) => {
          try {
            return `\n[background ${i}]\n${readFileSync(join(dir, `.background-${i}.log`), "utf8")}`;
          } catch {
            return "";
          }
        });
        const context = `$ ${text}\n${output}${logs.join("")}`;
        expect(r.status, context).toBe(c.exit);
        for (const want of c.expect) expect(output, context).toContain(local(want));
      }
    }, 120_000);
  }
});
