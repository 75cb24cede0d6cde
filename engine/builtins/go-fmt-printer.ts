// Go's fmt printer for one operand (fmt's format.go and printArg): verbs, flags, width and precision for the
// argument kinds OPA passes to fmt (int, *big.Int, float64, string).
import { formatFloat } from "./go-format-float.js";
import { codePointCount } from "./go-strings.js";
import { canBackquote, goQuote, goQuoteRune, isPrint } from "./rego-text.js";

export type GoArg = { t: "int"; v: bigint } | { t: "big"; v: bigint } | { t: "float"; v: number } | { t: "string"; v: string };

export function goTypeName(a: GoArg): string {
  return a.t === "int" ? "int" : a.t === "big" ? "*big.Int" : a.t === "float" ? "float64" : "string";
}

interface FmtState {
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
}

export function clearFlags(): FmtState {
  return {
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
    minus: false,
    plus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
  };
}

export class Printer {
  buf = "";
  f: FmtState = clearFlags();

  private padding(n: number): string {
    if (n <= 0) return "";
    return (this.f.zero && !this.f.minus ? "0" : " ").repeat(n);
  }
  /** fmt.pad / padString: width counts code points. */
  pad(s: string): void {
    const f = this.f;
    if (!f.widPresent || f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = f.wid - codePointCount(s);
    if (!f.minus) this.buf += this.padding(width) + s;
    else this.buf += s + this.padding(width);
  }

  // ---- integers (Go int)
  fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.buf += this.padding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = "0b" + digits;
      else if (base === 8 && digits[0] !== "0") digits = "0" + digits;
      else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
    }
    if (verb === "O") digits = "0o" + digits;
    if (negative) digits = "-" + digits;
    else if (f.plus) digits = "+" + digits;
    else if (f.space) digits = " " + digits;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = oldZero;
  }

  fmtC(v: bigint): void {
    let c = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    this.pad(String.fromCodePoint(c));
  }

  fmtQc(v: bigint): void {
    const c = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
    this.pad(goQuoteRune(c, this.f.plus));
  }

  fmtUnicode(v: bigint): void {
    const f = this.f;
    const u = v < 0n ? v + 2n ** 64n : v;
    let prec = 4;
    if (f.precPresent && f.prec > 4) prec = f.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    s = "U+" + s;
    if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
  }

  printInt(v: bigint, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
      case "d":
        return this.fmtInteger(v, 10, verb, false);
      case "b":
        return this.fmtInteger(v, 2, verb, false);
      case "o":
      case "O":
        return this.fmtInteger(v, 8, verb, false);
      case "x":
        return this.fmtInteger(v, 16, verb, false);
      case "X":
        return this.fmtInteger(v, 16, verb, true);
      case "c":
        return this.fmtC(v);
      case "q":
        return this.fmtQc(v);
      case "U":
        return this.fmtUnicode(v);
      default:
        return this.badVerb(verb, arg);
    }
  }

  // ---- *big.Int (its own Format method)
  printBig(x: bigint, verb: string): void {
    const f = this.f;
    let base: number;
    switch (verb) {
      case "b":
        base = 2;
        break;
      case "o":
      case "O":
        base = 8;
        break;
      case "d":
      case "s":
      case "v":
        base = 10;
        break;
      case "x":
      case "X":
        base = 16;
        break;
      default:
        this.buf += `%!${verb}(big.Int=${x.toString()})`;
        return;
    }
    const plusFlag = f.plus || f.plusV;
    const sharpFlag = f.sharp || f.sharpV;
    const sign = x < 0n ? "-" : plusFlag ? "+" : f.space ? " " : "";
    let prefix = "";
    if (sharpFlag) {
      if (verb === "b") prefix = "0b";
      else if (verb === "o") prefix = "0";
      else if (verb === "x") prefix = "0x";
      else if (verb === "X") prefix = "0X";
    }
    if (verb === "O") prefix = "0o";
    let digits = (x < 0n ? -x : x).toString(base);
    if (verb === "X") digits = digits.toUpperCase();
    let left = 0;
    let zeros = 0;
    let right = 0;
    if (f.precPresent) {
      if (digits.length < f.prec) zeros = f.prec - digits.length;
      else if (digits === "0" && f.prec === 0) return;
    }
    const length = sign.length + prefix.length + zeros + digits.length;
    if (f.widPresent && length < f.wid) {
      const d = f.wid - length;
      if (f.minus) right = d;
      else if (f.zero && !f.precPresent) zeros = d;
      else left = d;
    }
    this.buf += " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
  }

  // ---- float64
  printFloat(v: number, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
        return this.fmtFloat(v, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return this.fmtFloat(v, verb, -1);
      case "f":
      case "e":
      case "E":
        return this.fmtFloat(v, verb, 6);
      case "F":
        return this.fmtFloat(v, "f", 6);
      default:
        return this.badVerb(verb, arg);
    }
  }

  fmtFloat(v: number, verb: string, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] === "-" || num[0] === "+") {
      // keep
    } else num = "+" + num;
    if (f.space && num[0] === "+" && !f.plus) num = " " + num.slice(1);
    if (f.sharp && verb !== "b") {
      let digits = 0;
      if (verb === "v" || verb === "g" || verb === "G" || verb === "x") {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = "";
      let body = num;
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < body.length; i++) {
        const ch = body[i]!;
        if (ch === ".") hasDecimalPoint = true;
        else if (ch === "p" || ch === "P") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((ch === "e" || ch === "E") && verb !== "x" && verb !== "X") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (ch !== "0") sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === "0") digits--;
        body += ".";
      }
      while (digits > 0) {
        body += "0";
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== "+") {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0] + "0".repeat(f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- string
  printString(s: string, verb: string, arg: GoArg): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) return this.fmtQ(s);
        return this.fmtS(s);
      case "s":
        return this.fmtS(s);
      case "x":
        return this.fmtSx(s, false);
      case "X":
        return this.fmtSx(s, true);
      case "q":
        return this.fmtQ(s);
      default:
        return this.badVerb(verb, arg);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    let n = this.f.prec;
    let i = 0;
    for (const ch of s) {
      if (n-- <= 0) return s.slice(0, i);
      i += ch.length;
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    const bytes = Buffer.from(s, "utf8");
    let length = bytes.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.buf += this.padding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.buf += this.padding(f.wid - width);
    const x = upper ? "0X" : "0x";
    let out = f.sharp ? x : "";
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += " ";
        if (f.sharp) out += x;
      }
      const h = bytes[i]!.toString(16).padStart(2, "0");
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.buf += this.padding(f.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(goQuote(s, this.f.plus));
  }

  // ---- dispatch
  printArg(arg: GoArg, verb: string): void {
    if (verb === "T") {
      this.fmtS(goTypeName(arg));
      return;
    }
    switch (arg.t) {
      case "int":
        return this.printInt(arg.v, verb, arg);
      case "big":
        return this.printBig(arg.v, verb);
      case "float":
        return this.printFloat(arg.v, verb, arg);
      case "string":
        return this.printString(arg.v, verb, arg);
    }
  }

  badVerb(verb: string, arg: GoArg): void {
    this.buf += "%!" + verb + "(" + goTypeName(arg) + "=";
    this.printArg(arg, "v");
    this.buf += ")";
  }
}
