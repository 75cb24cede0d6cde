// CST (Chevrotain) to typed AST. Defensive: a malformed or partial CST yields a diagnostic, never an exception.
// Also applies operator precedence to the grammar's flat expressions and reports Rego v0 syntax.
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import { DiagnosticCodes, diagnostic, type Diagnostic } from "./diagnostics.js";
import { tokenLocation } from "./lexer.js";
import * as T from "./tokens.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

export type Statement = A.PackageDecl | A.ImportDecl | A.Rule;

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

class ConversionError extends Error {}

export class AstBuilder {
  /** Terms written in parentheses (`k, (a in b) in c` keeps `a in b` as the value). */
  private readonly parenthesized = new WeakSet<A.Term>();

  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // helpers

  private nodes(c: Children, key: string): CstNode[] {
    return (c[key] ?? []) as CstNode[];
  }
  private node(c: Children, key: string): CstNode {
    const n = c[key]?.[0] as CstNode | undefined;
    if (n === undefined) throw new ConversionError(`missing ${key}`);
    return n;
  }
  private opt(c: Children, key: string): CstNode | undefined {
    return c[key]?.[0] as CstNode | undefined;
  }
  private tok(c: Children, key: string): IToken | undefined {
    return c[key]?.[0] as IToken | undefined;
  }
  private toks(c: Children, key: string): IToken[] {
    return (c[key] ?? []) as IToken[];
  }
  private loc(first: IToken, last: IToken = first): A.Location {
    return tokenLocation(this.file, first, last);
  }
  private error(code: string, message: string, loc: A.Location, hint?: string): void {
    this.diagnostics.push(diagnostic(code, message, loc, hint));
  }

  // ------------------------------------------------------------------------------------------------------------
  // statements

  statement(node: CstNode): Statement | undefined {
    try {
      const c = node.children as Children;
      const pkg = this.opt(c, "packageDecl");
      if (pkg) return this.packageDecl(pkg);
      const imp = this.opt(c, "importDecl");
      if (imp) return this.importDecl(imp);
      const rule = this.opt(c, "ruleDecl");
      if (rule) return this.ruleDecl(rule);
    } catch (e) {
      if (!(e instanceof ConversionError)) throw e;
    }
    return undefined;
  }

  /** A `query` node (a standalone query); undefined after a conversion error (reported). */
  queryBody(node: CstNode): A.Body | undefined {
    try {
      return this.query(node);
    } catch (e) {
      if (!(e instanceof ConversionError)) throw e;
      return undefined;
    }
  }

  private packageDecl(node: CstNode): A.PackageDecl {
    const c = node.children as Children;
    const kw = this.tok(c, "Kw_package")!;
    const path = this.operand(this.node(c, "operand"));
    const ref = this.pathRef(path, "package");
    return { kind: "package", path: ref, loc: spanLoc(this.loc(kw), path.loc) };
  }

  private importDecl(node: CstNode): A.ImportDecl {
    const c = node.children as Children;
    const kw = this.tok(c, "Kw_import")!;
    const path = this.operand(this.node(c, "operand"));
    const ref = this.pathRef(path, "import");
    const root = ref.head.kind === "var" ? ref.head.name : "";
    if (!["data", "input", "future", "rego"].includes(root)) {
      this.error(
        DiagnosticCodes.invalidConstruct,
        `an import path must start with \`data\`, \`input\`, \`future\` or \`rego\`, found \`${root || path.kind}\``,
        path.loc,
        root ? `write \`import data.${root}\` to import a package` : undefined,
      );
    }
    const alias = this.tok(c, "Identifier");
    const decl: A.ImportDecl = { kind: "import", path: ref, loc: spanLoc(this.loc(kw), (alias && this.loc(alias)) ?? path.loc) };
    if (alias) decl.alias = alias.image;
    return decl;
  }

  /** A package or import path: a name followed by `.name` / `["string"]` elements. */
  private pathRef(term: A.Term, what: string): A.RefTerm {
    if (term.kind === "var") return { kind: "ref", head: term, path: [], loc: term.loc };
    if (term.kind === "ref" && term.head.kind === "var" && term.path.every((p) => p.kind === "string")) return term;
    this.error(
      DiagnosticCodes.invalidConstruct,
      `a ${what} path is a dotted name such as \`a.b.c\``,
      term.loc,
    );
    return { kind: "ref", head: { kind: "var", name: "_", loc: term.loc }, path: [], loc: term.loc };
  }

