// The compile benchmark's generated bundles: deterministic, of the size asked, valid, and decided the same way by
// both engines. No timing here.
import { describe, expect, it } from "vitest";
import { Policy } from "../engine/engine.js";
import { fromJSON, toJSON } from "../engine/value/value.js";
import { generateBundle } from "./compile-scale.js";

describe("compile-scale benchmark", () => {
  it("generates the same bundle every time, with the number of rules asked", () => {
    expect(generateBundle(300).sources).toEqual(generateBundle(300).sources);
    for (const n of [100, 1_000, 10_000]) expect(generateBundle(n).rules).toBe(n);
  });

  it("generates bundles that compile and decide alike with both engines", () => {
    for (const n of [100, 400]) {
      const b = generateBundle(n);
      const policy = Policy.compile(b.sources, { data: b.data });
      const input = fromJSON(b.input);
      const compiled = toJSON(policy.entrypoint(b.decision)(input)!);
      expect(compiled).toEqual(toJSON(policy.entrypoint(b.decision, { engine: "reference" })(input)!));
      expect(compiled).toMatchObject({ allow: true, deny: [] });
      expect((compiled as { warn: unknown[] }).warn.length).toBeGreaterThan(0);
    }
  });
});
