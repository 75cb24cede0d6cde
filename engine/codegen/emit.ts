// Codegen: a compiled policy set becomes JavaScript source. Each rule-tree node with rules becomes a function
// returning the node's value (memoized per evaluation), each user function a function of its arguments, and
// each body a nest of blocks and loops: a literal's code wraps the code of the literals after it, so a solution
// is a path to the innermost block (continuation-passing at compile time, no generators at run time).
// Literals run in the order the safety stage gives; comments point back to the `.guard` lines.
import type * as A from "../../lang/ast.js";
import { OPERATOR_BUILTINS } from "../builtins/operators.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import type { RuleEntry, RuleNode } from "../compile/rule-tree.js";
import { isReady, termReady, withoutOutputArg, type ArityOf } from "../compile/safety.js";
import { parseNumberLiteral } from "../value/value.js";

interface Scope {
  /** Rego variable → JS identifier holding its value. */
  vars: ReadonlyMap<string, string>;
  /** The JS identifier of the evaluation context. */
  ctx: string;
}

type K = (sc: Scope) => string;
type KV = (js: string, sc: Scope) => string;


export interface EmitResult {
  /** The body of a function `(rt, BI) => { nodes, functions }`. */
  source: string;
  nodeNames: Map<string, string>;
  functionNames: Map<string, string>;
}

export class Emitter {
  private n = 0;
  private readonly prelude: string[] = [];
  private readonly builtinNames = new Map<string, string>();
  readonly nodeNames = new Map<string, string>();
  readonly functionNames = new Map<string, string>();
  private readonly nodeIds = new Map<string, number>();

  constructor(
    private readonly root: RuleNode,
    private readonly builtins: BuiltinRegistry,
    private readonly arity: ArityOf,
    /** Whether any `with` replaces a function (calls then check for replacements). */
    private readonly mocks: boolean,
  ) {}

  private fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  private varName(name: string): string {
    return this.fresh(`v_${name.replace(/[^A-Za-z0-9_]/g, "_")}_`);
  }

  private bind(sc: Scope, name: string, js: string): Scope {
    const vars = new Map(sc.vars);
    vars.set(name, js);
    return { ...sc, vars };
  }

  private bound(sc: Scope): { has(name: string): boolean } {
    return { has: (name) => sc.vars.has(name) };
  }

  private ready(t: A.Term, sc: Scope): boolean {
    return termReady(t, this.bound(sc));
  }

  private readonly locNames = new Map<string, string>();

  /** A hoisted constant holding a source location, for errors raised at run time. */
  private locRef(loc: A.Location): string {
    const text = JSON.stringify(loc);
    let name = this.locNames.get(text);
    if (!name) {
      name = this.fresh("L");
      this.locNames.set(text, name);
      this.prelude.push(`const ${name} = ${text};`);
    }
    return name;
  }

  private builtinRef(name: string): string {
    let js = this.builtinNames.get(name);
    if (!js) {
      js = this.fresh(`B_${name.replace(/[^A-Za-z0-9_]/g, "_")}_`);
      this.builtinNames.set(name, js);
      this.prelude.push(`const ${js} = BI.get(${JSON.stringify(name)});`);
    }
    return js;
  }

  // -------------------------------------------------------------------------------------------------------------
  // program

  emitProgram(entries: RuleEntry[]): EmitResult {
    const byNode = new Map<string, RuleEntry[]>();
    for (const e of entries) {
      const key = e.path.join(".");
      byNode.set(key, [...(byNode.get(key) ?? []), e]);
    }
    let id = 0;
    for (const key of byNode.keys()) this.nodeIds.set(key, id++);
    for (const [key, list] of byNode) {
      const fns = list.filter((e) => e.kind === "function");
      if (fns.length > 0) this.functionNames.set(`data.${key}`, `F_${this.nodeIds.get(key)}`);
      if (fns.length < list.length) this.nodeNames.set(key, `N_${this.nodeIds.get(key)}`);
    }
    const parts: string[] = [];
    for (const [key, list] of byNode) {
      const fns = list.filter((e) => e.kind === "function");
      const docs = list.filter((e) => e.kind !== "function");
      if (docs.length > 0) parts.push(this.emitNode(key, docs));
      if (fns.length > 0) parts.push(this.emitFunction(key, fns));
    }
    const nodes = [...this.nodeNames].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ");
    const functions = [...this.functionNames].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ");
    const source = [...this.prelude, ...parts, `return { nodes: { ${nodes} }, functions: { ${functions} } };`].join("\n");
    return { source, nodeNames: this.nodeNames, functionNames: this.functionNames };
  }

