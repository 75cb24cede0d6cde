// The prefilters (prefilter.ts) change how much work the match search does, never its result: the masker with them
// gives exactly what it gives without them, and what a naive reference search gives (every pattern tried, sticky, at
// every start, in list order), on random texts full of secrets and near misses, for whole texts, for texts masked
// from an offset (StreamMasker.end) and for JSON values (maskJson).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskJson } from "./json-body.js";
import { charMask, FACTOR_SPAN, mayMatch, type Prefilter } from "./prefilter.js";
import { compileMasks, type Masker, type MaskRule, prefilterFor } from "./patterns.js";
import { packRules, RULES, SECRETS } from "./test/patterns.js";

const SEED = 20261122;

function compile(rules: MaskRule[], prefilter: boolean): Masker {
  const r = compileMasks(rules, { prefilter });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.masker;
}

function prefilter(pattern: string): Prefilter {
  const p = prefilterFor({ name: "p", pattern });
  if ("message" in p) throw new Error(p.message);
  return p;
}

const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;
const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;

/** The reference: leftmost-first, the earlier pattern on a tie, each tried sticky at every code point boundary. */
function naive(m: Masker, text: string, from = 0): { text: string; hits: Record<string, number> } {
  const sticky = m.patterns.map((p) => new RegExp(p.source, `${p.flags}uy`));
  const hits: Record<string, number> = {};
  let out = "";
  let s = from;
  let emitted = from;
  while (s < text.length) {
    if (s > 0 && isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))) {
      s++;
      continue;
    }
    let end = -1;
    let k = 0;
    for (; k < sticky.length; k++) {
      sticky[k]!.lastIndex = s;
      const r = sticky[k]!.exec(text);
      if (r) {
        end = s + r[0].length;
        break;
      }
    }
    if (end < 0) {
      s++;
      continue;
    }
    out += text.slice(emitted, s) + m.patterns[k]!.replacement;
    hits[m.patterns[k]!.name] = (hits[m.patterns[k]!.name] ?? 0) + 1;
    s = emitted = end;
  }
  return { text: out + text.slice(emitted), hits };
}

const byName = (hits: { name: string; count: number }[]) => Object.fromEntries(hits.map((h) => [h.name, h.count]));

/** Secrets of the fixture and of the pack's kinds, for texts and near misses. */
const SECRET_TEXTS = [
  ...SECRETS.map((s) => s.text),
  "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  "rk_test_51HxYzAbCdEfGhIjKlMnOp",
  "npm_abcdefghijklmnopqrstuvwxyz0123456789",
  "sk-abcdefghijklmnopqrstuvwxyz012345",
  "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
  "DB_PASSWORD=hunter2hunter2",
  'password: "s3cr3tvalue"',
  "client_secret='abcdefghijkl'",
  "redis://user:pw@cache:6379",
  "-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----",
  "eyJhbGciOi.eyJzdWIiOi.sig",
];

/** A secret changed so that it may or may not still match: cut, a character replaced, case changed, folded letters. */
const nearMiss = fc
  .tuple(fc.constantFrom(...SECRET_TEXTS), fc.nat(), fc.constantFrom("cut", "replace", "upper", "lower", "fold", "same"))
  .map(([s, n, how]) => {
    const i = n % s.length;
    switch (how) {
      case "cut":
        return s.slice(0, i);
      case "replace":
        return s.slice(0, i) + "-=:\"'@/_ xK".charAt(n % 11) + s.slice(i + 1);
      case "upper":
        return s.toUpperCase();
      case "lower":
        return s.toLowerCase();
      case "fold":
        // U+212A KELVIN SIGN and U+017F LONG S match k and s under the `i` flag.
        return s.replace(/k/g, "\u212A").replace(/s/g, "\u017F");
      default:
        return s;
    }
  });

