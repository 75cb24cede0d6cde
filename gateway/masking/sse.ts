// Server-sent events (the WHATWG event-stream format) as the Anthropic Messages API streams them: a byte-level parser
// that accepts chunks split anywhere (inside a line, a `\r\n` pair or a UTF-8 character: a streaming TextDecoder
// decodes), `\n`, `\r\n` and `\r` line ends, multi-line `data:`, comments; and a serializer.

import { StringDecoder } from "node:string_decoder";

export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  id?: string;
  retry?: number;
}

export class SseParser {
  // Node's StringDecoder: the same text as a streaming TextDecoder("utf-8") (U+FFFD for invalid sequences; tested),
  // three times faster; TextDecoder's removal of a leading BOM is done by hand (decoderFirst).
  private readonly decoder = new StringDecoder("utf8");
  private decoderFirst = true;
  private line = "";
  private afterCR = false;
  private first = true;
  private event = "";
  private data: string[] = [];
  private id: string | undefined;
  private retry: number | undefined;

  /** Feeds bytes (or already decoded text); returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    return this.feed(this.decode(chunk));
  }

  /**
   * The text of bytes (or of already decoded text) as push would parse it, without parsing it: then feedText must be
   * given all of it, in order (in pieces if wished), before the next chunk.
   */
  decode(chunk: Uint8Array | string): string {
    let text = typeof chunk === "string" ? chunk : this.decodeBytes(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** Parses decoded text (see decode); returns the events completed by it. */
  feedText(text: string): SseEvent[] {
    return this.feed(text);
  }

  /**
   * Whether the parser stands between events: no partial line, no field of an event read yet (but `retry`, which
   * skipEvent resets, and `id`, which persists across events), no `\r` whose `\n` may follow.
   */
  get idle(): boolean {
    return this.line === "" && this.data.length === 0 && this.event === "" && !this.afterCR;
  }

  /**
   * The state after an event the caller read itself from idle (its `event:` and `data:` lines and the blank line):
   * as after dispatching it, `retry` is reset.
   */
  skipEvent(): void {
    this.retry = undefined;
  }

  private decodeBytes(chunk: Uint8Array): string {
    let text = this.decoder.write(chunk);
    if (this.decoderFirst && text.length > 0) {
      this.decoderFirst = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** Ends the input: a last event without its blank line is dropped, as the format says. */
  end(): SseEvent[] {
    const rest = this.decoder.end();
    const events = this.feed(rest);
    this.line = "";
    return events;
  }

  private feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.afterCR && text.charCodeAt(0) === 10) start = 1; // the \n of a \r\n pair split across chunks
    this.afterCR = false;
    const n = text.length;
    let lf = -1;
    let cr = -1;
    while (start <= n) {
      // The next line end: \n, \r\n or \r (each search resumes where it left off: linear in the chunk).
      if (lf < start) {
        lf = text.indexOf("\n", start);
        if (lf < 0) lf = n;
      }
      if (cr < start) {
        cr = text.indexOf("\r", start);
        if (cr < 0) cr = n;
      }
      const end = lf < cr ? lf : cr;
      if (end === n) {
        if (start < n) this.line += text.slice(start);
        break;
      }
      let ev: SseEvent | null;
      if (this.line === "") ev = this.lineDone(text, start, end);
      else {
        const line = this.line + text.slice(start, end);
        this.line = "";
        ev = this.lineDone(line, 0, line.length);
      }
      start = end + 1;
      if (end === cr) {
        if (end + 1 === n) this.afterCR = true;
        else if (text.charCodeAt(end + 1) === 10) start++;
      }
      if (ev) events.push(ev);
    }
    return events;
  }

  /** The line text[start..end) (read in place: no string for the line or its field name). */
  private lineDone(text: string, start: number, end: number): SseEvent | null {
    if (start === end) {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const ev: SseEvent = { event: this.event || "message", data: this.data.length === 1 ? this.data[0]! : this.data.join("\n") };
      if (this.id !== undefined) ev.id = this.id;
      if (this.retry !== undefined) ev.retry = this.retry;
      this.event = "";
      this.data.length = 0;
      this.retry = undefined;
      return ev;
    }
    if (text.charCodeAt(start) === 58) return null; // ":" comment
    let colon = text.indexOf(":", start);
    if (colon < 0 || colon > end) colon = -1;
    const fieldEnd = colon < 0 ? end : colon;
    let v = colon < 0 ? end : colon + 1;
    if (v < end && text.charCodeAt(v) === 32) v++;
    const len = fieldEnd - start;
    if (len === 4 && text.charCodeAt(start) === 100 && text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97) {
      this.data.push(text.slice(v, end)); // data
      return null;
    }
    if (len !== 5 && len !== 2) return null;
    const field = text.slice(start, fieldEnd);
    const value = text.slice(v, end);
    if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
    return null;
  }
}

/** One event in the wire format, `event: …\ndata: …\n\n`; a data value with line breaks becomes several data lines. */
export function serializeSse(ev: SseEvent): string {
  let out = "";
  if (ev.event !== "message") out += `event: ${ev.event.replace(/[\r\n]/g, "")}\n`;
  if (ev.id !== undefined) out += `id: ${ev.id.replace(/[\r\n]/g, "")}\n`;
  if (ev.retry !== undefined) out += `retry: ${ev.retry}\n`;
  if (!ev.data.includes("\n") && !ev.data.includes("\r")) out += `data: ${ev.data}\n`;
  else for (const line of ev.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
