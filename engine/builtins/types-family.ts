// The "types" family: is_number, is_string, is_boolean, is_array, is_set, is_object, is_null, type_name.
// (Named types-family.ts because types.ts holds the built-in type model.) Each is_* is true or false for any value.
import { typeName, type Value } from "../value/value.js";
import type { BuiltinDecl, BuiltinRegistry } from "./registry.js";
import { any, boolean, string } from "./types.js";

/** The is_* declarations this family made (codegen tests their types inline instead of calling them). */
const TYPE_TESTS = new WeakSet<BuiltinDecl>();

/** The type an is_* built-in of this family tests (`is_string` → "string"), or undefined for any other built-in. */
export function typeTestOf(decl: BuiltinDecl | undefined): string | undefined {
  return decl !== undefined && TYPE_TESTS.has(decl) ? decl.name.slice("is_".length) : undefined;
}

export function register(r: BuiltinRegistry): void {
  const is = (name: string, type: string) => {
    const decl: BuiltinDecl = {
      name,
      args: [{ name: "x", type: any, description: "input value" }],
      result: { name: "result", type: boolean, description: `\`true\` if \`x\` is ${article(type)} ${type}, \`false\` otherwise.` },
      description: `Returns \`true\` if the input value is ${article(type)} ${type}.`,
      categories: ["types"],
      impl: ([x]) => typeName(x as Value) === type,
    };
    TYPE_TESTS.add(decl);
    r.register(decl);
  };
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
