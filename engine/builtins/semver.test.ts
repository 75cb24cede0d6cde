import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";
import { register } from "./semver.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx: BuiltinContext = { nowNs: 0n, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);
const compare = (a: string, b: string): Value | undefined => call("semver.compare", a, b);

describe("semver.compare", () => {
  // [greater, lesser]: SemVer 2.0.0 precedence
  it.each([
    ["0.0.0", "0.0.0-foo"],
    ["0.0.1", "0.0.0"],
    ["1.0.0", "0.9.9"],
    ["0.10.0", "0.9.0"],
    ["0.99.0", "0.10.0"],
    ["2.0.0", "1.2.3"],
    ["1.2.3", "1.2.3-asdf"],
    ["1.2.3", "1.2.3-4"],
    ["1.2.3", "1.2.3-4-foo"],
    ["1.2.3-5-foo", "1.2.3-5"],
    ["1.2.3-5", "1.2.3-4"],
    ["1.2.3-5-foo", "1.2.3-5-Foo"],
    ["3.0.0", "2.7.2+asdf"],
    ["3.0.0+foobar", "2.7.2"],
    ["1.2.3-a.10", "1.2.3-a.5"],
    ["1.2.3-a.b", "1.2.3-a.5"],
    ["1.2.3-a.b", "1.2.3-a"],
    ["1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100"],
    ["1.0.0", "1.0.0-rc.1"],
    ["1.0.0-rc.2", "1.0.0-rc.1"],
    ["1.0.0-rc.1", "1.0.0-beta.11"],
    ["1.0.0-beta.11", "1.0.0-beta.2"],
    ["1.0.0-beta.2", "1.0.0-beta"],
    ["1.0.0-beta", "1.0.0-alpha.beta"],
    ["1.0.0-alpha.beta", "1.0.0-alpha.1"],
    ["1.0.0-alpha.1", "1.0.0-alpha"],
    ["1.2.3-rc.1-1-1hash", "1.2.3-rc.2"],
    ["10.0.0", "9.99.99"],
    ["9223372036854775807.0.0", "9223372036854775806.0.0"],
  ])("%s > %s", (greater, lesser) => {
    expect(compare(greater, lesser)).toBe(1);
    expect(compare(lesser, greater)).toBe(-1);
  });

  it("ignores build metadata", () => {
    expect(compare("1.0.0+a", "1.0.0+b")).toBe(0);
    expect(compare("1.0.0-rc.1+a", "1.0.0-rc.1")).toBe(0);
    expect(compare("1.0.0", "1.0.0")).toBe(0);
  });

  it("fails on versions that are not SemVer", () => {
    expect(() => compare("1.0.0", "1")).toThrow('operand 2: string "1" is not a valid SemVer');
    expect(() => compare("x", "1.0.0")).toThrow('operand 1: string "x" is not a valid SemVer');
    expect(() => call("semver.compare", "1.0.0", 1)).toThrow("operand 2 must be string but got number");
  });
});

describe("semver.is_valid", () => {
  it.each(["1.0.0", "0.0.0", "1.2.3-alpha", "1.2.3-alpha.1", "1.2.3+build.5", "1.2.3-rc.1+build.5", "1.2.3-a-b--c", "01.2.3"])(
    "%s is valid",
    (v) => {
      expect(call("semver.is_valid", v)).toBe(true);
    },
  );

  it.each(["1.2", "1.2.3x", "0x1.3.4", "-1.2.3", "1.2.3.4", "0.88.0-11_e4e5dcabb", "0.88.0+11_e4e5dcabb", "v1.2.3", "", "1.2.3-a..b", "a.b.c", "99999999999999999999.0.0"])(
    "%j is not valid",
    (v) => {
      expect(call("semver.is_valid", v)).toBe(false);
    },
  );

  it("is false for non-strings", () => {
    expect(call("semver.is_valid", 1)).toBe(false);
    expect(call("semver.is_valid", null)).toBe(false);
    expect(call("semver.is_valid", ["1.0.0"])).toBe(false);
  });
});
