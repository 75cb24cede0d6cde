import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMasks, type Masker } from "./patterns.js";
import { BENIGN, RULES, SECRETS, SURROUNDINGS } from "./test/patterns.js";

function masker(rules: unknown = RULES): Masker {
  const r = compileMasks(rules);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.masker;
}

describe("compileMasks", () => {
  it("compiles the fixture pack with bounded windows", () => {
    const m = masker();
    expect(m.patterns).toHaveLength(RULES.length);
    for (const p of m.patterns) expect(p.window).toBeGreaterThan(0);
    expect(m.patterns.find((p) => p.name === "aws_access_key_id")).toMatchObject({ maxMatch: 20, replacement: "[MASKED:aws_access_key_id]" });
    expect(m.patterns.find((p) => p.name === "private_key")).toMatchObject({ maxMatch: null, window: 16384 });
    expect(m.window).toBe(16384);
  });

  it("returns errors naming each bad pattern instead of throwing", () => {
    const r = compileMasks([
      { name: "ok", pattern: "abc" },
      { name: "syntax", pattern: "(abc" },
      { name: "lookbehind", pattern: "(?<=a+)b" },
      { name: "empty", pattern: "a*" },
      { name: "backref", pattern: "(a)\\1" },
      { name: "flag", pattern: "(?U)a+" },
      { name: "rep", pattern: "a", replacement: 3 },
      { pattern: "x" },
      { name: "nested", pattern: "(?<=a(?=b))c" },
      { name: "extra", pattern: "a", flags: "g" },
      { name: "len", pattern: "a", maxLength: 0 },
      { name: "posix", pattern: "[[:alpha:]]+" },
      { name: "huge", pattern: "a[\\s\\S]{0,5000000}" },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byIndex = Object.fromEntries(r.errors.map((e) => [e.index, e.message]));
    expect(Object.keys(byIndex).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(byIndex[1]).toMatch(/^mask "syntax": invalid pattern/);
    expect(byIndex[2]).toMatch(/unbounded lookbehind/);
    expect(byIndex[3]).toMatch(/empty string/);
    expect(byIndex[4]).toMatch(/backreferences/);
    expect(byIndex[5]).toMatch(/inline flag "U"/);
    expect(byIndex[6]).toMatch(/replacement must be a string/);
    expect(byIndex[7]).toMatch(/^mask #7: name/);
    expect(byIndex[8]).toMatch(/inside a lookbehind/);
    expect(byIndex[9]).toMatch(/unknown field "flags"/);
    expect(byIndex[10]).toMatch(/maxLength/);
    expect(byIndex[11]).toMatch(/POSIX|invalid/);
    expect(byIndex[12]).toMatch(/hold back/);
  });

  it("rejects a list that is not a list; accepts none", () => {
    expect(compileMasks({ name: "x" }).ok).toBe(false);
    const none = compileMasks(undefined);
    expect(none.ok && none.masker.maskText("AKIAIOSFODNN7EXAMPLE")).toEqual({ text: "AKIAIOSFODNN7EXAMPLE", hits: [] });
  });

  it("accepts RE2 leading inline flags and bounded lookbehind", () => {
    const m = masker([
      { name: "ci", pattern: "(?i)secret-[a-z]{4}" },
      { name: "lb", pattern: "(?<=pw=)[a-z]{3,8}", replacement: "***" },
    ]);
    expect(m.maskText("SECRET-ABCD and pw=hunter and pw=x")).toEqual({
      text: "[MASKED:ci] and pw=*** and pw=x",
      hits: [
        { name: "ci", count: 1 },
        { name: "lb", count: 1 },
      ],
    });
  });
});

describe("maskText", () => {
  const m = masker();

  it.each(SECRETS.map((s) => [s.name, s] as const))("masks %s in every surrounding", (_name, secret) => {
    for (const [before, after] of SURROUNDINGS) {
      const r = m.maskText(before + secret.text + after);
      expect(r.text).not.toContain(secret.leak);
      expect(r.text).toContain(`[MASKED:${secret.name}]`);
      expect(r.hits.find((h) => h.name === secret.name)?.count).toBeGreaterThanOrEqual(1);
    }
  });

  it("leaves benign text unchanged", () => {
    for (const text of BENIGN) expect(m.maskText(text)).toEqual({ text, hits: [] });
  });

  it("is leftmost-first, earlier pattern first on a tie, non-overlapping", () => {
    const t = masker([
      { name: "long", pattern: "abcd" },
      { name: "short", pattern: "ab" },
      { name: "mid", pattern: "bc" },
    ]);
    expect(t.maskText("xabcd abc bcd").text).toBe("x[MASKED:long] [MASKED:short]c [MASKED:mid]d");
  });

  it("counts repeated hits and inserts the replacement literally", () => {
    const t = masker([{ name: "n", pattern: "k(\\d)", replacement: "$1$&" }]);
    expect(t.maskText("k1 k2 k3")).toEqual({ text: "$1$& $1$& $1$&", hits: [{ name: "n", count: 3 }] });
  });
});

describe("maskText against one JavaScript alternation (the reference semantics)", () => {
  /** `P1|P2|…` with String.replace: leftmost-first, the earlier pattern on a tie. */
  function reference(rules: { name: string; pattern: string }[], text: string): string {
    const re = new RegExp(rules.map((r) => `(${r.pattern})`).join("|"), "gu");
    return text.replace(re, (...args) => {
      const g = (args.slice(1, rules.length + 1) as (string | undefined)[]).findIndex((x) => x !== undefined);
      return `[MASKED:${rules[g]!.name}]`;
    });
  }

  it("agrees on random mixes of secrets, near-misses and filler (fixture patterns without flags)", () => {
    const rules = RULES.filter((r) => !r.pattern.startsWith("(?") && r.replacement === undefined);
    const m = masker(rules);
    const pieces = [...SECRETS.map((s) => s.text), "AKIA", "ghp_", "sk-ant-api03-", "eyJ", "postgres://", "-----BEGIN ", " ", "\n", "x", "_", "=", "é😀", "0123456789ABCDEF"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (ps) => {
        const text = ps.join("");
        expect(m.maskText(text).text).toBe(reference(rules, text));
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it("agrees for patterns found through their suffix (leading \\b, lookbehind, class runs)", () => {
    const rules = [
      { name: "a", pattern: "\\bab\\b" },
      { name: "b", pattern: "(?<=x)yz?" },
      { name: "c", pattern: "[a-c]{0,3}zz" },
      { name: "d", pattern: "\\b[xy]{1,2}(?:ab|ba)" },
      { name: "e", pattern: "(?<!a)b{2}" },
    ];
    const m = masker(rules);
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "x", "y", "z", " ", "😀"), { maxLength: 30 }), (ls) => {
        const text = ls.join("");
        expect(m.maskText(text).text).toBe(reference(rules, text));
      }),
      { seed: 6, numRuns: 2000 },
    );
  });
});
