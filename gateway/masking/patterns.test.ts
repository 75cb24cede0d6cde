import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMasks, foldedSource, type Masker, runStart } from "./patterns.js";
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

describe("patterns with an unbounded or long prefix before their first literal (found backwards along a run)", () => {
  // `\b[\w.-]*(?:password|…)…` (the pack's secret_assignment) is found through its suffix, then its starts are tried
  // back along the run of prefix characters that ends there; with `i` and `u`, \w also takes ſ and K (Kelvin sign).
  const RUNS = [
    { name: "r1", pattern: "\\b[ab.-]*(?:cd|xy)z?" },
    { name: "r2", pattern: "(?i)\\b[\\w.-]*(?:sk|zz)\\s*=?[a-c]{2,}" },
    { name: "r3", pattern: "[a-c😀]*x[yz]+" },
    { name: "r4", pattern: "(?:a|b)+(?:x|zz)d?" },
    { name: "r5", pattern: "[ab]{0,300}cd" },
    { name: "r6", pattern: "\\b[A-Z0-9_]*(?:KEY|TOK)[A-Z0-9_]*=[^\\s\"'$]{2,}" },
  ];
  /** The definition: at each start from the left, the first pattern (in order) that matches there, sticky. */
  function naive(rules: { name: string; pattern: string }[], text: string): string {
    const res = rules.map((r) => {
      const m = /^\(\?([a-z]+)\)/.exec(r.pattern);
      return new RegExp(m ? r.pattern.slice(m[0].length) : r.pattern, `${m ? m[1] : ""}uy`);
    });
    let out = "";
    let i = 0;
    while (i <= text.length) {
      let hit: [number, number] | null = null;
      for (let k = 0; k < res.length && !hit; k++) {
        res[k]!.lastIndex = i;
        const m = res[k]!.exec(text);
        if (m && m[0].length > 0) hit = [k, m[0].length];
      }
      if (hit) {
        out += `[MASKED:${rules[hit[0]]!.name}]`;
        i += hit[1];
      } else {
        if (i < text.length) {
          const cp = text.codePointAt(i)!;
          out += String.fromCodePoint(cp);
          i += cp > 0xffff ? 2 : 1;
        } else break;
      }
    }
    return out;
  }
  const letters = ["a", "b", "c", "d", "x", "y", "z", "s", "k", "K", "ſ", "\u212a", "S", ".", "-", "_", "=", " ", "E", "Y", "O", "T", "😀"];

  it("maskText agrees with the definition on random texts, each pattern alone and all together", () => {
    const all = masker(RUNS);
    const alone = RUNS.map((r) => masker([r]));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 40 }), (ls) => {
        const text = ls.join("");
        expect(all.maskText(text).text).toBe(naive(RUNS, text));
        RUNS.forEach((r, i) => expect(alone[i]!.maskText(text).text).toBe(naive([r], text)));
      }),
      { seed: 21, numRuns: 1500 },
    );
  });

  it("agrees on the pack-like secret assignments", () => {
    const rules = [{ name: "secret_assignment", pattern: "(?i)\\b[\\w.-]*(password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|client_?secret)[\"']?\\s*[:=]\\s*[\"'][^\"'\\s$<{]{8,}[\"']" }];
    const m = masker(rules);
    const pieces = ["db.", "DB_", "my-", "PASSWORD", "password", "Token", "api_key", "apikey", "secret", " ", "=", ": ", '"', "'", "hunter2hunter2", "x", "\n", "ſ", "😀"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (ps) => {
        const text = ps.join("");
        expect(m.maskText(text).text).toBe(naive(rules, text));
      }),
      { seed: 22, numRuns: 1500 },
    );
  });

  it("never decides a start whose outcome more text could change (the undecided search skips no candidate)", () => {
    const rules = [...RUNS, { name: "d", pattern: "(?i)\\b(?:postgres|mysql)://[^\\s:/@]+:[^\\s@/]+@[^\\s'\"<>]+" }, { name: "o", pattern: "\\bsk-(?:proj|admin)-[a-z]{3,}|\\bsk-[a-z]{5,}" }, { name: "w", pattern: "xa\\B" }];
    const all = masker(rules);
    const alone = rules.map((r) => masker([r]));
    const res = rules.map((r) => {
      const f = /^\(\?([a-z]+)\)/.exec(r.pattern);
      return new RegExp(f ? r.pattern.slice(f[0].length) : r.pattern, `${f ? f[1] : ""}uy`);
    });
    const at = (re: RegExp, text: string, s: number) => {
      re.lastIndex = s;
      const x = re.exec(text);
      return x ? x[0].length : -1;
    };
    const more = [...letters, "postgres://", "u:p@h", "sk-", "proj-", "abc"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...more), { maxLength: 16 }), fc.array(fc.constantFrom(...more), { minLength: 1, maxLength: 8 }), (ls, ext) => {
        const text = ls.join("");
        const longer = text + ext.join("");
        const f = all.undecidedFrom(text, 0);
        for (let s = 0; s < f; s++) for (const re of res) expect([s, at(re, longer, s)]).toEqual([s, at(re, text, s)]);
        alone.forEach((m, i) => {
          const g = m.undecidedFrom(text, 0);
          for (let s = 0; s < g; s++) expect([s, at(res[i]!, longer, s)]).toEqual([s, at(res[i]!, text, s)]);
        });
      }),
      { seed: 23, numRuns: 1000 },
    );
  });

  it("runStart: the start of the run of class characters ending at t, not before floor", () => {
    const run = /(?:[\w.-])/iuy;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters, "!", "é"), { maxLength: 20 }), fc.nat(), fc.nat(), (ls, a, b) => {
        const text = ls.join("");
        const cps = [0];
        for (const ch of ls) cps.push(cps[cps.length - 1]! + ch.length);
        const t = cps[a % cps.length]!;
        const floor = Math.min(t, cps[b % cps.length]!);
        let r = t;
        for (let k = cps.indexOf(t); k > 0 && cps[k - 1]! >= floor && /^[\w.-]$/iu.test(text.slice(cps[k - 1], cps[k])); k--) r = cps[k - 1]!;
        expect(runStart(run, text, t, floor)).toBe(r);
      }),
      { seed: 24, numRuns: 1000 },
    );
  });
});

