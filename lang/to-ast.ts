// CST (Chevrotain) to typed AST. Defensive: a malformed or partial CST yields a diagnostic, never an exception.
// This file holds statements (package, import, rules) and bodies, and reports Rego v0 syntax with its v1 spelling;
// to-ast-terms.ts holds expressions, with operator precedence.
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import { DiagnosticCodes } from "./diagnostics.js";
import { refText, termText } from "./term-text.js";
import { ConversionError, spanLoc, TermBuilder, type Children } from "./to-ast-terms.js";

export { PRECEDENCE, spanLoc } from "./to-ast-terms.js";
export { refText, termText } from "./term-text.js";

export type Statement = A.PackageDecl | A.ImportDecl | A.Rule;

export class AstBuilder extends TermBuilder {
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

  protected query(node: CstNode): A.Body {
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
      const notPattern = [term.key, term.value].find((t) => t !== undefined && !isSomePattern(t));
      if (notPattern) {
        this.error(
          DiagnosticCodes.invalidConstruct,
          "`some … in` binds variables: its key and value must be names or patterns of names and values, not expressions",
          notPattern.loc,
          "write `some k, v in xs` and test `k` and `v` on the next lines",
        );
        throw new ConversionError("bad some");
      }
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

/** What `some … in` may bind to: a variable, a value, a ref, or an array or object of those (not an expression). */
function isSomePattern(t: A.Term): boolean {
  switch (t.kind) {
    case "var":
    case "null":
    case "boolean":
    case "number":
    case "string":
    case "ref":
      return true;
    case "array":
      return t.items.every(isSomePattern);
    case "object":
      return t.entries.every((e) => isSomePattern(e.key) && isSomePattern(e.value));
    default:
      return false;
  }
}
