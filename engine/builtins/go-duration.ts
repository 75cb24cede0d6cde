// Go's time.ParseDuration ("1h2m3.5s", "-1.5us") as int64 nanoseconds, with Go's error messages.
import { BuiltinError } from "./registry.js";
import { NS_PER_SEC } from "./time-calendar.js";
import { isDigitAt } from "./go-time-layout.js";
import { goTimeQuote, leadingInt } from "./go-time-parse.js";

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
