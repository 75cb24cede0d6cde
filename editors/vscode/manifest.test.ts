// The extension's manifest holds together: the files it names exist and agree with each other.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../docs/generate.js";

const DIR = join(ROOT, "editors", "vscode");
const json = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8")) as Record<string, unknown>;

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
}

describe("the VS Code extension's manifest", () => {
  const manifest = json("package.json") as unknown as Manifest;

  it("contributes the guard language for .guard files (and rego for .rego)", () => {
    const byId = Object.fromEntries(manifest.contributes.languages.map((l) => [l.id, l]));
    expect(byId.guard?.extensions).toEqual([".guard"]);
    expect(byId.rego?.extensions).toEqual([".rego"]);
    for (const l of manifest.contributes.languages) expect(existsSync(join(DIR, l.configuration)), l.configuration).toBe(true);
    for (const id of Object.keys(byId)) expect(manifest.activationEvents).toContain(`onLanguage:${id}`);
  });

  it("points each language at the grammar, by its scope name", () => {
    const grammar = json("syntaxes/guard.tmLanguage.json");
    for (const g of manifest.contributes.grammars) {
      expect(existsSync(join(DIR, g.path)), g.path).toBe(true);
      expect(g.scopeName).toBe(grammar.scopeName);
    }
    expect(manifest.contributes.grammars.map((g) => g.language).sort()).toEqual(["guard", "rego"]);
  });

  it("has a language configuration with # comments, brackets and auto-closing pairs", () => {
    const config = json("language-configuration.json") as { comments: { lineComment: string }; brackets: string[][]; autoClosingPairs: { open: string }[] };
    expect(config.comments.lineComment).toBe("#");
    expect(config.brackets).toEqual([["{", "}"], ["[", "]"], ["(", ")"]]);
    expect(config.autoClosingPairs.map((p) => p.open)).toEqual(["{", "[", "(", '"', "`"]);
  });

  it("ships its entry point, and settings with defaults", () => {
    expect(existsSync(join(DIR, manifest.main))).toBe(true);
    expect(manifest.contributes.configuration.properties["guard.path"]?.default).toBe("guard");
    const source = readFileSync(join(DIR, manifest.main), "utf8");
    expect(source).toContain("registerDocumentFormattingEditProvider");
    expect(source).toContain('require("./format.cjs")');
  });
});
