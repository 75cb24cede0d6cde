// Time built-ins: time.now_ns, time.parse_ns, time.parse_rfc3339_ns, time.parse_duration_ns, time.format, time.date,
// time.clock, time.weekday, time.add_date, time.diff.
//
// Times are integer nanoseconds since the Unix epoch (bigint beyond 2^53), within Go's int64 range. Layouts are Go's
// reference-time layouts (go-time-layout.ts, go-time-parse.ts), durations Go's (go-duration.ts), and time zones come
// from the system's tzdata, else from Intl (time-zones.ts); "Local" is UTC.
import { normalizeBig, type Value } from "../value/value.js";
import { int, num, str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, number, string, union } from "./types.js";
import { daysIn, dateToInstant, fieldsOf, instantOf, INT64_MAX, INT64_MIN, nsOf, type Instant } from "./time-calendar.js";
import { loadLocation, UTC, type Location } from "./time-zones.js";
import { formatLayout, LONG_DAYS, NAMED_LAYOUTS, RFC3339, RFC3339_NANO } from "./go-time-layout.js";
import { parseLayout } from "./go-time-parse.js";
import { parseDuration } from "./go-duration.js";

/** An operand error with OPA's own wording after "operand N" (code eval_type_error). */
class OperandMessageError extends OperandTypeError {
  constructor(position: number, message: string) {
    super(position, "", undefined);
    this.message = `operand ${position} ${message}`;
  }
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
