// Stage "index": rule indexing, as OPA does it. For a node's rule bodies that test one input field against
// constants (`input.x == "c"`, `"c" == input.x`, `input.x = "c"`, `input.x in {"a", "b"}`), a lookup from the
// field's value to the bodies that can match: the compiled engine reads the field once and skips the bodies
// that cannot match. The reference interpreter ignores the index (it stays the simple oracle).
//
// A body is indexed only where skipping it cannot be observed: its test literal is not negated and has no
// `with`, the body has no `with` at all, the rule has no `else` and is no default, and every literal written
// before the test (the only ones that can run before it) is quiet: it cannot raise an error or print (no
// built-in calls but comparisons, no comprehensions, only rules and functions that are quiet and cannot
// produce conflicting values). A node gets an index when at least two of its bodies test the same field.
import type * as A from "../../lang/ast.js";
import { findNode, type RuleEntry, type RuleNode } from "./rule-tree.js";

/** A node's index: the input path it reads, and for each indexed body the values it can match. */
export interface BodyIndex {
  /** Below `input` (`["action"]` for `input.action`). */
  path: string[];
  /** Indexed bodies (by identity) → the string constants one of which the field must equal. */
  bodies: Map<A.Body, string[]>;
}

/** Indexes by node path key ("a.b.c"). */
export type RuleIndexes = Map<string, BodyIndex>;

/** The least number of bodies testing one field for a node to get an index. */
export const MIN_INDEXED_BODIES = 2;

export function buildIndexes(root: RuleNode, entries: readonly RuleEntry[]): RuleIndexes {
  const byNode = new Map<string, RuleEntry[]>();
  for (const e of entries) {
    if (e.kind === "function") continue;
    const key = e.path.join(".");
    const list = byNode.get(key);
    if (list) list.push(e);
    else byNode.set(key, [e]);
  }
  const quiet = new Quiet(root);
  const out: RuleIndexes = new Map();
  for (const [key, list] of byNode) {
    if (list.some((e) => e.rest.length > 0)) continue; // objects built key by key: not indexed
    const tests = new Map<string, { path: string[]; bodies: Map<A.Body, string[]> }>();
    for (const e of list) {
      const rule = e.rule;
      if (rule.default || rule.elses.length > 0) continue;
      for (const body of [rule.body, ...rule.alternatives]) {
        if (!body) continue;
        for (const test of bodyTests(body, quiet)) {
          const k = JSON.stringify(test.path);
          const t = tests.get(k) ?? { path: test.path, bodies: new Map<A.Body, string[]>() };
          if (!t.bodies.has(body)) t.bodies.set(body, test.values);
          tests.set(k, t);
        }
      }
    }
    let best: BodyIndex | undefined;
    for (const t of tests.values()) if (t.bodies.size >= MIN_INDEXED_BODIES && (!best || t.bodies.size > best.bodies.size)) best = t;
    if (best) out.set(key, best);
  }
  return out;
}

/** A body's tests of input fields against constants that only quiet literals precede (any may index it). */
export function bodyTests(body: A.Body, quiet: Quiet): { path: string[]; values: string[] }[] {
  const out: { path: string[]; values: string[] }[] = [];
  if (body.literals.some((l) => l.with.length > 0)) return out;
  for (const lit of body.literals) {
    const test = literalTest(lit);
    if (test) out.push(test);
    if (!quiet.literal(lit)) break;
  }
  return out;
}

/** `input.x == "c"`, `"c" == input.x`, `input.x = "c"`, `input.x in {"a", "b"}` (or an array). */
function literalTest(lit: A.Literal): { path: string[]; values: string[] } | undefined {
  if (lit.negated || lit.with.length > 0) return undefined;
  const e = lit.expr;
  let pair: [A.Term, A.Term] | undefined;
  if (e.kind === "assign" && e.op === "=") pair = [e.left, e.right];
  else if (e.kind === "term-expr" && e.term.kind === "binary" && e.term.op === "==") pair = [e.term.left, e.term.right];
  if (pair) {
    for (const [a, b] of [pair, [pair[1], pair[0]] as const]) {
      const path = inputPath(a);
      if (path && b.kind === "string") return { path, values: [b.value] };
    }
    return undefined;
  }
  if (e.kind === "term-expr" && e.term.kind === "membership" && !e.term.key) {
    const path = inputPath(e.term.value);
    const c = e.term.collection;
    if (!path || (c.kind !== "set" && c.kind !== "array") || c.items.length === 0) return undefined;
    if (!c.items.every((i) => i.kind === "string")) return undefined;
    return { path, values: [...new Set(c.items.map((i) => (i as A.StringTerm).value))] };
  }
  return undefined;
}

/** `input.a.b` with constant string names → ["a", "b"]. */
function inputPath(t: A.Term): string[] | undefined {
  if (t.kind !== "ref" || t.head.kind !== "var" || t.head.name !== "input" || t.path.length === 0) return undefined;
  if (!t.path.every((p) => p.kind === "string")) return undefined;
  return t.path.map((p) => (p as A.StringTerm).value);
}

const QUIET_OPERATORS = new Set<A.BinaryOperator>(["==", "!=", "<", "<=", ">", ">="]);

/**
 * Whether evaluating something can be observed other than through its values: errors (a built-in's in strict
 * mode, a rule's conflicting values) and print. Conservative: what it cannot show quiet is not.
 */
export class Quiet {
  private readonly nodes = new Map<RuleNode, boolean>();

  constructor(private readonly root: RuleNode) {}

  literal(lit: A.Literal): boolean {
    return lit.with.length === 0 && this.expr(lit.expr);
  }

