// Go's fmt.Sprintf (the format-string interpreter of fmt's doPrintf), and sprintf as OPA calls it.
//
// `sprintf` passes its arguments to Go's fmt the way OPA does: integers as Go `int` (or `*big.Int` beyond 64 bits),
// other numbers as `float64`, strings as Go strings and every other value as its Rego text (so `%v` of a collection
// prints Rego syntax, and `%d` of a boolean prints "%!d(string=true)", exactly as OPA).
import type { Value } from "../value/value.js";
import { clearFlags, goTypeName, Printer, type GoArg } from "./go-fmt-printer.js";
import { regoText } from "./rego-text.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toGoArg(v: Value): GoArg {
  if (typeof v === "string") return { t: "string", v };
  if (typeof v === "bigint") return v >= INT64_MIN && v <= INT64_MAX ? { t: "int", v } : { t: "big", v };
  if (typeof v === "number") {
    // Integers are Go ints (or *big.Int); a double beyond 2^53 written with an exponent stays a float64, as OPA
    // keeps such a number's text ("1e+21") and cannot read it as an integer.
    if (Number.isInteger(v) && (Number.isSafeInteger(v) || Math.abs(v) < 1e21)) {
      const b = BigInt(v);
      return b >= INT64_MIN && b <= INT64_MAX ? { t: "int", v: b } : { t: "big", v: b };
    }
    return { t: "float", v };
  }
  return { t: "string", v: regoText(v) };
}

/** Go's fmt.Sprintf for the argument kinds OPA produces. */
export function goSprintf(format: string, a: GoArg[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const parsenum = (start: number): [number, boolean, number] => {
    let n = 0;
    let isnum = false;
    let i = start;
    if (start >= end) return [0, false, end];
    for (; i < end && format[i]! >= "0" && format[i]! <= "9"; i++) {
      if (n > 1e6 || n < -1e6) return [0, false, end];
      n = n * 10 + (format.charCodeAt(i) - 0x30);
      isnum = true;
    }
    return [n, isnum, i];
  };
  const argNumber = (i: number): [number, number, boolean] => {
    if (i >= end || format[i] !== "[") return [argNum, i, false];
    reordered = true;
    // parseArgNumber
    let index = 0;
    let wid = 1;
    let ok = false;
    if (end - i >= 3) {
      for (let j = i + 1; j < end; j++) {
        if (format[j] === "]") {
          const [w, isnum, newi] = parsenum(i + 1);
          if (!isnum || newi !== j) {
            wid = j - i + 1;
            ok = false;
          } else {
            index = w - 1;
            wid = j - i + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
    goodArgNum = false;
    return [argNum, i + wid, ok];
  };
  const intFromArg = (): [number, boolean] => {
    let n = 0;
    let isInt = false;
    if (argNum < a.length) {
      const x = a[argNum]!;
      if (x.t === "int") {
        n = Number(x.v);
        isInt = true;
      }
      argNum++;
      if (n > 1e6 || n < -1e6) {
        n = 0;
        isInt = false;
      }
    }
    return [n, isInt];
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.f = clearFlags();
    const f = p.f;
    let simple = false;
    for (; i < end; i++) {
      const c = format[i]!;
      if (c === "#") f.sharp = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "+") f.plus = true;
      else if (c === "-") {
        f.minus = true;
        f.zero = false;
      } else if (c === " ") f.space = true;
      else {
        if (c >= "a" && c <= "z" && argNum < a.length) {
          if (c === "v") {
            f.sharpV = f.sharp;
            f.sharp = false;
            f.plusV = f.plus;
            f.plus = false;
          }
          p.printArg(a[argNum]!, c);
          argNum++;
          i++;
          simple = true;
        }
        break;
      }
    }
    if (simple) continue;

    [argNum, i, afterIndex] = argNumber(i);

    if (i < end && format[i] === "*") {
      i++;
      [f.wid, f.widPresent] = intFromArg();
      if (!f.widPresent) p.buf += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      [f.wid, f.widPresent, i] = parsenum(i);
      if (afterIndex && f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === "*") {
        i++;
        [f.prec, f.precPresent] = intFromArg();
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [f.prec, f.precPresent, i] = parsenum(i);
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }

    if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);

    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }

    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;

    if (verb === "%") p.buf += "%";
    else if (!goodArgNum) p.buf += "%!" + verb + "(BADINDEX)";
    else if (argNum >= a.length) p.buf += "%!" + verb + "(MISSING)";
    else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(a[argNum]!, verb);
      argNum++;
    }
  }

  if (!reordered && argNum < a.length) {
    p.f = clearFlags();
    p.buf += "%!(EXTRA ";
    for (let k = argNum; k < a.length; k++) {
      if (k > argNum) p.buf += ", ";
      p.buf += goTypeName(a[k]!) + "=";
      p.printArg(a[k]!, "v");
    }
    p.buf += ")";
  }
  return p.buf;
}

export function sprintf(format: string, values: Value[]): string {
  return plainSprintf(format, values) ?? goSprintf(format, values.map(toGoArg));
}

/** sprintf by Go's fmt in every case (what `sprintf`'s shortcut must agree with). */
export function goSprintfValues(format: string, values: Value[]): string {
  return goSprintf(format, values.map(toGoArg));
}

/**
 * The common case of sprintf without Go's interpreter: only `%s`, `%v` and `%%`, no flags, widths or indexes, one
 * value per verb, each a string, a safe integer under `%v`, or any other non-number (its Rego text, as toGoArg gives
 * it to `%s`/`%v`). Undefined for anything else.
 */
function plainSprintf(format: string, values: Value[]): string | undefined {
  let out = "";
  let last = 0;
  let n = 0;
  for (let i = format.indexOf("%"); i >= 0; i = format.indexOf("%", i)) {
    const verb = format.charCodeAt(i + 1);
    out += format.slice(last, i);
    if (verb === 0x25 /* % */) out += "%";
    else if (verb === 0x73 /* s */ || verb === 0x76 /* v */) {
      if (n >= values.length) return undefined;
      const v = values[n++]!;
      if (typeof v === "string") out += v;
      else if (typeof v === "number") {
        if (verb !== 0x76 || !Number.isSafeInteger(v)) return undefined;
        out += String(v);
      } else if (typeof v === "bigint") return undefined;
      else out += regoText(v);
    } else return undefined;
    i += 2;
    last = i;
  }
  return n === values.length ? out + format.slice(last) : undefined;
}
