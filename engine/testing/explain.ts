// Why a test failed: the last expression of the test's body that did not hold and, when it is a comparison
// (`x == y`, `count(deny) == 1`, `!=`, `<` …), the values of both sides, with a line diff of their pretty JSON
// when they are large. Found after the fact on the reference interpreter: the body's literals are evaluated as a
// query, one more each time, until one fails; then each side of the failing comparison is evaluated after the
// literals before it (with the failing literal's `with` modifiers).
import { readFileSync } from "node:fs";
import type * as A from "../../lang/ast.js";
import { termText } from "../../lang/term-text.js";
import { defaultBuiltins } from "../builtins/index.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import { findNode } from "../compile/rule-tree.js";
import type { Policy } from "../engine.js";
import { Interpreter } from "../reference/interpreter.js";
import { toJSON, typeName, type Value } from "../value/value.js";
import type { TestCase } from "./discover.js";

export interface FailureSide {
  /** The operand's source text. */
  text: string;
  /** Its value as JSON; absent when the operand is undefined. */
  value?: unknown;
  /** The value's type (`set`, `array`, `object`, `number` …; `undefined`). */
  type: string;
}

export interface FailureExplanation {
  /** The failing expression's source text (`count(deny) == 1`). */
  expression: string;
  file: string;
  line: number;
  column: number;
  /** For a comparison: its operator and both sides' values. */
  op?: string;
  left?: FailureSide;
  right?: FailureSide;
  /** For large objects and arrays: a line diff of both sides' pretty JSON (`-` left, `+` right). */
  diff?: string;
}

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);
const LEFT = "__guard_left__";
const RIGHT = "__guard_right__";

const sourceCache = new Map<string, string | undefined>();

function sourceText(loc: A.Location): string | undefined {
  let text = sourceCache.get(loc.file);
  if (!sourceCache.has(loc.file)) {
    try {
      text = readFileSync(loc.file, "utf8");
    } catch {
      text = undefined;
    }
    sourceCache.set(loc.file, text);
  }
  if (text === undefined || loc.endOffset > text.length) return undefined;
  return text.slice(loc.offset, loc.endOffset);
}

/** Explanations read source files again; forget what was read (between runs of `--watch`). */
export function clearSourceCache(): void {
  sourceCache.clear();
}

function builtinsOf(policy: Policy): BuiltinRegistry {
  const own = (policy as unknown as { builtins?: BuiltinRegistry }).builtins;
  return own ?? defaultBuiltins();
}

/** The comparison of a literal: `a == b` (and `a = b` with both sides bound) when not negated. */
function comparison(lit: A.Literal): { op: string; left: A.Term; right: A.Term } | undefined {
  if (lit.negated) return undefined;
  const e = lit.expr;
  if (e.kind === "term-expr" && e.term.kind === "binary" && COMPARISONS.has(e.term.op)) return { op: e.term.op, left: e.term.left, right: e.term.right };
  if (e.kind === "assign" && e.op === "=") return { op: "=", left: e.left, right: e.right };
  return undefined;
}

/** Explains a failed (false or undefined) test; undefined when no single failing expression is found. */
export function explainFailure(policy: Policy, test: TestCase, options: { timeoutMs?: number; input?: Value } = {}): FailureExplanation | undefined {
  try {
    return explain(policy, test, options);
  } catch {
    return undefined; // an explanation is a courtesy: never a reason for the run to fail
  }
}

