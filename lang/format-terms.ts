// Formatter term helpers: precedence, where parentheses are needed, and how scalars are spelled.
import type * as A from "./ast.js";
import { PRECEDENCE } from "./to-ast.js";

export const MEMBERSHIP = 1;
/** Anything that is not an infix expression. */
export const ATOM = 10;

export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function precedence(t: A.Term): number {
  if (t.kind === "binary") return PRECEDENCE[t.op];
  if (t.kind === "membership") return MEMBERSHIP;
  return ATOM;
}

/** The operator printed right after a term's first operand, if the term is an infix expression. */
export function firstOperator(t: A.Term): string | undefined {
  if (t.kind === "binary") {
    const p = PRECEDENCE[t.op];
    if (precedence(t.left) < p) return t.op;
    return firstOperator(t.left) ?? t.op;
  }
  if (t.kind === "membership") {
    if (t.key !== undefined) return ",";
    if (t.value.kind === "membership" && t.value.key !== undefined) return "in";
    return firstOperator(t.value) ?? "in";
  }
  return undefined;
}

/**
 * Whether `|` appears in `t` outside parentheses. The parser rejects `k, a | b in xs` (and `k, x == a | b in xs`)
 * although the grammar allows it; `k, (a | b) in xs` parses, so such a value is printed in parentheses.
 */
export function hasPipe(t: A.Term): boolean {
  if (t.kind !== "binary") return false;
  const p = PRECEDENCE[t.op];
  return t.op === "|" || (precedence(t.left) >= p && hasPipe(t.left)) || (precedence(t.right) > p && hasPipe(t.right));
}

/** The first term printed for `t` (ignoring parentheses). */
export function leftmost(t: A.Term): A.Term {
  switch (t.kind) {
    case "binary":
      return leftmost(t.left);
    case "membership":
      return leftmost(t.key ?? t.value);
    default:
      return t;
  }
}

/** Whether a term prints starting with `{`. */
export function startsWithBrace(t: A.Term): boolean {
  switch (t.kind) {
    case "object":
    case "setcompr":
    case "objectcompr":
      return true;
    case "set":
      return t.items.length > 0;
    case "ref":
      return t.head.kind !== "var" && startsWithBrace(t.head);
    default:
      return false;
  }
}

export function stringLiteral(t: A.StringTerm): string {
  if (t.raw && !t.value.includes("`")) return `\`${t.value}\``;
  return JSON.stringify(t.value);
}
