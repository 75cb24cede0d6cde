import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_ITEMS, SchemaError, schemaArbitrary } from "./schema-arbitrary.js";

/** Every value generated from the schema satisfies the check. */
function all(schema: unknown, check: (v: unknown) => boolean, numRuns = 200): void {
  fc.assert(fc.property(schemaArbitrary(schema), check), { numRuns, seed: 42 });
}

/** The values generated from the schema (a sample). */
function sample(schema: unknown, n = 300): unknown[] {
  return fc.sample(schemaArbitrary(schema), { numRuns: n, seed: 7 });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

describe("schemaArbitrary", () => {
  it("type: each JSON type", () => {
    all({ type: "string" }, (v) => typeof v === "string");
    all({ type: "number" }, (v) => typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0));
    all({ type: "integer" }, (v) => Number.isInteger(v));
    all({ type: "boolean" }, (v) => typeof v === "boolean");
    all({ type: "null" }, (v) => v === null);
    all({ type: "array" }, (v) => Array.isArray(v) && v.length <= DEFAULT_MAX_ITEMS);
    all({ type: "object" }, isObj);
  });

  it("type arrays: one of the types, each seen", () => {
    const vs = sample({ type: ["string", "null"] });
    expect(vs.every((v) => v === null || typeof v === "string")).toBe(true);
    expect(vs.some((v) => v === null) && vs.some((v) => typeof v === "string")).toBe(true);
  });

  it("properties + required: required always present, optional sometimes absent, no undeclared keys", () => {
    const schema = { type: "object", properties: { a: { type: "integer" }, b: { type: "string" } }, required: ["a"], additionalProperties: true };
    const vs = sample(schema);
    for (const v of vs) {
      expect(isObj(v) && Number.isInteger(v["a"])).toBe(true);
      const o = v as Record<string, unknown>;
      expect(Object.keys(o).every((k) => k === "a" || k === "b")).toBe(true);
      if ("b" in o) expect(typeof o["b"]).toBe("string");
    }
    expect(vs.some((v) => "b" in (v as object)) && vs.some((v) => !("b" in (v as object)))).toBe(true);
    all({ type: "object", properties: { x: { type: "null" } }, additionalProperties: false }, (v) => isObj(v) && Object.keys(v).every((k) => k === "x"));
  });

  it("enum and const", () => {
    all({ enum: ["a", 1, null] }, (v) => ["a", 1, null].includes(v as never));
    all({ const: { k: [1] } }, (v) => JSON.stringify(v) === '{"k":[1]}');
  });

  it("items, minItems, maxItems, uniqueItems", () => {
    all({ type: "array", items: { type: "boolean" }, minItems: 2, maxItems: 3 }, (v) => Array.isArray(v) && v.length >= 2 && v.length <= 3 && v.every((x) => typeof x === "boolean"));
    all({ type: "array", items: { type: "integer", minimum: 0, maximum: 3 }, uniqueItems: true }, (v) => Array.isArray(v) && new Set(v).size === v.length);
    all({ type: "array", minItems: 8 }, (v) => Array.isArray(v) && v.length >= 8);
  });

  it("minimum, maximum, exclusiveMinimum, exclusiveMaximum", () => {
    all({ type: "integer", minimum: -3, maximum: 4 }, (v) => Number.isInteger(v) && (v as number) >= -3 && (v as number) <= 4);
    all({ type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 3 }, (v) => v === 1 || v === 2);
    all({ type: "number", minimum: 0.5, maximum: 1 }, (v) => (v as number) >= 0.5 && (v as number) <= 1);
    all({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }, (v) => (v as number) > 0 && (v as number) < 1);
  });

  it("minLength, maxLength, pattern", () => {
    all({ type: "string", minLength: 2, maxLength: 4 }, (v) => typeof v === "string" && v.length >= 2 && v.length <= 4);
    all({ type: "string", pattern: "^[a-z]{3}-[0-9]{2}$" }, (v) => /^[a-z]{3}-[0-9]{2}$/.test(v as string));
    all({ type: "string", pattern: "^x+$", maxLength: 3 }, (v) => /^x{1,3}$/.test(v as string));
  });

  it("formats: date-time, email, uri, ipv4", () => {
    all({ type: "string", format: "date-time" }, (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v as string) && !Number.isNaN(Date.parse(v as string)));
    all({ type: "string", format: "email" }, (v) => /^[^@\s]+@[^@\s]+$/.test(v as string));
    all({ type: "string", format: "uri" }, (v) => /^https?:\/\//.test(v as string) && new URL(v as string).protocol.startsWith("http"));
    all({ type: "string", format: "ipv4" }, (v) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(v as string) && (v as string).split(".").every((p) => Number(p) <= 255));
  });

  it("anyOf and oneOf", () => {
    const vs = sample({ anyOf: [{ type: "integer", minimum: 100 }, { type: "string", maxLength: 0 }] });
    expect(vs.every((v) => v === "" || (Number.isInteger(v) && (v as number) >= 100))).toBe(true);
    expect(vs.some((v) => v === "") && vs.some((v) => v !== "")).toBe(true);
    all({ type: "object", required: ["k"], oneOf: [{ properties: { k: { const: 1 } } }, { properties: { k: { const: 2 } } }] }, (v) => isObj(v) && (v["k"] === 1 || v["k"] === 2));
  });

  it("$ref to #/definitions and #/$defs", () => {
    const schema = {
      type: "object",
      properties: { a: { $ref: "#/definitions/small" }, b: { $ref: "#/$defs/flag" } },
      required: ["a", "b"],
      definitions: { small: { type: "integer", minimum: 0, maximum: 2 } },
      $defs: { flag: { $ref: "#/definitions/bool" } },
    };
    const withBool = { ...schema, definitions: { ...schema.definitions, bool: { type: "boolean" } } };
    all(withBool, (v) => isObj(v) && [0, 1, 2].includes(v["a"] as number) && typeof v["b"] === "boolean");
  });

  it("an unsupported, dangling or recursive $ref is an error", () => {
    expect(() => schemaArbitrary({ $ref: "http://example.com/s.json" })).toThrow(SchemaError);
    expect(() => schemaArbitrary({ $ref: "other.json#/x" })).toThrow(/unsupported \$ref "other\.json#\/x": only "#\/definitions\/NAME" and "#\/\$defs\/NAME"/);
    expect(() => schemaArbitrary({ $ref: "#/definitions/nope" })).toThrow(/no such definition/);
    expect(() => schemaArbitrary({ $ref: "#/$defs/t", $defs: { t: { type: "array", items: { $ref: "#/$defs/t" } } } })).toThrow(/recursive/);
  });

  it("no type: a small JSON value; unknown keywords ignored", () => {
    all({}, (v) => JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v));
    all({ type: "integer", multipleOf: 7, "x-custom": true }, (v) => Number.isInteger(v));
  });
});
