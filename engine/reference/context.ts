// The reference interpreter's shared pieces: its program and options, the evaluation context (what `with`
// replaced, the documents computed under it), and small helpers on values.
import type * as A from "../../lang/ast.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import type { RuleNode } from "../compile/rule-tree.js";
import { walkPairs } from "../builtins/debugging.js";
import { equals, isObject, isSet, MapObject, objectGet, sortedEntries, type ObjectValue, type Value } from "../value/value.js";

export type Env = ReadonlyMap<string, Value>;


export interface Program {
  rules: RuleNode;
  data: Value;
  builtins: BuiltinRegistry;
}

export interface EvalOptions {
  input?: Value;
  strictBuiltinErrors?: boolean;
  nowNs?: bigint;
  print?: (message: string) => void;
  /** Evaluation steps allowed before the query ends with eval_limit_error. */
  maxSteps?: number;
  /** Milliseconds the query may run before it ends with eval_limit_error. */
  timeoutMs?: number;
  /** Called with the location of each literal each time it holds, and of each rule head whose value is produced. */
  coverage?: (loc: A.Location) => void;
}

/** What `with` has replaced, and the documents computed under it. */
export interface Context {
  input: Value | undefined;
  dataOverrides: { path: string[]; value: Value }[];
  fnOverrides: Map<string, A.Term>;
  docs: Map<string, Value | undefined>;
  fnResults: Map<string, Value | undefined>;
}

export const UNDEFINED_DOC = Symbol("undefined");

/** [key, value] pairs of a collection in Rego's iteration order; none for scalars. */
export function members(v: Value): [Value, Value][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (isSet(v)) return v.sorted().map((x) => [x, x]);
  if (isObject(v)) return sortedEntries(v);
  return [];
}

export function hasMember(coll: Value, value: Value, key: Value | undefined): boolean {
  if (key === undefined) {
    if (isSet(coll)) return coll.has(value);
    return members(coll).some(([, v]) => equals(v, value));
  }
  if (isSet(coll)) return coll.has(value) && equals(key, value);
  const v = index(coll, key);
  return v !== undefined && equals(v, value);
}

export function index(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key === "number" && Number.isInteger(key) && key >= 0 && key < v.length) return v[key];
    return undefined;
  }
  if (isSet(v)) return v.has(key) ? key : undefined;
  if (isObject(v)) return objectGet(v, key);
  return undefined;
}

export function objectSizeOf(v: ObjectValue): number {
  return v instanceof MapObject ? v.size : Object.keys(v).length;
}

/** `walk(x)`: every [path, value] pair of a document, as a relation (one result per pair). */
export function walk(root: Value): Value[] {
  return Object.assign(walkPairs(root), { relation: true });
}
