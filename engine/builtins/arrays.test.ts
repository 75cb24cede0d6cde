import { describe, expect, it } from "vitest";
import { register } from "./arrays.js";
import { family } from "./test/helpers.js";

const { call, failure } = family(register);

describe("array.concat", () => {
  it("concatenates", () => {
    expect(call("array.concat", [1, 2], [3, [4]])).toEqual([1, 2, 3, [4]]);
    expect(call("array.concat", [], [])).toEqual([]);
  });
  it("needs arrays", () => {
    expect(failure("array.concat", [1], "x")).toEqual(["eval_type_error", "operand 2 must be array but got string"]);
  });
});

describe("array.slice", () => {
  const a = [1, 2, 3, 4, 5];
  it("slices [start, stop)", () => {
    expect(call("array.slice", a, 1, 3)).toEqual([2, 3]);
    expect(call("array.slice", a, 0, 5)).toEqual(a);
  });
  it("clamps as OPA does", () => {
    expect(call("array.slice", a, -10, 2)).toEqual([1, 2]);
    expect(call("array.slice", a, 3, 100)).toEqual([4, 5]);
    expect(call("array.slice", a, 4, 1)).toEqual([]);
    expect(call("array.slice", a, 2, -1)).toEqual([]);
    expect(call("array.slice", a, 9, 10)).toEqual([]);
    expect(call("array.slice", [], 0, 1)).toEqual([]);
  });
  it("needs integer indexes", () => {
    expect(failure("array.slice", a, 1.5, 2)).toEqual(["eval_type_error", "operand 2 must be integer number but got floating-point number"]);
    expect(failure("array.slice", a, 1, "2")).toEqual(["eval_type_error", "operand 3 must be number but got string"]);
    expect(failure("array.slice", "abc", 1, 2)).toEqual(["eval_type_error", "operand 1 must be array but got string"]);
  });
});

describe("array.reverse", () => {
  it("reverses without touching its input", () => {
    const input = [1, "b", [3]];
    expect(call("array.reverse", input)).toEqual([[3], "b", 1]);
    expect(input).toEqual([1, "b", [3]]);
    expect(call("array.reverse", [])).toEqual([]);
  });
});
