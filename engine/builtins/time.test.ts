import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";
import { register } from "./time.js";

const registry = new BuiltinRegistry();
register(registry);
const NOW = 1700000000123456789n;
const ctx: BuiltinContext = { nowNs: NOW, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);
const sec = (s: number): bigint => BigInt(s) * 1_000_000_000n;

describe("time.now_ns", () => {
  it("is the query's time, and nondeterministic", () => {
    expect(call("time.now_ns")).toBe(NOW);
    expect(registry.get("time.now_ns")!.nondeterministic).toBe(true);
  });
});

describe("time.parse_rfc3339_ns", () => {
  it.each([
    ["1677-09-21T00:12:43.145224192-00:00", -9223372036854775808n],
    ["1970-01-01T00:00:00-00:00", 0],
    ["2017-06-02T19:00:00-07:00", 1496455200000000000n],
    ["2262-04-11T23:47:16.854775807-00:00", 9223372036854775807n],
    ["2006-01-02T15:04:05.123456789+01:00", 1136210645123456789n],
    ["2006-01-02T15:04:05,5Z", 1136214245500000000n],
  ])("%s", (input, want) => {
    expect(call("time.parse_rfc3339_ns", input)).toBe(want);
  });

  it("fails outside the int64 range", () => {
    expect(() => call("time.parse_rfc3339_ns", "1677-09-21T00:12:43.145224191-00:00")).toThrow("time outside of valid range");
    expect(() => call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775808-00:00")).toThrow("time outside of valid range");
  });

  it("fails with Go's messages", () => {
    expect(() => call("time.parse_rfc3339_ns", "foo")).toThrow(
      'parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"',
    );
    expect(() => call("time.parse_rfc3339_ns", "2006-01-02")).toThrow(
      'parsing time "2006-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
    expect(() => call("time.parse_rfc3339_ns", "2006-01-02T25:04:05Z")).toThrow('parsing time "2006-01-02T25:04:05Z": hour out of range');
  });
});

describe("time.parse_ns", () => {
  it.each([
    ["2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00", 1496455200000000000n],
    ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700", 1496455200000000000n],
    ["02 Jan 06 15:04 -0700", "02 Jun 17 19:00 -0700", 1496455200000000000n],
    ["RFC822Z", "02 Jun 17 19:00 -0700", 1496455200000000000n],
    ["2006-01-02", "2020-02-29", 1582934400000000000n],
    ["Mon Jan _2 15:04:05 MST 2006", "Tue Feb  3 10:04:05 UTC 2009", 1233655445000000000n],
    ["UnixDate", "Tue Feb  3 10:04:05 UTC 2009", 1233655445000000000n],
    ["RFC1123", "Tue, 03 Feb 2009 10:04:05 GMT", 1233655445000000000n],
    ["January 2, 2006 3:04 pm", "february 3, 2009 10:04 am", 1233655440000000000n],
    ["2006 002", "2020 060", 1582934400000000000n],
    ["2006-01-02 15:04:05.000", "2009-02-03 10:04:05.250", 1233655445250000000n],
    ["2006-01-02 15:04:05", "2009-02-03 10:04:05.25", 1233655445250000000n],
    ["2006-01-02T15:04:05Z0700", "2009-02-03T10:04:05+0130", 1233650045000000000n],
  ])("%s / %s", (layout, value, want) => {
    expect(call("time.parse_ns", layout, value)).toBe(want);
  });

  it.each([
    ["2006-01-02", "2020-02-30", 'parsing time "2020-02-30": day out of range'],
    ["2006-01-02", "2021-02-29", 'parsing time "2021-02-29": day out of range'],
    ["2006-01-02", "2020-13-01", 'parsing time "2020-13-01": month out of range'],
    ["2006-01-02", "2020-1-01", 'parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01"'],
    ["2006-01-02", "2020-01-01x", 'parsing time "2020-01-01x": extra text: "x"'],
    ["Jan 2006", "Foo 2006", 'parsing time "Foo 2006" as "Jan 2006": cannot parse "Foo 2006" as "Jan"'],
    ["2006-01-02", "20é", 'parsing time "20\\xc3\\xa9" as "2006-01-02": cannot parse "20\\xc3\\xa9" as "2006"'],
    ["15:04", "10:30", "time outside of valid range"],
  ])("%s / %s fails", (layout, value, message) => {
    expect(() => call("time.parse_ns", layout, value)).toThrow(message);
  });
});

describe("time.parse_duration_ns", () => {
  it.each([
    ["0s", 0],
    ["0", 0],
    ["-0", 0],
    ["1h30m", 5400000000000],
    ["-5s", -5000000000],
    [".5s", 500000000],
    ["5.s", 5000000000],
    ["007s", 7000000000],
    ["100ms", 100000000],
    ["1h2m3.5s", 3723500000000],
    ["300ms", 300000000],
    ["1us", 1000],
    ["1µs", 1000],
    ["1μs", 1000],
    ["1ns", 1],
    ["-1.5h", -5400000000000],
    ["+2m", 120000000000],
    ["2562047h47m16.854775807s", 9223372036854775807n],
    ["-2562047h47m16.854775808s", -9223372036854775808n],
  ])("%s", (input, want) => {
    expect(call("time.parse_duration_ns", input)).toBe(want);
  });

  it.each([
    ["xx1s", 'time: invalid duration "xx1s"'],
    ["1", 'time: missing unit in duration "1"'],
    ["", 'time: invalid duration ""'],
    ["10000000000000000000nh", 'time: invalid duration "10000000000000000000nh"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    ["1 h", 'time: unknown unit " h" in duration "1 h"'],
    [".s", 'time: invalid duration ".s"'],
    ["2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'],
  ])("%j fails", (input, message) => {
    expect(() => call("time.parse_duration_ns", input)).toThrow(message);
  });
});

describe("time.format", () => {
  const t = 1670006453141828752n;
  it("formats RFC3339 with nanoseconds by default", () => {
    expect(call("time.format", t)).toBe("2022-12-02T18:40:53.141828752Z");
    expect(call("time.format", 0)).toBe("1970-01-01T00:00:00Z");
    expect(call("time.format", sec(1) + 500_000_000n)).toBe("1970-01-01T00:00:01.5Z");
  });

  it("formats in a time zone, with a layout or a layout name", () => {
    expect(call("time.format", [t, "Asia/Kolkata"])).toBe("2022-12-03T00:10:53.141828752+05:30");
    expect(call("time.format", [t, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006"])).toBe("Sat Dec 03 00:10:53 +0530 2022");
    expect(call("time.format", [t, "Asia/Kolkata", "RFC1123Z"])).toBe("Sat, 03 Dec 2022 00:10:53 +0530");
    expect(call("time.format", [t, "UTC", "RFC1123"])).toBe("Fri, 02 Dec 2022 18:40:53 UTC");
    expect(call("time.format", [t, "", "RFC3339"])).toBe("2022-12-02T18:40:53Z");
    expect(call("time.format", [t, "Local", "RFC3339"])).toBe("2022-12-02T18:40:53Z");
    expect(call("time.format", [t, "America/New_York", "RFC3339"])).toBe("2022-12-02T13:40:53-05:00");
    expect(call("time.format", [sec(1690000000), "America/New_York", "RFC3339"])).toBe("2023-07-22T00:26:40-04:00");
    expect(call("time.format", [sec(4090000000), "America/New_York", "2006-01-02 15:04 -07:00"])).toBe("2099-08-09 19:06 -04:00");
  });

  it("formats every layout element", () => {
    const layout = "Monday Mon January Jan 1 01 2 02 _2 __2 002 06 2006 3 03 15 4 04 5 05 PM pm .000 .999 ,9 Z07 -07:00:00";
    expect(call("time.format", [t, "UTC", layout])).toBe(
      "Friday Fri December Dec 12 12 2 02  2 336 336 22 2022 6 06 18 40 40 53 53 PM pm .141 .141 ,1 Z +00:00:00",
    );
    expect(call("time.format", [sec(86400 * 4) + 1000n, "UTC", "Jan _2 __2 .000000 .999999999"])).toBe("Jan  5   5 .000001 .000001");
  });

  it("fails on bad operands", () => {
    expect(() => call("time.format", 1582977600n * 10_000_000_000_000n)).toThrow("timestamp too big");
    expect(() => call("time.format", 1.5)).toThrow("timestamp too big");
    expect(() => call("time.format", "x")).toThrow(
      "operand 1 must be either number (ns) or [number (ns), string (tz)] but got string",
    );
    expect(() => call("time.format", [])).toThrow("operand 1 must be either number (ns) or [number (ns), string (tz)] but got array");
    expect(() => call("time.format", ["x"])).toThrow("operand 1 must be number but got string");
    expect(() => call("time.format", [0, 1])).toThrow("operand 1 must be string but got number");
    expect(() => call("time.format", [0, "Foo/Bar"])).toThrow("unknown time zone Foo/Bar");
    expect(() => call("time.format", [0, "../etc/passwd"])).toThrow("time: invalid location name");
  });
});

describe("time.date, time.clock, time.weekday", () => {
  it.each([
    [sec(1517814000), [2018, 2, 5]],
    [[sec(1517814000), "America/Los_Angeles"], [2018, 2, 4]],
    [[sec(1517832000), ""], [2018, 2, 5]],
    [sec(1582977600), [2020, 2, 29]],
    [-1, [1969, 12, 31]],
    [-9223372036854775808n, [1677, 9, 21]],
  ])("date of %s", (input, want) => {
    expect(call("time.date", input as Value)).toEqual(want);
  });

  it.each([
    [sec(1517832000), [12, 0, 0]],
    [[sec(1517832000), "America/New_York"], [7, 0, 0]],
    [sec(1517832000) + sec(3723), [13, 2, 3]],
    [-1, [23, 59, 59]],
  ])("clock of %s", (input, want) => {
    expect(call("time.clock", input as Value)).toEqual(want);
  });

  it.each([
    [1518177600000000000n, "Friday"],
    [0, "Thursday"],
    [-1, "Wednesday"],
    [[1518177600000000000n, "Pacific/Kiritimati"], "Saturday"],
  ])("weekday of %s", (input, want) => {
    expect(call("time.weekday", input as Value)).toBe(want);
  });

  it("fails on timestamps beyond int64", () => {
    expect(() => call("time.date", 1582977600n * 10n ** 12n)).toThrow("timestamp too big");
    expect(() => call("time.weekday", 1582977600n * 10n ** 12n)).toThrow("timestamp too big");
  });
});

describe("time.add_date", () => {
  it("adds years, months and days, normalizing", () => {
    expect(call("time.add_date", 1585852421593912000n, 3, 9, 12)).toBe(1705257221593912000n);
    expect(call("time.add_date", 1585852421593912000n, -1, -1, -1)).toBe(1551465221593912000n);
    // October 31 plus one month is December 1
    const oct31 = call("time.parse_ns", "2006-01-02", "2021-10-31") as number;
    expect(call("time.add_date", oct31, 0, 1, 0)).toBe(call("time.parse_ns", "2006-01-02", "2021-12-01"));
  });

  it("fails outside the int64 range", () => {
    expect(() => call("time.add_date", 0, 2262, 1, 1)).toThrow("time outside of valid range");
    expect(() => call("time.add_date", -9223372036854775808n, 0, 0, -1)).toThrow("time outside of valid range");
  });

  it("requires integers", () => {
    expect(() => call("time.add_date", 0, 1.5, 0, 0)).toThrow("operand 2 must be integer number but got floating-point number");
    expect(() => call("time.add_date", 0, 0, "x", 0)).toThrow("operand 3 must be number but got string");
  });
});

describe("time.diff", () => {
  const day = (s: string): Value => call("time.parse_ns", "2006-01-02", s)!;
  it.each([
    ["2020-02-02", "2020-03-01", [0, 0, 28, 0, 0, 0]],
    ["2021-02-02", "2021-03-01", [0, 0, 27, 0, 0, 0]],
    ["2004-02-29", "2005-03-01", [1, 0, 1, 0, 0, 0]],
    ["2005-03-01", "2004-02-29", [1, 0, 1, 0, 0, 0]],
    ["2000-01-31", "2000-03-01", [0, 1, 1, 0, 0, 0]],
  ])("%s to %s", (a, b, want) => {
    expect(call("time.diff", day(a), day(b))).toEqual(want);
  });

  it("counts hours, minutes and seconds", () => {
    expect(call("time.diff", NOW + sec(61), NOW)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(call("time.diff", NOW, NOW + sec(86399))).toEqual([0, 0, 0, 23, 59, 59]);
  });

  it("compares in the first time's zone", () => {
    expect(call("time.diff", [NOW + sec(60), "UTC"], [NOW, "Asia/Shanghai"])).toEqual([0, 0, 0, 0, 1, 0]);
  });
});
