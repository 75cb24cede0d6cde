// Array built-ins: array.concat, array.slice, array.reverse.
import type { Value } from "../value/value.js";
import { arr } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { intOperand } from "./operands.js";
import { any, arrayOf, number } from "./types.js";

/** OPA's slice clamping: stop into [0, len], start into [0, stop]. */
export function slice(a: Value[], start: number | bigint, stop: number | bigint): Value[] {
  let hi = Number(stop);
  if (hi < 0) hi = 0;
  else if (hi > a.length) hi = a.length;
  let lo = Number(start);
  if (lo < 0) lo = 0;
  else if (lo > hi) lo = hi;
  return a.slice(lo, hi);
}

export function register(r: BuiltinRegistry): void {
  const anyArray = arrayOf(any);
  r.register({
    name: "array.concat",
    args: [
      { name: "x", type: anyArray, description: "the first array" },
      { name: "y", type: anyArray, description: "the second array" },
    ],
    result: { name: "z", type: anyArray, description: "the concatenation of `x` and `y`" },
    description: "Concatenates two arrays.",
    categories: ["array"],
    impl: (args) => {
      const x = arr(args, 0);
      const y = arr(args, 1);
      return [...x, ...y];
    },
  });
  r.register({
    name: "array.slice",
    args: [
      { name: "arr", type: anyArray, description: "the array to be sliced" },
      { name: "start", type: number, description: "the start index of the returned slice; if less than zero, it's clamped to 0" },
      {
        name: "stop",
        type: number,
        description: "the stop index of the returned slice; if larger than `count(arr)`, it's clamped to `count(arr)`",
      },
    ],
    result: {
      name: "slice",
      type: anyArray,
      description: "the subslice of `array`, from `start` to `end`, including `arr[start]`, but excluding `arr[end]`",
    },
    description: "Returns a slice of a given array. If `start` is greater or equal than `stop`, `slice` is `[]`.",
    categories: ["array"],
    impl: (args) => {
      const a = arr(args, 0);
      return slice(a, intOperand(args, 1), intOperand(args, 2));
    },
  });
  r.register({
    name: "array.reverse",
    args: [{ name: "arr", type: anyArray, description: "the array to be reversed" }],
    result: { name: "rev", type: anyArray, description: "an array containing the elements of `arr` in reverse order" },
    description: "Returns the reverse of a given array.",
    categories: ["array"],
    impl: (args) => [...arr(args, 0)].reverse(),
  });
}
