// The "conversions" family: to_number.
import { parseNumberLiteral, type Value } from "../value/value.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { boolean, nul, number, string, union } from "./types.js";

/** Numbers as Go's strconv.ParseFloat reads them (decimal, with exponent; no hex floats, no "Inf"). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "to_number",
    args: [{ name: "x", type: union(nul, boolean, number, string), description: "value to convert" }],
    result: { name: "num", type: number, description: "the numeric representation of `x`" },
    description: "Converts a string, bool, or number value to a number: strings are parsed as numbers, null is 0, true is 1 and false is 0.",
    categories: ["conversions"],
    impl: ([x]) => toNumber(x as Value),
  });
}

export function toNumber(x: Value): Value {
  if (x === null) return 0;
  if (typeof x === "boolean") return x ? 1 : 0;
  if (typeof x === "number" || typeof x === "bigint") return x;
  if (typeof x === "string") {
    if (!DECIMAL.test(x)) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
    return parseNumberLiteral(x.replace(/^\+/, ""));
  }
  throw new OperandTypeError(1, "one of {boolean, null, number, string}", x);
}
