// Stage "resolve refs": names in rule bodies and heads become what they refer to.
// - a rule name of the module's package → `data.<package>.<name>`;
// - an import alias → the imported path; `input` and `data` stay roots;
// - every `_` becomes a fresh variable, so two wildcards never unify with each other.
// Local variables (declared with `:=`, `some`, `every`, function parameters, or only bound in the body) stay vars.
import type * as A from "../../lang/ast.js";

export interface ModuleScope {
  /** The package path, as strings: ["test"] for `package test`. */
  packagePath: string[];
  /** Names that refer to something global: the rules of the package (first head element) and import aliases. */
  globals: Map<string, A.RefTerm>;
}

let wildcardCounter = 0;

export function packagePathOf(m: A.Module): string[] {
  const p = m.package.path;
  return [(p.head as A.VarTerm).name, ...p.path.map((t) => (t as A.StringTerm).value)];
}

function dataRef(path: string[], loc: A.Location): A.RefTerm {
  return {
    kind: "ref",
    head: { kind: "var", name: "data", loc },
    path: path.map((value) => ({ kind: "string", value, raw: false, loc })),
    loc,
  };
}

/** The scope of a module: its package's rule names (from every module of the package) and its imports. */
export function moduleScope(m: A.Module, ruleNamesOfPackage: Set<string>): ModuleScope {
  const packagePath = packagePathOf(m);
  const globals = new Map<string, A.RefTerm>();
  for (const name of ruleNamesOfPackage) globals.set(name, dataRef([...packagePath, name], m.package.loc));
  for (const imp of m.imports) {
    const root = (imp.path.head as A.VarTerm).name;
    if (root === "future" || root === "rego") continue;
    const last = imp.path.path.length > 0 ? (imp.path.path[imp.path.path.length - 1] as A.StringTerm).value : root;
    const alias = imp.alias ?? last;
    globals.set(alias, imp.path);
  }
  return { packagePath, globals };
}

/** Every variable name a body binds locally (`:=`, `some`, unification targets, ref-bracket outputs). */
export function declaredLocals(rule: A.Rule): Set<string> {
  const locals = new Set<string>();
  const addPattern = (t: A.Term) => {
    for (const v of patternVars(t)) locals.add(v);
  };
  const visitBody = (b: A.Body) => {
    for (const lit of b.literals) {
      const e = lit.expr;
      if (e.kind === "assign" && e.op === ":=") addPattern(e.left);
      if (e.kind === "some-decl") for (const v of e.vars) locals.add(v.name);
      if (e.kind === "some-in") {
        if (e.key) addPattern(e.key);
        addPattern(e.value);
      }
    }
  };
  if (rule.head.args) for (const a of rule.head.args) addPattern(a);
  if (rule.body) visitBody(rule.body);
  for (const b of rule.alternatives) visitBody(b);
  for (const e of rule.elses) if (e.body) visitBody(e.body);
  return locals;
}

export function patternVars(t: A.Term): string[] {
  switch (t.kind) {
    case "var":
      return [t.name];
    case "array":
      return t.items.flatMap(patternVars);
    case "object":
      return t.entries.flatMap((e) => patternVars(e.value));
    default:
      return [];
  }
}

/** Rewrites a rule: globals resolved, wildcards renamed. Returns a new tree; the input is not changed. */
export function resolveRule(rule: A.Rule, scope: ModuleScope): A.Rule {
  const locals = declaredLocals(rule);
  const r = new Resolver(scope, locals);
  const head: A.RuleHead = { ...rule.head };
  if (head.args) head.args = head.args.map((a) => r.term(a));
  if (head.contains) head.contains = r.term(head.contains);
  if (head.value) head.value = r.term(head.value);
  // the head's ref keeps its own name; only the bracket terms of a ref head are resolved
  head.name = { ...head.name, path: head.name.path.map((p) => (p.kind === "string" ? p : r.term(p))) };
  return {
    ...rule,
    head,
    body: rule.body ? r.body(rule.body) : undefined,
    alternatives: rule.alternatives.map((b) => r.body(b)),
    elses: rule.elses.map((e) => ({ ...e, value: e.value ? r.term(e.value) : undefined, body: e.body ? r.body(e.body) : undefined })),
  };
}

