// The rule half of the reference interpreter: documents under `data` (base data, rules, `with`), rule values,
// else chains, functions and built-in calls. The body half (literals, unification, terms) extends it.
import type * as A from "../../lang/ast.js";
import { BuiltinError, type BuiltinContext } from "../builtins/registry.js";
import { findNode, type RuleEntry, type RuleNode } from "../compile/rule-tree.js";
import { EvalError } from "../errors.js";
import {
  equals,
  isObject,
  keyOf,
  makeObject,
  SetValue,
  stringifyValue,
  type Value,
} from "../value/value.js";
import { indexPath, insertAt, isPrefix, mergeDocs, patch } from "../value/documents.js";
import { refName } from "../compile/walk.js";
import { UNDEFINED_DOC, walk, type Context, type Env, type EvalOptions, type Program } from "./context.js";

export abstract class RuleEvaluator {
  protected steps = 0;
  protected readonly builtinCtx: BuiltinContext;
  protected readonly evaluating = new Set<string>();

  constructor(
    protected readonly program: Program,
    protected readonly options: EvalOptions = {},
  ) {
    this.deadline = options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs;
    this.builtinCtx = {
      nowNs: options.nowNs ?? BigInt(Date.now()) * 1_000_000n,
      print: options.print ?? (() => {}),
      cache: new Map(),
    };
  }

  protected rootContext(): Context {
    return { input: this.options.input, dataOverrides: [], fnOverrides: new Map(), docs: new Map(), fnResults: new Map() };
  }

  protected deadline: number | undefined;

  protected tick(loc?: A.Location): void {
    this.steps++;
    if (this.options.maxSteps !== undefined && this.steps > this.options.maxSteps) {
      throw new EvalError("eval_limit_error", `evaluation exceeded ${this.options.maxSteps} steps`, loc);
    }
    if (this.deadline !== undefined && (this.steps & 255) === 0 && performance.now() > this.deadline) {
      throw new EvalError("eval_limit_error", `evaluation exceeded its time budget of ${this.options.timeoutMs} ms`, loc);
    }
  }

  protected abstract body(literals: readonly A.Literal[], env: Env, ctx: Context): Generator<Env>;
  abstract term(t: A.Term, env: Env, ctx: Context): Generator<[Value, Env]>;
  protected abstract match(t: A.Term, value: Value, env: Env, ctx: Context): Generator<Env>;
  protected abstract collection(items: readonly A.Term[], env: Env, ctx: Context, build: (vs: Value[]) => Value): Generator<[Value, Env]>;

  // ------------------------------------------------------------------------------------------------------------
  // calls

  protected *call(t: A.CallTerm, env: Env, ctx: Context): Generator<[Value, Env]> {
    if (t.name.length === 1 && t.name[0] === "print" && !ctx.fnOverrides.has("print")) {
      // print writes every argument, an undefined one as <undefined>, and is always true
      const parts = t.args.map((a) => {
        const vs = [...this.term(a, env, ctx)].map(([v]) => (typeof v === "string" ? v : stringifyValue(v)));
        return vs.length === 0 ? "<undefined>" : vs.length === 1 ? vs[0]! : `{${vs.join(", ")}}`;
      });
      this.builtinCtx.print(parts.join(" "));
      yield [true, env];
      return;
    }
    const step = function* (this: RuleEvaluator, i: number, acc: Value[], e: Env): Generator<[Value, Env]> {
      if (i === t.args.length) {
        const result = this.invoke(t.name, acc, ctx, t);
        if (Array.isArray(result) && (result as unknown as { relation?: boolean }).relation) {
          for (const r of result) yield [r, e];
        } else if (result !== undefined) {
          yield [result, e];
        }
        return;
      }
      for (const [v, e2] of this.term(t.args[i]!, e, ctx)) yield* step.call(this, i + 1, [...acc, v], e2);
    };
    yield* step.call(this, 0, [], env);
  }

