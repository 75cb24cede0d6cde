// Regular-expression built-ins: regex.match (and the deprecated re_match), regex.is_valid, regex.split,
// regex.find_n, regex.find_all_string_submatch_n, regex.replace, regex.template_match, regex.globs_match.
//
// OPA uses Go's `regexp` package (RE2 syntax, leftmost-first matching). This file parses patterns exactly as Go's
// regexp/syntax does with its Perl flags (the same accepted language and the same error messages) and translates the
// parse tree into a JavaScript RegExp with the `v` flag: every literal and class is emitted explicitly (code-point
// escapes, `.` as `[^\n]`, `^`/`$` per Go's (?m) rules, case folding expanded into classes), so JavaScript's own
// syntax and flags never change the meaning. Searching (find-all, split, replace) follows Go's algorithms for empty
// matches. Known differences: JavaScript backtracks, so a pathological pattern can be slow where RE2 is linear;
// matching of repeated empty-width groups can differ in corner cases; Unicode tables are V8's, not Go's.
import type { Value } from "../value/value.js";
import { arrayOf, boolean, number, string } from "./types.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { str } from "./args.js";
import { goIntOperand } from "./strings.js";

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** A syntax error as Go reports it: "error parsing regexp: <code>: `<expr>`". */
export class RegexSyntaxError extends Error {}

const ERR = {
  invalidCharClass: "invalid character class",
  invalidCharRange: "invalid character class range",
  invalidEscape: "invalid escape sequence",
  invalidNamedCapture: "invalid named capture",
  invalidPerlOp: "invalid or unsupported Perl syntax",
  invalidRepeatOp: "invalid nested repetition operator",
  invalidRepeatSize: "invalid repeat count",
  missingBracket: "missing closing ]",
  missingParen: "missing closing )",
  missingRepeatArgument: "missing argument to repetition operator",
  trailingBackslash: "trailing backslash at end of expression",
  unexpectedParen: "unexpected )",
  nestingDepth: "expression nests too deeply",
  large: "expression too large",
} as const;

function syntaxError(code: string, expr: string): RegexSyntaxError {
  return new RegexSyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
}

// ---------------------------------------------------------------------------------------------------------------
// Parse tree

type Node =
  | { k: "lit"; cp: number; fold: boolean }
  | { k: "class"; ranges: number[]; parts: string[]; neg: boolean }
  | { k: "any"; nl: boolean }
  | { k: "assert"; js: string }
  | { k: "empty" }
  | { k: "cap"; sub: Node }
  | { k: "group"; sub: Node }
  | { k: "concat"; subs: Node[] }
  | { k: "alt"; subs: Node[] }
  | { k: "rep"; min: number; max: number; greedy: boolean; brace: boolean; sub: Node };

interface Flags {
  fold: boolean;
  dotNL: boolean;
  oneLine: boolean;
  nonGreedy: boolean;
}

const MAX_RUNE = 0x10ffff;
const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;
const MAX_SIZE = Math.floor((128 << 20) / 40);

// Perl and POSIX groups (ASCII, as in Go).
const PERL_GROUPS: Record<string, [number, number[]]> = {
  "\\d": [1, [0x30, 0x39]],
  "\\D": [-1, [0x30, 0x39]],
  "\\s": [1, [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20]],
  "\\S": [-1, [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20]],
  "\\w": [1, [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]],
  "\\W": [-1, [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]],
};
const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a, 0x5f, 0x5f],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

// Go's unicode.Categories keys (Go 1.24) and unicode.Scripts keys (Unicode 15.0).
const CATEGORIES = new Set(
  "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "),
);
const SCRIPTS = new Set(
  (
    "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki " +
    "Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee " +
    "Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan " +
    "Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi " +
    "Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited " +
    "Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi " +
    "Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani " +
    "Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui " +
    "Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari " +
    "New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian " +
    "Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong " +
    "Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian " +
    "Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le " +
    "Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai " +
    "Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square"
  ).split(" "),
);

