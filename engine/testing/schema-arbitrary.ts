// JSON Schema → fast-check arbitrary, for the property tests of `guard test` (`prop_…` rules).
// Covers the common keywords (type, properties/required, items, enum/const, bounds, lengths, pattern, a few formats,
// anyOf/oneOf, allOf (merged into one schema), local $ref, recursive ones to a bounded depth); other keywords are
// ignored. Sizes are kept small so that evaluation stays fast.
import fc from "fast-check";

/** A schema the generator cannot follow (an unsupported or dangling `$ref`, a recursion without end, a bad pattern). */
export class SchemaError extends Error {}

/** Nesting of one recursive `$ref` inside itself, beyond which the recursion is cut (an empty array, an omitted property…). */
export const MAX_REF_DEPTH = 3;

/** Thrown where a recursive `$ref` reaches MAX_REF_DEPTH; caught by the nearest optional place (array items, optional properties, alternatives). */
class RecursionCut extends Error {
  constructor(readonly ref: string) {
    super(`recursive $ref ${JSON.stringify(ref)} has no end: every instance nests another`);
  }
}

function cut<T>(f: () => T, otherwise: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RecursionCut) return otherwise();
    throw e;
  }
}

type Schema = Record<string, unknown>;

/** Items in a generated array when the schema sets no `maxItems`. */
export const DEFAULT_MAX_ITEMS = 5;
const DEFAULT_MAX_LENGTH = 10;
const DEFAULT_MAX_KEYS = 3;

const anyJson = (): fc.Arbitrary<unknown> => fc.jsonValue({ depthSize: "small", maxDepth: 2 }).map(noNegativeZero);

function noNegativeZero(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(noNegativeZero);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, noNegativeZero(x)]));
  return v;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** An arbitrary of the JSON values a schema accepts (as plain JavaScript values). */
export function schemaArbitrary(schema: unknown): fc.Arbitrary<unknown> {
  try {
    return new Builder(schema).build(schema, []);
  } catch (e) {
    if (e instanceof RecursionCut) throw new SchemaError(e.message);
    throw e;
  }
}

class Builder {
  constructor(private readonly root: unknown) {}

  build(schema: unknown, refs: readonly string[]): fc.Arbitrary<unknown> {
    if (schema === true || schema === undefined) return anyJson();
    if (schema === false) throw new SchemaError("the schema `false` accepts no value");
    if (!isSchema(schema)) throw new SchemaError(`not a JSON schema: ${JSON.stringify(schema)}`);
    if (typeof schema["$ref"] === "string") return this.ref(schema["$ref"], refs);
    if (Array.isArray(schema["allOf"]) && schema["allOf"].length > 0) return this.build(this.mergeAllOf(schema, refs), refs);
    if ("const" in schema) return fc.constant(schema["const"]);
    if (Array.isArray(schema["enum"])) {
      if (schema["enum"].length === 0) throw new SchemaError("an empty enum accepts no value");
      return fc.constantFrom(...(schema["enum"] as unknown[]));
    }
    for (const key of ["anyOf", "oneOf"]) {
      const alts = schema[key];
      if (Array.isArray(alts) && alts.length > 0) {
        // the alternatives, each with the keywords beside anyOf/oneOf (a shared `type`, `properties`…)
        const { [key]: _, ...rest } = schema;
        const arbs: fc.Arbitrary<unknown>[] = [];
        let lastCut: RecursionCut | undefined;
        let lastConflict: SchemaError | undefined;
        for (const alt of alts) {
          try {
            // merged, not overlaid: an alternative's `properties` add to the shared ones, as in allOf
            arbs.push(this.build(isSchema(alt) ? mergeSchemas(rest, alt) : alt, refs));
          } catch (e) {
            if (e instanceof RecursionCut) lastCut = e;
            else if (e instanceof SchemaError && alts.length > 1) lastConflict = e; // an alternative no value meets
            else throw e;
          }
        }
        if (arbs.length === 0) throw lastCut ?? lastConflict!;
        return fc.oneof(...arbs);
      }
    }
    const type = schema["type"];
    if (Array.isArray(type)) {
      if (type.length === 0) throw new SchemaError("an empty type list accepts no value");
      return fc.oneof(...type.map((t) => this.typed(String(t), schema, refs)));
    }
    if (typeof type === "string") return this.typed(type, schema, refs);
    return anyJson();
  }

