import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";
import { register } from "./units.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx: BuiltinContext = { nowNs: 0n, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);
const parse = (s: string): Value | undefined => call("units.parse", s);
const bytes = (s: string): Value | undefined => call("units.parse_bytes", s);

describe("units.parse", () => {
  it.each([
    ["0", 0],
    ["0.0", 0],
    [".0", 0],
    ["12345", 12345],
    ["10K", 10000],
    ["10k", 10000],
    ["10KI", 10240],
    ["10Ki", 10240],
    ["100ki", 102400],
    ["200M", 200000000],
    ["100mi", 104857600],
    ["100Mi", 104857600],
    ["300Gi", 322122547200],
    ["100g", 100000000000],
    ["100t", 100000000000000],
    ["100Ti", 109951162777600],
    ['"100TI"', 109951162777600],
    ["100p", 100000000000000000n],
    ["100Pi", 112589990684262400n],
    ["1.1K", 1100],
    ["1.1Ki", 1126.4],
    [".5K", 500],
    ["1.5K", 1500],
    ["100m", 0.1],
    ["1500m", 1.5],
    ["5.K", 5000],
    ["1.5e-2K", 15],
    ["1e-3K", 1],
    ["2.5e6M", 2500000000000],
    ["1G", 1000000000],
    ["-1.5m", -0.0015],
  ])("%s is %s", (input, want) => {
    expect(parse(input)).toBe(want);
  });

  it("returns exact integers beyond 2^53 as bigint", () => {
    expect(parse("10e")).toBe(10000000000000000000n);
    expect(parse("10E")).toBe(10000000000000000000n);
    expect(parse("10ei")).toBe(11529215046068469760n);
    expect(parse("10Ei")).toBe(11529215046068469760n);
  });

  it("rounds non-integers to 10 decimal places", () => {
    expect(parse("1.23456789012345m")).toBe(0.0012345679);
    expect(parse("1m")).toBe(0.001);
  });

  it.each([
    ["", "no amount provided"],
    ["G", "no amount provided"],
    ["foo", "no amount provided"],
    ["eK", "no amount provided"],
    ["0.0.0", "could not parse amount to a number"],
    [".5.2", "could not parse amount to a number"],
    ["1e+K", "could not parse amount to a number"],
    ["e5K", "could not parse amount to a number"],
    ["-K", "could not parse amount to a number"],
    [".K", "could not parse amount to a number"],
    ["e+K", "could not parse amount to a number"],
    ["100 k", "spaces not allowed in resource strings"],
    [" 327Mi ", "spaces not allowed in resource strings"],
    ["1mb", "unit mb not recognized"],
    ["1e1234567K", "exponent too large"],
  ])("%j fails: %s", (input, message) => {
    expect(() => parse(input)).toThrow(message);
  });

  it("reports a non-string operand", () => {
    expect(() => call("units.parse", 1)).toThrow("operand 1 must be string but got number");
  });
});

describe("units.parse_bytes", () => {
  it.each([
    ['"100TIB"', 109951162777600],
    ["0", 0],
    ["0.0", 0],
    [".0", 0],
    ["12345", 12345],
    ["10KB", 10000],
    ["10KIB", 10240],
    ["10kb", 10000],
    ["10Kib", 10240],
    ["200mb", 200000000],
    ["300GiB", 322122547200],
    ["1.1KB", 1100],
    ["1.1KiB", 1126],
    [".5KB", 500],
    ["100k", 100000],
    ["100ki", 102400],
    ["100kib", 102400],
    ["100m", 100000000],
    ["100mib", 104857600],
    ["100g", 100000000000],
    ["100gib", 107374182400],
    ["100tb", 100000000000000],
    ["100pib", 112589990684262400n],
    ["0.3kb", 300],
    ["1e6KB", 1000000000],
    ["1.5e3MB", 1500000000],
  ])("%s is %s", (input, want) => {
    expect(bytes(input)).toBe(want);
  });

  it("returns exact integers beyond 2^53 as bigint", () => {
    expect(bytes("10e")).toBe(10000000000000000000n);
    expect(bytes("10eb")).toBe(10000000000000000000n);
    expect(bytes("10eib")).toBe(11529215046068469760n);
  });

  it.each([
    ["", "no byte amount provided"],
    ["GB", "no byte amount provided"],
    ["foo", "no byte amount provided"],
    ["0.0.0", "could not parse byte amount to a number"],
    [".5.2", "could not parse byte amount to a number"],
    ["100 kb", "spaces not allowed in resource strings"],
    [" 327MiB ", "spaces not allowed in resource strings"],
    ["1kb2", "byte unit kb2 not recognized"],
  ])("%j fails: %s", (input, message) => {
    expect(() => bytes(input)).toThrow(message);
  });
});
