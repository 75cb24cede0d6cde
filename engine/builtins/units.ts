// units.parse and units.parse_bytes: amounts with SI, binary SI and byte suffixes ("1.5K", "10Mi", "100m", "4GB").
//
// As OPA: units.parse works on exact rationals (integers come back exact, other results rounded to 10 decimals);
// units.parse_bytes works in 64-bit-mantissa binary floating point and truncates the product to an integer.
import { normalizeBig, type Value } from "../value/value.js";
import { str } from "./args.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { number, string } from "./types.js";

/** At most this many exponent digits in scientific notation ("1e999999K"). */
const MAX_EXPONENT_DIGITS = 6;

const KI = 1n << 10n;
const MI = 1n << 20n;
const GI = 1n << 30n;
const TI = 1n << 40n;
const PI = 1n << 50n;
const EI = 1n << 60n;

/** Multipliers of units.parse, by unit as normalized (first letter kept, the rest lower-cased). */
const SI_UNITS: Record<string, bigint> = {
  "": 1n,
  k: 1000n,
  K: 1000n,
  ki: KI,
  Ki: KI,
  M: 1000n ** 2n,
  mi: MI,
  Mi: MI,
  g: 1000n ** 3n,
  G: 1000n ** 3n,
  gi: GI,
  Gi: GI,
  t: 1000n ** 4n,
  T: 1000n ** 4n,
  ti: TI,
  Ti: TI,
  p: 1000n ** 5n,
  P: 1000n ** 5n,
  pi: PI,
  Pi: PI,
  e: 1000n ** 6n,
  E: 1000n ** 6n,
  ei: EI,
  Ei: EI,
};

/** Multipliers of units.parse_bytes, by lower-cased unit. */
const BYTE_UNITS: Record<string, bigint> = {
  "": 1n,
  kb: 1000n,
  k: 1000n,
  kib: KI,
  ki: KI,
  mb: 1000n ** 2n,
  m: 1000n ** 2n,
  mib: MI,
  mi: MI,
  gb: 1000n ** 3n,
  g: 1000n ** 3n,
  gib: GI,
  gi: GI,
  tb: 1000n ** 4n,
  t: 1000n ** 4n,
  tib: TI,
  ti: TI,
  pb: 1000n ** 5n,
  p: 1000n ** 5n,
  pib: PI,
  pi: PI,
  eb: 1000n ** 6n,
  e: 1000n ** 6n,
  eib: EI,
  ei: EI,
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/**
 * Splits "10.5e3Mi" into the amount ("10.5e3") and the unit ("Mi"). The amount is the longest prefix of digits,
 * '.', signs and exponent markers that are followed by a digit or sign. Undefined when an exponent has too many digits.
 */
export function splitAmount(s: string): { amount: string; unit: string } | undefined {
  let cut = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!isDigit(c) && c !== "." && c !== "e" && c !== "E" && c !== "+" && c !== "-") {
      cut = i;
      break;
    }
    if (c === "e" || c === "E") {
      const next = s[i + 1];
      if (next === undefined || (!isDigit(next) && next !== "+" && next !== "-")) {
        cut = i;
        break;
      }
      if (next === "+" || next === "-") i++;
      let end = i + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return undefined;
    }
  }
  if (cut === -1) return { amount: s, unit: "" };
  return { amount: s.slice(0, cut), unit: s.slice(cut) };
}

/** An exact decimal: (-1)^neg * mantissa * 10^exp10. */
interface Decimal {
  neg: boolean;
  mantissa: bigint;
  exp10: number;
}

/** Parses a decimal number as Go's big.Rat/big.Float SetString do for such text: sign, digits, '.', exponent. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, intPart = "", frac = "", exp] = m;
  if (intPart === "" && frac === "") return undefined;
  const exponent = exp === undefined ? 0 : Number(exp);
  if (Math.abs(exponent) > 1e6) return undefined;
  return { neg: sign === "-", mantissa: BigInt((intPart + frac) || "0"), exp10: exponent - frac.length };
}

function toRational(d: Decimal): [bigint, bigint] {
  const n = d.neg ? -d.mantissa : d.mantissa;
  return d.exp10 >= 0 ? [n * 10n ** BigInt(d.exp10), 1n] : [n, 10n ** BigInt(-d.exp10)];
}

/** num/den (den > 0) with `prec` decimals, rounded half away from zero, as text (Go's Rat.FloatString). */
function fixedString(num: bigint, den: bigint, prec: number): string {
  const neg = num < 0n;
  const a = neg ? -num : num;
  const scale = 10n ** BigInt(prec);
  let q = a / den;
  let r = ((a % den) * scale) / den;
  const r2 = ((a % den) * scale) % den;
  if (2n * r2 >= den) {
    r += 1n;
    if (r >= scale) {
      q += 1n;
      r -= scale;
    }
  }
  return (neg ? "-" : "") + q.toString() + "." + r.toString().padStart(prec, "0");
}

