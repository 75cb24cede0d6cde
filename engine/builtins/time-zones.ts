// Time zones as Go's time.LoadLocation finds them: the system's tzdata (TZif files with their POSIX TZ footer), else
// Intl; "", "UTC" and "Local" are UTC.
import { readFileSync } from "node:fs";
import { BuiltinError } from "./registry.js";
import { civilFromDays, DAYS_BEFORE, daysFromCivil, daysIn, floorDiv, isLeap, mod } from "./time-calendar.js";

export interface Zone {
  name: string;
  offset: number;
}

export interface Location {
  /** The zone (abbreviation and UTC offset in seconds) in effect at `sec` seconds since the epoch. */
  lookup(sec: number): Zone;
}

export const UTC: Location = { lookup: () => ({ name: "UTC", offset: 0 }) };

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
