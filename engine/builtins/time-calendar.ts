// Calendar arithmetic for the time built-ins: proleptic Gregorian dates, instants (int64 nanoseconds) and their
// wall-clock fields in a location.
import { BuiltinError } from "./registry.js";
import type { Location, Zone } from "./time-zones.js";

export const NS_PER_SEC = 1_000_000_000n;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

// ---------------------------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian)

export const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
export const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
export const daysIn = (month: number, year: number): number =>
  month === 2 && isLeap(year) ? 29 : DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
export const floorDiv = (a: number, b: number): number => Math.floor(a / b);
export const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** Days since 1970-01-01 of a civil date (month 1-12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date [year, month 1-12, day] of a day count since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
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
// Instants and their fields

export interface Instant {
  /** Whole seconds since the epoch (floor). */
  sec: number;
  /** 0 to 999,999,999. */
  nsec: number;
}

export function instantOf(ns: bigint): Instant {
  let sec = ns / NS_PER_SEC;
  let rem = ns % NS_PER_SEC;
  if (rem < 0n) {
    sec -= 1n;
    rem += NS_PER_SEC;
  }
  return { sec: Number(sec), nsec: Number(rem) };
}

/** Nanoseconds of an instant, or a BuiltinError when beyond Go's int64 range. */
export function nsOf(sec: number, nsec: number): bigint {
  if (!Number.isFinite(sec)) throw new BuiltinError("time outside of valid range");
  const ns = BigInt(sec) * NS_PER_SEC + BigInt(nsec);
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError("time outside of valid range");
  return ns;
}

export interface Fields {
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

export function fieldsOf(t: Instant, loc: Location): Fields {
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
export function dateToInstant(
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
