// Types of built-in functions' arguments and results: for arity and type checks, and for generated docs.

export type Type =
  | { kind: "any" }
  | { kind: "null" }
  | { kind: "boolean" }
  | { kind: "number" }
  | { kind: "string" }
  | { kind: "array"; of: Type }
  | { kind: "set"; of: Type }
  | { kind: "object"; key: Type; value: Type }
  | { kind: "union"; of: Type[] };

export const any: Type = { kind: "any" };
export const nul: Type = { kind: "null" };
export const boolean: Type = { kind: "boolean" };
export const number: Type = { kind: "number" };
export const string: Type = { kind: "string" };
export const arrayOf = (of: Type): Type => ({ kind: "array", of });
export const setOf = (of: Type): Type => ({ kind: "set", of });
export const objectOf = (key: Type, value: Type): Type => ({ kind: "object", key, value });
export const union = (...of: Type[]): Type => ({ kind: "union", of });
/** Any collection: array, set or object. */
export const collection: Type = union(arrayOf(any), setOf(any), objectOf(any, any));

/** How a type reads in messages and docs: `string`, `array[number]`, `any<string, set[any]>`. */
export function typeText(t: Type): string {
  switch (t.kind) {
    case "array":
      return `array[${typeText(t.of)}]`;
    case "set":
      return `set[${typeText(t.of)}]`;
    case "object":
      return `object[${typeText(t.key)}: ${typeText(t.value)}]`;
    case "union":
      return `any<${t.of.map(typeText).join(", ")}>`;
    default:
      return t.kind;
  }
}
