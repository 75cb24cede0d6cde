// Codegen: a compiled policy set becomes JavaScript source. Each rule-tree node with rules becomes a function
// returning the node's value (memoized per evaluation), each user function a function of its arguments, and
// each body a nest of blocks and loops: a literal's code wraps the code of the literals after it, so a solution
// is a path to the innermost block (continuation-passing at compile time, no generators at run time).
// Literals run in the order the safety stage gives; comments point back to the `.guard` lines.
// This file holds rules, bodies and literals; emit-terms.ts the terms.
import type * as A from "../../lang/ast.js";
import type { BodyIndex, RuleIndexes } from "../compile/index.js";
import type { RuleEntry } from "../compile/rule-tree.js";
import { isPatternish, isReady, withoutOutputArg } from "../compile/safety.js";
import { refName } from "../compile/walk.js";
import { constantText } from "./constants.js";
import { TermEmitter, type K, type Scope } from "./emit-terms.js";

export interface EmitResult {
  /** The body of a function `(rt, BI) => { nodes, functions }`. */
  source: string;
  nodeNames: Map<string, string>;
  functionNames: Map<string, string>;
}

export class Emitter extends TermEmitter {
  // -------------------------------------------------------------------------------------------------------------
  // program

  /** Rule indexes by node (the index stage), used when emitting nodes. */
  private indexes: RuleIndexes = new Map();
  /** Nodes whose value depends on data alone (the fixed-rules stage): kept by the program, computed once. */
  private fixed: ReadonlySet<string> = new Set();

  emitProgram(entries: RuleEntry[], indexes?: RuleIndexes, fixed?: ReadonlySet<string>): EmitResult {
    if (indexes) this.indexes = indexes;
    if (fixed) this.fixed = fixed;
    const byNode = new Map<string, RuleEntry[]>();
    for (const e of entries) {
      const key = e.path.join(".");
      const list = byNode.get(key);
      if (list) list.push(e);
      else byNode.set(key, [e]);
    }
    let id = 0;
    for (const key of byNode.keys()) this.nodeIds.set(key, id++);
    for (const [key, list] of byNode) {
      const fns = list.filter((e) => e.kind === "function");
      if (fns.length > 0) this.functionNames.set(`data.${key}`, `F_${this.nodeIds.get(key)}`);
      if (fns.length < list.length) this.nodeNames.set(key, `N_${this.nodeIds.get(key)}`);
    }
    // per-evaluation memos take the cache slots after the nodes'
    this.memoize = true;
    this.nextSlot = id;
    const parts: string[] = [];
    for (const [key, list] of byNode) {
      const fns = list.filter((e) => e.kind === "function");
      const docs = list.filter((e) => e.kind !== "function");
      if (docs.length > 0) parts.push(this.emitNode(key, docs));
      if (fns.length > 0) {
        this.inFunction = true;
        parts.push(this.emitFunction(key, fns));
        this.inFunction = false;
      }
    }
    const nodes = [...this.nodeNames].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ");
    const functions = [...this.functionNames].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ");
    const source = [...this.prelude, ...parts, `return { nodes: { ${nodes} }, functions: { ${functions} }, slots: ${this.nextSlot} };`].join("\n");
    return { source, nodeNames: this.nodeNames, functionNames: this.functionNames };
  }

  /** Rule entries by node key, for programs emitted node by node (see `prepare`). */
  private byNode = new Map<string, RuleEntry[]>();
  /** Node keys by id. */
  private keysById: string[] = [];
  /** Node keys emitted in earlier chunks. */
  private readonly emittedKeys = new Set<string>();

  /**
   * Prepares a program to be emitted node by node (`emitChunk`): every node gets its name and cache slot, as
   * `emitProgram` gives them, and nothing is emitted yet.
   */
  prepare(entries: RuleEntry[], indexes?: RuleIndexes, fixed?: ReadonlySet<string>): void {
    if (indexes) this.indexes = indexes;
    if (fixed) this.fixed = fixed;
    for (const e of entries) {
      const key = e.path.join(".");
      const list = this.byNode.get(key);
      if (list) list.push(e);
      else this.byNode.set(key, [e]);
    }
    let id = 0;
    for (const key of this.byNode.keys()) {
      this.nodeIds.set(key, id++);
      this.keysById.push(key);
    }
    for (const [key, list] of this.byNode) {
      const fns = list.some((e) => e.kind === "function");
      if (fns) this.functionNames.set(`data.${key}`, `F_${this.nodeIds.get(key)}`);
      if (!list.every((e) => e.kind === "function")) this.nodeNames.set(key, `N_${this.nodeIds.get(key)}`);
    }
    this.memoize = true;
    this.nextSlot = id;
  }

  /** How many cache slots the code emitted so far uses (nodes and memos). */
  slotCount(): number {
    return this.nextSlot;
  }

  /** The node key of a node or function identifier (`N_3`, `F_3`). */
  keyOf(identifier: string): string {
    return this.keysById[Number(identifier.slice(2))]!;
  }

