// Go's strings and unicode behaviour for the string built-ins: code-point counts, simple case mapping, white space,
// trimming by code point, and strings.Replacer.

export function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// Go's unicode.ToUpper / ToLower are simple (one code point to one code point) mappings.
const UPPER_EXCEPTIONS = new Map<number, number>([
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
for (const base of [0x1f80, 0x1f90, 0x1fa0]) for (let k = 0; k < 8; k++) UPPER_EXCEPTIONS.set(base + k, base + 8 + k);
const LOWER_EXCEPTIONS = new Map<number, number>([[0x130, 0x69]]);

export function mapCase(s: string, upper: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if (m.length === ch.length && codePointCount(m) === 1) out += m;
    else if (m === ch) out += ch;
    else {
      const special = (upper ? UPPER_EXCEPTIONS : LOWER_EXCEPTIONS).get(ch.codePointAt(0)!);
      out += special !== undefined ? String.fromCodePoint(special) : codePointCount(m) === 1 ? m : ch;
    }
  }
  return out;
}

/** Go's unicode.IsSpace. */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x20 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

export function trimLeftBy(s: string, drop: (c: number) => boolean): string {
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    if (!drop(c)) break;
    i += c > 0xffff ? 2 : 1;
  }
  return s.slice(i);
}

export function trimRightBy(s: string, drop: (c: number) => boolean): string {
  let j = s.length;
  while (j > 0) {
    let k = j - 1;
    const lo = s.charCodeAt(k);
    if (lo >= 0xdc00 && lo <= 0xdfff && k > 0) {
      const hi = s.charCodeAt(k - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) k--;
    }
    if (!drop(s.codePointAt(k)!)) break;
    j = k;
  }
  return s.slice(0, j);
}

export function cutsetPredicate(cutset: string): (c: number) => boolean {
  const set = new Set<number>();
  for (const ch of cutset) set.add(ch.codePointAt(0)!);
  return (c) => set.has(c);
}

/** Go's strings.Replacer (as built by strings.NewReplacer): at each position the first matching old string in
 * argument order wins; an empty old string matches between characters (Go: between bytes). */
export function goReplace(s: string, pairs: [string, string][]): string {
  if (pairs.length === 1 && pairs[0]![0] !== "") return s.split(pairs[0]![0]).join(pairs[0]![1]);
  let out = "";
  let last = 0;
  let i = 0;
  let prevMatchEmpty = false;
  while (i <= s.length) {
    let matched: [string, string] | undefined;
    for (const p of pairs) {
      if (p[0] === "" ? !prevMatchEmpty : s.startsWith(p[0], i)) {
        matched = p;
        break;
      }
    }
    prevMatchEmpty = matched !== undefined && matched[0] === "";
    if (matched) {
      out += s.slice(last, i) + matched[1];
      i += matched[0].length;
      last = i;
      continue;
    }
    if (i === s.length) break;
    const c = s.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
  }
  return out + s.slice(last);
}
