// The built-in each infix operator calls (`a + b` is `plus(a, b)`), as in OPA.
import type { BinaryOperator } from "../../lang/ast.js";

export const OPERATOR_BUILTINS: Readonly<Record<BinaryOperator, string>> = {
  "==": "equal",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
  "+": "plus",
  "-": "minus",
  "*": "mul",
  "/": "div",
  "%": "rem",
  "&": "and",
  "|": "or",
};
