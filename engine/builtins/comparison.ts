// Comparison built-ins: equal (==), neq (!=), lt (<), lte (<=), gt (>), gte (>=). Any two values compare, across
// types by Rego's type order (null < boolean < number < string < array < object < set).
import { compare, equals } from "../value/value.js";
import type { BuiltinRegistry } from "./registry.js";
import { any, boolean } from "./types.js";

export function register(r: BuiltinRegistry): void {
  const decl = (name: string, infix: string, what: string, test: (x: Parameters<typeof compare>[0], y: Parameters<typeof compare>[1]) => boolean) =>
    r.register({
      name,
      infix,
      args: [
        { name: "x", type: any },
        { name: "y", type: any },
      ],
      result: { name: "result", type: boolean, description: `true if \`x\` is ${what} \`y\`; false otherwise` },
      description: `Checks whether \`x\` is ${what} \`y\`.`,
      categories: ["comparison"],
      impl: ([x, y]) => test(x!, y!),
    });
  decl("equal", "==", "equal to", (x, y) => equals(x, y));
  decl("neq", "!=", "not equal to", (x, y) => !equals(x, y));
  decl("lt", "<", "less than", (x, y) => compare(x, y) < 0);
  decl("lte", "<=", "less than or equal to", (x, y) => compare(x, y) <= 0);
  decl("gt", ">", "greater than", (x, y) => compare(x, y) > 0);
  decl("gte", ">=", "greater than or equal to", (x, y) => compare(x, y) >= 0);
}
