// The engine's errors: compile errors (collected, several at once) and evaluation errors, with OPA's codes.
import type { Location } from "../lang/ast.js";

export type CompileErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_type_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error";

export type EvalErrorCode =
  | "eval_conflict_error"
  | "eval_builtin_error"
  | "eval_type_error"
  | "eval_limit_error"
  | "eval_internal_error";

export interface CompileError {
  code: CompileErrorCode;
  message: string;
  loc?: Location;
  /** The error shown with its source line and caret, when the source is at hand. */
  rendered?: string;
}

export class CompileFailure extends Error {
  constructor(readonly errors: CompileError[]) {
    super(errors.map((e) => e.rendered ?? (e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : "") + `${e.code}: ${e.message}`).join("\n"));
  }
}

/** An error that ends an evaluation. */
export class EvalError extends Error {
  constructor(
    readonly code: EvalErrorCode,
    message: string,
    readonly loc?: Location,
  ) {
    super(message);
  }
}
