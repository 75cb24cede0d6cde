// Ground terms as JavaScript source, and small predicates on terms, for codegen.
import type * as A from "../../lang/ast.js";
import { parseNumberLiteral } from "../value/value.js";

export function numberText(raw: string): string {
  const v = parseNumberLiteral(raw);
  return typeof v === "bigint" ? `${v}n` : Object.is(v, -0) ? "-0" : String(v);
}

export function isGround(t: A.Term): boolean {
  return constantText(t) !== undefined;
}

/** JS source building a ground term's value, or undefined when the term is not ground. */
export function constantText(t: A.Term | undefined): string | undefined {
  if (t === undefined) return undefined;
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return numberText(t.raw);
    case "string":
      return JSON.stringify(t.value);
    case "array": {
      const items = t.items.map(constantText);
      return items.every((x) => x !== undefined) ? `[${items.join(", ")}]` : undefined;
    }
    case "set": {
      const items = t.items.map(constantText);
      return items.every((x) => x !== undefined) ? `rt.set([${items.join(", ")}])` : undefined;
    }
    case "object": {
      const pairs = t.entries.map((e) => [constantText(e.key), constantText(e.value)]);
      return pairs.every(([a, b]) => a !== undefined && b !== undefined) ? `rt.obj([${pairs.map(([a, b]) => `[${a}, ${b}]`).join(", ")}])` : undefined;
    }
    default:
      return undefined;
  }
}
