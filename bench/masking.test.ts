// The masking benchmark's workload and passes: the pack's patterns compile, the generated stream carries its text
// and secrets, the masked stream is maskText of that text, and the baseline reproduces the stream. No timing here.
import { describe, expect, it } from "vitest";
import { maskJson } from "../gateway/masking/json-body.js";
import { checkMasking, maskingWorkload, maskStream, packMaskRules, packMasker, policyInput, sseOnly, streamText } from "./masking.js";

describe("masking benchmark", () => {
  const w = maskingWorkload(400_000, { secretEvery: 5_000 });
  const masker = packMasker();

  it("uses the pack's secret patterns", () => {
    const rules = packMaskRules();
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(rules[0]!.replacement).toBe(`[MASKED:${rules[0]!.name}]`);
    expect(masker.patterns.length).toBe(rules.length);
  });

  it("generates a stream that carries its text and every kind of secret", async () => {
    expect(w.wireBytes).toBeGreaterThanOrEqual(400_000);
    expect(new Set(w.secrets.map((s) => s.name)).size).toBe(8);
    expect(streamText(Buffer.concat(w.chunks).toString("utf8"))).toBe(w.text);
    expect(maskingWorkload(100_000).chunks).toEqual(maskingWorkload(100_000).chunks);
  });

  it("masks every secret in the stream, as maskText does", async () => {
    await checkMasking(w, masker);
    const out = await maskStream(w, masker);
    for (const s of w.secrets) expect(out).toContain(`[MASKED:${s.name}]`);
  });

  it("re-serializes the stream unchanged in the baselines", async () => {
    expect(await sseOnly(w, false)).toBe(w.wireBytes);
    expect(await sseOnly(w, true)).toBe(w.wireBytes);
  });

  it("measures maskJson on a policy input of ~1.4 KB and 42 strings, which holds no secret", () => {
    const input = policyInput();
    expect(JSON.stringify(input).length).toBeGreaterThan(1300);
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
    };
    walk(input);
    expect(strings.length).toBe(42);
    expect(maskJson(input, masker)).toEqual({ value: input, hits: [] });
  });
});
