import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

let d: string;
beforeAll(() => {
  ensureBuilt();
  d = fixture({
    "ok.rego": "package a\nallow if input.x==1\n",
    "bad.rego": "package a\nallow if {\n",
  });
}, 120_000);
afterAll(() => rmSync(d, { recursive: true, force: true }));

describe("guard parse", () => {
  it("prints the syntax tree as JSON by default", () => {
    const r = guard(["parse", "ok.rego"], d);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const tree = JSON.parse(r.stdout) as { kind: string; file: string; package: { path: { head: { name: string } } }; rules: { head: { name: { head: { name: string } } } }[] };
    expect(tree.kind).toBe("module");
    expect(tree.file).toBe("ok.rego");
    expect(tree.package.path.head.name).toBe("a");
    expect(tree.rules.map((rule) => rule.head.name.head.name)).toEqual(["allow"]);
    expect(r.stdout).toContain('\n  "kind": "module",');
    expect(guard(["parse", "--format", "json", "ok.rego"], d).stdout).toBe(r.stdout);
  });

  it("prints the formatted module with --format pretty", () => {
    expect(guard(["parse", "ok.rego", "--format=pretty"], d)).toEqual({
      status: 0,
      stdout: "package a\n\nallow if input.x == 1\n",
      stderr: "",
    });
  });

  it("prints the diagnostics and exits 2 on syntax errors", () => {
    const r = guard(["parse", "bad.rego"], d);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^bad\.rego:2:\d+: error\[[a-z-]+\]: /);
    expect(r.stderr).toContain("2 | allow if {");
  });

  it("rejects bad arguments with exit 2", () => {
    expect(guard(["parse"], d).status).toBe(2);
    expect(guard(["parse", "ok.rego", "bad.rego"], d).status).toBe(2);
    expect(guard(["parse", "--format", "xml", "ok.rego"], d).stderr).toContain("unknown format `xml`");
    expect(guard(["parse", "missing.rego"], d)).toEqual({ status: 2, stdout: "", stderr: "guard parse: cannot read missing.rego: ENOENT\n" });
  });
});
