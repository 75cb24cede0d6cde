// Lexer and parser for strings.render_template's subset of Go's text/template (see go-template.ts), with Go's
// parse errors.
import { utf8Length } from "./go-strings.js";
import { goQuoteRune } from "./rego-text.js";

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type TVal = null | boolean | string | JsonNumber | TVal[] | { [k: string]: TVal } | bigint;

export class TemplateError extends Error {}

export type TTok =
  | { k: "field"; names: string[]; pos: number; at: number; src: string }
  | { k: "var"; name: string; names: string[]; pos: number; at: number; src: string }
  | { k: "dot"; pos: number; src: string }
  | { k: "ident"; name: string; pos: number; src: string }
  | { k: "str"; v: string; pos: number; src: string }
  | { k: "num"; v: TVal; pos: number; src: string }
  | { k: "bool"; v: boolean; pos: number; src: string }
  | { k: "nil"; pos: number; src: string }
  | { k: "punct"; v: string; pos: number; src: string };

export type TArg = { k: "tok"; tok: TTok } | { k: "paren"; pipe: TPipe; fields: string[]; pos: number; src: string };
export interface TCmd {
  args: TArg[];
}

export interface TPipe {
  decl: string[];
  assign: boolean;
  cmds: TCmd[];
  pos: number;
}

export type TNode =
  | { k: "text"; text: string }
  | { k: "action"; pipe: TPipe }
  | { k: "if" | "with"; pipe: TPipe; list: TNode[]; elseList: TNode[] | undefined }
  | { k: "range"; pipe: TPipe; list: TNode[]; elseList: TNode[] | undefined };

/** A template's source, lexed and parsed into nodes; error positions refer to the source. */
export class TemplateParser {
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  lineOf(pos: number): number {
    let n = 1;
    for (let i = 0; i < pos && i < this.src.length; i++) if (this.src[i] === "\n") n++;
    return n;
  }
  location(pos: number): string {
    const before = this.src.slice(0, pos);
    const nl = before.lastIndexOf("\n");
    return `template:${this.lineOf(pos)}:${utf8Length(before.slice(nl + 1))}`;
  }
  parseError(pos: number, msg: string): TemplateError {
    return new TemplateError(`template: template:${this.lineOf(pos)}: ${msg}`);
  }

  // ---- lexing into text pieces and action token lists
  private items: ({ k: "text"; text: string } | { k: "action"; toks: TTok[]; pos: number })[] = [];