function unitsParse(raw: string): Value {
  const s = raw.replaceAll('"', "");
  if (s.includes(" ")) throw new BuiltinError("spaces not allowed in resource strings");
  const split = splitAmount(s);
  if (split === undefined) throw new BuiltinError("exponent too large");
  if (split.amount === "") throw new BuiltinError("no amount provided");
  // 'm' (milli) and 'M' (mega) differ; the rest of the unit is case-insensitive
  const unit = split.unit.length > 1 ? split.unit[0] + split.unit.slice(1).toLowerCase() : split.unit;
  const milli = unit === "m";
  if (!milli && !Object.hasOwn(SI_UNITS, unit)) throw new BuiltinError(`unit ${unit} not recognized`);
  const factor = milli ? 1n : SI_UNITS[unit]!;
  const dec = parseDecimal(split.amount);
  if (dec === undefined) throw new BuiltinError("could not parse amount to a number");
  let [num, den] = toRational(dec);
  num *= factor;
  if (milli) den *= 1000n;
  if (num % den === 0n) return normalizeBig(num / den);
  return Number(fixedString(num, den, 10));
}

// ---------------------------------------------------------------------------------------------------------------
// Binary floating point with a 64-bit mantissa (Go's big.Float default precision), round half to even.

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

/** num/den rounded to `bits` significant bits, as an exact rational. */
function roundToBits(num: bigint, den: bigint, bits: number): [bigint, bigint] {
  if (num === 0n) return [0n, 1n];
  const neg = num < 0n;
  const a = neg ? -num : num;
  // choose e so that q = floor(a / den / 2^e) has exactly `bits` bits
  let e = bitLength(a) - bitLength(den) - bits;
  const quot = (shift: number): [bigint, bigint, bigint] => {
    const n = shift < 0 ? a << BigInt(-shift) : a;
    const d = shift > 0 ? den << BigInt(shift) : den;
    return [n / d, n % d, d];
  };
  let [q, r, d] = quot(e);
  while (bitLength(q) > bits) [q, r, d] = quot(++e);
  while (bitLength(q) < bits) [q, r, d] = quot(--e);
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) {
    q += 1n;
    if (bitLength(q) > bits) {
      q >>= 1n;
      e++;
    }
  }
  const signed = neg ? -q : q;
  return e >= 0 ? [signed << BigInt(e), 1n] : [signed, 1n << BigInt(-e)];
}

function unitsParseBytes(raw: string): Value {
  const s = raw.toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) throw new BuiltinError("spaces not allowed in resource strings");
  const split = splitAmount(s);
  if (split === undefined) throw new BuiltinError("exponent too large");
  if (split.amount === "") throw new BuiltinError("no byte amount provided");
  if (!Object.hasOwn(BYTE_UNITS, split.unit)) throw new BuiltinError(`byte unit ${split.unit} not recognized`);
  const factor = BYTE_UNITS[split.unit]!;
  const dec = parseDecimal(split.amount);
  if (dec === undefined) throw new BuiltinError("could not parse byte amount to a number");
  const [n, d] = toRational(dec);
  const [xn, xd] = roundToBits(n, d, 64);
  const [yn, yd] = roundToBits(xn * factor, xd, 64);
  return normalizeBig(yn / yd); // bigint division truncates toward zero, as big.Float.Int
}

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "units.parse",
    args: [{ name: "x", type: string, description: "the unit to parse" }],
    result: { name: "y", type: number, description: "the parsed number" },
    description:
      'Converts strings like "10G", "5K", "4M", "1500m", and the like into a number. This number can be a ' +
      'non-integer, such as 1.5, 0.22, etc. Scientific notation is supported, allowing values such as "1e-3K" (1) ' +
      'or "2.5e6M" (2.5 million M). Supports standard metric decimal and binary SI units (e.g., K, Ki, M, Mi, G, ' +
      "Gi, etc.) where m, K, M, G, T, P, and E are treated as decimal units and Ki, Mi, Gi, Ti, Pi, and Ei are " +
      "treated as binary units. Note that 'm' and 'M' are case-sensitive to allow distinguishing between \"milli\" " +
      'and "mega" units respectively. Other units are case-insensitive.',
    categories: ["units"],
    impl: (args) => unitsParse(str(args, 0)),
  });
  r.register({
    name: "units.parse_bytes",
    args: [{ name: "x", type: string, description: "the byte unit to parse" }],
    result: { name: "y", type: number, description: "the parsed number" },
    description:
      'Converts strings like "10GB", "5K", "4mb", or "1e6KB" into an integer number of bytes. Supports standard ' +
      "byte units (e.g., KB, KiB, etc.) where KB, MB, GB, and TB are treated as decimal units, and KiB, MiB, GiB, " +
      'and TiB are treated as binary units. Scientific notation is supported, enabling values like "1.5e3MB" ' +
      '(1500MB) or "2e6GiB" (2 million GiB). The bytes symbol (b/B) in the unit is optional; omitting it will ' +
      'yield the same result (e.g., "Mi" and "MiB" are equivalent).',
    categories: ["units"],
    impl: (args) => unitsParseBytes(str(args, 0)),
  });
}
