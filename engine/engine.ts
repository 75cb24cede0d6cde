// The engine's public API: compile a policy set (sources + data), evaluate queries and rules.
import type * as A from "../lang/ast.js";
import { parseModule, parseQuery } from "../lang/parse.js";
import { renderDiagnostic } from "../lang/diagnostics.js";
import { defaultBuiltins } from "./builtins/index.js";
import type { BuiltinRegistry } from "./builtins/registry.js";
import { resolveQuery } from "./compile/resolve.js";
import type { RuleNode } from "./compile/rule-tree.js";
import { compileStages, type CompileState } from "./compile/stages.js";
import { CompiledProgram } from "./codegen/compiled.js";
import { CompileFailure, EvalError, type CompileError } from "./errors.js";
import { Interpreter, type EvalOptions } from "./reference/interpreter.js";
import { copyFromJSON, type Value } from "./value/value.js";

export interface Source {
  file: string;
  text: string;
}

export interface CompileOptions {
  /** Base documents, merged under `data`. */
  data?: unknown;
  /** Also report what `opa check --strict` reports (unused imports, variables and arguments, shadowing, deprecated built-ins). */
  strict?: boolean;
  builtins?: BuiltinRegistry;
}

export interface QueryOptions extends EvalOptions {
  /** `compiled` (generated JavaScript, the default) or `reference` (the tree-walking oracle). */
  engine?: "compiled" | "reference";
}

const RESULT_VAR = "__guard_result__";

export interface QueryResult {
  expressions: Value[];
  bindings: Bindings;
}

/** One solution of a query: the value of each of its variables. */
export type Bindings = Record<string, Value>;

export class Policy {
  private compiledProgram: CompiledProgram | undefined;

  private constructor(
    private readonly state: CompileState,
    private readonly data: Value,
    private readonly builtins: BuiltinRegistry,
    readonly modules: A.Module[],
  ) {}

  private get rules(): RuleNode {
    return this.state.rules;
  }

  /** The rule tree (for tools that read the policy's structure). */
  get ruleTree(): RuleNode {
    return this.state.rules;
  }

  /** The base documents (data files). */
  get baseData(): Value {
    return this.data;
  }

  /** The data paths that rules define documents at (not functions), in order. */
  documentPaths(): string[][] {
    const paths = new Set<string>();
    for (const e of this.state.entries) if (e.kind !== "function") paths.add(JSON.stringify(e.path));
    return [...paths].map((p) => JSON.parse(p) as string[]);
  }

  /** The compiled program, built on first use. */
  get compiled(): CompiledProgram {
    return (this.compiledProgram ??= new CompiledProgram(this.state, this.data, this.builtins));
  }

  /** Parses and compiles sources; throws CompileFailure with every error found. */
  static compile(sources: Source[], options: CompileOptions = {}): Policy {
    const { policy, errors } = Policy.tryCompile(sources, options);
    if (!policy) throw new CompileFailure(errors);
    return policy;
  }

  static tryCompile(sources: Source[], options: CompileOptions = {}): { policy?: Policy; errors: CompileError[] } {
    const errors: CompileError[] = [];
    const modules: A.Module[] = [];
    for (const s of sources) {
      const r = parseModule(s.text, { file: s.file });
      for (const d of r.diagnostics) {
        if (d.severity === "error") errors.push({ code: "rego_parse_error", message: d.message, loc: d.loc, rendered: renderDiagnostic(d, s.text) });
      }
      if (r.module) modules.push(r.module);
    }
    if (errors.length > 0) return { errors };
    const builtins = options.builtins ?? defaultBuiltins();
    const state = compileStages(modules, builtins, { strict: options.strict });
    if (state.errors.length > 0) return { errors: state.errors };
    const data = options.data === undefined ? {} : copyFromJSON(options.data); // a copy: the policy keeps it, the caller may not
    return { policy: new Policy(state, data, builtins, modules), errors };
  }

  private readonly queryBodies = new Map<string, A.Body>();

  /** A query parsed and resolved once per text (queries repeat: the same decision for many inputs). */
  private queryBody(text: string): A.Body {
    let body = this.queryBodies.get(text);
    if (body === undefined) {
      const parsed = parseQuery(text);
      if (!parsed.body) throw new CompileFailure(parsed.diagnostics.map((d) => ({ code: "rego_parse_error", message: d.message, loc: d.loc })));
      body = resolveQuery(parsed.body, { packagePath: [], globals: new Map() });
      if (this.queryBodies.size >= 1000) this.queryBodies.clear(); // bounded: query texts are few in practice
      this.queryBodies.set(text, body);
    }
    return body;
  }

  /** Evaluates a query (`data.authz.allow`, `x := data.a[_]`); returns every solution's bindings. */
  query(text: string, options: QueryOptions = {}): Bindings[] {
    const body = this.queryBody(text);
    if (options.engine === "reference") return this.interpreter(options).query(body);
    return this.compiled.query(body, text, options);
  }

  /**
   * Evaluates a query as `guard eval` shows it: each solution's bindings and, for a query that is one
   * expression (`data.authz.allow`), that expression's value (shown even when it is `false`).
   */
  eval(text: string, options: QueryOptions = {}): QueryResult[] {
    let body = this.queryBody(text);
    const only = body.literals.length === 1 ? body.literals[0]! : undefined;
    const single = only !== undefined && !only.negated && only.expr.kind === "term-expr" && only.with.length === 0;
    if (single) {
      const term = (only.expr as A.TermExpr).term;
      const left: A.VarTerm = { kind: "var", name: RESULT_VAR, loc: term.loc };
      body = { ...body, literals: [{ ...only, expr: { kind: "assign", op: ":=", left, right: term, loc: term.loc } }] };
    }
    const rows = options.engine === "reference" ? this.interpreter(options).query(body) : this.compiled.query(body, `eval:${text}`, options);
    return rows
      .map((row) => {
        const { [RESULT_VAR]: value, ...bindings } = row;
        return single ? { expressions: [value as Value], bindings } : { expressions: [], bindings };
      });
  }

  /** The value of the document at a path below `data` (`["authz", "allow"]`), or undefined. */
  evaluate(path: string[], options: QueryOptions = {}): Value | undefined {
    if (options.engine === "reference") return this.interpreter(options).document(path);
    return this.compiled.evaluate(path, options);
  }

  /**
   * A prepared decision: a function from input to the document at a path (`["authz", "allow"]`), compiled once.
   * With `engine: "reference"`, the reference interpreter answers instead (for comparisons).
   */
  entrypoint(path: string[], options: QueryOptions = {}): (input: Value | undefined) => Value | undefined {
    if (options.engine === "reference") return (input) => this.interpreter({ ...options, input }).document(path);
    return this.compiled.entrypoint(path, options);
  }

  private interpreter(options: QueryOptions): Interpreter {
    return new Interpreter({ rules: this.rules, data: this.data, builtins: this.builtins }, options);
  }
}

export { CompileFailure, EvalError };
