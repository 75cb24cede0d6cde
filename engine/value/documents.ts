// Operations on data documents shared by both engines: reading a path, replacing a value at a path (`with`),
// merging the documents rules and data files give one path, inserting rule results under their keys.
import type { Location } from "../../lang/ast.js";
import { EvalError } from "../errors.js";
import { equals, isObject, isSet, ObjectBuilder, objectGet, SetValue, sortedEntries, type ObjectValue, type Value } from "./value.js";

export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
}

/** The value at a path of string keys, or undefined. */
export function indexPath(v: Value | undefined, path: readonly string[]): Value | undefined {
  let cur = v;
  for (const p of path) {
    if (cur === undefined || cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = cur instanceof SetValue ? (cur.has(p) ? p : undefined) : objectGet(cur as ObjectValue, p);
  }
  return cur;
}

/** Replaces the value at a path in a document, creating objects on the way (`with input.a.b as v`). */
export function patch(doc: Value | undefined, path: readonly string[], value: Value): Value {
  if (path.length === 0) return value;
  const b = new ObjectBuilder();
  if (doc !== undefined && isObject(doc)) for (const [k, v] of sortedEntries(doc)) b.set(k, v);
  const [first, ...rest] = path;
  b.set(first!, patch(doc !== undefined && isObject(doc) ? objectGet(doc, first!) : undefined, rest, value));
  return b.build();
}

/**
 * Merges two documents of one path: objects key by key, sets (multi-value rules) add up, others must be equal.
 * `leafDepth` is how deep the objects are keys of rules with variables in their heads: below it are rule values,
 * which another rule may not extend (`p[q].r := {…}` and `p.q.r.s := 1` conflict).
 */
export function mergeDocs(a: Value | undefined, b: Value | undefined, path: readonly string[], leafDepth = Infinity): Value | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (isObject(a) && isObject(b) && leafDepth > 0) {
    const out = new ObjectBuilder();
    for (const [k, v] of sortedEntries(a)) out.set(k, v);
    for (const [k, v] of sortedEntries(b)) {
      const prev = out.get(k);
      out.set(k, prev === undefined ? v : (mergeDocs(prev, v, [...path, String(k)], leafDepth - 1) as Value));
    }
    return out.build();
  }
  if (isSet(a) && isSet(b)) return new SetValue([...a.values(), ...b.values()]);
  if (equals(a, b)) return a;
  throw new EvalError("eval_conflict_error", `object keys must be unique (data.${path.join(".")})`);
}

/** Puts a value at a key path inside a document built by rules with variables in their heads. */
export function insertAt(doc: Value | undefined, keys: readonly Value[], value: Value, union: boolean, loc?: Location): Value {
  if (keys.length === 0) {
    if (doc === undefined) return value;
    if (union && isSet(doc) && isSet(value)) return new SetValue([...doc.values(), ...value.values()]);
    if (equals(doc, value)) return doc;
    throw new EvalError("eval_conflict_error", "object keys must be unique", loc);
  }
  if (doc !== undefined && !isObject(doc)) throw new EvalError("eval_conflict_error", "object keys must be unique", loc);
  const b = new ObjectBuilder();
  if (doc !== undefined) for (const [k, v] of sortedEntries(doc)) b.set(k, v);
  const [first, ...rest] = keys;
  b.set(first!, insertAt(b.get(first!), rest, value, union, loc));
  return b.build();
}
