// The registry of built-in functions: each declared once, with types, in one place per family
// (`engine/builtins/<family>.ts`, each exporting `register(registry)`).
import type { Value } from "../value/value.js";
import { typeName } from "../value/value.js";
import type { Type } from "./types.js";

export interface BuiltinArg {
  name: string;
  type: Type;
  description?: string;
}

/** What a built-in may use besides its arguments; fixed for one query. */
export interface BuiltinContext {
  /** `time.now_ns()`: the same for every call in one query. */
  readonly nowNs: bigint;
  /** Where `print` writes. */
  print(message: string): void;
  /** Memo shared by the built-ins of one query (e.g. parsed JWKS), by key. */
  readonly cache: Map<string, unknown>;
}

export interface BuiltinDecl {
  /** The name as called: `count`, `strings.replace_n`, `io.jwt.decode`. */
  name: string;
  /** The infix operator, for operators (`plus` is `+`). */
  infix?: string;
  args: BuiltinArg[];
  /** Variadic built-ins (`print`) take any number of arguments of the last type. */
  variadic?: boolean;
  result: BuiltinArg;
  description: string;
  categories: string[];
  /**
   * Results differ between calls with the same arguments (`time.now_ns`, `rand.intn`, `uuid.rfc4122`): a rule that
   * calls one is never computed once per policy (compile/fixed.ts). A custom built-in like that must say so.
   */
  nondeterministic?: boolean;
  deprecated?: boolean;
  /**
   * The function. Returns the result, or `undefined` for no result (the expression is undefined).
   * Throws `BuiltinError` (or `OperandTypeError`) for errors.
   */
  impl(args: Value[], ctx: BuiltinContext): Value | undefined;
}

/** A built-in's failure at run time (OPA's `eval_builtin_error`). */
export class BuiltinError extends Error {
  readonly code: string = "eval_builtin_error";
}

/** An argument of the wrong type (OPA's `eval_type_error`: "operand 1 must be string but got number"). */
export class OperandTypeError extends BuiltinError {
  override readonly code = "eval_type_error";
  constructor(position: number, expected: string, got: Value | undefined) {
    super(`operand ${position} must be ${expected} but got ${typeName(got)}`);
  }
}

export class BuiltinRegistry {
  private readonly decls = new Map<string, BuiltinDecl>();

  register(decl: BuiltinDecl): void {
    if (this.decls.has(decl.name)) throw new Error(`built-in ${decl.name} is declared twice`);
    this.decls.set(decl.name, decl);
  }
  get(name: string): BuiltinDecl | undefined {
    return this.decls.get(name);
  }
  has(name: string): boolean {
    return this.decls.has(name);
  }
  all(): BuiltinDecl[] {
    return [...this.decls.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
