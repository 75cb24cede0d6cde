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

  it("anyOf alternatives add to the properties beside them rather than replace them (found writing the pack's properties)", () => {
    const schema = { type: "object", required: ["a", "b"], properties: { a: { const: 1 } }, anyOf: [{ properties: { b: { const: 2 } } }, { properties: { b: { const: 3 } } }] };
    const values = sample(schema) as { a: unknown; b: unknown }[];
    expect(values.every((v) => v.a === 1 && (v.b === 2 || v.b === 3))).toBe(true);
    expect(new Set(values.map((v) => v.b))).toEqual(new Set([2, 3]));
    // an alternative whose type conflicts with the shared one is left out; none left is an error
    expect(sample({ type: "string", anyOf: [{ type: "integer" }, { minLength: 2 }] }).every((v) => typeof v === "string" && v.length >= 2)).toBe(true);
    expect(() => schemaArbitrary({ type: "string", anyOf: [{ type: "integer" }, { type: "boolean" }] })).toThrow(SchemaError);
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

  it("an unsupported or dangling $ref, or a recursion without end, is an error", () => {
    expect(() => schemaArbitrary({ $ref: "http://example.com/s.json" })).toThrow(SchemaError);
    expect(() => schemaArbitrary({ $ref: "other.json#/x" })).toThrow(/unsupported \$ref "other\.json#\/x": only local ones are supported/);
    expect(() => schemaArbitrary({ $ref: "#/definitions/nope" })).toThrow(/no such definition/);
    expect(() => schemaArbitrary({ $ref: "#/properties/a/nope", properties: { a: {} } })).toThrow(/no such definition/);
    all({ type: "object", properties: { a: { type: "boolean" }, b: { $ref: "#/properties/a" } }, required: ["a", "b"] }, (v) => isObj(v) && typeof v["b"] === "boolean");
    // every node needs a child: no finite value
    const endless = { $ref: "#/$defs/t", $defs: { t: { type: "object", properties: { c: { $ref: "#/$defs/t" } }, required: ["c"] } } };
    expect(() => schemaArbitrary(endless)).toThrow(/recursive \$ref "#\/\$defs\/t" has no end/);
    expect(() => schemaArbitrary({ $ref: "#/$defs/t", $defs: { t: { type: "array", minItems: 1, items: { $ref: "#/$defs/t" } } } })).toThrow(SchemaError);
  });

  it("recursive $ref: nested to a bounded depth, cut at an empty array or an omitted property", () => {
    const depth = (v: unknown): number => (Array.isArray(v) ? 1 + Math.max(0, ...v.map(depth)) : 0);
    const arrays = sample({ $ref: "#/$defs/t", $defs: { t: { type: "array", items: { $ref: "#/$defs/t" } } } });
    expect(arrays.every((v) => Array.isArray(v) && depth(v) <= 3)).toBe(true);
    expect(arrays.some((v) => depth(v) === 3)).toBe(true);
    const tree = {
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#" } }, parent: { $ref: "#" } },
      required: ["name"],
    };
    const valid = (v: unknown, d = 0): boolean =>
      d <= 4 &&
      isObj(v) &&
      typeof v["name"] === "string" &&
      (v["children"] === undefined || (Array.isArray(v["children"]) && v["children"].every((c) => valid(c, d + 1)))) &&
      (v["parent"] === undefined || valid(v["parent"], d + 1));
    all(tree, (v) => valid(v));
    expect(sample(tree).some((v) => isObj(v) && Array.isArray(v["children"]) && v["children"].some((c) => isObj(c) && Array.isArray(c["children"]) && c["children"].length > 0))).toBe(true);
    // a recursive alternative is dropped at the cut
    const list = { $defs: { l: { anyOf: [{ type: "null" }, { type: "object", properties: { next: { $ref: "#/$defs/l" } }, required: ["next"] }] } }, $ref: "#/$defs/l" };
    all(list, (v) => {
      let n = 0;
      for (let x = v; x !== null; x = (x as Record<string, unknown>)["next"]) if (++n > 4 || !isObj(x)) return false;
      return true;
    });
  });

  it("allOf: the parts merged into one schema", () => {
    const schema = {
      $defs: { named: { type: "object", properties: { name: { type: "string", minLength: 1 } }, required: ["name"] } },
      allOf: [
        { $ref: "#/$defs/named" },
        { type: "object", properties: { age: { type: "integer", minimum: 0, maximum: 150 }, name: { maxLength: 3 } }, required: ["age"] },
      ],
    };
    all(schema, (v) => isObj(v) && typeof v["name"] === "string" && [...v["name"]].length >= 1 && [...v["name"]].length <= 3 && Number.isInteger(v["age"]) && (v["age"] as number) >= 0 && (v["age"] as number) <= 150);
    all({ allOf: [{ type: ["number", "string"] }, { type: "integer", minimum: 5 }, { maximum: 7 }] }, (v) => Number.isInteger(v) && (v as number) >= 5 && (v as number) <= 7);
    expect(() => schemaArbitrary({ allOf: [{ type: "string" }, { type: "integer" }] })).toThrow(/allOf: the types "string" and "integer" have no value in common/);
  });

  it("no type: a small JSON value; unknown keywords ignored", () => {
    all({}, (v) => JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v));
    all({ type: "integer", multipleOf: 7, "x-custom": true }, (v) => Number.isInteger(v));
  });
});
