// Stage "safety": a body's literals run in an order where each one's inputs are bound, as OPA reorders them, and
// a variable that nothing can bind is an error (rego_unsafe_var_error). The reference interpreter uses the same
// readiness test at run time; `checkSafety` applies it statically to every body of a policy.
import type * as A from "../../lang/ast.js";
import type { CompileError } from "../errors.js";
import { walkTerm } from "./walk.js";

/** What is bound: a set of variable names, or the bindings of an evaluation. */
export interface Bound {
  has(name: string): boolean;
}

/** Variables a term needs bound before it can be evaluated (not those it can bind itself, in ref brackets). */
export function neededVars(t: A.Term, out: Set<string>, inRefPath = false): void {
  switch (t.kind) {
    case "var":
      if (!inRefPath && t.name !== "input" && t.name !== "data") out.add(t.name);
      return;
    case "ref":
      neededVars(t.head as A.Term, out);
      for (const p of t.path) neededVars(p, out, true);
      return;
    case "call":
      t.args.forEach((a) => neededVars(a, out));
      return;
    case "array":
    case "set":
      t.items.forEach((i) => neededVars(i, out, inRefPath));
      return;
    case "object":
      t.entries.forEach((e) => (neededVars(e.key, out, inRefPath), neededVars(e.value, out, inRefPath)));
      return;
    case "binary":
      neededVars(t.left, out);
      neededVars(t.right, out);
      return;
    case "membership":
      if (t.key) neededVars(t.key, out);
      neededVars(t.value, out);
      neededVars(t.collection, out);
      return;
    case "arraycompr":
    case "setcompr":
    case "objectcompr":
      // free variables of a comprehension that the enclosing body binds must be bound first; others are local
      return;
    default:
      return;
  }
}

export function termReady(t: A.Term, env: Bound): boolean {
  const need = new Set<string>();
  neededVars(t, need);
  if (t.kind === "var" && !env.has(t.name) && t.name !== "input" && t.name !== "data") return false;
  for (const v of need) if (!env.has(v)) return false;
  return true;
}

export function isPatternish(t: A.Term): boolean {
  return t.kind === "var" || t.kind === "array" || t.kind === "object";
}

/** Whether a literal's inputs are bound, so that it can run now. */
export function isReady(lit: A.Literal, env: Bound, arity?: ArityOf): boolean {
  const need = new Set<string>();
  const e = lit.expr;
  switch (e.kind) {
    case "term-expr":
      neededVars(e.term, need);
      break;
    case "assign": {
      if (e.op === ":=") {
        neededVars(e.right, need);
        break;
      }
      const l = new Set<string>();
      const r = new Set<string>();
      neededVars(e.left, l);
      neededVars(e.right, r);
      const leftOk = [...l].every((v) => env.has(v)) || isPatternish(e.left);
      const rightOk = [...r].every((v) => env.has(v)) || isPatternish(e.right);
      const lBound = [...l].every((v) => env.has(v));
      const rBound = [...r].every((v) => env.has(v));
      if (!((lBound && rightOk) || (rBound && leftOk) || (isPatternish(e.left) && isPatternish(e.right)))) return false;
      break;
    }
    case "some-decl":
      return true;
    case "some-in":
      neededVars(e.collection, need);
      break;
    case "every":
      neededVars(e.domain, need);
      break;
  }
  for (const w of lit.with) {
    // `with f as g`: a value that names a function (a built-in's name stays a var) is not a variable to bind
    const fn = functionName(w.value);
    if (fn !== undefined && !env.has(fn[0]!) && arity?.(fn) !== undefined && !isDataOrInput(w.target)) continue;
    neededVars(w.value, need);
  }
  if (lit.negated) {
    // a negated literal runs once everything it mentions is bound
    for (const v of need) if (!env.has(v)) return false;
    return true;
  }
  for (const v of need) if (!env.has(v)) return false;
  return true;
}


/** The name a term spells when it is a name or a dotted name (`ceil`, `strings.reverse`). */
function functionName(t: A.Term): string[] | undefined {
  if (t.kind === "var") return [t.name];
  if (t.kind !== "ref" || t.head.kind !== "var") return undefined;
  const parts = [t.head.name];
  for (const p of t.path) {
    if (p.kind !== "string") return undefined;
    parts.push(p.value);
  }
  return parts;
}

function isDataOrInput(t: A.RefTerm | A.VarTerm): boolean {
  const head = t.kind === "var" ? t : t.head;
  return head.kind === "var" && (head.name === "input" || head.name === "data");
}

/** Variables a literal leaves bound once it has run (not those local to `not`, `every` or comprehensions). */
export function boundAfter(lit: A.Literal, out: Set<string>): void {
  if (lit.negated) return;
  const e = lit.expr;
  const add = (t: A.Term) => collectTermVars(t, out);
  switch (e.kind) {
    case "term-expr":
      add(e.term);
      return;
    case "assign":
      add(e.left);
      add(e.right);
      return;
    case "some-decl":
      return;
    case "some-in":
      if (e.key) add(e.key);
      add(e.value);
      add(e.collection);
      return;
    case "every":
      add(e.domain);
      return;
  }
}

