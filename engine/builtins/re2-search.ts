// Searching with a translated Go pattern as Go's regexp does: FindAll's empty-match rules, Split, ReplaceAllString
// and its $-template expansion.
import type { GoRegexp } from "./re2-to-js.js";

function execAt(g: GoRegexp, s: string, pos: number): RegExpExecArray | null {
  g.re.lastIndex = pos;
  return g.re.exec(s);
}

export function matchString(g: GoRegexp, s: string): boolean {
  return execAt(g, s, 0) !== null;
}

function runeWidthAt(s: string, pos: number): number {
  if (pos >= s.length) return 0;
  const c = s.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length) {
    const d = s.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Go's allMatches: up to n matches (n < 0: all), skipping an empty match right after a previous match. */
export function findAll(g: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n < 0) n = s.length + 1;
  let pos = 0;
  let prevMatchEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = execAt(g, s, pos);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === pos) {
      // an empty match
      if (start === prevMatchEnd) accept = false;
      const w = runeWidthAt(s, pos);
      pos = w > 0 ? pos + w : s.length + 1;
    } else {
      pos = end;
    }
    prevMatchEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's Regexp.Split(s, -1). */
export function split(g: GoRegexp, s: string): string[] {
  // Go: an empty input gives [""], unless the pattern is empty too (then the loop below gives []).
  if (s.length === 0 && g.expr.length > 0) return [""];
  const matches = findAll(g, s, -1);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's template expansion for ReplaceAllString: $1, ${1}, $name, ${name}, $$. */
function expand(g: GoRegexp, template: string, m: RegExpExecArray): string {
  let out = "";
  let t = template;
  for (;;) {
    const i = t.indexOf("$");
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith("$")) {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const ex = extractName(t);
    if (!ex) {
      out += "$";
      continue;
    }
    t = ex.rest;
    if (ex.num >= 0) {
      if (ex.num <= g.numSubexp) out += m[ex.num] ?? "";
    } else {
      for (let k = 1; k < g.names.length; k++) {
        if (g.names[k] === ex.name && m[k] !== undefined) {
          out += m[k];
          break;
        }
      }
    }
  }
  return out + t;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function extractName(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === "") return undefined;
  let brace = false;
  let s = str;
  if (s[0] === "{") {
    brace = true;
    s = s.slice(1);
  }
  let i = 0;
  while (i < s.length) {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === 0) return undefined;
  const name = s.slice(0, i);
  if (brace) {
    if (i >= s.length || s[i] !== "}") return undefined;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 0x30);
  }
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/** Go's Regexp.ReplaceAllString. */
export function replaceAll(g: GoRegexp, src: string, repl: string): string {
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    const m = execAt(g, src, searchPos);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += expand(g, repl, m);
    lastMatchEnd = a1;
    const width = runeWidthAt(src, searchPos);
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}
