// The formatter's printer: module, rule, body, literal and term layout, written through a Writer.
import type * as A from "./ast.js";
import { layoutMultiline } from "./format-layout.js";
import { ATOM, IDENT, MEMBERSHIP, firstOperator, hasPipe, leftmost, precedence, startsWithBrace, stringLiteral } from "./format-terms.js";
import { Writer, type BlankPolicy } from "./format-writer.js";
import { PRECEDENCE } from "./to-ast.js";

export class Printer {
  /** Negative numbers to print in parentheses (a literal on a new line cannot start with `-`). */
  private readonly parenthesized = new Set<A.Term>();

  constructor(
    readonly w: Writer,
    private readonly source: string | undefined,
  ) {}

  module(m: A.Module): void {
    const w = this.w;
    w.before(m.package.loc.offset, 0, "never", m.package.loc.line);
    w.startLine(0);
    w.write("package ");
    this.term(m.package.path);
    w.mark(m.package.loc);

    m.imports.forEach((imp, i) => {
      w.before(imp.loc.offset, 0, i === 0 ? "always" : "gap", imp.loc.line);
      w.startLine(0);
      w.write("import ");
      this.term(imp.path);
      if (imp.alias !== undefined) w.write(` as ${imp.alias}`);
      w.mark(imp.loc);
    });

    let prev: { rule: A.Rule; oneLine: boolean } | undefined;
    for (const rule of m.rules) {
      const oneLine = this.isOneLine(rule);
      w.endLine();
      let policy: BlankPolicy = "always";
      if (prev !== undefined && prev.oneLine && oneLine) {
        const start = w.nextCommentLine(rule.loc.offset) ?? rule.loc.line;
        if (start <= prev.rule.loc.endLine + 1) policy = "never";
      }
      w.before(rule.loc.offset, 0, policy, rule.loc.line);
      w.startLine(0);
      this.rule(rule);
      prev = { rule, oneLine };
    }
    w.endLine();
  }

  private isOneLine(rule: A.Rule): boolean {
    const scratch = new Printer(new Writer([], this.source), this.source);
    scratch.w.startLine(0);
    scratch.rule(rule);
    return scratch.w.singleLine;
  }

  // -------------------------------------------------------------------------------------------------------------
  // rules

  private rule(r: A.Rule): void {
    const w = this.w;
    const indent = w.indent;
    if (r.default) w.write("default ");
    const h = r.head;
    this.term(h.name);
    if (h.args !== undefined) {
      w.write("(");
      this.items(h.args);
      w.write(")");
    }
    if (h.contains !== undefined) {
      w.write(" contains ");
      this.term(h.contains);
    }
    if (h.op !== undefined && h.value !== undefined) {
      w.write(` ${h.op} `);
      this.term(h.value);
    }
    let closedBrace = this.ruleBody(r.body, r.bodyStyle);
    for (const alt of r.alternatives) {
      this.continueAt(alt.loc.offset, indent, closedBrace);
      this.block(alt);
      closedBrace = true;
    }
    for (const e of r.elses) {
      this.continueAt(e.loc.offset, indent, closedBrace);
      w.write("else");
      if (e.op !== undefined && e.value !== undefined) {
        w.write(` ${e.op} `);
        this.term(e.value);
      }
      w.markAt(e.loc.offset + 4, e.loc.line);
      closedBrace = this.ruleBody(e.body, e.bodyStyle);
    }
  }

  /**
   * Continues a rule after a body: `} else …` / `} {` on the same line after a closing brace with no comment in
   * between; otherwise on a new line, after the comments.
   */
  private continueAt(offset: number, indent: number, closedBrace: boolean): void {
    if (closedBrace && !this.w.hasCommentBefore(offset)) {
      this.w.write(" ");
      return;
    }
    this.w.before(offset, indent, "never");
    this.w.startLine(indent);
  }

  /** Prints a rule or else body; returns whether it ended with a closing brace. */
  private ruleBody(body: A.Body | undefined, style: A.BodyStyle): boolean {
    if (body === undefined || style === "none") return false;
    if (style === "if-literal" && body.literals.length === 1) {
      this.w.write(" if ");
      this.literal(body.literals[0]!, "if");
      return false;
    }
    this.w.write(style === "block" ? " " : " if ");
    this.block(body);
    return true;
  }

