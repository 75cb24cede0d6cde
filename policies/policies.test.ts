// The shipped policy pack: its own guard tests (unit and property) pass with full coverage, and the secret patterns
// of policies/claude/data.yaml mask a realistic sample of every kind of secret and leave ordinary text alone.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, ensureBuilt, guard } from "../cli/test/helpers.js";
import { loadBundle } from "../engine/bundle.js";
import { Policy } from "../engine/engine.js";
import { fromJSON, toJSON } from "../engine/value/value.js";
import { BENIGN, SECRETS } from "./test/corpus.js";

const POLICIES = join(ROOT, "policies");

interface TestReport {
  results: { name: string; status: string }[];
  coverage: { coverage: number; files: Record<string, { coverage: number; not_covered: number[] }> };
}

describe("guard test policies", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it("passes every test and property with 100% coverage", () => {
    const r = guard(["test", "policies", "--coverage", "--format", "json"], ROOT);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as TestReport;
    const failed = report.results.filter((t) => t.status !== "pass");
    expect(failed).toEqual([]);
    expect(r.status).toBe(0);
    const names = report.results.map((t) => t.name);
    for (const pkg of ["claude", "github"]) {
      expect(names.filter((n) => n.startsWith(`data.guard.${pkg}_test.test_`)).length).toBeGreaterThan(10);
      expect(names.filter((n) => n.startsWith(`data.guard.${pkg}_test.prop_`)).length).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(report.coverage.files).sort()).toEqual(["policies/claude/policy.guard", "policies/github/policy.guard", "policies/lib/ci.guard"]);
    for (const [file, c] of Object.entries(report.coverage.files)) expect({ file, notCovered: c.not_covered }).toEqual({ file, notCovered: [] });
    expect(report.coverage.coverage).toBe(100);
  }, 180_000);

  it("is clean under check --strict and fmt --check", () => {
    const check = guard(["check", "--strict", "policies"], ROOT);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    const fmt = guard(["fmt", "--check", "policies"], ROOT);
    expect(fmt.status).toBe(0);
  }, 60_000);
});

// --- the secret corpus: policies/test/corpus.ts ---

describe("secret_patterns (policies/claude/data.yaml)", () => {
  const bundle = loadBundle(POLICIES, { tests: false });
  const policy = Policy.compile(bundle.sources, { data: bundle.data });
  const mask = toJSON(policy.evaluate(["guard", "claude", "decision", "mask"], { input: fromJSON({}) })!) as { name: string; pattern: string; replacement: string }[];

  /** The names of the mask patterns matching `text`, as the engine's regex.match (RE2) decides. */
  const matches = (text: string): string[] => {
    const rows = policy.query("some m in data.guard.claude.decision.mask; regex.match(m.pattern, input.text); name := m.name", { input: fromJSON({ text }) });
    return rows.map((b) => toJSON(b["name"]!) as string);
  };

  it("the decision's mask is built from every pattern (max_length carried as maxLength)", () => {
    const patterns = (bundle.data["claude"] as { secret_patterns: { name: string; pattern: string; max_length?: number }[] }).secret_patterns;
    expect(mask).toEqual(
      patterns.map(({ max_length, ...p }) => ({ ...p, replacement: `[MASKED:${p.name}]`, ...(max_length !== undefined ? { maxLength: max_length } : {}) })),
    );
    expect(mask.filter((m) => "maxLength" in m).map((m) => m.name)).toEqual(["private_key", "jwt", "secret_assignment", "secret_env_assignment"]);
  });

  it("covers every kind of secret in the corpus", () => {
    const kinds = new Set(SECRETS.map(([name]) => name));
    expect([...kinds].sort()).toEqual(mask.map((m) => m.name).sort());
  });

  it.each(SECRETS)("masks a %s: bare, in prose and in code", (name, sample) => {
    expect(matches(sample)).toContain(name);
    expect(matches(`Here is my config, why does it fail?\n\n${sample}\n\nThanks!`)).toContain(name);
    expect(matches(`const config = { value: \`${sample}\` };`).length).toBeGreaterThan(0);
  });

  it.each(BENIGN.map((t, i) => [i, t] as const))("leaves benign text %i alone", (_, text) => {
    expect(matches(text)).toEqual([]);
  });
});
