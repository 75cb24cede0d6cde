// The term half of codegen: values of terms, refs into collections and documents, calls, patterns. The
// statement half (rules, bodies, literals) extends it in emit.ts.
import type * as A from "../../lang/ast.js";
import { OPERATOR_BUILTINS } from "../builtins/operators.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import { typeTestOf } from "../builtins/types-family.js";
import type { RuleNode } from "../compile/rule-tree.js";
import { termReady, type ArityOf } from "../compile/safety.js";
import { constantText, isGround, numberText } from "./constants.js";

export interface Scope {
  /** Rego variable → JS identifier holding its value. */
  vars: ReadonlyMap<string, string>;
  /** The JS identifier of the evaluation context. */
  ctx: string;
}

export type K = (sc: Scope) => string;
export type KV = (js: string, sc: Scope) => string;

export abstract class TermEmitter {
  protected n = 0;
  protected prelude: string[] = [];
  protected readonly builtinNames = new Map<string, string>();
  readonly nodeNames = new Map<string, string>();
  readonly functionNames = new Map<string, string>();
  protected readonly nodeIds = new Map<string, number>();
  /**
   * Per-evaluation memos (whole programs only, see emitProgram): calls of user functions with constant arguments
   * and lookups that depend on nothing but input and base data, each in a slot of `ctx.cache` after the nodes'.
   */
  protected memoize = false;
  /** Whether a function's body is being emitted (lookups are memoized there: rules run once anyway). */
  protected inFunction = false;
  protected nextSlot = 0;
  protected readonly memos = new Map<string, string>();
  /** Memo functions in the current prelude (a lazily compiled program re-emits a memo per chunk, same slot). */
  protected readonly memosDefined = new Set<string>();
  /** The node and function identifiers (`N_3`, `F_4`) the code emitted since the last reset calls. */
  readonly used = new Set<string>();
  /** The lookup whose memo function is being emitted (it computes the value itself). */
  private hoisting: A.Term | undefined;

  constructor(
    protected readonly root: RuleNode,
    protected readonly builtins: BuiltinRegistry,
    protected readonly arity: ArityOf,
    /** Whether any `with` replaces a function (calls then check for replacements). */
    protected readonly mocks: boolean,
  ) {}

  protected fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  protected varName(name: string): string {
    return this.fresh(`v_${name.replace(/[^A-Za-z0-9_]/g, "_")}_`);
  }

  protected bind(sc: Scope, name: string, js: string): Scope {
    const vars = new Map(sc.vars);
    vars.set(name, js);
    return { ...sc, vars };
  }

  protected bound(sc: Scope): { has(name: string): boolean } {
    return { has: (name) => sc.vars.has(name) };
  }

  protected ready(t: A.Term, sc: Scope): boolean {
    return termReady(t, this.bound(sc));
  }

  protected readonly locNames = new Map<string, string>();

  /** A hoisted constant holding a source location, for errors raised at run time. */
  protected locRef(loc: A.Location): string {
    const text = JSON.stringify(loc);
    let name = this.locNames.get(text);
    if (!name) {
      name = this.fresh("L");
      this.locNames.set(text, name);
      this.prelude.push(`const ${name} = ${text};`);
    }
    return name;
  }

  protected builtinRef(name: string): string {
    let js = this.builtinNames.get(name);
    if (!js) {
      js = this.fresh(`B_${name.replace(/[^A-Za-z0-9_]/g, "_")}_`);
      this.builtinNames.set(name, js);
      this.prelude.push(`const ${js} = BI.get(${JSON.stringify(name)});`);
    }
    return js;
  }

  /** The code of a body's literals, then `k` (the statement half). */
  abstract body(literals: readonly A.Literal[], sc: Scope, k: K): string;

  protected matchAll(patterns: readonly A.Term[], values: string[], sc: Scope, k: K): string {
    if (patterns.length === 0) return k(sc);
    return this.match(patterns[0]!, values[0]!, sc, (s) => this.matchAll(patterns.slice(1), values.slice(1), s, k));
  }

