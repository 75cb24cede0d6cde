// A walk over the terms of a rule: heads, bodies, comprehensions, `every`, `with`. The visitor sees each term
// before its parts and may return false to skip them; `statement` is true for a term that is a whole literal.
import type * as A from "../../lang/ast.js";

export type TermVisitor = (t: A.Term, statement: boolean) => boolean | void;

export function walkTerm(t: A.Term, visit: TermVisitor, statement = false): void {
  if (visit(t, statement) === false) return;
  switch (t.kind) {
    case "ref":
      walkTerm(t.head as A.Term, visit);
      for (const p of t.path) walkTerm(p, visit);
      return;
    case "call":
      for (const a of t.args) walkTerm(a, visit);
      return;
    case "array":
    case "set":
      for (const i of t.items) walkTerm(i, visit);
      return;
    case "object":
      for (const e of t.entries) {
        walkTerm(e.key, visit);
        walkTerm(e.value, visit);
      }
      return;
    case "arraycompr":
    case "setcompr":
      walkTerm(t.term, visit);
      walkBody(t.body, visit);
      return;
    case "objectcompr":
      walkTerm(t.key, visit);
      walkTerm(t.value, visit);
      walkBody(t.body, visit);
      return;
    case "binary":
      walkTerm(t.left, visit);
      walkTerm(t.right, visit);
      return;
    case "membership":
      if (t.key) walkTerm(t.key, visit);
      walkTerm(t.value, visit);
      walkTerm(t.collection, visit);
      return;
    default:
      return;
  }
}

export function walkBody(b: A.Body, visit: TermVisitor): void {
  for (const lit of b.literals) {
    const e = lit.expr;
    switch (e.kind) {
      case "term-expr":
        walkTerm(e.term, visit, true);
        break;
      case "assign":
        walkTerm(e.left, visit);
        walkTerm(e.right, visit);
        break;
      case "some-in":
        if (e.key) walkTerm(e.key, visit);
        walkTerm(e.value, visit);
        walkTerm(e.collection, visit);
        break;
      case "every":
        walkTerm(e.domain, visit);
        walkBody(e.body, visit);
        break;
      case "some-decl":
        break;
    }
    for (const w of lit.with) walkTerm(w.value, visit);
  }
}

export function walkRule(rule: A.Rule, visit: TermVisitor): void {
  const h = rule.head;
  for (const t of [h.value, h.contains, ...h.name.path, ...(h.args ?? [])]) if (t) walkTerm(t, visit);
  for (const b of [rule.body, ...rule.alternatives]) if (b) walkBody(b, visit);
  for (const e of rule.elses) {
    if (e.value) walkTerm(e.value, visit);
    if (e.body) walkBody(e.body, visit);
  }
}

/** The dotted name a var or a ref of names stands for (`data.lib.f` → ["data", "lib", "f"]), if it is one. */
export function refName(t: A.Term): string[] | undefined {
  if (t.kind === "var") return [t.name];
  if (t.kind === "ref" && t.head.kind === "var" && t.path.every((p) => p.kind === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as A.StringTerm).value)];
  }
  return undefined;
}
