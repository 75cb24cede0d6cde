// Code-point range sets (as flat [lo, hi, ...] lists) and Go's simple case folding, shared by the RE2 parser and
// the JavaScript emitter.
import { MAX_RUNE } from "./re2-ast.js";

function hex(cp: number): string {
  return cp.toString(16).toUpperCase();
}
export function cpEscape(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCharCode(cp);
  }
  return `\\u{${hex(cp)}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Case folding (Go's simple-fold orbits; built once, on first use of (?i))

let foldOrbits: Map<number, number[]> | undefined;
let foldables: number[] = [];

function singleCodePoint(t: string): number {
  const c = t.codePointAt(0)!;
  return t.length === (c > 0xffff ? 2 : 1) ? c : -1;
}

/**
 * The simple case-folding class key of a code point: the lower case of its upper case, using only one-to-one
 * mappings (as Go's SimpleFold orbits do). U+0131 (dotless i) folds to nothing else.
 */
function foldKey(cp: number): number {
  if (cp === 0x131) return cp;
  const s = String.fromCodePoint(cp);
  const u = singleCodePoint(s.toUpperCase());
  const l = singleCodePoint((u < 0 ? s : String.fromCodePoint(u)).toLowerCase());
  return l >= 0 ? l : u >= 0 ? u : cp;
}

export function orbits(): Map<number, number[]> {
  if (foldOrbits) return foldOrbits;
  const groups = new Map<number, number[]>();
  for (let cp = 0x41; cp <= 0x1e943; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const k = foldKey(cp);
    if (k === cp) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = [k]));
    g.push(cp);
  }
  const out = new Map<number, number[]>();
  for (const g of groups.values()) {
    g.sort((a, b) => a - b);
    for (const x of g) out.set(x, g);
  }
  foldOrbits = out;
  foldables = [...out.keys()].sort((a, b) => a - b);
  return out;
}

/** Adds to `ranges` the fold-equivalents of the code points in lo..hi. */
export function addFolded(ranges: number[], lo: number, hi: number): void {
  const map = orbits();
  // binary search the first foldable >= lo
  let a = 0;
  let b = foldables.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (foldables[m]! < lo) a = m + 1;
    else b = m;
  }
  for (let i = a; i < foldables.length && foldables[i]! <= hi; i++) {
    for (const y of map.get(foldables[i]!)!) ranges.push(y, y);
  }
}

/** Fold-equivalents of the members of a class given as JavaScript class source. */
export function foldExtrasOf(classSource: string): number[] {
  const map = orbits();
  const re = new RegExp(`^${classSource}$`, "v");
  const extra: number[] = [];
  for (const x of foldables) {
    if (re.test(String.fromCodePoint(x))) for (const y of map.get(x)!) extra.push(y, y);
  }
  return extra;
}

function cleanRanges(r: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n && lo <= out[n - 1]! + 1) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

export function negateRanges(r: number[]): number[] {
  const c = cleanRanges(r);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < c.length; i += 2) {
    if (next <= c[i]! - 1) out.push(next, c[i]! - 1);
    next = c[i + 1]! + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

export function rangesSource(r: number[]): string {
  const c = cleanRanges(r);
  let s = "";
  for (let i = 0; i < c.length; i += 2) s += c[i] === c[i + 1] ? cpEscape(c[i]!) : `${cpEscape(c[i]!)}-${cpEscape(c[i + 1]!)}`;
  return s;
}
