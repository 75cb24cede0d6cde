// decide(): the decision document as JSON. A member the engine computes once (a rule on data alone, such as a pack's
// `mask` list) comes back as the same frozen JSON object every time, so that maskerFor knows it at a glance; the
// document is otherwise exactly toJSON of what the policy evaluated to.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromJSON, toJSON } from "../engine/value/value.js";
import { loadPolicyBundle, type PolicyBundle } from "./bundle.js";
import { decide } from "./decision.js";
import { maskerFor } from "./guardrails.js";
import type { PolicyInput } from "./input.js";

const POLICY = `package guard.claude

masks := [m | some p in data.claude.patterns; m := {"name": p.name, "pattern": p.pattern}]

deny contains msg if {
	not input.llm.model in data.claude.models
	msg := sprintf("model %v is not allowed", [input.llm.model])
}

decision := {"allow": count(deny) == 0, "deny": deny, "mask": masks, "echo": {"model": input.llm.model}}
`;

function bundle(patterns: { name: string; pattern: string }[]): PolicyBundle {
  const dir = mkdtempSync(join(tmpdir(), "guard-decision-"));
  const files = { "claude/policy.guard": POLICY, "claude/data.json": JSON.stringify({ models: ["m1"], patterns }) };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const r = loadPolicyBundle(dir, { runTests: false });
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.bundle;
}

const ENTRYPOINT = ["guard", "claude", "decision"];
const input = (model: string) => ({ llm: { model } }) as unknown as PolicyInput;
const decideOn = (b: PolicyBundle, model: string) => decide(b, ENTRYPOINT, input(model), { timeoutMs: 1000, maxSteps: 1_000_000 });
const patterns = [
  { name: "aws", pattern: "AKIA[0-9A-Z]{16}" },
  { name: "gh", pattern: "ghp_[A-Za-z0-9]{36}" },
];

describe("decide: the decision document", () => {
  it("is toJSON of the evaluated document", () => {
    const b = bundle(patterns);
    for (const model of ["m1", "m2", "m1"]) {
      const d = decideOn(b, model);
      const expected = toJSON(b.policy.evaluate(ENTRYPOINT, { input: fromJSON(input(model)), strictBuiltinErrors: true })!);
      expect(d.document).toEqual(expected);
      expect(d.outcome).toBe(model === "m1" ? "allow" : "deny");
    }
  });

  it("gives a member computed from data alone as the same frozen JSON every time; members on the input are new", () => {
    const b = bundle(patterns);
    const first = decideOn(b, "m1").document as { mask: unknown; echo: { model: string } };
    const second = decideOn(b, "m2").document as { mask: unknown; echo: { model: string } };
    expect(second.mask).toBe(first.mask);
    expect(Object.isFrozen(first.mask)).toBe(true);
    expect(Object.isFrozen((first.mask as object[])[0])).toBe(true);
    expect(() => ((first.mask as { name: string }[])[0]!.name = "changed")).toThrow(TypeError);
    expect(second.echo).toEqual({ model: "m2" });
    expect(second.echo).not.toBe(first.echo);
    // and maskerFor serves the same masker for it
    const a = maskerFor(first);
    const c = maskerFor(second);
    expect(a.ok && c.ok && a.masker).toBe(c.ok && c.masker);
  });

  it("does not carry a member over to another bundle, even an equal one", () => {
    const one = decideOn(bundle(patterns), "m1").document as { mask: unknown };
    const other = decideOn(bundle([...patterns, { name: "slack", pattern: "xox[bp]-[0-9A-Za-z-]{10,}" }]), "m1").document as { mask: unknown[] };
    expect(other.mask).toHaveLength(3);
    const again = decideOn(bundle(patterns), "m1").document as { mask: unknown };
    expect(again.mask).not.toBe(one.mask);
    expect(again.mask).toEqual(one.mask);
  });
});
