// Go's time.Parse (with UTC as both the default and the local location), its number readers and error messages.
import { BuiltinError } from "./registry.js";
import { DAYS_BEFORE, dateToInstant, daysIn, isLeap, nsOf } from "./time-calendar.js";
import { UTC } from "./time-zones.js";
import { isDigitAt, isISO, LONG_DAYS, LONG_MONTHS, nextStdChunk, SHORT_DAYS, SHORT_MONTHS } from "./go-time-layout.js";

/** Go's time-package quoting: non-ASCII and control characters as \x escapes of their UTF-8 bytes. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, "utf8")) out += "\\x" + b.toString(16).padStart(2, "0");
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return out + '"';
}

class ParseFailure extends Error {}

function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): BuiltinError {
  if (message === "")
    return new BuiltinError(
      `parsing time ${goTimeQuote(value)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
    );
  return new BuiltinError(`parsing time ${goTimeQuote(value)}${message}`);
}

/** Go's time-package leadingInt: [value, rest], or undefined on overflow. Consumes no digits for "". */
export function leadingInt(s: string): [bigint, string] | undefined {
  let i = 0;
  let x = 0n;
  for (; i < s.length && s[i]! >= "0" && s[i]! <= "9"; i++) {
    if (x > (1n << 63n) / 10n) return undefined;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > 1n << 63n) return undefined;
  }
  return [x, s.slice(i)];
}

/** Go's time-package atoi: an optional sign and digits, all of `s`. */
function atoi(s: string): number {
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (r === undefined || r[1] !== "") throw new ParseFailure();
  const x = Number(BigInt.asIntN(64, r[0]));
  return neg ? -x : x;
}

/** One or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new ParseFailure();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new ParseFailure();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** One to three digits (exactly three when `fixed`). */
function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw new ParseFailure();
  return [n, s.slice(i)];
}

/** Equal but for the case of ASCII letters. */
function foldEqual(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      x |= 0x20;
      y |= 0x20;
      if (x !== y || x < 97 || x > 122) return false;
    }
  }
  return true;
}

/** Case-insensitive (ASCII) match of one of `names` at the start of `s`: [index, rest]. */
function lookupName(names: string[], s: string): [number, string] {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (s.length >= name.length && foldEqual(s.slice(0, name.length), name)) return [i, s.slice(name.length)];
  }
  throw new ParseFailure();
}

const commaOrPeriod = (c: string | undefined): boolean => c === "." || c === ",";

/** Fractional seconds from "value[0..n)" (a separator and digits) as nanoseconds. */
function parseNanoseconds(value: string, n: number): [number, string] {
  if (!commaOrPeriod(value[0])) throw new ParseFailure();
  if (n > 10) n = 10;
  const ns = atoi(value.slice(1, n));
  if (ns < 0) return [0, "fractional second"];
  return [ns * 10 ** (10 - n), ""];
}

/** Skips the literal `prefix` in `value`; a space in the prefix matches any run of spaces. */
function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") throw new ParseFailure();
      prefix = prefix.replace(/^ +/, "");
      value = value.replace(/^ +/, "");
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new ParseFailure();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function parseSignedOffset(value: string): number {
  if (value[0] !== "-" && value[0] !== "+") return 0;
  const r = leadingInt(value.slice(1));
  if (r === undefined || r[1] === value.slice(1) || r[0] > 23n) return 0;
  return value.length - r[1].length;
}

