// Rego values in JavaScript.
//
// - null, booleans and strings are themselves;
// - numbers are JS numbers, or `bigint` for integers beyond 2^53 (kept exact, as OPA does);
// - arrays are JS arrays;
// - objects with only string keys are plain JS objects (so JSON input needs no conversion);
// - objects with other keys are `MapObject`; sets are `SetValue`;
// - `undefined` is Rego's undefined: not a value, it passes through operators and makes expressions fail.
// Values are immutable once built, and shared: the compiled engine returns the same value object for a rule that
// depends on data alone on every evaluation, base data and constants are shared too. Nothing may change a value.

export type Value = null | boolean | number | bigint | string | Value[] | SetValue | MapObject | PlainObject;
export interface PlainObject {
  [key: string]: Value;
}
export type ObjectValue = PlainObject | MapObject;

/** A canonical string for a value: equal values, and only they, have the same key. */
export function keyOf(v: Value): string {
  switch (typeof v) {
    case "string":
      return "s" + v;
    case "number":
      return "n" + numberKey(v);
    case "bigint":
      return "n" + v.toString();
    case "boolean":
      return v ? "T" : "F";
    default:
      if (v === null) return "N";
      return compositeKey(v);
  }
}

function numberKey(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
}

function compositeKey(v: Value[] | SetValue | MapObject | PlainObject): string {
  if (Array.isArray(v)) return "[" + v.map(keyOf).join(",") + "]";
  if (v instanceof SetValue) return "{" + v.sortedKeys().join(",") + "}";
  const entries = objectEntries(v).map(([k, val]) => keyOf(k) + ":" + keyOf(val));
  entries.sort();
  return "<" + entries.join(",") + ">";
}

const SURROGATE = /[\uD800-\uDFFF]/;

export class SetValue {
  // strings (the usual members) are kept by themselves, other members by their canonical key
  private readonly strings = new Set<string>();
  private readonly others = new Map<string, Value>();
  private sortedCache: Value[] | undefined;

  constructor(values: Iterable<Value> = []) {
    for (const v of values) this.add(v);
  }
  static of(...values: Value[]): SetValue {
    return new SetValue(values);
  }
  get size(): number {
    return this.strings.size + this.others.size;
  }
  has(v: Value): boolean {
    return typeof v === "string" ? this.strings.has(v) : this.others.has(keyOf(v));
  }
  /** Membership by canonical key (`keyOf`). */
  hasKey(key: string): boolean {
    return key.charCodeAt(0) === 115 /* s */ ? this.strings.has(key.slice(1)) : this.others.has(key);
  }
  /** Adds in place: only while building a new set. */
  add(v: Value): void {
    if (typeof v === "string") this.strings.add(v);
    else this.others.set(keyOf(v), v);
    this.sortedCache = undefined;
  }
  values(): IterableIterator<Value> {
    return this.others.size === 0 ? this.strings.values() : this.allValues();
  }
  private *allValues(): IterableIterator<Value> {
    yield* this.strings;
    yield* this.others.values();
  }
  *keys(): IterableIterator<string> {
    for (const s of this.strings) yield "s" + s;
    yield* this.others.keys();
  }
  /** Members in Rego's order (the order OPA iterates and prints sets in). */
  sorted(): Value[] {
    if (this.sortedCache === undefined) {
      const out: Value[] = Array.from(this.strings);
      if (this.others.size === 0) {
        // without surrogates UTF-16 units are code points: the built-in order is Rego's (and much faster on long
        // strings with common prefixes); a scan for surrogates costs nothing on one-byte strings
        if ((out as string[]).some((x) => SURROGATE.test(x))) out.sort(compareStrings as (a: Value, b: Value) => number);
        else out.sort();
      } else {
        for (const v of this.others.values()) out.push(v);
        out.sort(compare);
      }
      this.sortedCache = out;
    }
    return this.sortedCache;
  }
  sortedKeys(): string[] {
    const out: string[] = [];
    for (const s of this.strings) out.push("s" + s);
    for (const k of this.others.keys()) out.push(k);
    return out.sort();
  }
}

/** An object with at least one key that is not a string. */
export class MapObject {
  readonly entries = new Map<string, [Value, Value]>();
  constructor(pairs: Iterable<[Value, Value]> = []) {
    for (const [k, v] of pairs) this.entries.set(keyOf(k), [k, v]);
  }
  get size(): number {
    return this.entries.size;
  }
  get(k: Value): Value | undefined {
    return this.entries.get(keyOf(k))?.[1];
  }
  set(k: Value, v: Value): void {
    this.entries.set(keyOf(k), [k, v]);
  }
}

export function isSet(v: unknown): v is SetValue {
  return v instanceof SetValue;
}
export function isArray(v: unknown): v is Value[] {
  return Array.isArray(v);
}
/** Plain objects and MapObjects. */
export function isObject(v: unknown): v is ObjectValue {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof SetValue);
}
export function isNumber(v: unknown): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

/** Reads an own key of a plain object (never the prototype's). */
export function plainGet(obj: PlainObject, key: string): Value | undefined {
  const v = obj[key];
  return v === undefined || typeof v === "function" || v === (Object.prototype as unknown) ? undefined : v;
}

