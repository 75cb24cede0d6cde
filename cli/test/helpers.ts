// Test helpers for the CLI: run the real `bin/guard.js` (compiled on demand) in fixture directories.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "guard.js");
const MAIN = join(ROOT, "dist", "cli", "main.js");
const LOCK = join(ROOT, "dist", ".cli-test-build.lock");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "test") newest = Math.max(newest, newestSource(join(dir, entry.name)));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function stale(): boolean {
  if (!existsSync(MAIN)) return true;
  const built = statSync(MAIN).mtimeMs;
  return ["cli", "lang", "engine", "conformance", "gateway"].some((d) => newestSource(join(ROOT, d)) > built);
}

/** Compiles the project (`npm run build`) when dist/cli is missing or older than the sources it runs. */
export function ensureBuilt(): void {
  if (!stale()) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  // one build at a time across test files running in parallel
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!stale()) return;
    try {
      execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], {
        cwd: ROOT,
        stdio: "pipe",
      });
    } catch (e) {
      // type errors elsewhere in the project still emit JavaScript; only a missing CLI is fatal
      if (!existsSync(MAIN)) throw e;
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/guard.js …args` in `cwd`. */
export function guard(args: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory holding `files` (relative path → content). */
export function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "guard-cli-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