  /** Uses the node and function names of a program emitted before (for queries compiled later). */
  adopt(program: EmitResult): void {
    for (const [k, v] of program.nodeNames) this.nodeNames.set(k, v);
    for (const [k, v] of program.functionNames) this.functionNames.set(k, v);
  }

  /** A query body: a function of the context returning one row of bindings per solution. */
  emitQuery(body: A.Body, vars: string[]): string {
    for (const [k, v] of this.nodeNames) this.prelude.push(`const ${v} = M.nodes[${JSON.stringify(k)}];`);
    for (const [k, v] of this.functionNames) this.prelude.push(`const ${v} = M.functions[${JSON.stringify(k)}];`);
    const sc: Scope = { vars: new Map(), ctx: "ctx" };
    const code = this.body(body.literals, sc, (s) => {
      const fields = vars.filter((v) => s.vars.has(v)).map((v) => `${JSON.stringify(v)}: ${s.vars.get(v)}`);
      return `rows.push({ ${fields.join(", ")} });`;
    });
    return [...this.prelude, `return function query(ctx) {`, `const rows = [];`, code, `return rows;`, `};`].join("\n");
  }

  private emitNode(key: string, entries: RuleEntry[]): string {
    const id = this.nodeIds.get(key)!;
    const name = this.nodeNames.get(key)!;
    const sc: Scope = { vars: new Map(), ctx: "ctx" };
    const lines = [
      `// data.${key}`,
      `function ${name}(ctx) {`,
      `const c = ctx.cache[${id}];`,
      `if (c !== undefined) return c === rt.UNDEF ? undefined : c;`,
      `rt.tick(ctx);`,
      `let res = undefined;`,
    ];
    const multi = entries.filter((e) => e.kind === "multi" && e.rest.length === 0);
    const dynamic = entries.filter((e) => e.rest.length > 0);
    const complete = entries.filter((e) => e.kind === "complete" && e.rest.length === 0);
    if (multi.length > 0) {
      lines.push(`const out = new rt.SetValue();`);
      for (const e of multi) {
        lines.push(`// ${where(e.rule)}`);
        for (const b of bodiesOf(e.rule)) lines.push(`{ ${this.body(b, sc, (s) => this.term(e.rule.head.contains!, s, (v) => `out.add(${v});`))} }`);
      }
      lines.push(`res = out;`);
    } else if (dynamic.length > 0) {
      for (const e of dynamic) {
        lines.push(`// ${where(e.rule)}`);
        const union = e.kind === "multi";
        for (const b of bodiesOf(e.rule)) {
          lines.push(
            `{ ${this.body(b, sc, (s) =>
              this.terms(e.rest, s, (keys, s2) =>
                union
                  ? this.term(e.rule.head.contains!, s2, (v) => `res = rt.insertAt(res, [${keys.join(", ")}], rt.set([${v}]), true);`)
                  : this.headValue(e.rule.head.value, s2, (v) => `res = rt.insertAt(res, [${keys.join(", ")}], ${v}, false);`),
              ),
            )} }`,
          );
        }
      }
      lines.push(`if (res === undefined) res = rt.obj([]);`); // no entries: an empty object, as in OPA
    } else {
      const defs = complete.filter((e) => !e.rule.default);
      const defaults = complete.filter((e) => e.rule.default);
      const constants = defs.map((e) => (e.rule.elses.length === 0 ? constantText(e.rule.head.value ?? TRUE) : undefined));
      const allSame = constants.every((c) => c !== undefined && c === constants[0]);
      defs.forEach((e, i) => {
        const rule = e.rule;
        const early = constants[i] !== undefined;
        const label = this.fresh("r");
        const got = this.fresh("got");
        const emitValue = (value: A.Term | undefined, s: Scope, exit: string) =>
          this.headValue(value, s, (v) => `if (res !== undefined && !rt.eq(res, ${v})) rt.conflict("rule", ${JSON.stringify(key)}, ${this.locRef(rule.loc)}); res = ${v}; ${got} = true; ${exit}`);
        const block: string[] = [`// ${where(rule)}`, `${label}: {`, `let ${got} = false;`];
        for (const b of bodiesOf(rule)) {
          const bl = this.fresh("b");
          block.push(`${bl}: { ${this.body(b, sc, (s) => emitValue(rule.head.value, s, early ? `break ${bl};` : ""))} }`);
        }
        for (const el of rule.elses) {
          const elLabel = this.fresh("e");
          const elBody = el.body?.literals ?? [];
          const elEarly = constantText(el.value ?? { kind: "boolean", value: true, loc: el.loc }) !== undefined;
          block.push(`if (!${got}) ${elLabel}: { ${this.body(elBody, sc, (s) => emitValue(el.value, s, elEarly ? `break ${elLabel};` : ""))} }`);
        }
        block.push(`}`);
        lines.push(allSame && i > 0 ? `if (res === undefined) { ${block.join("\n")} }` : block.join("\n"));
      });
      if (defaults.length > 0) lines.push(`if (res === undefined) { ${this.term(defaults[0]!.rule.head.value!, sc, (v) => `res = ${v};`)} }`);
    }
    lines.push(`ctx.cache[${id}] = res === undefined ? rt.UNDEF : res;`, `return res;`, `}`);
    return lines.join("\n");
  }