/** The length of a time zone abbreviation at the start of `value`, or 0. */
function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === "+" || value[0] === "-") return parseSignedOffset(value);
  let upper = 0;
  while (upper < 6 && upper < value.length && value[upper]! >= "A" && value[upper]! <= "Z") upper++;
  switch (upper) {
    case 5:
      return value[4] === "T" ? 5 : 0;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

/** Go's time.Parse(layout, value) as nanoseconds since the epoch. Throws BuiltinError with Go's messages. */
export function parseLayout(layout: string, value: string): bigint {
  const alayout = layout;
  const avalue = value;
  let rangeErr = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utcZone = false;
  let zoneOffset = -1;

  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    try {
      value = skip(value, prefix);
    } catch {
      throw parseError(alayout, avalue, prefix, value, "");
    }
    if (std === undefined) {
      if (value.length !== 0) throw parseError(alayout, avalue, "", value, ": extra text: " + goTimeQuote(value));
      break;
    }
    layout = suffix;
    const hold = value;
    try {
      switch (std.kind) {
        case "Year": {
          if (value.length < 2) throw new ParseFailure();
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case "LongYear": {
          if (value.length < 4 || !isDigitAt(value, 0)) throw new ParseFailure();
          const p = value.slice(0, 4);
          value = value.slice(4);
          year = atoi(p);
          break;
        }
        case "Month":
          [month, value] = lookupName(SHORT_MONTHS, value);
          month++;
          break;
        case "LongMonth":
          [month, value] = lookupName(LONG_MONTHS, value);
          month++;
          break;
        case "NumMonth":
        case "ZeroMonth":
          [month, value] = getnum(value, std.kind === "ZeroMonth");
          if (month <= 0 || month > 12) rangeErr = "month";
          break;
        case "WeekDay":
          value = lookupName(SHORT_DAYS, value)[1];
          break;
        case "LongWeekDay":
          value = lookupName(LONG_DAYS, value)[1];
          break;
        case "Day":
        case "UnderDay":
        case "ZeroDay":
          if (std.kind === "UnderDay" && value[0] === " ") value = value.slice(1);
          [day, value] = getnum(value, std.kind === "ZeroDay");
          break;
        case "UnderYearDay":
        case "ZeroYearDay":
          for (let i = 0; i < 2; i++) if (std.kind === "UnderYearDay" && value[0] === " ") value = value.slice(1);
          [yday, value] = getnum3(value, std.kind === "ZeroYearDay");
          break;
        case "Hour":
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = "hour";
          break;
        case "Hour12":
        case "ZeroHour12":
          [hour, value] = getnum(value, std.kind === "ZeroHour12");
          if (hour < 0 || hour > 12) rangeErr = "hour";
          break;
        case "Minute":
        case "ZeroMinute":
          [min, value] = getnum(value, std.kind === "ZeroMinute");
          if (min < 0 || min >= 60) rangeErr = "minute";
          break;
        case "Second":
        case "ZeroSecond": {
          [sec, value] = getnum(value, std.kind === "ZeroSecond");
          if (sec < 0 || sec >= 60) {
            rangeErr = "second";
            break;
          }
          // a fractional second in the value without one in the layout
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std?.kind;
            if (next === "FracSecond0" || next === "FracSecond9") break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            [nsec, rangeErr] = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case "PM":
        case "pm": {
          if (value.length < 2) throw new ParseFailure();
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [am, pm] = std.kind === "PM" ? ["AM", "PM"] : ["am", "pm"];
          if (p === pm) pmSet = true;
          else if (p === am) amSet = true;
          else throw new ParseFailure();
          break;
        }
        case "TZ": {
          if (value.startsWith("UTC")) {
            utcZone = true;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw new ParseFailure();
          // a named zone other than UTC is unknown to the (UTC) local location: the reading stays as UTC
          value = value.slice(n);
          break;
        }
        case "FracSecond0": {
          const ndigit = 1 + std.digits!;
          if (value.length < ndigit) throw new ParseFailure();
          [nsec, rangeErr] = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case "FracSecond9": {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          [nsec, rangeErr] = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
        default: {
          // numeric zone offsets, and the ISO 8601 forms that also accept "Z"
          if (isISO(std.kind) && value[0] === "Z") {
            value = value.slice(1);
            utcZone = true;
            break;
          }
          let sign: string;
          let hh: string;
          let mm = "00";
          let ss = "00";
          const k = std.kind;
          if (k === "ISO8601ColonTZ" || k === "NumColonTZ") {
            if (value.length < 6 || value[3] !== ":") throw new ParseFailure();
            [sign, hh, mm, value] = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(6)];
          } else if (k === "NumShortTZ" || k === "ISO8601ShortTZ") {
            if (value.length < 3) throw new ParseFailure();
            [sign, hh, value] = [value[0]!, value.slice(1, 3), value.slice(3)];
          } else if (k === "ISO8601ColonSecondsTZ" || k === "NumColonSecondsTZ") {
            if (value.length < 9 || value[3] !== ":" || value[6] !== ":") throw new ParseFailure();
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
          } else if (k === "ISO8601SecondsTZ" || k === "NumSecondsTz") {
            if (value.length < 7) throw new ParseFailure();
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
          } else {
            if (value.length < 5) throw new ParseFailure();
            [sign, hh, mm, value] = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5)];
          }
          const hr = getnum(hh, true)[0];
          const mi = getnum(mm, true)[0];
          const se = getnum(ss, true)[0];
          if (hr > 24) rangeErr = "time zone offset hour";
          if (mi > 60) rangeErr = "time zone offset minute";
          if (se > 60) rangeErr = "time zone offset second";
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === "-") zoneOffset = -zoneOffset;
          else if (sign !== "+") throw new ParseFailure();
        }
      }
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      if (rangeErr !== "") throw parseError(alayout, avalue, stdstr, value, ": " + rangeErr + " out of range");
      throw parseError(alayout, avalue, stdstr, hold, "");
    }
    if (rangeErr !== "") throw parseError(alayout, avalue, stdstr, value, ": " + rangeErr + " out of range");
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) throw parseError(alayout, avalue, "", value, ": day-of-year out of range");
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) throw parseError(alayout, avalue, "", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) throw parseError(alayout, avalue, "", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(alayout, avalue, "", value, ": day out of range");

  const t = dateToInstant(year, month, day, hour, min, sec, nsec, UTC);
  if (!utcZone && zoneOffset !== -1) t.sec -= zoneOffset;
  return nsOf(t.sec, t.nsec);
}