describe("case-folded heads (a head of ASCII literals searched without the i flag)", () => {
  it("matches exactly where the head matches with `iu`, on every BMP character and on random texts", () => {
    const heads = ["password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|client_?secret", "aws_?secret_?(access_?)?key[\"']?", "(postgres(ql)?|mongodb(\\+srv)?|rediss?)://", "sk[:=]", "K_s"];
    for (const h of heads) {
      const folded = foldedSource(h);
      expect(folded).not.toBeNull();
      const a = new RegExp(`^(?:${h})$`, "iu");
      const b = new RegExp(`^(?:${folded})$`, "u");
      for (let c = 0; c < 0x10000; c++) {
        if (c >= 0xd800 && c < 0xe000) continue;
        const ch = String.fromCharCode(c);
        for (const probe of ["sk" + ch, ch + "_s", "k" + ch + "s"]) {
          if (a.test(probe) !== b.test(probe)) expect([h, probe, a.test(probe)]).toEqual([h, probe, b.test(probe)]);
        }
      }
      fc.assert(
        fc.property(fc.array(fc.constantFrom("s", "S", "ſ", "k", "K", "\u212a", "p", "A", "w", "o", "r", "d", "_", ":", "=", "/", "+", "q", "l", "E", "t", "n", "y", "i", "c", "e", "a"), { maxLength: 20 }), (ls) => {
          const text = ls.join("");
          const all = (re: RegExp) => [...text.matchAll(re)].map((m) => [m.index, m[0].length]);
          expect(all(new RegExp(folded!, "gu"))).toEqual(all(new RegExp(h, "giu")));
        }),
        { seed: 25, numRuns: 500 },
      );
    }
  });

  it("refuses what it cannot fold exactly: classes with letters or ranges, escapes like \\w, non-ASCII", () => {
    for (const p of ["[a-z]x", "[!-~]", "\\wkey", "é", "a.b", "\\bkey"]) expect(foldedSource(p)).toBeNull();
  });
});
