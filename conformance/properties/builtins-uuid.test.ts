// Laws of the uuid family (engine/builtins/uuid.ts): rfc4122 gives version-4 UUIDs, stable per seed within a
// query; uuid.parse reads them back.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/uuid.js";
import type { ObjectValue } from "../../engine/value/value.js";
import { objectGet } from "../../engine/value/value.js";
import { callv, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "uuid";
export const laws = ["uuid.rfc4122", "uuid.parse"];

describe("uuid laws", () => {
  it("rfc4122 is a v4 UUID, the same for a seed within one query, and parses", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (seed) => {
        const u = val("uuid.rfc4122(input)", seed, true) as string;
        expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(val("uuid.rfc4122(input) == uuid.rfc4122(input)", seed)).toBe(true);
        const parsed = callv("uuid.parse", u) as ObjectValue;
        expect(objectGet(parsed, "version")).toBe(4);
        expect(objectGet(parsed, "variant")).toBe("RFC4122");
      }),
      params(30),
    );
  });
});

describe("uuid: table-driven", () => tableDriven(familyDecls(register)));