export function objectGet(obj: ObjectValue, key: Value): Value | undefined {
  if (obj instanceof MapObject) return obj.get(key);
  return typeof key === "string" ? plainGet(obj, key) : undefined;
}

export function objectSize(obj: ObjectValue): number {
  return obj instanceof MapObject ? obj.size : Object.keys(obj).length;
}

export function objectEntries(obj: ObjectValue): [Value, Value][] {
  if (obj instanceof MapObject) return [...obj.entries.values()];
  return Object.keys(obj).map((k) => [k, obj[k]!]);
}

/** Entries in Rego's order (sorted by key), the order OPA iterates objects in. */
export function sortedEntries(obj: ObjectValue): [Value, Value][] {
  if (obj instanceof MapObject) return objectEntries(obj).sort((a, b) => compare(a[0], b[0]));
  const keys = sortedKeys(obj);
  const out: [Value, Value][] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = [keys[i]!, obj[keys[i]!]!];
  return out;
}

/** A plain object's keys in Rego's order (by code point); already sorted keys (the usual case) are only checked. */
export function sortedKeys(obj: PlainObject): string[] {
  const keys = Object.keys(obj);
  return isSorted(keys) ? keys : keys.sort(compareStrings);
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareStrings(keys[i - 1]!, keys[i]!) > 0) return false;
  return true;
}

/** Builds an object from entries, choosing the representation (plain when every key is a string). */
export class ObjectBuilder {
  private plain: PlainObject | undefined = {};
  private map: MapObject | undefined;

  set(k: Value, v: Value): void {
    if (this.plain !== undefined) {
      if (typeof k === "string") {
        if (k === "__proto__") Object.defineProperty(this.plain, k, { value: v, enumerable: true, writable: true, configurable: true });
        else this.plain[k] = v;
        return;
      }
      this.map = new MapObject(objectEntries(this.plain));
      this.plain = undefined;
    }
    this.map!.set(k, v);
  }
  get(k: Value): Value | undefined {
    if (this.plain !== undefined) return typeof k === "string" ? plainGet(this.plain, k) : undefined;
    return this.map!.get(k);
  }
  build(): ObjectValue {
    return this.plain ?? this.map!;
  }
}

export function makeObject(pairs: Iterable<[Value, Value]>): ObjectValue {
  const b = new ObjectBuilder();
  for (const [k, v] of pairs) b.set(k, v);
  return b.build();
}

// ---------------------------------------------------------------------------------------------------------------
// Order and equality

/** Rego's type order: null < boolean < number < string < array < object < set. */
export function typeRank(v: Value): number {
  switch (typeof v) {
    case "boolean":
      return 1;
    case "number":
    case "bigint":
      return 2;
    case "string":
      return 3;
    default:
      if (v === null) return 0;
      if (Array.isArray(v)) return 4;
      if (v instanceof SetValue) return 6;
      return 5;
  }
}

/** The total order of Rego values (as OPA sorts them). */
export function compare(a: Value, b: Value): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number | bigint, b as number | bigint);
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < x.length && i < y.length; i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case 5: {
      const x = sortedEntries(a as ObjectValue);
      const y = sortedEntries(b as ObjectValue);
      for (let i = 0; i < x.length && i < y.length; i++) {
        const ck = compare(x[i]![0], y[i]![0]);
        if (ck !== 0) return ck;
        const cv = compare(x[i]![1], y[i]![1]);
        if (cv !== 0) return cv;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    default: {
      const x = (a as SetValue).sorted();
      const y = (b as SetValue).sorted();
      for (let i = 0; i < x.length && i < y.length; i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
  }
}

/** Strings compare by code point (Go compares UTF-8 bytes, which orders the same way). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // the first UTF-16 unit that differs: outside the surrogates, units order as code points do
    if (x < 0xd800 || x > 0xdfff) {
      if (y < 0xd800 || y > 0xdfff) return x < y ? -1 : 1;
    }
    return compareCodePoints(a, b);
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  // mixed or both bigint: bigint compares with number exactly in JS
  return a == b ? 0 : a < b ? -1 : 1;
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const t = typeof a;
  if (t !== "object" || typeof b !== "object" || a === null || b === null) {
    if ((t === "number" || t === "bigint") && (typeof b === "number" || typeof b === "bigint")) return a == b;
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (a instanceof SetValue) {
    if (!(b instanceof SetValue) || a.size !== b.size) return false;
    for (const k of a.keys()) if (!b.hasKey(k)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof SetValue) return false;
  const x = a as ObjectValue;
  const y = b as ObjectValue;
  if (objectSize(x) !== objectSize(y)) return false;
  for (const [k, v] of objectEntries(x)) {
    const w = objectGet(y, k);
    if (w === undefined || !equals(v, w)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/** Normalizes a bigint to a JS number when that is exact. */
export function normalizeBig(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** Parses a number literal: exact integers of any size; other numbers as doubles. */
export function parseNumberLiteral(raw: string): number | bigint {
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : normalizeBig(BigInt(raw));
  }
  const n = Number(raw);
  // an integer written with a fraction or exponent (1e3, 2.0) beyond 2^53 stays exact
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && Number.isFinite(n)) {
    const big = exactIntegerFromDecimal(raw);
    if (big !== undefined) return normalizeBig(big);
  }
  return n;
}

function exactIntegerFromDecimal(raw: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return undefined;
  const [, sign, int, frac = "", expText = "0"] = m;
  const exp = Number(expText);
  if (exp > 400) return undefined;
  const digits = int! + frac;
  const shift = exp - frac.length;
  if (shift < 0) {
    const cut = digits.slice(0, digits.length + shift);
    if (!/^0*$/.test(digits.slice(digits.length + shift))) return undefined;
    return BigInt(sign + (cut || "0"));
  }
  return BigInt(sign + digits + "0".repeat(shift));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/**
 * Converts parsed JSON (or YAML) into a Value. A tree that already is one (plain objects, arrays, strings, booleans,
 * numbers; no `undefined` members) is checked and returned as it is, not copied: the caller must not change it while
 * the Value is in use (an input for one evaluation, say). Anything else is converted as `copyFromJSON` does.
 */
export function fromJSON(v: unknown): Value {
  return isJSONValue(v) ? (v as Value) : copyFromJSON(v);
}

/** Whether a JSON tree is a Value as it is (see fromJSON). */
function isJSONValue(v: unknown): boolean {
  if (typeof v !== "object") return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  return v === null || isJSONCollection(v);
}

/** isJSONValue of an array or object; scalar members are tested here (most members are). */
function isJSONCollection(v: object): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "string" || typeof x === "number" || typeof x === "boolean" || x === null) continue;
      if (typeof x !== "object" || !isJSONCollection(x)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    const x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean" || x === null) continue;
    if (typeof x !== "object" || !isJSONCollection(x)) return false;
  }
  return true;
}