  private emitFunction(key: string, entries: RuleEntry[]): string {
    const name = this.functionNames.get(key.startsWith("data.") ? key : `data.${key}`)!;
    const arity = entries[0]!.rule.head.args!.length;
    const params = Array.from({ length: arity }, (_, i) => `a${i}`);
    const lines = [`// function data.${key}`, `function ${name}(ctx, ${params.join(", ")}) {`, `rt.tick(ctx);`, `let res = undefined;`];
    const sc: Scope = { vars: new Map(), ctx: "ctx" };
    let defaultValue: string | undefined;
    for (const e of entries) {
      const rule = e.rule;
      if (rule.default) {
        defaultValue = this.term(rule.head.value!, sc, (v) => `res = ${v};`);
        continue;
      }
      const label = this.fresh("f");
      const got = this.fresh("got");
      const emitValue = (value: A.Term | undefined, s: Scope, exit: string) =>
        this.headValue(value, s, (v) => `if (res !== undefined && !rt.eq(res, ${v})) rt.conflict("function", ${JSON.stringify(key)}, ${this.locRef(rule.loc)}); res = ${v}; ${got} = true; ${exit}`);
      const inner = this.matchAll(rule.head.args!, params, sc, (s) => {
        const parts: string[] = [`let ${got} = false;`];
        const early = constantText(rule.head.value ?? { kind: "boolean", value: true, loc: rule.loc }) !== undefined;
        for (const b of bodiesOf(rule)) {
          const bl = this.fresh("b");
          parts.push(`${bl}: { ${this.body(b, s, (s2) => emitValue(rule.head.value, s2, early ? `break ${bl};` : ""))} }`);
        }
        for (const el of rule.elses) {
          const elLabel = this.fresh("e");
          const elEarly = constantText(el.value ?? { kind: "boolean", value: true, loc: el.loc }) !== undefined;
          parts.push(`if (!${got}) ${elLabel}: { ${this.body(el.body?.literals ?? [], s, (s2) => emitValue(el.value, s2, elEarly ? `break ${elLabel};` : ""))} }`);
        }
        return parts.join("\n");
      });
      lines.push(`// ${where(rule)}`, `${label}: { ${inner} }`);
    }
    if (defaultValue !== undefined) lines.push(`if (res === undefined) { ${defaultValue} }`);
    lines.push(`return res;`, `}`);
    return lines.join("\n");
  }

  private matchAll(patterns: readonly A.Term[], values: string[], sc: Scope, k: K): string {
    if (patterns.length === 0) return k(sc);
    return this.match(patterns[0]!, values[0]!, sc, (s) => this.matchAll(patterns.slice(1), values.slice(1), s, k));
  }

  private headValue(value: A.Term | undefined, sc: Scope, k: (js: string) => string): string {
    if (value === undefined) return k("true");
    return this.term(value, sc, (v) => k(v));
  }

  // -------------------------------------------------------------------------------------------------------------
  // bodies

  body(literals: readonly A.Literal[], sc: Scope, k: K): string {
    if (literals.length === 0) return k(sc);
    let index = literals.findIndex((l) => isReady(withoutOutputArg(l, this.arity), this.bound(sc)));
    if (index < 0) index = 0;
    const lit = literals[index]!;
    const rest = [...literals.slice(0, index), ...literals.slice(index + 1)];
    return `/* ${lit.loc.file}:${lit.loc.line} */ ` + this.literal(lit, sc, (s) => this.body(rest, s, k));
  }

