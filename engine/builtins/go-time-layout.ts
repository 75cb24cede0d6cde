// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): splitting a layout into its elements, and Time.Format.
import { mod, type Fields } from "./time-calendar.js";

export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
export const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

/** Layout names OPA accepts in place of a layout. */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
};
export const RFC3339 = NAMED_LAYOUTS["RFC3339"]!;
export const RFC3339_NANO = NAMED_LAYOUTS["RFC3339Nano"]!;

type StdKind =
  | "LongMonth"
  | "Month"
  | "NumMonth"
  | "ZeroMonth"
  | "LongWeekDay"
  | "WeekDay"
  | "Day"
  | "UnderDay"
  | "ZeroDay"
  | "UnderYearDay"
  | "ZeroYearDay"
  | "Hour"
  | "Hour12"
  | "ZeroHour12"
  | "Minute"
  | "ZeroMinute"
  | "Second"
  | "ZeroSecond"
  | "LongYear"
  | "Year"
  | "PM"
  | "pm"
  | "TZ"
  | "ISO8601TZ"
  | "ISO8601SecondsTZ"
  | "ISO8601ShortTZ"
  | "ISO8601ColonTZ"
  | "ISO8601ColonSecondsTZ"
  | "NumTZ"
  | "NumSecondsTz"
  | "NumShortTZ"
  | "NumColonTZ"
  | "NumColonSecondsTZ"
  | "FracSecond0"
  | "FracSecond9";

interface Std {
  kind: StdKind;
  /** Fractional seconds: the number of digits and the separator ('.' or ','). */
  digits?: number;
  sep?: string;
}

interface Chunk {
  prefix: string;
  std: Std | undefined;
  suffix: string;
}

const ZERO_STDS: StdKind[] = ["ZeroMonth", "ZeroDay", "ZeroHour12", "ZeroMinute", "ZeroSecond", "Year"];
const NUM_TZ: [string, StdKind][] = [
  ["-070000", "NumSecondsTz"],
  ["-07:00:00", "NumColonSecondsTZ"],
  ["-0700", "NumTZ"],
  ["-07:00", "NumColonTZ"],
  ["-07", "NumShortTZ"],
];
const ISO_TZ: [string, StdKind][] = [
  ["Z070000", "ISO8601SecondsTZ"],
  ["Z07:00:00", "ISO8601ColonSecondsTZ"],
  ["Z0700", "ISO8601TZ"],
  ["Z07:00", "ISO8601ColonTZ"],
  ["Z07", "ISO8601ShortTZ"],
];

export const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

/** The first layout element of `layout`: the text before it, the element, and the text after it. */
export function nextStdChunk(layout: string): Chunk {
  const at = (i: number, kind: StdKind, len: number): Chunk => ({
    prefix: layout.slice(0, i),
    std: { kind },
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const rest = layout.slice(i);
    switch (c) {
      case "J":
        if (rest.startsWith("Jan")) {
          if (rest.startsWith("January")) return at(i, "LongMonth", 7);
          if (!startsWithLower(rest.slice(3))) return at(i, "Month", 3);
        }
        break;
      case "M":
        if (rest.startsWith("Mon")) {
          if (rest.startsWith("Monday")) return at(i, "LongWeekDay", 6);
          if (!startsWithLower(rest.slice(3))) return at(i, "WeekDay", 3);
        }
        if (rest.startsWith("MST")) return at(i, "TZ", 3);
        break;
      case "0":
        if (rest.length >= 2 && rest[1]! >= "1" && rest[1]! <= "6") return at(i, ZERO_STDS[rest.charCodeAt(1) - 49]!, 2);
        if (rest.startsWith("002")) return at(i, "ZeroYearDay", 3);
        break;
      case "1":
        if (rest.startsWith("15")) return at(i, "Hour", 2);
        return at(i, "NumMonth", 1);
      case "2":
        if (rest.startsWith("2006")) return at(i, "LongYear", 4);
        return at(i, "Day", 1);
      case "_":
        if (rest.startsWith("_2")) {
          // "_2006" is a literal "_" and the year
          if (rest.startsWith("_2006")) return { prefix: layout.slice(0, i + 1), std: { kind: "LongYear" }, suffix: layout.slice(i + 5) };
          return at(i, "UnderDay", 2);
        }
        if (rest.startsWith("__2")) return at(i, "UnderYearDay", 3);
        break;
      case "3":
        return at(i, "Hour12", 1);
      case "4":
        return at(i, "Minute", 1);
      case "5":
        return at(i, "Second", 1);
      case "P":
        if (rest.startsWith("PM")) return at(i, "PM", 2);
        break;
      case "p":
        if (rest.startsWith("pm")) return at(i, "pm", 2);
        break;
      case "-":
        for (const [text, kind] of NUM_TZ) if (rest.startsWith(text)) return at(i, kind, text.length);
        break;
      case "Z":
        for (const [text, kind] of ISO_TZ) if (rest.startsWith(text)) return at(i, kind, text.length);
        break;
      case ".":
      case ",":
        if (rest[1] === "0" || rest[1] === "9") {
          const ch = rest[1];
          let j = 1;
          while (j < rest.length && rest[j] === ch) j++;
          if (!isDigitAt(rest, j)) {
            return {
              prefix: layout.slice(0, i),
              std: { kind: ch === "0" ? "FracSecond0" : "FracSecond9", digits: j - 1, sep: c },
              suffix: layout.slice(i + j),
            };
          }
        }
        break;
    }
  }
  return { prefix: layout, std: undefined, suffix: "" };
}

/** Go's appendInt: zero-padded to `width`, sign first. */
function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, "0");
  return x < 0 ? "-" + s : s;
}

