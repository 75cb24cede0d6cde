// Laws of the objects family (engine/builtins/objects.ts): object.union (right wins, associative), get/keys/remove/
// filter/subset, union_n, json.filter / json.remove / json.patch on top-level keys.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/objects.js";
import { objectEntries, objectGet, SetValue, type ObjectValue, type Value } from "../../engine/value/value.js";
import { objectValue, smallString, stringObject, value } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "objects";
export const laws = ["object.union", "object.union_n", "object.get", "object.keys", "object.remove", "object.filter", "object.subset", "json.filter", "json.remove", "json.patch"];

const flat = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), value({ depth: 1 }), { maxKeys: 4 }) as fc.Arbitrary<Value>;

describe("objects laws", () => {
  it("object.union: right wins for each key, associative (for flat objects)", () => {
    fc.assert(
      fc.property(objectValue, objectValue, objectValue, (a, b, c) => {
        const u = callv("object.union", a, b) as ObjectValue;
        for (const [k] of objectEntries(a as ObjectValue)) {
          const fromB = objectGet(b as ObjectValue, k);
          expectEq(objectGet(u, k), fromB !== undefined ? fromB : objectGet(a as ObjectValue, k));
        }
        for (const [k, v] of objectEntries(b as ObjectValue)) if (objectGet(a as ObjectValue, k) === undefined) expectEq(objectGet(u, k), v);
        expectEq(val("object.union(object.union(input[0], input[1]), input[2])", [a, b, c]), val("object.union(input[0], object.union(input[1], input[2]))", [a, b, c]));
        expectEq(callv("object.union_n", [a, b, c]), val("object.union(object.union(input[0], input[1]), input[2])", [a, b, c]));
      }),
      params(),
    );
  });
  it("keys, get, remove, filter partition an object; subset", () => {
    fc.assert(
      fc.property(objectValue, fc.array(fc.oneof(smallString, fc.constantFrom("a", "b")), { maxLength: 3 }), (o, ks) => {
        const keys = callv("object.keys", o) as SetValue;
        expectEq(keys, new SetValue(objectEntries(o as ObjectValue).map(([k]) => k)));
        for (const [k, v] of objectEntries(o as ObjectValue)) expectEq(callv("object.get", o, k, "dflt"), v);
        expectEq(callv("object.get", o, "no such key \u0001", "dflt"), "dflt");
        const removed = callv("object.remove", o, ks) as ObjectValue;
        const kept = callv("object.filter", o, ks) as ObjectValue;
        for (const k of ks) expect(objectGet(removed, k)).toBeUndefined();
        expectEq(callv("object.union", removed, kept), o);
        expect(callv("object.subset", o, kept)).toBe(true);
        expect(callv("object.subset", o, removed)).toBe(true);
        expect(callv("object.subset", o, o)).toBe(true);
      }),
      params(),
    );
  });
  it("json.filter / json.remove on top-level paths are object.filter / object.remove", () => {
    fc.assert(
      fc.property(stringObject, fc.array(fc.constantFrom("a", "b", "x"), { maxLength: 3 }), (o, ks) => {
        expectEq(callv("json.filter", o, ks), callv("object.filter", o, ks));
        expectEq(callv("json.remove", o, ks), callv("object.remove", o, ks));
      }),
      params(),
    );
  });
  it("json.patch add then remove restores a flat object; replace sets the value", () => {
    fc.assert(
      fc.property(flat, value({ depth: 1 }), (o, v) => {
        const hasZ = false;
        const added = callv("json.patch", o, [{ op: "add", path: "/z", value: v }]) as ObjectValue;
        expectEq(objectGet(added, "z"), v);
        expectEq(callv("json.patch", added, [{ op: "remove", path: "/z" }]), hasZ ? added : o);
        expectEq(objectGet(callv("json.patch", added, [{ op: "replace", path: "/z", value: 1 }]) as ObjectValue, "z"), 1);
      }),
      params(),
    );
  });
});

describe("objects: table-driven", () => tableDriven(familyDecls(register)));
