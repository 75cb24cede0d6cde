// Arithmetic and number built-ins: plus, minus, mul, div, rem, abs, round, ceil, floor, numbers.range,
// numbers.range_step, rand.intn.
//
// As in OPA: integers are exact at any size; anything else is computed as Go's big.Float with a 64-bit mantissa
// (see bigfloat.ts), which is also where OPA's quirks come from (integers beyond 2^64 lose bits in division and in
// abs/round/ceil/floor; ceil and floor of a number strictly between -1 and 0 give 1 and 0).
import { isSet, normalizeBig, SetValue, type Value } from "../value/value.js";
import * as F from "./bigfloat.js";
import { num, str } from "./args.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { bigIntOperand, integerOf, intOperand, typeErr } from "./operands.js";
import { any, arrayOf, number, setOf, string, union } from "./types.js";

type Num = number | bigint;

/** Whether a number is an integer (OPA's NumberToInt succeeds). */
export function isIntegral(n: Num): boolean {
  return typeof n === "bigint" || Number.isInteger(n);
}

/** The exact integer of an integral number. */
export function toBig(n: Num): bigint {
  return typeof n === "bigint" ? n : integerOf(n);
}

/** A JS number result without negative zero (integers have none). */
function int(n: number): number {
  return n === 0 ? 0 : n;
}

function fromBig(n: bigint): Num {
  return normalizeBig(n);
}

export function plus(a: Num, b: Num): Num {
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a + b;
    if (Number.isSafeInteger(r)) return int(r);
  }
  if (isIntegral(a) && isIntegral(b)) return fromBig(toBig(a) + toBig(b));
  return F.toValue(F.add(F.fromNumber(a), F.fromNumber(b)));
}

export function minus(a: Num, b: Num): Num {
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a - b;
    if (Number.isSafeInteger(r)) return int(r);
  }
  if (isIntegral(a) && isIntegral(b)) return fromBig(toBig(a) - toBig(b));
  return F.toValue(F.sub(F.fromNumber(a), F.fromNumber(b)));
}

export function times(a: Num, b: Num): Num {
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a * b;
    if (Number.isSafeInteger(r)) return int(r);
  }
  if (isIntegral(a) && isIntegral(b)) return fromBig(toBig(a) * toBig(b));
  return F.toValue(F.mul(F.fromNumber(a), F.fromNumber(b)));
}

function isZeroNumber(n: Num): boolean {
  return typeof n === "bigint" ? n === 0n : n === 0;
}

export function divide(a: Num, b: Num): Num {
  if (isZeroNumber(b)) throw new BuiltinError("divide by zero");
  // OPA divides ints exactly when the divisor divides a nonzero dividend; everything else is a float quotient
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    if (a !== 0 && a % b === 0) return int(a / b);
  }
  return F.toValue(F.quo(F.fromNumber(a), F.fromNumber(b)));
}

export function remainder(a: Num, b: Num): Num {
  if (!isIntegral(a) || !isIntegral(b)) throw new BuiltinError("modulo on floating-point number");
  if (isZeroNumber(b)) throw new BuiltinError("modulo by zero");
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    return int(a % b);
  }
  return fromBig(toBig(a) % toBig(b));
}

function unary(x: Num, small: (n: number) => number, float: (f: F.BigFloat) => F.BigFloat): Num {
  if (typeof x === "number" && Number.isSafeInteger(x)) return int(small(x));
  return F.toValue(float(F.fromNumber(x)));
}

const HALF = F.parseDecimal("0.5", 53);

export function absolute(x: Num): Num {
  return unary(x, Math.abs, (f) => ({ ...f, neg: false }));
}

export function roundHalfAway(x: Num): Num {
  return unary(
    x,
    (n) => n,
    (f) => F.fromInteger(F.trunc(f.neg ? F.sub(f, HALF) : F.add(f, HALF))),
  );
}

export function ceiling(x: Num): Num {
  return unary(
    x,
    (n) => n,
    (f) => {
      // as OPA: the truncated integer, plus one unless it is negative or exact (so ceil(-0.5) is 1)
      const i = F.trunc(f);
      if (i < 0n || F.cmp(f, F.fromInteger(i)) === 0) return F.fromInteger(i);
      return F.fromInteger(i + 1n);
    },
  );
}

export function flooring(x: Num): Num {
  return unary(
    x,
    (n) => n,
    (f) => {
      // as OPA: the truncated integer, minus one only when it is negative and inexact (so floor(-0.5) is 0)
      const i = F.trunc(f);
      if (i >= 0n || F.cmp(f, F.fromInteger(i)) === 0) return F.fromInteger(i);
      return F.fromInteger(i - 1n);
    },
  );
}

function setDifference(a: SetValue, b: SetValue): SetValue {
  const out = new SetValue();
  for (const v of a.values()) if (!b.has(v)) out.add(v);
  return out;
}

function range(x: bigint, y: bigint, step: bigint): Value[] {
  const out: Value[] = [];
  if (x <= y) for (let i = x; i <= y; i += step) out.push(fromBig(i));
  else for (let i = x; i >= y; i -= step) out.push(fromBig(i));
  return out;
}

function smallRange(x: number, y: number, step: number): Value[] {
  const out: Value[] = [];
  if (x <= y) for (let i = x; i <= y; i += step) out.push(i);
  else for (let i = x; i >= y; i -= step) out.push(i);
  return out;
}

const safe = (...ns: (Value | undefined)[]): boolean => ns.every((n) => typeof n === "number" && Number.isSafeInteger(n));

