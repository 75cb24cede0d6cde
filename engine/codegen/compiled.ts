// The compiled engine: codegen's JavaScript turned into functions once per policy set; queries compiled on
// first use and kept.
import type * as A from "../../lang/ast.js";
import type { BuiltinContext, BuiltinDecl, BuiltinRegistry } from "../builtins/registry.js";
import { arityOf, type CompileState } from "../compile/stages.js";
import { literalVars } from "../compile/safety.js";
import { EvalError } from "../errors.js";
import type { Value } from "../value/value.js";
import { Emitter, type EmitResult } from "./emit.js";
import type { EvalOptions } from "../reference/context.js";
import { Runtime, type CompiledFn, type Ctx, type NodeFn, type QueryState } from "./runtime.js";

/** The compiled engine takes the reference's options, except coverage (which the reference alone records). */
export type CompiledEvalOptions = Omit<EvalOptions, "coverage">;

type QueryFn = (ctx: Ctx) => Record<string, Value>[];

export class CompiledProgram {
  private readonly runtime: Runtime;
  private readonly emitted: EmitResult;
  /** `slots`: how long an evaluation's cache gets (nodes and memos). */
  private readonly module: { nodes: Record<string, NodeFn>; functions: Record<string, CompiledFn>; slots: number };
  private readonly queries = new Map<string, QueryFn>();
  private readonly builtinMap: Map<string, BuiltinDecl>;
  private readonly hasMocks: boolean;
  /** The generated JavaScript (for `guard build` and for reading). */
  readonly source: string;

  constructor(
    private readonly state: CompileState,
    data: Value,
    private readonly builtins: BuiltinRegistry,
  ) {
    this.builtinMap = new Map(builtins.all().map((b) => [b.name, b]));
    // calls check for `with` replacements (one comparison when there are none): queries may add them later
    this.hasMocks = true;
    const emitter = new Emitter(state.rules, builtins, arityOf(state.rules, builtins), this.hasMocks);
    this.emitted = emitter.emitProgram(state.entries, state.indexes);
    this.source = this.emitted.source;
    const program = { rules: state.rules, data, nodes: new Map<string, NodeFn>(), functions: new Map<string, CompiledFn>(), builtins: this.builtinMap };
    this.runtime = new Runtime(program);
    const factory = new Function("rt", "BI", this.source) as (rt: Runtime, bi: Map<string, BuiltinDecl>) => CompiledProgram["module"];
    this.module = factory(this.runtime, this.builtinMap);
    for (const [k, v] of Object.entries(this.module.nodes)) program.nodes.set(k, v);
    for (const [k, v] of Object.entries(this.module.functions)) program.functions.set(k, v);
  }

  /** Runs a (resolved) query body; one binding row per solution. */
  query(body: A.Body, text: string, options: CompiledEvalOptions = {}): Record<string, Value>[] {
    let fn = this.queries.get(text);
    if (!fn) {
      const vars = new Set<string>();
      for (const lit of body.literals) literalVars(lit, vars);
      const emitter = new Emitter(this.state.rules, this.builtins, arityOf(this.state.rules, this.builtins), this.hasMocks);
      emitter.adopt(this.emitted);
      const source = emitter.emitQuery(body, [...vars].filter((v) => !v.startsWith("_$")));
      fn = (new Function("rt", "BI", "M", source) as (rt: Runtime, bi: Map<string, BuiltinDecl>, m: CompiledProgram["module"]) => QueryFn)(
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

  /** The node function that alone makes the document at a path, if one does (known per path). */
  private plainNode(path: string[]): NodeFn | null {
    const key = path.join("\u0000");
    let node = this.plainNodes.get(key);
    if (node === undefined) {
      const fn = this.module.nodes[path.join(".")];
      node = fn !== undefined && this.runtime.isPlainNode(path) ? fn : null;
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
    const node = this.module.nodes[path.join(".")];
    const direct = node !== undefined && this.runtime.isPlainNode(path);
    if (!hasOptions(options)) {
      // the fast path: no limits, print or clock to set up per decision; the cache made at its full length
      const slots = this.module.slots;
      if (direct) return (input) => node({ input, cache: new Array(slots), over: null, mocks: null, query: new QueryRun(NO_OPTIONS) });
      return (input) => this.runtime.dataAt({ input, cache: new Array(slots), over: null, mocks: null, query: new QueryRun(NO_OPTIONS) }, path);
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