  private ruleDecl(node: CstNode): A.Rule {
    const c = node.children as Children;
    const defaultTok = this.tok(c, "Kw_default");
    const head = this.ruleHead(this.node(c, "ruleHead"));
    let end = head.loc;

    const containsTok = this.tok(c, "Kw_contains");
    if (containsTok) {
      head.contains = this.single(this.node(c, "containsValue"));
      if (head.args) {
        this.error(
          DiagnosticCodes.invalidConstruct,
          "a function cannot use `contains`",
          this.loc(containsTok),
          "`contains` defines a multi-value rule: `p contains x if { … }`",
        );
      }
      end = head.contains.loc;
    }
    const opTok = this.tok(c, "Assign") ?? this.tok(c, "Unify");
    if (opTok) {
      head.op = opTok.image as ":=" | "=";
      head.value = this.single(this.node(c, "value"));
      end = head.value.loc;
    }
    head.loc = spanLoc(head.name.loc, end);

    const rule: A.Rule = {
      kind: "rule",
      default: defaultTok !== undefined,
      head,
      bodyStyle: "none",
      alternatives: [],
      elses: [],
      loc: spanLoc(defaultTok ? this.loc(defaultTok) : head.loc, end),
    };
    const bodyNode = this.opt(c, "ruleBody");
    if (bodyNode) {
      const { body, style } = this.ruleBody(bodyNode);
      rule.body = body;
      rule.bodyStyle = style;
      rule.loc = spanLoc(rule.loc, body.loc);
      if (style === "block") this.reportV0Body(rule, body);
    }
    for (const alt of this.nodes(c, "alternative")) {
      const body = this.block(alt);
      rule.alternatives.push(body);
      rule.loc = spanLoc(rule.loc, body.loc);
    }
    for (const el of this.nodes(c, "elseClause")) {
      const clause = this.elseClause(el);
      rule.elses.push(clause);
      rule.loc = spanLoc(rule.loc, clause.loc);
    }
    this.checkRule(rule, defaultTok);
    return rule;
  }

  private ruleHead(node: CstNode): A.RuleHead {
    const c = node.children as Children;
    const nameTok = this.tok(c, "Identifier")!;
    const headVar: A.VarTerm = { kind: "var", name: nameTok.image, loc: this.loc(nameTok) };
    const ref: A.RefTerm = { kind: "ref", head: headVar, path: [], loc: headVar.loc };
    const head: A.RuleHead = { kind: "head", name: ref, loc: ref.loc };
    for (const arg of this.nodes(c, "refArg")) {
      const ac = arg.children as Children;
      const close = this.tok(ac, "RParen");
      if (close) {
        if (head.args) {
          this.error(DiagnosticCodes.invalidConstruct, "a function head has one parameter list", this.loc(this.tok(ac, "LParen")!));
        }
        if (!ref.path.every((p) => p.kind === "string")) {
          this.error(
            DiagnosticCodes.invalidConstruct,
            "a function name cannot contain `[…]`",
            ref.loc,
            "name functions with dots only: `a.b.f(x) := …`",
          );
        }
        const argsNode = this.opt(ac, "args");
        head.args = argsNode ? this.itemList(argsNode) : [];
        ref.loc = spanLoc(ref.loc, this.loc(close));
        continue;
      }
      if (head.args) {
        this.error(DiagnosticCodes.invalidConstruct, "nothing may follow a function's parameter list", this.refArgLoc(arg));
      }
      const { term, end } = this.refPathElement(arg);
      ref.path.push(term);
      ref.loc = spanLoc(ref.loc, end);
    }
    head.loc = ref.loc;
    return head;
  }

  private ruleBody(node: CstNode): { body: A.Body; style: A.BodyStyle } {
    const c = node.children as Children;
    const bare = this.opt(c, "bareBlock");
    if (bare) return { body: this.block(bare), style: "block" };
    const ifTok = this.tok(c, "Kw_if")!;
    const block = this.opt(c, "block");
    if (block) return { body: this.block(block), style: "if-block" };
    const lit = this.literal(this.node(c, "literal"));
    return { body: { kind: "body", literals: [lit], loc: spanLoc(this.loc(ifTok), lit.loc) }, style: "if-literal" };
  }