  private literal(lit: A.Literal, sc: Scope, k: K): string {
    if (lit.with.length > 0) return this.withLiteral(lit, sc, k);
    if (lit.negated) {
      const found = this.fresh("found");
      const label = this.fresh("n");
      return `let ${found} = false; ${label}: { ${this.expr(lit.expr, sc, () => `${found} = true; break ${label};`)} } if (!${found}) { ${k(sc)} }`;
    }
    return this.expr(lit.expr, sc, k);
  }

  private withLiteral(lit: A.Literal, sc: Scope, k: K): string {
    const inputs: string[] = [];
    const datas: string[] = [];
    const mocks: string[] = [];
    const ctx2 = this.fresh("ctx");
    const evalValues = (i: number, s: Scope): string => {
      if (i === lit.with.length) {
        const inner: Scope = { ...s, ctx: ctx2 };
        const plain: A.Literal = { ...lit, with: [] };
        return `const ${ctx2} = rt.withContext(${s.ctx}, [${inputs.join(", ")}], [${datas.join(", ")}], [${mocks.join(", ")}]); ${this.literal(plain, inner, (s2) => k({ ...s2, ctx: s.ctx }))}`;
      }
      const w = lit.with[i]!;
      const target = w.target;
      const root = target.kind === "var" ? target.name : target.head.kind === "var" ? target.head.name : "";
      const name = refName(target);
      const isFunction = name !== undefined && (this.functionNames.has(name.join(".")) || (root !== "data" && root !== "input"));
      if (isFunction) {
        const valueName = w.value.kind === "var" || w.value.kind === "ref" ? refName(w.value) : undefined;
        const fnTarget =
          valueName !== undefined && (this.functionNames.has(valueName.join(".")) || (valueName[0] !== "data" && valueName[0] !== "input" && this.builtins.has(valueName.join("."))));
        if (fnTarget) {
          mocks.push(`[${JSON.stringify(name!.join("."))}, { kind: "function", name: ${JSON.stringify(valueName!.join("."))} }]`);
          return evalValues(i + 1, s);
        }
        return this.term(w.value, s, (v, s2) => {
          mocks.push(`[${JSON.stringify(name!.join("."))}, { kind: "value", value: ${v} }]`);
          return evalValues(i + 1, s2);
        });
      }
      const path = target.kind === "var" ? [] : target.path;
      return this.terms(path, s, (keys, s2) =>
        this.term(w.value, s2, (v, s3) => {
          (root === "input" ? inputs : datas).push(`{ path: [${keys.join(", ")}], value: ${v} }`);
          return evalValues(i + 1, s3);
        }),
      );
    };
    return evalValues(0, sc);
  }

  private expr(e: A.Expr, sc: Scope, k: K): string {
    switch (e.kind) {
      case "term-expr": {
        const t = e.term;
        if (t.kind === "call") {
          const n = this.arity(t.name);
          if (n !== undefined && t.args.length === n + 1) {
            const inner: A.CallTerm = { ...t, args: t.args.slice(0, n) };
            return this.term(inner, sc, (v, s) => this.match(t.args[n]!, v, s, k));
          }
        }
        return this.term(t, sc, (v, s) => `if (${v} !== false) { ${k(s)} }`);
      }
      case "assign":
        return this.unify(e.left, e.right, sc, k);
      case "some-decl": {
        const vars = new Map(sc.vars);
        for (const v of e.vars) vars.delete(v.name);
        return k({ ...sc, vars });
      }
      case "some-in":
        return this.term(e.collection, sc, (c, s) => {
          const kk = this.fresh("k");
          const vv = this.fresh("x");
          const inner = this.match(e.value, vv, s, (s2) => (e.key ? this.match(e.key, kk, s2, k) : k(s2)));
          return `for (const [${kk}, ${vv}] of rt.entries(${c})) { rt.tick(${s.ctx}); ${inner} }`;
        });
      case "every":
        return this.term(e.domain, sc, (d, s) => {
          const ok = this.fresh("ok");
          const found = this.fresh("found");
          const label = this.fresh("ev");
          const kk = this.fresh("k");
          const vv = this.fresh("x");
          let inner = this.bind(s, e.value.name, vv);
          if (e.key) inner = this.bind(inner, e.key.name, kk);
          const body = this.body(e.body.literals, inner, () => `${found} = true; break ${label};`);
          return (
            `if (rt.isCollection(${d})) { let ${ok} = true; for (const [${kk}, ${vv}] of rt.entries(${d})) { rt.tick(${s.ctx}); ` +
            `let ${found} = false; ${label}: { ${body} } if (!${found}) { ${ok} = false; break; } } if (${ok}) { ${k(s)} } }`
          );
        });
    }
  }