  lex(): void {
    const s = this.src;
    let i = 0;
    let trimNext = false;
    while (i <= s.length) {
      const open = s.indexOf("{{", i);
      let text = open < 0 ? s.slice(i) : s.slice(i, open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
      trimNext = false;
      if (open < 0) {
        if (text) this.items.push({ k: "text", text });
        break;
      }
      let j = open + 2;
      if (s[j] === "-" && /[ \t\r\n]/.test(s[j + 1] ?? "")) {
        text = text.replace(/[ \t\r\n]+$/, "");
        j += 2;
      }
      if (text) this.items.push({ k: "text", text });
      // comment
      if (s.startsWith("/*", j)) {
        const endC = s.indexOf("*/", j + 2);
        if (endC < 0) throw this.parseError(open, "unclosed comment");
        let after = endC + 2;
        if (s.startsWith(" -}}", after) || s.startsWith("\t-}}", after) || s.startsWith("\n-}}", after) || s.startsWith("\r-}}", after)) {
          trimNext = true;
          after += 4;
        } else if (s.startsWith("}}", after)) after += 2;
        else throw this.parseError(open, "comment ends before closing delimiter");
        i = after;
        continue;
      }
      const toks: TTok[] = [];
      const r = this.lexAction(j, toks);
      if (r.trim) trimNext = true;
      this.items.push({ k: "action", toks, pos: j });
      i = r.end;
    }
  }

  private lexAction(start: number, toks: TTok[]): { end: number; trim: boolean } {
    const s = this.src;
    let i = start;
    for (;;) {
      if (i >= s.length) throw this.parseError(start, "unclosed action");
      const c = s[i]!;
      if (/[ \t\r\n]/.test(c)) {
        if (s[i + 1] === "-" && s.startsWith("}}", i + 2)) return { end: i + 4, trim: true };
        i++;
        continue;
      }
      if (s.startsWith("}}", i)) return { end: i + 2, trim: false };
      const pos = i;
      if (c === '"') {
        let j = i + 1;
        let out = "";
        for (;;) {
          if (j >= s.length || s[j] === "\n") throw this.parseError(pos, "unterminated quoted string");
          const ch = s[j]!;
          if (ch === '"') break;
          if (ch === "\\") {
            const e = s[j + 1];
            const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v", "'": "'" };
            if (e !== undefined && simple[e] !== undefined) {
              out += simple[e];
              j += 2;
              continue;
            }
            const m = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(s.slice(j + 1));
            if (!m) throw this.parseError(pos, `invalid syntax`);
            out += String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[3]!, 16));
            j += 1 + m[0].length;
            continue;
          }
          out += ch;
          j++;
        }
        toks.push({ k: "str", v: out, pos, src: s.slice(pos, j + 1) });
        i = j + 1;
        continue;
      }
      if (c === "`") {
        const j = s.indexOf("`", i + 1);
        if (j < 0) throw this.parseError(pos, "unterminated raw quoted string");
        toks.push({ k: "str", v: s.slice(i + 1, j), pos, src: s.slice(pos, j + 1) });
        i = j + 1;
        continue;
      }
      if (c === ":" && s[i + 1] === "=") {
        toks.push({ k: "punct", v: ":=", pos, src: ":=" });
        i += 2;
        continue;
      }
      if ("()|,=".includes(c)) {
        toks.push({ k: "punct", v: c, pos, src: c });
        i++;
        continue;
      }
      // A field chain: the names and where each starts. Go places a chain's node (the position its errors
      // report) at its second element: `.a.b` at `.b`, `$x.a` at `.a`.
      const fieldChain = (j: number): [string[], number[], number] => {
        const names: string[] = [];
        const starts: number[] = [];
        while (s[j] === "." && /[\p{L}_]/u.test(s[j + 1] ?? "")) {
          const m = /^[\p{L}\p{Nd}_]+/u.exec(s.slice(j + 1))!;
          names.push(m[0]);
          starts.push(j);
          j += 1 + m[0].length;
        }
        return [names, starts, j];
      };
      if (c === ".") {
        const [names, starts, j] = fieldChain(i);
        if (names.length === 0) {
          toks.push({ k: "dot", pos, src: "." });
          i++;
        } else {
          toks.push({ k: "field", names, pos, at: starts[1] ?? pos, src: s.slice(pos, j) });
          i = j;
        }
        continue;
      }
      if (c === "$") {
        const m = /^\$[\p{L}\p{Nd}_]*/u.exec(s.slice(i))!;
        const [names, starts, j] = fieldChain(i + m[0].length);
        toks.push({ k: "var", name: m[0], names, pos, at: starts[0] ?? pos, src: s.slice(pos, j) });
        i = j;
        continue;
      }
      const num = /^[+-]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(s.slice(i));
      if (num && (c !== "+" && c !== "-" ? true : num[0].length > 1)) {
        const text = num[0];
        const v: TVal = /^[+-]?\d+$/.test(text) ? BigInt(text) : new JsonNumber(text);
        toks.push({ k: "num", v, pos, src: text });
        i += text.length;
        continue;
      }
      const id = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(s.slice(i));
      if (id) {
        const name = id[0];
        if (name === "true" || name === "false") toks.push({ k: "bool", v: name === "true", pos, src: name });
        else if (name === "nil") toks.push({ k: "nil", pos, src: name });
        else toks.push({ k: "ident", name, pos, src: name });
        i += name.length;
        continue;
      }
      throw this.parseError(pos, `unexpected ${goQuoteRune(c.codePointAt(0)!, false)} in command`);
    }
  }

  // ---- parsing
  private at = 0;

  parse(): TNode[] {
    this.lex();
    const [list, end] = this.parseList();
    if (end) throw this.parseError(end.pos, `unexpected {{${end.word}}}`);
    return list;
  }

  /** Parses nodes until {{end}} / {{else ...}} (returned) or the end. */
  private parseList(): [TNode[], { word: "end" | "else"; toks: TTok[]; pos: number } | undefined] {
    const list: TNode[] = [];
    while (this.at < this.items.length) {
      const it = this.items[this.at++]!;
      if (it.k === "text") {
        list.push(it);
        continue;
      }
      const first = it.toks[0];
      if (first?.k === "ident") {
        switch (first.name) {
          case "end":
          case "else":
            return [list, { word: first.name, toks: it.toks.slice(1), pos: it.pos }];
          case "if":
          case "with":
          case "range":
            list.push(this.parseControl(first.name, it.toks.slice(1), it.pos));
            continue;
          case "define":
          case "template":
          case "block":
          case "break":
          case "continue":
            throw this.parseError(it.pos, `{{${first.name}}} is not supported by Guard's strings.render_template`);
        }
      }
      if (it.toks.length === 0) throw this.parseError(it.pos, "missing value for command");
      list.push({ k: "action", pipe: this.parsePipe(it.toks, it.pos, true) });
    }
    return [list, undefined];
  }

  private parseControl(word: "if" | "with" | "range", toks: TTok[], pos: number): TNode {
    if (toks.length === 0) throw this.parseError(pos, `missing value for ${word}`);
    const pipe = this.parsePipe(toks, pos, word === "range" ? "range" : true);
    const [list, end] = this.parseList();
    if (!end) throw this.parseError(pos, `unexpected EOF`);
    let elseList: TNode[] | undefined;
    if (end.word === "else") {
      const next = end.toks[0];
      if (next?.k === "ident" && (next.name === "if" || next.name === "with")) {
        // {{else if ...}}: a nested control that consumes the {{end}}
        elseList = [this.parseControl(next.name, end.toks.slice(1), end.pos)];
      } else {
        if (end.toks.length) throw this.parseError(end.pos, "unexpected tokens after else");
        const [l2, end2] = this.parseList();
        if (!end2 || end2.word !== "end") throw this.parseError(end.pos, "expected end; found " + (end2 ? "{{else}}" : "EOF"));
        elseList = l2;
      }
    }
    if (word === "range") return { k: "range", pipe, list, elseList };
    return { k: word, pipe, list, elseList };
  }

  private parsePipe(toks: TTok[], pos: number, decl: boolean | "range"): TPipe {
    let i = 0;
    const names: string[] = [];
    let assign = false;
    if (decl && toks[0]?.k === "var" && toks[0].names.length === 0) {
      // $x := / $x = / $i, $e :=
      let j = 0;
      const vs: string[] = [];
      for (;;) {
        const t = toks[j];
        if (t?.k !== "var" || t.names.length) break;
        vs.push(t.name);
        const p = toks[j + 1];
        if (p?.k === "punct" && p.v === "," && decl === "range" && vs.length === 1) {
          j += 2;
          continue;
        }
        if (p?.k === "punct" && (p.v === ":=" || p.v === "=")) {
          names.push(...vs);
          assign = p.v === "=";
          i = j + 2;
        }
        break;
      }
    }
    const cmds: TCmd[] = [];
    let cur: TArg[] = [];
    const stack: { cmds: TCmd[]; cur: TArg[]; pos: number }[] = [];
    for (; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.k === "punct" && t.v === "|") {
        if (cur.length === 0) throw this.parseError(pos, "missing command");
        (stack.length ? stack[stack.length - 1]!.cmds : cmds).push({ args: cur });
        cur = [];
        continue;
      }
      if (t.k === "punct" && t.v === "(") {
        stack.push({ cmds: [], cur, pos: t.pos });
        cur = [];
        continue;
      }
      if (t.k === "punct" && t.v === ")") {
        const frame = stack.pop();
        if (!frame) throw this.parseError(pos, "unexpected right paren");
        if (cur.length) frame.cmds.push({ args: cur });
        // fields after a parenthesized pipeline: (x).a.b
        let fields: string[] = [];
        const nx = toks[i + 1];
        if (nx?.k === "field" && nx.pos === t.pos + 1) {
          fields = nx.names;
          i++;
        }
        cur = frame.cur;
        cur.push({ k: "paren", pipe: { decl: [], assign: false, cmds: frame.cmds, pos: frame.pos }, fields, pos: frame.pos, src: this.src.slice(frame.pos, t.pos + 1) });
        continue;
      }
      if (t.k === "punct") throw this.parseError(pos, `unexpected "${t.v}" in command`);
      cur.push({ k: "tok", tok: t });
    }
    if (stack.length) throw this.parseError(pos, "unclosed left paren");
    if (cur.length) cmds.push({ args: cur });
    else if (cmds.length) throw this.parseError(pos, "missing command");
    return { decl: names, assign, cmds, pos };
  }
}
