// Laws of the time family (engine/builtins/time.ts): RFC 3339 format / parse round trip, date / clock / weekday
// against JavaScript's UTC calendar, add_date and diff identities, durations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/time.js";
import { callv, expectEq, familyDecls, params, tableDriven, val } from "../laws.js";

export const family = "time";
export const laws = ["time.format", "time.parse_rfc3339_ns", "time.parse_ns", "time.date", "time.clock", "time.weekday", "time.add_date", "time.diff", "time.parse_duration_ns", "time.now_ns"];

// 1900..2200, at millisecond precision plus nanoseconds
const ns = fc.tuple(fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 }), fc.integer({ min: 0, max: 999_999 })).map(([ms, n]) => BigInt(ms) * 1_000_000n + BigInt(n));
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

describe("time laws", () => {
  it("parse_rfc3339_ns(format(t)) == t; parse_ns with the RFC 3339 layout agrees", () => {
    fc.assert(
      fc.property(ns, (t) => {
        const s = callv("time.format", t) as string;
        expectEq(callv("time.parse_rfc3339_ns", s), t);
        expectEq(callv("time.parse_ns", "2006-01-02T15:04:05.999999999Z07:00", s), t);
      }),
      params(),
    );
  });
  it("date, clock and weekday agree with JavaScript's UTC calendar", () => {
    fc.assert(
      fc.property(ns, (t) => {
        const d = new Date(Number(t / 1_000_000n - (t < 0n && t % 1_000_000n !== 0n ? 1n : 0n)));
        expectEq(callv("time.date", t), [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
        expectEq(callv("time.clock", t), [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]);
        expectEq(callv("time.weekday", t), DAYS[d.getUTCDay()]!);
        expectEq(callv("time.date", [t, "UTC"]), callv("time.date", t));
      }),
      params(),
    );
  });
  it("add_date(t, 0, 0, 0) == t; diff(t, t) is zero; adding days moves the date", () => {
    fc.assert(
      fc.property(ns, fc.integer({ min: -400, max: 400 }), (t, days) => {
        expectEq(callv("time.add_date", t, 0, 0, 0), t);
        expectEq(callv("time.diff", t, t), [0, 0, 0, 0, 0, 0]);
        const later = callv("time.add_date", t, 0, 0, days) as bigint | number;
        expectEq(val("input[1] - input[0]", [t, later]), BigInt(days) * 86_400_000_000_000n);
      }),
      params(),
    );
  });
  it("parse_duration_ns: units add up; now_ns is fixed within a query", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        expectEq(callv("time.parse_duration_ns", `${h}h${m}m`), (h * 3600 + m * 60) * 1e9);
        expectEq(callv("time.parse_duration_ns", `${h}ms`), h * 1e6);
        expectEq(callv("time.parse_duration_ns", `-${h}s`), -h * 1e9 || 0);
        expect(val("time.now_ns() == time.now_ns()")).toBe(true);
      }),
      params(30),
    );
  });
});

describe("time: table-driven", () => tableDriven(familyDecls(register)));