const piece = fc.oneof(
  { weight: 3, arbitrary: nearMiss },
  { weight: 3, arbitrary: fc.constantFrom(" ", "\n", "=", ":", '"', "'", "@", "://", "_", "-", ".", "KEY", "token", "x", "😀", "é", "AKIA", "xox", "sk-", "eyJ", "ghp_") },
  { weight: 3, arbitrary: fc.constantFrom("a", "b", "c", "d", "x", "y", "z", "k", "K", "\u212A", ":", "=", "ab", "cd", "xy") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const text = fc.array(piece, { maxLength: 8 }).map((ps) => ps.join(""));

/** Lookarounds, assertions, alternations, optional parts, case folding: over a small alphabet (textOf below). */
const STRESS: MaskRule[] = [
  { name: "s1", pattern: "ab(?=cd)" },
  { name: "s2", pattern: "(?<=xy)z+" },
  { name: "s3", pattern: "x(?!ab)[a-d]c" },
  { name: "s4", pattern: "(?<!a)z[:=]z(?!y)" },
  { name: "s5", pattern: "\\bb(?:a|cd)?x\\b" },
  { name: "s6", pattern: "(?i)k[:=]a" },
  { name: "s7", pattern: "(?:ab|a)c{2}|d(?:x|y)?😀" },
];

const SETS: [string, MaskRule[]][] = [
  ["the pack", packRules()],
  ["the fixture", RULES],
  ["lookarounds and friends", STRESS],
];

describe("prefilter facts", () => {
  it("gives the minimum length and literal factors of a pattern", () => {
    expect(prefilter("\\bxox[baprs]-[A-Za-z0-9-]{10,}")).toMatchObject({ minLength: 15, factors: [["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"]] });
    expect(prefilter("\\bsk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|\\bsk-[A-Za-z0-9]{32,}")).toMatchObject({ minLength: 28, factors: [["sk-"]] });
    expect(prefilter("a(?:bc|d)e").factors).toEqual([["abce", "ade"]]);
    expect(prefilter("ab?c").factors).toEqual([["ac", "abc"]]);
  });

  it("takes no factor from what a pattern does not consume", () => {
    expect(prefilter("x(?=abc)").factors).toEqual([["x"]]);
    expect(prefilter("(?<=abc)x").factors).toEqual([["x"]]);
    expect(prefilter("(?:abc)?x|y").factors).toEqual([["x", "y"]]);
    expect(prefilter("[a-c]+").factors).toEqual([]);
  });

  it("under (?i) takes only ASCII non-letters (other characters fold: K, k and U+212A)", () => {
    expect(prefilter("(?i)token=").factors).toEqual([["="]]);
    expect(prefilter("(?i)k").factors).toEqual([]);
    const m = compile([{ name: "t", pattern: "(?i)token=\\w+" }], true);
    expect(m.maskText("to\u212Aen=abc").text).toBe("[MASKED:t]");
  });

  it("holds on every match the reference finds (a necessary condition)", () => {
    for (const [, rules] of SETS) {
      const pfs = rules.map((r) => prefilter(r.pattern));
      const m = compile(rules, false);
      const sticky = m.patterns.map((p) => new RegExp(p.source, `${p.flags}uy`));
      fc.assert(
        fc.property(text, (t) => {
          for (let s = 0; s < t.length; s++) {
            sticky.forEach((re, k) => {
              re.lastIndex = s;
              const r = re.exec(t);
              if (!r) return;
              const match = r[0];
              // In the match alone, and in the text from the match's start (with the mask of the whole text).
              expect(mayMatch(pfs[k]!, match, 0, charMask(match, 0, { lo: 0, hi: 0 }))).toBe(true);
              expect(mayMatch(pfs[k]!, t, s, charMask(t, 0, { lo: 0, hi: 0 }))).toBe(true);
            });
          }
        }),
        { seed: SEED, numRuns: 300 },
      );
    }
  });
});

describe("masking with prefilters equals masking without them and the reference", () => {
  for (const [name, rules] of SETS) {
    const fast = compile(rules, true);
    const slow = compile(rules, false);

    it(`${name}: maskText on random texts of secrets and near misses (fast-check)`, () => {
      fc.assert(
        fc.property(text, (t) => {
          const a = fast.maskText(t);
          const b = slow.maskText(t);
          expect(a).toEqual(b);
          const ref = naive(slow, t);
          expect(a.text).toBe(ref.text);
          expect(byName(a.hits)).toEqual(ref.hits);
        }),
        { seed: SEED, numRuns: 1000 },
      );
    });

    it(`${name}: scanAll from an offset (fast-check)`, () => {
      fc.assert(
        fc.property(text, fc.nat(), (t, n) => {
          const from = n % (t.length + 1);
          const a = fast.scanAll(t, from, new Map());
          expect(a).toBe(slow.scanAll(t, from, new Map()));
          expect(a).toBe(naive(slow, t, from).text);
        }),
        { seed: SEED, numRuns: 500 },
      );
    });

    it(`${name}: maskJson on random JSON values (fast-check)`, () => {
      const value = fc.letrec((tie) => ({
        node: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.constant(null), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("a", "text", "data", "type", "__proto__"), tie("node"), { maxKeys: 4 })),
      })).node;
      fc.assert(
        fc.property(value, (v) => {
          const a = maskJson(v, fast);
          expect(a).toEqual(maskJson(v, slow));
          expect(JSON.stringify(a.value)).toBe(JSON.stringify(maskJson(v, slow).value));
        }),
        { seed: SEED, numRuns: 500 },
      );
    });

    it(`${name}: texts longer than the factor span (searched without factors) and at its edge`, () => {
      for (const s of SECRET_TEXTS) {
        for (const pad of [FACTOR_SPAN - s.length - 1, FACTOR_SPAN - s.length, FACTOR_SPAN - s.length + 1, FACTOR_SPAN + 10]) {
          const t = `${"a b ".repeat(Math.ceil(Math.max(0, pad) / 4)).slice(0, Math.max(0, pad))}${s}`;
          expect(fast.maskText(t)).toEqual(slow.maskText(t));
          expect(fast.maskText(t).text).toBe(naive(slow, t).text);
        }
      }
    });
  }
});

describe("maskJson", () => {
  it("keeps a masked value under the key __proto__ (an assignment would set the prototype instead)", () => {
    const m = compile(RULES, true);
    const v = JSON.parse('{"__proto__": {"k": "AKIAIOSFODNN7EXAMPLE"}, "b": 1}') as unknown;
    expect(JSON.stringify(maskJson(v, m).value)).toBe('{"__proto__":{"k":"[MASKED:aws_access_key_id]"},"b":1}');
  });

  it("returns unchanged values themselves, copies only what changed", () => {
    const m = compile(RULES, true);
    const v = { a: { b: ["x", "y"] }, c: ["AKIAIOSFODNN7EXAMPLE", { d: "z" }] };
    const out = maskJson(v, m).value as typeof v;
    expect(out).toEqual({ a: { b: ["x", "y"] }, c: ["[MASKED:aws_access_key_id]", { d: "z" }] });
    expect(out.a).toBe(v.a);
    expect(out.c[1]).toBe(v.c[1]);
    expect(out.c).not.toBe(v.c);
    expect(v.c[0]).toBe("AKIAIOSFODNN7EXAMPLE");
  });
});
