// Laws of the units family (engine/builtins/units.ts): SI and binary suffixes scale by 1000 and 1024.
import fc from "fast-check";
import { describe, it } from "vitest";
import { register } from "../../engine/builtins/units.js";
import { callv, expectEq, familyDecls, params, tableDriven } from "../laws.js";

export const family = "units";
export const laws = ["units.parse", "units.parse_bytes"];

describe("units laws", () => {
  it("parse_bytes: K/Ki/M/Mi suffixes; parse: k/M/m suffixes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        expectEq(callv("units.parse_bytes", `${n}`), n);
        expectEq(callv("units.parse_bytes", `${n}KiB`), n * 1024);
        expectEq(callv("units.parse_bytes", `${n}KB`), n * 1000);
        expectEq(callv("units.parse_bytes", `${n}Mi`), n * 1024 * 1024);
        expectEq(callv("units.parse", `${n}k`), n * 1000);
        expectEq(callv("units.parse", `${n}M`), n * 1e6);
        expectEq(callv("units.parse", `${n}`), n);
        expectEq(callv("units.parse", `${n * 1000}m`), n);
      }),
      params(),
    );
  });
});

describe("units: table-driven", () => tableDriven(familyDecls(register)));
