// Mask patterns: a policy decision's `mask` list compiled into a Masker. Each pattern is parsed (JS `u`-flag syntax,
// plus RE2's leading inline flags `(?i)`, `(?s)`, `(?m)`), checked, and re-emitted (capture groups made
// non-capturing) in three forms:
//   - the pattern itself, searched leftmost-first: at the leftmost start the earliest pattern in the list wins (the
//     semantics of one alternation `P1|P2|…`, but each pattern is searched on its own: V8 scans one pattern's first
//     characters far faster than an alternation of twelve); a pattern that does not begin with a literal is found
//     through its suffix from its first literal-led item (`\b[A-Z_]{0,40}(?:KEY|TOKEN)…` through `(?:KEY|TOKEN)…`);
//   - its "undecided" form U (emitUndecided): the same exploration, except that it succeeds, ending at the end of the
//     input, wherever the pattern would read past the text received so far. The stream masker (stream-masker.ts)
//     holds back the text from the earliest start whose attempt is undecided;
//   - its hit-end language H (the texts after which an attempt reads on), for the longest possible hold-back.
// Rejected, so that the hold-back stays sound and bounded: backreferences (RE2 has none; they do not read one
// character at a time), lookarounds inside a lookbehind, unbounded lookbehind, patterns that can match the empty
// string, and RE2 constructs JS does not read the same way (the `new RegExp(…, "u")` check names them).
// Errors are returned, never thrown: an invalid mask list must make the gateway fail closed.

import { type CharMask, charMask, FACTOR_SPAN, mayMatch, type Prefilter, prefilterOf } from "./prefilter.js";

export interface MaskRule {
  name: string;
  pattern: string;
  /** Default `[MASKED:<name>]`; inserted literally (no `$1` substitution). */
  replacement?: string;
  /** Longest text held back for this pattern in a stream (code units); default: the computed bound, else 512. */
  maxLength?: number;
}

export interface MaskHit {
  name: string;
  count: number;
}

export interface MaskResult {
  text: string;
  hits: MaskHit[];
}

export interface MaskCompileError {
  /** Index in the mask list. */
  index: number;
  name: string | null;
  message: string;
}

export type CompileResult = { ok: true; masker: Masker } | { ok: false; errors: MaskCompileError[] };

export interface CompiledPattern {
  name: string;
  /** The pattern as searched (JS syntax, capture groups made non-capturing). */
  source: string;
  flags: string;
  replacement: string;
  /** Longest possible match in code units, or null when unbounded. */
  maxMatch: number | null;
  /** Longest text a stream may hold back for this pattern before it fails closed. */
  window: number;
}

/** A match in a scanned string: [start, end) and the index of the pattern. */
export interface Match {
  start: number;
  end: number;
  pattern: number;
}

export const DEFAULT_MAX_LENGTH = 512;
const MAX_WINDOW = 1 << 20;
const MAX_REPLACEMENT = 256;

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { k: "atom"; src: string; max: number }
  | { k: "seq"; items: Node[] }
  | { k: "alt"; alts: Node[] }
  | { k: "group"; body: Node }
  | { k: "quant"; body: Node; min: number; max: number; lazy: boolean }
  | { k: "assert"; src: string }
  | { k: "look"; behind: boolean; neg: boolean; body: Node }
  | { k: "empty" }
  | { k: "never" };

/** The syntax tree of a pattern (for prefilter.ts). */
export type SyntaxNode = Node;

const EMPTY: Node = { k: "empty" };
const NEVER: Node = { k: "never" };

