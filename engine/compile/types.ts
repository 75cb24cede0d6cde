// Stage "type check": calls of built-ins whose arguments' types are known when compiling (literals, and
// collections and operator expressions made of them) are checked against the built-ins' declared types, so that
// `count(1)` or `"a" + 1` is a compile error (rego_type_error), as in OPA. Types of input and data come from
// schemas, which this stage does not read yet: anything else is `any`.
import type * as A from "../../lang/ast.js";
import { OPERATOR_BUILTINS } from "../builtins/operators.js";
import { any, arrayOf, boolean, nul, number, objectOf, setOf, string, typeText, type Type } from "../builtins/types.js";
import type { CompileState } from "./stages.js";
import { walkRule } from "./walk.js";

/** The type of a term when it is known without evaluating anything, else `any`. */
export function staticType(t: A.Term): Type {
  switch (t.kind) {
    case "null":
      return nul;
    case "boolean":
      return boolean;
    case "number":
      return number;
    case "string":
      return string;
    case "array":
    case "arraycompr":
      return arrayOf(any);
    case "set":
    case "setcompr":
      return setOf(any);
    case "object":
    case "objectcompr":
      return objectOf(any, any);
    case "membership":
      return boolean;
    case "binary":
      return ["==", "!=", "<", "<=", ">", ">="].includes(t.op) ? boolean : any;
    default:
      return any;
  }
}

/** Whether a value of type `have` may be passed where `want` is declared. */
export function assignable(have: Type, want: Type): boolean {
  if (have.kind === "any" || want.kind === "any") return true;
  if (want.kind === "union") return want.of.some((w) => assignable(have, w));
  if (have.kind === "union") return have.of.some((h) => assignable(h, want));
  return have.kind === want.kind;
}

export function checkTypes(state: CompileState): void {
  for (const { rule } of state.entries) {
    walkRule(rule, (t) => {
      const call = t.kind === "call" ? { name: t.name.join("."), args: t.args } : t.kind === "binary" ? { name: OPERATOR_BUILTINS[t.op], args: [t.left, t.right] } : undefined;
      if (!call) return;
      const decl = state.builtins.get(call.name);
      if (!decl || decl.variadic) return;
      const have = call.args.slice(0, decl.args.length).map(staticType);
      const bad = have.some((h, i) => !assignable(h, decl.args[i]!.type));
      if (bad) {
        state.errors.push({
          code: "rego_type_error",
          message: `${call.name}: invalid argument(s): have (${have.map(typeText).join(", ")}), want (${decl.args.map((a) => `${a.name}: ${typeText(a.type)}`).join(", ")})`,
          loc: t.loc,
        });
      }
    });
  }
}

