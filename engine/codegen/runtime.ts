// The run-time support of compiled policies: what generated code calls for values, documents, `with` and
// built-ins. Kept small and monomorphic; generated code inlines the common fast paths itself.
import type { Location } from "../../lang/ast.js";
import { walkPairs } from "../builtins/debugging.js";
import { indexPath, insertAt, isPrefix, mergeDocs, patch } from "../value/documents.js";
import { BuiltinError, type BuiltinContext, type BuiltinDecl } from "../builtins/registry.js";
import { findNode, type RuleNode } from "../compile/rule-tree.js";
import { EvalError } from "../errors.js";
import {
  equals,
  isObject,
  isSet,
  makeObject,
  MapObject,
  ObjectBuilder,
  objectGet,
  SetValue,
  sortedEntries,
  sortedKeys,
  stringifyValue,
  type ObjectValue,
  type Value,
} from "../value/value.js";

/** The state of one evaluation: the input, `with` replacements, memoized rule values. */
export interface Ctx {
  input: Value | undefined;
  /** Memoized node values, by node id (undefined = not computed; UNDEF = computed, undefined). */
  cache: unknown[];
  /** `with data.… as …` replacements, or null (the common case). */
  over: { path: string[]; value: Value }[] | null;
  /** `with f as …` replacements by function name, or null. */
  mocks: Map<string, Mock> | null;
  /** Shared by every context of one query. */
  query: QueryState;
}

export type Mock = { kind: "value"; value: Value } | { kind: "function"; name: string };

export interface QueryState {
  builtinCtx: BuiltinContext;
  strict: boolean;
  steps: number;
  maxSteps: number;
  /** performance.now() past which the query ends, if it has a time budget. */
  deadline: number | undefined;
  budgetMs: number | undefined;
  /** Documents of nodes, by path key, for `dataAt` (per context: see withContext). */
}

export const UNDEF = Symbol("undefined");
const NONE: readonly Value[] = Object.freeze([]);
export const NOT_MOCKED = Symbol("not mocked");

/** A compiled node: its rules' value (without children or base data). */
export type NodeFn = (ctx: Ctx) => Value | undefined;
export type CompiledFn = (ctx: Ctx, ...args: Value[]) => Value | undefined;

export interface Program {
  rules: RuleNode;
  data: Value;
  /** Node value functions by path key ("a.b.c"). */
  nodes: Map<string, NodeFn>;
  /** User functions by full name ("data.a.f"). */
  functions: Map<string, CompiledFn>;
  builtins: Map<string, BuiltinDecl>;
}

export class Runtime {
  readonly SetValue = SetValue;
  readonly ObjectBuilder = ObjectBuilder;
  readonly UNDEF = UNDEF;
  readonly NOT_MOCKED = NOT_MOCKED;
  private readonly docCache = new WeakMap<Ctx, Map<string, Value | typeof UNDEF>>();
  private readonly evaluating = new WeakMap<Ctx, Set<string>>();
  /**
   * The values of nodes that depend on data alone (the fixed-rules stage), by node id, kept for the program's life
   * once computed without an error: one list for strict built-in errors, one for lax (an error is undefined).
   */
  private readonly keptStrict: unknown[] = [];
  private readonly keptLax: unknown[] = [];

  constructor(readonly program: Program) {}

  /** The kept values of fixed nodes for a context's strictness (read only where no `with` replaces anything). */
  kept(ctx: Ctx): unknown[] {
    return ctx.query.strict ? this.keptStrict : this.keptLax;
  }

  /**
   * A fixed node's value as kept (UNDEF for undefined). Not copied, not frozen: values are immutable, nothing in the
   * engine changes one once built, and callers get the same value on every evaluation (freezing would make every
   * toJSON of it slower: V8 copies frozen objects on a slow path).
   */
  keep(v: Value | undefined): unknown {
    return v === undefined ? UNDEF : v;
  }

  // -------------------------------------------------------------------------------------------------------------
  // values

  eq(a: Value, b: Value): boolean {
    // a big integer equals only a number of the same value (JS's `==` would also equal it to "1" or [1])
    return a === b || (typeof a === "object" && typeof b === "object" ? equals(a, b) : typeof a === "bigint" ? (typeof b === "bigint" || typeof b === "number") && a == b : typeof b === "bigint" ? typeof a === "number" && (a as number | bigint) == b : false);
  }

