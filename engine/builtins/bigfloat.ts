// Binary floating point as Go's math/big.Float computes it, for OPA's non-integer arithmetic.
//
// OPA parses a number's text into a big.Float with a 64-bit mantissa, computes (rounding half to even) and prints the
// result as the shortest decimal that reads back to the same 64-bit float. So `0.1 + 0.2` is 0.3 in OPA, not
// 0.30000000000000004. Guard holds non-integers as doubles, so the result is that decimal's nearest double: equal to
// OPA's answer whenever OPA's answer has no more digits than a double holds.
import { normalizeBig } from "../value/value.js";

/** (-1)^neg * mant * 2^exp, with mant < 2^prec. A zero mantissa is zero (negative zero when neg). */
export interface BigFloat {
  readonly neg: boolean;
  readonly mant: bigint;
  readonly exp: number;
  readonly prec: number;
}

export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** Rounds mant * 2^exp to prec bits, half to even. */
function round(neg: boolean, mant: bigint, exp: number, prec: number): BigFloat {
  const len = bitLength(mant);
  if (len <= prec) return { neg, mant, exp, prec };
  let shift = len - prec;
  const dropped = mant & ((1n << BigInt(shift)) - 1n);
  let m = mant >> BigInt(shift);
  const half = 1n << BigInt(shift - 1);
  if (dropped > half || (dropped === half && (m & 1n) === 1n)) {
    m += 1n;
    if (bitLength(m) > prec) {
      m >>= 1n;
      shift++;
    }
  }
  return { neg, mant: m, exp: exp + shift, prec };
}

/** Rounds (num / den) * 2^exp to prec bits. */
function roundQuotient(neg: boolean, num: bigint, den: bigint, exp: number, prec: number): BigFloat {
  if (num === 0n) return { neg, mant: 0n, exp: 0, prec };
  const shift = Math.max(0, prec + 2 + bitLength(den) - bitLength(num));
  const scaled = num << BigInt(shift);
  const q = scaled / den;
  const sticky = scaled % den === 0n ? 0n : 1n;
  return round(neg, (q << 1n) | sticky, exp - shift - 1, prec);
}

