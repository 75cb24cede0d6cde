// Time built-ins: time.now_ns, time.parse_ns, time.parse_rfc3339_ns, time.parse_duration_ns, time.format, time.date,
// time.clock, time.weekday, time.add_date, time.diff.
//
// Times are integer nanoseconds since the Unix epoch (bigint beyond 2^53), within Go's int64 range. Layouts are Go's
// reference-time layouts ("2006-01-02T15:04:05Z07:00"), parsed and formatted with Go's rules and error messages.
// Time zones come from the system's tzdata (TZif files, as Go reads them), else from Intl; "Local" is UTC.
import { readFileSync } from "node:fs";
import { normalizeBig, type Value } from "../value/value.js";
import { int, num, str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, number, string, union } from "./types.js";

const NS_PER_SEC = 1_000_000_000n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** An operand error with OPA's own wording after "operand N" (code eval_type_error). */
class OperandMessageError extends OperandTypeError {
  constructor(position: number, message: string) {
    super(position, "", undefined);
    this.message = `operand ${position} ${message}`;
  }
}

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

// ---------------------------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian)

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (month: number, year: number): number =>
  month === 2 && isLeap(year) ? 29 : DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** Days since 1970-01-01 of a civil date (month 1-12). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date [year, month 1-12, day] of a day count since 1970-01-01. */
function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

// ---------------------------------------------------------------------------------------------------------------
// Locations

interface Zone {
  name: string;
  offset: number;
}

interface Location {
  /** The zone (abbreviation and UTC offset in seconds) in effect at `sec` seconds since the epoch. */
  lookup(sec: number): Zone;
}

const UTC: Location = { lookup: () => ({ name: "UTC", offset: 0 }) };

// --- POSIX TZ strings (the footer of TZif files, for times after the last transition)

interface Rule {
  kind: "julian" | "doy" | "mwd";
  day: number;
  week: number;
  mon: number;
  /** Seconds after local midnight. */
  time: number;
}

function tzName(s: string): [string, string] | undefined {
  if (s === "") return undefined;
  if (s[0] !== "<") {
    const m = /^[^0-9,+-]*/.exec(s)![0];
    if (m.length < 3) return undefined;
    return [m, s.slice(m.length)];
  }
  const end = s.indexOf(">");
  return end < 0 ? undefined : [s.slice(1, end), s.slice(end + 1)];
}

function tzNum(s: string, min: number, max: number): [number, string] | undefined {
  const m = /^\d+/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (const c of m[0]) {
    n = n * 10 + (c.charCodeAt(0) - 48);
    if (n > max) return undefined;
  }
  return n < min ? undefined : [n, s.slice(m[0].length)];
}

/** "[+-]hh[:mm[:ss]]" as seconds. */
function tzOffset(s: string): [number, string] | undefined {
  if (s === "") return undefined;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const h = tzNum(s, 0, 24 * 7);
  if (!h) return undefined;
  let off = h[0] * 3600;
  s = h[1];
  if (s[0] === ":") {
    const m = tzNum(s.slice(1), 0, 59);
    if (!m) return undefined;
    off += m[0] * 60;
    s = m[1];
    if (s[0] === ":") {
      const sec = tzNum(s.slice(1), 0, 59);
      if (!sec) return undefined;
      off += sec[0];
      s = sec[1];
    }
  }
  return [neg ? -off : off, s];
}

function tzRule(s: string): [Rule, string] | undefined {
  const r: Rule = { kind: "doy", day: 0, week: 0, mon: 0, time: 2 * 3600 };
  if (s === "") return undefined;
  if (s[0] === "J") {
    const d = tzNum(s.slice(1), 1, 365);
    if (!d) return undefined;
    r.kind = "julian";
    r.day = d[0];
    s = d[1];
  } else if (s[0] === "M") {
    const mon = tzNum(s.slice(1), 1, 12);
    if (!mon || mon[1][0] !== ".") return undefined;
    const week = tzNum(mon[1].slice(1), 1, 5);
    if (!week || week[1][0] !== ".") return undefined;
    const day = tzNum(week[1].slice(1), 0, 6);
    if (!day) return undefined;
    Object.assign(r, { kind: "mwd", mon: mon[0], week: week[0], day: day[0] });
    s = day[1];
  } else {
    const d = tzNum(s, 0, 365);
    if (!d) return undefined;
    r.day = d[0];
    s = d[1];
  }
  if (s[0] !== "/") return [r, s];
  const t = tzOffset(s.slice(1));
  if (!t) return undefined;
  r.time = t[0];
  return [r, t[1]];
}

