// The compiled engine: codegen's JavaScript turned into functions on first use, node by node: a decision compiles
// the nodes and functions it can call (a chunk), not the whole policy set; queries compiled on first use and kept.
import type * as A from "../../lang/ast.js";
import type { BuiltinContext, BuiltinDecl, BuiltinRegistry } from "../builtins/registry.js";
import { arityOf, type CompileState } from "../compile/stages.js";
import { literalVars } from "../compile/safety.js";
import { EvalError } from "../errors.js";
import type { Value } from "../value/value.js";
import { Emitter } from "./emit.js";
import type { EvalOptions } from "../reference/context.js";
import { Runtime, type CompiledFn, type Ctx, type NodeFn, type QueryState } from "./runtime.js";

/** The compiled engine takes the reference's options, except coverage (which the reference alone records). */
export type CompiledEvalOptions = Omit<EvalOptions, "coverage">;

type QueryFn = (ctx: Ctx) => Record<string, Value>[];

type Module = { nodes: Record<string, NodeFn>; functions: Record<string, CompiledFn>; slots: number };

/**
 * Compiled node or function values by key, compiled on first `get`: the run time's lookups by name (`dataAt`,
 * `callByName`) reach every node, whichever chunks were compiled. `has` answers without compiling.
 */
class LazyFunctions<F> extends Map<string, F> {
  constructor(
    private readonly known: (key: string) => boolean,
    private readonly load: (key: string) => void,
  ) {
    super();
  }
  override get(key: string): F | undefined {
    const f = super.get(key);
    if (f !== undefined || !this.known(key)) return f;
    this.load(key);
    return super.get(key);
  }
  override has(key: string): boolean {
    return super.has(key) || this.known(key);
  }
}

export class CompiledProgram {
  private readonly runtime: Runtime;
  /** Emits the program chunk by chunk; knows every node's and function's name and slot from the start. */
  private readonly emitter: Emitter;
  /** What the chunks compiled so far made. `slots`: how long an evaluation's cache gets (nodes and memos). */
  private readonly module: Module = { nodes: {}, functions: {}, slots: 0 };
  private readonly program: { nodes: LazyFunctions<NodeFn>; functions: LazyFunctions<CompiledFn> };
  private readonly queries = new Map<string, QueryFn>();
  private readonly builtinMap: Map<string, BuiltinDecl>;
  private readonly hasMocks: boolean;
  private wholeSource: string | undefined;

  constructor(
    private readonly state: CompileState,
    data: Value,
    private readonly builtins: BuiltinRegistry,
  ) {
    this.builtinMap = new Map(builtins.all().map((b) => [b.name, b]));
    // calls check for `with` replacements (one comparison when there are none): queries may add them later
    this.hasMocks = true;
    this.emitter = new Emitter(state.rules, builtins, arityOf(state.rules, builtins), this.hasMocks);
    this.emitter.prepare(state.entries, state.indexes, state.fixed);
    this.module.slots = this.emitter.slotCount();
    const names = this.emitter;
    this.program = {
      nodes: new LazyFunctions<NodeFn>((k) => names.nodeNames.has(k), (k) => this.load([k])),
      functions: new LazyFunctions<CompiledFn>((k) => names.functionNames.has(k), (k) => this.load([k.slice("data.".length)])),
    };
    this.runtime = new Runtime({ rules: state.rules, data, nodes: this.program.nodes, functions: this.program.functions, builtins: this.builtinMap });
  }

  /** The generated JavaScript of the whole program (for `guard build` and for reading), emitted on first use. */
  get source(): string {
    if (this.wholeSource === undefined) {
      const emitter = new Emitter(this.state.rules, this.builtins, arityOf(this.state.rules, this.builtins), this.hasMocks);
      this.wholeSource = emitter.emitProgram(this.state.entries, this.state.indexes, this.state.fixed).source;
    }
    return this.wholeSource;
  }

  /** Compiles the nodes (by key) not compiled yet, with everything they call that is not either. */
  private load(keys: readonly string[]): void {
    if (keys.every((k) => this.emitter.isEmitted(k))) return;
    const { source, keys: emitted } = this.emitter.emitChunk(keys);
    let chunk: Module;
    try {
      const factory = new Function("rt", "BI", "M", source) as (rt: Runtime, bi: Map<string, BuiltinDecl>, m: Module) => Module;
      chunk = factory(this.runtime, this.builtinMap, this.module);
    } catch (e) {
      this.emitter.forget(emitted); // tried again (and failing again) on the next use, not taken for missing
      throw e;
    }
    for (const [k, v] of Object.entries(chunk.nodes)) {
      this.module.nodes[k] = v;
      this.program.nodes.set(k, v);
    }
    for (const [k, v] of Object.entries(chunk.functions)) {
      this.module.functions[k] = v;
      this.program.functions.set(k, v);
    }
    this.module.slots = chunk.slots;
  }

  /** The node keys compiled so far (nodes and functions), in the order they were. */
  compiledKeys(): string[] {
    return this.emitter.emittedKeysInOrder();
  }

  /** A node's value function (compiled now if it was not), or undefined when no rule makes a document there. */
  private nodeFn(key: string): NodeFn | undefined {
    return this.emitter.nodeNames.has(key) ? this.program.nodes.get(key) : undefined;
  }