  /** `a = b` / `a := b`: evaluate the side that can be evaluated and match the other against it. */
  private unify(a: A.Term, b: A.Term, sc: Scope, k: K): string {
    if (this.ready(b, sc) || (!this.ready(a, sc) && !isPattern(b))) return this.term(b, sc, (v, s) => this.match(a, v, s, k));
    if (this.ready(a, sc)) return this.term(a, sc, (v, s) => this.match(b, v, s, k));
    if (a.kind === "array" && b.kind === "array" && a.items.length === b.items.length) {
      const step = (i: number, s: Scope): string => (i === a.items.length ? k(s) : this.unify(a.items[i]!, b.items[i]!, s, (s2) => step(i + 1, s2)));
      return step(0, sc);
    }
    if (a.kind === "object" && b.kind === "object" && a.entries.length === b.entries.length) {
      const pairs: [A.Term, A.Term][] = [];
      for (const ea of a.entries) {
        const key = constantText(ea.key);
        const eb = b.entries.find((x) => constantText(x.key) === key && key !== undefined);
        if (!eb) return "";
        pairs.push([ea.value, eb.value]);
      }
      const step = (i: number, s: Scope): string => (i === pairs.length ? k(s) : this.unify(pairs[i]![0], pairs[i]![1], s, (s2) => step(i + 1, s2)));
      return step(0, sc);
    }
    return this.term(b, sc, (v, s) => this.match(a, v, s, k));
  }

  /** Matches a term (possibly with unbound variables) against the value in JS identifier `v`. */
  private match(t: A.Term, v: string, sc: Scope, k: K): string {
    switch (t.kind) {
      case "var": {
        const js = sc.vars.get(t.name);
        if (js !== undefined) return `if (rt.eq(${js}, ${v})) { ${k(sc)} }`;
        const name = this.varName(t.name);
        return `const ${name} = ${v}; ${k(this.bind(sc, t.name, name))}`;
      }
      case "array": {
        if (this.ready(t, sc)) break;
        const items = t.items.map(() => this.fresh("i"));
        const decl = items.map((name, i) => `const ${name} = ${v}[${i}];`).join(" ");
        return `if (Array.isArray(${v}) && ${v}.length === ${t.items.length}) { ${decl} ${this.matchAll(t.items, items, sc, k)} }`;
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
    return this.term(t, sc, (w, s) => `if (rt.eq(${w}, ${v})) { ${k(s)} }`);
  }

  // -------------------------------------------------------------------------------------------------------------
  // terms

  private terms(ts: readonly A.Term[], sc: Scope, k: (js: string[], sc: Scope) => string, acc: string[] = []): string {
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
      case "membership":
        return this.term(t.collection, sc, (c, s) =>
          this.term(t.value, s, (v, s2) =>
            t.key ? this.term(t.key, s2, (kk, s3) => this.defined(`rt.memberWithKey(${c}, ${kk}, ${v})`, s3, k)) : this.defined(`rt.member(${c}, ${v})`, s2, k),
          ),
        );
    }
  }

  /** Binds an expression's value to a fresh constant and continues only when it is defined. */
  private defined(expr: string, sc: Scope, k: KV): string {
    const v = this.fresh("t");
    return `const ${v} = ${expr}; if (${v} !== undefined) { ${k(v, sc)} }`;
  }

  private operator(op: A.BinaryOperator, a: string, b: string, sc: Scope, k: KV, loc: A.Location): string {
    switch (op) {
      case "==":
        return this.defined(`rt.eq(${a}, ${b})`, sc, k);
      case "!=":
        return this.defined(`!rt.eq(${a}, ${b})`, sc, k);
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const slow = `rt.builtin(${sc.ctx}, ${JSON.stringify(OPERATOR_BUILTINS[op])}, ${this.builtinRef(OPERATOR_BUILTINS[op])}, [${a}, ${b}], ${this.locRef(loc)})`;
        return this.defined(`typeof ${a} === "number" && typeof ${b} === "number" ? ${a} ${op} ${b} : ${slow}`, sc, k);
      }
      default:
        return this.callBuiltin(OPERATOR_BUILTINS[op], [a, b], sc, k, loc);
    }
  }

  private callBuiltin(name: string, args: string[], sc: Scope, k: KV, loc: A.Location): string {
    const direct = `rt.builtin(${sc.ctx}, ${JSON.stringify(name)}, ${this.builtinRef(name)}, [${args.join(", ")}], ${this.locRef(loc)})`;
    return this.defined(this.mockable(name, args, direct, sc), sc, k);
  }