/** Seconds after the start of `year` (UTC) at which `rule` takes effect, given the offset in force before it. */
function ruleTime(year: number, r: Rule, offset: number): number {
  let day: number;
  if (r.kind === "julian") day = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  else if (r.kind === "doy") day = r.day;
  else {
    const firstDow = mod(daysFromCivil(year, r.mon, 1) + 4, 7);
    let d = mod(r.day - firstDow, 7);
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn(r.mon, year)) break;
      d += 7;
    }
    day = d + DAYS_BEFORE[r.mon - 1]! + (isLeap(year) && r.mon > 2 ? 1 : 0);
  }
  return day * 86400 + r.time - offset;
}

function tzset(spec: string, sec: number): Zone | undefined {
  const std = tzName(spec);
  if (!std) return undefined;
  const stdOff = tzOffset(std[1]);
  if (!stdOff) return undefined;
  let stdName = std[0];
  // POSIX offsets are west of Greenwich; ours are east
  let stdOffset = -stdOff[0];
  let s = stdOff[1];
  if (s === "" || s[0] === ",") return { name: stdName, offset: stdOffset };
  const dst = tzName(s);
  if (!dst) return undefined;
  let dstName = dst[0];
  let dstOffset: number;
  s = dst[1];
  if (s === "" || s[0] === ",") dstOffset = stdOffset + 3600;
  else {
    const o = tzOffset(s);
    if (!o) return undefined;
    dstOffset = -o[0];
    s = o[1];
  }
  if (s === "") s = ",M3.2.0,M11.1.0";
  if (s[0] !== "," && s[0] !== ";") return undefined;
  const start = tzRule(s.slice(1));
  if (!start || start[1][0] !== ",") return undefined;
  const end = tzRule(start[1].slice(1));
  if (!end || end[1] !== "") return undefined;
  const days = floorDiv(sec, 86400);
  const year = civilFromDays(days)[0];
  const ysec = sec - daysFromCivil(year, 1, 1) * 86400;
  let startSec = ruleTime(year, start[0], stdOffset);
  let endSec = ruleTime(year, end[0], dstOffset);
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
  }
  if (ysec < startSec || ysec >= endSec) return { name: stdName, offset: stdOffset };
  return { name: dstName, offset: dstOffset };
}

// --- TZif files

class TzifLocation implements Location {
  constructor(
    private readonly zones: (Zone & { isDST: boolean })[],
    private readonly when: number[],
    private readonly index: number[],
    private readonly extend: string,
  ) {}

  private firstZone(): Zone {
    // as Go: the first zone unless transitions use it; else the first standard-time zone
    if (!this.index.includes(0)) return this.zones[0]!;
    if (this.index.length > 0 && this.zones[this.index[0]!]!.isDST) {
      for (let zi = this.index[0]! - 1; zi >= 0; zi--) if (!this.zones[zi]!.isDST) return this.zones[zi]!;
    }
    return this.zones.find((z) => !z.isDST) ?? this.zones[0]!;
  }

  lookup(sec: number): Zone {
    if (this.zones.length === 0) return { name: "UTC", offset: 0 };
    if (this.when.length === 0 || sec < this.when[0]!) return this.firstZone();
    let lo = 0;
    let hi = this.when.length;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      if (sec < this.when[m]!) hi = m;
      else lo = m;
    }
    if (lo === this.when.length - 1 && this.extend !== "") {
      const z = tzset(this.extend, sec);
      if (z) return z;
    }
    return this.zones[this.index[lo]!]!;
  }
}

