// Exact prefilters for the match search: facts that every match of a pattern satisfies, cheap to test on a text
// before any regex runs on it. A pattern whose facts fail on text[from..] has no match starting at or after `from`,
// so the search skips it; one whose facts hold is searched as before. Skipping is therefore never a different
// answer, only less work: most strings of a policy input ("acme/app", "push", "refs/heads/main") are shorter than
// any secret, or lack the literals every secret of a kind carries ("://" and "@" for a database URL, "xox" for a
// Slack token, ":" or "=" for an assignment).
//
// The facts, from the pattern's syntax tree (patterns.ts):
//   - its minimum length (code units): a match starting at s ≥ from ends at most at the text's end;
//   - factors: sets of strings such that every match contains (consumes) one of them. A factor occurs, then, at or
//     after `from` in any text that holds a match starting at or after `from` (text.indexOf(s, from) ≥ 0 for some s).
// Only text the pattern consumes gives factors (assertions and lookarounds consume nothing: they contribute the empty
// string, so the consumed text on either side stays adjacent). Under the `i` flag only ASCII characters that are not
// letters are literal (no other character folds to them); a letter breaks a literal run.
import type { SyntaxNode } from "./patterns.js";

/** Strings one of which every match of a pattern contains. */
export type Factor = readonly string[];

export interface Prefilter {
  /** The shortest match (code units). */
  minLength: number;
  /** Factors, the most selective first (at most MAX_FACTORS). */
  factors: Factor[];
  /** For each factor, the CharMask (lo, hi pairs) of each of its strings. */
  masks: Int32Array[];
  /** Whether factors are looked for on long texts too (see FACTOR_SPAN). */
  onLongText: boolean;
}

/**
 * A 64-bit set of character hashes, as two 32-bit words: a string can occur in a text only if every bit of its mask is
 * set in the text's mask. Tested before indexOf (a few integer operations against a scan).
 */
export interface CharMask {
  lo: number;
  hi: number;
}

const bit = (c: number) => Math.imul(c, 0x9e3779b1) >>> 26;

/** The CharMask of text[from..], written into `out`. */
export function charMask(text: string, from: number, out: CharMask): CharMask {
  let lo = 0;
  let hi = 0;
  for (let i = from; i < text.length; i++) {
    const b = bit(text.charCodeAt(i));
    if (b < 32) lo |= 1 << b;
    else hi |= 1 << (b - 32);
  }
  out.lo = lo;
  out.hi = hi;
  return out;
}

/** Bounds that keep the analysis small: strings per set, characters per string, factors kept per pattern. */
const MAX_SET = 16;
const MAX_STRING = 32;
const MAX_FACTORS = 3;

/**
 * What a node tells about the text it consumes: `exact`, the finite set of texts it can consume (null when unknown
 * or too large), and `factors` (each a set of strings one of which it consumes).
 */
interface Facts {
  exact: string[] | null;
  factors: string[][];
}