  private mockable(name: string, args: string[], direct: string, sc: Scope): string {
    if (!this.mocks) return direct;
    const m = `rt.mock(${sc.ctx}, ${JSON.stringify(name)}, [${args.join(", ")}])`;
    return `(${sc.ctx}.mocks === null ? ${direct} : ((m) => m === rt.NOT_MOCKED ? ${direct} : m)(${m}))`;
  }

  private call(t: A.CallTerm, sc: Scope, k: KV): string {
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
      if (fn) return this.defined(this.mockable(name, args, `${fn}(${s.ctx}${args.map((a) => `, ${a}`).join("")})`, s), s, k);
      if (t.name[0] === "data") {
        // a document called as a function (a `with` replacement names a rule)
        return this.defined(`rt.callByName(${s.ctx}, ${JSON.stringify(name)}, [${args.join(", ")}])`, s, k);
      }
      return this.callBuiltin(name, args, s, k, t.loc);
    });
  }

  /** A ref into a collection: each path element indexes, or enumerates when it binds variables. */
  private path(cur: string, elems: readonly A.Term[], i: number, sc: Scope, k: KV): string {
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
  private dataRef(elems: readonly A.Term[], sc: Scope, k: KV): string {
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
  private baseDataOnly(path: string[]): boolean {
    let node: RuleNode | undefined = this.root;
    for (const p of path) {
      if (node.rules.length > 0) return false;
      node = node.children.get(p);
      if (!node) return true;
    }
    return !node.hasRules();
  }

  /** The node function that alone makes the document at a path (no base data, no children, no covering rule). */
  private directNode(path: string[]): string | undefined {
    const name = this.nodeNames.get(path.join("."));
    if (!name) return undefined;
    let node: RuleNode | undefined = this.root;
    for (let n = 0; n < path.length; n++) {
      if (node!.rules.some((r) => r.kind !== "function")) return undefined;
      node = node!.children.get(path[n]!);
      if (!node) return undefined;
    }
    if (node!.children.size > 0) return undefined;
    return name;
  }

  // -------------------------------------------------------------------------------------------------------------
  // constants

  /** JS code for a ground term's value, hoisted to the prelude when it allocates. */
  private constant(t: A.Term): string {
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

const TRUE: A.BooleanTerm = { kind: "boolean", value: true, loc: { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 } };

function bodiesOf(rule: A.Rule): A.Literal[][] {
  const bodies = [rule.body, ...rule.alternatives].filter((b): b is A.Body => b !== undefined).map((b) => b.literals);
  return bodies.length > 0 ? bodies : [[]];
}

function where(rule: A.Rule): string {
  return `${rule.loc.file}:${rule.loc.line}`.replace(/\*\//g, "* /");
}

function refName(t: A.Term): string[] | undefined {
  if (t.kind === "var") return [t.name];
  if (t.kind === "ref" && t.head.kind === "var" && t.path.every((p) => p.kind === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as A.StringTerm).value)];
  }
  return undefined;
}

function isPattern(t: A.Term): boolean {
  return t.kind === "var" || t.kind === "array" || t.kind === "object";
}

function numberText(raw: string): string {
  const v = parseNumberLiteral(raw);
  return typeof v === "bigint" ? `${v}n` : Object.is(v, -0) ? "-0" : String(v);
}

function isGround(t: A.Term): boolean {
  return constantText(t) !== undefined;
}

/** JS source building a ground term's value, or undefined when the term is not ground. */
function constantText(t: A.Term | undefined): string | undefined {
  if (t === undefined) return undefined;
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return numberText(t.raw);
    case "string":
      return JSON.stringify(t.value);
    case "array": {
      const items = t.items.map(constantText);
      return items.every((x) => x !== undefined) ? `[${items.join(", ")}]` : undefined;
    }
    case "set": {
      const items = t.items.map(constantText);
      return items.every((x) => x !== undefined) ? `rt.set([${items.join(", ")}])` : undefined;
    }
    case "object": {
      const pairs = t.entries.map((e) => [constantText(e.key), constantText(e.value)]);
      return pairs.every(([a, b]) => a !== undefined && b !== undefined) ? `rt.obj([${pairs.map(([a, b]) => `[${a}, ${b}]`).join(", ")}])` : undefined;
    }
    default:
      return undefined;
  }
}