export const isISO = (k: StdKind): boolean => k.startsWith("ISO8601");

function formatZone(kind: StdKind, offset: number): string {
  if (offset === 0 && isISO(kind)) return "Z";
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out = "+";
  if (zone < 0) {
    out = "-";
    zone = -zone;
    abs = -abs;
  }
  out += pad(Math.floor(zone / 60), 2);
  const colon = kind === "ISO8601ColonTZ" || kind === "NumColonTZ" || kind === "ISO8601ColonSecondsTZ" || kind === "NumColonSecondsTZ";
  if (colon) out += ":";
  if (kind !== "NumShortTZ" && kind !== "ISO8601ShortTZ") out += pad(zone % 60, 2);
  if (kind === "ISO8601SecondsTZ" || kind === "NumSecondsTz" || kind === "NumColonSecondsTZ" || kind === "ISO8601ColonSecondsTZ") {
    if (kind === "NumColonSecondsTZ" || kind === "ISO8601ColonSecondsTZ") out += ":";
    out += pad(abs % 60, 2);
  }
  return out;
}

/** Go's Time.Format. */
export function formatLayout(f: Fields, layout: string): string {
  let out = "";
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    out += prefix;
    if (std === undefined) break;
    layout = suffix;
    switch (std.kind) {
      case "Year":
        out += pad(mod(f.year, 100), 2);
        break;
      case "LongYear":
        out += pad(f.year, 4);
        break;
      case "Month":
        out += SHORT_MONTHS[f.month - 1];
        break;
      case "LongMonth":
        out += LONG_MONTHS[f.month - 1];
        break;
      case "NumMonth":
        out += f.month;
        break;
      case "ZeroMonth":
        out += pad(f.month, 2);
        break;
      case "WeekDay":
        out += SHORT_DAYS[f.weekday];
        break;
      case "LongWeekDay":
        out += LONG_DAYS[f.weekday];
        break;
      case "Day":
        out += f.day;
        break;
      case "UnderDay":
        out += (f.day < 10 ? " " : "") + f.day;
        break;
      case "ZeroDay":
        out += pad(f.day, 2);
        break;
      case "UnderYearDay":
        out += (f.yday < 100 ? (f.yday < 10 ? "  " : " ") : "") + f.yday;
        break;
      case "ZeroYearDay":
        out += pad(f.yday, 3);
        break;
      case "Hour":
        out += pad(f.hour, 2);
        break;
      case "Hour12":
        out += f.hour % 12 === 0 ? 12 : f.hour % 12;
        break;
      case "ZeroHour12":
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, 2);
        break;
      case "Minute":
        out += f.min;
        break;
      case "ZeroMinute":
        out += pad(f.min, 2);
        break;
      case "Second":
        out += f.sec;
        break;
      case "ZeroSecond":
        out += pad(f.sec, 2);
        break;
      case "PM":
        out += f.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += f.hour >= 12 ? "pm" : "am";
        break;
      case "TZ":
        if (f.zone.name !== "") out += f.zone.name;
        else {
          const zone = Math.trunc(f.zone.offset / 60);
          const a = Math.abs(zone);
          out += (zone < 0 ? "-" : "+") + pad(Math.floor(a / 60), 2) + pad(a % 60, 2);
        }
        break;
      case "FracSecond0":
      case "FracSecond9": {
        const n = std.digits!;
        const trim = std.kind === "FracSecond9";
        if (trim && (n === 0 || f.nsec === 0)) break;
        let digits = pad(f.nsec, 9);
        if (n < 9) digits = digits.slice(0, n);
        if (trim) digits = digits.replace(/0+$/, "");
        out += digits === "" && trim ? "" : std.sep! + digits;
        break;
      }
      default:
        out += formatZone(std.kind, f.zone.offset);
    }
  }
  return out;
}
