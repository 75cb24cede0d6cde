// Capturing an answer for the session record while it streams to the caller: a pass-through Transform that keeps
// the beginning of the body (up to a limit). An Anthropic event stream that fits in that limit is kept raw and
// reassembled where the record is trimmed (the SQLite store: its writer thread, off the event loop); a longer one is
// reassembled as it passes (text and tool calls, bounded), so that it is recorded whole as text without being held
// in memory. Put it on the MASKED side: what the caller receives.
import { Transform, type TransformCallback } from "node:stream";
import { SseParser, type SseEvent } from "../masking/sse.js";
import type { RecordedBody, RecordedStream, RecordedToolCall } from "../store/sessions-types.js";

type Block = { kind: "text"; parts: string[] } | { kind: "tool"; id: string | null; name: string; json: string[]; input: unknown };

/** Reassembles a Messages API event stream, event by event; text and tool inputs kept up to `maxChars` in all. */
export class StreamAssembler {
  private readonly parser = new SseParser();
  private readonly blocks = new Map<number, Block>();
  private readonly order: number[] = [];
  private seen = false;
  private stopReason: string | null = null;
  private error: string | null = null;
  private kept = 0;
  private truncated = false;

  constructor(private readonly maxChars = Number.POSITIVE_INFINITY) {}

  push(chunk: Uint8Array | string): void {
    for (const ev of this.parser.push(chunk)) this.event(ev);
  }

  private keep(parts: string[], text: string): void {
    const room = this.maxChars - this.kept;
    if (room <= 0) {
      if (text !== "") this.truncated = true;
      return;
    }
    const t = text.length > room ? text.slice(0, room) : text;
    if (t.length < text.length) this.truncated = true;
    parts.push(t);
    this.kept += t.length;
  }

  private event(ev: SseEvent): void {
    let d: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return;
      d = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    const type = typeof d.type === "string" ? d.type : ev.event;
    const index = typeof d.index === "number" ? d.index : -1;
    if (type === "message_start" || type === "ping" || type === "message_stop" || type === "content_block_stop") this.seen = true;
    else if (type === "content_block_start") {
      this.seen = true;
      const b = (d.content_block ?? {}) as Record<string, unknown>;
      if (b.type === "tool_use" || b.type === "server_tool_use") {
        this.blocks.set(index, { kind: "tool", id: typeof b.id === "string" ? b.id : null, name: String(b.name ?? ""), json: [], input: b.input ?? {} });
      } else if (b.type === "text") {
        const block: Block = { kind: "text", parts: [] };
        if (typeof b.text === "string" && b.text !== "") this.keep(block.parts, b.text);
        this.blocks.set(index, block);
      } else return;
      this.order.push(index);
    } else if (type === "content_block_delta") {
      this.seen = true;
      const delta = (d.delta ?? {}) as Record<string, unknown>;
      const b = this.blocks.get(index);
      if (b?.kind === "text" && typeof delta.text === "string") this.keep(b.parts, delta.text);
      else if (b?.kind === "tool" && typeof delta.partial_json === "string") this.keep(b.json, delta.partial_json);
    } else if (type === "message_delta") {
      this.seen = true;
      const delta = (d.delta ?? {}) as Record<string, unknown>;
      if (typeof delta.stop_reason === "string") this.stopReason = delta.stop_reason;
    } else if (type === "error") {
      this.seen = true;
      const err = (d.error ?? {}) as Record<string, unknown>;
      this.error = typeof err.message === "string" ? err.message : JSON.stringify(d.error ?? null);
    }
  }

  /** The stream so far; undefined when no Messages API event was seen. */
  result(): RecordedStream | undefined {
    for (const ev of this.parser.end()) this.event(ev);
    if (!this.seen) return undefined;
    const texts: string[] = [];
    const toolCalls: RecordedToolCall[] = [];
    for (const i of this.order) {
      const b = this.blocks.get(i)!;
      if (b.kind === "text") texts.push(b.parts.join(""));
      else {
        let input: unknown = b.input;
        const raw = b.json.join("");
        if (raw !== "") {
          try {
            input = JSON.parse(raw);
          } catch {
            input = raw; // cut, or not JSON: kept as text
          }
        }
        toolCalls.push({ id: b.id, name: b.name, input });
      }
    }
    return { text: texts.join("\n"), toolCalls, stopReason: this.stopReason, error: this.error, ...(this.truncated ? { truncated: true } : {}) };
  }
}

/**
 * A pass-through stream that captures what flows through it for the record: pipe the (masked) answer through it
 * to the caller, then hand it to `record()` as `response.capture`.
 */
export class ResponseCapture extends Transform {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private total = 0;
  /** An event stream longer than maxBytes, reassembled as it passes (a shorter one is kept raw: `head`). */
  private assembler: StreamAssembler | undefined;

  /**
   * @param options.maxBytes how much of the raw body to keep (default 256 KiB)
   * @param options.sse reassemble the body as an Anthropic event stream (for `text/event-stream` answers)
   */
  constructor(private readonly options: { maxBytes?: number; sse?: boolean } = {}) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const max = this.options.maxBytes ?? 256 * 1024;
      if (this.options.sse && !this.assembler && this.total + buf.length > max) {
        // too long to keep raw: reassembled from here on, starting with what was kept (all of it so far)
        this.assembler = new StreamAssembler(max);
        for (const part of this.head) this.assembler.push(part);
      }
      this.total += buf.length;
      if (this.headBytes < max) {
        const part = buf.subarray(0, max - this.headBytes);
        this.head.push(part);
        this.headBytes += part.length;
      }
      this.assembler?.push(buf);
    } catch {
      // recording must never break the answer
    }
    callback(null, chunk);
  }

  /** Bytes that went through. */
  get size(): number {
    return this.total;
  }

  /**
   * What was captured: an event stream raw (`sse`, whole: it fits in maxBytes) or reassembled (`stream`), else the
   * body's beginning (raw bytes) and whether it was cut.
   */
  captured(): { stream?: RecordedStream; sse?: Buffer; body?: Buffer; truncated: boolean; size: number } {
    if (this.options.sse && !this.assembler) return { sse: Buffer.concat(this.head), truncated: false, size: this.total };
    const stream = this.assembler?.result();
    if (stream) return { stream, truncated: stream.truncated === true, size: this.total };
    const truncated = this.total > this.headBytes;
    const body = Buffer.concat(this.head);
    return { body: truncated ? withoutPartialCharacter(body) : body, truncated, size: this.total };
  }
}

/** Drops an incomplete UTF-8 sequence at the end of a cut buffer (so that cut text still decodes as text). */
function withoutPartialCharacter(b: Buffer): Buffer {
  let i = b.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (b[i]! & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return b;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return need > continuation ? b.subarray(0, i) : b;
}

/** A captured raw body as recorded: cut already, so `size` and `truncated` come from the capture. */
export function capturedBody(c: { body?: Uint8Array; truncated: boolean; size: number }, toBody: (b: Uint8Array) => RecordedBody | null): RecordedBody | null {
  if (!c.body || c.body.length === 0) return null;
  if (!c.truncated) return toBody(c.body);
  const r = toBody(c.body);
  if (r === null || r.binary) return r === null ? null : { ...r, size: c.size };
  return { text: r.text ?? JSON.stringify(r.json), truncated: true, size: c.size };
}
