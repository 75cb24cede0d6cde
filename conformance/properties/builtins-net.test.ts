// Laws of the net family (engine/builtins/net.ts): containment is reflexive and agrees with cidr_merge and
// cidr_expand; intersection is symmetric.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/net.js";
import { SetValue, type Value } from "../../engine/value/value.js";
import { callv, expectEq, familyDecls, holds, params, tableDriven } from "../laws.js";

export const family = "net";
export const laws = ["net.cidr_contains", "net.cidr_merge", "net.cidr_expand", "net.cidr_intersects", "net.cidr_overlap", "net.cidr_is_valid", "net.cidr_contains_matches"];

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(fc.constantFrom(10, 192), fc.constantFrom(0, 168), octet, octet).map((xs) => xs.join("."));
const cidr = fc.tuple(ip, fc.integer({ min: 20, max: 32 })).map(([a, n]) => `${a}/${n}`);

describe("net laws", () => {
  it("a valid CIDR contains itself and its address; intersects is symmetric", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(callv("net.cidr_is_valid", a)).toBe(true);
        expect(callv("net.cidr_contains", a, a)).toBe(true);
        expect(callv("net.cidr_contains", a, a.split("/")[0]!)).toBe(true);
        expect(callv("net.cidr_intersects", a, b)).toBe(callv("net.cidr_intersects", b, a));
        expect(callv("net.cidr_overlap", a, b.split("/")[0]!)).toBe(callv("net.cidr_contains", a, b.split("/")[0]!));
      }),
      params(),
    );
  });
  it("cidr_merge covers exactly the addresses of its inputs", () => {
    fc.assert(
      fc.property(fc.array(cidr, { minLength: 1, maxLength: 4 }), ip, (cs, probe) => {
        const merged = callv("net.cidr_merge", cs) as SetValue;
        for (const c of cs) expect(holds("some m in input[0]; net.cidr_contains(m, input[1])", [merged, c]), `${c} in merge`).toBe(true);
        const inInputs = cs.some((c) => callv("net.cidr_contains", c, probe) === true);
        const inMerged = merged.sorted().some((m) => callv("net.cidr_contains", m as string, probe) === true);
        expect(inMerged).toBe(inInputs);
      }),
      params(30),
    );
  });
  it("cidr_expand has 2^(32-n) addresses, each contained; contains_matches finds them", () => {
    fc.assert(
      fc.property(ip, fc.integer({ min: 29, max: 32 }), (a, n) => {
        const c = `${a}/${n}`;
        const all = callv("net.cidr_expand", c) as SetValue;
        expect(all.size).toBe(2 ** (32 - n));
        for (const x of all.sorted()) expect(callv("net.cidr_contains", c, x as string)).toBe(true);
        const matches = callv("net.cidr_contains_matches", [c], all.sorted() as Value[]) as SetValue;
        expectEq(matches.size, all.size);
      }),
      params(20),
    );
  });
});

describe("net: table-driven", () => tableDriven(familyDecls(register)));
