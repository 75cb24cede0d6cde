// Object built-ins: object.get, object.keys, object.remove, object.union, object.union_n, object.filter,
// object.subset, and the JSON-path ones json.filter, json.remove, json.patch (RFC 6902, as OPA applies it: sets are
// patched by member, any failing operation makes the result undefined).
import {
  equals,
  isObject,
  isSet,
  keyOf,
  ObjectBuilder,
  objectEntries,
  objectGet,
  SetValue,
  typeName,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { arr, obj } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { elementErr, operandErr, OperandError, typeErr } from "./operands.js";
import { any, arrayOf, objectOf, setOf, string, union } from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// Paths and lookups

/** Follows a path of keys through objects, arrays (integer indexes) and sets (members); undefined when it fails. */
export function find(value: Value, path: Value[]): Value | undefined {
  let v: Value = value;
  for (const key of path) {
    if (Array.isArray(v)) {
      if (typeof key !== "number" && typeof key !== "bigint") return undefined;
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= v.length) return undefined;
      v = v[i]!;
    } else if (isSet(v)) {
      if (!v.has(key)) return undefined;
      v = key;
    } else if (isObject(v)) {
      const next = objectGet(v, key);
      if (next === undefined) return undefined;
      v = next;
    } else {
      return undefined;
    }
  }
  return v;
}

/** Keys given as an array, a set or an object's keys (object.remove and object.filter). */
function keysParam(v: Value | undefined): SetValue {
  if (Array.isArray(v)) return new SetValue(v);
  if (isSet(v)) return v;
  if (isObject(v)) return new SetValue(objectEntries(v).map(([k]) => k));
  throw typeErr(2, v, "object", "set", "array");
}

function pick(o: ObjectValue, keep: (k: Value) => boolean): ObjectValue {
  const b = new ObjectBuilder();
  for (const [k, v] of objectEntries(o)) if (keep(k)) b.set(k, v);
  return b.build();
}

/** object.union: b's entries over a's, merging where both values are objects. */
export function merge(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = new ObjectBuilder();
  for (const [k, v] of objectEntries(a)) out.set(k, v);
  for (const [k, v] of objectEntries(b)) {
    const old = out.get(k);
    out.set(k, old !== undefined && isObject(old) && isObject(v) ? merge(old, v) : v);
  }
  return out.build();
}

// ---------------------------------------------------------------------------------------------------------------
// object.subset

