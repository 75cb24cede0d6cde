import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

const UGLY = "package a\nallow if   input.x==1 # why\nq:=[1,\n2]\n";
const PRETTY = "package a\n\nallow if input.x == 1 # why\n\nq := [\n\t1,\n\t2,\n]\n";
const CLEAN = "package b\n\np := 1\n";
const BROKEN = "package c\n\nallow {\n\ttrue\n}\n";

let dirs: string[] = [];
function dir(files: Record<string, string>): string {
  const d = fixture(files);
  dirs.push(d);
  return d;
}

beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe("guard fmt", () => {
  it("prints the formatted text of a file", () => {
    const d = dir({ "a.rego": UGLY });
    const r = guard(["fmt", "a.rego"], d);
    expect(r).toEqual({ status: 0, stdout: PRETTY, stderr: "" });
    expect(readFileSync(join(d, "a.rego"), "utf8")).toBe(UGLY);
  });

  it("searches directories for .rego and .guard files, skipping node_modules and dot-directories", () => {
    const d = dir({
      "x/a.rego": UGLY,
      "x/y/b.guard": CLEAN,
      "x/notes.txt": "not policy",
      "x/node_modules/m.rego": "this is not parsed",
      "x/.git/h.rego": "neither is this",
    });
    const r = guard(["fmt", "x"], d);
    expect(r).toEqual({ status: 0, stdout: PRETTY + CLEAN, stderr: "" });
    // no path: the current directory
    expect(guard(["fmt", "--check"], join(d, "x"))).toEqual({ status: 1, stdout: "a.rego\n", stderr: "" });
  });

  it("--check lists the files that are not formatted and exits 1", () => {
    const d = dir({ "a.rego": UGLY, "b.guard": CLEAN });
    expect(guard(["fmt", "--check", "."], d)).toEqual({ status: 1, stdout: "a.rego\n", stderr: "" });
    expect(guard(["fmt", "--check", "b.guard"], d)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(readFileSync(join(d, "a.rego"), "utf8")).toBe(UGLY);
  });

  it("--diff prints a unified diff and exits 1", () => {
    const d = dir({ "a.rego": UGLY, "b.guard": CLEAN });
    const r = guard(["fmt", "--diff"], d);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "--- a/a.rego",
        "+++ b/a.rego",
        "@@ -1,4 +1,8 @@",
        " package a",
        "-allow if   input.x==1 # why",
        "-q:=[1,",
        "-2]",
        "+",
        "+allow if input.x == 1 # why",
        "+",
        "+q := [",
        "+\t1,",
        "+\t2,",
        "+]",
        "",
      ].join("\n"),
    );
    expect(guard(["fmt", "--diff", "b.guard"], d)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("--diff keeps 3 lines of context and splits distant changes into hunks", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `r${i} := ${i}`);
    const src = `package a\n\n${lines.join("\n")}\nlast:=1\n`.replace("r0 := 0", "r0:=0");
    const d = dir({ "a.rego": src });
    const r = guard(["fmt", "--diff", "a.rego"], d);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      [
        "--- a/a.rego",
        "+++ b/a.rego",
        "@@ -1,6 +1,6 @@",
        " package a",
        " ",
        "-r0:=0",
        "+r0 := 0",
        " r1 := 1",
        " r2 := 2",
        " r3 := 3",
        "@@ -12,4 +12,4 @@",
        " r9 := 9",
        " r10 := 10",
        " r11 := 11",
        "-last:=1",
        "+last := 1",
        "",
      ].join("\n"),
    );
  });

  it("--write rewrites only the files that change and prints their names", () => {
    const d = dir({ "a.rego": UGLY, "b.guard": CLEAN });
    const before = statSync(join(d, "b.guard")).mtimeMs;
    expect(guard(["fmt", "--write", "."], d)).toEqual({ status: 0, stdout: "a.rego\n", stderr: "" });
    expect(readFileSync(join(d, "a.rego"), "utf8")).toBe(PRETTY);
    expect(readFileSync(join(d, "b.guard"), "utf8")).toBe(CLEAN);
    expect(statSync(join(d, "b.guard")).mtimeMs).toBe(before);
    // formatted now
    expect(guard(["fmt", "--check", "."], d)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(guard(["fmt", "--write", "."], d)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("reports a file with syntax errors, never rewrites it, goes on with the others and exits 2", () => {
    const d = dir({ "a.rego": UGLY, "bad.rego": BROKEN });
    const r = guard(["fmt", "--write", "."], d);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("a.rego\n");
    expect(r.stderr).toBe(
      [
        "bad.rego:3:7: error[rego-v0-syntax]: Rego v0 syntax: a rule body needs `if` before it in Rego v1",
        "  |",
        "3 | allow {",
        "  |       ^",
        "  = hint: write `allow if { … }`",
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(d, "bad.rego"), "utf8")).toBe(BROKEN);
    expect(readFileSync(join(d, "a.rego"), "utf8")).toBe(PRETTY);

    for (const mode of [[], ["--check"], ["--diff"]]) {
      const r2 = guard(["fmt", ...mode, "bad.rego"], d);
      expect(r2.status).toBe(2);
      expect(r2.stdout).toBe("");
      expect(r2.stderr).toContain("bad.rego:3:7: error[rego-v0-syntax]");
    }
  });

  it("rejects unknown options, several modes and missing paths with exit 2", () => {
    const d = dir({ "a.rego": CLEAN });
    const bad = guard(["fmt", "--frobnicate"], d);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("guard fmt: unknown option `--frobnicate`");
    expect(bad.stderr).toContain("Usage: guard fmt");
    expect(guard(["fmt", "--check", "--write"], d).status).toBe(2);
    const missing = guard(["fmt", "nope.rego"], d);
    expect(missing).toEqual({ status: 2, stdout: "", stderr: "guard fmt: no such file or directory: nope.rego\n" });
  });

  it("prints its usage with --help", () => {
    const r = guard(["fmt", "--help"], process.cwd());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: guard fmt [paths…] [--check | --diff | --write]");
  });
});