const MALFORMED = "malformed time zone information";

function parseTzif(data: Buffer): Location {
  const bad = (): BuiltinError => new BuiltinError(MALFORMED);
  let p = 0;
  const header = (): number[] => {
    if (data.length < p + 44 || data.toString("latin1", p, p + 4) !== "TZif") throw bad();
    const counts = [0, 1, 2, 3, 4, 5].map((i) => data.readUInt32BE(p + 20 + i * 4));
    p += 44;
    return counts;
  };
  let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = header() as [number, number, number, number, number, number];
  const version = data[4]!;
  let timeSize = 4;
  if (version !== 0) {
    p += timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
    [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = header() as [number, number, number, number, number, number];
    timeSize = 8;
  }
  const need = timecnt * (timeSize + 1) + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  if (data.length < p + need) throw bad();
  const when: number[] = [];
  for (let i = 0; i < timecnt; i++)
    when.push(timeSize === 8 ? Number(data.readBigInt64BE(p + i * 8)) : data.readInt32BE(p + i * 4));
  p += timecnt * timeSize;
  const index = [...data.subarray(p, p + timecnt)];
  p += timecnt;
  const types = data.subarray(p, p + typecnt * 6);
  p += typecnt * 6;
  const abbrev = data.subarray(p, p + charcnt);
  p += charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  const zones: (Zone & { isDST: boolean })[] = [];
  for (let i = 0; i < typecnt; i++) {
    const at = types[i * 6 + 5]!;
    if (at >= abbrev.length) throw bad();
    const end = abbrev.indexOf(0, at);
    zones.push({
      offset: types.readInt32BE(i * 6),
      isDST: types[i * 6 + 4] !== 0,
      name: abbrev.toString("latin1", at, end < 0 ? abbrev.length : end),
    });
  }
  if (zones.length === 0) throw bad();
  if (index.some((i) => i >= zones.length)) throw bad();
  let extend = "";
  const rest = data.subarray(p);
  if (timeSize === 8 && rest.length > 2 && rest[0] === 10 && rest[rest.length - 1] === 10)
    extend = rest.toString("latin1", 1, rest.length - 1);
  if (when.length === 0) {
    when.push(-Infinity);
    index.push(0);
  }
  return new TzifLocation(zones, when, index, extend);
}

// --- Intl (when the system has no tzdata for a name)

class IntlLocation implements Location {
  private readonly parts: Intl.DateTimeFormat;
  private readonly names: Intl.DateTimeFormat;
  constructor(timeZone: string) {
    this.parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    this.names = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" });
  }

  lookup(sec: number): Zone {
    const date = new Date(sec * 1000);
    const f: Record<string, number> = {};
    for (const part of this.parts.formatToParts(date)) if (part.type !== "literal") f[part.type] = Number(part.value);
    const local = Date.UTC(f["year"]!, f["month"]! - 1, f["day"], f["hour"], f["minute"], f["second"]) / 1000;
    const offset = local - sec;
    const named = this.names.formatToParts(date).find((x) => x.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{3,5}$/.test(named)) return { name: named, offset };
    // tzdata names zones without an abbreviation by their offset: "+03", "-0330"
    const a = Math.abs(offset);
    const hh = String(Math.floor(a / 3600)).padStart(2, "0");
    const mm = Math.floor((a % 3600) / 60);
    return { name: (offset < 0 ? "-" : "+") + hh + (mm !== 0 ? String(mm).padStart(2, "0") : ""), offset };
  }
}

function intlLocation(name: string): Location | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // Intl matches names case-insensitively; tzdata does not
  if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) return undefined;
  return new IntlLocation(name);
}

const ZONE_DIRS = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"];
const locationCache = new Map<string, Location>();

