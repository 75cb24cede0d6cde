import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundle, loadBundles } from "./bundle.js";

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "guard-bundle-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("bundles", () => {
  it("places data files at their directory's path and reads policies, tests optional", () => {
    const root = dir({
      "authz/p.rego": "package authz\n",
      "authz/p_test.rego": "package authz\n",
      "authz/data.json": '{"admins": ["a"]}',
      "roles/data.yaml": "dev: [read]\n",
      ".hidden/x.rego": "package x\n",
    });
    const b = loadBundle(root);
    expect(b.errors).toEqual([]);
    expect(b.sources.map((s) => s.file.slice(root.length + 1)).sort()).toEqual(["authz/p.rego", "authz/p_test.rego"]);
    expect(b.data).toEqual({ authz: { admins: ["a"] }, roles: { dev: ["read"] } });
    expect(loadBundle(root, { tests: false }).sources).toHaveLength(1);
  });

  it("reports data files that are not valid, and keeps reading", () => {
    const b = loadBundle(dir({ "a/data.json": "{nope", "b/data.json": '{"x": 1}' }));
    expect(b.errors.map((e) => e.message)).toEqual([expect.stringMatching(/a\/data\.json: not valid JSON/)]);
    expect(b.data).toEqual({ b: { x: 1 } });
  });

  it("merges several bundles' data, and reports a path defined by two of them", () => {
    const one = dir({ "a/data.json": '{"x": 1}' });
    const two = dir({ "b/data.json": '{"y": 2}' });
    expect(loadBundles([one, two]).data).toEqual({ a: { x: 1 }, b: { y: 2 } });
    const clash = dir({ "a/data.json": '{"x": 3}' });
    expect(loadBundles([one, clash]).errors.map((e) => e.message)).toEqual([expect.stringMatching(/data\.a\.x is defined twice/)]);
  });
});
