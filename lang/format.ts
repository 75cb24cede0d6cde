// The canonical formatter: a module's AST (plus its comments) back to Rego v1 text, in the style of `opa fmt`.
//
// It prints exactly what the tree says (body styles, `:=` vs `=`, raw strings, multi-line collections), so that
// parsing the output gives the same tree (locations aside) and formatting the output again changes nothing.
//
// Comments are never lost. The printer writes in source order and keeps a queue of the module's comments:
// - before each statement, literal or collection item, the comments that start before it are printed on their own
//   lines, with its indentation (a blank line is kept where the source had one);
// - when a printed line ends, a comment that followed its last token on the same source line is appended to it
//   (` # text`); comments from inside the code printed on that line (a call split over several lines, say) are
//   printed on their own lines just above it;
// - whatever is left at the end goes at the end of the file.
import type * as A from "./ast.js";
import { hasErrors, type Diagnostic } from "./diagnostics.js";
import { parseModule } from "./parse.js";
import { PRECEDENCE } from "./to-ast.js";

const MEMBERSHIP = 1;
/** Anything that is not an infix expression. */
const ATOM = 10;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Formats a module as canonical Rego v1 text. `source` (the text it was parsed from) refines comment placement. */
export function formatModule(module: A.Module, source?: string): string {
  const comments = [...module.comments].sort((a, b) => a.loc.offset - b.loc.offset);
  const printer = new Printer(new Writer(comments, source), source);
  printer.module(module);
  return printer.w.finish();
}

export interface FormatResult {
  /** The formatted text, when the source parsed without errors. */
  formatted?: string;
  diagnostics: Diagnostic[];
}

/**
 * Parses and formats a source text. With syntax errors, returns the diagnostics and no text. As a safety net the
 * output is parsed again: if it does not give the same tree, an `internal-error` diagnostic is returned instead.
 */
