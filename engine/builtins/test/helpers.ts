// Test helpers for built-in families: a registry holding one family, and calls that expect a result or an error.
import { expect } from "vitest";
import { SetValue, type Value } from "../../value/value.js";
import { BuiltinError, BuiltinRegistry, type BuiltinContext } from "../registry.js";

export function newContext(): BuiltinContext {
  return { nowNs: 0n, print: () => {}, cache: new Map() };
}

export interface FamilyUnderTest {
  registry: BuiltinRegistry;
  /** Calls a built-in (checking its arity); returns its result. */
  call(name: string, ...args: Value[]): Value | undefined;
  /** Calls a built-in that must fail; returns [code, message]. */
  failure(name: string, ...args: Value[]): [string, string];
}

export function family(register: (r: BuiltinRegistry) => void, ctx: BuiltinContext = newContext()): FamilyUnderTest {
  const registry = new BuiltinRegistry();
  register(registry);
  const call = (name: string, ...args: Value[]): Value | undefined => {
    const decl = registry.get(name);
    if (!decl) throw new Error(`no built-in ${name}`);
    if (!decl.variadic) expect(args.length, `${name}'s arguments`).toBe(decl.args.length);
    return decl.impl(args, ctx);
  };
  const failure = (name: string, ...args: Value[]): [string, string] => {
    try {
      call(name, ...args);
    } catch (e) {
      if (e instanceof BuiltinError) return [e.code, e.message];
      throw e;
    }
    throw new Error(`${name} did not fail`);
  };
  return { registry, call, failure };
}

/** A set of the given members. */
export const S = (...xs: Value[]): SetValue => new SetValue(xs);
