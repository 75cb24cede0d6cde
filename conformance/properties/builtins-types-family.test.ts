// Laws of the types family (engine/builtins/types-family.ts): exactly one is_* holds, the one type_name names.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/types-family.js";
import { typeName } from "../../engine/value/value.js";
import { value } from "../arbitraries/values.js";
import { callv, familyDecls, params, tableDriven } from "../laws.js";

export const family = "types-family";
export const laws = ["is_array", "is_boolean", "is_null", "is_number", "is_object", "is_set", "is_string", "type_name"];

describe("types laws", () => {
  it("type_name(v) names the one is_* that holds", () => {
    fc.assert(
      fc.property(value({ depth: 2 }), (v) => {
        const name = callv("type_name", v) as string;
        expect(name).toBe(typeName(v));
        for (const t of ["array", "boolean", "null", "number", "object", "set", "string"]) expect(callv(`is_${t}`, v)).toBe(t === name);
      }),
      params(100),
    );
  });
});

describe("types: table-driven", () => tableDriven(familyDecls(register)));
