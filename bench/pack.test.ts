// The pack benchmark's equivalence check, without timing: the hand-written function (bench/pack/handwritten.ts)
// and the reference interpreter return exactly Guard compiled's decision document for data.guard.claude.decision on
// the benchmark's inputs and on generated ones; the inputs cover every class and outcome.
import { describe, expect, it } from "vitest";
import { checkEquivalence, compare, loadPack, normalize } from "./pack/check.js";
import { claudeDecider, loadClaudeData, re2ToRegExp } from "./pack/handwritten.js";
import { INPUT_CLASSES, packCases } from "./pack/inputs.js";

describe("pack benchmark", () => {
  const pack = loadPack();
  const cases = packCases();

  it("has inputs of every class, denied, allowed and needing approval", () => {
    expect(cases.length).toBeGreaterThanOrEqual(18);
    for (const c of INPUT_CLASSES) expect(cases.some((k) => k.class === c), c).toBe(true);
    const outcome = (i: number) => pack.handwritten(cases[i]!.input as unknown as Record<string, unknown>);
    const decisions = cases.map((_, i) => outcome(i));
    for (const [i, c] of cases.entries()) {
      const d = decisions[i]!;
      if (c.class === "allowed") expect(d.allow && d.require_approval === undefined, c.name).toBe(true);
      else if (c.class === "production (approval)") expect(d.allow && d.require_approval !== undefined, c.name).toBe(true);
      else if (c.class !== "long conversation") expect(d.allow, c.name).toBe(false);
    }
    expect(decisions.filter((d) => d.mask.length >= 10).length).toBe(cases.length);
  });

  it("agrees with Guard compiled and the reference interpreter on every input and on generated ones", () => {
    const r = checkEquivalence(pack, { cases, generated: 250 });
    expect(r.cases).toBe(cases.length);
    expect(r.generated).toBe(250);
    // the generated inputs exercise every outcome and the prompt patterns
    expect(r.denied).toBeGreaterThan(25);
    expect(r.allowed).toBeGreaterThan(25);
    expect(r.approval).toBeGreaterThan(3);
    expect(r.exfiltration).toBeGreaterThan(3);
    expect(r.production).toBeGreaterThan(3);
  }, 120_000);

  it("catches a hand-written function that differs", () => {
    const data = loadClaudeData();
    const wrong = claudeDecider({ ...data, max_tokens: data.max_tokens + 1 });
    const over = structuredClone(cases.find((c) => c.name === "100k")!.input);
    over.llm!.max_tokens = data.max_tokens + 1;
    const m = compare({ ...pack, handwritten: wrong }, over, false);
    expect(m?.engine).toBe("hand-written");
    expect(normalize({ deny: ["b", "a"] })).toEqual({ deny: ["a", "b"] });
  });

  it("reads the pack's RE2 patterns as JavaScript RegExps with their flags", () => {
    expect(re2ToRegExp("(?i)abc").flags).toBe("i");
    expect(re2ToRegExp("(?s)a.b").flags).toBe("s");
    expect(() => re2ToRegExp("a(?i)b")).toThrow(/unsupported/);
  });
});