  /** Calls a function by name: a `with` replacement, a user function under `data`, or a built-in. */
  protected invoke(name: string[], args: Value[], ctx: Context, at: A.CallTerm): Value | undefined {
    const key = name.join(".");
    const override = ctx.fnOverrides.get(key);
    if (override !== undefined) {
      const target = override.kind === "ref" || override.kind === "var" ? refName(override) : undefined;
      const inner: Context = { ...ctx, fnOverrides: new Map([...ctx.fnOverrides].filter(([k]) => k !== key)) };
      if (target && (this.isFunction(target) || this.program.builtins.has(target.join(".")))) {
        return this.invoke(target, args, inner, at);
      }
      const first = this.term(override, new Map(), inner).next();
      return first.done ? undefined : first.value[0];
    }
    if (name[0] === "data") return this.userFunction(name.slice(1), args, ctx, at);
    if (key === "print") {
      this.builtinCtx.print(args.map((a) => (typeof a === "string" ? a : stringifyValue(a))).join(" "));
      return true;
    }
    if (key === "walk") return walk(args[0]!);
    const decl = this.program.builtins.get(key);
    if (!decl) throw new EvalError("eval_internal_error", `unknown function ${key}`, at.loc);
    try {
      return decl.impl(args, this.builtinCtx);
    } catch (e) {
      if (e instanceof BuiltinError) {
        if (this.options.strictBuiltinErrors) throw new EvalError(e.code as "eval_builtin_error", `${key}: ${e.message}`, at.loc);
        return undefined;
      }
      throw e;
    }
  }

  protected isFunction(name: string[]): boolean {
    if (name[0] !== "data") return false;
    return findNode(this.program.rules, name.slice(1))?.rules.some((r) => r.kind === "function") ?? false;
  }

  protected userFunction(path: string[], args: Value[], ctx: Context, at: A.CallTerm): Value | undefined {
    const node = findNode(this.program.rules, path);
    const defs = node?.rules.filter((r) => r.kind === "function") ?? [];
    if (defs.length === 0) {
      // a non-function document called like a function (`with f as rule`): its value
      return this.dataAt(path, ctx);
    }
    const cacheKey = path.join(".") + "(" + args.map(keyOf).join(",") + ")";
    if (ctx.fnResults.has(cacheKey)) return ctx.fnResults.get(cacheKey);
    let result: Value | undefined;
    let defaultValue: Value | undefined;
    for (const def of defs) {
      const rule = def.rule;
      if (rule.default) {
        defaultValue = this.constant(rule.head.value!, ctx);
        this.options.coverage?.(rule.head.loc);
        continue;
      }
      for (const v of this.ruleOutputs(rule, this.bindArgs(rule.head.args!, args, ctx), ctx, "function")) {
        if (result !== undefined && !equals(result, v)) {
          throw new EvalError(
            "eval_conflict_error",
            `function data.${path.join(".")} produced conflicting values for the same inputs (functions must not produce multiple outputs for same inputs)`,
            at.loc,
          );
        }
        result = v;
      }
    }
    const out = result !== undefined ? result : defaultValue;
    ctx.fnResults.set(cacheKey, out);
    return out;
  }

  protected *bindArgs(params: readonly A.Term[], args: Value[], ctx: Context): Generator<Env> {
    if (params.length !== args.length) return;
    const step = function* (this: RuleEvaluator, i: number, e: Env): Generator<Env> {
      if (i === params.length) {
        yield e;
        return;
      }
      for (const e2 of this.match(params[i]!, args[i]!, e, ctx)) yield* step.call(this, i + 1, e2);
    };
    yield* step.call(this, 0, new Map());
  }

  // ------------------------------------------------------------------------------------------------------------
  // rules and documents

