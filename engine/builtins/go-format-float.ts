// Go's strconv.FormatFloat(x, verb, prec, 64): shortest and fixed-precision decimal (%e, %f, %g), %b and hex (%x).

interface Decimal {
  d: string; // digits without leading/trailing zeros ("" for zero)
  dp: number; // decimal point position
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  digits = digits.replace(/0+$/, "");
  return { d: digits, dp };
}

/** The shortest decimal that reads back as x (x > 0). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const [m, e] = x.toExponential().split("e");
  const d = m!.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
}

/** Rounds to nd digits, half to even (Go's decimal.Round). */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  let up: boolean;
  if (a.d[nd] === "5" && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 0x30) % 2 === 1;
  else up = a.d[nd]! >= "5";
  if (up) {
    for (let i = nd - 1; i >= 0; i--) {
      if (a.d[i]! < "9") return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
    }
    return { d: "1", dp: a.dp + 1 };
  }
  const d = a.d.slice(0, nd).replace(/0+$/, "");
  return { d, dp: d === "" ? 0 : a.dp };
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: string): string {
  let out = neg ? "-" : "";
  out += d.d.length ? d.d[0] : "0";
  if (prec > 0) {
    out += ".";
    let i = 1;
    const m = Math.min(d.d.length, prec + 1);
    if (i < m) {
      out += d.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += "0";
  }
  out += e;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else out += "+";
  out += exp < 10 ? "0" + exp : String(exp);
  return out;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? "-" : "";
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m) + "0".repeat(d.dp - m);
  } else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.d.length ? d.d[j] : "0";
    }
  }
  return out;
}

function floatBits(x: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const neg = hi >>> 31 === 1;
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  return { neg, mant, exp };
}

function fmtX(x: number, prec: number, verb: string): string {
  const bits = floatBits(x);
  const neg = bits.neg;
  let { mant, exp } = bits;
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 at bit 60
  const bit60 = 1n << 60n;
  while (mant !== 0n && (mant & bit60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (bit60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = verb === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = (neg ? "-" : "") + "0" + verb + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += verb === "X" ? "P" : "p";
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else out += "+";
  out += exp < 10 ? "0" + exp : String(exp);
  return out;
}

/** strconv.FormatFloat(x, verb, prec, 64). */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (verb === "b") {
    const { neg, mant, exp } = floatBits(x);
    const e = exp - 52;
    return (neg ? "-" : "") + mant.toString() + "p" + (e >= 0 ? "+" : "") + e;
  }
  if (verb === "x" || verb === "X") return fmtX(x, prec, verb);
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(ax);
    if (verb === "e" || verb === "E") prec = Math.max(d.d.length - 1, 0);
    else if (verb === "f") prec = Math.max(d.d.length - d.dp, 0);
    else prec = d.d.length;
  } else {
    d = exactDecimal(ax);
    if (verb === "e" || verb === "E") d = roundDecimal(d, prec + 1);
    else if (verb === "f") d = roundDecimal(d, d.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(d, prec);
    }
  }
  switch (verb) {
    case "e":
    case "E":
      return fmtE(neg, d, shortest ? d.d.length - 1 : prec, verb);
    case "f":
      return fmtF(neg, d, prec);
    default: {
      // g, G
      let eprec = prec;
      if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.d.length) prec = d.d.length;
        return fmtE(neg, d, prec - 1, verb === "G" ? "E" : "e");
      }
      if (prec > d.dp) prec = d.d.length;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}
