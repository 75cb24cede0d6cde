import { describe, expect, it } from "vitest";
import { register } from "./sets.js";
import { family, S } from "./test/helpers.js";

const { registry, call, failure } = family(register);

describe("sets", () => {
  const a = S(1, 2, 3, 4);
  const b = S(3, 4, 5);
  const c = S(4, 5, 6);

  it("and (&) and or (|)", () => {
    expect(call("and", a, b)).toEqual(S(3, 4));
    expect(call("or", a, b)).toEqual(S(1, 2, 3, 4, 5));
    expect(call("and", a, S())).toEqual(S());
    expect(call("or", S(), S())).toEqual(S());
    expect(call("and", S([1], { a: 1 }), S({ a: 1 }))).toEqual(S({ a: 1 }));
    expect(registry.get("and")!.infix).toBe("&");
    expect(registry.get("or")!.infix).toBe("|");
  });

  it("treat 1 and 1.0 as the same member", () => {
    expect(call("and", S(1), S(1.0))).toEqual(S(1));
    expect(call("or", S(9007199254740993n), S(9007199254740993n))).toEqual(S(9007199254740993n));
  });

  it("intersection and union of a set of sets", () => {
    expect(call("intersection", S(a, b, c))).toEqual(S(4));
    expect(call("union", S(a, b, c))).toEqual(S(1, 2, 3, 4, 5, 6));
    expect(call("intersection", S())).toEqual(S());
    expect(call("union", S())).toEqual(S());
    expect(call("intersection", S(a))).toEqual(a);
  });

  it("need sets", () => {
    expect(failure("and", a, [1])).toEqual(["eval_type_error", "operand 2 must be set but got array"]);
    expect(failure("or", 1, a)).toEqual(["eval_type_error", "operand 1 must be set but got number"]);
    expect(failure("union", S(a, 1))).toEqual(["eval_type_error", "operand 1 must be set but got number"]);
    expect(failure("intersection", [a])).toEqual(["eval_type_error", "operand 1 must be set but got array"]);
  });
});
