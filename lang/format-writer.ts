// The formatter's output: lines with their indentation, and the queue of comments placed around and after them.
import type * as A from "./ast.js";

export type BlankPolicy = "never" | "gap" | "always";

interface OutLine {
  indent: number;
  text: string;
  /** The indentation of comments moved from inside this line to just above it. */
  commentIndent: number;
}

export class Writer {
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
