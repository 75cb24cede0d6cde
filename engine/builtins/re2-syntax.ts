// The RE2 parser: Go's regexp/syntax with the Perl flags (the same accepted language, the same error messages).
import { ERR, height, MAX_HEIGHT, MAX_REPEAT, MAX_SIZE, repeatIsValid, size, syntaxError, type Flags, type Node } from "./re2-ast.js";
import { appendGroup, isAlnum, parseClass, parseEscape, parseUnicodeClass, perlGroup } from "./re2-classes.js";

export class Parser {
  pos = 0;
  flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false };
  numCap = 0;
  names: string[] = [""];
  private lastRepeat = -1;

  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.parseAlt(0);
    if (height(node) > MAX_HEIGHT) throw syntaxError(ERR.nestingDepth, this.s);
    if (size(node) > MAX_SIZE) throw syntaxError(ERR.large, this.s);
    return node;
  }

  private cp(at: number): number {
    return this.s.codePointAt(at)!;
  }
  private width(at: number): number {
    return this.cp(at) > 0xffff ? 2 : 1;
  }

  /** Parses alternatives up to the ')' closing this group (consumed) or the end of the pattern (depth 0). */
  private parseAlt(depth: number): Node {
    const s = this.s;
    const alts: Node[] = [];
    let items: Node[] = [];
    const finish = (): Node => {
      alts.push(items.length === 0 ? { k: "empty" } : items.length === 1 ? items[0]! : { k: "concat", subs: items });
      return alts.length === 1 ? alts[0]! : { k: "alt", subs: alts };
    };
    while (this.pos < s.length) {
      let repeatStart = -1;
      const c = s[this.pos]!;
      switch (c) {
        case "(": {
          if (s[this.pos + 1] === "?") {
            const node = this.parsePerlFlags(depth);
            if (node) items.push(node);
          } else {
            this.pos++;
            this.numCap++;
            this.names.push("");
            items.push({ k: "cap", sub: this.group(depth) });
          }
          break;
        }
        case "|":
          alts.push(items.length === 0 ? { k: "empty" } : items.length === 1 ? items[0]! : { k: "concat", subs: items });
          items = [];
          this.pos++;
          break;
        case ")":
          if (depth === 0) throw syntaxError(ERR.unexpectedParen, s);
          this.pos++;
          return finish();
        case "^":
          items.push({ k: "assert", js: this.flags.oneLine ? "^" : "(?<![^\\n])" });
          this.pos++;
          break;
        case "$":
          items.push({ k: "assert", js: this.flags.oneLine ? "$" : "(?![^\\n])" });
          this.pos++;
          break;
        case ".":
          items.push({ k: "any", nl: this.flags.dotNL });
          this.pos++;
          break;
        case "[": {
          const [cls, end] = parseClass(s, this.pos, this.flags.fold);
          items.push(cls);
          this.pos = end;
          break;
        }
        case "*":
        case "+":
        case "?": {
          repeatStart = this.pos;
          const [min, max] = c === "*" ? [0, -1] : c === "+" ? [1, -1] : [0, 1];
          this.repeat(items, min, max, this.pos, this.pos + 1, false);
          break;
        }
        case "{": {
          const r = this.parseRepeat(this.pos);
          if (!r) {
            items.push(this.literal(0x7b));
            this.pos++;
            break;
          }
          const [min, max, after] = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw syntaxError(ERR.invalidRepeatSize, s.slice(this.pos, after));
          }
          repeatStart = this.pos;
          this.repeat(items, min, max, this.pos, after, true);
          break;
        }
        case "\\":
          this.parseBackslash(items);
          break;
        default: {
          items.push(this.literal(this.cp(this.pos)));
          this.pos += this.width(this.pos);
        }
      }
      this.lastRepeat = repeatStart;
    }
    if (depth > 0) throw syntaxError(ERR.missingParen, s);
    return finish();
  }

  private group(depth: number): Node {
    const saved = { ...this.flags };
    this.lastRepeat = -1;
    const sub = this.parseAlt(depth + 1);
    this.flags = saved;
    return sub;
  }

  private literal(cp: number): Node {
    return { k: "lit", cp, fold: this.flags.fold };
  }

  private repeat(items: Node[], min: number, max: number, before: number, after: number, brace: boolean): void {
    let greedy = !this.flags.nonGreedy;
    if (this.s[after] === "?") {
      after++;
      greedy = !greedy;
    }
    if (this.lastRepeat >= 0) throw syntaxError(ERR.invalidRepeatOp, this.s.slice(this.lastRepeat, after));
    if (items.length === 0) throw syntaxError(ERR.missingRepeatArgument, this.s.slice(before, after));
    const node: Node = { k: "rep", min, max, greedy, brace, sub: items.pop()! };
    items.push(node);
    if (brace && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw syntaxError(ERR.invalidRepeatSize, this.s.slice(before, after));
    }
    this.pos = after;
  }

  /** {min}, {min,} or {min,max} at `at`: [min, max, end] (min -1 when a number is too big), or undefined. */
  private parseRepeat(at: number): [number, number, number] | undefined {
    const s = this.s;
    let i = at + 1;
    const int = (): number | undefined => {
      if (i >= s.length || s[i]! < "0" || s[i]! > "9") return undefined;
      if (s[i] === "0" && i + 1 < s.length && s[i + 1]! >= "0" && s[i + 1]! <= "9") return undefined;
      let n = 0;
      const start = i;
      while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
      for (let j = start; j < i; j++) {
        if (n >= 1e8) return -1;
        n = n * 10 + (s.charCodeAt(j) - 0x30);
      }
      return n;
    };
    let min = int();
    if (min === undefined || i >= s.length) return undefined;
    let max: number;
    if (s[i] !== ",") max = min;
    else {
      i++;
      if (i >= s.length) return undefined;
      if (s[i] === "}") max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (max < 0) min = -1;
      }
    }
    if (i >= s.length || s[i] !== "}") return undefined;
    return [min, max, i + 1];
  }

  /** `(?` constructs: named captures, flag groups, flag settings. Returns the group node, or undefined. */
  private parsePerlFlags(depth: number): Node | undefined {
    const s = this.s;
    const t = s.slice(this.pos);
    const startsWithP = t.length > 4 && t[2] === "P" && t[3] === "<";
    const startsWithName = t.length > 3 && t[2] === "<";
    if (startsWithP || startsWithName) {
      const begin = startsWithP ? 4 : 3;
      const end = t.indexOf(">");
      if (end < 0) throw syntaxError(ERR.invalidNamedCapture, t);
      const name = t.slice(begin, end);
      if (name === "" || ![...name].every((ch) => ch === "_" || isAlnum(ch.codePointAt(0)!))) {
        throw syntaxError(ERR.invalidNamedCapture, t.slice(0, end + 1));
      }
      this.pos += end + 1;
      this.numCap++;
      this.names.push(name);
      return { k: "cap", sub: this.group(depth) };
    }
    const flags = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    let i = 2;
    while (i < t.length) {
      const ch = String.fromCodePoint(t.codePointAt(i)!);
      i += ch.length;
      const on = sign > 0;
      if (ch === "i") {
        flags.fold = on;
        sawFlag = true;
      } else if (ch === "m") {
        flags.oneLine = !on;
        sawFlag = true;
      } else if (ch === "s") {
        flags.dotNL = on;
        sawFlag = true;
      } else if (ch === "U") {
        flags.nonGreedy = on;
        sawFlag = true;
      } else if (ch === "-") {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (ch === ":" || ch === ")") {
        if (sign < 0 && !sawFlag) break;
        this.pos += i;
        if (ch === ":") {
          const saved = this.flags;
          this.flags = flags;
          this.lastRepeat = -1;
          const sub = this.parseAlt(depth + 1);
          this.flags = saved;
          return { k: "group", sub };
        }
        this.flags = flags;
        return undefined;
      } else break;
    }
    throw syntaxError(ERR.invalidPerlOp, t.slice(0, i));
  }

  private parseBackslash(items: Node[]): void {
    const s = this.s;
    const next = s[this.pos + 1];
    switch (next) {
      case "A":
        items.push({ k: "assert", js: "^" });
        this.pos += 2;
        return;
      case "b":
        items.push({ k: "assert", js: "\\b" });
        this.pos += 2;
        return;
      case "B":
        items.push({ k: "assert", js: "\\B" });
        this.pos += 2;
        return;
      case "C":
        throw syntaxError(ERR.invalidEscape, "\\C");
      case "Q": {
        let end = s.indexOf("\\E", this.pos + 2);
        const lit = end < 0 ? s.slice(this.pos + 2) : s.slice(this.pos + 2, end);
        for (const ch of lit) items.push(this.literal(ch.codePointAt(0)!));
        if (end < 0) end = s.length;
        else end += 2;
        this.pos = end;
        return;
      }
      case "z":
        items.push({ k: "assert", js: "$" });
        this.pos += 2;
        return;
    }
    if (next === "p" || next === "P") {
      const cls: Node & { k: "class" } = { k: "class", ranges: [], parts: [], neg: false };
      this.pos = parseUnicodeClass(s, this.pos, cls, this.flags.fold);
      items.push(cls);
      return;
    }
    const perl = perlGroup(s, this.pos);
    if (perl) {
      const cls: Node & { k: "class" } = { k: "class", ranges: [], parts: [], neg: false };
      appendGroup(cls, perl[0], perl[1], this.flags.fold);
      items.push(cls);
      this.pos += 2;
      return;
    }
    const [cp, end] = parseEscape(s, this.pos);
    items.push(this.literal(cp));
    this.pos = end;
  }

}