  /** The node keys emitted so far, in order. */
  emittedKeysInOrder(): string[] {
    return [...this.emittedKeys];
  }

  /** Whether a node key's code was emitted (in an earlier chunk). */
  isEmitted(key: string): boolean {
    return this.emittedKeys.has(key);
  }

  /**
   * The code of nodes (by key) not emitted yet and of every node and function they call that is not either: the
   * body of a function `(rt, BI, M) => { nodes, functions, slots }` that reads what earlier chunks made from `M`.
   */
  emitChunk(keys: readonly string[]): { source: string; keys: string[] } {
    const chunk: string[] = [];
    try {
      return { source: this.chunkSource(keys, chunk), keys: chunk };
    } catch (e) {
      this.forget(chunk);
      throw e;
    }
  }

  /** Marks nodes as not emitted (their chunk failed): a later use emits them again. */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.emittedKeys.delete(k);
  }

  private chunkSource(keys: readonly string[], chunk: string[]): string {
    this.prelude = [];
    this.locNames.clear();
    this.builtinNames.clear();
    this.memosDefined.clear();
    const parts: string[] = [];
    const used = new Set<string>();
    const pending = keys.filter((k) => !this.emittedKeys.has(k));
    while (pending.length > 0) {
      const key = pending.pop()!;
      if (this.emittedKeys.has(key) || !this.byNode.has(key)) continue;
      this.emittedKeys.add(key);
      this.used.clear();
      chunk.push(key);
      const list = this.byNode.get(key)!;
      const fns = list.filter((e) => e.kind === "function");
      const docs = list.filter((e) => e.kind !== "function");
      if (docs.length > 0) parts.push(this.emitNode(key, docs));
      if (fns.length > 0) {
        this.inFunction = true;
        parts.push(this.emitFunction(key, fns));
        this.inFunction = false;
      }
      for (const u of this.used) {
        used.add(u);
        const k = this.keyOf(u);
        if (!this.emittedKeys.has(k)) pending.push(k);
      }
    }
    const own = new Set(chunk);
    const imports: string[] = [];
    for (const u of used) {
      const k = this.keyOf(u);
      if (own.has(k)) continue;
      imports.push(u.startsWith("N_") ? `const ${u} = M.nodes[${JSON.stringify(k)}];` : `const ${u} = M.functions[${JSON.stringify(`data.${k}`)}];`);
    }
    const nodes = chunk.flatMap((k) => {
      const v = this.nodeNames.get(k);
      return v ? [`${JSON.stringify(k)}: ${v}`] : [];
    });
    const functions = chunk.flatMap((k) => {
      const v = this.functionNames.get(`data.${k}`);
      return v ? [`${JSON.stringify(`data.${k}`)}: ${v}`] : [];
    });
    return [...imports, ...this.prelude, ...parts, `return { nodes: { ${nodes.join(", ")} }, functions: { ${functions.join(", ")} }, slots: ${this.nextSlot} };`].join("\n");
  }

  /** Uses the node and function names of a program emitted before (for queries compiled later). */
  adopt(program: Pick<EmitResult, "nodeNames" | "functionNames">): void {
    for (const [k, v] of program.nodeNames) this.nodeNames.set(k, v);
    for (const [k, v] of program.functionNames) this.functionNames.set(k, v);
  }

  /** A query body: a function of the context returning one row of bindings per solution. */
  emitQuery(body: A.Body, vars: string[]): string {
    this.used.clear();
    const sc: Scope = { vars: new Map(), ctx: "ctx" };
    const code = this.body(body.literals, sc, (s) => {
      const fields = vars.filter((v) => s.vars.has(v)).map((v) => `${JSON.stringify(v)}: ${s.vars.get(v)}`);
      return `rows.push({ ${fields.join(", ")} });`;
    });
    // the nodes and functions the query calls, from the program's module (`used` says which)
    const names = new Map<string, string>();
    for (const [k, v] of this.nodeNames) if (this.used.has(v)) names.set(v, `M.nodes[${JSON.stringify(k)}]`);
    for (const [k, v] of this.functionNames) if (this.used.has(v)) names.set(v, `M.functions[${JSON.stringify(k)}]`);
    const imports = [...names].map(([v, read]) => `const ${v} = ${read};`);
    return [...imports, ...this.prelude, `return function query(ctx) {`, `const rows = [];`, code, `return rows;`, `};`].join("\n");
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
    ];
    const fixed = this.fixed.has(key);
    if (fixed) {
      // depends on data alone: the value the program keeps (per strictness), unless a `with` replaces data or a
      // function here; kept only once computed without an error, and the same value object every time
      lines.push(
        `const kept = ctx.over === null && ctx.mocks === null ? rt.kept(ctx) : null;`,
        `if (kept !== null) { const k = kept[${id}]; if (k !== undefined) { ctx.cache[${id}] = k; return k === rt.UNDEF ? undefined : k; } }`,
      );
    }
    lines.push(`rt.tick(ctx);`, `let res = undefined;`);
    const index = this.indexes.get(key);
    const guard = index ? this.emitIndex(index, sc, lines) : () => "";
    const multi = entries.filter((e) => e.kind === "multi" && e.rest.length === 0);
    const dynamic = entries.filter((e) => e.rest.length > 0);
    const complete = entries.filter((e) => e.kind === "complete" && e.rest.length === 0);
    if (multi.length > 0) {
      lines.push(`const out = new rt.SetValue();`);
      for (const e of multi) {
        lines.push(`// ${where(e.rule)}`);
        for (const b of bodiesOf(e.rule)) lines.push(`${guard(b)}{ ${this.body(b, sc, (s) => this.term(e.rule.head.contains!, s, (v) => `out.add(${v});`))} }`);
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
          block.push(`${guard(b)}${bl}: { ${this.body(b, sc, (s) => emitValue(rule.head.value, s, early ? `break ${bl};` : ""))} }`);
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
    lines.push(`ctx.cache[${id}] = res === undefined ? rt.UNDEF : res;`);
    if (fixed) lines.push(`if (kept !== null) kept[${id}] = rt.keep(res);`);
    lines.push(`return res;`, `}`);
    return lines.join("\n");
  }

  /**
   * A node's rule index: reads the input field once and looks up the bodies that can match its value. Returns
   * the guard that goes before each body (empty for bodies the index leaves alone).
   */
  private emitIndex(index: BodyIndex, sc: Scope, lines: string[]): (body: readonly A.Literal[]) => string {
    const numbers = new Map<readonly A.Literal[], number>();
    const table: Record<string, number[]> = {};
    for (const [body, values] of index.bodies) {
      const n = numbers.size;
      numbers.set(body.literals, n);
      for (const v of values) (table[v] ??= []).push(n);
    }
    const field = `input${index.path.map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("")}`;
    const loc = { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 };
    const ref: A.RefTerm = {
      kind: "ref",
      head: { kind: "var", name: "input", loc },
      path: index.path.map((value): A.StringTerm => ({ kind: "string", value, raw: false, loc })),
      loc,
    };
    const value = this.fresh("ixv");
    const candidates = this.fresh("ixc");
    lines.push(
      `// rule index on ${field}: ${numbers.size} bodies run only for the values they test`,
      `let ${value} = undefined; { ${this.term(ref, sc, (v) => `${value} = ${v};`)} }`,
    );
    const entries = Object.entries(table);
    if (entries.length <= 8 && numbers.size <= 30) {
      // few values: compared in turn, to a bit set of the bodies (bit n: body n)
      const chain = entries.map(([v, bodies]) => `${value} === ${JSON.stringify(v)} ? ${bodies.reduce((m, b) => m | (1 << b), 0)} : `).join("");
      lines.push(`const ${candidates} = ${chain}0;`);
      return (body) => {
        const n = numbers.get(body);
        return n === undefined ? "" : `/* index: body ${n} */ if ((${candidates} & ${1 << n}) !== 0) `;
      };
    }
    const ix = this.fresh("IX");
    this.prelude.push(`// ${field}'s value → the bodies (numbered in order) that can match it`, `const ${ix} = rt.bodyIndex(${numbers.size}, ${JSON.stringify(table)});`);
    lines.push(`const ${candidates} = (typeof ${value} === "string" ? ${ix}.get(${value}) : undefined) ?? ${ix}.none;`);
    return (body) => {
      const n = numbers.get(body);
      return n === undefined ? "" : `/* index: body ${n} */ if (${candidates}[${n}] === 1) `;
    };
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

  private headValue(value: A.Term | undefined, sc: Scope, k: (js: string) => string): string {
    if (value === undefined) return k("true");
    return this.term(value, sc, (v) => k(v));
  }

  // -------------------------------------------------------------------------------------------------------------
  // bodies

  body(literals: readonly A.Literal[], sc: Scope, k: K): string {
    if (literals.length === 0) return k(sc);
    let index = literals.findIndex((l) => isReady(withoutOutputArg(l, this.arity), this.bound(sc), this.arity));
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
          const vv = this.fresh("x");
          if (!e.key) return `for (const ${vv} of rt.values(${c})) { rt.tick(${s.ctx}); ${this.match(e.value, vv, s, k)} }`;
          const kk = this.fresh("k");
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
    if (this.ready(b, sc) || (!this.ready(a, sc) && !isPatternish(b))) return this.term(b, sc, (v, s) => this.match(a, v, s, k));
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
}

const TRUE: A.BooleanTerm = { kind: "boolean", value: true, loc: { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 } };

function bodiesOf(rule: A.Rule): A.Literal[][] {
  const bodies = [rule.body, ...rule.alternatives].filter((b): b is A.Body => b !== undefined).map((b) => b.literals);
  return bodies.length > 0 ? bodies : [[]];
}

function where(rule: A.Rule): string {
  return `${rule.loc.file}:${rule.loc.line}`.replace(/\*\//g, "* /");
}