/** Parses decimal text ("12", "-0.5", "1.5e+300") into a float of prec bits, correctly rounded. */
export function parseDecimal(text: string, prec = 64): BigFloat {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a number: ${text}`);
  const [, sign, int = "", frac = "", expText = "0"] = m;
  const neg = sign === "-";
  const digits = BigInt((int + frac).replace(/^0+/, "") || "0");
  const exp10 = Number(expText) - frac.length;
  if (digits === 0n) return { neg, mant: 0n, exp: 0, prec };
  if (exp10 >= 0) return round(neg, digits * 10n ** BigInt(exp10), 0, prec);
  // digits / 10^k = digits / 5^k * 2^-k
  return roundQuotient(neg, digits, 5n ** BigInt(-exp10), exp10, prec);
}

/** A Rego number as OPA reads it into a big.Float: integers exactly (then rounded), other numbers from their text. */
export function fromNumber(v: number | bigint, prec = 64): BigFloat {
  if (typeof v === "bigint") return round(v < 0n, v < 0n ? -v : v, 0, prec);
  if (Number.isSafeInteger(v)) {
    const neg = v < 0 || Object.is(v, -0);
    return round(neg, BigInt(Math.abs(v)), 0, prec);
  }
  return parseDecimal(String(v), prec);
}

/** An exact integer as Go's SetInt holds it (precision widened to fit). */
export function fromInteger(i: bigint): BigFloat {
  const neg = i < 0n;
  const mant = neg ? -i : i;
  return { neg, mant, exp: 0, prec: Math.max(64, bitLength(mant)) };
}

function signed(x: BigFloat, toExp: number): bigint {
  const m = x.mant << BigInt(x.exp - toExp);
  return x.neg ? -m : m;
}

/** x + y, rounded to prec (Go: the larger of the operands' precisions when unset). */
export function add(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  if (x.mant === 0n && y.mant === 0n) return { neg: x.neg && y.neg, mant: 0n, exp: 0, prec };
  if (x.mant === 0n) return round(y.neg, y.mant, y.exp, prec);
  if (y.mant === 0n) return round(x.neg, x.mant, x.exp, prec);
  const e = Math.min(x.exp, y.exp);
  const s = signed(x, e) + signed(y, e);
  if (s === 0n) return { neg: false, mant: 0n, exp: 0, prec };
  return round(s < 0n, s < 0n ? -s : s, e, prec);
}

export function neg(x: BigFloat): BigFloat {
  return { ...x, neg: !x.neg };
}

export function sub(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  return add(x, neg(y), prec);
}

export function mul(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  const n = x.neg !== y.neg;
  if (x.mant === 0n || y.mant === 0n) return { neg: n, mant: 0n, exp: 0, prec };
  return round(n, x.mant * y.mant, x.exp + y.exp, prec);
}

/** x / y for y ≠ 0. */
export function quo(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  if (y.mant === 0n) throw new RangeError("division by zero");
  return roundQuotient(x.neg !== y.neg, x.mant, y.mant, x.exp - y.exp, prec);
}

export function isZero(x: BigFloat): boolean {
  return x.mant === 0n;
}

export function isInt(x: BigFloat): boolean {
  if (x.mant === 0n || x.exp >= 0) return true;
  return (x.mant & ((1n << BigInt(-x.exp)) - 1n)) === 0n;
}

/** The integer part (truncated towards zero). */
export function trunc(x: BigFloat): bigint {
  const m = x.exp >= 0 ? x.mant << BigInt(x.exp) : x.mant >> BigInt(-x.exp);
  return x.neg ? -m : m;
}

export function cmp(x: BigFloat, y: BigFloat): number {
  const d = sub(x, y, Number.MAX_SAFE_INTEGER);
  return d.mant === 0n ? 0 : d.neg ? -1 : 1;
}

/**
 * The float as a Rego value the way OPA's FloatToNumber prints it and Guard holds it: integers exactly (a bigint
 * beyond 2^53), other numbers as the double nearest the shortest decimal that reads back to the float.
 */
export function toValue(x: BigFloat): number | bigint {
  if (x.mant === 0n) return x.neg ? -0 : 0;
  if (isInt(x)) return normalizeBig(trunc(x));
  const { digits, point } = shortestDecimal(x);
  return Number(`${x.neg ? "-" : ""}0.${digits}e${point}`);
}

/** Decimal digits (no leading or trailing zeros) and decimal point position: value = 0.digits × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

function decimalOf(n: bigint, scale: number): Decimal {
  // n × 10^-scale
  const text = n.toString();
  const trimmed = text.replace(/0+$/, "");
  return { digits: trimmed, point: text.length - scale };
}

/** Go's math/big roundShortest: the shortest decimal that rounds to x at x's precision. */
export function shortestDecimal(x: BigFloat): Decimal {
  // normalize the mantissa to prec bits, then to prec+1 bits so that its lowest bit is half an ulp
  const widen = x.prec - bitLength(x.mant);
  const m = x.mant << BigInt(widen);
  const exp = x.exp - widen - 1;
  const half = m << 1n;
  const inclusive = (m & 1n) === 0n;
  let d: Decimal;
  let lower: Decimal;
  let upper: Decimal;
  if (exp >= 0) {
    const p = 1n << BigInt(exp);
    d = decimalOf(half * p, 0);
    lower = decimalOf((half - 1n) * p, 0);
    upper = decimalOf((half + 1n) * p, 0);
  } else {
    const p = 5n ** BigInt(-exp);
    d = decimalOf(half * p, -exp);
    lower = decimalOf((half - 1n) * p, -exp);
    upper = decimalOf((half + 1n) * p, -exp);
  }
  const at = (dec: Decimal, i: number): number => (i < dec.digits.length ? dec.digits.charCodeAt(i) : 48);
  for (let i = 0; i < d.digits.length; i++) {
    const l = at(lower, i);
    const c = d.digits.charCodeAt(i);
    const u = at(upper, i);
    const okDown = l !== c || (inclusive && i + 1 === lower.digits.length);
    const okUp = c !== u && (inclusive || c + 1 < u || i + 1 < upper.digits.length);
    if (okDown && okUp) return roundDecimal(d, i + 1, i + 1 < d.digits.length && shouldRoundUp(d, i + 1));
    if (okDown) return roundDecimal(d, i + 1, false);
    if (okUp) return roundDecimal(d, i + 1, true);
  }
  return d;
}

function shouldRoundUp(d: Decimal, n: number): boolean {
  const c = d.digits[n]!;
  if (c === "5" && n + 1 === d.digits.length) return n > 0 && (d.digits.charCodeAt(n - 1) - 48) % 2 === 1;
  return c >= "5";
}

function roundDecimal(d: Decimal, n: number, up: boolean): Decimal {
  if (n >= d.digits.length) return d;
  if (!up) return { digits: d.digits.slice(0, n).replace(/0+$/, ""), point: d.point };
  let i = n - 1;
  while (i >= 0 && d.digits[i] === "9") i--;
  if (i < 0) return { digits: "1", point: d.point + 1 };
  return { digits: d.digits.slice(0, i) + String.fromCharCode(d.digits.charCodeAt(i) + 1), point: d.point };
}