function hex(cp: number): string {
  return cp.toString(16).toUpperCase();
}
function cpEscape(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCharCode(cp);
  }
  return `\\u{${hex(cp)}}`;
}
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
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

function orbits(): Map<number, number[]> {
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
function addFolded(ranges: number[], lo: number, hi: number): void {
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
function foldExtrasOf(classSource: string): number[] {
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

function negateRanges(r: number[]): number[] {
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

function rangesSource(r: number[]): string {
  const c = cleanRanges(r);
  let s = "";
  for (let i = 0; i < c.length; i += 2) s += c[i] === c[i + 1] ? cpEscape(c[i]!) : `${cpEscape(c[i]!)}-${cpEscape(c[i + 1]!)}`;
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (Go's regexp/syntax with the Perl flags: the same language, the same errors)

class Parser {
  pos = 0;
  flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false };
  numCap = 0;
  names: string[] = [""];
  private lastRepeat = -1;

  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.parseAlt(0);
    if (height(node) > MAX_HEIGHT) throw syntaxError(ERR.nestingDepth, this.s);
    if (size(node) > MAX_SIZE) throw syntaxError(ERR.large, this.s);
    return node;
  }

  private cp(at: number): number {
    return this.s.codePointAt(at)!;
  }
  private width(at: number): number {
    return this.cp(at) > 0xffff ? 2 : 1;
  }

  /** Parses alternatives up to the ')' closing this group (consumed) or the end of the pattern (depth 0). */
  private parseAlt(depth: number): Node {
    const s = this.s;
    const alts: Node[] = [];
    let items: Node[] = [];
    const finish = (): Node => {
      alts.push(items.length === 0 ? { k: "empty" } : items.length === 1 ? items[0]! : { k: "concat", subs: items });
      return alts.length === 1 ? alts[0]! : { k: "alt", subs: alts };
    };
    while (this.pos < s.length) {
      let repeatStart = -1;
      const c = s[this.pos]!;
      switch (c) {
        case "(": {
          if (s[this.pos + 1] === "?") {
            const node = this.parsePerlFlags(depth);
            if (node) items.push(node);
          } else {
            this.pos++;
            this.numCap++;
            this.names.push("");
            items.push({ k: "cap", sub: this.group(depth) });
          }
          break;
        }
        case "|":
          alts.push(items.length === 0 ? { k: "empty" } : items.length === 1 ? items[0]! : { k: "concat", subs: items });
          items = [];
          this.pos++;
          break;
        case ")":
          if (depth === 0) throw syntaxError(ERR.unexpectedParen, s);
          this.pos++;
          return finish();
        case "^":
          items.push({ k: "assert", js: this.flags.oneLine ? "^" : "(?<![^\\n])" });
          this.pos++;
          break;
        case "$":
          items.push({ k: "assert", js: this.flags.oneLine ? "$" : "(?![^\\n])" });
          this.pos++;
          break;
        case ".":
          items.push({ k: "any", nl: this.flags.dotNL });
          this.pos++;
          break;
        case "[":
          items.push(this.parseClass());
          break;
        case "*":
        case "+":
        case "?": {
          repeatStart = this.pos;
          const [min, max] = c === "*" ? [0, -1] : c === "+" ? [1, -1] : [0, 1];
          this.repeat(items, min, max, this.pos, this.pos + 1, false);
          break;
        }
        case "{": {
          const r = this.parseRepeat(this.pos);
          if (!r) {
            items.push(this.literal(0x7b));
            this.pos++;
            break;
          }
          const [min, max, after] = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw syntaxError(ERR.invalidRepeatSize, s.slice(this.pos, after));
          }
          repeatStart = this.pos;
          this.repeat(items, min, max, this.pos, after, true);
          break;
        }
        case "\\":
          this.parseBackslash(items);
          break;
        default: {
          items.push(this.literal(this.cp(this.pos)));
          this.pos += this.width(this.pos);
        }
      }
      this.lastRepeat = repeatStart;
    }
    if (depth > 0) throw syntaxError(ERR.missingParen, s);
    return finish();
  }

  private group(depth: number): Node {
    const saved = { ...this.flags };
    this.lastRepeat = -1;
    const sub = this.parseAlt(depth + 1);
    this.flags = saved;
    return sub;
  }

  private literal(cp: number): Node {
    return { k: "lit", cp, fold: this.flags.fold };
  }

  private repeat(items: Node[], min: number, max: number, before: number, after: number, brace: boolean): void {
    let greedy = !this.flags.nonGreedy;
    if (this.s[after] === "?") {
      after++;
      greedy = !greedy;
    }
    if (this.lastRepeat >= 0) throw syntaxError(ERR.invalidRepeatOp, this.s.slice(this.lastRepeat, after));
    if (items.length === 0) throw syntaxError(ERR.missingRepeatArgument, this.s.slice(before, after));
    const node: Node = { k: "rep", min, max, greedy, brace, sub: items.pop()! };
    items.push(node);
    if (brace && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw syntaxError(ERR.invalidRepeatSize, this.s.slice(before, after));
    }
    this.pos = after;
  }

  /** {min}, {min,} or {min,max} at `at`: [min, max, end] (min -1 when a number is too big), or undefined. */
  private parseRepeat(at: number): [number, number, number] | undefined {
    const s = this.s;
    let i = at + 1;
    const int = (): number | undefined => {
      if (i >= s.length || s[i]! < "0" || s[i]! > "9") return undefined;
      if (s[i] === "0" && i + 1 < s.length && s[i + 1]! >= "0" && s[i + 1]! <= "9") return undefined;
      let n = 0;
      const start = i;
      while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
      for (let j = start; j < i; j++) {
        if (n >= 1e8) return -1;
        n = n * 10 + (s.charCodeAt(j) - 0x30);
      }
      return n;
    };
    let min = int();
    if (min === undefined || i >= s.length) return undefined;
    let max: number;
    if (s[i] !== ",") max = min;
    else {
      i++;
      if (i >= s.length) return undefined;
      if (s[i] === "}") max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (max < 0) min = -1;
      }
    }
    if (i >= s.length || s[i] !== "}") return undefined;
    return [min, max, i + 1];
  }

  /** `(?` constructs: named captures, flag groups, flag settings. Returns the group node, or undefined. */
  private parsePerlFlags(depth: number): Node | undefined {
    const s = this.s;
    const t = s.slice(this.pos);
    const startsWithP = t.length > 4 && t[2] === "P" && t[3] === "<";
    const startsWithName = t.length > 3 && t[2] === "<";
    if (startsWithP || startsWithName) {
      const begin = startsWithP ? 4 : 3;
      const end = t.indexOf(">");
      if (end < 0) throw syntaxError(ERR.invalidNamedCapture, t);
      const name = t.slice(begin, end);
      if (name === "" || ![...name].every((ch) => ch === "_" || isAlnum(ch.codePointAt(0)!))) {
        throw syntaxError(ERR.invalidNamedCapture, t.slice(0, end + 1));
      }
      this.pos += end + 1;
      this.numCap++;
      this.names.push(name);
      return { k: "cap", sub: this.group(depth) };
    }
    const flags = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    let i = 2;
    while (i < t.length) {
      const ch = String.fromCodePoint(t.codePointAt(i)!);
      i += ch.length;
      const on = sign > 0;
      if (ch === "i") {
        flags.fold = on;
        sawFlag = true;
      } else if (ch === "m") {
        flags.oneLine = !on;
        sawFlag = true;
      } else if (ch === "s") {
        flags.dotNL = on;
        sawFlag = true;
      } else if (ch === "U") {
        flags.nonGreedy = on;
        sawFlag = true;
      } else if (ch === "-") {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (ch === ":" || ch === ")") {
        if (sign < 0 && !sawFlag) break;
        this.pos += i;
        if (ch === ":") {
          const saved = this.flags;
          this.flags = flags;
          this.lastRepeat = -1;
          const sub = this.parseAlt(depth + 1);
          this.flags = saved;
          return { k: "group", sub };
        }
        this.flags = flags;
        return undefined;
      } else break;
    }
    throw syntaxError(ERR.invalidPerlOp, t.slice(0, i));
  }

  private parseBackslash(items: Node[]): void {
    const s = this.s;
    const next = s[this.pos + 1];
    switch (next) {
      case "A":
        items.push({ k: "assert", js: "^" });
        this.pos += 2;
        return;
      case "b":
        items.push({ k: "assert", js: "\\b" });
        this.pos += 2;
        return;
      case "B":
        items.push({ k: "assert", js: "\\B" });
        this.pos += 2;
        return;
      case "C":
        throw syntaxError(ERR.invalidEscape, "\\C");
      case "Q": {
        let end = s.indexOf("\\E", this.pos + 2);
        const lit = end < 0 ? s.slice(this.pos + 2) : s.slice(this.pos + 2, end);
        for (const ch of lit) items.push(this.literal(ch.codePointAt(0)!));
        if (end < 0) end = s.length;
        else end += 2;
        this.pos = end;
        return;
      }
      case "z":
        items.push({ k: "assert", js: "$" });
        this.pos += 2;
        return;
    }
    if (next === "p" || next === "P") {
      const cls: Node & { k: "class" } = { k: "class", ranges: [], parts: [], neg: false };
      this.pos = this.parseUnicodeClass(this.pos, cls);
      items.push(cls);
      return;
    }
    const perl = this.perlGroup(this.pos);
    if (perl) {
      const cls: Node & { k: "class" } = { k: "class", ranges: [], parts: [], neg: false };
      this.appendGroup(cls, perl[0], perl[1]);
      items.push(cls);
      this.pos += 2;
      return;
    }
    const [cp, end] = this.parseEscape(this.pos);
    items.push(this.literal(cp));
    this.pos = end;
  }

  private perlGroup(at: number): [number, number[]] | undefined {
    const g = PERL_GROUPS[this.s.slice(at, at + 2)];
    return g;
  }

  /** Adds a Perl or POSIX group (ASCII ranges) to a class, folded under (?i), negated when sign < 0. */
  private appendGroup(cls: { ranges: number[] }, sign: number, ranges: number[]): void {
    let r = ranges.slice();
    if (this.flags.fold) for (let i = 0; i < ranges.length; i += 2) addFolded(r, ranges[i]!, ranges[i + 1]!);
    if (sign < 0) r = negateRanges(r);
    cls.ranges.push(...r);
  }

  /** An escape at `at` (a backslash): the code point and the index after it. */
  private parseEscape(at: number): [number, number] {
    const s = this.s;
    let i = at + 1;
    if (i >= s.length) throw syntaxError(ERR.trailingBackslash, "");
    const c = this.cp(i);
    i += this.width(i);
    const bad = (): never => {
      throw syntaxError(ERR.invalidEscape, s.slice(at, i));
    };
    if (c < 0x80 && !isAlnum(c)) return [c, i];
    const isOct = (k: number): boolean => k < s.length && s[k]! >= "0" && s[k]! <= "7";
    // Octal: \0, or \1-\7 followed by another octal digit (a single \1-\7 would be a backreference).
    if (c === 0x30 || (c >= 0x31 && c <= 0x37 && isOct(i))) {
      let r = c - 0x30;
      for (let n = 1; n < 3 && isOct(i); n++) {
        r = r * 8 + (s.charCodeAt(i) - 0x30);
        i++;
      }
      return [r, i];
    }
    switch (String.fromCodePoint(c)) {
      case "x": {
        if (i >= s.length) return bad();
        let d = this.cp(i);
        i += this.width(i);
        if (d === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            if (i >= s.length) return bad();
            d = this.cp(i);
            i += this.width(i);
            if (d === 0x7d) break;
            const v = unhex(d);
            if (v < 0) return bad();
            r = r * 16 + v;
            if (r > MAX_RUNE) return bad();
            nhex++;
          }
          if (nhex === 0) return bad();
          return [r, i];
        }
        const x = unhex(d);
        if (i >= s.length) {
          // Go reads the second digit as U+FFFD from the empty rest.
          return bad();
        }
        const d2 = this.cp(i);
        i += this.width(i);
        const y = unhex(d2);
        if (x < 0 || y < 0) return bad();
        return [x * 16 + y, i];
      }
      case "a":
        return [7, i];
      case "f":
        return [12, i];
      case "n":
        return [10, i];
      case "r":
        return [13, i];
      case "t":
        return [9, i];
      case "v":
        return [11, i];
    }
    return bad();
  }

  /** \pN, \p{Name}, \PN, \P{^Name} at `at`, added to `cls`. Returns the index after it. */
  private parseUnicodeClass(at: number, cls: { ranges: number[]; parts: string[] }): number {
    const s = this.s;
    let sign = s[at + 1] === "P" ? -1 : 1;
    let i = at + 2;
    let seq: string;
    let name: string;
    if (i < s.length && s[i] === "{") {
      const end = s.indexOf("}", at);
      if (end < 0) throw syntaxError(ERR.invalidCharRange, s.slice(at));
      seq = s.slice(at, end + 1);
      name = s.slice(at + 3, end);
      i = end + 1;
    } else {
      if (i < s.length) i += this.width(i);
      seq = s.slice(at, i);
      name = seq.slice(2);
    }
    if (name.startsWith("^")) {
      sign = -sign;
      name = name.slice(1);
    }
    let part: string;
    if (name === "Any") {
      if (sign > 0) cls.ranges.push(0, MAX_RUNE);
      return i;
    } else if (name === "C") part = "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]";
    else if (CATEGORIES.has(name)) part = `\\p{${name}}`;
    else if (SCRIPTS.has(name) && scriptSupported(name)) part = `\\p{Script=${name}}`;
    else throw syntaxError(ERR.invalidCharRange, seq);
    const extras = this.flags.fold ? foldExtrasOf(part) : [];
    if (sign > 0) {
      cls.parts.push(part);
      cls.ranges.push(...extras);
    } else {
      const negPart = part.startsWith("[") ? "[^" + part.slice(1) : part.replace("\\p", "\\P");
      cls.parts.push(extras.length ? `[${negPart}--[${rangesSource(extras)}]]` : negPart);
    }
    return i;
  }

  private parseClass(): Node {
    const s = this.s;
    const start = this.pos;
    let t = start + 1;
    const cls: Node & { k: "class" } = { k: "class", ranges: [], parts: [], neg: false };
    if (t < s.length && s[t] === "^") {
      cls.neg = true;
      t++;
    }
    let first = true;
    while (t >= s.length || s[t] !== "]" || first) {
      first = false;
      // POSIX [:alnum:]
      if (s.length - t > 2 && s[t] === "[" && s[t + 1] === ":") {
        const close = s.indexOf(":]", t + 2);
        if (close >= 0) {
          const full = s.slice(t, close + 2);
          let nm = full.slice(2, -2);
          let sign = 1;
          if (nm.startsWith("^")) {
            sign = -1;
            nm = nm.slice(1);
          }
          const g = Object.prototype.hasOwnProperty.call(POSIX_CLASSES, nm) ? POSIX_CLASSES[nm] : undefined;
          if (!g) throw syntaxError(ERR.invalidCharRange, full);
          this.appendGroup(cls, sign, g);
          t = close + 2;
          continue;
        }
      }
      if (s[t] === "\\" && (s[t + 1] === "p" || s[t + 1] === "P")) {
        t = this.parseUnicodeClass(t, cls);
        continue;
      }
      if (s[t] === "\\") {
        const perl = this.perlGroup(t);
        if (perl) {
          this.appendGroup(cls, perl[0], perl[1]);
          t += 2;
          continue;
        }
      }
      const rangeStart = t;
      const classChar = (): number => {
        if (t >= s.length) throw syntaxError(ERR.missingBracket, s.slice(start));
        if (s[t] === "\\") {
          const [cp, end] = this.parseEscape(t);
          t = end;
          return cp;
        }
        const cp = this.cp(t);
        t += this.width(t);
        return cp;
      };
      const lo = classChar();
      let hi = lo;
      if (s.length - t >= 2 && s[t] === "-" && s[t + 1] !== "]") {
        t++;
        hi = classChar();
        if (hi < lo) throw syntaxError(ERR.invalidCharRange, s.slice(rangeStart, t));
      }
      cls.ranges.push(lo, hi);
      if (this.flags.fold) addFolded(cls.ranges, lo, hi);
    }
    this.pos = t + 1;
    return cls;
  }
}

const scriptCache = new Map<string, boolean>();
function scriptSupported(name: string): boolean {
  let ok = scriptCache.get(name);
  if (ok === undefined) {
    try {
      new RegExp(`\\p{Script=${name}}`, "v");
      ok = true;
    } catch {
      ok = false;
    }
    scriptCache.set(name, ok);
  }
  return ok;
}

function children(n: Node): Node[] {
  switch (n.k) {
    case "cap":
    case "group":
    case "rep":
      return [n.sub];
    case "concat":
    case "alt":
      return n.subs;
    default:
      return [];
  }
}

function repeatIsValid(n: Node, limit: number): boolean {
  if (n.k === "rep" && n.brace) {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  return children(n).every((c) => repeatIsValid(c, limit));
}

function height(n: Node): number {
  if (n.k === "group") return height(n.sub);
  let h = 1;
  for (const c of children(n)) h = Math.max(h, 1 + height(c));
  return h;
}

function size(n: Node): number {
  let sz: number;
  switch (n.k) {
    case "cap":
      sz = 2 + size(n.sub);
      break;
    case "group":
      return size(n.sub);
    case "concat":
      sz = n.subs.reduce((a, c) => a + size(c), 0);
      break;
    case "alt":
      sz = n.subs.reduce((a, c) => a + size(c), 0) + n.subs.length - 1;
      break;
    case "rep": {
      const sub = size(n.sub);
      if (!n.brace) sz = (n.min === 0 && n.max === -1 ? 2 : 1) + sub;
      else if (n.max === -1) sz = n.min === 0 ? 2 + sub : 1 + n.min * sub;
      else sz = n.max * sub + (n.max - n.min);
      break;
    }
    default:
      sz = 1;
  }
  return Math.max(1, sz);
}

// ---------------------------------------------------------------------------------------------------------------
// Translation to JavaScript

function emit(n: Node): string {
  switch (n.k) {
    case "lit": {
      if (n.fold) {
        const orbit = orbits().get(n.cp);
        if (orbit) return "[" + orbit.map(cpEscape).join("") + "]";
      }
      return cpEscape(n.cp);
    }
    case "class":
      return "[" + (n.neg ? "^" : "") + rangesSource(n.ranges) + n.parts.join("") + "]";
    case "any":
      return n.nl ? "[\\u{0}-\\u{10FFFF}]" : "[^\\n]";
    case "assert":
      return n.js;
    case "empty":
      return "(?:)";
    case "cap":
      return "(" + emit(n.sub) + ")";
    case "group":
      return "(?:" + emit(n.sub) + ")";
    case "concat":
      return n.subs.map(emit).join("");
    case "alt":
      return n.subs.map(emit).join("|");
    case "rep": {
      const k = n.sub.k;
      const atom = k === "lit" || k === "class" || k === "any" || k === "cap" || k === "group";
      const body = atom ? emit(n.sub) : "(?:" + emit(n.sub) + ")";
      let q: string;
      if (n.min === 0 && n.max === -1) q = "*";
      else if (n.min === 1 && n.max === -1) q = "+";
      else if (n.min === 0 && n.max === 1) q = "?";
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.min === n.max) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      return body + q + (n.greedy ? "" : "?");
    }
  }
}

/** A compiled Go regular expression. */
export interface GoRegexp {
  /** The JavaScript equivalent (flags `gv`; always set lastIndex before use). */
  readonly re: RegExp;
  /** Number of capture groups. */
  readonly numSubexp: number;
  /** Capture group names by index ("" when unnamed; index 0 is the whole match). */
  readonly names: string[];
  /** The Go pattern. */
  readonly expr: string;
}

/** Parses a Go (RE2) pattern and translates it; throws RegexSyntaxError with Go's message. */
export function translateGoRegexp(pattern: string): GoRegexp {
  const p = new Parser(pattern);
  const tree = p.parse();
  const source = emit(tree);
  let re: RegExp;
  try {
    re = new RegExp(source, "gv");
  } catch {
    throw syntaxError(ERR.large, pattern);
  }
  return { re, numSubexp: p.numCap, names: p.names, expr: pattern };
}

const CACHE_MAX = 256;
const cache = new Map<string, GoRegexp | RegexSyntaxError>();

/** Compiles with a bounded cache; throws RegexSyntaxError. */
export function compileGoRegexp(pattern: string): GoRegexp {
  let hit = cache.get(pattern);
  if (hit === undefined) {
    try {
      hit = translateGoRegexp(pattern);
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      hit = e;
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(pattern, hit);
  }
  if (hit instanceof RegexSyntaxError) throw hit;
  return hit;
}

function compileOrFail(pattern: string): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new BuiltinError(e.message);
    throw e;
  }
}

export function isValidGoRegexp(pattern: string): boolean {
  try {
    compileGoRegexp(pattern);
    return true;
  } catch (e) {
    if (e instanceof RegexSyntaxError) return false;
    throw e;
  }
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------------------------------
// Searching as Go does

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

// ---------------------------------------------------------------------------------------------------------------
// regex.template_match (gorilla/mux-style templates, as OPA forked them)

function templateRegexp(tpl: string, open: string, close: string): GoRegexp {
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  const unbalanced = (): BuiltinError => new BuiltinError(`unbalanced braces in ${goQuoteSimple(tpl)}`);
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open) {
      if (++level === 1) idx = i;
    } else if (tpl[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) throw unbalanced();
    }
  }
  if (level !== 0) throw unbalanced();
  let pattern = "^";
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const patt = tpl.slice(idxs[i]! + 1, end - 1);
    pattern += `${quoteMeta(raw)}(${patt})`;
    compileOrFail(`^${patt}$`);
  }
  pattern += quoteMeta(tpl.slice(end)) + "$";
  return compileOrFail(pattern);
}

