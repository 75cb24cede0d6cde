// Object built-ins: object.get, object.keys, object.remove, object.union, object.union_n, object.filter,
// object.subset, and the JSON-path ones json.filter, json.remove (json-paths.ts) and json.patch (json-patch.ts).
import {
  equals,
  isObject,
  isSet,
  MapObject,
  ObjectBuilder,
  objectEntries,
  objectGet,
  SetValue,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { arr, obj } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { elementErr, OperandError, typeErr } from "./operands.js";
import { filterValue, jsonPaths, pathTree, pick, removeValue } from "./json-paths.js";
import { applyPatches } from "./json-patch.js";
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

/** object.union: b's entries over a's, merging where both values are objects. */
export function merge(a: ObjectValue, b: ObjectValue): ObjectValue {
  // with nothing on one side the other is the union (values are immutable: no copy needed)
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const out = new ObjectBuilder();
  for (const [k, v] of objectEntries(a)) out.set(k, v);
  for (const [k, v] of objectEntries(b)) {
    const old = out.get(k);
    out.set(k, old !== undefined && isObject(old) && isObject(v) ? merge(old, v) : v);
  }
  return out.build();
}

function isEmpty(o: ObjectValue): boolean {
  if (o instanceof MapObject) return o.size === 0;
  for (const k in o) if (Object.hasOwn(o, k)) return false;
  return true;
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