  /** Matches a term (possibly with unbound variables) against the value in JS identifier `v`. */
  protected match(t: A.Term, v: string, sc: Scope, k: K): string {
    switch (t.kind) {
      case "var": {
        const js = sc.vars.get(t.name);
        if (js !== undefined) return `if (${eqCode(js, v)}) { ${k(sc)} }`;
        const name = this.varName(t.name);
        return `const ${name} = ${v}; ${k(this.bind(sc, t.name, name))}`;
      }
      case "array": {
        if (this.ready(t, sc)) break;
        const items = t.items.map(() => this.fresh("i"));
        const decl = items.map((name, i) => `const ${name} = ${v}[${i}];`).join(" ");
        return `if (Array.isArray(${v}) && (${v}).length === ${t.items.length}) { ${decl} ${this.matchAll(t.items, items, sc, k)} }`;
      }
      case "object": {
        if (this.ready(t, sc)) break;
        const step = (i: number, s: Scope): string => {
          if (i === t.entries.length) return k(s);
          const entry = t.entries[i]!;
          return this.term(entry.key, s, (key, s2) => {
            const x = this.fresh("o");
            return `const ${x} = rt.index(${v}, ${key}); if (${x} !== undefined) { ${this.match(entry.value, x, s2, (s3) => step(i + 1, s3))} }`;
          });
        };
        return `if (rt.isObject(${v}) && rt.objectSize(${v}) === ${t.entries.length}) { ${step(0, sc)} }`;
      }
      default:
        break;
    }
    return this.term(t, sc, (w, s) => `if (${eqCode(w, v)}) { ${k(s)} }`);
  }

  // -------------------------------------------------------------------------------------------------------------
  // terms

  protected terms(ts: readonly A.Term[], sc: Scope, k: (js: string[], sc: Scope) => string, acc: string[] = []): string {
    if (ts.length === 0) return k(acc, sc);
    return this.term(ts[0]!, sc, (v, s) => this.terms(ts.slice(1), s, k, [...acc, v]));
  }

  /** Code that computes every value of a term, calling `k` with a JS identifier or literal for each. */
  term(t: A.Term, sc: Scope, k: KV): string {
    switch (t.kind) {
      case "null":
        return k("null", sc);
      case "boolean":
        return k(String(t.value), sc);
      case "number":
        return k(numberText(t.raw), sc);
      case "string":
        return k(JSON.stringify(t.value), sc);
      case "var": {
        if (t.name === "input") return this.defined(`${sc.ctx}.input`, sc, k);
        if (t.name === "data") return this.defined(`rt.dataAt(${sc.ctx}, [])`, sc, k);
        const js = sc.vars.get(t.name);
        if (js === undefined) throw new Error(`codegen: variable ${t.name} is not bound at ${t.loc.file}:${t.loc.line}:${t.loc.column}`);
        return k(js, sc);
      }
      case "ref":
        if (this.memoize && this.inFunction && t !== this.hoisting && this.invariantLookup(t)) return this.defined(`${this.lookupMemo(t)}(${sc.ctx})`, sc, k);
        if (t.head.kind === "var" && t.head.name === "data") return this.dataRef(t.path, sc, k);
        return this.term(t.head as A.Term, sc, (h, s) => this.path(h, t.path, 0, s, k));
      case "call":
        return this.call(t, sc, k);
      case "array":
        if (isGround(t)) return k(this.constant(t), sc);
        return this.terms(t.items, sc, (vs, s) => this.defined(`[${vs.join(", ")}]`, s, k));
      case "set":
        if (isGround(t)) return k(this.constant(t), sc);
        return this.terms(t.items, sc, (vs, s) => this.defined(`rt.set([${vs.join(", ")}])`, s, k));
      case "object": {
        if (isGround(t)) return k(this.constant(t), sc);
        const names = t.entries.map((e) => (e.key.kind === "string" && e.key.value !== "__proto__" ? e.key.value : undefined));
        if (names.every((n) => n !== undefined) && new Set(names).size === names.length) {
          // distinct constant string keys: a JavaScript object literal (what rt.obj would build, built at once)
          return this.terms(
            t.entries.map((e) => e.value),
            sc,
            (vs, s) => this.defined(`{ ${names.map((n, i) => `${JSON.stringify(n)}: ${vs[i]}`).join(", ")} }`, s, k),
          );
        }
        const flat = t.entries.flatMap((e) => [e.key, e.value]);
        return this.terms(flat, sc, (vs, s) => {
          const pairs: string[] = [];
          for (let i = 0; i < vs.length; i += 2) pairs.push(`[${vs[i]}, ${vs[i + 1]}]`);
          return this.defined(`rt.obj([${pairs.join(", ")}])`, s, k);
        });
      }
      case "arraycompr": {
        const out = this.fresh("arr");
        const body = this.body(t.body.literals, sc, (s) => this.term(t.term, s, (v) => `${out}.push(${v});`));
        return `const ${out} = []; { ${body} } ${k(out, sc)}`;
      }
      case "setcompr": {
        const out = this.fresh("set");
        const body = this.body(t.body.literals, sc, (s) => this.term(t.term, s, (v) => `${out}.add(${v});`));
        return `const ${out} = new rt.SetValue(); { ${body} } ${k(out, sc)}`;
      }
      case "objectcompr": {
        const out = this.fresh("obj");
        const body = this.body(t.body.literals, sc, (s) =>
          this.term(t.key, s, (kk, s2) =>
            this.term(t.value, s2, (vv) => `{ const p = ${out}.get(${kk}); if (p !== undefined && !rt.eq(p, ${vv})) rt.objectConflict(); ${out}.set(${kk}, ${vv}); }`),
          ),
        );
        const built = this.fresh("o");
        return `const ${out} = new rt.ObjectBuilder(); { ${body} } const ${built} = ${out}.build(); ${k(built, sc)}`;
      }
      case "binary":
        return this.term(t.left, sc, (a, s) => this.term(t.right, s, (b, s2) => this.operator(t.op, a, b, s2, k, t.loc)));
      case "membership": {
        const options = t.key ? undefined : smallScalarSet(t.collection);
        if (options) {
          // `x in {"a", "b"}`: compared inline (scalars other than numbers equal only themselves)
          return this.term(t.value, sc, (v, s) => this.defined(`(${options.map((o) => `${v} === ${o}`).join(" || ")})`, s, k));
        }
        return this.term(t.collection, sc, (c, s) =>
          this.term(t.value, s, (v, s2) =>
            t.key ? this.term(t.key, s2, (kk, s3) => this.defined(`rt.memberWithKey(${c}, ${kk}, ${v})`, s3, k)) : this.defined(`(typeof ${v} === "string" && Array.isArray(${c}) ? (${c}).includes(${v}) : rt.member(${c}, ${v}))`, s2, k),
          ),
        );
      }
    }
  }