  /** `{`, the literals one per line, `}`. The current line holds what comes before the brace. */
  private block(body: A.Body): void {
    const w = this.w;
    const indent = w.indent;
    w.write("{");
    w.markAt(body.loc.offset + 1, body.loc.line);
    this.literals(body.literals, indent + 1);
    w.before(body.loc.endOffset - 1, indent + 1, "gap");
    w.startLine(indent, indent + 1);
    w.write("}");
    w.mark(body.loc);
  }

  private literals(literals: A.Literal[], indent: number): void {
    literals.forEach((lit, i) => {
      this.w.before(lit.loc.offset, indent, i === 0 ? "never" : "gap", lit.loc.line);
      this.w.startLine(indent);
      this.literal(lit, i > 0 ? "line" : "inline");
      this.w.endLine();
    });
  }

  /**
   * `after`: what the literal follows. On a new line after another literal it must not start with `-` (that would
   * continue the previous one); after `if` it must not start with `{` (that would open a block).
   */
  private literal(l: A.Literal, after: "line" | "if" | "inline"): void {
    const w = this.w;
    if (l.negated) w.write("not ");
    const e = l.expr;
    if (after !== "inline" && !l.negated && (e.kind === "term-expr" || e.kind === "assign")) {
      const first = leftmost(e.kind === "assign" ? e.left : e.term);
      if (after === "line" && first.kind === "number" && first.raw.startsWith("-")) this.parenthesized.add(first);
      if (after === "if" && startsWithBrace(first)) this.parenthesized.add(first);
    }
    switch (e.kind) {
      case "term-expr":
        this.term(e.term);
        break;
      case "assign":
        this.term(e.left);
        w.write(` ${e.op} `);
        this.term(e.right);
        break;
      case "some-decl":
        w.write("some ");
        e.vars.forEach((v, i) => {
          if (i > 0) w.write(", ");
          this.term(v);
        });
        break;
      case "some-in":
        w.write("some ");
        this.membership(e.key, e.value, e.collection);
        break;
      case "every":
        w.write("every ");
        this.membership(e.key, e.value, e.domain);
        w.write(" ");
        this.block(e.body);
        break;
    }
    for (const m of l.with) {
      w.write(" with ");
      this.term(m.target);
      w.write(" as ");
      this.term(m.value);
      w.mark(m.loc);
    }
    w.mark(l.loc);
  }

  // -------------------------------------------------------------------------------------------------------------
  // terms

  /**
   * Prints a term, in parentheses when its precedence is below `minPrec`, or when it is `k, v in xs` in a
   * comma-separated list (`list`).
   */
  private term(t: A.Term, minPrec = 0, list = false): void {
    const wrap =
      precedence(t) < minPrec || (list && t.kind === "membership" && t.key !== undefined) || this.parenthesized.has(t);
    if (wrap) this.w.write("(");
    this.termInner(t);
    if (wrap) this.w.write(")");
    this.w.mark(t.loc);
  }

  private termInner(t: A.Term): void {
    const w = this.w;
    switch (t.kind) {
      case "null":
        w.write("null");
        return;
      case "boolean":
        w.write(String(t.value));
        return;
      case "number":
        w.write(t.raw);
        return;
      case "string":
        w.write(stringLiteral(t));
        return;
      case "var":
        w.write(t.name);
        return;
      case "ref":
        if (t.head.kind === "var") w.write(t.head.name);
        else this.term(t.head, ATOM);
        for (const p of t.path) {
          if (p.kind === "string" && !p.raw && IDENT.test(p.value)) {
            w.write(`.${p.value}`);
          } else {
            w.write("[");
            this.term(p);
            w.write("]");
          }
        }
        return;
      case "call":
        w.write(t.name.map((n, i) => (i === 0 ? n : IDENT.test(n) ? `.${n}` : `[${JSON.stringify(n)}]`)).join(""));
        this.collection(t, "(", ")", t.args.map((arg) => ({ at: arg.loc, print: () => this.term(arg, 0, true) })));
        return;
      case "binary": {
        const p = PRECEDENCE[t.op];
        this.term(t.left, p);
        w.write(` ${t.op} `);
        this.term(t.right, p + 1);
        return;
      }
      case "membership":
        this.membership(t.key, t.value, t.collection);
        return;
      case "array":
        this.collection(t, "[", "]", t.items.map((item, i) => ({ at: item.loc, print: () => this.item(item, i === 0) })));
        return;
      case "set":
        if (t.items.length === 0) {
          w.write("set()");
          return;
        }
        this.collection(t, "{", "}", t.items.map((item, i) => ({ at: item.loc, print: () => this.item(item, i === 0) })));
        return;
      case "object":
        this.collection(
          t,
          "{",
          "}",
          t.entries.map((e, i) => ({
            at: e.key.loc,
            print: () => {
              this.item(e.key, i === 0);
              w.write(": ");
              this.item(e.value, i === 0);
            },
          })),
        );
        return;
      case "arraycompr":
        this.comprehension(t, "[", "]", () => this.term(t.term, ATOM));
        return;
      case "setcompr":
        this.comprehension(t, "{", "}", () => this.term(t.term, ATOM));
        return;
      case "objectcompr":
        this.comprehension(t, "{", "}", () => {
          this.item(t.key, true);
          w.write(": ");
          this.term(t.value, ATOM);
        });
        return;
    }
  }