  private expr(e: A.Expr): boolean {
    switch (e.kind) {
      case "term-expr":
        return this.term(e.term);
      case "assign":
        return this.term(e.left) && this.term(e.right);
      case "some-decl":
        return true;
      case "some-in":
        return this.term(e.collection) && this.term(e.value) && (e.key === undefined || this.term(e.key));
      case "every":
        return false;
    }
  }

  term(t: A.Term): boolean {
    switch (t.kind) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return true;
      case "var":
        return t.name !== "data"; // all of data: every rule
      case "array":
      case "set":
        return t.items.every((i) => this.term(i));
      case "object":
        return t.entries.every((e) => this.term(e.key) && this.term(e.value));
      case "binary":
        return QUIET_OPERATORS.has(t.op) && this.term(t.left) && this.term(t.right);
      case "membership":
        return this.term(t.value) && this.term(t.collection) && (t.key === undefined || this.term(t.key));
      case "ref": {
        if (!t.path.every((p) => this.term(p))) return false;
        if (t.head.kind !== "var" || t.head.name !== "data") return this.term(t.head as A.Term);
        const names: string[] = [];
        for (const p of t.path) {
          if (p.kind !== "string") break;
          names.push(p.value);
        }
        return this.data(names);
      }
      case "call": {
        if (t.name[0] !== "data" || !t.args.every((a) => this.term(a))) return false; // built-ins may fail
        const node = findNode(this.root, t.name.slice(1));
        return node !== undefined && node.isFunction() && this.node(node);
      }
      default:
        return false; // comprehensions
    }
  }

  /** A data reference by its leading names: base data only, or one node's quiet rules (nothing below). */
  private data(names: string[]): boolean {
    let node = this.root;
    for (const n of names) {
      const next = node.children.get(n);
      if (!next) return true; // base data only
      node = next;
      if (node.rules.length > 0) return node.children.size === 0 && this.node(node); // in a rule's document
    }
    return !node.hasRules(); // above rules: all their documents
  }

  /** A node whose rules are quiet and cannot produce conflicting values. */
  private node(node: RuleNode): boolean {
    const known = this.nodes.get(node);
    if (known !== undefined) return known;
    this.nodes.set(node, false); // recursion is a compile error; assume the worst meanwhile
    const ok = this.rules(node.rules);
    this.nodes.set(node, ok);
    return ok;
  }

  private rules(entries: RuleEntry[]): boolean {
    const defs = entries.filter((e) => !e.rule.default);
    for (const e of entries) {
      const r = e.rule;
      if (e.rest.length > 0 || r.elses.length > 0) return false;
      const heads = [r.head.value, r.head.contains, ...(r.head.args ?? [])].filter((h): h is A.Term => h !== undefined);
      if (!heads.every((h) => this.term(h))) return false;
      for (const b of [r.body, ...r.alternatives]) if (b && !b.literals.every((l) => this.literal(l))) return false;
    }
    if (defs.every((e) => e.kind === "multi")) return true;
    // complete rules and functions: one value, whatever the bodies find
    const values = defs.map((e) => constantKey(e.rule.head.value));
    if (values.every((v) => v !== undefined && v === values[0])) return true;
    if (defs.length !== 1) return false;
    const only = defs[0]!.rule;
    if (only.alternatives.length > 0) return false;
    const params = new Set((only.head.args ?? []).flatMap((a) => (a.kind === "var" ? [a.name] : [])));
    const value: A.Literal | undefined = only.head.value && {
      kind: "literal",
      negated: false,
      expr: { kind: "term-expr", term: only.head.value, loc: only.head.value.loc },
      with: [],
      loc: only.head.value.loc,
    };
    return [...(only.body?.literals ?? []), ...(value ? [value] : [])].every((l) => singleValued(l, params));
  }
}

/** A scalar head value's text (`true` when there is none), or undefined. */
function constantKey(t: A.Term | undefined): string | undefined {
  if (t === undefined) return "true";
  if (t.kind === "string" || t.kind === "boolean" || t.kind === "null") return JSON.stringify(t.kind === "null" ? null : t.value);
  if (t.kind === "number") return `n${t.raw}`;
  return undefined;
}

/** A literal that cannot enumerate: no `some`, and no variable in a ref's path except the function's parameters. */
function singleValued(lit: A.Literal, params: Set<string>): boolean {
  if (lit.expr.kind === "some-in" || lit.expr.kind === "some-decl" || lit.expr.kind === "every") return false;
  let ok = true;
  const visit = (t: A.Term, inPath: boolean): void => {
    if (!ok) return;
    switch (t.kind) {
      case "var":
        if (inPath && !params.has(t.name)) ok = false;
        return;
      case "ref":
        visit(t.head as A.Term, false);
        for (const p of t.path) visit(p, true);
        return;
      case "binary":
        visit(t.left, inPath);
        visit(t.right, inPath);
        return;
      case "membership":
        if (t.key) visit(t.key, inPath);
        visit(t.value, inPath);
        visit(t.collection, inPath);
        return;
      case "call":
        for (const a of t.args) visit(a, inPath);
        return;
      case "array":
      case "set":
        for (const i of t.items) visit(i, inPath);
        return;
      case "object":
        for (const e of t.entries) {
          visit(e.key, inPath);
          visit(e.value, inPath);
        }
        return;
      default:
        return;
    }
  };
  const e = lit.expr;
  if (e.kind === "term-expr") visit(e.term, false);
  else if (e.kind === "assign") {
    visit(e.left, false);
    visit(e.right, false);
  }
  return ok;
}
