// regex.globs_match: whether two regexp-style globs intersect (a port of github.com/yashtewari/glob-intersection).
import { BuiltinError } from "./registry.js";

type GToken = { t: "char"; r: number; flag: number } | { t: "dot"; flag: number } | { t: "set"; runes: Set<number>; flag: number };
const FLAG_NONE = 0;
const FLAG_PLUS = 1;
const FLAG_STAR = 2;

function gError(input: number[], index: number, msg: string): BuiltinError {
  return new BuiltinError(`input:${String.fromCodePoint(...input)}, pos:${index}, ${msg}: the input provided is invalid`);
}

function gTokenize(input: number[]): GToken[] {
  const tokens: GToken[] = [];
  const BS = 0x5c;
  type R = { i: number; r: number; esc: boolean } | "eof";
  const nextRune = (i: number): R => {
    if (i >= input.length) return "eof";
    if (input[i] === BS) {
      if (i < input.length - 1) return { i: i + 2, r: input[i + 1]!, esc: true };
      throw gError(input, i, "input ends with a \\ (escape) character");
    }
    return { i: i + 1, r: input[i]!, esc: false };
  };
  let i = 0;
  for (;;) {
    const first = nextRune(i);
    if (first === "eof") break;
    i = first.i;
    let tok: GToken;
    const r = first.r;
    if (!first.esc && r === 0x2e) tok = { t: "dot", flag: FLAG_NONE };
    else if (!first.esc && r === 0x5d) throw gError(input, i, "set-close ']' with no preceding '['");
    else if (!first.esc && r === 0x5b) {
      const runes = new Set<number>();
      let complete = false;
      let prev = 0;
      let prevExists = false;
      let cur = nextRune(i);
      while (cur !== "eof") {
        i = cur.i;
        if (!cur.esc && cur.r === 0x2d) {
          if (!prevExists) throw gError(input, i, "range character '-' must be preceded by a Unicode character");
          if (i >= input.length - 1) throw gError(input, i, "range character '-' must be followed by a Unicode character");
          const hiR = nextRune(i);
          if (hiR === "eof") break;
          i = hiR.i;
          if (!hiR.esc && (hiR.r === 0x5d || hiR.r === 0x2d)) {
            throw gError(input, i, "range character '-' cannot be followed by a special symbol");
          }
          if (hiR.r < prev) {
            throw gError(
              input,
              i,
              `range is out of order: '${String.fromCodePoint(hiR.r)}' comes before '${String.fromCodePoint(prev)}' in Unicode`,
            );
          }
          for (let x = prev; x <= hiR.r; x++) runes.add(x);
          prevExists = false;
        } else if (!cur.esc && cur.r === 0x5d) {
          complete = true;
          break;
        } else {
          runes.add(cur.r);
          prev = cur.r;
          prevExists = true;
        }
        cur = nextRune(i);
      }
      if (!complete) throw gError(input, i, "found [ without matching ]");
      tok = { t: "set", runes, flag: FLAG_NONE };
    } else if (!first.esc && (r === 0x2b || r === 0x2a)) {
      throw gError(input, i, `flag '${String.fromCodePoint(r)}' must be preceded by a non-flag`);
    } else tok = { t: "char", r, flag: FLAG_NONE };
    // an optional flag
    const f = nextRune(i);
    if (f !== "eof" && !f.esc && (f.r === 0x2b || f.r === 0x2a)) {
      tok.flag = f.r === 0x2b ? FLAG_PLUS : FLAG_STAR;
      i = f.i;
    }
    tokens.push(tok);
  }
  return tokens;
}

function gEqual(a: GToken, b: GToken): boolean {
  if (a.t !== b.t) return false;
  if (a.t === "char") return a.r === (b as { r: number }).r;
  if (a.t === "set") {
    const br = (b as { runes: Set<number> }).runes;
    if (a.runes.size !== br.size) return false;
    for (const r of a.runes) if (!br.has(r)) return false;
  }
  return true;
}

