// Helpers for the built-in law properties (conformance/properties/builtins-*.test.ts): expressions are evaluated
// through the engine, by both evaluators, with generated values bound to `input`; every evaluation also checks
// that the compiled engine and the reference interpreter agree (value, undefined, or error code).
import fc from "fast-check";
import { expect, it } from "vitest";
import { Policy } from "../engine/engine.js";
import { BuiltinRegistry, type BuiltinDecl } from "../engine/builtins/registry.js";
import type { Type } from "../engine/builtins/types.js";
import { equals, makeObject, SetValue, stringifyValue, typeName, type Value } from "../engine/value/value.js";
import { NOW_NS, sameOutcome, showOutcome, type Outcome } from "./differential.js";
import { numberValue, smallString, value as anyValue, asciiWord } from "./arbitraries/values.js";

export const SEED = Number(process.env["FC_SEED"] ?? 20241122);
const SCALE = Number(process.env["FC_RUNS"] ?? 0);
export const runs = (n: number): number => (SCALE > 0 ? SCALE : n);
/** fc.assert parameters: the fixed seed (FC_SEED) and the runs (FC_RUNS overrides). */
export const params = (n = 60): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(n) });

const POLICY = Policy.compile([{ file: "laws.rego", text: "package laws\n" }]);

function run(q: string, input: Value | undefined, engine: "compiled" | "reference"): Outcome {
  try {
    const rows = POLICY.query(q, { input, engine, nowNs: NOW_NS, maxSteps: 1_000_000 });
    return { kind: "value", value: rows.length === 0 ? undefined : ("x" in rows[0]! ? rows[0]!["x"] : true) };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    return { kind: "error", code: typeof err.code === "string" ? err.code : `internal`, message: String(err.message ?? e) };
  }
}

/** Evaluates `x := <expr>` with both engines; throws when they disagree; returns the outcome. */
export function both(expr: string, input?: Value, nondeterministic = false): Outcome {
  const q = `x := ${expr}`;
  const c = run(q, input, "compiled");
  const r = run(q, input, "reference");
  const same = nondeterministic ? c.kind === r.kind && (c.kind === "error" ? sameOutcome(c, r) : typeName(c.value) === typeName((r as { value: Value | undefined }).value)) : sameOutcome(c, r);
  if (!same) {
    throw new Error(`engines disagree on ${q} with input ${input === undefined ? "-" : stringifyValue(input)}: compiled ${showOutcome(c)}; reference ${showOutcome(r)}`);
  }
  return c;
}

/** Whether a query body (`some x in input; x > 1`) holds, by both engines (which must agree); throws on errors. */
export function holds(body: string, input?: Value): boolean {
  const c = run(body, input, "compiled");
  const r = run(body, input, "reference");
  const show = (o: Outcome) => (o.kind === "error" ? `error ${o.code}: ${o.message}` : o.value === undefined ? "no solution" : "holds");
  if (c.kind === "error" || r.kind === "error" || (c.value === undefined) !== (r.value === undefined)) {
    if (!sameOutcome(c, r) || c.kind === "error") throw new Error(`${body} with input ${input === undefined ? "-" : stringifyValue(input)}: compiled ${show(c)}; reference ${show(r)}`);
  }
  return c.kind === "value" && c.value !== undefined;
}

/** The value of an expression (undefined when undefined); throws on errors and disagreements. */
export function val(expr: string, input?: Value, nondeterministic = false): Value | undefined {
  const o = both(expr, input, nondeterministic);
  if (o.kind === "error") throw new Error(`${expr} with input ${input === undefined ? "-" : stringifyValue(input)}: error ${o.code}: ${o.message}`);
  return o.value;
}

/** A built-in called with values (bound through input), by both engines. */
export function call(name: string, ...args: Value[]): Outcome {
  return both(`${name}(${args.map((_, i) => `input[${i}]`).join(", ")})`, args);
}

/** A nondeterministic built-in: the engines agree on the outcome's kind and the result's type. */
export function callNondeterministic(name: string, ...args: Value[]): Outcome {
  return both(`${name}(${args.map((_, i) => `input[${i}]`).join(", ")})`, args, true);
}

/** The value of a built-in call; throws on errors. */
export function callv(name: string, ...args: Value[]): Value | undefined {
  const o = call(name, ...args);
  if (o.kind === "error") throw new Error(`${name}(${args.map(stringifyValue).join(", ")}): error ${o.code}: ${o.message}`);
  return o.value;
}

export function expectEq(got: Value | undefined, want: Value | undefined, what = ""): void {
  if (got === undefined || want === undefined) {
    expect(got, what).toBe(want);
    return;
  }
  if (!equals(got, want)) throw new Error(`${what}: got ${stringifyValue(got)}, want ${stringifyValue(want)}`);
}

/** Arbitrary values of a declared argument type (strings and numbers biased to small, interesting ones). */
export function ofType(t: Type, depth = 2): fc.Arbitrary<Value> {
  switch (t.kind) {
    case "any":
      return anyValue({ depth });
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "number":
      return fc.oneof(fc.integer({ min: -3, max: 40 }), numberValue);
    case "string":
      return fc.oneof(smallString, asciiWord, fc.constantFrom("", "a,b", "1", "2.5", "10.0.0.0/30", "1.2.3", "2024-01-02T03:04:05Z", "abc"));
    case "array":
      return fc.array(ofType(t.of, depth - 1), { maxLength: depth > 0 ? 4 : 0 });
    case "set":
      return fc.array(ofType(t.of, depth - 1), { maxLength: depth > 0 ? 4 : 0 }).map((xs) => new SetValue(xs) as Value);
    case "object":
      return fc.array(fc.tuple(ofType(t.key, 0), ofType(t.value, depth - 1)), { maxLength: depth > 0 ? 3 : 0 }).map((es) => makeObject(es) as Value);
    case "union":
      return fc.oneof(...t.of.map((x) => ofType(x, depth)));
  }
}

/** The built-ins one family file registers. */
export function familyDecls(register: (r: BuiltinRegistry) => void): BuiltinDecl[] {
  const r = new BuiltinRegistry();
  register(r);
  return r.all();
}

/**
 * The table-driven property of a family: for each built-in, random arguments of its declared types (and, for
 * some, of any type): the engines agree, and a deterministic built-in gives the same outcome twice.
 */
export function tableDriven(decls: BuiltinDecl[], n = 25, overrides: Record<string, fc.Arbitrary<Value[]>> = {}): void {
  for (const d of decls) {
    if (d.name === "print") continue; // variadic, writes output: covered by the debugging laws
    it(`${d.name}: engines agree on random arguments${d.nondeterministic ? "" : " and it is deterministic"}`, () => {
      const typed = overrides[d.name] ?? fc.tuple(...d.args.map((a) => ofType(a.type)));
      const wrong = fc.tuple(...d.args.map(() => anyValue({ depth: 1 })));
      fc.assert(
        fc.property(fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: wrong }), (args) => {
          const a = d.nondeterministic ? callNondeterministic(d.name, ...args) : call(d.name, ...args);
          if (!d.nondeterministic) {
            const b = call(d.name, ...args);
            if (!sameOutcome(a, b)) throw new Error(`${d.name} is not deterministic: ${showOutcome(a)} then ${showOutcome(b)}`);
          }
        }),
        params(n),
      );
    });
  }
}
