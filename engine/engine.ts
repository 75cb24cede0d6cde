// The engine's public API: compile a policy set (sources + data), evaluate queries and rules.
import type * as A from "../lang/ast.js";
import { parseModule, parseQuery } from "../lang/parse.js";
import { renderDiagnostic } from "../lang/diagnostics.js";
import { defaultBuiltins } from "./builtins/index.js";
import type { BuiltinRegistry } from "./builtins/registry.js";
import { moduleScope, packagePathOf, resolveQuery, resolveRule } from "./compile/resolve.js";
import { addRule, RuleNode } from "./compile/rule-tree.js";
import { CompileFailure, EvalError, type CompileError } from "./errors.js";
import { Interpreter, type EvalOptions } from "./reference/interpreter.js";
import { fromJSON, type Value } from "./value/value.js";

export interface Source {
  file: string;
  text: string;
}

export interface CompileOptions {
  /** Base documents, merged under `data`. */
  data?: unknown;
  builtins?: BuiltinRegistry;
}

export interface QueryOptions extends EvalOptions {
  engine?: "reference";
}

/** One solution of a query: the value of each of its variables. */
export type Bindings = Record<string, Value>;

export class Policy {
  private constructor(
    private readonly rules: RuleNode,
    private readonly data: Value,
    private readonly builtins: BuiltinRegistry,
    readonly modules: A.Module[],
  ) {}

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
        if (d.severity === "error") errors.push({ code: "rego_parse_error", message: renderDiagnostic(d, s.text), loc: d.loc });
      }
      if (r.module) modules.push(r.module);
    }
    if (errors.length > 0) return { errors };
    const namesByPackage = new Map<string, Set<string>>();
    for (const m of modules) {
      const key = packagePathOf(m).join(".");
      const names = namesByPackage.get(key) ?? new Set<string>();
      for (const r of m.rules) names.add((r.head.name.head as A.VarTerm).name);
      namesByPackage.set(key, names);
    }
    const root = new RuleNode();
    for (const m of modules) {
      const scope = moduleScope(m, namesByPackage.get(packagePathOf(m).join("."))!);
      for (const r of m.rules) addRule(root, scope.packagePath, resolveRule(r, scope), errors);
    }
    if (errors.length > 0) return { errors };
    const data = options.data === undefined ? {} : fromJSON(options.data);
    return { policy: new Policy(root, data, options.builtins ?? defaultBuiltins(), modules), errors };
  }

  /** Evaluates a query (`data.authz.allow`, `x := data.a[_]`); returns every solution's bindings. */
  query(text: string, options: QueryOptions = {}): Bindings[] {
    const parsed = parseQuery(text);
    if (!parsed.body) throw new CompileFailure(parsed.diagnostics.map((d) => ({ code: "rego_parse_error", message: d.message, loc: d.loc })));
    const body = resolveQuery(parsed.body, { packagePath: [], globals: new Map() });
    return this.interpreter(options).query(body);
  }

  /** The value of the document at a path below `data` (`["authz", "allow"]`), or undefined. */
  evaluate(path: string[], options: QueryOptions = {}): Value | undefined {
    return this.interpreter(options).document(path);
  }

  private interpreter(options: QueryOptions): Interpreter {
    return new Interpreter({ rules: this.rules, data: this.data, builtins: this.builtins }, options);
  }
}

export { CompileFailure, EvalError };