  private elseClause(node: CstNode): A.ElseClause {
    const c = node.children as Children;
    const kw = this.tok(c, "Kw_else")!;
    const clause: A.ElseClause = { kind: "else", bodyStyle: "none", loc: this.loc(kw) };
    const opTok = this.tok(c, "Assign") ?? this.tok(c, "Unify");
    if (opTok) {
      clause.op = opTok.image as ":=" | "=";
      clause.value = this.single(this.node(c, "value"));
      clause.loc = spanLoc(clause.loc, clause.value.loc);
    }
    const bodyNode = this.opt(c, "ruleBody");
    if (bodyNode) {
      const { body, style } = this.ruleBody(bodyNode);
      clause.body = body;
      clause.bodyStyle = style;
      clause.loc = spanLoc(clause.loc, body.loc);
      if (style === "block") {
        this.error(
          DiagnosticCodes.v0Syntax,
          "an `else` body needs `if` before it in Rego v1",
          body.loc,
          "write `else := value if { … }`",
        );
      }
    }
    return clause;
  }

  private reportV0Body(rule: A.Rule, body: A.Body): void {
    const h = rule.head;
    const name = refText(h.name);
    const at = { ...body.loc, endLine: body.loc.line, endColumn: body.loc.column, endOffset: body.loc.offset + 1 };
    if (h.args === undefined && h.value === undefined && h.contains === undefined && h.name.path.length === 1 && h.name.path[0]!.kind !== "string") {
      const base = refText({ ...h.name, path: [] });
      this.error(
        DiagnosticCodes.v0Syntax,
        "Rego v0 syntax: a multi-value rule needs `contains` and `if` in Rego v1",
        at,
        `write \`${base} contains ${termText(h.name.path[0]!)} if { … }\``,
      );
      return;
    }
    const value = h.value ? ` ${h.op === "=" ? ":=" : h.op} ${termText(h.value)}` : "";
    const args = h.args ? `(${h.args.map(termText).join(", ")})` : "";
    this.error(
      DiagnosticCodes.v0Syntax,
      "Rego v0 syntax: a rule body needs `if` before it in Rego v1",
      at,
      `write \`${name}${args}${value} if { … }\``,
    );
  }

