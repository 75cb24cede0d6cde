import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, guard, ROOT } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("guard", () => {
  it("prints the version of the package", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(guard(["--version"], ROOT)).toEqual({ status: 0, stdout: `guard ${version}\n`, stderr: "" });
  });

  it("prints the usage with help or --help", () => {
    for (const args of [["help"], ["--help"], ["-h"]]) {
      const r = guard(args, ROOT);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: guard <command>/);
      expect(r.stdout).toContain("  fmt ");
      expect(r.stdout).toContain("  parse ");
    }
    expect(guard(["help", "parse"], ROOT).stdout).toMatch(/^Usage: guard parse FILE/);
  });

  it("prints the usage on stderr and exits 2 on an unknown command or none", () => {
    const r = guard(["frobnicate"], ROOT);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^guard: unknown command `frobnicate`\n\nUsage: guard <command>/);
    const none = guard([], ROOT);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^Usage: guard <command>/);
  });
});
