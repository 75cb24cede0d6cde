// The reference interpreter: a tree-walking evaluator written to be obviously right, not fast. It is the oracle
// the compiled engine is tested against. Bodies are evaluated with generators of variable bindings; each literal
// runs once its inputs are bound (the order OPA's safety reordering gives), and every data document is computed
// from base data and rules on demand, cached per query (rules.ts).
import type * as A from "../../lang/ast.js";
import { OPERATOR_BUILTINS } from "../builtins/operators.js";
import { findNode } from "../compile/rule-tree.js";
import { EvalError } from "../errors.js";
import {
  equals,
  isObject,
  isSet,
  makeObject,
  ObjectBuilder,
  objectGet,
  parseNumberLiteral,
  SetValue,
  type Value,
} from "../value/value.js";
import { patternVars } from "../compile/resolve.js";
import { patch } from "../value/documents.js";
import { isPatternish, isReady, literalVars, termReady } from "../compile/safety.js";
import { refName } from "../compile/walk.js";
import { hasMember, index, members, objectSizeOf, type Context, type Env } from "./context.js";
import { RuleEvaluator } from "./rules.js";

export type { EvalOptions, Program } from "./context.js";

export class Interpreter extends RuleEvaluator {

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

  // ------------------------------------------------------------------------------------------------------------
  // bodies

  /** Runs the literals in an order where each one's inputs are bound: the first ready literal goes next. */
  protected *body(literals: readonly A.Literal[], env: Env, ctx: Context): Generator<Env> {
    if (literals.length === 0) {
      yield env;
      return;
    }
    let index = literals.findIndex((l) => isReady(this.withoutOutputArg(l), env, (name) => this.arity(name, this.rootContextCached)));
    if (index < 0) index = 0; // report the unsafe variable from the first literal
    const lit = literals[index]!;
    const rest = [...literals.slice(0, index), ...literals.slice(index + 1)];
    const cover = this.options.coverage;
    for (const next of this.literal(lit, env, ctx)) {
      cover?.(lit.loc);
      yield* this.body(rest, next, ctx);
    }
  }

  protected *literal(lit: A.Literal, env: Env, ctx: Context): Generator<Env> {
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

  protected *expr(e: A.Expr, env: Env, ctx: Context): Generator<Env> {
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
  protected withoutOutputArg(lit: A.Literal): A.Literal {
    const e = lit.expr;
    if (e.kind !== "term-expr" || e.term.kind !== "call") return lit;
    const arity = this.arity(e.term.name, this.rootContextCached);
    if (arity === undefined || e.term.args.length !== arity + 1) return lit;
    const call: A.CallTerm = { ...e.term, args: e.term.args.slice(0, arity) };
    return { ...lit, expr: { ...e, term: call } };
  }

  protected readonly rootContextCached: Context = { input: undefined, dataOverrides: [], fnOverrides: new Map(), docs: new Map(), fnResults: new Map() };

  /** A call used as a statement: `f(x)` holds unless false/undefined; `f(x, y)` with one extra argument binds y. */
  protected *callStatement(call: A.CallTerm, env: Env, ctx: Context): Generator<Env> {
    const arity = this.arity(call.name, ctx);
    if (arity !== undefined && call.args.length === arity + 1) {
      const output = call.args[arity]!;
      const inner: A.CallTerm = { ...call, args: call.args.slice(0, arity) };
      for (const [v, env1] of this.term(inner, env, ctx)) yield* this.match(output, v, env1, ctx);
      return;
    }
    for (const [v, next] of this.term(call, env, ctx)) if (v !== false) yield next;
  }

  protected arity(name: string[], ctx: Context): number | undefined {
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

  protected applyWith(withs: readonly A.WithModifier[], env: Env, ctx: Context): Context | undefined {
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

  protected groundKey(t: A.Term, env: Env, ctx: Context): string | undefined {
    const first = this.term(t, env, ctx).next();
    return !first.done && typeof first.value[0] === "string" ? first.value[0] : undefined;
  }

  // ------------------------------------------------------------------------------------------------------------
  // unification

  /** `left = right` / `left := right`: evaluate the side that can be evaluated, match the other against it. */
  protected *unify(left: A.Term, right: A.Term, env: Env, ctx: Context): Generator<Env> {
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
  protected *unifyPatterns(a: A.Term, b: A.Term, env: Env, ctx: Context): Generator<Env> {
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
  protected *match(t: A.Term, value: Value, env: Env, ctx: Context): Generator<Env> {
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

  protected *collection(items: readonly A.Term[], env: Env, ctx: Context, build: (vs: Value[]) => Value): Generator<[Value, Env]> {
    const step = function* (this: Interpreter, i: number, acc: Value[], e: Env): Generator<[Value, Env]> {
      if (i === items.length) {
        yield [build(acc), e];
        return;
      }
      for (const [v, e2] of this.term(items[i]!, e, ctx)) yield* step.call(this, i + 1, [...acc, v], e2);
    };
    yield* step.call(this, 0, [], env);
  }

  protected *ref(t: A.RefTerm, env: Env, ctx: Context): Generator<[Value, Env]> {
    const head = t.head;
    if (head.kind === "var" && head.name === "data") {
      // walk the ref's string elements through the rule tree, so only the documents needed are computed
      yield* this.dataRef(t.path, 0, [], env, ctx);
      return;
    }
    for (const [base, env1] of this.term(head as A.Term, env, ctx)) yield* this.walkPath(base, t.path, 0, env1, ctx);
  }

  protected *dataRef(path: readonly A.Term[], i: number, prefix: string[], env: Env, ctx: Context): Generator<[Value, Env]> {
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

  protected *walkPath(value: Value, path: readonly A.Term[], i: number, env: Env, ctx: Context): Generator<[Value, Env]> {
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
}

export { patternVars };
