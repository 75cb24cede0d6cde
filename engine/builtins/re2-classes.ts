// RE2 escapes and character classes (`\x{..}`, `\pL`, `\d`, `[[:alpha:]a-z]`), parsed as Go's regexp/syntax does,
// with the Perl, POSIX and Unicode tables behind them.
import { ERR, MAX_RUNE, syntaxError, type Node } from "./re2-ast.js";
import { addFolded, foldExtrasOf, negateRanges, rangesSource } from "./re2-ranges.js";

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

export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The code point at `at` and its width in UTF-16 units. */
const cpAt = (s: string, at: number): number => s.codePointAt(at)!;
const widthAt = (s: string, at: number): number => (cpAt(s, at) > 0xffff ? 2 : 1);

/** The Perl group (\d, \s, \w and negations) at `at`: [sign, ASCII ranges], or undefined. */
export function perlGroup(s: string, at: number): [number, number[]] | undefined {
  const g = PERL_GROUPS[s.slice(at, at + 2)];
  return g;
}

/** Adds a Perl or POSIX group (ASCII ranges) to a class, folded under (?i), negated when sign < 0. */
export function appendGroup(cls: { ranges: number[] }, sign: number, ranges: number[], fold: boolean): void {
  let r = ranges.slice();
  if (fold) for (let i = 0; i < ranges.length; i += 2) addFolded(r, ranges[i]!, ranges[i + 1]!);
  if (sign < 0) r = negateRanges(r);
  cls.ranges.push(...r);
}

/** An escape at `at` (a backslash): the code point and the index after it. */
export function parseEscape(s: string, at: number): [number, number] {
  let i = at + 1;
  if (i >= s.length) throw syntaxError(ERR.trailingBackslash, "");
  const c = cpAt(s, i);
  i += widthAt(s, i);
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
      let d = cpAt(s, i);
      i += widthAt(s, i);
      if (d === 0x7b) {
        let nhex = 0;
        let r = 0;
        for (;;) {
          if (i >= s.length) return bad();
          d = cpAt(s, i);
          i += widthAt(s, i);
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
      const d2 = cpAt(s, i);
      i += widthAt(s, i);
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
export function parseUnicodeClass(s: string, at: number, cls: { ranges: number[]; parts: string[] }, fold: boolean): number {
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
    if (i < s.length) i += widthAt(s, i);
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
  const extras = fold ? foldExtrasOf(part) : [];
  if (sign > 0) {
    cls.parts.push(part);
    cls.ranges.push(...extras);
  } else {
    const negPart = part.startsWith("[") ? "[^" + part.slice(1) : part.replace("\\p", "\\P");
    cls.parts.push(extras.length ? `[${negPart}--[${rangesSource(extras)}]]` : negPart);
  }
  return i;
}

/** The class starting with '[' at `start`: the class node and the index after its ']'. */
export function parseClass(s: string, start: number, fold: boolean): [Node, number] {
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
        appendGroup(cls, sign, g, fold);
        t = close + 2;
        continue;
      }
    }
    if (s[t] === "\\" && (s[t + 1] === "p" || s[t + 1] === "P")) {
      t = parseUnicodeClass(s, t, cls, fold);
      continue;
    }
    if (s[t] === "\\") {
      const perl = perlGroup(s, t);
      if (perl) {
        appendGroup(cls, perl[0], perl[1], fold);
        t += 2;
        continue;
      }
    }
    const rangeStart = t;
    const classChar = (): number => {
      if (t >= s.length) throw syntaxError(ERR.missingBracket, s.slice(start));
      if (s[t] === "\\") {
        const [cp, end] = parseEscape(s, t);
        t = end;
        return cp;
      }
      const cp = cpAt(s, t);
      t += widthAt(s, t);
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
    if (fold) addFolded(cls.ranges, lo, hi);
  }
  return [cls, t + 1];
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