function gSimplify(tokens: GToken[]): GToken[] {
  if (tokens.length === 0) return tokens;
  const simple = [tokens[0]!];
  let latest = tokens[0]!;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.flag !== FLAG_NONE && latest.flag !== FLAG_NONE && gEqual(t, latest)) {
      simple[simple.length - 1]!.flag = t.flag === FLAG_PLUS || latest.flag === FLAG_PLUS ? FLAG_PLUS : FLAG_STAR;
      continue;
    }
    latest = t;
    simple.push(t);
  }
  return simple;
}

function gMatch(a: GToken, b: GToken): boolean {
  if (a.t === "dot" || b.t === "dot") return true;
  if (a.t === "char" && b.t === "char") return a.r === b.r;
  if (a.t === "char" && b.t === "set") return b.runes.has(a.r);
  if (a.t === "set" && b.t === "char") return a.runes.has(b.r);
  const x = (a as { runes: Set<number> }).runes;
  const y = (b as { runes: Set<number> }).runes;
  for (const r of x) if (y.has(r)) return true;
  return false;
}

function gIntersectNormal(g1: GToken[], g2: GToken[]): boolean {
  let i = 0;
  let j = 0;
  for (; i < g1.length && j < g2.length; i++, j++) {
    if (g1[i]!.flag === FLAG_NONE && g2[j]!.flag === FLAG_NONE) {
      if (!gMatch(g1[i]!, g2[j]!)) return false;
    } else return gIntersectSpecial(g1.slice(i), g2.slice(j));
  }
  return i === g1.length && j === g2.length;
}

function gIntersectSpecial(g1: GToken[], g2: GToken[]): boolean {
  if (g1[0]!.flag !== FLAG_NONE) return g1[0]!.flag === FLAG_PLUS ? gIntersectPlus(g1, g2) : gIntersectStar(g1, g2);
  return g2[0]!.flag === FLAG_PLUS ? gIntersectPlus(g2, g1) : gIntersectStar(g2, g1);
}

function gIntersectPlus(plussed: GToken[], other: GToken[]): boolean {
  if (!gMatch(plussed[0]!, other[0]!)) return false;
  if (gIntersectStar(plussed, other.slice(1))) return true;
  return other[0]!.flag !== FLAG_NONE && gIntersectNormal(plussed.slice(1), other);
}

function gIntersectStar(starred: GToken[], other: GToken[]): boolean {
  const star = starred[0]!;
  const next = starred.length > 1 ? starred[1]! : undefined;
  for (let i = 0; i < other.length; i++) {
    const t = other[i]!;
    if (next && gMatch(t, next)) {
      if (gIntersectNormal(starred.slice(1), other.slice(i))) return true;
      if (!gMatch(t, star)) return false;
    } else if (!gMatch(t, star)) return false;
  }
  return next === undefined;
}

function gTrim(g1: GToken[], g2: GToken[]): [GToken[], GToken[]] | undefined {
  let l = 0;
  for (; l < g1.length && l < g2.length && g1[l]!.flag === FLAG_NONE && g2[l]!.flag === FLAG_NONE; l++) {
    if (!gMatch(g1[l]!, g2[l]!)) return undefined;
  }
  if (l > 0) l--;
  let r1 = g1.length - 1;
  let r2 = g2.length - 1;
  for (; r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1[r1]!.flag === FLAG_NONE && g2[r2]!.flag === FLAG_NONE; r1--, r2--) {
    if (!gMatch(g1[r1]!, g2[r2]!)) return undefined;
  }
  if (r1 < g1.length - 1) {
    r1++;
    r2++;
  }
  return [g1.slice(l, r1 + 1), g2.slice(l, r2 + 1)];
}

/** Whether two regexp-style globs (`.`, `[...]`, `*`, `+`, `\`) have a non-empty intersection, as gintersect decides. */
export function globsNonEmpty(lhs: string, rhs: string): boolean {
  const g1 = gSimplify(gTokenize([...lhs].map((c) => c.codePointAt(0)!)));
  const g2 = gSimplify(gTokenize([...rhs].map((c) => c.codePointAt(0)!)));
  const trimmed = gTrim(g1, g2);
  if (!trimmed) return false;
  return gIntersectNormal(trimmed[0], trimmed[1]);
}