  /** Binds an expression's value to a fresh constant and continues only when it is defined. */
  protected defined(expr: string, sc: Scope, k: KV): string {
    const v = this.fresh("t");
    return `const ${v} = ${expr}; if (${v} !== undefined) { ${k(v, sc)} }`;
  }

  protected operator(op: A.BinaryOperator, a: string, b: string, sc: Scope, k: KV, loc: A.Location): string {
    switch (op) {
      case "==":
        return this.defined(eqCode(a, b), sc, k);
      case "!=":
        return this.defined(`!(${eqCode(a, b)})`, sc, k);
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const slow = `rt.builtin(${sc.ctx}, ${JSON.stringify(OPERATOR_BUILTINS[op])}, ${this.builtinRef(OPERATOR_BUILTINS[op])}, [${a}, ${b}], ${this.locRef(loc)})`;
        const numeric = [a, b].filter((x) => !NUMBER_LITERAL.test(x)).map((x) => `typeof ${x} === "number"`);
        return this.defined(`${numeric.length > 0 ? numeric.join(" && ") : "true"} ? ${a} ${op} ${b} : ${slow}`, sc, k);
      }
      default:
        return this.callBuiltin(OPERATOR_BUILTINS[op], [a, b], sc, k, loc);
    }
  }

  protected callBuiltin(name: string, args: string[], sc: Scope, k: KV, loc: A.Location): string {
    const type = args.length === 1 ? typeTestOf(this.builtins.get(name)) : undefined;
    if (type !== undefined) {
      // is_string(x) and the like, x defined: true or false, never an error
      return this.mockable(name, args, `(${typeTest(type, args[0]!)})`, sc, k);
    }
    let direct = `rt.builtin(${sc.ctx}, ${JSON.stringify(name)}, ${this.builtinRef(name)}, [${args.join(", ")}], ${this.locRef(loc)})`;
    const net = name === "net.cidr_contains" && args.length === 2 ? ipv4Cidr(args[0]!) : undefined;
    if (net) {
      // a constant IPv4 network: a dotted-quad address is tested inline; anything else goes to the built-in
      direct = `(rt.cidr4Contains(${net.base}, ${net.mask}, ${args[1]}) ?? ${direct})`;
    }
    return this.mockable(name, args, direct, sc, k);
  }

  /**
   * A call that `with` may replace, continuing when its value is defined: `direct` when nothing is replaced,
   * else the replacement or `unreplaced`. Statements, not a closure (a closure would capture the context).
   */
  protected mockable(name: string, args: string[], direct: string, sc: Scope, k: KV, unreplaced = direct): string {
    if (!this.mocks) return this.defined(direct, sc, k);
    const v = this.fresh("t");
    return (
      `let ${v} = ${sc.ctx}.mocks === null ? ${direct} : rt.mock(${sc.ctx}, ${JSON.stringify(name)}, [${args.join(", ")}]); ` +
      `if (${v} === rt.NOT_MOCKED) ${v} = ${unreplaced}; if (${v} !== undefined) { ${k(v, sc)} }`
    );
  }

  /** A slot of `ctx.cache` for a per-evaluation memo. */
  protected slot(): number {
    return this.nextSlot++;
  }

  /** A function returning a call's value, computed once per evaluation (constant arguments). */
  protected callMemo(name: string, fn: string, args: string[]): string {
    const key = `call ${name}(${args.join(", ")})`;
    let memo = this.memos.get(key);
    if (!memo) this.memos.set(key, (memo = `C_${this.slot()}`));
    if (!this.memosDefined.has(memo)) {
      this.memosDefined.add(memo);
      const slot = memo.slice(2);
      this.prelude.push(
        `// ${name}(${args.join(", ").replace(/\n/g, " ")}): called once per evaluation`,
        `function ${memo}(ctx) { const c = ctx.cache[${slot}]; if (c !== undefined) return c === rt.UNDEF ? undefined : c; ` +
          `const res = ${fn}(ctx${args.map((a) => `, ${a}`).join("")}); ctx.cache[${slot}] = res === undefined ? rt.UNDEF : res; return res; }`,
      );
    }
    return memo;
  }

  /**
   * A lookup with a computed key that depends on nothing but input and base data (`data.groups[input.user]`):
   * worth computing once per evaluation wherever it recurs (a function's body runs on every call).
   */
  protected invariantLookup(t: A.Term): boolean {
    if (t.kind !== "ref" || t.head.kind !== "var") return false;
    if (t.head.name === "data") {
      const names: string[] = [];
      for (const p of t.path) {
        if (p.kind !== "string") break;
        names.push(p.value);
      }
      if (!this.baseDataOnly(names)) return false;
    } else if (t.head.name !== "input") return false;
    let computed = false;
    for (const p of t.path) {
      if (p.kind === "string" || p.kind === "number") continue;
      if (p.kind !== "ref" || !(this.invariantLookup(p) || (p.head.kind === "var" && p.head.name === "input" && p.path.every((q) => q.kind === "string" || q.kind === "number")))) return false;
      computed = true;
    }
    return computed;
  }

  protected lookupMemo(t: A.Term): string {
    const text = termText(t);
    const key = `lookup ${text}`;
    let memo = this.memos.get(key);
    if (!memo) this.memos.set(key, (memo = `H_${this.slot()}`));
    if (!this.memosDefined.has(memo)) {
      this.memosDefined.add(memo);
      const slot = memo.slice(2);
      const outer = this.hoisting;
      this.hoisting = t;
      const code = this.term(t, { vars: new Map(), ctx: "ctx" }, (v) => `res = ${v};`);
      this.hoisting = outer;
      this.prelude.push(
        `// ${text}: looked up once per evaluation`,
        `function ${memo}(ctx) { const c = ctx.cache[${slot}]; if (c !== undefined) return c === rt.UNDEF ? undefined : c; ` +
          `let res = undefined; ${code} ctx.cache[${slot}] = res === undefined ? rt.UNDEF : res; return res; }`,
      );
    }
    return memo;
  }

  protected call(t: A.CallTerm, sc: Scope, k: KV): string {
    const name = t.name.join(".");
    if (name === "print") {
      const parts = t.args.map(() => this.fresh("p"));
      const code = t.args.map((a, i) => `const ${parts[i]} = []; { ${this.term(a, sc, (v) => `${parts[i]}.push(${v});`)} }`).join(" ");
      return `${code} rt.print(${sc.ctx}, [${parts.join(", ")}]); ${k("true", sc)}`;
    }
    return this.terms(t.args, sc, (args, s) => {
      if (name === "walk") {
        const w = this.fresh("w");
        return `for (const ${w} of rt.walk(${args[0]})) { ${k(w, s)} }`;
      }
      const fn = this.functionNames.get(name);
      if (fn) {
        this.used.add(fn);
        const direct = `${fn}(${s.ctx}${args.map((a) => `, ${a}`).join("")})`;
        if (this.memoize && args.every((a) => CONSTANT_ARG.test(a))) {
          // constant arguments: the same value all evaluation long (unless `with` replaces a function); the
          // reference interpreter memoizes calls per evaluation too (a print in the function prints once)
          return this.mockable(name, args, `${this.callMemo(name, fn, args)}(${s.ctx})`, s, k, direct);
        }
        return this.mockable(name, args, direct, s, k);
      }
      if (t.name[0] === "data") {
        // a document called as a function (a `with` replacement names a rule)
        return this.defined(`rt.callByName(${s.ctx}, ${JSON.stringify(name)}, [${args.join(", ")}])`, s, k);
      }
      return this.callBuiltin(name, args, s, k, t.loc);
    });
  }

  /** A ref into a collection: each path element indexes, or enumerates when it binds variables. */
  protected path(cur: string, elems: readonly A.Term[], i: number, sc: Scope, k: KV): string {
    if (i === elems.length) return k(cur, sc);
    const e = elems[i]!;
    if (e.kind === "string" && !(e.value in Object.prototype)) {
      // a constant name: read it inline from a plain object (the property access gets its own inline cache),
      // anything else through the runtime
      const next = this.fresh("r");
      const access = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(e.value) ? `.${e.value}` : `[${JSON.stringify(e.value)}]`;
      const read = `(${cur} !== null && typeof ${cur} === "object" && ${cur}.constructor === Object ? ${cur}${access} : rt.field(${cur}, ${JSON.stringify(e.value)}))`;
      return `const ${next} = ${read}; if (${next} !== undefined) { ${this.path(next, elems, i + 1, sc, k)} }`;
    }
    if (this.ready(e, sc)) {
      return this.term(e, sc, (key, s) => {
        const next = this.fresh("r");
        // a string key into a plain object is read inline; the prototype's members are never values
        const read =
          `(typeof ${key} === "string" && ${cur} !== null && typeof ${cur} === "object" && ${cur}.constructor === Object ? ` +
          `rt.own(${cur}[${key}]) : rt.index(${cur}, ${key}))`;
        return `const ${next} = ${read}; if (${next} !== undefined) { ${this.path(next, elems, i + 1, s, k)} }`;
      });
    }
    const kk = this.fresh("k");
    const vv = this.fresh("x");
    return `for (const [${kk}, ${vv}] of rt.entries(${cur})) { rt.tick(${sc.ctx}); ${this.match(e, kk, sc, (s) => this.path(vv, elems, i + 1, s, k))} }`;
  }

  /** `data.…`: a node function when the path names one plainly, else the run-time document lookup. */
  protected dataRef(elems: readonly A.Term[], sc: Scope, k: KV): string {
    const strings: string[] = [];
    let i = 0;
    while (i < elems.length && elems[i]!.kind === "string") strings.push((elems[i++] as A.StringTerm).value);
    const lookup = (path: string) => `rt.dataAt(${sc.ctx}, ${path})`;
    if (this.baseDataOnly(strings)) {
      // no rule at, under or above this path: the base document, read once (unless `with` replaces data)
      const base = this.fresh("D");
      this.prelude.push(`const ${base} = rt.baseData(${JSON.stringify(strings)});`);
      return this.defined(`(${sc.ctx}.over === null ? ${base} : ${lookup(JSON.stringify(strings))})`, sc, (d, s) => this.path(d, elems, i, s, k));
    }
    // a rule's node alone makes the document at a prefix of the names: call it and index the rest
    for (let n = strings.length; n > 0; n--) {
      const node = this.directNode(strings.slice(0, n));
      if (node === undefined) continue;
      const doc = `(${sc.ctx}.over === null ? ${node}(${sc.ctx}) : ${lookup(JSON.stringify(strings.slice(0, n)))})`;
      return this.defined(doc, sc, (d, s) => this.path(d, elems, n, s, k));
    }
    const direct = this.directNode(strings);
    if (i < elems.length && this.ready(elems[i]!, sc)) {
      // a computed key right after the names: keep walking the rule tree with it when it is a string
      return this.term(elems[i]!, sc, (key, s) => {
        const d = this.fresh("d");
        const prefix = JSON.stringify(strings);
        return (
          `const ${d} = typeof ${key} === "string" ? ${lookup(`[...${prefix}, ${key}]`)} : rt.index(${lookup(prefix)}, ${key}); ` +
          `if (${d} !== undefined) { ${this.path(d, elems, i + 1, s, k)} }`
        );
      });
    }
    const doc = direct !== undefined ? `(${sc.ctx}.over === null ? ${direct}(${sc.ctx}) : ${lookup(JSON.stringify(strings))})` : lookup(JSON.stringify(strings));
    return this.defined(doc, sc, (d, s) => this.path(d, elems, i, s, k));
  }

  /** Whether no rule is defined at, below or above a path: its document is base data only. */
  protected baseDataOnly(path: string[]): boolean {
    let node: RuleNode | undefined = this.root;
    for (const p of path) {
      if (node.rules.length > 0) return false;
      node = node.children.get(p);
      if (!node) return true;
    }
    return !node.hasRules();
  }

  /** The node function that alone makes the document at a path (no base data, no children, no covering rule). */
  protected directNode(path: string[]): string | undefined {
    const name = this.nodeNames.get(path.join("."));
    if (!name) return undefined;
    let node: RuleNode | undefined = this.root;
    for (let n = 0; n < path.length; n++) {
      if (node!.rules.some((r) => r.kind !== "function")) return undefined;
      node = node!.children.get(path[n]!);
      if (!node) return undefined;
    }
    if (node!.children.size > 0) return undefined;
    this.used.add(name);
    return name;
  }

  // -------------------------------------------------------------------------------------------------------------
  // constants

  /** JS code for a ground term's value, hoisted to the prelude when it allocates. */
  protected constant(t: A.Term): string {
    const text = constantText(t);
    if (text === undefined) throw new Error("codegen: not a constant");
    if (t.kind === "array" || t.kind === "set" || t.kind === "object") {
      const name = this.fresh("K");
      this.prelude.push(`const ${name} = ${text};`);
      return name;
    }
    return text;
  }
}

