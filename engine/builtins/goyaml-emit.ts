// yaml.marshal's writer: go-yaml v2's emitter (as sigs.k8s.io/yaml drives it) for JSON-shaped data.
//
// Block style, mapping keys in go-yaml's natural order, sequences not indented under their key, empty collections as {}
// and [], strings plain where they read back as strings, else single-quoted, double-quoted or literal (|) as libyaml
// chooses, lines folded past column 80.
import { compareStrings, isSet, objectEntries, type ObjectValue, type Value } from "../value/value.js";
import { marshalJSON } from "./gojson.js";
import { utf8Bytes } from "./operands.js";
import { isBase60Float, MAX_INT64, MAX_UINT64, MIN_INT64, resolvePlain, yamlFloat, yamlKeyLess } from "./goyaml.js";

type Node =
  | { kind: "scalar"; text: string; plainRequested: boolean; isString: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "map"; entries: [Node, Node][] };

const scalar = (text: string): Node => ({ kind: "scalar", text, plainRequested: true, isString: false });

function numberNode(n: number | bigint): Node {
  if (typeof n === "bigint") {
    if ((n >= MIN_INT64 && n <= MAX_INT64) || (n >= 0n && n <= MAX_UINT64)) return scalar(n.toString());
    return scalar(yamlFloat(Number(n)));
  }
  if (Number.isSafeInteger(n)) return scalar(String(n === 0 ? 0 : n));
  // what the JSON text of the number reads back as
  const r = resolvePlain(marshalJSON(n));
  if (r.tag === "int") return scalar(r.value.toString());
  return scalar(yamlFloat(n));
}

function stringNode(s: string): Node {
  const r = resolvePlain(s);
  return { kind: "scalar", text: s, plainRequested: r.tag === "str" && !isBase60Float(s), isString: true };
}

/** The value as go-yaml receives it after OPA's JSON round trip. */
function toNode(v: Value): Node {
  switch (typeof v) {
    case "string":
      return stringNode(v);
    case "number":
    case "bigint":
      return numberNode(v);
    case "boolean":
      return scalar(v ? "true" : "false");
    default:
      if (v === null) return scalar("null");
      if (Array.isArray(v)) return { kind: "seq", items: v.map(toNode) };
      if (isSet(v)) return { kind: "seq", items: v.sorted().map(toNode) };
      return { kind: "map", entries: mapEntries(v) };
  }
}

function mapEntries(o: ObjectValue): [Node, Node][] {
  const byKey = new Map<string, Value>();
  for (const [k, x] of objectEntries(o)) byKey.set(typeof k === "string" ? k : marshalJSON(k), x);
  const keys = [...byKey.keys()].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : compareStrings(a, b)));
  return keys.map((k) => [stringNode(k), toNode(byKey.get(k)!)]);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const isBreakChar = (c: string) => c === "\r" || c === "\n" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankChar = (c: string | undefined) => c === " " || c === "\t";

/** libyaml's is_printable. */
function isPrintable(c: string): boolean {
  const r = c.codePointAt(0)!;
  return (
    r === 0x0a ||
    (r >= 0x20 && r <= 0x7e) ||
    r === 0x85 ||
    (r >= 0xa0 && r <= 0xd7ff) ||
    (r >= 0xe000 && r <= 0xfffd && r !== 0xfeff) ||
    (r >= 0x10000 && r <= 0x10ffff)
  );
}

