// The "types" family: is_number, is_string, is_boolean, is_array, is_set, is_object, is_null, type_name.
// (Named types-family.ts because types.ts holds the built-in type model.) Each is_* is true or false for any value.
import { typeName, type Value } from "../value/value.js";
import type { BuiltinRegistry } from "./registry.js";
import { any, boolean, string } from "./types.js";

export function register(r: BuiltinRegistry): void {
  const is = (name: string, type: string) =>
    r.register({
      name,
      args: [{ name: "x", type: any, description: "input value" }],
      result: { name: "result", type: boolean, description: `\`true\` if \`x\` is ${article(type)} ${type}, \`false\` otherwise.` },
      description: `Returns \`true\` if the input value is ${article(type)} ${type}.`,
      categories: ["types"],
      impl: ([x]) => typeName(x as Value) === type,
    });
  is("is_number", "number");
  is("is_string", "string");
  is("is_boolean", "boolean");
  is("is_array", "array");
  is("is_set", "set");
  is("is_object", "object");
  is("is_null", "null");
  r.register({
    name: "type_name",
    args: [{ name: "x", type: any, description: "input value" }],
    result: {
      name: "type",
      type: string,
      description: 'one of "null", "boolean", "number", "string", "array", "object", "set"',
    },
    description: "Returns the type of its input value.",
    categories: ["types"],
    impl: ([x]) => typeName(x as Value),
  });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? "an" : "a";
}
