// Small fast-check combinators over string fragments, shared by the Rego text generators.
import fc from "fast-check";

export type Arb = fc.Arbitrary<string>;
export type Part = Arb | string;

function lift(p: Part): Arb {
  return typeof p === "string" ? fc.constant(p) : p;
}

/** Concatenation of fragments. */
export function seq(...parts: Part[]): Arb {
  return fc.tuple(...parts.map(lift)).map((xs) => xs.join(""));
}

export function weighted(...alts: [number, Part][]): Arb {
  return fc.oneof(...alts.filter(([w]) => w > 0).map(([weight, arbitrary]) => ({ weight, arbitrary: lift(arbitrary) })));
}

export function opt(p: Part, weight = 1, noneWeight = 1): Arb {
  return weighted([noneWeight, ""], [weight, p]);
}

export function listOf(item: Arb, min: number, max: number): fc.Arbitrary<string[]> {
  return fc.array(item, { minLength: min, maxLength: Math.max(min, max) });
}