  /** The schema a local `$ref` names: `#` (the root) or a JSON pointer into it (`#/$defs/NAME`, `#/properties/user`). */
  private target(ref: string): unknown {
    if (ref === "#") return this.root;
    if (!ref.startsWith("#/")) throw new SchemaError(`unsupported $ref ${JSON.stringify(ref)}: only local ones are supported ("#", "#/$defs/NAME", "#/definitions/NAME", "#/properties/…")`);
    let at: unknown = this.root;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
      else if (isSchema(at) && Object.hasOwn(at, key)) at = at[key];
      else throw new SchemaError(`$ref ${JSON.stringify(ref)}: no such definition in the schema`);
    }
    return at;
  }

  private ref(ref: string, refs: readonly string[]): fc.Arbitrary<unknown> {
    const target = this.target(ref);
    if (refs.filter((r) => r === ref).length >= MAX_REF_DEPTH) throw new RecursionCut(ref);
    return this.build(target, [...refs, ref]);
  }

  /** `allOf` as one schema: properties merged (a property in several parts takes all their schemas), required
   *  joined, types intersected, bounds the tightest; other keywords from the last part that sets them. */
  private mergeAllOf(schema: Schema, refs: readonly string[]): Schema {
    const { allOf, ...rest } = schema;
    let out: Schema = { ...rest };
    for (const part0 of allOf as unknown[]) {
      let part = part0;
      for (let hops = 0; isSchema(part) && typeof part["$ref"] === "string" && hops < 16; hops++) part = this.target(part["$ref"]);
      if (part === true) continue;
      if (!isSchema(part)) throw new SchemaError(`allOf: not a JSON schema: ${JSON.stringify(part)}`);
      if (Array.isArray(part["allOf"])) part = this.mergeAllOf(part, refs);
      out = mergeSchemas(out, part as Schema);
    }
    return out;
  }

  private typed(type: string, s: Schema, refs: readonly string[]): fc.Arbitrary<unknown> {
    switch (type) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "integer":
        return integer(s);
      case "number":
        return number(s);
      case "string":
        return string(s);
      case "array":
        return this.array(s, refs);
      case "object":
        return this.object(s, refs);
      default:
        throw new SchemaError(`unknown type ${JSON.stringify(type)}`);
    }
  }

  private array(s: Schema, refs: readonly string[]): fc.Arbitrary<unknown> {
    const minLength = Math.max(0, Math.ceil(num(s["minItems"]) ?? 0));
    const maxLength = Math.max(minLength, Math.floor(num(s["maxItems"]) ?? Math.max(DEFAULT_MAX_ITEMS, minLength)));
    const item = cut<fc.Arbitrary<unknown> | undefined>(
      () => this.build(s["items"], refs),
      () => undefined,
    );
    if (item === undefined) {
      if (minLength > 0) throw new RecursionCut("items");
      return fc.constant([]);
    }
    if (s["uniqueItems"] === true) return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
    return fc.array(item, { minLength, maxLength });
  }

  private object(s: Schema, refs: readonly string[]): fc.Arbitrary<unknown> {
    const props = isSchema(s["properties"]) ? s["properties"] : {};
    const required = Array.isArray(s["required"]) ? s["required"].map(String) : [];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) {
      // a recursion cut omits an optional property
      const arb = required.includes(k) ? this.build(v, refs) : cut<fc.Arbitrary<unknown> | undefined>(() => this.build(v, refs), () => undefined);
      if (arb !== undefined) model[k] = arb;
    }
    for (const k of required) if (!(k in model)) model[k] = anyJson();
    const extra = s["additionalProperties"];
    if (Object.keys(model).length === 0 && extra !== false) {
      // no declared properties: a few free-form ones
      const value = isSchema(extra) ? this.build(extra, refs) : anyJson();
      return fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: DEFAULT_MAX_KEYS, noNullPrototype: true });
    }
    return fc.record(model, { requiredKeys: required, noNullPrototype: true });
  }
}

const MIN_KEYS = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"]);
const MAX_KEYS = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"]);