/** libyaml's yaml_emitter_analyze_scalar. */
function analyze(value: string): Analysis {
  if (value.length === 0) {
    return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlankChar(next) || isBreakChar(next);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(c)) flowIndicators = true;
      else if (c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakChar(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankChar(c) || isBreakChar(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
    a.block = false;
  }
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

type Style = "plain" | "single" | "double" | "literal";

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

class Emitter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;

  private put(s: string): void {
    this.out += s;
    this.column++;
  }
  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }
  /** A character of content: breaks reset the column. */
  private write(c: string): void {
    this.out += c;
    this.column++;
  }
  writeIndent(indent: number): void {
    const ind = Math.max(indent, 0);
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) this.putBreak();
    while (this.column < ind) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }
  writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const c of ind) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Picks the scalar style as libyaml's select_scalar_style does. */
  style(node: Extract<Node, { kind: "scalar" }>, simpleKey: boolean): Style {
    const a = analyze(node.text);
    let style: Style = node.isString && node.text.includes("\n") ? "literal" : node.plainRequested ? "plain" : "double";
    if (simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      if (!a.blockPlain) style = "single";
      if (node.text.length === 0 && simpleKey) style = "single";
    }
    if (style === "single" && !a.singleQuoted) style = "double";
    if (style === "literal" && (!a.block || simpleKey)) style = "double";
    return style;
  }

  scalar(node: Extract<Node, { kind: "scalar" }>, indent: number, simpleKey: boolean): void {
    const style = this.style(node, simpleKey);
    const allowBreaks = !simpleKey;
    const chars = [...node.text];
    switch (style) {
      case "plain": {
        if (!this.whitespace) this.put(" ");
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") this.writeIndent(indent);
            else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            this.indention = false;
            spaces = false;
          }
        }
        this.whitespace = false;
        this.indention = false;
        break;
      }
      case "single": {
        this.writeIndicator("'", true, false, false);
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== " ") {
              this.writeIndent(indent);
            } else this.write(c);
            spaces = true;
          } else {
            if (c === "'") this.put("'");
            this.write(c);
            this.indention = false;
            spaces = false;
          }
        }
        this.writeIndicator("'", false, false, false);
        break;
      }
      case "double": {
        this.writeIndicator('"', true, false, false);
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          const r = c.codePointAt(0)!;
          if (!isPrintable(c) || r === 0xfeff || isBreakChar(c) || c === '"' || c === "\\") {
            this.put("\\");
            const named: Record<number, string> = {
              0x00: "0",
              0x07: "a",
              0x08: "b",
              0x09: "t",
              0x0a: "n",
              0x0b: "v",
              0x0c: "f",
              0x0d: "r",
              0x1b: "e",
              0x22: '"',
              0x5c: "\\",
              0x85: "N",
              0xa0: "_",
              0x2028: "L",
              0x2029: "P",
            };
            const esc = named[r];
            if (esc !== undefined) this.put(esc);
            else {
              const hex = r.toString(16).toUpperCase();
              const [p, w] = r <= 0xff ? ["x", 2] : r <= 0xffff ? ["u", 4] : ["U", 8];
              this.put(p);
              for (const d of hex.padStart(w, "0")) this.put(d);
            }
            spaces = false;
          } else if (c === " ") {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
              this.writeIndent(indent);
              if (chars[i + 1] === " ") this.put("\\");
            } else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        this.writeIndicator('"', false, false, false);
        break;
      }
      case "literal": {
        this.writeIndicator("|", true, false, false);
        if (chars[0] === " " || isBreakChar(chars[0] ?? "")) this.writeIndicator(String(BEST_INDENT), false, false, false);
        const last = chars[chars.length - 1];
        let chomp = "";
        if (last === undefined || !isBreakChar(last)) chomp = "-";
        else if (chars.length === 1 || isBreakChar(chars[chars.length - 2]!)) chomp = "+";
        if (chomp) this.writeIndicator(chomp, false, false, false);
        this.putBreak();
        this.indention = true;
        this.whitespace = true;
        let breaks = true;
        for (const c of chars) {
          if (isBreakChar(c)) {
            this.putBreak();
            this.indention = true;
            breaks = true;
          } else {
            if (breaks) {
              this.writeIndent(indent);
              breaks = false;
            }
            this.write(c);
            this.indention = false;
          }
        }
        break;
      }
    }
  }

  /** Emits a node whose parent has indentation `parent` (-1 at the root). */
  node(n: Node, parent: number, inMapping: boolean): void {
    if (n.kind === "scalar") {
      this.scalar(n, parent < 0 ? BEST_INDENT : parent + BEST_INDENT, false);
      return;
    }
    if (n.kind === "seq") {
      if (n.items.length === 0) {
        this.writeIndicator("[", true, true, false);
        this.writeIndicator("]", false, false, false);
        return;
      }
      // a sequence directly under a mapping key is not indented
      const indent = parent < 0 ? 0 : inMapping && !this.indention ? parent : parent + BEST_INDENT;
      for (const item of n.items) {
        this.writeIndent(indent);
        this.writeIndicator("-", true, false, true);
        this.node(item, indent, false);
      }
      return;
    }
    if (n.entries.length === 0) {
      this.writeIndicator("{", true, true, false);
      this.writeIndicator("}", false, false, false);
      return;
    }
    const indent = parent < 0 ? 0 : parent + BEST_INDENT;
    for (const [k, v] of n.entries) {
      this.writeIndent(indent);
      const key = k as Extract<Node, { kind: "scalar" }>;
      if (this.simpleKey(key)) {
        this.scalar(key, indent + BEST_INDENT, true);
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.scalar(key, indent + BEST_INDENT, false);
        this.writeIndent(indent);
        this.writeIndicator(":", true, false, true);
      }
      this.node(v, indent, true);
    }
  }

  private simpleKey(key: Extract<Node, { kind: "scalar" }>): boolean {
    return utf8Bytes(key.text).length <= 128 && !analyze(key.text).multiline;
  }
}

/** yaml.marshal: the document go-yaml v2 writes for the value's JSON form. */
export function marshalYAML(v: Value): string {
  const e = new Emitter();
  e.node(toNode(v), -1, false);
  e.writeIndent(0);
  return e.out;
}
