// Server-sent events (the WHATWG event-stream format) as the Anthropic Messages API streams them: a byte-level parser
// that accepts chunks split anywhere (inside a line, a `\r\n` pair or a UTF-8 character: a streaming TextDecoder
// decodes), `\n`, `\r\n` and `\r` line ends, multi-line `data:`, comments; and a serializer.

export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  id?: string;
  retry?: number;
}

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private line = "";
  private afterCR = false;
  private first = true;
  private event = "";
  private data: string[] = [];
  private id: string | undefined;
  private retry: number | undefined;

  /** Feeds bytes (or already decoded text); returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.feed(text);
  }

  /** Ends the input: a last event without its blank line is dropped, as the format says. */
  end(): SseEvent[] {
    const rest = this.decoder.decode();
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
      const line = this.line === "" ? text.slice(start, end) : this.line + text.slice(start, end);
      this.line = "";
      start = end + 1;
      if (end === cr) {
        if (end + 1 === n) this.afterCR = true;
        else if (text.charCodeAt(end + 1) === 10) start++;
      }
      const ev = this.lineDone(line);
      if (ev) events.push(ev);
    }
    return events;
  }

  private lineDone(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const ev: SseEvent = { event: this.event || "message", data: this.data.join("\n") };
      if (this.id !== undefined) ev.id = this.id;
      if (this.retry !== undefined) ev.retry = this.retry;
      this.event = "";
      this.data = [];
      this.retry = undefined;
      return ev;
    }
    if (line.charCodeAt(0) === 58) return null; // ":" comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
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