/** Two schemas that must both hold, as one (see mergeAllOf). */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (old === undefined) out[k] = v;
    else if (k === "properties" && isSchema(old) && isSchema(v)) {
      const props: Schema = { ...old };
      for (const [p, ps] of Object.entries(v)) props[p] = p in props ? { allOf: [props[p], ps] } : ps;
      out[k] = props;
    } else if (k === "required" && Array.isArray(old) && Array.isArray(v)) out[k] = [...new Set([...old, ...v])];
    else if (k === "type") {
      const xs = Array.isArray(old) ? old : [old];
      const ys = Array.isArray(v) ? v : [v];
      // integer is a number
      const both = xs.flatMap((x) => (ys.includes(x) ? [x] : x === "number" && ys.includes("integer") ? ["integer"] : x === "integer" && ys.includes("number") ? ["integer"] : []));
      if (both.length === 0) throw new SchemaError(`allOf: the types ${JSON.stringify(old)} and ${JSON.stringify(v)} have no value in common`);
      out[k] = both.length === 1 ? both[0] : both;
    } else if (MIN_KEYS.has(k) && typeof old === "number" && typeof v === "number") out[k] = Math.max(old, v);
    else if (MAX_KEYS.has(k) && typeof old === "number" && typeof v === "number") out[k] = Math.min(old, v);
    else if (k === "items" || k === "additionalProperties") out[k] = isSchema(old) && isSchema(v) ? { allOf: [old, v] } : v === false || old === false ? false : v;
    else out[k] = v;
  }
  return out;
}

function integer(s: Schema): fc.Arbitrary<unknown> {
  let min = num(s["minimum"]);
  let max = num(s["maximum"]);
  const exMin = num(s["exclusiveMinimum"]);
  const exMax = num(s["exclusiveMaximum"]);
  if (min !== undefined) min = Math.ceil(min);
  if (max !== undefined) max = Math.floor(max);
  if (exMin !== undefined) min = Math.max(min ?? -Infinity, Math.floor(exMin) + 1);
  if (exMax !== undefined) max = Math.min(max ?? Infinity, Math.ceil(exMax) - 1);
  // draft-04 style boolean exclusives
  if (s["exclusiveMinimum"] === true && min !== undefined) min += 1;
  if (s["exclusiveMaximum"] === true && max !== undefined) max -= 1;
  const lo = min ?? Math.min(-(2 ** 31), max ?? 0);
  const hi = max ?? Math.max(2 ** 31 - 1, lo);
  if (lo > hi) throw new SchemaError(`no integer between ${lo} and ${hi}`);
  if (lo < Number.MIN_SAFE_INTEGER || hi > Number.MAX_SAFE_INTEGER) return fc.maxSafeInteger().filter((n) => n >= lo && n <= hi);
  return fc.integer({ min: lo, max: hi });
}

function number(s: Schema): fc.Arbitrary<unknown> {
  const minimum = num(s["minimum"]);
  const maximum = num(s["maximum"]);
  const exMin = num(s["exclusiveMinimum"]);
  const exMax = num(s["exclusiveMaximum"]);
  const min = exMin !== undefined && (minimum === undefined || exMin >= minimum) ? exMin : minimum;
  const max = exMax !== undefined && (maximum === undefined || exMax <= maximum) ? exMax : maximum;
  const minExcluded = (min !== undefined && min === exMin) || (s["exclusiveMinimum"] === true && min !== undefined);
  const maxExcluded = (max !== undefined && max === exMax) || (s["exclusiveMaximum"] === true && max !== undefined);
  return fc
    .double({ noNaN: true, noDefaultInfinity: true, min: min ?? -1e9, max: max ?? 1e9, minExcluded, maxExcluded })
    .map((n) => (Object.is(n, -0) ? 0 : n));
}

function string(s: Schema): fc.Arbitrary<unknown> {
  const minLength = Math.max(0, Math.ceil(num(s["minLength"]) ?? 0));
  const maxLength = Math.max(minLength, Math.floor(num(s["maxLength"]) ?? minLength + DEFAULT_MAX_LENGTH));
  const explicitLength = s["minLength"] !== undefined || s["maxLength"] !== undefined;
  const fits = (v: string) => !explicitLength || ([...v].length >= minLength && [...v].length <= maxLength);
  if (typeof s["pattern"] === "string") {
    let re: RegExp;
    try {
      re = new RegExp(s["pattern"]);
    } catch (e) {
      throw new SchemaError(`invalid pattern ${JSON.stringify(s["pattern"])}: ${(e as Error).message}`);
    }
    return fc.stringMatching(re).filter(fits);
  }
  switch (s["format"]) {
    case "date-time":
      return fc
        .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
        .map((d) => d.toISOString())
        .filter(fits);
    case "email":
      return fc.emailAddress().filter(fits);
    case "uri":
      return fc.webUrl().filter(fits);
    case "ipv4":
      return fc.ipV4().filter(fits);
    default:
      return fc.string({ minLength, maxLength, unit: "grapheme-ascii" });
  }
}
