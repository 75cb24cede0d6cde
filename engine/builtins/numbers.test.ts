import { describe, expect, it } from "vitest";
import { SetValue, type Value } from "../value/value.js";
import * as F from "./bigfloat.js";
import { register } from "./numbers.js";
import { BuiltinError, BuiltinRegistry, type BuiltinContext } from "./registry.js";

const registry = new BuiltinRegistry();
register(registry);
const newCtx = (): BuiltinContext => ({ nowNs: 0n, print: () => {}, cache: new Map() });
const ctx = newCtx();
const call = (name: string, ...args: Value[]) => registry.get(name)!.impl(args, ctx);
/** [code, message] of the error a call throws. */
function failure(name: string, ...args: Value[]): [string, string] {
  try {
    call(name, ...args);
  } catch (e) {
    if (e instanceof BuiltinError) return [e.code, e.message];
    throw e;
  }
  throw new Error(`${name} did not fail`);
}

describe("plus, minus, mul: exact integers at any size", () => {
  it("adds, subtracts and multiplies beyond 64 bits (OPA's bignum cases)", () => {
    expect(call("plus", 18446744073709551617n, 1)).toBe(18446744073709551618n);
    expect(call("minus", 18446744073709551617n, 1)).toBe(18446744073709551616n);
    expect(call("mul", 18446744073709551617n, 2)).toBe(36893488147419103234n);
    expect(call("plus", 123456789012345678901234567890n, 1)).toBe(123456789012345678901234567891n);
    expect(call("minus", -18446744073709551617n, 1)).toBe(-18446744073709551618n);
    expect(call("plus", 10n ** 30n, 1)).toBe(10n ** 30n + 1n);
  });
  it("crosses the int32 and int64 windows exactly", () => {
    expect(call("plus", 2147483647, 1)).toBe(2147483648);
    expect(call("minus", -2147483648, 1)).toBe(-2147483649);
    expect(call("mul", 2147483647, 2147483647)).toBe(4611686014132420609n);
    expect(call("mul", -2147483648, -2147483648)).toBe(4611686018427387904n);
    expect(call("plus", 9223372036854775807n, 1)).toBe(9223372036854775808n);
    expect(call("plus", 9007199254740991, 1)).toBe(9007199254740992n);
  });
  it("comes back to JS numbers when the result fits", () => {
    expect(call("minus", 9007199254740993n, 2)).toBe(9007199254740991);
    expect(call("mul", 0, -5)).toBe(0);
    expect(Object.is(call("mul", 0, -5), -0)).toBe(false);
  });
  it("computes floats as OPA's 64-bit big.Float does", () => {
    expect(call("plus", 1.5, 2.5)).toBe(4);
    expect(call("plus", 1, 2.5)).toBe(3.5);
    expect(call("mul", 2.5, 2)).toBe(5);
    expect(call("plus", 0.1, 0.2)).toBe(0.3);
    expect(call("mul", 19.99, 3)).toBe(59.97);
    expect(call("minus", 0.3, 0.1)).toBe(0.2);
    expect(call("plus", 10, 5)).toBe(15);
  });
  it("checks operand types", () => {
    expect(failure("plus", "a", 1)).toEqual(["eval_type_error", "operand 1 must be number but got string"]);
    expect(failure("mul", 1, null)).toEqual(["eval_type_error", "operand 2 must be number but got null"]);
  });
});

describe("minus on sets", () => {
  it("is the set difference", () => {
    expect(call("minus", SetValue.of(1, 2, 3), SetValue.of(2, 4))).toEqual(SetValue.of(1, 3));
    expect(call("minus", SetValue.of(1), SetValue.of(1))).toEqual(new SetValue());
  });
  it("words type errors as OPA does", () => {
    expect(failure("minus", SetValue.of(1), 1)).toEqual(["eval_type_error", "operand 2 must be set but got number"]);
    expect(failure("minus", 1, SetValue.of(1))).toEqual(["eval_type_error", "operand 2 must be number but got set"]);
    expect(failure("minus", "a", 1)).toEqual(["eval_type_error", "operand 1 must be one of {number, set} but got string"]);
  });
});

