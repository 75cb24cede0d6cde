// json.patch: RFC 6902 JSON Patch as OPA applies it (sets are patched by member; any failing operation makes the
// result undefined).
import {
  equals,
  isObject,
  isSet,
  keyOf,
  ObjectBuilder,
  objectEntries,
  objectGet,
  SetValue,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { OperandError } from "./operands.js";
import { parsePath, pick } from "./json-paths.js";

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
