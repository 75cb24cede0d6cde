// Laws of the semver family (engine/builtins/semver.ts): compare is a total order (reflexive, antisymmetric,
// transitive on samples) and agrees with numeric comparison of x.y.z; is_valid accepts what we generate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/semver.js";
import { callv, familyDecls, params, tableDriven } from "../laws.js";

export const family = "semver";
export const laws = ["semver.compare", "semver.is_valid"];

const part = fc.integer({ min: 0, max: 12 });
const version = fc
  .tuple(part, part, part, fc.option(fc.constantFrom("alpha", "alpha.1", "beta", "rc.1", "1"), { nil: undefined }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? "" : `-${pre}`}`);

describe("semver laws", () => {
  it("compare is reflexive and antisymmetric; is_valid", () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(callv("semver.is_valid", a)).toBe(true);
        expect(callv("semver.compare", a, a)).toBe(0);
        expect(callv("semver.compare", a, b)).toBe(-(callv("semver.compare", b, a) as number) || 0);
      }),
      params(),
    );
  });
  it("compare is transitive and orders release versions numerically", () => {
    fc.assert(
      fc.property(version, version, version, fc.tuple(part, part, part), fc.tuple(part, part, part), (a, b, c, x, y) => {
        const ab = callv("semver.compare", a, b) as number;
        const bc = callv("semver.compare", b, c) as number;
        if (ab <= 0 && bc <= 0) expect(callv("semver.compare", a, c) as number).toBeLessThanOrEqual(0);
        const num = x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
        expect(callv("semver.compare", x.join("."), y.join("."))).toBe(Math.sign(num));
        expect(callv("semver.compare", `${x.join(".")}-rc.1`, x.join("."))).toBe(-1);
      }),
      params(),
    );
  });
});

describe("semver: table-driven", () => tableDriven(familyDecls(register)));