/** Go's time.LoadLocation (with "" and "UTC" as UTC, "Local" as UTC here). Throws BuiltinError. */
export function loadLocation(name: string): Location {
  if (name === "" || name === "UTC" || name === "Local") return UTC;
  const cached = locationCache.get(name);
  if (cached) return cached;
  if (name.includes("..") || name[0] === "/" || name[0] === "\\") throw new BuiltinError("time: invalid location name");
  let firstErr: string | undefined;
  let loc: Location | undefined;
  const dirs = process.env["ZONEINFO"] ? [process.env["ZONEINFO"] + "/", ...ZONE_DIRS] : ZONE_DIRS;
  for (const dir of dirs) {
    let data: Buffer;
    try {
      data = readFileSync(dir + name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue;
      firstErr ??=
        code === "EISDIR" ? "is a directory" : code === "ENOTDIR" ? "not a directory" : code === "EACCES" ? "permission denied" : MALFORMED;
      continue;
    }
    try {
      loc = parseTzif(data);
      break;
    } catch {
      firstErr ??= MALFORMED;
    }
  }
  loc ??= intlLocation(name);
  if (loc === undefined) throw new BuiltinError(firstErr ?? `unknown time zone ${name}`);
  locationCache.set(name, loc);
  return loc;
}

// ---------------------------------------------------------------------------------------------------------------
// Instants and their fields

interface Instant {
  /** Whole seconds since the epoch (floor). */
  sec: number;
  /** 0 to 999,999,999. */
  nsec: number;
}

function instantOf(ns: bigint): Instant {
  let sec = ns / NS_PER_SEC;
  let rem = ns % NS_PER_SEC;
  if (rem < 0n) {
    sec -= 1n;
    rem += NS_PER_SEC;
  }
  return { sec: Number(sec), nsec: Number(rem) };
}

/** Nanoseconds of an instant, or a BuiltinError when beyond Go's int64 range. */
function nsOf(sec: number, nsec: number): bigint {
  if (!Number.isFinite(sec)) throw new BuiltinError("time outside of valid range");
  const ns = BigInt(sec) * NS_PER_SEC + BigInt(nsec);
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError("time outside of valid range");
  return ns;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 1-based day of the year. */
  yday: number;
  zone: Zone;
}

function fieldsOf(t: Instant, loc: Location): Fields {
  const zone = loc.lookup(t.sec);
  const wall = t.sec + zone.offset;
  const days = floorDiv(wall, 86400);
  const sod = wall - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(sod / 3600),
    min: Math.floor((sod % 3600) / 60),
    sec: sod % 60,
    nsec: t.nsec,
    weekday: mod(days + 4, 7),
    yday: days - daysFromCivil(year, 1, 1) + 1,
    zone,
  };
}

/** Seconds since the epoch of a wall-clock reading in `loc` (Go's time.Date resolution of offsets). */
function wallToUnix(wall: number, loc: Location): number {
  const offset = loc.lookup(wall).offset;
  if (offset === 0) return wall;
  return wall - loc.lookup(wall - offset).offset;
}