  private checkRule(rule: A.Rule, defaultTok: IToken | undefined): void {
    const h = rule.head;
    if (defaultTok) {
      if (h.value === undefined) {
        this.error(
          DiagnosticCodes.invalidConstruct,
          "a default rule needs a value",
          rule.loc,
          `write \`default ${refText(h.name)} := false\``,
        );
      } else if (!isConstant(h.value)) {
        this.error(
          DiagnosticCodes.invalidConstruct,
          "a default rule's value must be a constant (no variables, references or calls)",
          h.value.loc,
        );
      }
      if (rule.body || rule.elses.length > 0) {
        this.error(DiagnosticCodes.invalidConstruct, "a default rule cannot have a body", (rule.body ?? rule.elses[0]!).loc);
      }
      if (h.contains) {
        this.error(DiagnosticCodes.invalidConstruct, "a multi-value rule cannot have a default", rule.loc);
      }
      return;
    }
    if (rule.elses.length > 0 && (h.contains !== undefined || (h.name.path.length > 0 && !h.name.path.every(isGroundPathElement)))) {
      this.error(
        DiagnosticCodes.invalidConstruct,
        h.contains ? "`else` cannot be used with a multi-value rule" : "`else` cannot be used on a rule with variables in its head",
        rule.elses[0]!.loc,
      );
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // bodies

  block(node: CstNode): A.Body {
    const c = node.children as Children;
    const open = this.tok(c, "LBrace")!;
    const close = this.tok(c, "RBrace") ?? open;
    const body = this.query(this.node(c, "query"));
    body.loc = this.loc(open, close);
    return body;
  }

  private query(node: CstNode): A.Body {
    const c = node.children as Children;
    const literals = this.nodes(c, "literal").map((l) => this.literal(l));
    const loc = literals.length > 0 ? spanLoc(literals[0]!.loc, literals[literals.length - 1]!.loc) : undefined;
    if (loc === undefined) throw new ConversionError("empty query");
    return { kind: "body", literals, loc };
  }

  private literal(node: CstNode): A.Literal {
    const c = node.children as Children;
    const notTok = this.tok(c, "Kw_not");
    let expr: A.Expr;
    const someTok = this.tok(c, "Kw_some");
    const everyTok = this.tok(c, "Kw_every");
    if (someTok) {
      expr = this.someExpr(someTok, this.node(c, "some"), this.nodes(c, "someMore"));
    } else if (everyTok) {
      expr = this.everyExpr(everyTok, this.node(c, "every"), this.node(c, "block"));
    } else {
      const left = this.single(this.node(c, "left"));
      const opTok = this.tok(c, "Assign") ?? this.tok(c, "Unify");
      if (opTok) {
        const right = this.single(this.node(c, "right"));
        expr = { kind: "assign", op: opTok.image as ":=" | "=", left, right, loc: spanLoc(left.loc, right.loc) };
        if (notTok && opTok.image === ":=") {
          this.error(
            DiagnosticCodes.invalidConstruct,
            "`not` cannot be applied to an assignment",
            this.loc(notTok, opTok),
            "assign first, then negate a condition on its own line",
          );
        }
      } else {
        expr = { kind: "term-expr", term: left, loc: left.loc };
      }
    }
    const withs = this.nodes(c, "withModifier").map((w) => this.withModifier(w));
    const first = notTok ? this.loc(notTok) : expr.loc;
    const last = withs.length > 0 ? withs[withs.length - 1]!.loc : expr.loc;
    return { kind: "literal", negated: notTok !== undefined, expr, with: withs, loc: spanLoc(first, last) };
  }

  private someExpr(kw: IToken, first: CstNode, more: CstNode[]): A.SomeDecl | A.SomeIn {
    const term = more.length === 0 ? this.single(first) : undefined;
    const items = more.length === 0 ? [] : [first, ...more].map((n) => this.single(n));
    const start = this.loc(kw);
    if (term?.kind === "membership") {
      const some: A.SomeIn = { kind: "some-in", value: term.value, collection: term.collection, loc: spanLoc(start, term.loc) };
      if (term.key) some.key = term.key;
      return some;
    }
    const vars = term ? [term] : items;
    if (vars.every((v): v is A.VarTerm => v.kind === "var")) {
      return { kind: "some-decl", vars, loc: spanLoc(start, vars[vars.length - 1]!.loc) };
    }
    const bad = vars.find((v) => v.kind !== "var")!;
    this.error(
      DiagnosticCodes.unexpectedToken,
      "expected `some x` (variables) or `some x in xs`",
      bad.loc,
      "declare variables with `some x, y`, or iterate with `some x in xs` / `some k, v in xs`",
    );
    throw new ConversionError("bad some");
  }

  private everyExpr(kw: IToken, list: CstNode, blockNode: CstNode): A.EveryExpr {
    const term = this.single(list);
    const body = this.block(blockNode);
    if (term?.kind !== "membership") {
      this.error(
        DiagnosticCodes.unexpectedToken,
        "expected `every x in xs { … }` or `every k, v in xs { … }`",
        term?.loc ?? this.loc(kw),
      );
      throw new ConversionError("bad every");
    }
    if (term.value.kind !== "var" || (term.key !== undefined && term.key.kind !== "var")) {
      this.error(
        DiagnosticCodes.invalidConstruct,
        "`every` binds variables: the key and value must be names",
        (term.key && term.key.kind !== "var" ? term.key : term.value).loc,
      );
      throw new ConversionError("bad every");
    }
    const every: A.EveryExpr = {
      kind: "every",
      value: term.value,
      domain: term.collection,
      body,
      loc: spanLoc(this.loc(kw), body.loc),
    };
    if (term.key) every.key = term.key as A.VarTerm;
    return every;
  }

  private withModifier(node: CstNode): A.WithModifier {
    const c = node.children as Children;
    const kw = this.tok(c, "Kw_with")!;
    const target = this.operand(this.node(c, "target"));
    const value = this.single(this.node(c, "value"));
    if (target.kind !== "ref" && target.kind !== "var") {
      this.error(
        DiagnosticCodes.invalidConstruct,
        "a `with` target must be `input`, `data` or a function name",
        target.loc,
      );
      throw new ConversionError("bad with target");
    }
    return { kind: "with", target, value, loc: spanLoc(this.loc(kw), value.loc) };
  }

  // ------------------------------------------------------------------------------------------------------------
  // expressions

  /** An `expr` node: one term (`k, v in xs` included). */
  private single(node: CstNode): A.Term {
    const c = node.children as Children;
    const first = this.climb(this.nodes(c, "operand"), this.toks(c, "op"));
    if (c["Comma"] === undefined) return first;
    const rest = this.climb(this.nodes(c, "valueOperand"), this.toks(c, "valueOp"));
    return this.withKey(first, rest);
  }

  /** `k, v in xs in ys` is `(k, v in xs) in ys`: the key belongs to the leftmost membership. */
  private withKey(key: A.Term, rest: A.Term): A.Term {
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

  private infix(node: CstNode): A.Term {
    const c = node.children as Children;
    return this.climb(this.nodes(c, "operand"), this.toks(c, "op"));
  }

  /** An operand already read, followed by an optional `infixTail`. */
  private infixFrom(firstOperand: CstNode, tail: CstNode | undefined): A.Term {
    if (!tail) return this.operand(firstOperand);
    const tc = tail.children as Children;
    return this.climb([firstOperand, ...this.nodes(tc, "operand")], this.toks(tc, "op"));
  }

  /** Operator precedence over a flat `operand (op operand)*` list: operand i stands left of operator i. */
  private climb(operandNodes: CstNode[], ops: IToken[]): A.Term {
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

  private itemList(node: CstNode): A.Term[] {
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

  private primary(c: Children): A.Term {
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

  private number(tok: IToken, minus: IToken | undefined): A.NumberTerm {
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

  private string(tok: IToken): A.StringTerm {
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

  private arrayLiteral(node: CstNode): A.Term {
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

  private braceLiteral(node: CstNode): A.Term {
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

  private refArgLoc(arg: CstNode): A.Location {
    const ac = arg.children as Children;
    const first = this.tok(ac, "Dot") ?? this.tok(ac, "LBrack") ?? this.tok(ac, "LParen")!;
    const last = this.tok(ac, "name") ?? this.tok(ac, "RBrack") ?? this.tok(ac, "RParen") ?? first;
    return this.loc(first, last);
  }

  /** `.name` or `[index]` as a path element. */
  private refPathElement(arg: CstNode): { term: A.Term; end: A.Location } {
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

  private applyRefArg(term: A.Term, arg: CstNode): A.Term {
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
  private extendRef(term: A.Term, element: A.Term, end: A.Location): A.Term {
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

function isGroundPathElement(t: A.Term): boolean {
  return t.kind === "string" || t.kind === "number" || t.kind === "boolean" || t.kind === "null";
}

function isConstant(t: A.Term): boolean {
  switch (t.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isConstant);
    case "object":
      return t.entries.every((e) => isConstant(e.key) && isConstant(e.value));
    case "arraycompr":
    case "setcompr":
    case "objectcompr":
      return true;
    case "binary":
      return isConstant(t.left) && isConstant(t.right);
    default:
      return false;
  }
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

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A short rendering of a ref for messages and hints. */
export function refText(ref: A.RefTerm): string {
  let s = ref.head.kind === "var" ? ref.head.name : "…";
  for (const p of ref.path) s += p.kind === "string" && IDENT.test(p.value) ? `.${p.value}` : `[${termText(p)}]`;
  return s;
}

/** A short rendering of a term for messages and hints (not the formatter). */
export function termText(t: A.Term): string {
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return t.head.kind === "var" ? refText(t) : `${termText(t.head)}${refText({ ...t, head: { kind: "var", name: "", loc: t.loc } })}`;
    case "call":
      return `${t.name.join(".")}(${t.args.map(termText).join(", ")})`;
    case "binary":
      return `${termText(t.left)} ${t.op} ${termText(t.right)}`;
    case "membership":
      return `${t.key ? `${termText(t.key)}, ` : ""}${termText(t.value)} in ${termText(t.collection)}`;
    case "array":
      return `[${t.items.map(termText).join(", ")}]`;
    case "set":
      return t.items.length === 0 ? "set()" : `{${t.items.map(termText).join(", ")}}`;
    case "object":
      return `{${t.entries.map((e) => `${termText(e.key)}: ${termText(e.value)}`).join(", ")}}`;
    default:
      return "…";
  }
}

export { T as Tokens };
