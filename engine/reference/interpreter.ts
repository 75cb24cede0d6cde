// The reference interpreter: a tree-walking evaluator written to be obviously right, not fast. It is the oracle
// the compiled engine is tested against. Bodies are evaluated with generators of variable bindings; each literal
// runs once its inputs are bound (the order OPA's safety reordering gives), and every data document is computed
// from base data and rules on demand, cached per query.
import type * as A from "../../lang/ast.js";
import { walkPairs } from "../builtins/debugging.js";
import { OPERATOR_BUILTINS } from "../builtins/operators.js";
import { BuiltinError, type BuiltinContext, type BuiltinRegistry } from "../builtins/registry.js";
import { findNode, type RuleEntry, type RuleNode } from "../compile/rule-tree.js";
import { EvalError } from "../errors.js";
import {
  equals,
  isObject,
  isSet,
  keyOf,
  makeObject,
  MapObject,
  ObjectBuilder,
  objectGet,
  parseNumberLiteral,
  SetValue,
  sortedEntries,
  stringifyValue,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { patternVars } from "../compile/resolve.js";
import { indexPath, insertAt, isPrefix, mergeDocs, patch } from "../value/documents.js";
import { isPatternish, isReady, literalVars, termReady } from "../compile/safety.js";

type Env = ReadonlyMap<string, Value>;


export interface Program {
  rules: RuleNode;
  data: Value;
  builtins: BuiltinRegistry;
}

export interface EvalOptions {
  input?: Value;
  strictBuiltinErrors?: boolean;
  nowNs?: bigint;
  print?: (message: string) => void;
  /** Evaluation steps allowed before the query ends with eval_limit_error. */
  maxSteps?: number;
  /** Milliseconds the query may run before it ends with eval_limit_error. */
  timeoutMs?: number;
  /** Called with the location of each literal each time it holds, and of each rule head whose value is produced. */
  coverage?: (loc: A.Location) => void;
}

/** What `with` has replaced, and the documents computed under it. */
interface Context {
  input: Value | undefined;
  dataOverrides: { path: string[]; value: Value }[];
  fnOverrides: Map<string, A.Term>;
  docs: Map<string, Value | undefined>;
  fnResults: Map<string, Value | undefined>;
}

const UNDEFINED_DOC = Symbol("undefined");

export class Interpreter {
  private steps = 0;
  private readonly builtinCtx: BuiltinContext;
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly program: Program,
    private readonly options: EvalOptions = {},
  ) {
    this.deadline = options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs;
    this.builtinCtx = {
      nowNs: options.nowNs ?? BigInt(Date.now()) * 1_000_000n,
      print: options.print ?? (() => {}),
      cache: new Map(),
    };
  }

  /** Evaluates a query body; returns one binding map per solution (query variables only). */
  query(body: A.Body): Record<string, Value>[] {
    const ctx = this.rootContext();
    const names = new Set<string>();
    for (const lit of body.literals) literalVars(lit, names);
    const out: Record<string, Value>[] = [];
    for (const env of this.body(body.literals, new Map(), ctx)) {
      const row: Record<string, Value> = {};
      for (const n of names) {
        const v = env.get(n);
        if (v !== undefined && !n.startsWith("_$")) row[n] = v;
      }
      out.push(row);
    }
    return out;
  }

  /** The document at a data path (`["test", "p"]`), or undefined. */
  document(path: string[]): Value | undefined {
    return this.dataAt(path, this.rootContext());
  }

  private rootContext(): Context {
    return { input: this.options.input, dataOverrides: [], fnOverrides: new Map(), docs: new Map(), fnResults: new Map() };
  }

  private deadline: number | undefined;

  private tick(loc?: A.Location): void {
    this.steps++;
    if (this.options.maxSteps !== undefined && this.steps > this.options.maxSteps) {
      throw new EvalError("eval_limit_error", `evaluation exceeded ${this.options.maxSteps} steps`, loc);
    }
    if (this.deadline !== undefined && (this.steps & 255) === 0 && performance.now() > this.deadline) {
      throw new EvalError("eval_limit_error", `evaluation exceeded its time budget of ${this.options.timeoutMs} ms`, loc);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // bodies

  /** Runs the literals in an order where each one's inputs are bound: the first ready literal goes next. */
  private *body(literals: readonly A.Literal[], env: Env, ctx: Context): Generator<Env> {
    if (literals.length === 0) {
      yield env;
      return;
    }
    let index = literals.findIndex((l) => isReady(this.withoutOutputArg(l), env));
    if (index < 0) index = 0; // report the unsafe variable from the first literal
    const lit = literals[index]!;
    const rest = [...literals.slice(0, index), ...literals.slice(index + 1)];
    const cover = this.options.coverage;
    for (const next of this.literal(lit, env, ctx)) {
      cover?.(lit.loc);
      yield* this.body(rest, next, ctx);
    }
  }

  private *literal(lit: A.Literal, env: Env, ctx: Context): Generator<Env> {
    this.tick(lit.loc);
    const inner = lit.with.length > 0 ? this.applyWith(lit.with, env, ctx) : ctx;
    if (inner === undefined) return;
    if (lit.negated) {
      const first = this.expr(lit.expr, env, inner).next();
      if (first.done) yield env;
      return;
    }
    yield* this.expr(lit.expr, env, inner);
  }

  private *expr(e: A.Expr, env: Env, ctx: Context): Generator<Env> {
    switch (e.kind) {
      case "term-expr":
        if (e.term.kind === "call") {
          yield* this.callStatement(e.term, env, ctx);
          return;
        }
        for (const [v, next] of this.term(e.term, env, ctx)) if (v !== false) yield next;
        return;
      case "assign":
        yield* this.unify(e.left, e.right, env, ctx);
        return;
      case "some-decl": {
        // declared variables start unbound, shadowing outer ones of the same name
        const next = new Map(env);
        for (const v of e.vars) next.delete(v.name);
        yield next;
        return;
      }
      case "some-in":
        for (const [coll, env1] of this.term(e.collection, env, ctx)) {
          for (const [k, v] of members(coll)) {
            for (const env2 of this.match(e.value, v, env1, ctx)) {
              if (e.key) yield* this.match(e.key, k, env2, ctx);
              else yield env2;
            }
          }
        }
        return;
      case "every":
        for (const [domain, env1] of this.term(e.domain, env, ctx)) {
          if (!Array.isArray(domain) && !isSet(domain) && !isObject(domain)) continue; // not iterable: false
          let all = true;
          for (const [k, v] of members(domain)) {
            let scope = new Map(env1);
            scope.set(e.value.name, v);
            if (e.key) scope.set(e.key.name, k);
            scope = scope as Map<string, Value>;
            if (this.body(e.body.literals, scope, ctx).next().done) {
              all = false;
              break;
            }
          }
          if (all) yield env1;
        }
        return;
    }
  }

  /** For scheduling: a call statement `f(x, y)` with an output argument needs only `x`. */
  private withoutOutputArg(lit: A.Literal): A.Literal {
    const e = lit.expr;
    if (e.kind !== "term-expr" || e.term.kind !== "call") return lit;
    const arity = this.arity(e.term.name, this.rootContextCached);
    if (arity === undefined || e.term.args.length !== arity + 1) return lit;
    const call: A.CallTerm = { ...e.term, args: e.term.args.slice(0, arity) };
    return { ...lit, expr: { ...e, term: call } };
  }

  private readonly rootContextCached: Context = { input: undefined, dataOverrides: [], fnOverrides: new Map(), docs: new Map(), fnResults: new Map() };

  /** A call used as a statement: `f(x)` holds unless false/undefined; `f(x, y)` with one extra argument binds y. */
  private *callStatement(call: A.CallTerm, env: Env, ctx: Context): Generator<Env> {
    const arity = this.arity(call.name, ctx);
    if (arity !== undefined && call.args.length === arity + 1) {
      const output = call.args[arity]!;
      const inner: A.CallTerm = { ...call, args: call.args.slice(0, arity) };
      for (const [v, env1] of this.term(inner, env, ctx)) yield* this.match(output, v, env1, ctx);
      return;
    }
    for (const [v, next] of this.term(call, env, ctx)) if (v !== false) yield next;
  }

  private arity(name: string[], ctx: Context): number | undefined {
    const key = name.join(".");
    const override = ctx.fnOverrides.get(key);
    if (override?.kind === "ref" || override?.kind === "var") {
      const target = refName(override);
      if (target) {
        const a = this.arity(target, { ...ctx, fnOverrides: new Map() });
        if (a !== undefined) return a;
      }
    }
    if (name[0] === "data") {
      const node = findNode(this.program.rules, name.slice(1));
      const fn = node?.rules.find((r) => r.kind === "function");
      return fn?.rule.head.args?.length;
    }
    const decl = this.program.builtins.get(key);
    return decl && !decl.variadic ? decl.args.length : undefined;
  }

  // ------------------------------------------------------------------------------------------------------------
  // with

  private applyWith(withs: readonly A.WithModifier[], env: Env, ctx: Context): Context | undefined {
    const next: Context = {
      input: ctx.input,
      dataOverrides: [...ctx.dataOverrides],
      fnOverrides: new Map(ctx.fnOverrides),
      docs: new Map(),
      fnResults: new Map(),
    };
    for (const w of withs) {
      const target = w.target;
      const root = target.kind === "var" ? target.name : target.head.kind === "var" ? target.head.name : "";
      const name = refName(target);
      const isFunctionTarget = name !== undefined && (this.isFunction(name) || (name[0] !== "data" && name[0] !== "input"));
      if (!isFunctionTarget && (root === "input" || root === "data")) {
        const path = target.kind === "var" ? [] : target.path.map((p) => this.groundKey(p, env, ctx));
        if (path.some((p) => p === undefined)) return undefined;
        const first = this.term(w.value, env, ctx).next();
        if (first.done) return undefined;
        const value = first.value[0];
        if (root === "input") next.input = path.length === 0 ? value : patch(next.input, path as string[], value);
        else next.dataOverrides.push({ path: path as string[], value });
      } else {
        if (!name) return undefined;
        next.fnOverrides.set(name.join("."), w.value);
      }
    }
    return next;
  }

  private groundKey(t: A.Term, env: Env, ctx: Context): string | undefined {
    const first = this.term(t, env, ctx).next();
    return !first.done && typeof first.value[0] === "string" ? first.value[0] : undefined;
  }

  // ------------------------------------------------------------------------------------------------------------
  // unification

  /** `left = right` / `left := right`: evaluate the side that can be evaluated, match the other against it. */
  private *unify(left: A.Term, right: A.Term, env: Env, ctx: Context): Generator<Env> {
    const leftReady = termReady(left, env);
    const rightReady = termReady(right, env);
    if (rightReady || !leftReady) {
      if (!rightReady && isPatternish(right) && isPatternish(left)) {
        yield* this.unifyPatterns(left, right, env, ctx);
        return;
      }
      for (const [v, env1] of this.term(right, env, ctx)) yield* this.match(left, v, env1, ctx);
      return;
    }
    for (const [v, env1] of this.term(left, env, ctx)) yield* this.match(right, v, env1, ctx);
  }

  /** Two patterns that each need the other (`[x, 1] = [2, y]`): unify element by element. */
  private *unifyPatterns(a: A.Term, b: A.Term, env: Env, ctx: Context): Generator<Env> {
    if (a.kind === "array" && b.kind === "array") {
      if (a.items.length !== b.items.length) return;
      const step = function* (this: Interpreter, i: number, e: Env): Generator<Env> {
        if (i === a.items.length) {
          yield e;
          return;
        }
        for (const e2 of this.unify(a.items[i]!, b.items[i]!, e, ctx)) yield* step.call(this, i + 1, e2);
      };
      yield* step.call(this, 0, env);
      return;
    }
    if (a.kind === "object" && b.kind === "object") {
      if (a.entries.length !== b.entries.length) return;
      const keyed = (t: A.ObjectTerm) => t.entries.map((e) => [this.constant(e.key, ctx), e.value] as const);
      const left = keyed(a);
      const right = keyed(b);
      const pairs: [A.Term, A.Term][] = [];
      for (const [k, v] of left) {
        const other = right.find(([k2]) => k !== undefined && k2 !== undefined && equals(k, k2));
        if (!other) return;
        pairs.push([v, other[1]]);
      }
      const step = function* (this: Interpreter, i: number, e: Env): Generator<Env> {
        if (i === pairs.length) {
          yield e;
          return;
        }
        for (const e2 of this.unify(pairs[i]![0], pairs[i]![1], e, ctx)) yield* step.call(this, i + 1, e2);
      };
      yield* step.call(this, 0, env);
      return;
    }
    if (a.kind === "var" && b.kind === "var") {
      throw new EvalError("eval_internal_error", `var ${a.name} is unsafe`, a.loc);
    }
    for (const [v, env1] of this.term(a, env, ctx)) yield* this.match(b, v, env1, ctx);
  }

  /** Matches a term (possibly with unbound variables) against a value. */
  private *match(t: A.Term, value: Value, env: Env, ctx: Context): Generator<Env> {
    switch (t.kind) {
      case "var": {
        const bound = env.get(t.name);
        if (bound === undefined) {
          const next = new Map(env);
          next.set(t.name, value);
          yield next;
        } else if (equals(bound, value)) {
          yield env;
        }
        return;
      }
      case "array": {
        if (!Array.isArray(value) || value.length !== t.items.length) return;
        const step = function* (this: Interpreter, i: number, e: Env): Generator<Env> {
          if (i === t.items.length) {
            yield e;
            return;
          }
          for (const e2 of this.match(t.items[i]!, value[i]!, e, ctx)) yield* step.call(this, i + 1, e2);
        };
        yield* step.call(this, 0, env);
        return;
      }
      case "object": {
        if (!isObject(value) || objectSizeOf(value) !== t.entries.length) return;
        const step = function* (this: Interpreter, i: number, e: Env): Generator<Env> {
          if (i === t.entries.length) {
            yield e;
            return;
          }
          const entry = t.entries[i]!;
          for (const [k, e1] of this.term(entry.key, e, ctx)) {
            const v = objectGet(value, k);
            if (v === undefined) continue;
            for (const e2 of this.match(entry.value, v, e1, ctx)) yield* step.call(this, i + 1, e2);
          }
        };
        yield* step.call(this, 0, env);
        return;
      }
      default:
        for (const [v, env1] of this.term(t, env, ctx)) if (equals(v, value)) yield env1;
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // terms

  /** Every value a term can take, with the bindings that give it (refs with unbound variables enumerate). */
  *term(t: A.Term, env: Env, ctx: Context): Generator<[Value, Env]> {
    switch (t.kind) {
      case "null":
        yield [null, env];
        return;
      case "boolean":
        yield [t.value, env];
        return;
      case "number":
        yield [parseNumberLiteral(t.raw), env];
        return;
      case "string":
        yield [t.value, env];
        return;
      case "var": {
        if (t.name === "input") {
          if (ctx.input !== undefined) yield [ctx.input, env];
          return;
        }
        if (t.name === "data") {
          const d = this.dataAt([], ctx);
          if (d !== undefined) yield [d, env];
          return;
        }
        const v = env.get(t.name);
        if (v === undefined) throw new EvalError("eval_internal_error", `var ${t.name} is unsafe`, t.loc);
        yield [v, env];
        return;
      }
      case "ref":
        yield* this.ref(t, env, ctx);
        return;
      case "call":
        yield* this.call(t, env, ctx);
        return;
      case "array":
        yield* this.collection(t.items, env, ctx, (vs) => vs);
        return;
      case "set":
        yield* this.collection(t.items, env, ctx, (vs) => new SetValue(vs));
        return;
      case "object": {
        const flat = t.entries.flatMap((e) => [e.key, e.value]);
        yield* this.collection(flat, env, ctx, (vs) => {
          const pairs: [Value, Value][] = [];
          for (let i = 0; i < vs.length; i += 2) pairs.push([vs[i]!, vs[i + 1]!]);
          return makeObject(pairs);
        });
        return;
      }
      case "arraycompr": {
        const out: Value[] = [];
        for (const e of this.body(t.body.literals, env, ctx)) for (const [v] of this.term(t.term, e, ctx)) out.push(v);
        yield [out, env];
        return;
      }
      case "setcompr": {
        const out = new SetValue();
        for (const e of this.body(t.body.literals, env, ctx)) for (const [v] of this.term(t.term, e, ctx)) out.add(v);
        yield [out, env];
        return;
      }
      case "objectcompr": {
        const out = new ObjectBuilder();
        for (const e of this.body(t.body.literals, env, ctx)) {
          for (const [k, e1] of this.term(t.key, e, ctx)) {
            for (const [v] of this.term(t.value, e1, ctx)) {
              const prev = out.get(k);
              if (prev !== undefined && !equals(prev, v)) {
                throw new EvalError("eval_conflict_error", "object keys must be unique", t.loc);
              }
              out.set(k, v);
            }
          }
        }
        yield [out.build(), env];
        return;
      }
      case "binary":
        yield* this.call({ kind: "call", name: [OPERATOR_BUILTINS[t.op]], nameLoc: t.loc, args: [t.left, t.right], loc: t.loc }, env, ctx);
        return;
      case "membership":
        for (const [coll, env1] of this.term(t.collection, env, ctx)) {
          for (const [v, env2] of this.term(t.value, env1, ctx)) {
            if (t.key) {
              for (const [k, env3] of this.term(t.key, env2, ctx)) yield [hasMember(coll, v, k), env3];
            } else {
              yield [hasMember(coll, v, undefined), env2];
            }
          }
        }
        return;
    }
  }

  private *collection(items: readonly A.Term[], env: Env, ctx: Context, build: (vs: Value[]) => Value): Generator<[Value, Env]> {
    const step = function* (this: Interpreter, i: number, acc: Value[], e: Env): Generator<[Value, Env]> {
      if (i === items.length) {
        yield [build(acc), e];
        return;
      }
      for (const [v, e2] of this.term(items[i]!, e, ctx)) yield* step.call(this, i + 1, [...acc, v], e2);
    };
    yield* step.call(this, 0, [], env);
  }

  private *ref(t: A.RefTerm, env: Env, ctx: Context): Generator<[Value, Env]> {
    const head = t.head;
    if (head.kind === "var" && head.name === "data") {
      // walk the ref's string elements through the rule tree, so only the documents needed are computed
      yield* this.dataRef(t.path, 0, [], env, ctx);
      return;
    }
    for (const [base, env1] of this.term(head as A.Term, env, ctx)) yield* this.walkPath(base, t.path, 0, env1, ctx);
  }

  private *dataRef(path: readonly A.Term[], i: number, prefix: string[], env: Env, ctx: Context): Generator<[Value, Env]> {
    if (i < path.length && termReady(path[i]!, env)) {
      for (const [key, env1] of this.term(path[i]!, env, ctx)) {
        if (typeof key === "string") {
          yield* this.dataRef(path, i + 1, [...prefix, key], env1, ctx);
        } else {
          const doc = this.dataAt(prefix, ctx);
          if (doc !== undefined) yield* this.walkPath(doc, path, i, env1, ctx);
        }
      }
      return;
    }
    const doc = this.dataAt(prefix, ctx);
    if (doc !== undefined) yield* this.walkPath(doc, path, i, env, ctx);
  }

  private *walkPath(value: Value, path: readonly A.Term[], i: number, env: Env, ctx: Context): Generator<[Value, Env]> {
    if (i === path.length) {
      yield [value, env];
      return;
    }
    const p = path[i]!;
    if (termReady(p, env)) {
      for (const [key, env1] of this.term(p, env, ctx)) {
        const next = index(value, key);
        if (next !== undefined) yield* this.walkPath(next, path, i + 1, env1, ctx);
      }
      return;
    }
    // an unbound variable (or pattern) in the path: enumerate the collection
    for (const [k, v] of members(value)) {
      const key = isSet(value) ? v : k;
      for (const env1 of this.match(p, key, env, ctx)) yield* this.walkPath(v, path, i + 1, env1, ctx);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // calls

  private *call(t: A.CallTerm, env: Env, ctx: Context): Generator<[Value, Env]> {
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
    const step = function* (this: Interpreter, i: number, acc: Value[], e: Env): Generator<[Value, Env]> {
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
  private invoke(name: string[], args: Value[], ctx: Context, at: A.CallTerm): Value | undefined {
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

  private isFunction(name: string[]): boolean {
    if (name[0] !== "data") return false;
    return findNode(this.program.rules, name.slice(1))?.rules.some((r) => r.kind === "function") ?? false;
  }

  private userFunction(path: string[], args: Value[], ctx: Context, at: A.CallTerm): Value | undefined {
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
      for (const v of this.ruleOutputs(rule, this.bindArgs(rule.head.args!, args, ctx), ctx)) {
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

  private *bindArgs(params: readonly A.Term[], args: Value[], ctx: Context): Generator<Env> {
    if (params.length !== args.length) return;
    const step = function* (this: Interpreter, i: number, e: Env): Generator<Env> {
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
  private *ruleOutputs(rule: A.Rule, starts: Iterable<Env>, ctx: Context): Generator<Value> {
    for (const start of starts) {
      let produced = false;
      for (const body of [rule.body, ...rule.alternatives]) {
        for (const env of body ? this.body(body.literals, start, ctx) : [start]) {
          produced = true;
          this.options.coverage?.(rule.head.loc);
          yield* this.headValue(rule.head.value, env, ctx);
        }
      }
      if (produced) continue;
      for (const el of rule.elses) {
        let hit = false;
        for (const env of el.body ? this.body(el.body.literals, start, ctx) : [start]) {
          hit = true;
          this.options.coverage?.(el.loc);
          yield* this.headValue(el.value ?? { kind: "boolean", value: true, loc: el.loc }, env, ctx);
        }
        if (hit) break;
      }
    }
  }

  private *headValue(value: A.Term | undefined, env: Env, ctx: Context): Generator<Value> {
    if (value === undefined) {
      yield true;
      return;
    }
    for (const [v] of this.term(value, env, ctx)) yield v;
  }

  private constant(t: A.Term, ctx: Context): Value | undefined {
    const first = this.term(t, new Map(), ctx).next();
    return first.done ? undefined : first.value[0];
  }

  /** The document at a path below `data`: base data merged with the rules at and below it. */
  private dataAt(path: string[], ctx: Context): Value | undefined {
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
  private withDeeperOverrides(path: string[], doc: Value | undefined, ctx: Context): Value | undefined {
    for (const o of ctx.dataOverrides) {
      if (o.path.length > path.length && isPrefix(path, o.path)) doc = patch(doc, o.path.slice(path.length), o.value);
    }
    return doc;
  }

  /** The document of a rule-tree node: base data, the node's own rules, and its children's documents. */
  private subtree(path: string[], ctx: Context): Value | undefined {
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

  private computeDocument(path: string[], ctx: Context): Value | undefined {
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
  private rulesValue(rules: RuleEntry[], ctx: Context): Value | undefined {
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
    for (const r of complete) {
      if (r.rule.default) {
        defaultValue = this.constant(r.rule.head.value!, ctx);
        this.options.coverage?.(r.rule.head.loc);
        continue;
      }
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
  private dynamicValue(rules: RuleEntry[], ctx: Context): Value | undefined {
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

// ---------------------------------------------------------------------------------------------------------------
// helpers

function refName(t: A.Term): string[] | undefined {
  if (t.kind === "var") return [t.name];
  if (t.kind === "ref" && t.head.kind === "var" && t.path.every((p) => p.kind === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as A.StringTerm).value)];
  }
  return undefined;
}

/** [key, value] pairs of a collection in Rego's iteration order; none for scalars. */
function members(v: Value): [Value, Value][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (isSet(v)) return v.sorted().map((x) => [x, x]);
  if (isObject(v)) return sortedEntries(v);
  return [];
}

function hasMember(coll: Value, value: Value, key: Value | undefined): boolean {
  if (key === undefined) {
    if (isSet(coll)) return coll.has(value);
    return members(coll).some(([, v]) => equals(v, value));
  }
  if (isSet(coll)) return coll.has(value) && equals(key, value);
  const v = index(coll, key);
  return v !== undefined && equals(v, value);
}

function index(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key === "number" && Number.isInteger(key) && key >= 0 && key < v.length) return v[key];
    return undefined;
  }
  if (isSet(v)) return v.has(key) ? key : undefined;
  if (isObject(v)) return objectGet(v, key);
  return undefined;
}

function objectSizeOf(v: ObjectValue): number {
  return v instanceof MapObject ? v.size : Object.keys(v).length;
}

/** `walk(x)`: every [path, value] pair of a document, as a relation (one result per pair). */
function walk(root: Value): Value[] {
  return Object.assign(walkPairs(root), { relation: true });
}

export { patternVars };