/** JS code testing a defined value's type as `is_<type>` does. */
function typeTest(type: string, v: string): string {
  switch (type) {
    case "string":
      return `typeof ${v} === "string"`;
    case "number":
      return `typeof ${v} === "number" || typeof ${v} === "bigint"`;
    case "boolean":
      return `typeof ${v} === "boolean"`;
    case "null":
      return `${v} === null`;
    case "array":
      return `Array.isArray(${v})`;
    case "set":
      return `${v} instanceof rt.SetValue`;
    default:
      return `rt.isObject(${v})`;
  }
}

/** JS literals of scalars equal only to themselves under Rego's equality (not numbers: 1 == 1.0, bigints). */
const EXACT_LITERAL = /^(?:"(?:[^"\\]|\\.)*"|true|false|null)$/;
const NUMBER_LITERAL = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/;
/** Arguments whose value is the same on every call: scalar literals and hoisted constants. */
const CONSTANT_ARG = /^(?:"(?:[^"\\]|\\.)*"|true|false|null|-?\d[\d.e+-]*n?|K\d+)$/;

/** Rego equality of two JS values: `===` when one side is a string, boolean or null literal. */
function eqCode(a: string, b: string): string {
  return EXACT_LITERAL.test(a) || EXACT_LITERAL.test(b) ? `${a} === ${b}` : `rt.eq(${a}, ${b})`;
}

