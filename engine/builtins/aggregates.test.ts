import { describe, expect, it } from "vitest";
import { MapObject } from "../value/value.js";
import { register } from "./aggregates.js";
import { family, S } from "./test/helpers.js";

const { registry, call, failure } = family(register);

describe("count", () => {
  it("counts members, entries and characters (code points)", () => {
    expect(call("count", [1, 2, 3])).toBe(3);
    expect(call("count", S(1, 1.0, 2))).toBe(2);
    expect(call("count", { a: 1, b: 2 })).toBe(2);
    expect(call("count", new MapObject([[1, 1]]))).toBe(1);
    expect(call("count", "")).toBe(0);
    expect(call("count", "héllo")).toBe(5);
    expect(call("count", "😀👍")).toBe(2);
  });
  it("rejects other types", () => {
    expect(failure("count", 1)).toEqual(["eval_type_error", "operand 1 must be one of {array, object, set, string} but got number"]);
    expect(failure("count", null)).toEqual(["eval_type_error", "operand 1 must be one of {array, object, set, string} but got null"]);
  });
});

describe("sum and product", () => {
  it("are exact on integers of any size", () => {
    expect(call("sum", [1, 2, 3, 4])).toBe(10);
    expect(call("sum", S(1, 2, 3))).toBe(6);
    expect(call("sum", [])).toBe(0);
    expect(call("sum", [18446744073709551617n, 1])).toBe(18446744073709551618n);
    expect(call("sum", [9007199254740991, 1])).toBe(9007199254740992n);
    expect(call("product", [])).toBe(1);
    expect(call("product", [2, 3, 4])).toBe(24);
    expect(call("product", [18446744073709551617n, 2])).toBe(36893488147419103234n);
    expect(call("product", [4294967296, 4294967296])).toBe(18446744073709551616n);
    expect(call("product", [0, -1])).toBe(0);
  });
  it("compute floats as OPA does", () => {
    expect(call("sum", [0.1, 0.2])).toBe(0.3);
    expect(call("sum", [1, 2.5])).toBe(3.5);
    expect(call("product", [1.5, 2])).toBe(3);
    expect(call("product", [0.1, 3])).toBe(0.30000000000000004);
  });
  it("need numbers", () => {
    expect(failure("sum", [1, "a"])).toEqual(["eval_type_error", "operand 1 must be array of numbers but got array containing string"]);
    expect(failure("product", S(1, "a"))).toEqual(["eval_type_error", "operand 1 must be set of numbers but got set containing string"]);
    expect(failure("sum", "abc")).toEqual(["eval_type_error", "operand 1 must be one of {set, array} but got string"]);
  });
});

describe("max, min, sort", () => {
  it("use Rego's order across types", () => {
    expect(call("max", [1, 3, 2])).toBe(3);
    expect(call("min", S(3, 1, 2))).toBe(1);
    expect(call("max", [1, "a", null])).toBe("a");
    expect(call("min", [1, "a", null])).toBe(null);
    expect(call("max", [9007199254740993n, 1.5])).toBe(9007199254740993n);
  });
  it("are undefined on empty collections", () => {
    expect(call("max", [])).toBeUndefined();
    expect(call("min", S())).toBeUndefined();
  });
  it("sort arrays and sets into arrays", () => {
    expect(call("sort", [3, "b", 1, null, "a", [0]])).toEqual([null, 1, 3, "a", "b", [0]]);
    expect(call("sort", S(3, 2, 1))).toEqual([1, 2, 3]);
    expect(call("sort", [])).toEqual([]);
    const input = [2, 1];
    call("sort", input);
    expect(input).toEqual([2, 1]);
  });
  it("need arrays or sets", () => {
    expect(failure("max", { a: 1 })).toEqual(["eval_type_error", "operand 1 must be one of {set, array} but got object"]);
    expect(failure("sort", "ba")).toEqual(["eval_type_error", "operand 1 must be one of {set, array} but got string"]);
  });
});

describe("any and all (deprecated)", () => {
  it("look for true", () => {
    expect(call("any", [false, true])).toBe(true);
    expect(call("any", [false, 1])).toBe(false);
    expect(call("any", S())).toBe(false);
    expect(call("all", [true, true])).toBe(true);
    expect(call("all", S(true, "x"))).toBe(false);
    expect(call("all", [])).toBe(true);
    expect(registry.get("any")!.deprecated).toBe(true);
    expect(registry.get("all")!.deprecated).toBe(true);
  });
  it("need arrays or sets", () => {
    expect(failure("all", 1)).toEqual(["eval_type_error", "operand 1 must be one of {array, set} but got number"]);
  });
});
