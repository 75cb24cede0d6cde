// Argument readers for built-in implementations: each returns the typed argument or throws OperandTypeError
// with OPA's wording ("operand 2 must be string but got number").
import { isObject, isSet, SetValue, type ObjectValue, type Value } from "../value/value.js";
import { OperandTypeError } from "./registry.js";

export function str(args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== "string") throw new OperandTypeError(i + 1, "string", v);
  return v;
}

export function num(args: Value[], i: number): number | bigint {
  const v = args[i];
  if (typeof v !== "number" && typeof v !== "bigint") throw new OperandTypeError(i + 1, "number", v);
  return v;
}

/** A number that must be an integer (as a JS number; bigints beyond 2^53 are refused). */
export function int(args: Value[], i: number): number {
  const v = num(args, i);
  const n = Number(v);
  if (!Number.isInteger(n)) throw new OperandTypeError(i + 1, "integer", v);
  return n;
}

export function bool(args: Value[], i: number): boolean {
  const v = args[i];
  if (typeof v !== "boolean") throw new OperandTypeError(i + 1, "boolean", v);
  return v;
}

export function arr(args: Value[], i: number): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) throw new OperandTypeError(i + 1, "array", v);
  return v;
}

export function set(args: Value[], i: number): SetValue {
  const v = args[i];
  if (!isSet(v)) throw new OperandTypeError(i + 1, "set", v);
  return v;
}

export function obj(args: Value[], i: number): ObjectValue {
  const v = args[i];
  if (!isObject(v)) throw new OperandTypeError(i + 1, "object", v);
  return v;
}

/** An array or a set, as a list of members (sets in sorted order). */
export function arrayOrSet(args: Value[], i: number): Value[] {
  const v = args[i];
  if (Array.isArray(v)) return v;
  if (isSet(v)) return v.sorted();
  throw new OperandTypeError(i + 1, "any<array[any], set[any]>", v);
}