/** A small ground set or array of strings, booleans and nulls, as JS literals. */
function smallScalarSet(t: A.Term): string[] | undefined {
  if ((t.kind !== "set" && t.kind !== "array") || t.items.length === 0 || t.items.length > 8) return undefined;
  const out: string[] = [];
  for (const i of t.items) {
    if (i.kind !== "string" && i.kind !== "boolean" && i.kind !== "null") return undefined;
    out.push(constantText(i)!);
  }
  return [...new Set(out)];
}

/** A canonical IPv4 CIDR (`10.0.0.0/8`) as a network number and mask, or undefined. */
export function ipv4Cidr(js: string): { base: number; mask: number } | undefined {
  const m = /^"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})"$/.exec(js);
  if (!m) return undefined;
  const parts = m.slice(1);
  if (parts.some((p) => p.length > 1 && p.startsWith("0"))) return undefined;
  const [a, b, c, d, bits] = parts.map(Number) as [number, number, number, number, number];
  if ([a, b, c, d].some((x) => x > 255) || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: ((((a << 24) | (b << 16) | (c << 8) | d) & mask) >>> 0), mask };
}

/** A ref as written (`data.groups[input.user]`), for comments. */
function termText(t: A.Term): string {
  switch (t.kind) {
    case "var":
      return t.name;
    case "string":
      return JSON.stringify(t.value);
    case "number":
      return t.raw;
    case "ref":
      return (
        termText(t.head as A.Term) +
        t.path.map((p) => (p.kind === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${termText(p)}]`)).join("")
      );
    default:
      return "…";
  }
}
