import { describe, expect, it } from "vitest";
import { MapObject, SetValue, type Value } from "../value/value.js";
import { register } from "./comparison.js";
import { BuiltinRegistry } from "./registry.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx = { nowNs: 0n, print: () => {}, cache: new Map<string, unknown>() };
const call = (name: string, x: Value, y: Value) => registry.get(name)!.impl([x, y], ctx);

describe("comparison", () => {
  it("declares the six operators with their infix forms", () => {
    const infix = Object.fromEntries(registry.all().map((d) => [d.name, d.infix]));
    expect(infix).toEqual({ equal: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" });
  });

  it("compares numbers exactly, integers of any size and floats alike", () => {
    expect(call("equal", 1, 1)).toBe(true);
    expect(call("equal", 1, 1.0)).toBe(true);
    expect(call("neq", 28857836529306024611913n, 28857836529306024611912n)).toBe(true);
    expect(call("lt", 28857836529306024611912n, 28857836529306024611913n)).toBe(true);
    expect(call("gt", 9007199254740993n, 9007199254740992)).toBe(true);
    expect(call("lte", 2.5, 2.5)).toBe(true);
    expect(call("gte", -1, -0.5)).toBe(false);
    expect(call("equal", 9007199254740992n, 9007199254740992)).toBe(true);
  });

  it("orders across types: null < boolean < number < string < array < object < set", () => {
    const ordered: Value[] = [null, false, true, -1, 0, 1e300, "", "a", [], [1], {}, { a: 1 }, new SetValue(), SetValue.of(1)];
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(call("lt", ordered[i]!, ordered[i + 1]!)).toBe(true);
      expect(call("gt", ordered[i + 1]!, ordered[i]!)).toBe(true);
      expect(call("equal", ordered[i]!, ordered[i + 1]!)).toBe(false);
    }
  });

  it("compares strings by code point, composites structurally", () => {
    expect(call("lt", "a", "b")).toBe(true);
    expect(call("lt", "Z", "a")).toBe(true);
    expect(call("lt", "\uffff", "😀")).toBe(true);
    expect(call("lt", [1, 2], [1, 3])).toBe(true);
    expect(call("lt", [1, 2], [1, 2, 0])).toBe(true);
    expect(call("equal", { a: [1, SetValue.of(2, 3)] }, { a: [1, SetValue.of(3, 2)] })).toBe(true);
    expect(call("equal", new MapObject([[1, "x"]]), new MapObject([[1.0, "x"]]))).toBe(true);
    expect(call("neq", { a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(call("lt", { a: 1 }, { b: 0 })).toBe(true);
  });
});
