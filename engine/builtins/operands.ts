// Operand errors and readers worded exactly as OPA's `topdown/builtins` helpers word them, for the messages that
// args.ts does not cover ("must be one of {number, set}", "must be integer number but got floating-point number",
// "must be array of numbers but got array containing string"). All are type errors (`eval_type_error`).
import { isSet, typeName, type Value } from "../value/value.js";
import { num } from "./args.js";
import { OperandTypeError } from "./registry.js";

/** A type error with a message of its own (OPA's `builtins.ErrOperand`). */
export class OperandError extends OperandTypeError {
  constructor(message: string) {
    super(0, "", undefined);
    this.message = message;
  }
}

/** `operand <pos> <text>` (OPA's NewOperandErr). */
export function operandErr(pos: number, text: string): OperandError {
  return new OperandError(`operand ${pos} ${text}`);
}

/** `operand 1 must be set but got number`, or with several types `must be one of {number, set} but got string`. */
export function typeErr(pos: number, got: Value | undefined, ...expected: string[]): OperandError {
  if (expected.length === 1) return operandErr(pos, `must be ${expected[0]} but got ${typeName(got)}`);
  return operandErr(pos, `must be one of {${expected.join(", ")}} but got ${typeName(got)}`);
}

/** `operand 1 must be array of numbers but got array containing string` (OPA's NewOperandElementErr). */
export function elementErr(pos: number, composite: Value, got: Value, expected: string): OperandError {
  const t = typeName(composite);
  return operandErr(pos, `must be ${t} of ${expected}s but got ${t} containing ${typeName(got)}`);
}

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

/**
 * OPA's IntOperand: a number that is an integer within int64 (Go's `int`). Returns a JS number, or a bigint when it
 * does not fit one exactly.
 */
export function intOperand(args: Value[], i: number): number | bigint {
  const v = args[i];
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    if (!Number.isInteger(v)) throw operandErr(i + 1, "must be integer number but got floating-point number");
    const b = BigInt(v);
    if (b > MAX_INT64 || b < MIN_INT64) throw operandErr(i + 1, "must be integer number but got floating-point number");
    return b;
  }
  if (typeof v === "bigint") {
    if (v > MAX_INT64 || v < MIN_INT64) throw operandErr(i + 1, "must be integer number but got floating-point number");
    return v;
  }
  throw typeErr(i + 1, v, "number");
}

/**
 * OPA's IntOperand as the string and regex built-ins read it: the integer as a JS number (a bigint within int64 is
 * converted; an integral double is taken as it is, however large), "must be number" for other types.
 */
export function goIntOperand(args: Value[], i: number): number {
  const v = num(args, i);
  if (typeof v === "bigint") {
    if (v < MIN_INT64 || v > MAX_INT64) throw operandErr(i + 1, "must be integer number but got floating-point number");
    return Number(v);
  }
  if (!Number.isInteger(v)) throw operandErr(i + 1, "must be integer number but got floating-point number");
  return v;
}

/** OPA's BigIntOperand: any integer (as a bigint). */
export function bigIntOperand(args: Value[], i: number): bigint {
  const v = args[i];
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw operandErr(i + 1, "must be integer number but got floating-point number");
    return integerOf(v);
  }
  throw typeErr(i + 1, v, "integer");
}

/**
 * The exact integer a JS number stands for. Integers beyond 2^53 held as doubles (from JSON input, say) stand for
 * the integer their shortest decimal form names, as OPA keeps the number's text: 1e300 is 10^300.
 */
export function integerOf(n: number): bigint {
  if (Number.isSafeInteger(n)) return BigInt(n);
  const text = String(n);
  if (/^-?\d+$/.test(text)) return BigInt(text);
  const m = /^(-?)(\d+)(?:\.(\d+))?e\+?(\d+)$/.exec(text);
  if (m) {
    const [, sign, int, frac = "", exp] = m;
    const shift = Number(exp) - frac.length;
    if (shift >= 0) return BigInt(sign + int + frac + "0".repeat(shift));
  }
  return BigInt(n);
}

/** An array or set operand's members (sets in sorted order), or a type error naming both types. */
export function arrayOrSetMembers(args: Value[], i: number, order: "array-set" | "set-array"): Value[] {
  const v = args[i];
  if (Array.isArray(v)) return v;
  if (isSet(v)) return v.sorted();
  throw order === "array-set" ? typeErr(i + 1, v, "array", "set") : typeErr(i + 1, v, "set", "array");
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes and strings as Go sees them

const encoder = new TextEncoder();

/** The UTF-8 bytes of a string (lone surrogates become U+FFFD, as Go would hold them). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Bytes to a string the way Go converts them for output: valid UTF-8 sequences decode to their characters and every
 * byte that does not start a valid sequence becomes one U+FFFD (Go's utf8.DecodeRune rule).
 */
export function goString(bytes: Uint8Array): string {
  let out = "";
  let start = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const size = validSequence(bytes, i);
    if (size > 0) {
      i += size;
      continue;
    }
    out += Buffer.from(bytes.subarray(start, i)).toString("utf8") + "\ufffd";
    i++;
    start = i;
  }
  if (start === 0) return Buffer.from(bytes).toString("utf8");
  return out + Buffer.from(bytes.subarray(start, n)).toString("utf8");
}

/** The length of the valid UTF-8 sequence at i (0 when none starts there). */
function validSequence(b: Uint8Array, i: number): number {
  const c0 = b[i]!;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < b.length && b[j]! >= lo && b[j]! <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c0 === 0xe0) return cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
  if ((c0 >= 0xe1 && c0 <= 0xec) || c0 === 0xee || c0 === 0xef) return cont(i + 1) && cont(i + 2) ? 3 : 0;
  if (c0 === 0xed) return cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
  if (c0 === 0xf0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c0 >= 0xf1 && c0 <= 0xf3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c0 === 0xf4) return cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  return 0;
}