  index(v: Value | undefined, key: Value): Value | undefined {
    if (v === undefined || v === null || typeof v !== "object") return undefined;
    if (Array.isArray(v)) return typeof key === "number" && Number.isInteger(key) && key >= 0 ? v[key] : undefined;
    if (v instanceof SetValue) return v.has(key) ? key : undefined;
    return objectGet(v as ObjectValue, key);
  }

  /** [key, value] pairs of a collection in Rego's order; nothing for other values. */
  entries(v: Value | undefined): [Value, Value][] {
    if (v === undefined || v === null || typeof v !== "object") return [];
    if (Array.isArray(v)) return v.map((x, i) => [i, x]);
    if (v instanceof SetValue) return v.sorted().map((x) => [x, x]);
    return sortedEntries(v as ObjectValue);
  }

  /** The values of a collection in Rego's order (its keys not needed); nothing for other values. Read only. */
  values(v: Value | undefined): readonly Value[] {
    if (v === undefined || v === null || typeof v !== "object") return NONE;
    if (Array.isArray(v)) return v;
    if (v instanceof SetValue) return v.sorted();
    if (v instanceof MapObject) return sortedEntries(v).map((e) => e[1]);
    const keys = sortedKeys(v);
    const out: Value[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = v[keys[i]!]!;
    return out;
  }

  isCollection(v: Value | undefined): boolean {
    return v !== undefined && v !== null && typeof v === "object";
  }

  isObject(v: Value | undefined): v is ObjectValue {
    return v !== undefined && isObject(v);
  }

  objectSize(v: ObjectValue): number {
    return v instanceof MapObject ? v.size : Object.keys(v).length;
  }

  obj(pairs: [Value, Value][]): Value {
    return makeObject(pairs);
  }

  set(items: Value[]): Value {
    return new SetValue(items);
  }

  member(coll: Value, v: Value): boolean {
    if (coll === null || typeof coll !== "object") return false;
    if (Array.isArray(coll)) {
      if (typeof v === "string" || typeof v === "boolean") return coll.includes(v); // equal only to themselves
      for (let i = 0; i < coll.length; i++) if (this.eq(coll[i]!, v)) return true;
      return false;
    }
    if (coll instanceof SetValue) return coll.has(v);
    if (coll instanceof MapObject) {
      for (const [, x] of coll.entries.values()) if (this.eq(x, v)) return true;
      return false;
    }
    for (const k in coll) if (Object.hasOwn(coll, k) && this.eq(coll[k]!, v)) return true;
    return false;
  }

  /** A value read from a plain object by key, unless the key named a member of Object.prototype. */
  own(x: Value | undefined): Value | undefined {
    return x === undefined || typeof x === "function" || x === (Object.prototype as unknown) ? undefined : x;
  }

  /** `v.name` for a constant name: plain objects read directly (never the prototype), others as `index`. */
  field(v: Value | undefined, name: string): Value | undefined {
    if (v !== null && typeof v === "object" && (v as object).constructor === Object) {
      const x = (v as Record<string, Value>)[name];
      return x === undefined || typeof x === "function" ? undefined : x;
    }
    return v === undefined ? undefined : this.index(v, name);
  }

  /** A rule index: the value an input field has → which of `count` bodies can match it (1) or not (0). */
  bodyIndex(count: number, table: Record<string, number[]>): BodyIndexTable {
    return new BodyIndexTable(count, table);
  }

  /**
   * `net.cidr_contains(<constant IPv4 CIDR>, ip)` for an address written as a canonical dotted quad (no leading
   * zeros), which Go's parser reads as IPv4; undefined for anything else (the built-in decides).
   */
  cidr4Contains(base: number, mask: number, ip: Value | undefined): boolean | undefined {
    if (typeof ip !== "string") return undefined;
    if (ip !== this.lastIp) {
      // the same address is usually tested against several networks: the last one read is kept
      this.lastIpNumber = ipv4Number(ip);
      this.lastIp = ip;
    }
    const n = this.lastIpNumber;
    return n < 0 ? undefined : ((n & mask) >>> 0) === base;
  }

  private lastIp: string | undefined;
  private lastIpNumber = -1;

  memberWithKey(coll: Value, k: Value, v: Value): boolean {

    if (isSet(coll)) return coll.has(v) && this.eq(k, v);
    const x = this.index(coll, k);
    return x !== undefined && this.eq(x, v);
  }

  // -------------------------------------------------------------------------------------------------------------
  // errors and limits

  conflict(kind: "rule" | "function", path: string, loc?: Location): never {
    const message =
      kind === "rule"
        ? `rule data.${path} produced conflicting values (complete rules must not produce multiple outputs)`
        : `function data.${path} produced conflicting values for the same inputs (functions must not produce multiple outputs for same inputs)`;
    throw new EvalError("eval_conflict_error", message, loc);
  }

  objectConflict(): never {
    throw new EvalError("eval_conflict_error", "object keys must be unique");
  }

  /** One evaluation step (a rule, a call, an iteration): ends the query past its step or time budget. */
  tick(ctx: Ctx): void {
    const q = ctx.query;
    if (++q.steps > q.maxSteps) throw new EvalError("eval_limit_error", `evaluation exceeded ${q.maxSteps} steps`);
    if ((q.steps & 1023) === 0 && q.deadline !== undefined && performance.now() > q.deadline) {
      throw new EvalError("eval_limit_error", `evaluation exceeded its time budget of ${q.budgetMs} ms`);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // built-ins and functions

  builtin(ctx: Ctx, name: string, decl: BuiltinDecl, args: Value[], loc?: Location): Value | undefined {
    try {
      return decl.impl(args, ctx.query.builtinCtx);
    } catch (e) {
      if (e instanceof BuiltinError) {
        if (ctx.query.strict) throw new EvalError(e.code as "eval_builtin_error", `${name}: ${e.message}`, loc);
        return undefined;
      }
      throw e;
    }
  }

  /** A `with`-replaced function: its replacement's result, or NOT_MOCKED. */
  mock(ctx: Ctx, name: string, args: Value[]): Value | undefined | typeof NOT_MOCKED {
    const m = ctx.mocks?.get(name);
    if (m === undefined) return NOT_MOCKED;
    if (m.kind === "value") return m.value;
    const inner: Ctx = { ...ctx, mocks: new Map([...ctx.mocks!].filter(([k]) => k !== name)) };
    return this.callByName(inner, m.name, args);
  }

  callByName(ctx: Ctx, name: string, args: Value[]): Value | undefined {
    const mocked = ctx.mocks === null ? NOT_MOCKED : this.mock(ctx, name, args);
    if (mocked !== NOT_MOCKED) return mocked;
    const fn = this.program.functions.get(name);
    if (fn) return fn(ctx, ...args);
    if (name.startsWith("data.")) return this.dataAt(ctx, name.slice(5).split("."));
    const decl = this.program.builtins.get(name);
    if (!decl) throw new EvalError("eval_internal_error", `unknown function ${name}`);
    return this.builtin(ctx, name, decl, args);
  }

  // -------------------------------------------------------------------------------------------------------------
  // with

  withContext(ctx: Ctx, input: { path: string[]; value: Value }[], data: { path: string[]; value: Value }[], mocks: [string, Mock][]): Ctx {
    let nextInput = ctx.input;
    for (const i of input) nextInput = i.path.length === 0 ? i.value : patch(nextInput, i.path, i.value);
    const over = data.length > 0 ? [...(ctx.over ?? []), ...data] : ctx.over;
    let m = ctx.mocks;
    if (mocks.length > 0) {
      m = new Map(ctx.mocks ?? []);
      for (const [k, v] of mocks) m.set(k, v);
    }
    return { input: nextInput, cache: [], over, mocks: m, query: ctx.query };
  }

  // -------------------------------------------------------------------------------------------------------------
  // documents

  /** The base document at a path (data files only), for paths no rule reaches. */
  baseData(path: string[]): Value | undefined {
    return indexPath(this.program.data, path);
  }

  /** Whether a path's document is its node's rules' value alone (no base data, children or covering rule). */
  isPlainNode(path: string[]): boolean {
    if (indexPath(this.program.data, path) !== undefined) return false;
    let node: RuleNode | undefined = this.program.rules;
    for (const p of path) {
      if (node.rules.some((r) => r.kind !== "function")) return false;
      node = node.children.get(p);
      if (!node) return false;
    }
    return node.children.size === 0 && this.program.nodes.has(path.join("."));
  }

  /** The document at a path below `data`: base data, the rules at and below it, and `with` replacements. */
  dataAt(ctx: Ctx, path: string[]): Value | undefined {
    if (ctx.over !== null) {
      const o = ctx.over.findLast((x) => isPrefix(x.path, path));
      if (o) return indexPath(o.value, path.slice(o.path.length));
    }
    let node: RuleNode | undefined = this.program.rules;
    for (let n = 0; n < path.length; n++) {
      if (node.rules.some((r) => r.kind !== "function")) return indexPath(this.subtree(ctx, path.slice(0, n)), path.slice(n));
      node = node.children.get(path[n]!);
      if (!node) return this.deeper(ctx, path, indexPath(this.subtree(ctx, path.slice(0, n + 1)), path.slice(n + 1)));
    }
    return this.deeper(ctx, path, this.subtree(ctx, path));
  }

  private deeper(ctx: Ctx, path: string[], doc: Value | undefined): Value | undefined {
    if (ctx.over === null) return doc;
    for (const o of ctx.over) if (o.path.length > path.length && isPrefix(path, o.path)) doc = patch(doc, o.path.slice(path.length), o.value);
    return doc;
  }

  private subtree(ctx: Ctx, path: string[]): Value | undefined {
    const key = path.join("\u0000");
    let cache = this.docCache.get(ctx);
    if (!cache) this.docCache.set(ctx, (cache = new Map()));
    const hit = cache.get(key);
    if (hit !== undefined) return hit === UNDEF ? undefined : hit;
    let busy = this.evaluating.get(ctx);
    if (!busy) this.evaluating.set(ctx, (busy = new Set()));
    if (busy.has(key)) throw new EvalError("eval_internal_error", `rule data.${path.join(".")} is recursive`);
    busy.add(key);
    try {
      const doc = this.computeDocument(ctx, path);
      cache.set(key, doc === undefined ? UNDEF : doc);
      return doc;
    } finally {
      busy.delete(key);
    }
  }

  private computeDocument(ctx: Ctx, path: string[]): Value | undefined {
    let doc = indexPath(this.program.data, path);
    const node = findNode(this.program.rules, path);
    if (!node) return doc;
    const fn = this.program.nodes.get(path.join("."));
    if (fn) doc = mergeDocs(doc, fn(ctx), path);
    else if (doc === undefined && node.hasRules()) doc = {};
    for (const [name, child] of node.children) {
      if (!child.hasRules() || child.isFunction()) continue;
      const v = this.subtree(ctx, [...path, name]);
      if (v === undefined) continue;
      if (doc !== undefined && !isObject(doc)) this.objectConflict();
      doc = mergeDocs(doc, makeObject([[name, v]]), path, node.dynamicDepth() + 1);
    }
    return doc;
  }

  /** Puts a value at a key path of a document built by rules with variables in their heads. */
  insertAt(doc: Value | undefined, keys: Value[], value: Value, union: boolean): Value {
    return insertAt(doc, keys, value, union);
  }

  /** `print`: each argument's values (none shows as <undefined>), space-separated. */
  print(ctx: Ctx, args: Value[][]): void {
    const text = (v: Value) => (typeof v === "string" ? v : stringifyValue(v));
    const parts = args.map((vs) => (vs.length === 0 ? "<undefined>" : vs.length === 1 ? text(vs[0]!) : `{${vs.map(text).join(", ")}}`));
    ctx.query.builtinCtx.print(parts.join(" "));
  }

  walk(root: Value): Value[] {
    return walkPairs(root);
  }
}


/** A rule index's table (see Runtime.bodyIndex). */
export class BodyIndexTable {
  /** For values no body tests. */
  readonly none: Uint8Array;
  private readonly byValue = new Map<string, Uint8Array>();

  constructor(count: number, table: Record<string, number[]>) {
    this.none = new Uint8Array(count);
    for (const [value, bodies] of Object.entries(table)) {
      const flags = new Uint8Array(count);
      for (const b of bodies) flags[b] = 1;
      this.byValue.set(value, flags);
    }
  }

  get(value: string): Uint8Array | undefined {
    return this.byValue.get(value);
  }
}

/** A canonical dotted-quad IPv4 address (no leading zeros) as a number, or -1. */
function ipv4Number(ip: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + part;
}