const isAsciiPunct = (c: string) => /^[ -/:-@[-`{-~]$/.test(c);

/** The texts a single atom consumes, when it is a literal character or a small class of them; else null. */
function atomStrings(src: string, ignoreCase: boolean): string[] | null {
  // Under `i`, a character is literal only when it is ASCII and not a letter (nothing else folds to it).
  const literal = (c: string) => !ignoreCase || isAsciiPunct(c) || /^[0-9]$/.test(c);
  if (src[0] === "\\") {
    const c = src.slice(1);
    return c.length === 1 && isAsciiPunct(c) ? [c] : null; // `\.`, `\-`, `\/`, …; other escapes are classes or codes
  }
  if (src[0] === "[") {
    if (src[1] === "^") return null;
    const body = [...src.slice(1, -1)];
    if (body.length === 0 || body.length > MAX_SET || body.includes("\\") || body.includes("[")) return null;
    // A "-" between two characters makes a range: only a leading or trailing "-" is literal.
    if (body.slice(1, -1).includes("-")) return null;
    if (!body.every(literal)) return null;
    return [...new Set(body)];
  }
  if (src === ".") return null;
  return [...src].length === 1 && literal(src) ? [src] : null;
}

function union(sets: string[][]): string[] | null {
  const out = new Set<string>();
  for (const s of sets) for (const x of s) out.add(x);
  return out.size > MAX_SET ? null : [...out];
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (x.length + y.length > MAX_STRING) return null;
      out.add(x + y);
    }
  }
  return [...out];
}

/** A factor's worth: the length of its shortest string (longer literals occur less often), then fewer strings. */
const score = (f: readonly string[]) => Math.min(...f.map((s) => s.length)) * 100 - f.length;

function best(factors: string[][]): string[] | null {
  let out: string[] | null = null;
  for (const f of factors) if (out === null || score(f) > score(out)) out = f;
  return out;
}

/** A run of literal texts is a factor when none of its texts is empty. */
function addRun(factors: string[][], run: string[]): void {
  if (run.length > 0 && run.every((s) => s !== "")) factors.push(run);
}

function facts(n: SyntaxNode, ignoreCase: boolean): Facts {
  switch (n.k) {
    case "atom": {
      const s = atomStrings(n.src, ignoreCase);
      return s ? { exact: s, factors: [s] } : { exact: null, factors: [] };
    }
    case "assert":
    case "look":
    case "empty":
      return { exact: [""], factors: [] };
    case "never":
      return { exact: null, factors: [] };
    case "group":
      return facts(n.body, ignoreCase);
    case "alt": {
      const parts = n.alts.map((a) => facts(a, ignoreCase));
      const exact = parts.every((p) => p.exact !== null) ? union(parts.map((p) => p.exact!)) : null;
      // Every match goes through one branch: one factor from each branch, together, is a factor.
      const picks = parts.map((p) => best(p.factors));
      const joined = picks.every((f) => f !== null) ? union(picks as string[][]) : null;
      return { exact, factors: joined ? [joined] : [] };
    }
    case "seq": {
      const factors: string[][] = [];
      let run: string[] = [""];
      let whole = true;
      for (const item of n.items) {
        const p = facts(item, ignoreCase);
        factors.push(...p.factors);
        const joined = p.exact ? cross(run, p.exact) : null;
        if (joined) run = joined;
        else {
          addRun(factors, run);
          run = p.exact ?? [""];
          whole = false;
        }
      }
      addRun(factors, run);
      return { exact: whole ? run : null, factors };
    }
    case "quant": {
      const p = facts(n.body, ignoreCase);
      if (n.max === 0) return { exact: [""], factors: [] };
      const factors = n.min >= 1 ? [...p.factors] : [];
      let exact: string[] | null = null;
      if (p.exact) {
        // body^min is consumed by every match; body^k for k = min..max is the node's exact set when small.
        let power: string[] | null = [""];
        for (let k = 0; k < n.min && power; k++) power = cross(power, p.exact);
        if (power && n.min >= 1) addRun(factors, power);
        if (power && n.max <= 4) {
          const all = [power];
          let more: string[] | null = power;
          for (let k = n.min; k < n.max && more; k++) {
            more = cross(more, p.exact);
            if (more) all.push(more);
          }
          exact = more ? union(all) : null;
        }
      }
      return { exact, factors };
    }
  }
}

/** A factor without the strings that contain another of its strings (containing that one already satisfies it). */
const minimal = (f: string[]) => f.filter((s, i) => !f.some((t, j) => j !== i && s.includes(t) && (s !== t || j < i)));

/** Whether f1 implies f2: every string of f1 contains one of f2. */
const implies = (f1: string[], f2: string[]) => f1.every((s) => f2.some((t) => s.includes(t)));

/** The prefilter of a pattern (its syntax tree, its minimum length, whether it has the `i` flag). */
export function prefilterOf(ast: SyntaxNode, minLength: number, ignoreCase: boolean): Prefilter {
  const factors: string[][] = [];
  for (const f of facts(ast, ignoreCase).factors.map(minimal).sort((a, b) => score(b) - score(a))) {
    if (factors.some((g) => implies(g, f))) continue;
    factors.push(f);
    if (factors.length === MAX_FACTORS) break;
  }
  const masks = factors.map((f) => {
    const m = new Int32Array(2 * f.length);
    const cm: CharMask = { lo: 0, hi: 0 };
    f.forEach((s, i) => {
      charMask(s, 0, cm);
      m[2 * i] = cm.lo;
      m[2 * i + 1] = cm.hi;
    });
    return m;
  });
  return { minLength, factors, masks, onLongText: ignoreCase };
}

/**
 * Beyond this many characters, factors are looked for only for case-insensitive patterns, and only those of one or two
 * strings: indexOf scans a long text about as fast as V8 scans for a case-sensitive pattern's first literal, so for
 * those the check costs as much as it saves (measured: maskText of 3 MB, 25 → 33 ms with all patterns checked), while
 * a case-insensitive alternation of words (`(?i)\b(postgres|mysql|…)://…`) scans several times slower.
 */
export const FACTOR_SPAN = 2048;

/**
 * Whether text[from..] can hold a match: long enough, and every factor occurs in it (on a long text, every factor of
 * one or two strings). `mask`: the CharMask of text[from..] or of any text it is part of (the whole text), or null.
 */
export function mayMatch(p: Prefilter, text: string, from: number, mask: CharMask | null): boolean {
  const rest = text.length - from;
  if (rest < p.minLength) return false;
  if (mask === null || rest > FACTOR_SPAN) {
    if (!p.onLongText) return true;
    for (const f of p.factors) if (f.length <= 2 && text.indexOf(f[0]!, from) < 0 && (f.length === 1 || text.indexOf(f[1]!, from) < 0)) return false;
    return true;
  }
  const { lo, hi } = mask;
  for (let k = 0; k < p.factors.length; k++) {
    const f = p.factors[k]!;
    const m = p.masks[k]!;
    let found = false;
    for (let i = 0; i < f.length && !found; i++) {
      if ((m[2 * i]! & ~lo) !== 0 || (m[2 * i + 1]! & ~hi) !== 0) continue; // a character of f[i] is not in the text
      found = text.indexOf(f[i]!, from) >= 0;
    }
    if (!found) return false;
  }
  return true;
}