describe("div", () => {
  it("is exact when the divisor divides the dividend, else a float", () => {
    expect(call("div", 6, 3)).toBe(2);
    expect(call("div", -6, 3)).toBe(-2);
    expect(call("div", 1, 4)).toBe(0.25);
    expect(call("div", 0, 5)).toBe(0);
    expect(call("div", 1, 3)).toBe(1 / 3);
    expect(call("div", 2, 3)).toBe(2 / 3);
    expect(call("div", 10, 4)).toBe(2.5);
  });
  it("divides big integers through 64-bit floats, as OPA does", () => {
    expect(call("div", 18446744073709551618n, 2)).toBe(9223372036854775809n);
    expect(call("div", 2n ** 80n, 2n ** 40n)).toBe(2 ** 40);
  });
  it("fails on a zero divisor of any form", () => {
    expect(failure("div", 1, 0)).toEqual(["eval_builtin_error", "divide by zero"]);
    expect(failure("div", 1.5, 0)).toEqual(["eval_builtin_error", "divide by zero"]);
    expect(failure("div", 10n ** 20n, 0)).toEqual(["eval_builtin_error", "divide by zero"]);
  });
});

describe("rem", () => {
  it("takes the sign of the dividend and accepts integral floats", () => {
    expect(call("rem", 7, 4)).toBe(3);
    expect(call("rem", -17, 5)).toBe(-2);
    expect(call("rem", 17, -5)).toBe(2);
    expect(call("rem", 4.0, 3)).toBe(1);
    expect(call("rem", -4, 2)).toBe(0);
    expect(Object.is(call("rem", -4, 2), -0)).toBe(false);
  });
  it("is exact beyond 64 bits", () => {
    expect(call("rem", 10, 18446744073709551616n)).toBe(10);
    expect(call("rem", 5, 55340232221128654848n)).toBe(5);
    expect(call("rem", 7, 340282366920938463463374607431768211456n)).toBe(7);
    expect(call("rem", 100, -18446744073709551616n)).toBe(100);
    expect(call("rem", 18446744073709551617n, 18446744073709551616n)).toBe(1);
    expect(call("rem", 10, 18446744073709551617n)).toBe(10);
  });
  it("fails on zero and on non-integers", () => {
    expect(failure("rem", 1.1, 1)).toEqual(["eval_builtin_error", "modulo on floating-point number"]);
    expect(failure("rem", 1.5, 0)).toEqual(["eval_builtin_error", "modulo on floating-point number"]);
    expect(failure("rem", 5, 0)).toEqual(["eval_builtin_error", "modulo by zero"]);
    expect(failure("rem", 5, 18446744073709551616n - 18446744073709551616n)).toEqual(["eval_builtin_error", "modulo by zero"]);
  });
});

describe("abs, round, ceil, floor", () => {
  it("handle integers at the window edges", () => {
    expect(call("abs", -5)).toBe(5);
    expect(call("abs", -2147483648)).toBe(2147483648);
    expect(call("abs", -9223372036854775808n)).toBe(9223372036854775808n);
    expect(call("abs", -10)).toBe(10);
    expect(call("round", -5)).toBe(-5);
    expect(call("floor", 1)).toBe(1);
  });
  it("round half away from zero", () => {
    expect(call("abs", -2.5)).toBe(2.5);
    expect(call("round", 2.5)).toBe(3);
    expect(call("round", -2.5)).toBe(-3);
    expect(call("round", 2.4)).toBe(2);
    expect(call("round", 10.0)).toBe(10);
    expect(call("round", 0.49999999999999994)).toBe(0);
  });
  it("ceil and floor", () => {
    expect(call("floor", 1.01)).toBe(1);
    expect(call("floor", 1.5)).toBe(1);
    expect(call("floor", 99.99999)).toBe(99);
    expect(call("floor", -1.001)).toBe(-2);
    expect(call("ceil", 1.2)).toBe(2);
    expect(call("ceil", -1.5)).toBe(-1);
    expect(call("floor", -2.5)).toBe(-3);
  });
  it("keep OPA's answers strictly between -1 and 0 (truncation, then +1 for ceil)", () => {
    expect(call("floor", -0.5)).toBe(0);
    expect(call("ceil", -0.5)).toBe(1);
  });
  it("round integers beyond 64 bits to a 64-bit mantissa, as OPA does", () => {
    expect(call("abs", -18446744073709551617n)).toBe(18446744073709551616n);
    expect(call("round", 18446744073709551617n)).toBe(18446744073709551616n);
  });
  it("need numbers", () => {
    expect(failure("abs", "1")).toEqual(["eval_type_error", "operand 1 must be number but got string"]);
  });
});

