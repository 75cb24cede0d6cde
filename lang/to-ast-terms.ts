// The term half of CST → AST: expressions with operator precedence, operands, literals, collections, refs and
// calls. The statement half (rules, bodies, literals) extends it in to-ast.ts.
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import { DiagnosticCodes, diagnostic, type Diagnostic } from "./diagnostics.js";
import { tokenLocation } from "./lexer.js";

export type Children = Record<string, (CstNode | IToken)[] | undefined>;

/** Binding strength of the binary operators, loosest first. All are left-associative. */
export const PRECEDENCE: Record<A.BinaryOperator | "in", number> = {
  in: 1,
  "==": 2,
  "!=": 2,
  "<": 2,
  "<=": 2,
  ">": 2,
  ">=": 2,
  "|": 3,
  "&": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

export function spanLoc(a: A.Location, b: A.Location): A.Location {
  return {
    file: a.file,
    line: a.line,
    column: a.column,
    endLine: b.endLine,
    endColumn: b.endColumn,
    offset: a.offset,
    endOffset: b.endOffset,
  };
}

/** A CST that cannot be converted (its error is already reported). */
export class ConversionError extends Error {}

export abstract class TermBuilder {
  /** Terms written in parentheses (`k, (a in b) in c` keeps `a in b` as the value). */
  protected readonly parenthesized = new WeakSet<A.Term>();

  constructor(
    protected readonly file: string,
    protected readonly diagnostics: Diagnostic[],
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // helpers

  protected nodes(c: Children, key: string): CstNode[] {
    return (c[key] ?? []) as CstNode[];
  }
  protected node(c: Children, key: string): CstNode {
    const n = c[key]?.[0] as CstNode | undefined;
    if (n === undefined) throw new ConversionError(`missing ${key}`);
    return n;
  }
  protected opt(c: Children, key: string): CstNode | undefined {
    return c[key]?.[0] as CstNode | undefined;
  }
  protected tok(c: Children, key: string): IToken | undefined {
    return c[key]?.[0] as IToken | undefined;
  }
  protected toks(c: Children, key: string): IToken[] {
    return (c[key] ?? []) as IToken[];
  }
  protected loc(first: IToken, last: IToken = first): A.Location {
    return tokenLocation(this.file, first, last);
  }
  protected error(code: string, message: string, loc: A.Location, hint?: string): void {
    this.diagnostics.push(diagnostic(code, message, loc, hint));
  }

  /** A query's literals (the statement half). */
  protected abstract query(node: CstNode): A.Body;

  // ------------------------------------------------------------------------------------------------------------
  // expressions

  /** An `expr` node: one term (`k, v in xs` included). */
  protected single(node: CstNode): A.Term {
    const c = node.children as Children;
    const first = this.climb(this.nodes(c, "operand"), this.toks(c, "op"));
    if (c["Comma"] === undefined) return first;
    const rest = this.climb(this.nodes(c, "valueOperand"), this.toks(c, "valueOp"));
    return this.withKey(first, rest);
  }

  /** `k, v in xs in ys` is `(k, v in xs) in ys`: the key belongs to the leftmost membership. */
  protected withKey(key: A.Term, rest: A.Term): A.Term {
    if (rest.kind !== "membership") {
      this.error(DiagnosticCodes.unexpectedToken, "expected `in` after `k, v`", rest.loc);
      throw new ConversionError("bad membership");
    }
    let m = rest;
    const spine: A.MembershipTerm[] = [m];
    while (m.value.kind === "membership" && m.value.key === undefined && !this.parenthesized.has(m.value)) {
      m = m.value;
      spine.push(m);
    }
    m.key = key;
    for (const s of spine) s.loc = spanLoc(key.loc, s.loc);
    return rest;
  }

  protected infix(node: CstNode): A.Term {
    const c = node.children as Children;
    return this.climb(this.nodes(c, "operand"), this.toks(c, "op"));
  }

  /** An operand already read, followed by an optional `infixTail`. */
  protected infixFrom(firstOperand: CstNode, tail: CstNode | undefined): A.Term {
    if (!tail) return this.operand(firstOperand);
    const tc = tail.children as Children;
    return this.climb([firstOperand, ...this.nodes(tc, "operand")], this.toks(tc, "op"));
  }

  /** Operator precedence over a flat `operand (op operand)*` list: operand i stands left of operator i. */
  protected climb(operandNodes: CstNode[], ops: IToken[]): A.Term {
    const operands = operandNodes.map((o) => this.operand(o));
    if (operands.length !== ops.length + 1) throw new ConversionError("incomplete expression");
    if (ops.length === 0) return operands[0]!;
    let i = 0;
    const climb = (minPrec: number): A.Term => {
      let left = operands[i]!;
      while (i < ops.length) {
        const op = ops[i]!.image as A.BinaryOperator | "in";
        const prec = PRECEDENCE[op];
        if (prec < minPrec) break;
        i++;
        const right = climb(prec + 1);
        const loc = spanLoc(left.loc, right.loc);
        left =
          op === "in"
            ? { kind: "membership", value: left, collection: right, loc }
            : { kind: "binary", op, left, right, loc };
      }
      return left;
    };
    return climb(0);
  }

  protected itemList(node: CstNode): A.Term[] {
    return this.nodes(node.children as Children, "infix").map((n) => this.infix(n));
  }

  operand(node: CstNode): A.Term {
    const c = node.children as Children;
    let term = this.primary(c);
    const names = this.toks(c, "dotName");
    const args = this.nodes(c, "refArg");
    // `.name` tokens and `[…]` / `(…)` nodes are kept apart by the grammar: apply them in source order
    let i = 0;
    let j = 0;
    while (i < names.length || j < args.length) {
      const nameAt = i < names.length ? names[i]!.startOffset : Infinity;
      const argAt = j < args.length ? this.refArgLoc(args[j]!).offset : Infinity;
      if (nameAt < argAt) {
        const loc = this.loc(names[i++]!);
        term = this.extendRef(term, { kind: "string", value: names[i - 1]!.image, raw: false, loc }, loc);
      } else {
        term = this.applyRefArg(term, args[j++]!);
      }
    }
    return term;
  }

  protected primary(c: Children): A.Term {
    let t: IToken | undefined;
    if ((t = this.tok(c, "Kw_null"))) return { kind: "null", loc: this.loc(t) };
    if ((t = this.tok(c, "Kw_true"))) return { kind: "boolean", value: true, loc: this.loc(t) };
    if ((t = this.tok(c, "Kw_false"))) return { kind: "boolean", value: false, loc: this.loc(t) };
    if ((t = this.tok(c, "Number"))) return this.number(t, this.tok(c, "Minus"));
    if ((t = this.tok(c, "String"))) return this.string(t);
    if ((t = this.tok(c, "RawString"))) return { kind: "string", value: t.image.slice(1, -1), raw: true, loc: this.loc(t) };
    if ((t = this.tok(c, "Identifier") ?? this.tok(c, "Kw_contains"))) return { kind: "var", name: t.image, loc: this.loc(t) };
    let n: CstNode | undefined;
    if ((n = this.opt(c, "arrayLiteral"))) return this.arrayLiteral(n);
    if ((n = this.opt(c, "braceLiteral"))) return this.braceLiteral(n);
    if ((n = this.opt(c, "parenthesized"))) {
      const pc = n.children as Children;
      const inner = this.single(this.node(pc, "expr"));
      // parentheses only group; the location still covers them so errors point at what was written
      const grouped = { ...inner, loc: this.loc(this.tok(pc, "LParen")!, this.tok(pc, "RParen") ?? this.tok(pc, "LParen")!) } as A.Term;
      this.parenthesized.add(grouped);
      return grouped;
    }
    throw new ConversionError("empty operand");
  }

  protected number(tok: IToken, minus: IToken | undefined): A.NumberTerm {
    const loc = minus ? this.loc(minus, tok) : this.loc(tok);
    const raw = (minus ? "-" : "") + tok.image;
    if (/^0\d/.test(tok.image)) {
      this.error(
        DiagnosticCodes.invalidNumber,
        `a number cannot start with 0: \`${tok.image}\``,
        loc,
        `write \`${tok.image.replace(/^0+(?=\d)/, "")}\``,
      );
    }
    const exp = /[eE]([+-]?\d+)$/.exec(tok.image);
    if (exp && Math.abs(Number(exp[1])) > 100_000) {
      this.error(DiagnosticCodes.invalidNumber, `the number \`${shortText(tok.image)}\` is too big`, loc);
    }
    return { kind: "number", raw, loc };
  }

  protected string(tok: IToken): A.StringTerm {
    const loc = this.loc(tok);
    const image = tok.image;
    if (!image.includes("\\")) return { kind: "string", value: image.slice(1, -1), raw: false, loc };
    try {
      return { kind: "string", value: JSON.parse(image) as string, raw: false, loc };
    } catch {
      const bad = /\\(u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(image);
      const at = bad ? { ...loc, column: loc.column + bad.index, endColumn: loc.column + bad.index + 1, offset: loc.offset + bad.index } : loc;
      this.error(
        DiagnosticCodes.invalidEscape,
        bad ? `invalid escape \`${bad[0]}\` in a string` : "invalid string literal",
        at,
        'strings allow the escapes \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; for regular expressions use a raw string in back-ticks',
      );
      return { kind: "string", value: image.slice(1, -1), raw: false, loc };
    }
  }

  protected arrayLiteral(node: CstNode): A.Term {
    const c = node.children as Children;
    const loc = this.loc(this.tok(c, "LBrack")!, this.tok(c, "RBrack") ?? this.tok(c, "LBrack")!);
    const first = this.opt(c, "first");
    if (!first) return { kind: "array", items: [], loc };
    const query = this.opt(c, "query");
    if (query) return { kind: "arraycompr", term: this.operand(first), body: this.query(query), loc };
    const items = [this.infixFrom(first, this.opt(c, "infixTail"))];
    const rest = this.opt(c, "rest");
    if (rest) items.push(...this.itemList(rest));
    return { kind: "array", items, loc };
  }

  protected braceLiteral(node: CstNode): A.Term {
    const c = node.children as Children;
    const loc = this.loc(this.tok(c, "LBrace")!, this.tok(c, "RBrace") ?? this.tok(c, "LBrace")!);
    const first = this.opt(c, "first");
    if (!first) return { kind: "object", entries: [], loc };
    const query = this.opt(c, "query");
    if (query) return { kind: "setcompr", term: this.operand(first), body: this.query(query), loc };
    const head = this.infixFrom(first, this.opt(c, "firstTail"));
    const objectRest = this.opt(c, "objectRest");
    if (!objectRest) {
      const items = [head];
      const rest = this.opt(c, "rest");
      if (rest) items.push(...this.itemList(rest));
      return { kind: "set", items, loc };
    }
    const oc = objectRest.children as Children;
    const valueNode = this.node(oc, "value");
    const oquery = this.opt(oc, "query");
    if (oquery) return { kind: "objectcompr", key: head, value: this.operand(valueNode), body: this.query(oquery), loc };
    const entries: A.ObjectEntry[] = [{ key: head, value: this.infixFrom(valueNode, this.opt(oc, "valueTail")) }];
    for (const e of this.nodes(oc, "objectEntry")) {
      const ec = e.children as Children;
      entries.push({ key: this.infix(this.node(ec, "key")), value: this.infix(this.node(ec, "value")) });
    }
    return { kind: "object", entries, loc };
  }

  protected refArgLoc(arg: CstNode): A.Location {
    const ac = arg.children as Children;
    const first = this.tok(ac, "Dot") ?? this.tok(ac, "LBrack") ?? this.tok(ac, "LParen")!;
    const last = this.tok(ac, "name") ?? this.tok(ac, "RBrack") ?? this.tok(ac, "RParen") ?? first;
    return this.loc(first, last);
  }

  /** `.name` or `[index]` as a path element. */
  protected refPathElement(arg: CstNode): { term: A.Term; end: A.Location } {
    const ac = arg.children as Children;
    const name = this.tok(ac, "name");
    if (name) {
      const loc = this.loc(name);
      return { term: { kind: "string", value: name.image, raw: false, loc }, end: loc };
    }
    const close = this.tok(ac, "RBrack");
    if (!close) throw new ConversionError("incomplete ref");
    return { term: this.single(this.node(ac, "index")), end: this.loc(close) };
  }

  protected applyRefArg(term: A.Term, arg: CstNode): A.Term {
    const ac = arg.children as Children;
    const lparen = this.tok(ac, "LParen");
    if (lparen) {
      const close = this.tok(ac, "RParen") ?? lparen;
      const argsNode = this.opt(ac, "args");
      const args = argsNode ? this.itemList(argsNode) : [];
      const name = callName(term);
      if (name === undefined) {
        this.error(
          DiagnosticCodes.invalidConstruct,
          "only named functions can be called",
          term.loc,
          "call a function by its name, such as `count(x)` or `data.lib.f(x)`",
        );
        throw new ConversionError("bad call");
      }
      const loc = spanLoc(term.loc, this.loc(close));
      if (name.length === 1 && name[0] === "set" && args.length === 0) return { kind: "set", items: [], loc };
      return { kind: "call", name, nameLoc: term.loc, args, loc };
    }
    const { term: element, end } = this.refPathElement(arg);
    return this.extendRef(term, element, end);
  }

  /** `term` followed by one more path element. */
  protected extendRef(term: A.Term, element: A.Term, end: A.Location): A.Term {
    const loc = spanLoc(term.loc, end);
    if (term.kind === "ref") {
      term.path.push(element);
      term.loc = loc;
      return term;
    }
    switch (term.kind) {
      case "var":
      case "array":
      case "object":
      case "set":
      case "arraycompr":
      case "setcompr":
      case "objectcompr":
      case "call":
        return { kind: "ref", head: term, path: [element], loc };
      default:
        this.error(
          DiagnosticCodes.invalidConstruct,
          `a ${describeTerm(term)} cannot be indexed`,
          loc,
          "only variables, references, collections and call results can be followed by `.name` or `[…]`",
        );
        throw new ConversionError("bad ref head");
    }
  }
}

function callName(term: A.Term): string[] | undefined {
  if (term.kind === "var") return [term.name];
  if (term.kind === "ref" && term.head.kind === "var" && term.path.every((p) => p.kind === "string")) {
    return [term.head.name, ...term.path.map((p) => (p as A.StringTerm).value)];
  }
  return undefined;
}

function describeTerm(t: A.Term): string {
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    case "binary":
    case "membership":
      return "expression";
    default:
      return t.kind;
  }
}

function shortText(s: string): string {
  return s.length > 20 ? `${s.slice(0, 17)}…` : s;
}
