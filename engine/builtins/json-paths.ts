// JSON paths ("/a/b/0" with ~1 and ~0 escapes, or arrays of segments) and the path trees json.filter and json.remove
// keep or cut.
import {
  isObject,
  isSet,
  keyOf,
  ObjectBuilder,
  objectEntries,
  SetValue,
  typeName,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { operandErr, typeErr } from "./operands.js";

/** An object with only the entries whose keys `keep` accepts. */
export function pick(o: ObjectValue, keep: (k: Value) => boolean): ObjectValue {
  const b = new ObjectBuilder();
  for (const [k, v] of objectEntries(o)) if (keep(k)) b.set(k, v);
  return b.build();
}

/** One level of a path tree: key → subtree, or null where a path ends (OPA's object of objects and nulls). */
export type PathTree = Map<string, { key: Value; child: PathTree | null }>;

/** A JSON path: "/a/b/0" (with ~1 for "/" and ~0 for "~") or an array of segments. */
export function parsePath(p: Value): Value[] {
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

export function jsonPaths(v: Value | undefined): Value[][] {
  if (Array.isArray(v)) return v.map(parsePath);
  if (isSet(v)) return v.sorted().map(parsePath);
  throw typeErr(2, v, "set", "array");
}

export function pathTree(paths: Value[][]): PathTree {
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
export function filterValue(v: Value, tree: PathTree | null): Value {
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
export function removeValue(v: Value, tree: PathTree | null | undefined): Value | undefined {
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