function objectSubset(sup: ObjectValue, sub: ObjectValue): boolean {
  for (const [k, subValue] of objectEntries(sub)) {
    const supValue = objectGet(sup, k);
    if (supValue === undefined) return false;
    if (equals(subValue, supValue)) continue;
    if (isObject(supValue) && isObject(subValue)) {
      if (!objectSubset(supValue, subValue)) return false;
    } else if (isSet(supValue) && isSet(subValue)) {
      if (!setSubset(supValue, subValue)) return false;
    } else if (Array.isArray(supValue) && Array.isArray(subValue)) {
      if (!arraySubset(supValue, subValue)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function setSubset(sup: SetValue, sub: SetValue): boolean {
  for (const k of sub.keys()) if (!sup.hasKey(k)) return false;
  return true;
}

/** Whether sub appears contiguously in sup. */
function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false;
  outer: for (let start = 0; start + sub.length <= sup.length; start++) {
    for (let j = 0; j < sub.length; j++) if (!equals(sup[start + j]!, sub[j]!)) continue outer;
    return true;
  }
  return false;
}

/** Whether every member of sub occurs in sup (OPA answers false for an empty sub against an empty array). */
function arraySetSubset(sup: Value[], sub: SetValue): boolean {
  let unmatched = sub.size;
  for (const x of sup) {
    if (sub.has(x)) unmatched--;
    if (unmatched === 0) return true;
  }
  return false;
}

export function subset(sup: Value | undefined, sub: Value | undefined): boolean {
  if (isObject(sup) && isObject(sub)) return objectSubset(sup, sub);
  if (isSet(sup) && isSet(sub)) return setSubset(sup, sub);
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
  if (Array.isArray(sup) && isSet(sub)) return arraySetSubset(sup, sub);
  throw new OperandError("both arguments object.subset must be of the same type or array and set");
}

// ---------------------------------------------------------------------------------------------------------------
// json.filter and json.remove

/** One level of a path tree: key → subtree, or null where a path ends (OPA's object of objects and nulls). */
type PathTree = Map<string, { key: Value; child: PathTree | null }>;

/** A JSON path: "/a/b/0" (with ~1 for "/" and ~0 for "~") or an array of segments. */
function parsePath(p: Value): Value[] {
  if (typeof p === "string") {
    if (p === "") return [];
    return p
      .replace(/^\/+/, "")
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  if (Array.isArray(p)) return p;
  throw operandErr(
    2,
    `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
  );
}

function jsonPaths(v: Value | undefined): Value[][] {
  if (Array.isArray(v)) return v.map(parsePath);
  if (isSet(v)) return v.sorted().map(parsePath);
  throw typeErr(2, v, "set", "array");
}

function pathTree(paths: Value[][]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const k = keyOf(path[i]!);
      const entry = node.get(k);
      if (entry === undefined) {
        const child: PathTree = new Map();
        node.set(k, { key: path[i]!, child });
        node = child;
      } else if (entry.child === null) {
        done = true;
      } else {
        node = entry.child;
      }
    }
    if (!done) {
      const last = path[path.length - 1]!;
      node.set(keyOf(last), { key: last, child: null });
    }
  }
  return root;
}

const indexKey = (i: number): string => keyOf(String(i));

/** OPA's Object.Filter: keeps what the tree names. */
function filterValue(v: Value, tree: PathTree | null): Value {
  if (tree === null) return v;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const entry = tree.get(indexKey(i));
      if (entry !== undefined) out.push(filterValue(x, entry.child));
    });
    return out;
  }
  if (isSet(v)) {
    const out = new SetValue();
    for (const x of v.values()) {
      const entry = tree.get(keyOf(x));
      if (entry !== undefined) out.add(filterValue(x, entry.child));
    }
    return out;
  }
  if (isObject(v)) {
    const out = new ObjectBuilder();
    for (const [k, x] of objectEntries(v)) {
      const entry = tree.get(keyOf(k));
      if (entry !== undefined) out.set(k, filterValue(x, entry.child));
    }
    return out.build();
  }
  return v;
}

/** json.remove: drops what the tree names; undefined when the value itself is removed. */
function removeValue(v: Value, tree: PathTree | null | undefined): Value | undefined {
  if (tree === undefined) return v;
  if (tree === null) return undefined;
  const sub = (k: Value) => {
    const entry = tree.get(keyOf(k));
    return entry === undefined ? undefined : entry.child;
  };
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const r = removeValue(x, sub(String(i)));
      if (r !== undefined) out.push(r);
    });
    return out;
  }
  if (isSet(v)) {
    const out = new SetValue();
    for (const x of v.values()) {
      const r = removeValue(x, sub(x));
      if (r !== undefined) out.add(r);
    }
    return out;
  }
  if (isObject(v)) {
    const out = new ObjectBuilder();
    for (const [k, x] of objectEntries(v)) {
      const r = removeValue(x, sub(k));
      if (r !== undefined) out.set(k, r);
    }
    return out.build();
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// json.patch

class PatchFailure extends Error {}

function fail(message: string): never {
  throw new PatchFailure(message);
}

const MAX_INT64 = 9223372036854775807n;

/** An array index from a path segment: an integer, an integer string without leading zeros, or "-" (the end). */
function toIndex(length: number, key: Value): number {
  if (typeof key === "number" || typeof key === "bigint") {
    if (typeof key === "number" && !Number.isInteger(key)) fail("invalid number type for indexing");
    return Number(key);
  }
  if (typeof key === "string") {
    if (key === "-") return length;
    if (!/^[+-]?\d+$/.test(key)) fail("invalid string for indexing");
    const big = BigInt(key);
    if (big > MAX_INT64 || big < -MAX_INT64 - 1n) fail("invalid string for indexing");
    if (key !== "0" && key.startsWith("0")) fail("leading zeros are not allowed in JSON paths");
    return Number(big);
  }
  return fail("invalid type for indexing");
}

/** The child of a composite value at a key, or a failure. */
function child(container: Value, key: Value): Value {
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i >= container.length) fail("path does not exist in array");
    return container[i]!;
  }
  if (isSet(container)) {
    if (!container.has(key)) fail("path does not exist in set");
    return key;
  }
  if (isObject(container)) {
    const v = objectGet(container, key);
    if (v === undefined) fail("path does not exist in object");
    return v;
  }
  return fail("expected composite type");
}

function replaceChild(container: Value, key: Value, old: Value, replacement: Value): Value {
  if (Array.isArray(container)) {
    const out = container.slice();
    out[toIndex(container.length, key)] = replacement;
    return out;
  }
  if (isSet(container)) {
    const oldKey = keyOf(old);
    const out = new SetValue([...container.values()].filter((v) => keyOf(v) !== oldKey));
    out.add(replacement);
    return out;
  }
  const b = new ObjectBuilder();
  for (const [k, v] of objectEntries(container as ObjectValue)) b.set(k, v);
  b.set(key, replacement);
  return b.build();
}

function insert(container: Value, key: Value, value: Value): Value {
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i > container.length) fail("index for array insertion out of bounds");
    return [...container.slice(0, i), value, ...container.slice(i)];
  }
  if (isSet(container)) {
    if (!equals(key, value)) fail("set key does not equal value to be inserted");
    const out = new SetValue(container.values());
    out.add(value);
    return out;
  }
  if (isObject(container)) {
    const b = new ObjectBuilder();
    const replaced = keyOf(key);
    for (const [k, v] of objectEntries(container)) if (keyOf(k) !== replaced) b.set(k, v);
    b.set(key, value);
    return b.build();
  }
  return fail("expected composite type");
}

function remove(container: Value, key: Value): Value {
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i >= container.length) fail("index for array delete out of bounds");
    return [...container.slice(0, i), ...container.slice(i + 1)];
  }
  if (isSet(container)) {
    if (!container.has(key)) fail("cannot delete child key that does not exist");
    const k = keyOf(key);
    return new SetValue([...container.values()].filter((v) => keyOf(v) !== k));
  }
  if (isObject(container)) {
    if (objectGet(container, key) === undefined) fail("cannot delete child key that does not exist");
    const k = keyOf(key);
    return pick(container, (x) => keyOf(x) !== k);
  }
  return fail("expected composite type");
}

/** The value at a path of a document (undefined: the document was removed). */
function getAt(doc: Value | undefined, path: Value[]): Value {
  if (doc === undefined) return fail("deleted node encountered");
  let v: Value = doc;
  for (const key of path) v = child(v, key);
  return v;
}

/** Rebuilds the document with `edit` applied to the parent of the path's last segment. */
function editAt(doc: Value | undefined, path: Value[], edit: (parent: Value, key: Value) => Value): Value {
  if (doc === undefined) return fail("deleted node encountered");
  if (path.length === 1) return edit(doc, path[0]!);
  const key = path[0]!;
  const old = child(doc, key);
  return replaceChild(doc, key, old, editAt(old, path.slice(1), edit));
}

function addAt(doc: Value | undefined, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return editAt(doc, path, (parent, key) => insert(parent, key, value));
}

function removeAt(doc: Value | undefined, path: Value[]): Value | undefined {
  if (path.length === 0) {
    if (doc === undefined) fail("deleted node encountered");
    return undefined;
  }
  return editAt(doc, path, remove);
}

function attribute(patch: ObjectValue, name: string): Value {
  const v = objectGet(patch, name);
  if (v === undefined) fail(`missing '${name}' attribute`);
  return v;
}

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

export function applyPatches(target: Value, patches: Value[]): Value | undefined {
  let doc: Value | undefined = target;
  try {
    for (const p of patches) {
      if (!isObject(p)) fail("must be an array of JSON-Patch objects, but at least one element is not an object");
      const op = attribute(p, "op");
      if (typeof op !== "string") fail("attribute 'op' must be a string");
      if (!OPS.has(op)) fail(`unrecognized op '${op}'`);
      const pathValue = attribute(p, "path");
      const fromValue = op === "move" || op === "copy" ? attribute(p, "from") : undefined;
      const value = op === "add" || op === "replace" || op === "test" ? attribute(p, "value") : undefined;
      const path = parsePathForPatch(pathValue);
      switch (op) {
        case "add":
          doc = addAt(doc, path, value!);
          break;
        case "remove":
          doc = removeAt(doc, path);
          break;
        case "replace":
          doc = addAt(removeAt(doc, path), path, value!);
          break;
        case "move": {
          const from = parsePathForPatch(fromValue!);
          const chunk = getAt(doc, from);
          doc = addAt(removeAt(doc, from), path, chunk);
          break;
        }
        case "copy": {
          const chunk = getAt(doc, parsePathForPatch(fromValue!));
          doc = addAt(doc, path, chunk);
          break;
        }
        case "test":
          if (!equals(getAt(doc, path), value!)) fail("value from EditTree != patch value");
          break;
      }
    }
  } catch (e) {
    if (e instanceof PatchFailure || e instanceof OperandError) return undefined;
    throw e;
  }
  return doc;
}

function parsePathForPatch(p: Value): Value[] {
  if (typeof p !== "string" && !Array.isArray(p)) fail("invalid path");
  return parsePath(p);
}

// ---------------------------------------------------------------------------------------------------------------

export function register(r: BuiltinRegistry): void {
  const anyObject = objectOf(any, any);
  const keys = union(arrayOf(any), setOf(any), anyObject);
  const jsonPathsType = union(arrayOf(union(string, arrayOf(any))), setOf(union(string, arrayOf(any))));
  const category = ["object"];

  r.register({
    name: "object.get",
    args: [
      { name: "object", type: anyObject, description: "object to get `key` from" },
      { name: "key", type: any, description: "key to lookup in `object`" },
      { name: "default", type: any, description: "default to use when lookup fails" },
    ],
    result: { name: "value", type: any, description: "`object[key]` if present, otherwise `default`" },
    description:
      "Returns value of an object's key if present, otherwise a default. If the supplied `key` is an `array`, then `object.get` will search through a nested object or array using each key in turn.",
    categories: category,
    impl: (args) => {
      const o = obj(args, 0);
      const [, key, fallback] = args;
      const found = Array.isArray(key) ? (key.length === 0 ? o : find(o, key)) : objectGet(o, key!);
      return found === undefined ? fallback : found;
    },
  });

  r.register({
    name: "object.keys",
    args: [{ name: "object", type: anyObject, description: "object to get keys from" }],
    result: { name: "value", type: setOf(any), description: "set of `object`'s keys" },
    description: "Returns a set of an object's keys.",
    categories: category,
    impl: (args) => new SetValue(objectEntries(obj(args, 0)).map(([k]) => k)),
  });

  r.register({
    name: "object.remove",
    args: [
      { name: "object", type: anyObject, description: "object to remove keys from" },
      { name: "keys", type: keys, description: "keys to remove from x" },
    ],
    result: { name: "output", type: any, description: "result of removing the specified `keys` from `object`" },
    description: "Removes specified keys from an object.",
    categories: category,
    impl: (args) => {
      const o = obj(args, 0);
      const drop = keysParam(args[1]);
      return pick(o, (k) => !drop.has(k));
    },
  });

  r.register({
    name: "object.filter",
    args: [
      { name: "object", type: anyObject, description: "object to filter keys" },
      { name: "keys", type: keys, description: "keys to keep in `object`" },
    ],
    result: { name: "filtered", type: any, description: "remaining data from `object` with only keys specified in `keys`" },
    description: "Filters the object by keeping only specified keys.",
    categories: category,
    impl: (args) => {
      const o = obj(args, 0);
      const keep = keysParam(args[1]);
      return pick(o, (k) => keep.has(k));
    },
  });

  r.register({
    name: "object.union",
    args: [
      { name: "a", type: anyObject, description: "left-hand object" },
      { name: "b", type: anyObject, description: "right-hand object" },
    ],
    result: {
      name: "output",
      type: any,
      description:
        "a new object which is the result of an asymmetric recursive union of two objects where conflicts are resolved by choosing the key from the right-hand object `b`",
    },
    description: "Creates a new object of the asymmetric union of two objects.",
    categories: category,
    impl: (args) => merge(obj(args, 0), obj(args, 1)),
  });

  r.register({
    name: "object.union_n",
    args: [{ name: "objects", type: arrayOf(anyObject), description: "list of objects to merge" }],
    result: {
      name: "output",
      type: any,
      description:
        "asymmetric recursive union of all objects in `objects`, merged from left to right, where conflicts are resolved by choosing the key from the right-hand object",
    },
    description: "Creates a new object that is the asymmetric union of all objects merged from left to right.",
    categories: category,
    impl: (args) => {
      const xs = arr(args, 0);
      // OPA walks the array from the back, so it reports the last element that is not an object
      for (let i = xs.length - 1; i >= 0; i--) if (!isObject(xs[i])) throw elementErr(1, xs, xs[i]!, "object");
      let out: ObjectValue = {};
      for (const x of xs) out = merge(out, x as ObjectValue);
      return out;
    },
  });

  r.register({
    name: "object.subset",
    args: [
      {
        name: "super",
        type: union(anyObject, setOf(any), arrayOf(any)),
        description: "object to test if sub is a subset of",
      },
      {
        name: "sub",
        type: union(anyObject, setOf(any), arrayOf(any)),
        description: "object to test if super is a superset of",
      },
    ],
    result: { name: "result", type: any, description: "`true` if `sub` is a subset of `super`" },
    description:
      "Determines if an object `sub` is a subset of another object `super`: recursively for objects, by membership for sets, as a contiguous run for arrays, and by membership when `super` is an array and `sub` a set.",
    categories: category,
    impl: ([sup, sub]) => subset(sup, sub),
  });

  r.register({
    name: "json.filter",
    args: [
      { name: "object", type: anyObject, description: "object to filter" },
      { name: "paths", type: jsonPathsType, description: "JSON string paths" },
    ],
    result: { name: "filtered", type: any, description: "remaining data from `object` with only keys specified in `paths`" },
    description:
      'Filters the object. For example: `json.filter({"a": {"b": "x", "c": "y"}}, ["a/b"])` will result in `{"a": {"b": "x"}}`. Paths are not filtered in-order and are deduplicated before being evaluated.',
    categories: category,
    impl: (args) => {
      const o = obj(args, 0);
      return filterValue(o, pathTree(jsonPaths(args[1])));
    },
  });

  r.register({
    name: "json.remove",
    args: [
      { name: "object", type: anyObject, description: "object to remove paths from" },
      { name: "paths", type: jsonPathsType, description: "JSON string paths" },
    ],
    result: { name: "output", type: any, description: "result of removing all keys specified in `paths`" },
    description:
      'Removes paths from an object. For example: `json.remove({"a": {"b": "x", "c": "y"}}, ["a/b"])` will result in `{"a": {"c": "y"}}`. Paths are not removed in-order and are deduplicated before being evaluated.',
    categories: category,
    impl: (args) => {
      const o = obj(args, 0);
      return removeValue(o, pathTree(jsonPaths(args[1])));
    },
  });

  r.register({
    name: "json.patch",
    args: [
      { name: "object", type: any, description: "the object to patch" },
      {
        name: "patches",
        type: arrayOf(objectOf(any, any)),
        description: "the JSON patches to apply",
      },
    ],
    result: {
      name: "output",
      type: any,
      description: "result obtained after consecutively applying all patch operations in `patches`",
    },
    description:
      "Patches an object according to RFC6902. The patches are applied atomically: if any of them fails, the result will be undefined. Additionally works on sets, where a value contained in the set is considered to be its path.",
    categories: category,
    impl: (args) => {
      const patches = arr(args, 1);
      return applyPatches(args[0]!, patches);
    },
  });
}