/** Go's time.Date: fields may be out of their usual ranges and are normalized. */
function dateToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  loc: Location,
): Instant {
  const m0 = month - 1;
  year += floorDiv(m0, 12);
  const days = daysFromCivil(year, mod(m0, 12) + 1, 1) + day - 1;
  sec += floorDiv(nsec, 1e9);
  nsec = mod(nsec, 1e9);
  const wall = days * 86400 + hour * 3600 + min * 60 + sec;
  return { sec: wallToUnix(wall, loc), nsec };
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts

const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const LONG_MONTHS = [
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
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

/** Layout names OPA accepts in place of a layout. */
const NAMED_LAYOUTS: Record<string, string> = {
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
const RFC3339 = NAMED_LAYOUTS["RFC3339"]!;
const RFC3339_NANO = NAMED_LAYOUTS["RFC3339Nano"]!;

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

const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

/** The first layout element of `layout`: the text before it, the element, and the text after it. */
function nextStdChunk(layout: string): Chunk {
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

const isISO = (k: StdKind): boolean => k.startsWith("ISO8601");

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

// --- Parsing (Go's time.Parse, with UTC as both the default and the local location)

class ParseFailure extends Error {}

function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): BuiltinError {
  if (message === "")
    return new BuiltinError(
      `parsing time ${goTimeQuote(value)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
    );
  return new BuiltinError(`parsing time ${goTimeQuote(value)}${message}`);
}

/** Go's time-package leadingInt: [value, rest], or undefined on overflow. Consumes no digits for "". */
function leadingInt(s: string): [bigint, string] | undefined {
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

// ---------------------------------------------------------------------------------------------------------------
// Durations (Go's time.ParseDuration)

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n, // micro sign
  "\u03bcs": 1000n, // Greek mu
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
};

export function parseDuration(orig: string): bigint {
  const invalid = (): BuiltinError => new BuiltinError("time: invalid duration " + goTimeQuote(orig));
  let s = orig;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  const limit = 1n << 63n;
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigitAt(s, 0))) throw invalid();
    const before = s.length;
    const lead = leadingInt(s);
    if (lead === undefined) throw invalid();
    let v = lead[0];
    s = lead[1];
    const pre = before !== s.length;
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      const start = s.length;
      let overflow = false;
      let i = 0;
      for (; i < s.length && isDigitAt(s, i); i++) {
        if (overflow) continue;
        if (f > (limit - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > limit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(i);
      post = start !== s.length;
    }
    if (!pre && !post) throw invalid();
    let i = 0;
    while (i < s.length && s[i] !== "." && !isDigitAt(s, i)) i++;
    if (i === 0) throw new BuiltinError("time: missing unit in duration " + goTimeQuote(orig));
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNITS[u];
    if (unit === undefined || !Object.hasOwn(UNITS, u))
      throw new BuiltinError("time: unknown unit " + goTimeQuote(u) + " in duration " + goTimeQuote(orig));
    if (v > limit / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // as Go: in float64, which is exact to the nanosecond for fractions of the largest unit
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > limit) throw invalid();
    }
    d += v;
    if (d > limit) throw invalid();
  }
  if (neg) return -d;
  if (d > limit - 1n) throw invalid();
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments: ns, [ns, tz] or [ns, tz, layout]

interface TimeArg {
  t: Instant;
  loc: Location;
  layout: string;
}

const TIME_OPERAND = "either number (ns) or [number (ns), string (tz)]";

function nsFromNumber(n: number | bigint): bigint {
  if (typeof n === "bigint") {
    if (n < INT64_MIN || n > INT64_MAX) throw new BuiltinError("timestamp too big");
    return n;
  }
  if (!Number.isInteger(n) || n < -(2 ** 63) || n >= 2 ** 63) throw new BuiltinError("timestamp too big");
  return BigInt(n);
}

function timeArg(v: Value | undefined): TimeArg {
  let loc = UTC;
  let layout = "";
  let n: Value | undefined = v;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new OperandTypeError(1, TIME_OPERAND, v);
    n = v[0];
    if (typeof n !== "number" && typeof n !== "bigint") throw new OperandTypeError(1, "number", n);
    if (v.length > 1) {
      const tz = v[1];
      if (typeof tz !== "string") throw new OperandTypeError(1, "string", tz);
      loc = loadLocation(tz);
    }
    if (v.length > 2) {
      const l = v[2];
      if (typeof l !== "string") throw new OperandTypeError(1, "string", l);
      layout = l;
    }
  } else if (typeof v !== "number" && typeof v !== "bigint") {
    throw new OperandTypeError(1, TIME_OPERAND, v);
  }
  return { t: instantOf(nsFromNumber(n as number | bigint)), loc, layout };
}

function timeFormat(v: Value | undefined): string {
  const { t, loc, layout } = timeArg(v);
  const l = layout === "" ? RFC3339_NANO : Object.hasOwn(NAMED_LAYOUTS, layout) ? NAMED_LAYOUTS[layout]! : layout;
  return formatLayout(fieldsOf(t, loc), l);
}

function addDate(args: Value[]): Value {
  const { t, loc } = timeArg(args[0]);
  const counts = [1, 2, 3].map((i) => {
    num(args, i);
    try {
      return int(args, i);
    } catch {
      throw new OperandMessageError(i + 1, "must be integer number but got floating-point number");
    }
  });
  const f = fieldsOf(t, loc);
  const r = dateToInstant(f.year + counts[0]!, f.month + counts[1]!, f.day + counts[2]!, f.hour, f.min, f.sec, f.nsec, loc);
  return normalizeBig(nsOf(r.sec, r.nsec));
}

/** [years, months, days, hours, minutes, seconds] between two times, in the first one's zone. */
function timeDiff(a: Value | undefined, b: Value | undefined): number[] {
  const x = timeArg(a);
  const y = timeArg(b);
  let t1 = x.t;
  let t2 = y.t;
  if (t1.sec > t2.sec || (t1.sec === t2.sec && t1.nsec > t2.nsec)) [t1, t2] = [t2, t1];
  const f1 = fieldsOf(t1, x.loc);
  const f2 = fieldsOf(t2, x.loc);
  let years = f2.year - f1.year;
  let months = f2.month - f1.month;
  let days = f2.day - f1.day;
  let hours = f2.hour - f1.hour;
  let minutes = f2.min - f1.min;
  let seconds = f2.sec - f1.sec;
  // borrow from the next larger unit where a difference is negative
  if (seconds < 0) {
    seconds += 60;
    minutes--;
  }
  if (minutes < 0) {
    minutes += 60;
    hours--;
  }
  if (hours < 0) {
    hours += 24;
    days--;
  }
  if (days < 0) {
    days += daysIn(f1.month, f1.year);
    months--;
  }
  if (months < 0) {
    months += 12;
    years--;
  }
  return [years, months, days, hours, minutes, seconds];
}

const timeInput = union(number, arrayOf(any));

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "time.now_ns",
    args: [],
    result: { name: "now", type: number, description: "nanoseconds since epoch" },
    description: "Returns the current time since epoch in nanoseconds.",
    categories: ["time"],
    nondeterministic: true,
    impl: (_args, ctx) => normalizeBig(ctx.nowNs),
  });
  r.register({
    name: "time.parse_ns",
    args: [
      {
        name: "layout",
        type: string,
        description: "format used for parsing, see the [Go `time` package documentation](https://golang.org/pkg/time/#Parse) for more details",
      },
      { name: "value", type: string, description: "input to parse according to `layout`" },
    ],
    result: { name: "ns", type: number, description: "`value` in nanoseconds since epoch" },
    description:
      "Returns the time in nanoseconds parsed from the string in the given format. `undefined` if the result would be " +
      "outside the valid time range that can fit within an `int64`.",
    categories: ["time"],
    impl: (args) => {
      const layout = str(args, 0);
      const value = str(args, 1);
      return normalizeBig(parseLayout(Object.hasOwn(NAMED_LAYOUTS, layout) ? NAMED_LAYOUTS[layout]! : layout, value));
    },
  });
  r.register({
    name: "time.parse_rfc3339_ns",
    args: [{ name: "value", type: string, description: "input string to parse in RFC3339 format" }],
    result: { name: "ns", type: number, description: "`value` in nanoseconds since epoch" },
    description:
      "Returns the time in nanoseconds parsed from the string in RFC3339 format. `undefined` if the result would be " +
      "outside the valid time range that can fit within an `int64`.",
    categories: ["time"],
    impl: (args) => normalizeBig(parseLayout(RFC3339, str(args, 0))),
  });
  r.register({
    name: "time.parse_duration_ns",
    args: [
      {
        name: "duration",
        type: string,
        description:
          'a duration like "3m"; see the [Go `time` package documentation](https://golang.org/pkg/time/#ParseDuration) for more details',
      },
    ],
    result: { name: "ns", type: number, description: "the `duration` in nanoseconds" },
    description: "Returns the duration in nanoseconds represented by a string.",
    categories: ["time"],
    impl: (args) => normalizeBig(parseDuration(str(args, 0))),
  });
  r.register({
    name: "time.format",
    args: [
      {
        name: "x",
        type: union(number, arrayOf(any)),
        description:
          "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and " +
          "a timezone string; or a three-element array of ns, timezone string and a layout string or golang defined " +
          "formatting constant (see golang supported time formats)",
      },
    ],
    result: {
      name: "formatted timestamp",
      type: string,
      description: "the formatted timestamp represented for the nanoseconds since the epoch in the supplied timezone (or UTC)",
    },
    description: "Returns the formatted timestamp for the nanoseconds since epoch.",
    categories: ["time"],
    impl: (args) => timeFormat(args[0]),
  });
  r.register({
    name: "time.date",
    args: [
      {
        name: "x",
        type: timeInput,
        description: "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string",
      },
    ],
    result: { name: "date", type: arrayOf(number), description: "an array of `year`, `month` (1-12), and `day` (1-31)" },
    description: "Returns the `[year, month, day]` for the nanoseconds since epoch.",
    categories: ["time"],
    impl: (args) => {
      const { t, loc } = timeArg(args[0]);
      const f = fieldsOf(t, loc);
      return [f.year, f.month, f.day];
    },
  });
  r.register({
    name: "time.clock",
    args: [
      {
        name: "x",
        type: timeInput,
        description: "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string",
      },
    ],
    result: {
      name: "output",
      type: arrayOf(number),
      description:
        "the `hour`, `minute` (0-59), and `second` (0-59) representing the time of day for the nanoseconds since epoch in the supplied timezone (or UTC)",
    },
    description: "Returns the `[hour, minute, second]` of the day for the nanoseconds since epoch.",
    categories: ["time"],
    impl: (args) => {
      const { t, loc } = timeArg(args[0]);
      const f = fieldsOf(t, loc);
      return [f.hour, f.min, f.sec];
    },
  });
  r.register({
    name: "time.weekday",
    args: [
      {
        name: "x",
        type: timeInput,
        description: "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string",
      },
    ],
    result: {
      name: "day",
      type: string,
      description: "the weekday represented by `ns` nanoseconds since the epoch in the supplied timezone (or UTC)",
    },
    description: "Returns the day of the week (Monday, Tuesday, ...) for the nanoseconds since epoch.",
    categories: ["time"],
    impl: (args) => {
      const { t, loc } = timeArg(args[0]);
      return LONG_DAYS[fieldsOf(t, loc).weekday]!;
    },
  });
  r.register({
    name: "time.add_date",
    args: [
      { name: "ns", type: number, description: "nanoseconds since the epoch" },
      { name: "years", type: number, description: "number of years to add" },
      { name: "months", type: number, description: "number of months to add" },
      { name: "days", type: number, description: "number of days to add" },
    ],
    result: {
      name: "output",
      type: number,
      description: "nanoseconds since the epoch representing the input time, with years, months and days added",
    },
    description:
      "Returns the nanoseconds since epoch after adding years, months and days to nanoseconds. Month & day values " +
      "outside their usual ranges after the operation and will be normalized - for example, October 32 would become " +
      "November 1. `undefined` if the result would be outside the valid time range that can fit within an `int64`.",
    categories: ["time"],
    impl: (args) => addDate(args),
  });
  r.register({
    name: "time.diff",
    args: [
      { name: "ns1", type: timeInput, description: "nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string" },
      { name: "ns2", type: timeInput, description: "nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string" },
    ],
    result: {
      name: "output",
      type: arrayOf(number),
      description:
        "difference between `ns1` and `ns2` (in their supplied timezones, if supplied, or UTC) as array of numbers: `[years, months, days, hours, minutes, seconds]`",
    },
    description: "Returns the difference between two unix timestamps in nanoseconds (with optional timezone strings).",
    categories: ["time"],
    impl: (args) => timeDiff(args[0], args[1]),
  });
}