export function formatSource(text: string, options: { file?: string } = {}): FormatResult {
  const parsed = parseModule(text, options);
  if (parsed.module === undefined || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  let formatted: string;
  try {
    formatted = formatModule(parsed.module, text);
  } catch (e) {
    return { diagnostics: [...parsed.diagnostics, internalError(parsed.module, `the formatter failed: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  const again = parseModule(formatted, options);
  if (again.module === undefined || hasErrors(again.diagnostics) || !sameModule(parsed.module, again.module)) {
    return { diagnostics: [...parsed.diagnostics, internalError(parsed.module, "the formatted text would not mean the same as the original; the file was left as it is")] };
  }
  return { formatted, diagnostics: parsed.diagnostics };
}

function internalError(module: A.Module, message: string): Diagnostic {
  const loc: A.Location = { file: module.file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
  return { code: "internal-error", severity: "error", message, hint: "please report this with the file that caused it", loc };
}

/** Whether two modules have the same tree, ignoring locations (and a `\r` ending a comment). */
export function sameModule(a: A.Module, b: A.Module): boolean {
  return shape(a) === shape(b);
}

function shape(m: A.Module): string {
  return JSON.stringify(m, (k, v: unknown) => {
    if (k === "loc" || k === "nameLoc") return undefined;
    if (k === "text" && typeof v === "string") return v.replace(/\r$/, "");
    return v;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Output lines and the comment queue

type BlankPolicy = "never" | "gap" | "always";

interface OutLine {
  indent: number;
  text: string;
  /** The indentation of comments moved from inside this line to just above it. */
  commentIndent: number;
}

class Writer {
  private readonly out: OutLine[] = [];
  private cur: OutLine | undefined;
  private curIndex = -1;
  /** The furthest source offset (and its line) printed on the current line. */
  private lastEnd = -1;
  private lastEndLine = 0;
  /** The last source line printed so far (code or comment), to find blank lines in the source. */
  private lastSrcLine = 0;
  private next = 0;

  constructor(
    private readonly comments: readonly A.Comment[],
    private readonly source: string | undefined,
  ) {}

  /** The indentation of the line being written. */
  get indent(): number {
    return this.cur?.indent ?? 0;
  }

  startLine(indent: number, commentIndent = indent): void {
    this.endLine();
    this.cur = { indent, text: "", commentIndent };
    this.out.push(this.cur);
    this.curIndex = this.out.length - 1;
    this.lastEnd = -1;
    this.lastEndLine = 0;
  }

  write(text: string): void {
    if (this.cur === undefined) this.startLine(0);
    this.cur!.text += text;
  }

  /** Records that the code up to the end of `loc` is on the current line. */
  mark(loc: A.Location): void {
    this.markAt(loc.endOffset, loc.endLine);
  }

  markAt(offset: number, line: number): void {
    if (offset >= this.lastEnd) {
      this.lastEnd = offset;
      this.lastEndLine = line;
    }
    if (line > this.lastSrcLine) this.lastSrcLine = line;
  }

  endLine(): void {
    const line = this.cur;
    if (line === undefined) return;
    this.cur = undefined;
    // comments from inside what this line printed go just above it
    const inner: OutLine[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.loc.offset < this.lastEnd) {
      const c = this.comments[this.next++]!;
      inner.push({ indent: line.commentIndent, text: commentText(c), commentIndent: line.commentIndent });
    }
    if (inner.length > 0) this.out.splice(this.curIndex, 0, ...inner);
    // a comment after the line's last token, on the same source line, stays at its end
    const c = this.comments[this.next];
    if (c !== undefined && this.lastEnd >= 0 && c.loc.line === this.lastEndLine && this.onlySeparators(this.lastEnd, c.loc.offset)) {
      line.text += ` ${commentText(c)}`;
      this.next++;
      this.lastSrcLine = Math.max(this.lastSrcLine, c.loc.endLine);
    }
  }

  /**
   * Whether only separators stand between the end of the line's code and a comment. Opening brackets count too:
   * a location covers the parentheses around a term, so the bracket of `({ # c` lies after the marked offset.
   */
  private onlySeparators(from: number, to: number): boolean {
    if (this.source === undefined) return true;
    return /^[\s,;|([{]*$/.test(this.source.slice(from, to));
  }

  blank(): void {
    this.endLine();
    const last = this.out[this.out.length - 1];
    if (last !== undefined && last.text !== "") this.out.push({ indent: 0, text: "", commentIndent: 0 });
  }

  /** Whether a comment not yet printed starts before `offset`. */
  hasCommentBefore(offset: number): boolean {
    const c = this.comments[this.next];
    return c !== undefined && c.loc.offset < offset;
  }

  /**
   * Ends the current line and prints the comments that start before `offset` on their own lines. With `unitLine`
   * (the source line of what comes next), also decides the blank line before that unit. `policy` applies to the
   * first thing printed (a comment or the unit); after a comment, blank lines follow the source.
   */
  before(offset: number, indent: number, policy: BlankPolicy, unitLine?: number): void {
    this.endLine();
    let first = true;
    const blankBefore = (line: number): void => {
      const p = first ? policy : "gap";
      first = false;
      if (p === "always" || (p === "gap" && line > this.lastSrcLine + 1)) this.blank();
    };
    while (this.hasCommentBefore(offset)) {
      const c = this.comments[this.next++]!;
      blankBefore(c.loc.line);
      this.out.push({ indent, text: commentText(c), commentIndent: indent });
      this.lastSrcLine = Math.max(this.lastSrcLine, c.loc.endLine);
    }
    if (unitLine !== undefined) blankBefore(unitLine);
  }

  /** The source line of the next comment not yet printed that starts before `offset`. */
  nextCommentLine(offset: number): number | undefined {
    return this.hasCommentBefore(offset) ? this.comments[this.next]!.loc.line : undefined;
  }

  finish(): string {
    this.before(Number.POSITIVE_INFINITY, 0, "gap");
    while (this.out.length > 0 && this.out[this.out.length - 1]!.text === "") this.out.pop();
    return this.out.map((l) => (l.text === "" ? "" : "\t".repeat(l.indent) + l.text)).join("\n") + "\n";
  }

  /** Whether everything written fits on one line (no second line, no multi-line raw string). */
  get singleLine(): boolean {
    this.endLine();
    return this.out.length === 1 && !this.out[0]!.text.includes("\n");
  }
}

function commentText(c: A.Comment): string {
  return `#${c.text.replace(/\r$/, "")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The printer

class Printer {
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

// -------------------------------------------------------------------------------------------------------------
// Layout: which collections and comprehensions print one item (or literal) per line

/**
 * A non-empty collection prints one item per line when it spanned several lines in the source, or when an item
 * prints over several lines anyway (otherwise the next formatting would see it spanning lines). A comprehension
 * prints its literals one per line on the same terms, when it has more than one. A call prints its arguments one
 * per line when the source had a line break before an argument.
 */
function layoutMultiline(t: A.Term): boolean {
  switch (t.kind) {
    case "array":
    case "set":
      return t.items.length > 0 && (t.loc.line !== t.loc.endLine || t.items.some(spans));
    case "object":
      return t.entries.length > 0 && (t.loc.line !== t.loc.endLine || t.entries.some((e) => spans(e.key) || spans(e.value)));
    case "call": {
      // arguments one per line when the source broke lines between them (not merely inside one)
      let line = t.nameLoc.endLine;
      for (const arg of t.args) {
        if (arg.loc.line > line) return true;
        line = arg.loc.endLine;
      }
      return false;
    }
    case "arraycompr":
    case "setcompr":
    case "objectcompr": {
      const literals = t.body.literals;
      const head = t.kind === "objectcompr" ? spans(t.key) || spans(t.value) : spans(t.term);
      return literals.length > 1 && (t.loc.line !== t.loc.endLine || head || literals.some(literalSpans));
    }
    default:
      return false;
  }
}

const spanCache = new WeakMap<object, boolean>();

/** Whether a term prints over several lines. */
function spans(t: A.Term): boolean {
  let result = spanCache.get(t);
  if (result !== undefined) return result;
  switch (t.kind) {
    case "string":
      result = t.raw && t.value.includes("\n");
      break;
    case "ref":
      result = (t.head.kind !== "var" && spans(t.head)) || t.path.some(spans);
      break;
    case "call":
      result = layoutMultiline(t) || t.args.some(spans);
      break;
    case "binary":
      result = spans(t.left) || spans(t.right);
      break;
    case "membership":
      result = (t.key !== undefined && spans(t.key)) || spans(t.value) || spans(t.collection);
      break;
    case "array":
    case "set":
    case "object":
      result = layoutMultiline(t);
      break;
    case "arraycompr":
    case "setcompr":
      result = layoutMultiline(t) || spans(t.term) || t.body.literals.some(literalSpans);
      break;
    case "objectcompr":
      result = layoutMultiline(t) || spans(t.key) || spans(t.value) || t.body.literals.some(literalSpans);
      break;
    default:
      result = false;
  }
  spanCache.set(t, result);
  return result;
}

function literalSpans(l: A.Literal): boolean {
  let result = spanCache.get(l);
  if (result !== undefined) return result;
  const e = l.expr;
  switch (e.kind) {
    case "every":
      result = true;
      break;
    case "term-expr":
      result = spans(e.term);
      break;
    case "assign":
      result = spans(e.left) || spans(e.right);
      break;
    case "some-decl":
      result = false;
      break;
    case "some-in":
      result = (e.key !== undefined && spans(e.key)) || spans(e.value) || spans(e.collection);
      break;
  }
  result ||= l.with.some((m) => spans(m.target) || spans(m.value));
  spanCache.set(l, result);
  return result;
}

function precedence(t: A.Term): number {
  if (t.kind === "binary") return PRECEDENCE[t.op];
  if (t.kind === "membership") return MEMBERSHIP;
  return ATOM;
}

/** The operator printed right after a term's first operand, if the term is an infix expression. */
function firstOperator(t: A.Term): string | undefined {
  if (t.kind === "binary") {
    const p = PRECEDENCE[t.op];
    if (precedence(t.left) < p) return t.op;
    return firstOperator(t.left) ?? t.op;
  }
  if (t.kind === "membership") {
    if (t.key !== undefined) return ",";
    if (t.value.kind === "membership" && t.value.key !== undefined) return "in";
    return firstOperator(t.value) ?? "in";
  }
  return undefined;
}

/**
 * Whether `|` appears in `t` outside parentheses. The parser rejects `k, a | b in xs` (and `k, x == a | b in xs`)
 * although the grammar allows it; `k, (a | b) in xs` parses, so such a value is printed in parentheses.
 */
function hasPipe(t: A.Term): boolean {
  if (t.kind !== "binary") return false;
  const p = PRECEDENCE[t.op];
  return t.op === "|" || (precedence(t.left) >= p && hasPipe(t.left)) || (precedence(t.right) > p && hasPipe(t.right));
}

/** The first term printed for `t` (ignoring parentheses). */
function leftmost(t: A.Term): A.Term {
  switch (t.kind) {
    case "binary":
      return leftmost(t.left);
    case "membership":
      return leftmost(t.key ?? t.value);
    default:
      return t;
  }
}

/** Whether a term prints starting with `{`. */
function startsWithBrace(t: A.Term): boolean {
  switch (t.kind) {
    case "object":
    case "setcompr":
    case "objectcompr":
      return true;
    case "set":
      return t.items.length > 0;
    case "ref":
      return t.head.kind !== "var" && startsWithBrace(t.head);
    default:
      return false;
  }
}

function stringLiteral(t: A.StringTerm): string {
  if (t.raw && !t.value.includes("`")) return `\`${t.value}\``;
  return JSON.stringify(t.value);
}