class SyntaxProblem extends Error {}

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.s.length) throw new SyntaxProblem(`unmatched ")" at offset ${this.i}`);
    return n;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.s[this.i] === "|") {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { k: "alt", alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") items.push(this.term());
    return items.length === 1 ? items[0]! : { k: "seq", items };
  }

  private term(): Node {
    const s = this.s;
    const c = s[this.i]!;
    if (c === "^" || c === "$") {
      this.i++;
      return this.noQuantifier({ k: "assert", src: c });
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") throw new SyntaxProblem(`nothing to repeat at offset ${this.i}`);
    let atom: Node;
    if (c === "(") {
      const start = this.i;
      this.i++;
      let look: { behind: boolean; neg: boolean } | null = null;
      if (s.startsWith("?:", this.i)) this.i += 2;
      else if (s.startsWith("?=", this.i) || s.startsWith("?!", this.i)) {
        look = { behind: false, neg: s[this.i + 1] === "!" };
        this.i += 2;
      } else if (s.startsWith("?<=", this.i) || s.startsWith("?<!", this.i)) {
        look = { behind: true, neg: s[this.i + 2] === "!" };
        this.i += 3;
      } else if (s.startsWith("?<", this.i) || s.startsWith("?P<", this.i)) {
        const close = s.indexOf(">", this.i);
        if (close < 0) throw new SyntaxProblem(`unterminated group name at offset ${start}`);
        this.i = close + 1;
      } else if (s[this.i] === "?") throw new SyntaxProblem(`unsupported group syntax "${s.slice(start, start + 4)}" at offset ${start} (inline flags are accepted only at the very start, as "(?i)")`);
      const body = this.alt();
      if (s[this.i] !== ")") throw new SyntaxProblem(`unterminated group at offset ${start}`);
      this.i++;
      if (look) return this.noQuantifier({ k: "look", ...look, body });
      atom = { k: "group", body };
    } else if (c === "[") {
      const start = this.i;
      let j = this.i + 1;
      if (s[j] === "^") j++;
      while (j < s.length && s[j] !== "]") j += s[j] === "\\" ? 2 : 1;
      if (j >= s.length) throw new SyntaxProblem(`unterminated character class at offset ${start}`);
      if (s[j - 1] === "[" && s[j - 2] === "[" && s[start + 1] === ":") throw new SyntaxProblem(`POSIX classes are not supported at offset ${start}`);
      this.i = j + 1;
      const src = s.slice(start, this.i);
      // A class of ASCII characters and BMP escapes matches one code unit (case folding stays in the BMP).
      const wide = src[1] === "^" || /\\[pPDWS]|\\u\{|\\u[dD][89a-fA-F]/.test(src) || [...src].some((ch) => ch.charCodeAt(0) > 0x7f);
      atom = { k: "atom", src, max: wide ? 2 : 1 };
    } else if (c === "\\") {
      const start = this.i;
      const e = s[this.i + 1];
      if (e === undefined) throw new SyntaxProblem("the pattern ends with a lone backslash");
      if (e === "b" || e === "B") {
        this.i += 2;
        return this.noQuantifier({ k: "assert", src: `\\${e}` });
      }
      if (/[1-9]/.test(e) || e === "k") throw new SyntaxProblem(`backreferences are not supported (offset ${start})`);
      if (e === "A" || e === "z" || e === "Q") throw new SyntaxProblem(`"\\${e}" is RE2 syntax JavaScript does not support (offset ${start})`);
      let j = this.i + 2;
      if ((e === "p" || e === "P" || e === "u") && s[j] === "{") {
        const close = s.indexOf("}", j);
        if (close < 0) throw new SyntaxProblem(`unterminated escape at offset ${start}`);
        j = close + 1;
      } else if (e === "u") j += 4;
      else if (e === "x") j += 2;
      else if (e === "c") j += 1;
      else if (e.charCodeAt(0) >= 0xd800 && e.charCodeAt(0) < 0xdc00) j += 1;
      this.i = j;
      const wide = "pPDWS".includes(e) || (e === "u" && s[start + 2] === "{") || e.charCodeAt(0) >= 0xd800;
      atom = { k: "atom", src: s.slice(start, j), max: wide ? 2 : 1 };
    } else if (c === ".") {
      this.i++;
      atom = { k: "atom", src: ".", max: 2 };
    } else {
      const cp = s.codePointAt(this.i)!;
      const len = cp > 0xffff ? 2 : 1;
      const src = s.slice(this.i, this.i + len);
      this.i += len;
      atom = { k: "atom", src, max: this.ignoreCase && cp > 0x7f ? 2 : len };
    }
    return this.quantifier(atom);
  }

  private noQuantifier(n: Node): Node {
    const c = this.s[this.i];
    if (c === "*" || c === "+" || c === "?" || (c === "{" && /^\{\d/.test(this.s.slice(this.i)))) throw new SyntaxProblem(`an assertion cannot be repeated (offset ${this.i})`);
    return n;
  }

  private quantifier(body: Node): Node {
    const s = this.s;
    let min: number;
    let max: number;
    const c = s[this.i];
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) throw new SyntaxProblem(`a lone "{" at offset ${this.i} (escape it as "\\{")`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (max < min) throw new SyntaxProblem(`numbers out of order in ${m[0]}`);
      this.i += m[0].length - 1;
    } else return body;
    this.i++;
    const lazy = s[this.i] === "?";
    if (lazy) this.i++;
    const q = s[this.i];
    if (q === "*" || q === "+" || q === "?" || q === "{") throw new SyntaxProblem(`nothing to repeat at offset ${this.i}`);
    return { k: "quant", body, min, max, lazy };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lengths (in UTF-16 code units: an atom is one code point, at most 2 units)

function minLen(n: Node): number {
  switch (n.k) {
    case "atom":
      return 1;
    case "seq":
      return n.items.reduce((a, x) => a + minLen(x), 0);
    case "alt":
      return Math.min(...n.alts.map(minLen));
    case "group":
      return minLen(n.body);
    case "quant":
      return n.min === 0 ? 0 : n.min * minLen(n.body);
    case "never":
      return Infinity;
    default:
      return 0;
  }
}

function maxLen(n: Node): number {
  switch (n.k) {
    case "atom":
      return n.max;
    case "seq":
      return n.items.reduce((a, x) => a + maxLen(x), 0);
    case "alt":
      return Math.max(...n.alts.map(maxLen));
    case "group":
      return maxLen(n.body);
    case "quant": {
      if (n.max === 0) return 0;
      const b = maxLen(n.body);
      return b <= 0 ? b : n.max * b;
    }
    case "never":
      return -Infinity;
    default:
      return 0;
  }
}

/** Longest lookbehind (code units); throws on unbounded lookbehind or lookarounds nested in one. */
function lookbehindReach(n: Node, inBehind = false): number {
  switch (n.k) {
    case "seq":
      return Math.max(0, ...n.items.map((x) => lookbehindReach(x, inBehind)));
    case "alt":
      return Math.max(0, ...n.alts.map((x) => lookbehindReach(x, inBehind)));
    case "group":
    case "quant":
      return lookbehindReach(n.body, inBehind);
    case "look": {
      if (inBehind) throw new SyntaxProblem("lookarounds inside a lookbehind are not supported");
      if (!n.behind) return lookbehindReach(n.body, false);
      const m = maxLen(n.body);
      if (!Number.isFinite(m)) throw new SyntaxProblem("unbounded lookbehind: a stream could never decide a match (bound its repetitions, e.g. {0,40})");
      lookbehindReach(n.body, true);
      return Math.max(m, 0);
    }
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The hit-end language H and the consumed language F (assertions dropped: a superset, which only holds back more)

function alt(alts: Node[]): Node {
  const out: Node[] = [];
  for (const a of alts) {
    if (a.k === "never") continue;
    if (a.k === "alt") out.push(...a.alts);
    else out.push(a);
  }
  if (out.length === 0) return NEVER;
  if (out.length === 1) return out[0]!;
  return { k: "alt", alts: out };
}

function seq(items: Node[]): Node {
  const out: Node[] = [];
  for (const x of items) {
    if (x.k === "never") return NEVER;
    if (x.k === "empty") continue;
    if (x.k === "seq") out.push(...x.items);
    else out.push(x);
  }
  if (out.length === 0) return EMPTY;
  if (out.length === 1) return out[0]!;
  return { k: "seq", items: out };
}

function consumed(n: Node): Node {
  switch (n.k) {
    case "atom":
    case "empty":
    case "never":
      return n;
    case "assert":
    case "look":
      return EMPTY;
    case "group":
      return consumed(n.body);
    case "seq":
      return seq(n.items.map(consumed));
    case "alt":
      return alt(n.alts.map(consumed));
    case "quant": {
      const body = consumed(n.body);
      if (body.k === "empty" || n.max === 0) return EMPTY;
      return { k: "quant", body, min: n.min, max: n.max, lazy: false };
    }
  }
}

/**
 * H(n): the texts after which a path through n reads the next character or tests the end. An atom reads at once (ε);
 * H(t1 t2 …) = H(t1) | F(t1) (H(t2) | F(t2) (…)); H(A{m,n}) = F(A){0,n-1} H(A); a lookahead reads on from where it
 * stands (H(body)); `$`, `\b`, `\B` test the next character (ε); `^` and lookbehinds read only backwards (ε, a superset).
 */
function hitEnd(n: Node): Node {
  switch (n.k) {
    case "atom":
    case "assert":
      return EMPTY;
    case "empty":
    case "never":
      return NEVER;
    case "look":
      return n.behind ? EMPTY : alt([EMPTY, hitEnd(n.body)]);
    case "group":
      return hitEnd(n.body);
    case "alt":
      return alt(n.alts.map(hitEnd));
    case "seq": {
      let acc: Node = NEVER;
      for (let i = n.items.length - 1; i >= 0; i--) acc = alt([hitEnd(n.items[i]!), seq([consumed(n.items[i]!), acc])]);
      return acc;
    }
    case "quant": {
      if (n.max === 0) return NEVER;
      const body = consumed(n.body);
      const reps: Node = body.k === "empty" ? EMPTY : { k: "quant", body, min: 0, max: n.max === Infinity ? Infinity : n.max - 1, lazy: false };
      return seq([reps, hitEnd(n.body)]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Emission

function emit(n: Node): string {
  switch (n.k) {
    case "atom":
    case "assert":
      return n.src;
    case "empty":
      return "";
    case "never":
      return "(?!)";
    case "look":
      return `(?${n.behind ? "<" : ""}${n.neg ? "!" : "="}${emit(n.body)})`;
    case "group":
      return `(?:${emit(n.body)})`;
    case "alt":
      return `(?:${n.alts.map(emit).join("|")})`;
    case "seq":
      return n.items.map(emit).join("");
    case "quant": {
      const body = n.body.k === "atom" || n.body.k === "group" ? emit(n.body) : `(?:${emit(n.body)})`;
      const q =
        n.min === 0 && n.max === Infinity
          ? "*"
          : n.min === 1 && n.max === Infinity
            ? "+"
            : n.min === 0 && n.max === 1
              ? "?"
              : n.max === Infinity
                ? `{${n.min},}`
                : n.min === n.max
                  ? `{${n.min}}`
                  : `{${n.min},${n.max}}`;
      return body + q + (n.lazy ? "?" : "");
    }
  }
}

/** End of the input, whatever the flags (`$` means end of line under `m`). */
const END = "(?![\\s\\S])";

/**
 * The "undecided" form U(P) of a pattern: the same exploration as P, except that wherever P would read the end of the
 * input (consume a character, test `$`, `\b`, `\B`, `^`, a lookbehind, or explore a lookahead that could reach the
 * end), U succeeds there instead and so ends exactly at the end. An atom X becomes `(?:X|END)`, an assertion A
 * `(?:END|A)`, a lookahead L `(?:(?=H(body)END)[\s\S]*|L)`. Until P's exploration first reads the end, U explores the
 * same paths in the same order; so U's leftmost match is P's (final) match when it ends before the end, and otherwise
 * starts at the earliest start whose outcome more text could change. Atoms at the very start of an attempt stay plain
 * (an attempt at the end itself decides nothing), which keeps V8's first-character scan.
 */
function emitUndecided(n: Node, lead: boolean): string {
  switch (n.k) {
    case "atom":
      return lead ? n.src : `(?:${n.src}|${END})`;
    case "assert":
      return lead || n.src === "$" ? n.src : `(?:${END}|${n.src})`;
    case "empty":
      return "";
    case "never":
      return "(?!)";
    case "look":
      if (n.behind) return lead ? emit(n) : `(?:${END}|${emit(n)})`;
      return `(?:(?=${emit(hitEnd(n.body))}${END})[\\s\\S]*|${emit(n)})`;
    case "group":
      return `(?:${emitUndecided(n.body, lead)})`;
    case "alt":
      return `(?:${n.alts.map((a) => emitUndecided(a, lead)).join("|")})`;
    case "seq": {
      let out = "";
      let l = lead;
      for (const x of n.items) {
        out += emitUndecided(x, l);
        if (maxLen(x) > 0) l = false;
      }
      return out;
    }
    case "quant":
      if (!n.lazy && n.body.k === "atom") {
        // A greedy run of one atom explores the same as `(?:X|END){m,n}` when written `X{m,n}`, plus, when the text
        // ends before m of them, `X{0,m-1}END`; and V8 runs it as a tight loop.
        const run = emit(n);
        return n.min === 0 ? run : `(?:${run}|${emit({ ...n, min: 0, max: n.min - 1 })}${END})`;
      }
      return emit({ ...n, body: { k: "atom", src: `(?:${emitUndecided(n.body, false)})`, max: 0 } });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

/**
 * A head of a pattern: its first items (bounded, without lookaheads), so every attempt of the undecided form U at t
 * either reads the end inside the head (then t ≥ n − max) or passes the whole head as the pattern would: the head
 * matches at t. V8 scans for a head of literals fast; U (full of `|END` alternatives) it cannot.
 */
interface Head {
  source: string;
  max: number;
  /**
   * The same head without the `i` flag, when it is made of ASCII literals only: each letter written as the class of
   * the characters `iu` matches it with (`k` also matches U+212A KELVIN SIGN and `s` U+017F LONG S, which fold to
   * them). V8 scans for it about twice as fast as with `i`.
   */
  folded: string | null;
}

/** A pattern (no flags) of ASCII literals as emitFolded writes it for the `i` flag, or null (exported for tests). */
export function foldedSource(pattern: string): string | null {
  return emitFolded(new Parser(pattern, true).parse());
}

/** A node of ASCII literals emitted with explicit case classes (see Head.folded), or null. */
function emitFolded(n: Node): string | null {
  switch (n.k) {
    case "atom": {
      const src = n.src;
      if (src.length === 2 && src[0] === "\\" && /[!-/:-@[-`{-~]/.test(src[1]!)) return src; // escaped ASCII punctuation
      // A class of ASCII non-letters, no ranges (a range could span letters), as `["']`, `[:=]`.
      if (/^\[[ -,./-@[_`{-~]+-?\]$/.test(src) && !/[\\\]^]/.test(src.slice(1, -1))) return src;
      if (src.length !== 1 || src.charCodeAt(0) > 0x7e || src.charCodeAt(0) < 0x20) return null;
      if (src === ".") return null;
      if (!/[a-zA-Z]/.test(src)) return src; // a literal character (no other special is a one-character atom)
      const lower = src.toLowerCase();
      return `[${lower}${lower.toUpperCase()}${lower === "k" ? "\\u212A" : lower === "s" ? "\\u017F" : ""}]`;
    }
    case "seq": {
      const parts = n.items.map(emitFolded);
      return parts.every((x) => x !== null) ? parts.join("") : null;
    }
    case "alt": {
      const parts = n.alts.map(emitFolded);
      return parts.every((x) => x !== null) ? `(?:${parts.join("|")})` : null;
    }
    case "group": {
      const b = emitFolded(n.body);
      return b === null ? null : `(?:${b})`;
    }
    case "quant": {
      const b = emitFolded(n.body);
      return b === null ? null : emit({ ...n, body: { k: "atom", src: `(?:${b})`, max: 0 } });
    }
    default:
      return null;
  }
}

function headOf(n: Node): Head | null {
  if (n.k === "group") return headOf(n.body);
  if (n.k === "alt") {
    // Each path goes through one alternative: through its head, or reading the end inside it.
    const heads = n.alts.map(headOf);
    if (heads.some((h) => h === null)) return null;
    const folded = heads.every((h) => h!.folded !== null) ? `(?:${heads.map((h) => h!.folded).join("|")})` : null;
    return { source: `(?:${heads.map((h) => h!.source).join("|")})`, max: Math.max(...heads.map((h) => h!.max)), folded };
  }
  let items = n.k === "seq" ? n.items : [n];
  // Leading assertions and lookbehinds left out (they consume nothing: a head without them matches at a superset of
  // the starts, which is sound), so that V8 can scan for the head's first characters.
  let lead = 0;
  while (lead < items.length - 1 && (items[lead]!.k === "assert" || (items[lead]!.k === "look" && (items[lead] as { behind: boolean }).behind))) lead++;
  items = items.slice(lead);
  let k = 0;
  let max = 0;
  for (; k < items.length; k++) {
    const it = items[k]!;
    const m = maxLen(it);
    if (hasLookahead(it) || !Number.isFinite(m) || m < 0 || max + m > 64) break;
    max += m;
  }
  if (k === 0 || max === 0) return null;
  const head = seq(items.slice(0, k));
  return { source: emit(head), max, folded: emitFolded(head) };
}

interface Prepared extends CompiledPattern {
  undecided: string;
  undecidedHead: Head | null;
  /** A faster search for candidates: the pattern's suffix from its first literal-led item, and how far before it a match can start. */
  search: Search | null;
  /** Longest text an attempt can consume before it reads the end (Infinity when unbounded). */
  hitMax: number;
  lookbehind: number;
  /** Facts every match satisfies, tested before the search (prefilter.ts). */
  prefilter: Prefilter;
  /** A bound on the undecided starts from the run of characters the pattern's unbounded part consumes (tailOf). */
  tail: Tail | null;
}

function prepare(rule: unknown, index: number): Prepared | MaskCompileError {
  const fail = (name: string | null, message: string): MaskCompileError => ({ index, name, message: `mask ${name === null ? `#${index}` : JSON.stringify(name)}: ${message}` });
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return fail(null, "must be an object with name and pattern");
  const r = rule as Record<string, unknown>;
  if (typeof r.name !== "string" || r.name === "") return fail(null, "name must be a non-empty string");
  const name = r.name;
  if (typeof r.pattern !== "string" || r.pattern === "") return fail(name, "pattern must be a non-empty string");
  const replacement = r.replacement === undefined || r.replacement === null ? `[MASKED:${name}]` : r.replacement;
  if (typeof replacement !== "string") return fail(name, "replacement must be a string");
  if (replacement.length > MAX_REPLACEMENT) return fail(name, `replacement is longer than ${MAX_REPLACEMENT} characters`);
  if (r.maxLength !== undefined && r.maxLength !== null && (typeof r.maxLength !== "number" || !Number.isInteger(r.maxLength) || r.maxLength < 1 || r.maxLength > MAX_WINDOW)) {
    return fail(name, `maxLength must be an integer from 1 to ${MAX_WINDOW}`);
  }
  for (const k of Object.keys(r)) if (!["name", "pattern", "replacement", "maxLength"].includes(k)) return fail(name, `unknown field ${JSON.stringify(k)}`);
  let pattern = r.pattern;
  let flags = "";
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (inline) {
    for (const f of inline[1]!) {
      if (!"ims".includes(f)) return fail(name, `inline flag "${f}" is not supported (only i, m and s)`);
      if (!flags.includes(f)) flags += f;
    }
    pattern = pattern.slice(inline[0].length);
  }
  try {
    new RegExp(pattern, `${flags}u`);
  } catch (e) {
    return fail(name, `invalid pattern: ${(e as Error).message}`);
  }
  let ast: Node;
  let lookbehind: number;
  try {
    ast = new Parser(pattern, flags.includes("i")).parse();
    lookbehind = lookbehindReach(ast);
  } catch (e) {
    if (e instanceof SyntaxProblem) return fail(name, e.message);
    throw e;
  }
  if (minLen(ast) === 0) return fail(name, "the pattern can match the empty string");
  const source = emit(ast);
  // Leading assertions and lookbehinds are left out of U: a superset of the undecided starts (sound: it only holds
  // back more), and U then starts with a character V8 can scan for.
  let lead = ast;
  if (ast.k === "seq") {
    let k = 0;
    while (k < ast.items.length - 1 && (ast.items[k]!.k === "assert" || (ast.items[k]!.k === "look" && (ast.items[k] as { behind: boolean }).behind))) k++;
    lead = seq(ast.items.slice(k));
  }
  const undecided = emitUndecided(lead, true);
  try {
    new RegExp(source, `${flags}u`);
    new RegExp(undecided, `${flags}u`);
  } catch (e) {
    return fail(name, `pattern not supported: ${(e as Error).message}`);
  }
  const max = maxLen(ast);
  const hitMax = Math.max(0, maxLen(hitEnd(ast)));
  const maxLength = typeof r.maxLength === "number" ? r.maxLength : undefined;
  // A held tail is a prefix that more text could change, or a whole match that ends at the end (held one more push).
  const window = maxLength ?? (Number.isFinite(hitMax) && Number.isFinite(max) ? Math.max(hitMax, max) : DEFAULT_MAX_LENGTH);
  if (window > MAX_WINDOW) return fail(name, `the longest text a stream would hold back is ${window} characters, over ${MAX_WINDOW}: bound the repetitions or set maxLength`);
  return { name, source, flags, replacement, maxMatch: Number.isFinite(max) ? max : null, window, undecided, undecidedHead: headOf(lead), search: searchSuffix(ast, flags), hitMax, lookbehind, prefilter: prefilterOf(ast, minLen(ast), flags.includes("i")), tail: tailOf(ast, flags) };
}

/**
 * A pattern P = A·R (a sequence, no lookahead anywhere) whose first items A are bounded (`before`: their longest text)
 * and whose rest R is not: R consumes only characters of `run` (the alternation of its atoms). An attempt at s that
 * reads the end of text[0..n) does so inside A (then s ≥ n − before) or inside R, after A ended at a ≤ s + before, R
 * having consumed text[a..n) (only lookaheads could read past what is consumed): then text[a..n) is a run of `run`
 * characters, a ≥ the start r of the run ending at n, and s ≥ r − before. Either way s ≥ r − before. Only kept when
 * `run` takes no whitespace (so the runs are words, not the whole text: `…://[^\s:/@]+:…`, `…[A-Za-z0-9_-]{20,}`).
 */
interface Tail {
  run: string;
  before: number;
}

function tailOf(n: Node, flags: string): Tail | null {
  if (n.k !== "seq" || hasLookahead(n)) return null;
  let before = 0;
  let k = 0;
  for (; k < n.items.length; k++) {
    const m = maxLen(n.items[k]!);
    if (!Number.isFinite(m)) break;
    before += Math.max(m, 0);
  }
  if (k === 0 || k === n.items.length) return null;
  const atoms = [...atomsOf(seq(n.items.slice(k)), new Set())];
  if (atoms.length === 0) return null;
  const run = `(?:${atoms.join("|")})`;
  const re = new RegExp(run, `${flags}u`);
  if (re.test(" ") || re.test("\n") || re.test("\t")) return null;
  return { run, before };
}

/** Whether every match of n begins with a literal character (so V8 scans for it quickly). */
function literalLed(n: Node): boolean {
  switch (n.k) {
    case "atom":
      return !/^[[.]/.test(n.src) && !(n.src[0] === "\\" && /^\\[a-zA-Z0-9]/.test(n.src));
    case "group":
      return literalLed(n.body);
    case "alt":
      return n.alts.every(literalLed);
    case "seq":
      return n.items.length > 0 && literalLed(n.items[0]!);
    case "quant":
      return n.min >= 1 && literalLed(n.body);
    default:
      return false;
  }
}

interface Search {
  /** The suffix (from the first literal-led item), searched for, and its undecided form and hit-end bound. */
  source: string;
  undecided: string;
  head: Head | null;
  hitMax: number;
  /** The longest text the prefix consumes (Infinity when unbounded). */
  before: number;
  /**
   * With an unbounded prefix: one character the prefix can consume (the alternation of its atoms), so every text the
   * prefix consumes is a run of them: a match at s with its suffix at t has text[s..t) all matching `run`.
   */
  run: string | null;
  /** The suffix's Tail. */
  tail: Tail | null;
}

/** The atoms (character matchers) a node can consume. */
function atomsOf(n: Node, out: Set<string>): Set<string> {
  switch (n.k) {
    case "atom":
      out.add(n.src);
      break;
    case "seq":
      for (const x of n.items) atomsOf(x, out);
      break;
    case "alt":
      for (const x of n.alts) atomsOf(x, out);
      break;
    case "group":
    case "quant":
      atomsOf(n.body, out);
      break;
    default:
      break;
  }
  return out;
}

/** Whether a node holds a lookahead (which reads forward without consuming). */
function hasLookahead(n: Node): boolean {
  switch (n.k) {
    case "look":
      return !n.behind || hasLookahead(n.body);
    case "seq":
      return n.items.some(hasLookahead);
    case "alt":
      return n.alts.some(hasLookahead);
    case "group":
    case "quant":
      return hasLookahead(n.body);
    default:
      return false;
  }
}

/**
 * For a pattern that does not begin with a literal (`\b…`, `[A-Z_]{0,40}KEY…`): its suffix from the first literal-led
 * item. Every match at s holds a suffix match at s + k, k ≤ before; V8 finds suffix matches fast, and the pattern
 * itself is then tried (sticky) only at the starts in [t − before, t]. When the prefix is unbounded (or long:
 * `\b[\w.-]*(?:password|…)…`), the starts are those of the run of prefix characters that ends at t (found backwards
 * from t), since the prefix consumes only such characters.
 */
function searchSuffix(ast: Node, flags: string): Search | null {
  if (ast.k !== "seq" || literalLed(ast)) return null;
  let before = 0;
  for (let k = 0; k < ast.items.length; k++) {
    const item = ast.items[k]!;
    if (literalLed(item)) {
      if (k === 0) return null;
      const prefix = seq(ast.items.slice(0, k));
      // A lookahead in the prefix reads past what the prefix consumes: the bounds below would not hold.
      if (hasLookahead(prefix)) return null;
      const suffix = seq(ast.items.slice(k));
      const run = Number.isFinite(before) ? null : `(?:${[...atomsOf(prefix, new Set())].join("|")})`;
      if (run === "(?:)") return null;
      return { source: emit(suffix), before, undecided: emitUndecided(suffix, true), head: headOf(suffix), hitMax: Math.max(0, maxLen(hitEnd(suffix))), run, tail: tailOf(suffix, flags) };
    }
    const m = maxLen(item);
    if (m < 0) return null;
    before += m;
    // A long bounded prefix is searched as a run too (fewer starts to try than `before`).
    if (before > 256) before = Infinity;
  }
  return null;
}

/** The prefilter a rule compiles to (prefilter.ts), or its compile error. For tests. */
export function prefilterFor(rule: MaskRule): Prefilter | MaskCompileError {
  const p = prepare(rule, 0);
  return "message" in p ? p : p.prefilter;
}

export interface CompileOptions {
  /** Whether the match search skips patterns whose prefilter fails (prefilter.ts; same results); default true. For tests. */
  prefilter?: boolean;
  /** Below this many characters to search, the undecided search does not use the Tail bound (default 256). For tests. */
  tailMin?: number;
}

/** Compiles a decision's `mask` list; any invalid entry makes the whole list invalid. */
export function compileMasks(rules: unknown, options: CompileOptions = {}): CompileResult {
  if (rules === undefined || rules === null) return { ok: true, masker: new Masker([]) };
  if (!Array.isArray(rules)) return { ok: false, errors: [{ index: -1, name: null, message: "mask must be a list of {name, pattern, replacement?}" }] };
  const errors: MaskCompileError[] = [];
  const prepared: Prepared[] = [];
  rules.forEach((r, i) => {
    const p = prepare(r, i);
    if ("message" in p) errors.push(p);
    else prepared.push(p);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, masker: new Masker(prepared, options.prefilter ?? true, options.tailMin ?? TAIL_MIN) };
}

export class MaskingError extends Error {
  constructor(
    message: string,
    readonly pattern: string | null,
  ) {
    super(message);
  }
}

interface Runtime {
  /** The pattern, global: leftmost match from lastIndex. */
  re: RegExp;
  /** With `search`: the pattern sticky, the suffix global, and the suffix's greatest offset in a match. */
  sticky: RegExp | null;
  /** The pattern sticky (tried at its head's matches), and with `search` the suffix sticky. */
  plainSticky: RegExp;
  suffixSticky: RegExp | null;
  suffix: RegExp | null;
  before: number;
  /** The suffix's undecided form and hit-end bound. */
  suffixUnd: Undecided | null;
  /** With an unbounded prefix: one prefix character, sticky (see Search.run). */
  run: RegExp | null;
  suffixHitMax: number;
  /** The Tail bounds of the pattern and of its suffix: the run (sticky) and `before`. */
  tail: RegExp | null;
  tailBefore: number;
  suffixTail: RegExp | null;
  suffixTailBefore: number;
  /** Its undecided form U (see emitUndecided), global. */
  und: Undecided;
  hitMax: number;
  window: number;
  name: string;
  replacement: string;
  /** Facts every match satisfies (null: not used): a pattern whose facts fail on text[from..] is not searched. */
  prefilter: Prefilter | null;
}

/** The leftmost match of one pattern at or after `from`: [start, end], or null. */
function leftmost(p: Runtime, text: string, from: number, viaHeads: boolean): [number, number] | null {
  if (!p.suffix || !p.sticky) {
    if (viaHeads && p.und.hasHead) {
      // Every match starts where the head of U (the pattern's first items) matches: the same candidates the
      // undecided search walks, scanned once for both.
      for (let x = from; ; ) {
        const t = p.und.nextHead(text, x);
        if (t < 0) return null;
        p.plainSticky.lastIndex = t;
        const m = p.plainSticky.exec(text);
        if (m) return [t, t + m[0].length];
        x = after(text, t);
      }
    }
    p.re.lastIndex = from;
    const m = p.re.exec(text);
    return m ? [m.index, m.index + m[0].length] : null;
  }
  // Candidates from the suffix: a match at s has its suffix at t ∈ [s, s + before]; the first suffix start t ≥ lo
  // bounds the leftmost match's start from below by t − before, and any match starting at most t is found in
  // [max(lo, t − before), t]. None there: no match starts ≤ t; go on after t. (`x`, where the next suffix is looked
  // for, may pass `lo`: a head where the suffix does not match is no suffix start, but a match may start before it,
  // its suffix further on.)
  let x = from;
  let lo = from;
  for (;;) {
    let t: number;
    if (viaHeads && p.suffixUnd?.hasHead && p.suffixSticky) {
      t = p.suffixUnd.nextHead(text, x);
      if (t < 0) return null;
      p.suffixSticky.lastIndex = t;
      if (!p.suffixSticky.test(text)) {
        x = after(text, t);
        continue;
      }
    } else {
      p.suffix.lastIndex = x;
      const m = p.suffix.exec(text);
      if (!m) return null;
      t = m.index;
    }
    for (let s = p.run ? runStart(p.run, text, t, lo) : Math.max(lo, t - p.before); s <= t; s++) {
      const c = text.charCodeAt(s);
      if (c >= 0xdc00 && c < 0xe000 && s > 0 && isHigh(text.charCodeAt(s - 1))) continue; // inside a surrogate pair
      p.sticky.lastIndex = s;
      const pm = p.sticky.exec(text);
      if (pm) return [s, s + pm[0].length];
    }
    x = lo = t + 1;
  }
}

const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;

/** Below this many characters to search, the Tail bound is not computed (a regex scan of them costs less). */
const TAIL_MIN = 256;

/** The code point boundary after the one at t. */
const after = (text: string, t: number) => (isHigh(text.charCodeAt(t)) && text.charCodeAt(t + 1) >= 0xdc00 && text.charCodeAt(t + 1) < 0xe000 ? t + 2 : t + 1);

/**
 * The start of the run of `run` characters (one code point each) that ends at t, but not before `floor`: the least
 * r ≥ floor such that every code point of text[r..t) matches `run`. floor and t are code point boundaries.
 */
export function runStart(run: RegExp, text: string, t: number, floor: number): number {
  let r = t;
  while (r > floor) {
    let p = r - 1;
    const c = text.charCodeAt(p);
    if (c >= 0xdc00 && c < 0xe000 && p > floor && isHigh(text.charCodeAt(p - 1))) p--;
    run.lastIndex = p;
    if (!run.test(text)) break;
    r = p;
  }
  return r;
}

/** A pattern's undecided form U, with its head (see Head) to find U's candidate starts. */
export class Undecided {
  readonly global: RegExp;
  private readonly sticky: RegExp;
  private readonly head: RegExp | null;
  private readonly headMax: number;
  /** The head's matches in one text, scanned from `lo` up to `hi` (Infinity: to the end), ascending. */
  private cText: string | null = null;
  private cList: number[] = [];
  private cLo = 0;
  private cHi = 0;
  private cI = 0;
  constructor(source: string, head: Head | null, flags: string) {
    this.global = new RegExp(source, `${flags}gu`);
    this.sticky = new RegExp(source, `${flags}uy`);
    this.folded = head !== null && flags.includes("i") && head.folded !== null;
    this.head = !head ? null : this.folded ? new RegExp(head.folded!, `${flags.replace("i", "")}gu`) : new RegExp(head.source, `${flags}gu`);
    this.headMax = head?.max ?? 0;
  }

  /** Whether the head is searched case-folded (without `i`). */
  readonly folded: boolean;

  /** Forgets the cached head matches (a new text is being scanned; equal texts would give the same ones anyway). */
  reset(): void {
    this.cText = null;
    this.cList = [];
  }

  get hasHead(): boolean {
    return this.head !== null;
  }

  /** The first start ≥ y (a code point boundary) where the head matches in `text`, or -1; cached per text. */
  nextHead(text: string, y: number): number {
    if (this.cText !== text || y < this.cLo || y > this.cHi) {
      this.cText = text;
      this.cList = [];
      this.cLo = this.cHi = y;
      this.cI = 0;
    }
    const list = this.cList;
    let i = this.cI;
    if (i > 0 && list[i - 1]! >= y) i = 0;
    while (i < list.length && list[i]! < y) i++;
    this.cI = i;
    if (i < list.length) return list[i]!;
    if (this.cHi === Infinity) return -1;
    const head = this.head!;
    head.lastIndex = this.cHi;
    const m = head.exec(text);
    if (!m) {
      this.cHi = Infinity;
      return -1;
    }
    list.push(m.index);
    this.cHi = after(text, m.index);
    return m.index;
  }

  /**
   * The earliest start in [x, limit) whose attempt is undecided (U's first match there ends at the end of `text`),
   * else limit. Before n − headMax, only the head's matches can be such starts: U is tried (sticky) at those alone.
   */
  first(text: string, x: number, limit: number): number {
    const head = this.head;
    if (head) {
      const tail = Math.min(limit, Math.max(x, text.length - this.headMax));
      while (x < tail) {
        const t = this.nextHead(text, x);
        if (t < 0 || t >= tail) break;
        this.sticky.lastIndex = t;
        const u = this.sticky.exec(text);
        if (u && t + u[0].length === text.length) return t;
        x = after(text, t);
      }
      x = Math.max(x, tail);
    }
    return firstUndecided(this.global, text, x, limit);
  }
}

/** The earliest start in [x, limit) where the undecided form `und` matches up to the end of `text`, else limit. */
function firstUndecided(und: RegExp, text: string, x: number, limit: number): number {
  const n = text.length;
  while (x < limit) {
    und.lastIndex = x;
    const m = und.exec(text);
    if (!m || m.index >= limit) break;
    if (m.index + m[0].length === n) return m.index;
    x = m.index + 1;
    if (isHigh(text.charCodeAt(x - 1)) && text.charCodeAt(x) >= 0xdc00 && text.charCodeAt(x) < 0xe000) x++; // not inside a pair
  }
  return limit;
}


/**
 * The next match of each pattern from a position, cached while the scan moves forward: each pattern is searched
 * on its own (V8 scans a single pattern's first characters far faster than an alternation of twelve), and the
 * leftmost start wins, the earlier pattern on a tie: the semantics of one alternation `P1|P2|…`.
 */
class MatchCache {
  private readonly starts: number[];
  private readonly ends: number[];
  /** The CharMask of the text, for the prefilters (null when the text is too long for factors to pay off). */
  private readonly mask: CharMask | null;
  constructor(
    private readonly rt: readonly Runtime[],
    private readonly text: string,
    private readonly viaHeads: boolean,
    mask: CharMask | null,
  ) {
    this.starts = rt.map(() => -1);
    this.ends = rt.map(() => -1);
    this.mask = mask;
  }

  /** The leftmost match at or after `from` (`from` never decreases between calls), or null. */
  next(from: number): Match | null {
    let best = -1;
    for (let i = 0; i < this.rt.length; i++) {
      let start = this.starts[i]!;
      if (start === -2) continue; // no match at or after an earlier `from`
      if (start < from) {
        const p = this.rt[i]!;
        // No match of p starts at or after `from` when its prefilter fails there (nor after a later `from`).
        const m = p.prefilter && !mayMatch(p.prefilter, this.text, from, this.mask) ? null : leftmost(p, this.text, from, this.viaHeads);
        if (!m) {
          this.starts[i] = -2;
          continue;
        }
        start = this.starts[i] = m[0];
        this.ends[i] = m[1];
      }
      if (best < 0 || start < this.starts[best]!) best = i;
    }
    return best < 0 ? null : { start: this.starts[best]!, end: this.ends[best]!, pattern: best };
  }
}

export class Masker {
  readonly patterns: readonly CompiledPattern[];
  /** The longest text a stream holds back (max over the patterns' windows). */
  readonly window: number;
  /** The smallest of the patterns' windows. */
  readonly minWindow: number;
  /** Characters of already-decided text a stream keeps for lookbehinds and `\b` (code units). */
  readonly context: number;
  private readonly rt: Runtime[];
  private readonly sticky: (RegExp | undefined)[];
  /** The shortest match of any pattern (with the prefilter on; else 1). */
  private readonly minMatch: number;
  private readonly prefilter: boolean;

  constructor(
    prepared: Prepared[],
    prefilter = true,
    private readonly tailMin = TAIL_MIN,
  ) {
    this.patterns = prepared.map(({ name, source, flags, replacement, maxMatch, window }) => ({ name, source, flags, replacement, maxMatch, window }));
    this.window = Math.max(0, ...prepared.map((p) => p.window));
    this.minWindow = Math.min(...prepared.map((p) => p.window));
    this.context = Math.max(0, ...prepared.map((p) => p.lookbehind)) + 4;
    this.rt = prepared.map((p) => ({
      re: new RegExp(p.source, `${p.flags}gu`),
      sticky: p.search ? new RegExp(p.source, `${p.flags}uy`) : null,
      plainSticky: new RegExp(p.source, `${p.flags}uy`),
      suffixSticky: p.search ? new RegExp(p.search.source, `${p.flags}uy`) : null,
      suffix: p.search ? new RegExp(p.search.source, `${p.flags}gu`) : null,
      before: p.search?.before ?? 0,
      suffixUnd: p.search ? new Undecided(p.search.undecided, p.search.head, p.flags) : null,
      run: p.search?.run ? new RegExp(p.search.run, `${p.flags}uy`) : null,
      suffixHitMax: p.search?.hitMax ?? 0,
      tail: p.tail ? new RegExp(p.tail.run, `${p.flags}uy`) : null,
      tailBefore: p.tail?.before ?? 0,
      suffixTail: p.search?.tail ? new RegExp(p.search.tail.run, `${p.flags}uy`) : null,
      suffixTailBefore: p.search?.tail?.before ?? 0,
      und: new Undecided(p.undecided, p.undecidedHead, p.flags),
      hitMax: p.hitMax,
      window: p.window,
      name: p.name,
      replacement: p.replacement,
      prefilter: prefilter ? p.prefilter : null,
    }));
    this.sticky = prepared.map(() => undefined);
    this.minMatch = prefilter ? Math.min(...prepared.map((p) => p.prefilter.minLength)) : 1;
    this.prefilter = prefilter;
  }

  get empty(): boolean {
    return this.rt.length === 0;
  }

  /**
   * A cursor over `text` giving the leftmost match from increasing positions. `viaHeads`: candidates from the
   * patterns' heads, whose matches the undecided search (undecidedFrom, on the same text) has already found (one
   * scan for both); otherwise V8 scans for each pattern itself (faster on a text scanned once).
   */
  matches(text: string, viaHeads = false, from = 0): { next(from: number): Match | null } {
    // (A stream's pushes are searched without the character mask: its cost, over the held and new text at every push,
    // is more than what it saves there; minimum lengths and the factors of case-insensitive patterns are still tested.)
    return new MatchCache(this.rt, text, viaHeads, viaHeads ? null : this.maskOf(text, from));
  }

  /** The CharMask of text[from..] for the prefilters, when it is short enough for them to use it; else null. */
  private maskOf(text: string, from: number): CharMask | null {
    return this.prefilter && text.length - from <= FACTOR_SPAN ? charMask(text, from, { lo: 0, hi: 0 }) : null;
  }

  /**
   * The earliest start ≥ `from` whose attempt (of any pattern) reads the end of `text`, so that text appended to it
   * could change the outcome; text.length when there is none. An attempt that matches exactly up to the end counts
   * as undecided too (it costs a short hold, never a wrong answer).
   */
  undecidedFrom(text: string, from: number): number {
    const n = text.length;
    let best = n;
    for (const p of this.rt) {
      let x = Math.max(from, n - p.hitMax);
      // The Tail bound (tailOf), when it may skip much: it walks back along the last run, one test per character.
      if (p.tail && n - x > this.tailMin) x = Math.max(x, runStart(p.tail, text, n, x) - p.tailBefore);
      if (p.suffixUnd) {
        // P = A·S with A at most `before` long: an attempt at s that reads the end does so inside A (then
        // s ≥ n − before) or inside S at some t ∈ [s, s + before], an undecided start of S (then s ≥ t_S − before).
        let y = Math.max(from, n - p.suffixHitMax);
        if (p.suffixTail && n - y > this.tailMin) y = Math.max(y, runStart(p.suffixTail, text, n, y) - p.suffixTailBefore);
        const tS = p.suffixUnd.first(text, y, n);
        // Unbounded A (it consumes only `run` characters): then s ≥ the start of the run ending at n, or at t ≥ tS;
        // the run start is monotone in its end, so s ≥ runStart(tS).
        x = p.run ? Math.max(x, runStart(p.run, text, tS, x)) : Math.max(x, Math.min(n - p.before, tS - p.before));
      }
      const u = p.und.first(text, x, best);
      if (u < best) best = u;
    }
    return best;
  }

  /** The longest hold-back allowed for text undecided from `at`: the max window of the patterns undecided there. */
  holdAllowance(text: string, at: number): { allowed: number; pattern: string | null } {
    let allowed = 0;
    let pattern: string | null = null;
    this.rt.forEach((p, i) => {
      const re = (this.sticky[i] ??= new RegExp(p.und.global.source, p.und.global.flags.replace("g", "y")));
      re.lastIndex = at;
      const m = re.exec(text);
      if (m && at + m[0].length === text.length && p.window >= allowed) {
        allowed = p.window;
        pattern = p.name;
      }
    });
    return { allowed, pattern };
  }

  replacement(pattern: number): string {
    return this.rt[pattern]!.replacement;
  }

  nameOf(pattern: number): string {
    return this.rt[pattern]!.name;
  }

  /** Whether some pattern's prefilter holds on text[from..] (or a pattern has none). */
  private anyMayMatch(text: string, from: number, mask: CharMask | null): boolean {
    for (const p of this.rt) if (!p.prefilter || mayMatch(p.prefilter, text, from, mask)) return true;
    return false;
  }

  /** Masks a whole text: leftmost-first, non-overlapping, each match replaced literally. */
  maskText(text: string): MaskResult {
    const counts = new Map<string, number>();
    const out = this.scanAll(text, 0, counts);
    return { text: out, hits: hitsOf(counts) };
  }

  /**
   * Starts the scan of a new text: drops the head matches cached for the last one (so a text is scanned afresh even
   * when it equals the last one, as a benchmark repeating one text would otherwise not measure).
   */
  newText(): void {
    for (const p of this.rt) {
      p.und.reset();
      p.suffixUnd?.reset();
    }
  }

  /**
   * Masks text[from..] as a complete text, counting hits into `counts`. A short text (the strings of a policy input,
   * of a JSON body) usually fails every pattern's prefilter: it comes back as it is, without any regex.
   */
  scanAll(text: string, from: number, counts: Map<string, number>): string {
    if (this.rt.length === 0 || text.length - from < this.minMatch) return from === 0 ? text : text.slice(from);
    const mask = this.maskOf(text, from);
    if (!this.anyMayMatch(text, from, mask)) return from === 0 ? text : text.slice(from);
    const cursor = new MatchCache(this.rt, text, false, mask);
    let out = "";
    let pos = from;
    for (;;) {
      const m = cursor.next(pos);
      if (!m) break;
      out += text.slice(pos, m.start) + this.replacement(m.pattern);
      const name = this.nameOf(m.pattern);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      pos = m.end;
    }
    return pos === 0 ? text : out + text.slice(pos);
  }
}

export function hitsOf(counts: Map<string, number>): MaskHit[] {
  return [...counts].map(([name, count]) => ({ name, count }));
}

/** Adds hit lists into one. */
export function mergeHits(...lists: MaskHit[][]): MaskHit[] {
  const counts = new Map<string, number>();
  for (const l of lists) for (const h of l) counts.set(h.name, (counts.get(h.name) ?? 0) + h.count);
  return hitsOf(counts);
}