function explain(policy: Policy, test: TestCase, options: { timeoutMs?: number; input?: Value }): FailureExplanation | undefined {
  const node = findNode(policy.ruleTree, test.path);
  if (!node) return undefined;
  const interp = () =>
    new Interpreter({ rules: policy.ruleTree, data: policy.baseData, builtins: builtinsOf(policy) }, { timeoutMs: options.timeoutMs ?? 5000, input: options.input });
  const holds = (literals: A.Literal[], body: A.Body) => {
    try {
      return interp().query({ ...body, literals }).length > 0;
    } catch {
      return undefined;
    }
  };
  let best: { body: A.Body; index: number } | undefined;
  for (const entry of node.rules) {
    const rule = entry.rule;
    if (rule.default || rule.head.args !== undefined) continue;
    for (const body of [rule.body, ...rule.alternatives]) {
      if (!body || body.literals.length === 0) continue;
      let index = 0;
      while (index < body.literals.length) {
        const ok = holds(body.literals.slice(0, index + 1), body);
        if (ok === undefined) break;
        if (!ok) break;
        index++;
      }
      if (index >= body.literals.length) continue; // the body held: the rule's value was not `true`
      if (best === undefined || index > best.index) best = { body, index };
    }
  }
  if (!best) return undefined;
  const lit = best.body.literals[best.index]!;
  const out: FailureExplanation = {
    expression: oneLine(sourceText(lit.loc) ?? literalText(lit)),
    file: lit.loc.file,
    line: lit.loc.line,
    column: lit.loc.column,
  };
  const cmp = comparison(lit);
  // a test of one expression that is no comparison: its report says all there is
  if (!cmp) return out.expression === "" || best.body.literals.length === 1 ? undefined : out;
  const prefix = best.body.literals.slice(0, best.index);
  const side = (term: A.Term, name: string): FailureSide => {
    const assign: A.Literal = {
      kind: "literal",
      negated: false,
      expr: { kind: "assign", op: ":=", left: { kind: "var", name, loc: term.loc }, right: term, loc: term.loc },
      with: lit.with,
      loc: lit.loc,
    };
    let value: Value | undefined;
    try {
      value = interp().query({ ...best.body, literals: [...prefix, assign] })[0]?.[name];
    } catch {
      value = undefined;
    }
    return { text: oneLine(sourceText(term.loc) ?? termText(term)), type: typeName(value), ...(value !== undefined ? { value: jsonOf(value) } : {}) };
  };
  out.op = cmp.op;
  out.left = side(cmp.left, LEFT);
  out.right = side(cmp.right, RIGHT);
  if ("value" in out.left && "value" in out.right) {
    const a = prettyJson(out.left.value);
    const b = prettyJson(out.right.value);
    if ((a.includes("\n") || b.includes("\n")) && a !== b && isCollection(out.left.value) && isCollection(out.right.value)) out.diff = lineDiff(a, b);
  }
  return out;
}

/** Source text on one line (an expression may span several), cut at 160 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

/** A literal's text when its source is not at hand (references as resolved: `data.pkg.rule`). */
function literalText(lit: A.Literal): string {
  const e = lit.expr;
  const text = e.kind === "term-expr" ? termText(e.term) : e.kind === "assign" ? `${termText(e.left)} ${e.op} ${termText(e.right)}` : "";
  return text !== "" && lit.negated ? `not ${text}` : text;
}

function isCollection(v: unknown): boolean {
  return typeof v === "object" && v !== null;
}

/** JSON (bigints as numbers when exact, else as their text). */
function jsonOf(v: Value): unknown {
  const walk = (x: unknown): unknown => {
    if (typeof x === "bigint") return Number.isSafeInteger(Number(x)) ? Number(x) : x.toString();
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x === "object" && x !== null) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(toJSON(v));
}

/** JSON on one line when short, else indented by two spaces. */
export function compactJson(v: unknown): string {
  return JSON.stringify(v) ?? "undefined";
}

export function prettyJson(v: unknown): string {
  const one = JSON.stringify(v) ?? "undefined";
  return one.length <= 60 ? one : JSON.stringify(v, null, 2);
}

/** A line diff (longest common subsequence): unchanged lines start with two spaces, removed `- `, added `+ `. */
export function lineDiff(a: string, b: string): string {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push(`  ${x[i]}`);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push(`- ${x[i++]}`);
    else out.push(`+ ${y[j++]}`);
  }
  while (i < n) out.push(`- ${x[i++]}`);
  while (j < m) out.push(`+ ${y[j++]}`);
  return out.join("\n");
}

/** The explanation as report lines (no indentation): where and what failed, both sides' values, the diff. */
export function explanationLines(e: FailureExplanation | undefined): string[] {
  if (!e) return [];
  const out = [`${e.file}:${e.line}:${e.column}: ${e.expression}`];
  if (e.left && e.right) {
    const long = e.diff !== undefined;
    const show = (s: FailureSide) => {
      if (!("value" in s)) return "undefined";
      const text = compactJson(s.value);
      return long && text.length > 100 ? `${text.slice(0, 99)}…` : text;
    };
    // the operand's text, unless it is its value (a literal) or too long to help
    const label = (s: FailureSide) => {
      if (s.text === "" || ("value" in s && s.text === compactJson(s.value))) return "";
      return `  (${s.text.length > 60 ? `${s.text.slice(0, 59)}…` : s.text})`;
    };
    // equal JSON that does not compare equal: the types differ (a set and an array)
    const sameText = show(e.left) === show(e.right) && e.left.type !== e.right.type;
    const type = (s: FailureSide) => (sameText ? ` : ${s.type}` : "");
    out.push(`  left:  ${show(e.left)}${type(e.left)}${label(e.left)}`);
    out.push(`  right: ${show(e.right)}${type(e.right)}${label(e.right)}`);
    if (e.diff !== undefined) out.push("  diff (- left, + right):", ...e.diff.split("\n").map((l) => `    ${l}`));
  }
  return out;
}