/** Resolves a query's body (the scope's globals apply; its free variables stay variables). */
export function resolveQuery(body: A.Body, scope: ModuleScope): A.Body {
  const locals = new Set<string>();
  for (const lit of body.literals) {
    const e = lit.expr;
    if (e.kind === "assign") for (const v of patternVars(e.left)) locals.add(v);
  }
  return new Resolver(scope, locals).body(body);
}

class Resolver {
  constructor(
    private readonly scope: ModuleScope,
    private readonly locals: Set<string>,
  ) {}

  body(b: A.Body): A.Body {
    return { ...b, literals: b.literals.map((l) => this.literal(l)) };
  }

  literal(l: A.Literal): A.Literal {
    return { ...l, expr: this.expr(l.expr), with: l.with.map((w) => ({ ...w, target: this.withTarget(w.target), value: this.term(w.value) })) };
  }

  /** `with` targets keep `input…`/`data…` as written; a function name resolves like a call. */
  private withTarget(t: A.RefTerm | A.VarTerm): A.RefTerm | A.VarTerm {
    const root = t.kind === "var" ? t.name : t.head.kind === "var" ? t.head.name : "";
    if (root === "input" || root === "data") return t;
    const name = t.kind === "var" ? [t.name] : [root, ...t.path.map((p) => (p.kind === "string" ? p.value : ""))];
    const resolved = this.callee(name, t.loc);
    if (resolved.length === name.length && resolved.every((s, i) => s === name[i])) return t;
    return dataRef(resolved.slice(1), t.loc);
  }

  expr(e: A.Expr): A.Expr {
    switch (e.kind) {
      case "term-expr":
        return { ...e, term: this.term(e.term) };
      case "assign":
        return { ...e, left: this.term(e.left), right: this.term(e.right) };
      case "some-decl":
        return e;
      case "some-in":
        return { ...e, key: e.key ? this.term(e.key) : undefined, value: this.term(e.value), collection: this.term(e.collection) };
      case "every":
        return {
          ...e,
          key: e.key ? (this.term(e.key) as A.VarTerm) : undefined,
          value: this.term(e.value) as A.VarTerm,
          domain: this.term(e.domain),
          body: this.body(e.body),
        };
    }
  }

  /** A call's name: `f` → data.pkg.f when f is a rule of the package; `lib.f` with `lib` imported → its path. */
  private callee(name: string[], loc: A.Location): string[] {
    const first = name[0]!;
    if (this.locals.has(first)) return name;
    const g = this.scope.globals.get(first);
    if (!g) return name;
    const base = [(g.head as A.VarTerm).name, ...g.path.map((p) => (p as A.StringTerm).value)];
    void loc;
    return [...base, ...name.slice(1)];
  }

  term(t: A.Term): A.Term {
    switch (t.kind) {
      case "var": {
        if (t.name === "_") return { ...t, name: `_$${++wildcardCounter}` };
        if (this.locals.has(t.name) || t.name === "input" || t.name === "data") return t;
        const g = this.scope.globals.get(t.name);
        return g ? { ...g, loc: t.loc } : t;
      }
      case "ref": {
        const head = this.term(t.head) as A.Term;
        const path = t.path.map((p) => this.term(p));
        if (head.kind === "ref") return { ...t, head: head.head, path: [...head.path, ...path] };
        return { ...t, head: head as A.RefTerm["head"], path };
      }
      case "call":
        return { ...t, name: this.callee(t.name, t.loc), args: t.args.map((a) => this.term(a)) };
      case "array":
        return { ...t, items: t.items.map((i) => this.term(i)) };
      case "set":
        return { ...t, items: t.items.map((i) => this.term(i)) };
      case "object":
        return { ...t, entries: t.entries.map((e) => ({ key: this.term(e.key), value: this.term(e.value) })) };
      case "arraycompr":
      case "setcompr":
        return { ...t, term: this.term(t.term), body: this.body(t.body) };
      case "objectcompr":
        return { ...t, key: this.term(t.key), value: this.term(t.value), body: this.body(t.body) };
      case "binary":
        return { ...t, left: this.term(t.left), right: this.term(t.right) };
      case "membership":
        return { ...t, key: t.key ? this.term(t.key) : undefined, value: this.term(t.value), collection: this.term(t.collection) };
      default:
        return t;
    }
  }
}