function randomBelow(n: bigint): bigint {
  if (n <= BigInt(Number.MAX_SAFE_INTEGER)) return BigInt(Math.floor(Math.random() * Number(n)));
  let r = 0n;
  for (let bits = 0; bits < bitLen(n) + 64; bits += 30) r = (r << 30n) | BigInt(Math.floor(Math.random() * 2 ** 30));
  return r % n;
}

function bitLen(n: bigint): number {
  return n.toString(2).length;
}

export function register(r: BuiltinRegistry): void {
  const numbers = ["numbers"];
  const binary = (name: string, infix: string, description: string, fn: (a: Num, b: Num) => Num) =>
    r.register({
      name,
      infix,
      args: [
        { name: "x", type: number },
        { name: "y", type: number },
      ],
      result: { name: "z", type: number },
      description,
      categories: numbers,
      impl: (args) => fn(num(args, 0), num(args, 1)),
    });
  binary("plus", "+", "Plus adds two numbers together.", plus);
  binary("mul", "*", "Multiplies two numbers.", times);
  binary("div", "/", "Divides the first number by the second number.", divide);
  binary("rem", "%", "Returns the remainder for of `x` divided by `y`, for `y != 0`.", remainder);

  const numberOrSet = union(number, setOf(any));
  r.register({
    name: "minus",
    infix: "-",
    args: [
      { name: "x", type: numberOrSet },
      { name: "y", type: numberOrSet },
    ],
    result: { name: "z", type: numberOrSet, description: "the difference of `x` and `y`" },
    description: "Minus subtracts the second number from the first number or computes the difference between two sets.",
    categories: ["sets", "numbers"],
    impl: ([x, y]) => {
      const xn = typeof x === "number" || typeof x === "bigint";
      const yn = typeof y === "number" || typeof y === "bigint";
      if (xn && yn) return minus(x, y);
      if (isSet(x) && isSet(y)) return setDifference(x, y);
      if (!xn && !isSet(x)) throw typeErr(1, x, "number", "set");
      if (isSet(x)) throw typeErr(2, y, "set");
      throw typeErr(2, y, "number");
    },
  });

  const unaryDecl = (name: string, description: string, fn: (x: Num) => Num) =>
    r.register({
      name,
      args: [{ name: "x", type: number }],
      result: { name: "y", type: number },
      description,
      categories: numbers,
      impl: (args) => fn(num(args, 0)),
    });
  unaryDecl("abs", "Returns the number without its sign.", absolute);
  unaryDecl("round", "Rounds the number to the nearest integer.", roundHalfAway);
  unaryDecl("ceil", "Rounds the number _up_ to the nearest integer.", ceiling);
  unaryDecl("floor", "Rounds the number _down_ to the nearest integer.", flooring);

  r.register({
    name: "numbers.range",
    args: [
      { name: "a", type: number, description: "the start of the range" },
      { name: "b", type: number, description: "the end of the range (inclusive)" },
    ],
    result: { name: "range", type: arrayOf(number) },
    description:
      "Returns an array of numbers in the given (inclusive) range. If `a==b`, then `range == [a]`; if `a > b`, then `range` is in descending order.",
    categories: numbers,
    impl: (args) => {
      if (safe(args[0], args[1])) return smallRange(args[0] as number, args[1] as number, 1);
      return range(bigIntOperand(args, 0), bigIntOperand(args, 1), 1n);
    },
  });

  r.register({
    name: "numbers.range_step",
    args: [
      { name: "a", type: number, description: "the start of the range" },
      { name: "b", type: number, description: "the end of the range (inclusive)" },
      { name: "step", type: number, description: "the step between numbers in the range" },
    ],
    result: { name: "range", type: arrayOf(number) },
    description:
      "Returns an array of numbers in the given (inclusive) range incremented by a positive step. If `a==b`, then `range == [a]`; if `a > b`, then `range` is in descending order.",
    categories: numbers,
    impl: (args) => {
      const x = bigIntOperand(args, 0);
      const y = bigIntOperand(args, 1);
      const step = bigIntOperand(args, 2);
      // OPA's message carries the name itself (and the engine prefixes it again, as OPA does)
      if (step <= 0n) throw new BuiltinError("numbers.range_step: step must be a positive integer");
      if (safe(args[0], args[1], args[2])) return smallRange(Number(x), Number(y), Number(step));
      return range(x, y, step);
    },
  });

  r.register({
    name: "rand.intn",
    args: [
      { name: "str", type: string, description: "seed string for the random number" },
      { name: "n", type: number, description: "upper bound of the random number (exclusive)" },
    ],
    result: { name: "y", type: number, description: "random integer in the range `[0, abs(n))`" },
    description:
      "Returns a random integer between `0` and `n` (`n` exclusive). If `n` is `0`, then `y` is always `0`. For any given argument pair (`str`, `n`), the output will be consistent throughout a query evaluation.",
    categories: numbers,
    nondeterministic: true,
    impl: (args, ctx) => {
      const seed = str(args, 0);
      const raw = intOperand(args, 1);
      let n = typeof raw === "bigint" ? raw : BigInt(raw);
      if (n === 0n) return 0;
      if (n < 0n) n = -n;
      const key = `rand.intn\u0000${seed}-${n}`;
      const cached = ctx.cache.get(key);
      if (cached !== undefined) return cached as Value;
      const result = fromBig(randomBelow(n));
      ctx.cache.set(key, result);
      return result;
    },
  });
}