  /** The values a (complete or function) rule produces from the given starting bindings, else chain included. */
  //
  // Early exit, as OPA does: a body whose value is a constant stops at its first solution (later solutions could
  // only give the same value), so errors further on in its iteration are not raised. For complete rules the main
  // bodies of a rule with an else chain do not exit early.
  protected *ruleOutputs(rule: A.Rule, starts: Iterable<Env>, ctx: Context, kind: "complete" | "function" = "complete"): Generator<Value> {
    const early = (kind === "function" || rule.elses.length === 0) && isConstantTerm(rule.head.value);
    for (const start of starts) {
      let produced = false;
      for (const body of [rule.body, ...rule.alternatives]) {
        solutions: for (const env of body ? this.body(body.literals, start, ctx) : [start]) {
          this.options.coverage?.(rule.head.loc);
          // the head's value is part of the body (OPA moves it there): an undefined value is a body that fails
          for (const v of this.headValue(rule.head.value, env, ctx)) {
            produced = true;
            yield v;
            if (early) break solutions;
          }
        }
      }
      if (produced) continue;
      for (const el of rule.elses) {
        let hit = false;
        const elEarly = isConstantTerm(el.value);
        solutions: for (const env of el.body ? this.body(el.body.literals, start, ctx) : [start]) {
          this.options.coverage?.(el.loc);
          for (const v of this.headValue(el.value ?? { kind: "boolean", value: true, loc: el.loc }, env, ctx)) {
            hit = true;
            yield v;
            if (elEarly) break solutions;
          }
        }
        if (hit) break;
      }
    }
  }

  protected *headValue(value: A.Term | undefined, env: Env, ctx: Context): Generator<Value> {
    if (value === undefined) {
      yield true;
      return;
    }
    for (const [v] of this.term(value, env, ctx)) yield v;
  }

  protected constant(t: A.Term, ctx: Context): Value | undefined {
    const first = this.term(t, new Map(), ctx).next();
    return first.done ? undefined : first.value[0];
  }

  /** The document at a path below `data`: base data merged with the rules at and below it. */
  protected dataAt(path: string[], ctx: Context): Value | undefined {
    const override = ctx.dataOverrides.findLast((o) => isPrefix(o.path, path));
    if (override) return indexPath(override.value, path.slice(override.path.length));
    // a rule defined at a shorter path (`p[x] := …`, `p := {…}`) covers this path: index into its document
    let node: RuleNode | undefined = this.program.rules;
    for (let n = 0; n < path.length; n++) {
      if (node.rules.some((r) => r.kind !== "function")) return indexPath(this.subtree(path.slice(0, n), ctx), path.slice(n));
      node = node.children.get(path[n]!);
      if (!node) return this.withDeeperOverrides(path, indexPath(this.subtree(path.slice(0, n + 1), ctx), path.slice(n + 1)), ctx);
    }
    return this.withDeeperOverrides(path, this.subtree(path, ctx), ctx);
  }

  /** `with data.a.b as v` seen from `data.a`: the document with `b` replaced. */
  protected withDeeperOverrides(path: string[], doc: Value | undefined, ctx: Context): Value | undefined {
    for (const o of ctx.dataOverrides) {
      if (o.path.length > path.length && isPrefix(path, o.path)) doc = patch(doc, o.path.slice(path.length), o.value);
    }
    return doc;
  }

  /** The document of a rule-tree node: base data, the node's own rules, and its children's documents. */
  protected subtree(path: string[], ctx: Context): Value | undefined {
    const cacheKey = path.join("\u0000");
    if (ctx.docs.has(cacheKey)) {
      const v = ctx.docs.get(cacheKey);
      return v === (UNDEFINED_DOC as unknown) ? undefined : v;
    }
    if (this.evaluating.has(cacheKey)) throw new EvalError("rego_recursion_error" as never, `rule data.${path.join(".")} is recursive`);
    this.evaluating.add(cacheKey);
    try {
      const doc = this.computeDocument(path, ctx);
      ctx.docs.set(cacheKey, doc === undefined ? (UNDEFINED_DOC as unknown as Value) : doc);
      return doc;
    } finally {
      this.evaluating.delete(cacheKey);
    }
  }

  protected computeDocument(path: string[], ctx: Context): Value | undefined {
    const base = indexPath(this.program.data, path);
    const node = findNode(this.program.rules, path);
    if (!node) return base;
    let doc: Value | undefined = base;
    const rules = node.rules.filter((r) => r.kind !== "function");
    if (rules.length > 0) doc = mergeDocs(doc, this.rulesValue(rules, ctx), path);
    else if (doc === undefined && node.hasRules()) doc = {}; // a package or a step of a ref head: an object
    for (const [name, child] of node.children) {
      if (!child.hasRules() || child.isFunction()) continue;
      const v = this.subtree([...path, name], ctx);
      if (v === undefined) continue;
      if (doc !== undefined && !isObject(doc)) throw new EvalError("eval_conflict_error", "object keys must be unique");
      doc = mergeDocs(doc, makeObject([[name, v]]), path, node.dynamicDepth() + 1);
    }
    return doc;
  }