/** Every variable of a term, outside comprehension bodies (their variables are their own). */
export function collectTermVars(t: A.Term, out: Set<string>): void {
  walkTerm(t, (x) => {
    if (x.kind === "var" && x.name !== "input" && x.name !== "data") out.add(x.name);
    return x.kind !== "arraycompr" && x.kind !== "setcompr" && x.kind !== "objectcompr";
  });
}

/** The variables a literal mentions (outside comprehensions and `every` bodies): a query's output variables. */
export function literalVars(lit: A.Literal, out: Set<string>): void {
  const e = lit.expr;
  if (e.kind === "term-expr") collectTermVars(e.term, out);
  else if (e.kind === "assign") {
    collectTermVars(e.left, out);
    collectTermVars(e.right, out);
  } else if (e.kind === "some-in") {
    if (e.key) collectTermVars(e.key, out);
    collectTermVars(e.value, out);
    collectTermVars(e.collection, out);
  }
}

/** The number of parameters of a function by resolved name, if it is one. */
export type ArityOf = (name: string[]) => number | undefined;

/** A call statement `f(x, y)` with one argument more than `f` takes: `y` is an output, bound by the call. */
export function withoutOutputArg(lit: A.Literal, arity: ArityOf): A.Literal {
  const e = lit.expr;
  if (e.kind !== "term-expr" || e.term.kind !== "call") return lit;
  const n = arity(e.term.name);
  if (n === undefined || e.term.args.length !== n + 1) return lit;
  return { ...lit, expr: { ...e, term: { ...e.term, args: e.term.args.slice(0, n) } } };
}

/**
 * Checks that every variable of a body can be bound: schedules the literals as evaluation will, starting from
 * the variables bound on entry, and reports the first variable of each literal that can never run.
 */
export function checkBodySafety(body: A.Body, entry: ReadonlySet<string>, arity: ArityOf, errors: CompileError[]): Set<string> {
  const bound = new Set(entry);
  let pending = [...body.literals];
  while (pending.length > 0) {
    const index = pending.findIndex((l) => isReady(withoutOutputArg(l, arity), bound, arity));
    if (index < 0) {
      for (const lit of pending) reportUnsafe(lit, bound, errors);
      return bound;
    }
    const lit = pending[index]!;
    pending = [...pending.slice(0, index), ...pending.slice(index + 1)];
    checkNested(lit, bound, arity, errors);
    boundAfter(lit, bound);
  }
  return bound;
}

function checkNested(lit: A.Literal, bound: Set<string>, arity: ArityOf, errors: CompileError[]): void {
  const e = lit.expr;
  if (e.kind === "every") {
    const inner = new Set(bound);
    inner.add(e.value.name);
    if (e.key) inner.add(e.key.name);
    collectTermVars(e.domain, inner);
    checkBodySafety(e.body, inner, arity, errors);
  }
  const visit = (t: A.Term) => checkComprehensions(t, bound, arity, errors);
  if (e.kind === "term-expr") visit(e.term);
  if (e.kind === "assign") {
    visit(e.left);
    visit(e.right);
  }
  if (e.kind === "some-in") visit(e.collection);
  for (const w of lit.with) visit(w.value);
}

/** Reports the variables of a term (a rule's value, a comprehension's head) that nothing binds. */
export function requireBound(t: A.Term, bound: ReadonlySet<string>, errors: CompileError[]): void {
  const vars = new Set<string>();
  neededVars(t, vars); // variables in ref brackets are bound by the ref itself (`q := xs[_]`)
  for (const v of vars) {
    if (!bound.has(v)) errors.push({ code: "rego_unsafe_var_error", message: `var ${displayName(v)} is unsafe`, loc: findVarLoc(t, v) ?? t.loc });
  }
}

function reportUnsafe(lit: A.Literal, bound: ReadonlySet<string>, errors: CompileError[]): void {
  const need = new Set<string>();
  const e = lit.expr;
  if (e.kind === "term-expr") neededVars(e.term, need);
  else if (e.kind === "assign") {
    neededVars(e.left, need);
    neededVars(e.right, need);
  } else if (e.kind === "some-in") neededVars(e.collection, need);
  else if (e.kind === "every") neededVars(e.domain, need);
  for (const v of need) {
    if (!bound.has(v)) {
      errors.push({ code: "rego_unsafe_var_error", message: `var ${displayName(v)} is unsafe`, loc: lit.loc });
      return;
    }
  }
}

function displayName(v: string): string {
  return v.startsWith("_$") ? "_" : v;
}

function findVarLoc(t: A.Term, name: string): A.Location | undefined {
  let found: A.Location | undefined;
  walkTerm(t, (x) => {
    if (found === undefined && x.kind === "var" && x.name === name) found = x.loc;
    return found === undefined;
  });
  return found;
}

/** Checks the bodies of the comprehensions inside a term, given the variables bound around it. */
export function checkComprehensions(term: A.Term, bound: ReadonlySet<string>, arity: ArityOf, errors: CompileError[]): void {
  walkTerm(term, (t) => {
    if (t.kind === "arraycompr" || t.kind === "setcompr") {
      requireBound(t.term, checkBodySafety(t.body, new Set(bound), arity, errors), errors);
      return false;
    }
    if (t.kind === "objectcompr") {
      const after = checkBodySafety(t.body, new Set(bound), arity, errors);
      requireBound(t.key, after, errors);
      requireBound(t.value, after, errors);
      return false;
    }
    return true;
  });
}
