// The RE2 parse tree: node types, parser flags, Go's syntax errors and limits, and the tree checks behind them.

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** A syntax error as Go reports it: "error parsing regexp: <code>: `<expr>`". */
export class RegexSyntaxError extends Error {}

export const ERR = {
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

export function syntaxError(code: string, expr: string): RegexSyntaxError {
  return new RegexSyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
}

// ---------------------------------------------------------------------------------------------------------------
// Parse tree

export type Node =
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

export interface Flags {
  fold: boolean;
  dotNL: boolean;
  oneLine: boolean;
  nonGreedy: boolean;
}

export const MAX_RUNE = 0x10ffff;
export const MAX_REPEAT = 1000;
export const MAX_HEIGHT = 1000;
export const MAX_SIZE = Math.floor((128 << 20) / 40);

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

export function repeatIsValid(n: Node, limit: number): boolean {
  if (n.k === "rep" && n.brace) {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  return children(n).every((c) => repeatIsValid(c, limit));
}

export function height(n: Node): number {
  if (n.k === "group") return height(n.sub);
  let h = 1;
  for (const c of children(n)) h = Math.max(h, 1 + height(c));
  return h;
}

export function size(n: Node): number {
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
