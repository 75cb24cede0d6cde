// The extension's formatter (format.cjs) against the real `guard fmt`: formats, keeps .rego, reports syntax errors
// and a missing command without throwing.
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../../cli/test/helpers.js";

interface FormatResult {
  ok: boolean;
  formatted?: string;
  message?: string;
}
const { formatWithGuard } = createRequire(join(ROOT, "editors", "vscode", "format.cjs"))("./format.cjs") as {
  formatWithGuard(text: string, options?: { command?: string; fileName?: string; cwd?: string; timeoutMs?: number }): Promise<FormatResult>;
};
const command = join(ROOT, "bin", "guard.js");

describe("the extension's formatter", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it("returns guard fmt's canonical text", async () => {
    const r = await formatWithGuard("package   demo\nallow if {input.x==1}\n", { command, fileName: "/w/demo.guard", timeoutMs: 30_000 });
    expect(r).toEqual({ ok: true, formatted: "package demo\n\nallow if {\n\tinput.x == 1\n}\n" });
  });

  it("formats .rego documents too, and leaves formatted text unchanged", async () => {
    const text = "package demo\n\nallow if input.x == 1\n";
    expect(await formatWithGuard(text, { command, fileName: "policy.rego", timeoutMs: 30_000 })).toEqual({ ok: true, formatted: text });
  });

  it("reports syntax errors, naming the document", async () => {
    const r = await formatWithGuard("package demo\nallow input.x\n", { command, fileName: "/w/broken.guard", timeoutMs: 30_000 });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/syntax errors/);
    expect(r.message).toContain("/w/broken.guard:2:");
  });

  it("says so when the guard command cannot be found", async () => {
    const r = await formatWithGuard("package demo\n", { command: "/nonexistent/guard" });
    expect(r).toEqual({ ok: false, message: "cannot run `/nonexistent/guard`: set guard.path to the guard command" });
  });
});