  /** `value in xs` / `key, value in xs` (also for `some` and `every`). */
  private membership(key: A.Term | undefined, value: A.Term, collection: A.Term): void {
    if (key !== undefined) {
      this.term(key, MEMBERSHIP + 1);
      this.w.write(", ");
    }
    // the key of `k, v in xs in ys` belongs to the innermost membership, so a nested one needs parentheses
    // when either has a key
    // (and `k, a | b in xs` does not parse: see hasPipe)
    if (value.kind === "membership" && (value.key !== undefined || key !== undefined)) this.term(value, ATOM);
    else if (key !== undefined && hasPipe(value)) this.term(value, ATOM);
    else this.term(value, MEMBERSHIP);
    this.w.write(" in ");
    this.term(collection, MEMBERSHIP + 1);
  }

  /** Comma-separated terms on one line (function parameters). */
  private items(terms: A.Term[]): void {
    terms.forEach((t, i) => {
      if (i > 0) this.w.write(", ");
      this.term(t, 0, true);
    });
  }

  /**
   * An item of a collection. The first one cannot start with `operand |`: `[a | b]` and `{a | b}` read as
   * comprehensions, `{a: b | c}` as an object comprehension.
   */
  private item(t: A.Term, first: boolean): void {
    if (first && firstOperator(t) === "|") this.term(t, ATOM);
    else this.term(t, 0, true);
  }

  /** A collection or call arguments: on one line, or one item per line with trailing commas (see layoutMultiline). */
  private collection(t: A.Term, open: string, close: string, items: { at: A.Location; print: () => void }[]): void {
    const w = this.w;
    if (items.length === 0) {
      w.write(open + close);
      return;
    }
    if (!layoutMultiline(t)) {
      w.write(open);
      items.forEach((item, i) => {
        if (i > 0) w.write(", ");
        item.print();
      });
      w.write(close);
      return;
    }
    const outer = w.indent;
    w.write(open);
    w.markAt(t.loc.offset + 1, t.loc.line);
    items.forEach((item, i) => {
      w.before(item.at.offset, outer + 1, i === 0 ? "never" : "gap", item.at.line);
      w.startLine(outer + 1);
      item.print();
      w.write(",");
      w.endLine();
    });
    w.before(t.loc.endOffset - 1, outer + 1, "gap");
    w.startLine(outer, outer + 1);
    w.write(close);
  }

  private comprehension(
    t: A.ArrayComprehension | A.SetComprehension | A.ObjectComprehension,
    open: string,
    close: string,
    head: () => void,
  ): void {
    const w = this.w;
    const literals = t.body.literals;
    w.write(open);
    head();
    w.write(" |");
    if (!layoutMultiline(t)) {
      literals.forEach((lit, i) => {
        w.write(i === 0 ? " " : "; ");
        this.literal(lit, "inline");
      });
      w.write(close);
      return;
    }
    const outer = w.indent;
    this.literals(literals, outer + 1);
    w.before(t.loc.endOffset - 1, outer + 1, "gap");
    w.startLine(outer, outer + 1);
    w.write(close);
  }
}