/**
 * Converts parsed JSON (or YAML) into a new Value, sharing nothing with the tree but strings: plain objects for
 * objects (own enumerable properties; those holding `undefined` left out), bigints normalized, anything else a
 * TypeError. For values that outlive the caller's tree (a policy's data).
 */
export function copyFromJSON(v: unknown): Value {
  switch (typeof v) {
    case "string":
    case "boolean":
    case "number":
      return v;
    case "bigint":
      return normalizeBig(v);
    case "object": {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(copyFromJSON);
      const src = v as Record<string, unknown>;
      const out: PlainObject = {};
      const keys = Object.keys(src);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const x = src[k];
        if (x === undefined) continue;
        if (k === "__proto__") Object.defineProperty(out, k, { value: copyFromJSON(x), enumerable: true, writable: true, configurable: true });
        else out[k] = copyFromJSON(x);
      }
      return out;
    }
    default:
      throw new TypeError(`not a JSON value: ${typeof v}`);
  }
}

/** The JSON form OPA prints: sets as sorted arrays, object keys sorted, non-string keys as their JSON text. */
export function toJSON(v: Value): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof SetValue) return v.sorted().map(toJSON);
  if (v instanceof MapObject) {
    return Object.fromEntries(sortedEntries(v).map(([k, x]) => [typeof k === "string" ? k : stringifyValue(k), toJSON(x)]));
  }
  // keys in order already (the usual case): a copy made at once, its collections converted in place
  const copy: Record<string, unknown> = { ...v };
  let prev: string | undefined;
  let sorted = true;
  for (const k in copy) {
    if (prev !== undefined && compareStrings(prev, k) > 0) {
      sorted = false;
      break;
    }
    prev = k;
    const x = copy[k];
    if (typeof x !== "object" || x === null || !Object.hasOwn(copy, k)) continue;
    if (k === "__proto__") Object.defineProperty(copy, k, { value: toJSON(x as Value), enumerable: true, writable: true, configurable: true });
    else copy[k] = toJSON(x as Value);
  }
  if (sorted) return copy;
  const keys = Object.keys(v);
  keys.sort(compareStrings);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === "__proto__") Object.defineProperty(out, k, { value: toJSON(v[k]!), enumerable: true, writable: true, configurable: true });
    else out[k] = toJSON(v[k]!);
  }
  return out;
}

/** JSON text of a value (bigints written exactly). */
export function stringifyValue(v: Value): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "[" + v.map(stringifyValue).join(",") + "]";
  if (v instanceof SetValue) return "[" + v.sorted().map(stringifyValue).join(",") + "]";
  return (
    "{" +
    sortedEntries(v)
      .map(([k, x]) => JSON.stringify(typeof k === "string" ? k : stringifyValue(k)) + ":" + stringifyValue(x))
      .join(",") +
    "}"
  );
}

/** Numbers as OPA prints them: integers without exponent, other numbers in Go's shortest form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

export function typeName(v: Value | undefined): string {
  if (v === undefined) return "undefined";
  switch (typeRank(v)) {
    case 0:
      return "null";
    case 1:
      return "boolean";
    case 2:
      return "number";
    case 3:
      return "string";
    case 4:
      return "array";
    case 5:
      return "object";
    default:
      return "set";
  }
}