/** strconv.Quote for messages (printable characters kept). */
function goQuoteSimple(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------------------------------
// regex.globs_match (github.com/yashtewari/glob-intersection semantics)

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

// ---------------------------------------------------------------------------------------------------------------
// Registration

export function register(r: BuiltinRegistry): void {
  const match = (args: Value[]): Value => {
    const pattern = str(args, 0);
    const value = str(args, 1);
    return matchString(compileOrFail(pattern), value);
  };
  r.register({
    name: "regex.match",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "value to match against `pattern`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches `pattern`" },
    description: "Matches a string against a regular expression.",
    categories: ["regex"],
    impl: match,
  });
  r.register({
    name: "re_match",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "value to match against `pattern`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches `pattern`" },
    description: "Matches a string against a regular expression (deprecated: use regex.match).",
    categories: ["regex"],
    deprecated: true,
    impl: match,
  });
  r.register({
    name: "regex.is_valid",
    args: [{ name: "pattern", type: string, description: "regular expression" }],
    result: { name: "result", type: boolean, description: "true if `pattern` is a valid regular expression" },
    description: "Checks if a string is a valid regular expression (RE2 syntax).",
    categories: ["regex"],
    impl: (args) => {
      const p = args[0];
      return typeof p === "string" && isValidGoRegexp(p);
    },
  });
  r.register({
    name: "regex.split",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
    ],
    result: { name: "output", type: arrayOf(string), description: "the parts obtained by splitting `value`" },
    description: "Splits the input string by the occurrences of the given pattern.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      return split(compileOrFail(pattern), value);
    },
  });
  r.register({
    name: "regex.find_n",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
      { name: "number", type: number, description: "number of matches to return; -1 means all matches" },
    ],
    result: { name: "output", type: arrayOf(string), description: "collected matches" },
    description: "Returns the specified number of matches when matching the input against the pattern.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      const n = goIntOperand(args, 2);
      if (n === 0) return [];
      return findAll(compileOrFail(pattern), value, n).map((m) => m[0]);
    },
  });
  r.register({
    name: "regex.find_all_string_submatch_n",
    args: [
      { name: "pattern", type: string, description: "regular expression" },
      { name: "value", type: string, description: "string to match" },
      { name: "number", type: number, description: "number of matches to return; -1 means all matches" },
    ],
    result: { name: "output", type: arrayOf(arrayOf(string)), description: "array of all matches" },
    description: "Returns all successive matches of the expression, each with its submatches.",
    categories: ["regex"],
    impl: (args) => {
      const pattern = str(args, 0);
      const value = str(args, 1);
      const n = goIntOperand(args, 2);
      if (n === 0) return [];
      const g = compileOrFail(pattern);
      return findAll(g, value, n).map((m) => {
        const row: Value[] = [];
        for (let k = 0; k <= g.numSubexp; k++) row.push(m[k] ?? "");
        return row;
      });
    },
  });
  r.register({
    name: "regex.replace",
    args: [
      { name: "s", type: string, description: "string being processed" },
      { name: "pattern", type: string, description: "regex pattern to be applied" },
      { name: "value", type: string, description: "regex value" },
    ],
    result: { name: "output", type: string, description: "string with replaced substrings" },
    description: "Find and replaces the text using the regular expression pattern.",
    categories: ["regex"],
    impl: (args) => {
      const s = str(args, 0);
      const pattern = str(args, 1);
      const value = str(args, 2);
      return replaceAll(compileOrFail(pattern), s, value);
    },
  });
  r.register({
    name: "regex.template_match",
    args: [
      { name: "template", type: string, description: "template expression containing `0..n` regular expressions" },
      { name: "value", type: string, description: "string to match" },
      { name: "delimiter_start", type: string, description: "start delimiter of the regular expression in `template`" },
      { name: "delimiter_end", type: string, description: "end delimiter of the regular expression in `template`" },
    ],
    result: { name: "result", type: boolean, description: "true if `value` matches the `template`" },
    description: "Matches a string against a pattern, where the pattern may be glob-like.",
    categories: ["regex"],
    impl: (args) => {
      const tpl = str(args, 0);
      const value = str(args, 1);
      const start = str(args, 2);
      const end = str(args, 3);
      const startLen = Buffer.byteLength(start);
      if (startLen !== 1) {
        throw new BuiltinError(`start delimiter has to be exactly one character long but is ${startLen} long`);
      }
      if (Buffer.byteLength(end) !== 1) {
        // OPA reports the start delimiter's length here.
        throw new BuiltinError(`end delimiter has to be exactly one character long but is ${startLen} long`);
      }
      return matchString(templateRegexp(tpl, start, end), value);
    },
  });
  r.register({
    name: "regex.globs_match",
    args: [
      { name: "glob1", type: string, description: "first glob-style regular expression" },
      { name: "glob2", type: string, description: "second glob-style regular expression" },
    ],
    result: { name: "result", type: boolean, description: "true if the intersection of `glob1` and `glob2` matches a non-empty set of non-empty strings" },
    description:
      "Checks if the intersection of two glob-style regular expressions matches a non-empty set of non-empty strings. " +
      "The set of regex symbols is limited for this builtin: only `.`, `*`, `+`, `[`, `-`, `]` and `\\` are treated as special symbols.",
    categories: ["regex"],
    impl: (args) => {
      const a = str(args, 0);
      const b = str(args, 1);
      return globsNonEmpty(a, b);
    },
  });
}