  /** Runs a (resolved) query body; one binding row per solution. */
  query(body: A.Body, text: string, options: CompiledEvalOptions = {}): Record<string, Value>[] {
    let fn = this.queries.get(text);
    if (!fn) {
      const vars = new Set<string>();
      for (const lit of body.literals) literalVars(lit, vars);
      const emitter = new Emitter(this.state.rules, this.builtins, arityOf(this.state.rules, this.builtins), this.hasMocks);
      emitter.adopt(this.emitter);
      const source = emitter.emitQuery(body, [...vars].filter((v) => !v.startsWith("_$")));
      this.load([...emitter.used].map((u) => this.emitter.keyOf(u)));
      fn = (new Function("rt", "BI", "M", source) as (rt: Runtime, bi: Map<string, BuiltinDecl>, m: Module) => QueryFn)(
        this.runtime,
        this.builtinMap,
        this.module,
      );
      if (this.queries.size >= 1000) this.queries.clear(); // bounded, like the parsed queries
      this.queries.set(text, fn);
    }
    return fn(this.context(options));
  }

  /** The document at a path below `data`. */
  evaluate(path: string[], options: CompiledEvalOptions = {}): Value | undefined {
    const node = this.plainNode(path);
    const ctx = this.context(options);
    return node ? node(ctx) : this.runtime.dataAt(ctx, path);
  }

  private readonly plainNodes = new Map<string, NodeFn | null>();
  /** The last path asked for (a copy) and its node: callers ask the same question again and again. */
  private lastPath: string[] = [];
  private lastNode: NodeFn | null | undefined;

  /** The node function that alone makes the document at a path, if one does (known per path). */
  private plainNode(path: string[]): NodeFn | null {
    const last = this.lastPath;
    if (this.lastNode !== undefined && path.length === last.length) {
      let same = true;
      for (let i = 0; i < path.length; i++) if (path[i] !== last[i]) same = false;
      if (same) return this.lastNode;
    }
    const node = this.plainNodeOf(path);
    this.lastPath = [...path];
    this.lastNode = node;
    return node;
  }

  private plainNodeOf(path: string[]): NodeFn | null {
    const key = path.join("\u0000");
    let node = this.plainNodes.get(key);
    if (node === undefined) {
      const plain = this.emitter.nodeNames.has(path.join(".")) && this.runtime.isPlainNode(path);
      node = plain ? this.nodeFn(path.join(".")) ?? null : null;
      if (this.plainNodes.size >= 1000) this.plainNodes.clear();
      this.plainNodes.set(key, node);
    }
    return node;
  }

  /**
   * A prepared entry point: a function from input to the document at `path`, for callers that decide the same
   * question many times (the gateway). The path's node function is called directly when it alone makes it.
   */
  entrypoint(path: string[], options: Omit<CompiledEvalOptions, "input"> = {}): (input: Value | undefined) => Value | undefined {
    const node = this.nodeFn(path.join("."));
    const direct = node !== undefined && this.runtime.isPlainNode(path);
    if (!hasOptions(options)) {
      // the fast path: no limits, print or clock to set up per decision; the cache made at its full length
      // (read per call: a node reached later by name compiles then, and its memos take more slots)
      const module = this.module;
      if (direct) return (input) => node({ input, cache: new Array(module.slots), over: null, mocks: null, query: new QueryRun(NO_OPTIONS) });
      return (input) => this.runtime.dataAt({ input, cache: new Array(module.slots), over: null, mocks: null, query: new QueryRun(NO_OPTIONS) }, path);
    }
    return (input) => {
      const ctx = this.context({ ...options, input });
      return direct ? node(ctx) : this.runtime.dataAt(ctx, path);
    };
  }

  private context(options: CompiledEvalOptions): Ctx {
    return { input: options.input, cache: new Array(this.module.slots), over: null, mocks: null, query: new QueryRun(options) };
  }
}

const NO_OPTIONS: CompiledEvalOptions = {};

/** Whether an entry point's options set anything an evaluation must honour (`engine` is the caller's). */
function hasOptions(options: Omit<CompiledEvalOptions, "input"> & { engine?: unknown }): boolean {
  for (const [k, v] of Object.entries(options)) if (v !== undefined && k !== "engine") return true;
  return false;
}

/** One query's shared state, and what its built-ins see: the clock read once, print, a memo, made on demand. */
class QueryRun implements QueryState, BuiltinContext {
  steps = 0;
  readonly strict: boolean;
  readonly maxSteps: number;
  readonly deadline: number | undefined;
  readonly budgetMs: number | undefined;
  readonly print: (message: string) => void;
  private now: bigint | undefined;
  private memo: Map<string, unknown> | undefined;

  constructor(options: CompiledEvalOptions) {
    this.strict = options.strictBuiltinErrors === true;
    this.maxSteps = options.maxSteps ?? Infinity;
    this.budgetMs = options.timeoutMs;
    this.deadline = options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs;
    this.print = options.print ?? noPrint;
    this.now = options.nowNs;
  }
  get builtinCtx(): BuiltinContext {
    return this;
  }
  get nowNs(): bigint {
    return (this.now ??= BigInt(Date.now()) * 1_000_000n);
  }
  get cache(): Map<string, unknown> {
    return (this.memo ??= new Map());
  }
}

function noPrint(): void {}

export { EvalError };
