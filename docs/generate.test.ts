// The generated references may not drift: each committed file must equal what docs/generate.ts writes now.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { defaultBuiltins } from "../engine/builtins/index.js";
import { normalizeConfig } from "../gateway/config.js";
import { EXAMPLE_CONFIG, generatedFiles, ROOT, signature } from "./generate.js";

const REGENERATE = "stale: run `node --import tsx docs/generate.ts` and commit the result";

describe("generated docs", () => {
  for (const f of generatedFiles()) {
    it(`${relative(ROOT, f.path)} is up to date`, () => {
      let committed = "";
      try {
        committed = readFileSync(f.path, "utf8");
      } catch {
        // missing: stale
      }
      expect(committed === f.content, `${relative(ROOT, f.path)} is ${REGENERATE}`).toBe(true);
    });
  }

  it("lists every built-in with its signature", () => {
    const text = generatedFiles()[0]!.content;
    for (const d of defaultBuiltins().all()) expect(text).toContain(`\`${signature(d).replace(/\|/g, "\\|")}\``);
  });

  it("documents every configuration field", () => {
    const text = generatedFiles()[1]!.content;
    for (const field of ["listen.port", "policies.git.url", "identity.providers[].audience", "connections[].credential.env", "store.url", "limits.body_size", "log.level"]) {
      expect(text).toContain(`| \`${field}\``);
    }
  });

  it("shows an example configuration the gateway accepts", () => {
    const config = normalizeConfig(yaml.load(EXAMPLE_CONFIG), { file: "example.yaml", baseDir: "/srv/guard" });
    expect(config.connections.map((c) => c.name)).toEqual(["claude", "github"]);
    expect(config.store.kind).toBe("postgres");
    expect(generatedFiles()[1]!.content).toContain(EXAMPLE_CONFIG.trimEnd());
  });
});