describe("numbers.range and numbers.range_step", () => {
  it("count up or down, inclusive", () => {
    expect(call("numbers.range", 1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(call("numbers.range", 5, 1)).toEqual([5, 4, 3, 2, 1]);
    expect(call("numbers.range", 3, 3)).toEqual([3]);
    expect(call("numbers.range", -2, 1)).toEqual([-2, -1, 0, 1]);
    expect(call("numbers.range_step", 0, 10, 3)).toEqual([0, 3, 6, 9]);
    expect(call("numbers.range_step", 10, 0, 4)).toEqual([10, 6, 2]);
  });
  it("work on big integers", () => {
    expect(call("numbers.range", 9007199254740991, 9007199254740993n)).toEqual([9007199254740991, 9007199254740992n, 9007199254740993n]);
  });
  it("need integers and a positive step", () => {
    expect(failure("numbers.range", 1.5, 2)).toEqual(["eval_type_error", "operand 1 must be integer number but got floating-point number"]);
    expect(failure("numbers.range", 1, "a")).toEqual(["eval_type_error", "operand 2 must be integer but got string"]);
    expect(failure("numbers.range_step", 0, 10, 0)).toEqual(["eval_builtin_error", "numbers.range_step: step must be a positive integer"]);
    expect(failure("numbers.range_step", 0, 10, -1)).toEqual(["eval_builtin_error", "numbers.range_step: step must be a positive integer"]);
  });
});

describe("rand.intn", () => {
  it("is in [0, |n|) and the same for the same arguments within a query", () => {
    const c = newCtx();
    const impl = registry.get("rand.intn")!.impl;
    const first = impl(["seed", 100], c) as number;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(100);
    for (let i = 0; i < 10; i++) expect(impl(["seed", 100], c)).toBe(first);
    expect(impl(["seed", -100], c)).toBe(first);
    expect(impl(["seed", 0], c)).toBe(0);
    expect(registry.get("rand.intn")!.nondeterministic).toBe(true);
  });
  it("needs an integer bound", () => {
    expect(failure("rand.intn", "x", 1.5)).toEqual(["eval_type_error", "operand 2 must be integer number but got floating-point number"]);
    expect(failure("rand.intn", 1, 1)).toEqual(["eval_type_error", "operand 1 must be string but got number"]);
  });
});

describe("bigfloat (Go's big.Float, 64-bit mantissa)", () => {
  const show = (x: F.BigFloat) => {
    const d = F.shortestDecimal(x);
    return `0.${d.digits}e${d.point}`;
  };
  it("prints the shortest decimal that reads back at 64 bits", () => {
    expect(show(F.quo(F.parseDecimal("1"), F.parseDecimal("3")))).toBe("0.33333333333333333334e0");
    expect(show(F.add(F.parseDecimal("1.1"), F.parseDecimal("2.2")))).toBe("0.33000000000000000002e1");
    expect(show(F.add(F.parseDecimal("0.1"), F.parseDecimal("0.2")))).toBe("0.3e0");
    expect(show(F.parseDecimal("123.456"))).toBe("0.123456e3");
  });
  it("rounds half to even", () => {
    // 2^64 + 1 needs 65 bits: halfway, rounds to the even 2^64
    expect(F.toValue(F.fromNumber(18446744073709551617n))).toBe(18446744073709551616n);
    expect(F.toValue(F.fromNumber(18446744073709551619n))).toBe(18446744073709551620n);
  });
  it("keeps negative zero", () => {
    expect(Object.is(call("div", 0, -5), -0)).toBe(true);
  });
});

describe("declarations", () => {
  it("declares every built-in of the family with infix operators", () => {
    const names = registry.all().map((d) => d.name);
    expect(names).toEqual(
      ["abs", "ceil", "div", "floor", "minus", "mul", "numbers.range", "numbers.range_step", "plus", "rand.intn", "rem", "round"].sort(),
    );
    expect(registry.get("plus")!.infix).toBe("+");
    expect(registry.get("minus")!.infix).toBe("-");
    expect(registry.get("mul")!.infix).toBe("*");
    expect(registry.get("div")!.infix).toBe("/");
    expect(registry.get("rem")!.infix).toBe("%");
  });
});
