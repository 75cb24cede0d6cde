import { describe, expect, it } from "vitest";
import { BuiltinError } from "./registry.js";
import { toNumber } from "./conversions.js";

describe("to_number", () => {
  it("converts null, booleans, numbers and numeric strings", () => {
    expect(toNumber(null)).toBe(0);
    expect(toNumber(true)).toBe(1);
    expect(toNumber(false)).toBe(0);
    expect(toNumber(-3.5)).toBe(-3.5);
    expect(toNumber("10")).toBe(10);
    expect(toNumber("-1.5e3")).toBe(-1500);
    expect(toNumber("+7")).toBe(7);
    expect(toNumber("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
  });

  it("rejects text that is not a number, as Go's ParseFloat does", () => {
    expect(() => toNumber("abc")).toThrow(BuiltinError);
    expect(() => toNumber("0x10")).toThrow('strconv.ParseFloat: parsing "0x10": invalid syntax');
    expect(() => toNumber("")).toThrow(BuiltinError);
    expect(() => toNumber([1])).toThrow("operand 1 must be one of {boolean, null, number, string} but got array");
  });
});
