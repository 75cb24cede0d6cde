// An incremental text masker: push(chunk) returns the text that is safe to emit now, end() the rest.
//
// Guarantee: for every text T and every split of T into chunks, push(c1) + … + push(ck) + end() === maskText(T),
// unless the stream fails closed (MaskingError) first; in particular no text that maskText would replace is ever
// returned. Why, with n = the length received so far (a trailing lone high surrogate is kept back, so text[0..n) ends
// on a code point boundary and every code point before n is final):
//   1. A regex attempt at start s reads characters one at a time from s (lookbehinds read only backwards, within
//      `context` code units; backreferences are rejected). Its outcome on text[0..n) equals its outcome on the full
//      text unless its exploration, up to its outcome, reads index n (consumes it, or tests it for `$`, `\b`, …).
//   2. patterns.ts gives each pattern an "undecided" form U that explores exactly like it but succeeds, ending at n,
//      where the pattern would read n. So the leftmost U match from `done`, if it ends at n, starts at the earliest
//      attempt that is not final; call it f (n if none). Every attempt at s < f is final, and stays final (a path
//      reading past a later n' > n would have read n first).
//   3. The leftmost-first search from `done` tries starts in order. If it finds a match at s < f, all the attempts at
//      done..s are final, so the whole-text search finds the same match: emit text[done..s) + replacement and go on
//      from its end. Otherwise no match starts in [done, f) in the whole text either: emit text[done..f) as it is.
//   The text held back is text[f..n), a prefix of a possible match: its length is bounded by the pattern's window
//   (computed from the regex, or maxLength for unbounded patterns); beyond it the stream fails closed rather than emit.
import { hitsOf, type MaskHit, Masker, MaskingError } from "./patterns.js";

const isHighSurrogate = (c: number) => c >= 0xd800 && c < 0xdc00;

export class StreamMasker {
  /** Text from absolute position `bufStart`: up to `context` decided characters, then the undecided tail. */
  private buf = "";
  private bufStart = 0;
  /** Absolute position up to which the output is decided (and emitted). */
  private done = 0;
  private pendingHigh = "";
  private readonly counts = new Map<string, number>();
  private ended = false;

  constructor(private readonly masker: Masker) {}

  /** Code units received but not yet emitted. */
  get pending(): number {
    return this.bufStart + this.buf.length - this.done + this.pendingHigh.length;
  }

  get hits(): MaskHit[] {
    return hitsOf(this.counts);
  }

  /** Feeds a chunk; returns the masked text that no later text can change. Throws MaskingError to fail closed. */
  push(chunk: string): string {
    if (this.ended) throw new Error("StreamMasker: push after end");
    if (chunk.length === 0) return "";
    let text = this.pendingHigh + chunk;
    this.pendingHigh = "";
    if (isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.pendingHigh = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (this.masker.empty) return text;
    this.buf += text;
    const out = this.advance();
    this.trim();
    return out;
  }

  /** Ends the text: returns the rest, masked as the end of the whole text. */
  end(): string {
    if (this.ended) return "";
    this.ended = true;
    this.buf += this.pendingHigh;
    this.pendingHigh = "";
    const out = this.masker.scanAll(this.buf, this.done - this.bufStart, this.counts);
    this.buf = "";
    this.bufStart = this.done = 0;
    return out;
  }

  private advance(): string {
    const buf = this.buf;
    const m = this.masker;
    let pos = this.done - this.bufStart;
    let out = "";
    m.newText();
    let f = m.undecidedFrom(buf, pos);
    // Only matches that start before f are taken now: none when f is pos (the whole pending text is undecided).
    const cursor = f > pos ? m.matches(buf, true, pos) : null;
    for (;;) {
      const match = cursor?.next(pos);
      if (!match || match.start >= f) break;
      out += buf.slice(pos, match.start) + m.replacement(match.pattern);
      const name = m.nameOf(match.pattern);
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      pos = match.end;
      if (f < pos) f = m.undecidedFrom(buf, pos);
    }
    out += buf.slice(pos, f);
    this.done = this.bufStart + f;
    const held = buf.length - f;
    if (held > m.window) this.overflow(held, f);
    if (held > m.minWindow && held > m.holdAllowance(buf, f).allowed) this.overflow(held, f);
    return out;
  }

  private overflow(held: number, at: number): never {
    const { pattern } = this.masker.holdAllowance(this.buf, at);
    this.ended = true;
    throw new MaskingError(
      `a possible ${pattern === null ? "secret" : JSON.stringify(pattern)} match is still open after ${held} characters (over the hold-back limit); the stream is ended rather than risk emitting it`,
      pattern,
    );
  }

  private trim(): void {
    const keep = Math.max(this.bufStart, this.done - this.masker.context);
    if (keep > this.bufStart) {
      this.buf = this.buf.slice(keep - this.bufStart);
      this.bufStart = keep;
    }
  }
}