  /** The value of the rules defined at one node. */
  protected rulesValue(rules: RuleEntry[], ctx: Context): Value | undefined {
    const complete = rules.filter((r) => r.kind === "complete" && r.rest.length === 0);
    const multi = rules.filter((r) => r.kind === "multi" && r.rest.length === 0);
    const dynamic = rules.filter((r) => r.rest.length > 0);
    if (multi.length > 0) {
      const out = new SetValue();
      for (const r of multi) {
        for (const body of [r.rule.body, ...r.rule.alternatives]) {
          for (const env of body ? this.body(body.literals, new Map(), ctx) : [new Map() as Env]) {
            for (const [v] of this.term(r.rule.head.contains!, env, ctx)) {
              this.options.coverage?.(r.rule.head.loc);
              out.add(v);
            }
          }
        }
      }
      return out;
    }
    if (dynamic.length > 0) return this.dynamicValue(dynamic, ctx);
    let result: Value | undefined;
    let defaultValue: Value | undefined;
    // early exit across definitions: when every definition has the same constant value (and no else chain),
    // the first one that holds decides, and the others are not evaluated
    const defs = complete.filter((r) => !r.rule.default);
    const constantOf = (t: A.Term | undefined): Value | undefined => (t === undefined ? true : this.constant(t, ctx));
    const allSame =
      defs.every((r) => r.rule.elses.length === 0 && isConstantTerm(r.rule.head.value)) &&
      defs.every((r) => equals(constantOf(r.rule.head.value)!, constantOf(defs[0]!.rule.head.value)!));
    for (const r of complete) {
      if (r.rule.default) {
        defaultValue = this.constant(r.rule.head.value!, ctx);
        this.options.coverage?.(r.rule.head.loc);
        continue;
      }
      if (allSame && result !== undefined) continue;
      for (const v of this.ruleOutputs(r.rule, [new Map()], ctx)) {
        if (result !== undefined && !equals(result, v)) {
          throw new EvalError("eval_conflict_error", `rule data.${r.path.join(".")} produced conflicting values (complete rules must not produce multiple outputs)`, r.rule.loc);
        }
        result = v;
      }
    }
    return result !== undefined ? result : defaultValue;
  }

  /** Rules with variables in their heads (`p[k] := v`, `p[q].r := i`, `a[x] contains y`): an object. */
  protected dynamicValue(rules: RuleEntry[], ctx: Context): Value | undefined {
    let doc: Value | undefined;
    for (const r of rules) {
      const rule = r.rule;
      for (const body of [rule.body, ...rule.alternatives]) {
        for (const env of body ? this.body(body.literals, new Map(), ctx) : [new Map() as Env]) {
          for (const [keys, env1] of this.collection(r.rest, env, ctx, (vs) => vs)) {
            this.options.coverage?.(rule.head.loc);
            const path = keys as Value[];
            if (r.kind === "multi") {
              for (const [v] of this.term(rule.head.contains!, env1, ctx)) doc = insertAt(doc, path, new SetValue([v]), true, rule.loc);
            } else {
              for (const v of this.headValue(rule.head.value, env1, ctx)) doc = insertAt(doc, path, v, false, rule.loc);
            }
          }
        }
      }
    }
    return doc === undefined ? {} : doc; // no entries: an empty object, as OPA gives for partial objects
  }
}

/** A head value that is a constant (no variables, refs or calls); `undefined` (a boolean rule's `true`) is one. */
function isConstantTerm(t: A.Term | undefined): boolean {
  if (t === undefined) return true;
  switch (t.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isConstantTerm);
    case "object":
      return t.entries.every((e) => isConstantTerm(e.key) && isConstantTerm(e.value));
    default:
      return false;
  }
}

