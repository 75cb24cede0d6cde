import { describe, expect, it } from "vitest";
import { MapObject, SetValue, type Value } from "../value/value.js";
import { BuiltinRegistry } from "./registry.js";
import { register } from "./types-family.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx = { nowNs: 0n, print: () => {}, cache: new Map<string, unknown>() };
const call = (name: string, x: Value) => registry.get(name)!.impl([x], ctx);

const samples: [Value, string][] = [
  [null, "null"],
  [true, "boolean"],
  [1, "number"],
  [2.5, "number"],
  [123456789012345678901234567890n, "number"],
  ["", "string"],
  [[], "array"],
  [{}, "object"],
  [new MapObject([[1, 2]]), "object"],
  [new SetValue(), "set"],
];

describe("type built-ins", () => {
  it("type_name names each type", () => {
    for (const [v, name] of samples) expect(call("type_name", v)).toBe(name);
  });
  it("is_* are true for their type and false (not undefined) for every other", () => {
    const checks: Record<string, string> = {
      is_null: "null",
      is_boolean: "boolean",
      is_number: "number",
      is_string: "string",
      is_array: "array",
      is_object: "object",
      is_set: "set",
    };
    for (const [fn, type] of Object.entries(checks)) {
      for (const [v, name] of samples) expect(call(fn, v)).toBe(name === type);
    }
  });
  it("declares the family", () => {
    expect(registry.all().map((d) => d.name)).toEqual([
      "is_array",
      "is_boolean",
      "is_null",
      "is_number",
      "is_object",
      "is_set",
      "is_string",
      "type_name",
    ]);
    expect(registry.get("is_string")!.categories).toEqual(["types"]);
  });
});
