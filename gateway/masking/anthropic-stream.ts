// Masking an Anthropic Messages API event stream (SSE) on its way to the agent.
//
// - text and thinking blocks: one StreamMasker per content block index over the text_delta / thinking_delta texts;
//   each delta is re-emitted with the text that is safe now (an empty one is skipped; consecutive deltas of one
//   network chunk are masked and re-emitted together, as one), and the held-back rest is
//   flushed in a last delta just before the block's content_block_stop. The joined text of a block is exactly
//   maskText(the upstream's joined text), however the upstream split it into deltas and into network chunks.
// - tool_use (and server_tool_use) blocks: held whole, from content_block_start to content_block_stop, with whatever
//   events arrive meanwhile. At the stop the input_json_delta fragments are joined and parsed, every string value of
//   the input is masked (json-body.ts: values only, so the result is valid JSON by construction and a match cannot
//   straddle a JSON escape or a string's quotes: masking works on the decoded strings, not on the raw JSON text),
//   then onToolUse decides: allowed → start, one input_json_delta with the masked input, the events held, stop;
//   denied → an error event and the end. The agent never sees a part of a denied call.
// - other content blocks and unknown deltas: every string value but `type` masked as a whole; signature_delta and
//   redacted_thinking are opaque and pass unchanged; ping, message_delta, message_stop pass unchanged.
// Fail closed: an over-long possible match, an unparseable event or tool input, a failing decision → an
// `event: error` with a Guard message, and the stream ends (the upstream is no longer read).
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { maskJson } from "./json-body.js";
import { type MaskHit, Masker, MaskingError, mergeHits } from "./patterns.js";
import { serializeSse, SseParser, type SseEvent } from "./sse.js";
import { StreamMasker } from "./stream-masker.js";

export interface ToolUseBlock {
  index: number;
  type: "tool_use";
  id: string | null;
  name: string;
  /** The complete input, after masking. */
  input: unknown;
}

export type ToolDecision = "allow" | { deny: string };

export interface AnthropicMaskOptions {
  masker: Masker;
  /** Called at the content_block_stop of every tool_use block, before any of the block is released. */
  onToolUse?: (block: ToolUseBlock) => Promise<ToolDecision> | ToolDecision;
  /** Longest tool input held (characters of JSON); default 8 MiB. Longer fails closed. */
  maxToolInput?: number;
  /** Whether text deltas in Anthropic's exact shape skip the JSON round trip (same output); default true. For tests. */
  fastPath?: boolean;
}

export type GuardStreamCode = "GUARD_MASK_OVERFLOW" | "GUARD_MASK_INVALID_EVENT" | "GUARD_MASK_INVALID_TOOL_INPUT" | "GUARD_TOOL_DENIED" | "GUARD_TOOL_DECISION_FAILED";

export interface StreamFailure {
  code: GuardStreamCode;
  message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface TextBlock {
  kind: "text";
  field: "text" | "thinking";
  deltaType: "text_delta" | "thinking_delta";
  masker: StreamMasker;
}
interface ToolBlock {
  kind: "tool";
  start: Json;
  block: Json;
  json: string[];
  size: number;
  /** Events that arrived while the block was held (other than its own deltas), already masked and serialized. */
  held: string[];
}
type Block = TextBlock | ToolBlock | { kind: "other" };

/** The error event the stream ends with, in the shape Anthropic's SDKs read. */
export function errorEvent(failure: StreamFailure): string {
  const type = failure.code === "GUARD_TOOL_DENIED" ? "permission_error" : "api_error";
  return serializeSse({ event: "error", data: JSON.stringify({ type: "error", error: { type, message: `Guard: ${failure.message}`, guard_code: failure.code } }) });
}

class Fail extends Error {
  /** What the batch emitted before the failure (all of it safe). */
  partial = "";
  constructor(readonly failure: StreamFailure) {
    super(failure.message);
  }
}

export class AnthropicStreamMasker {
  private readonly parser = new SseParser();
  private readonly blocks = new Map<number, Block>();
  private readonly jsonHits: MaskHit[][] = [];
  private readonly textMaskers: StreamMasker[] = [];
  private readonly maxToolInput: number;
  private readonly fastPath: boolean;
  /** The tool block being held (Anthropic streams one block at a time); events meanwhile are held with it. */
  private holding: ToolBlock | null = null;
  /** Set when the stream failed closed (or a tool call was denied). */
  failure: StreamFailure | null = null;
  /** Tool calls released to the agent. */
  readonly toolUses: ToolUseBlock[] = [];

  constructor(private readonly options: AnthropicMaskOptions) {
    this.maxToolInput = options.maxToolInput ?? 8 << 20;
    this.fastPath = options.fastPath ?? true;
  }

  /** Every mask hit so far (text, thinking and JSON). */
  get hits(): MaskHit[] {
    return mergeHits(...this.jsonHits, ...this.textMaskers.map((m) => m.hits));
  }

  /** Masks an upstream SSE byte stream into SSE text chunks; after a failure yields the error event and stops. */
  async *run(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
    try {
      for await (const chunk of source) {
        const out = await this.step(chunk);
        if (out) yield out;
      }
      const out = await this.last();
      if (out) yield out;
    } catch (e) {
      yield this.failed(e);
    }
  }

  /**
   * The same as a node Transform: write upstream bytes, read masked SSE. No async iteration between its two sides (a
   * sixth of a streamed request's CPU in the gateway, with the Readable.from the generator needed). After a failure it
   * ends with the error event, ignores whatever is still written, and calls `onFailure` (to stop the upstream).
   */
  transform(onFailure?: () => void): Transform {
    let ended = false;
    const settle = (pending: Promise<string>, cb: TransformCallback, flushing: boolean) => {
      pending.then(
        (out) => {
          if (out) t.push(out);
          cb();
        },
        (e: unknown) => {
          let out: string;
          try {
            out = this.failed(e);
          } catch (err) {
            cb(err as Error);
            return;
          }
          ended = true;
          t.push(out);
          if (!flushing) t.push(null);
          cb();
          onFailure?.();
        },
      );
    };
    const t: Transform = new Transform({
      transform: (chunk: Buffer, _encoding, cb) => (ended ? cb() : settle(this.step(chunk), cb, false)),
      flush: (cb) => (ended ? cb() : settle(this.last(), cb, true)),
    });
    return t;
  }

  /** One upstream chunk: the masked SSE text that is safe to send now. Throws Fail when the stream must end. */
  private step(chunk: Uint8Array | string): Promise<string> {
    return this.fastPath ? this.text(this.parser.decode(chunk)) : this.events(this.parser.push(chunk));
  }

  /** The upstream stream's end: what was still held. */
  private async last(): Promise<string> {
    return (await this.events(this.parser.end())) + this.finish();
  }

  /** A Fail as the text the stream ends with (what was safe before it, then the error event); anything else rethrown. */
  private failed(e: unknown): string {
    if (!(e instanceof Fail)) throw e;
    this.failure = e.failure;
    return e.partial + errorEvent(e.failure);
  }

  private out = "";

  private async events(events: SseEvent[]): Promise<string> {
    return this.batch(async () => {
      for (const ev of events) {
        if (!(this.fastPath && this.fastDelta(ev))) await this.event(ev);
      }
    });
  }

  /**
   * A decoded chunk of the upstream (the fast path): at each event boundary (the parser holding nothing of an event),
   * an event in the exact bytes Anthropic sends a text or thinking delta in, `event: content_block_delta\ndata: {…}\n\n`
   * with a valid string literal, is taken whole by one sticky regex (FAST_EVENT), without the line parser; the rest goes
   * to the parser an event at a time. The parser would give that event (with the same `event` and `data`; its `id` and
   * `retry` fastDelta does not read) and leave the same state (skipEvent), so the outcome is the same.
   */
  private async text(text: string): Promise<string> {
    return this.batch(async () => {
      const n = text.length;
      let pos = 0;
      while (pos < n) {
        if (this.parser.idle) {
          const m = fastEvent(text, pos);
          if (m && this.takeDelta("content_block_delta", m[1]!, m[2] === "text" ? "text_delta" : "thinking_delta", m[4]!, m[4]!.includes("\\"))) {
            this.parser.skipEvent();
            pos = FAST_EVENT.lastIndex;
            continue;
          }
        }
        const blank = text.indexOf("\n\n", pos);
        const end = blank < 0 ? n : blank + 2;
        for (const ev of this.parser.feedText(pos === 0 && end === n ? text : text.slice(pos, end))) {
          if (!this.fastDelta(ev)) await this.event(ev);
        }
        pos = end;
      }
    });
  }

  /** Runs the handling of a batch of events; returns what it emitted (also, on failure, in the Fail's `partial`). */
  private async batch(run: () => Promise<void>): Promise<string> {
    this.out = "";
    try {
      await run();
      this.flushPending();
    } catch (e) {
      if (e instanceof Fail) {
        e.partial = this.out;
        throw e;
      }
      if (e instanceof MaskingError) {
        const f = new Fail({ code: "GUARD_MASK_OVERFLOW", message: `masking: ${e.message}` });
        f.partial = this.out;
        throw f;
      }
      throw e;
    }
    return this.out;
  }

  /** Emits (or, while a tool block is held, holds) a serialized event. */
  private emit(s: string): void {
    if (this.holding) this.holding.held.push(s);
    else this.out += s;
  }

  private emitJson(event: string, data: Json): void {
    this.emit(serializeSse({ event, data: JSON.stringify(data) }));
  }

  private maskValues(v: unknown, keep: (key: string) => boolean = (k) => k === "type"): unknown {
    if (Array.isArray(v)) return v.map((x) => this.maskValues(x, keep));
    if (isObject(v)) {
      const out: Json = {};
      for (const [k, x] of Object.entries(v)) out[k] = keep(k) ? x : this.maskValues(x, keep);
      return out;
    }
    if (typeof v === "string") {
      const r = maskJson(v, this.options.masker);
      if (r.hits.length > 0) this.jsonHits.push(r.hits);
      return r.value;
    }
    return v;
  }

  /**
   * Consecutive text deltas of one block that arrive in the same network chunk are masked together and re-emitted as
   * one delta (the same joined text; one masker push per chunk instead of one per delta).
   */
  private pending: Pending | null = null;

  private flushPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const safe = p.block.masker.push(pendingText(p));
    if (safe === "") return;
    // A delta that arrived in the canonical shape is written by template: the same bytes as emitJson would write.
    if (p.template !== null) this.emit(`${p.template}${JSON.stringify(safe)}}}\n\n`);
    else this.emitJson(p.event, { ...p.data, delta: { ...p.delta, [p.block.field]: safe } });
  }

  /**
   * The fast path for the bulk of a stream: a text or thinking delta in the exact shape Anthropic sends,
   * `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`, for an open block of that
   * kind. Only the string is decoded (JSON.parse of the literal alone when it holds escapes); anything else (other
   * keys, spacing, a string that does not decode) goes the general way, through event(). Returns whether it took
   * the event; it then does exactly what event() would do with it.
   */
  private fastDelta(ev: SseEvent): boolean {
    const data = ev.data;
    const n = data.length;
    // (A sticky regex and charCodeAt: String.prototype.startsWith / endsWith cost far more in Node 20.)
    if (data.charCodeAt(n - 1) !== 125 || data.charCodeAt(n - 2) !== 125 || data.charCodeAt(n - 3) !== 34) return false; // "}}
    FAST_DELTA.lastIndex = 0;
    if (!FAST_DELTA.test(data)) return false;
    const i = FAST_DELTA.lastIndex;
    // The index: 0 or a number without leading zeros, at most 9 digits (an exact JSON integer), as FAST_DELTA checked.
    let index = 0;
    let k = DELTA_HEAD.length;
    for (let c = data.charCodeAt(k); c >= 48 && c <= 57; c = data.charCodeAt(++k)) index = index * 10 + (c - 48);
    const deltaType = i - k === TEXT_TAIL.length ? "text_delta" : "thinking_delta";
    if (i > data.length - 3) return false; // the literal's opening quote is the closing one of `"}}`
    const text = data.slice(i, data.length - 3);
    NOT_PLAIN.lastIndex = 0;
    const special = NOT_PLAIN.exec(text);
    // A string that does not decode (a quote ends it early, a raw control character, a bad escape) goes the general way.
    if (special && !validLiteral(text, special.index)) return false;
    return this.takeDelta(ev.event, index, deltaType, text, special !== null);
  }

  /**
   * A text or thinking delta of the fast paths: the event's name, the block index (a number or its digits), the delta
   * type, the string literal's content (valid; `escaped`: it holds escapes). Taken (true) when block `index` is an open
   * block of that kind: the content joins the pending texts, decoded when they are flushed (one JSON.parse for a run
   * of escaped ones). Otherwise false: the event goes the general way.
   */
  private takeDelta(event: string, index: number | string, deltaType: "text_delta" | "thinking_delta", text: string, escaped: boolean): boolean {
    const i = typeof index === "number" ? index : Number(index);
    const block = this.blocks.get(i);
    if (block?.kind !== "text" || block.deltaType !== deltaType) return false;
    if (this.pending && this.pending.block !== block) this.flushPending();
    if (!this.pending) {
      const template = `${event === "message" ? "" : `event: ${event}\n`}data: ${DELTA_HEAD}${i}${deltaType === "text_delta" ? TEXT_TAIL : THINKING_TAIL}`.slice(0, -1);
      this.pending = { block, event, data: { type: "content_block_delta", index: i }, delta: { type: deltaType }, texts: [], escaped: [], decoded: 0, template };
    }
    const p = this.pending;
    if (escaped) p.escaped.push(p.texts.length);
    p.texts.push(text);
    return true;
  }

  private async event(ev: SseEvent): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(ev.data);
    } catch {
      throw new Fail({ code: "GUARD_MASK_INVALID_EVENT", message: `the upstream sent an event that is not JSON (${ev.event})` });
    }
    if (!isObject(data)) throw new Fail({ code: "GUARD_MASK_INVALID_EVENT", message: `the upstream sent an event that is not a JSON object (${ev.event})` });
    const type = typeof data.type === "string" ? data.type : ev.event;
    const index = typeof data.index === "number" ? data.index : -1;
    if (this.pending && !(type === "content_block_delta" && this.blocks.get(index) === this.pending.block && isObject(data.delta) && data.delta.type === this.pending.block.deltaType)) {
      this.flushPending();
    }
    switch (type) {
      case "content_block_start":
        return this.blockStart(ev, data, index);
      case "content_block_delta":
        return this.blockDelta(ev, data, index);
      case "content_block_stop":
        return this.blockStop(ev, index);
      case "ping":
      case "message_stop":
      case "message_delta":
        this.emit(serializeSse(ev));
        return;
      case "message_start": {
        const msg = data.message;
        if (isObject(msg) && Array.isArray(msg.content) && msg.content.length > 0) {
          this.emitJson(ev.event, { ...data, message: { ...msg, content: this.maskValues(msg.content, opaqueOrStructural) } });
        } else this.emit(serializeSse(ev));
        return;
      }
      default:
        // error and unknown events: every string value but `type` masked.
        this.emitJson(ev.event, this.maskValues(data) as Json);
    }
  }

  private blockStart(ev: SseEvent, data: Json, index: number): void {
    const block = isObject(data.content_block) ? data.content_block : {};
    const t = block.type;
    if (t === "text" || t === "thinking") {
      const field = t;
      const masker = new StreamMasker(this.options.masker);
      this.textMaskers.push(masker);
      this.blocks.set(index, { kind: "text", field, deltaType: t === "text" ? "text_delta" : "thinking_delta", masker });
      const initial = typeof block[field] === "string" ? (block[field] as string) : "";
      const rest = Object.fromEntries(Object.entries(block).filter(([k]) => k !== "citations"));
      const citations = block.citations === undefined ? {} : { citations: this.maskValues(block.citations, opaqueOrStructural) };
      this.emitJson(ev.event, { ...data, content_block: { ...rest, ...citations, [field]: initial === "" ? "" : masker.push(initial) } });
      return;
    }
    if (t === "tool_use" || t === "server_tool_use") {
      if (this.holding) throw new Fail({ code: "GUARD_MASK_INVALID_EVENT", message: "the upstream opened a tool block while another was open" });
      const tool: ToolBlock = { kind: "tool", start: data, block, json: [], size: 0, held: [] };
      this.blocks.set(index, tool);
      this.holding = tool;
      return;
    }
    this.blocks.set(index, { kind: "other" });
    if (t === "redacted_thinking") this.emit(serializeSse(ev));
    else this.emitJson(ev.event, { ...data, content_block: this.maskValues(block, opaqueOrStructural) });
  }

  private blockDelta(ev: SseEvent, data: Json, index: number): void {
    const block = this.blocks.get(index);
    const delta = isObject(data.delta) ? data.delta : {};
    if (block?.kind === "tool" && delta.type === "input_json_delta") {
      const part = typeof delta.partial_json === "string" ? delta.partial_json : "";
      block.size += part.length;
      if (block.size > this.maxToolInput) throw new Fail({ code: "GUARD_MASK_OVERFLOW", message: `a tool call's input is longer than ${this.maxToolInput} characters` });
      block.json.push(part);
      return;
    }
    if (block?.kind === "text" && delta.type === block.deltaType) {
      const text = typeof delta[block.field] === "string" ? (delta[block.field] as string) : "";
      if (this.pending?.block !== block) this.pending = { block, event: ev.event, data, delta, texts: [], escaped: [], decoded: 0, template: null };
      this.pending.texts.push(text);
      this.pending.decoded++;
      return;
    }
    if (delta.type === "signature_delta") {
      this.emit(serializeSse(ev));
      return;
    }
    this.emitJson(ev.event, { ...data, delta: this.maskValues(delta) });
  }

  private async blockStop(ev: SseEvent, index: number): Promise<void> {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind === "text") {
      const rest = block.masker.end();
      if (rest !== "") this.emitJson("content_block_delta", { type: "content_block_delta", index, delta: { type: block.deltaType, [block.field]: rest } });
    } else if (block?.kind === "tool") {
      await this.releaseTool(block, index);
    }
    this.emit(serializeSse(ev));
  }

  private async releaseTool(tool: ToolBlock, index: number): Promise<void> {
    this.holding = null;
    const raw = tool.json.join("");
    let input: unknown = tool.block.input ?? {};
    if (raw.trim() !== "") {
      try {
        input = JSON.parse(raw);
      } catch {
        throw new Fail({ code: "GUARD_MASK_INVALID_TOOL_INPUT", message: `the input of tool call ${JSON.stringify(tool.block.name ?? "")} is not valid JSON` });
      }
    }
    const masked = maskJson(input, this.options.masker);
    this.jsonHits.push(masked.hits);
    const startInput = maskJson(tool.block.input ?? {}, this.options.masker);
    this.jsonHits.push(startInput.hits);
    const name = typeof tool.block.name === "string" ? tool.block.name : "";
    if (tool.block.type === "tool_use") {
      const call: ToolUseBlock = { index, type: "tool_use", id: typeof tool.block.id === "string" ? tool.block.id : null, name, input: masked.value };
      let decision: ToolDecision = "allow";
      if (this.options.onToolUse) {
        try {
          decision = await this.options.onToolUse(call);
        } catch (e) {
          throw new Fail({ code: "GUARD_TOOL_DECISION_FAILED", message: `the decision on tool call ${JSON.stringify(name)} failed (${(e as Error).message}); denied` });
        }
      }
      if (decision !== "allow") {
        const reason = isObject(decision) && typeof decision.deny === "string" ? decision.deny : "not allowed";
        throw new Fail({ code: "GUARD_TOOL_DENIED", message: `tool call ${JSON.stringify(name)} denied by policy: ${reason}` });
      }
      this.toolUses.push(call);
    }
    this.emitJson("content_block_start", { ...tool.start, content_block: { ...tool.block, input: startInput.value } });
    for (const h of tool.held) this.emit(h);
    if (raw.trim() !== "") this.emitJson("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(masked.value) } });
  }

  /** At the upstream's end: the text held by blocks left open is flushed; a tool block left open is dropped. */
  private finish(): string {
    this.out = "";
    this.holding = null;
    for (const [index, block] of this.blocks) {
      if (block.kind !== "text") continue;
      const rest = block.masker.end();
      if (rest !== "") this.emitJson("content_block_delta", { type: "content_block_delta", index, delta: { type: block.deltaType, [block.field]: rest } });
    }
    this.blocks.clear();
    return this.out;
  }
}

/**
 * Consecutive text deltas of one block, to be masked together: `texts` holds decoded texts (general path) and JSON
 * string literal contents (fast path), the latter decoded only if listed in `escaped` (the others are plain: their
 * content is their value); `decoded` counts the texts of the general path.
 */
interface Pending {
  block: TextBlock;
  event: string;
  data: Json;
  delta: Json;
  texts: string[];
  escaped: number[];
  decoded: number;
  template: string | null;
}

/**
 * The joined text of pending deltas. Escaped literal contents are decoded with JSON.parse: all at once when every
 * text is a literal content (decoding is per escape, so the decoding of the concatenation of valid contents is the
 * concatenation of their decodings), else one by one.
 */
function pendingText(p: Pending): string {
  const texts = p.texts;
  if (p.escaped.length === 0) return texts.length === 1 ? texts[0]! : texts.join("");
  if (p.decoded === 0) return JSON.parse(`"${texts.length === 1 ? texts[0]! : texts.join("")}"`) as string;
  for (const i of p.escaped) texts[i] = JSON.parse(`"${texts[i]!}"`) as string;
  return texts.join("");
}

/**
 * Whether a string literal's content (from the index of its first `"`, `\` or control character) is valid JSON, as
 * JSON.parse would read it: no quote, no raw control character, and only the escapes \" \\ \/ \b \f \n \r \t \uXXXX.
 */
function validLiteral(s: string, i: number): boolean {
  for (const n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) {
      const e = s.charCodeAt(++i);
      if (e === 117) {
        for (let k = 1; k <= 4; k++) if (!isHex(s.charCodeAt(i + k))) return false;
        i += 4;
      } else if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) return false;
    } else if (c === 34 || c < 32) return false;
  }
  return true;
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

const DELTA_HEAD = '{"type":"content_block_delta","index":';
const FAST_DELTA = /\{"type":"content_block_delta","index":(?:0|[1-9][0-9]{0,8}),"delta":\{"type":"(?:text_delta","text|thinking_delta","thinking)":"/y;
/**
 * A whole text or thinking delta event in Anthropic's exact bytes, with a valid JSON string literal (exactly the JSON
 * grammar of a string's content: no quote, backslash or control character but in the escapes \" \\ \/ \b \f \n \r
 * \t \uXXXX). Groups: the index, the field (text / thinking), the literal's content. One character or one escape per
 * repetition: unambiguous, so a literal cut by the end of the chunk fails in linear time (a `[^…]+` inside the `*`
 * would backtrack exponentially).
 */
const FAST_EVENT =
  // eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters: they must be excluded
  /event: content_block_delta\ndata: \{"type":"content_block_delta","index":(0|[1-9][0-9]{0,8}),"delta":\{"type":"(?:text_delta","(text)|thinking_delta","(thinking))":"((?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*)"\}\}\n\n/y;
/** FAST_EVENT's match at `pos` (then FAST_EVENT.lastIndex is its end), or null. */
function fastEvent(text: string, pos: number): RegExpExecArray | null {
  FAST_EVENT.lastIndex = pos;
  try {
    return FAST_EVENT.exec(text);
  } catch {
    return null; // a literal too long for the regex engine's backtrack stack: the parser reads it
  }
}

const TEXT_TAIL = ',"delta":{"type":"text_delta","text":"';
const THINKING_TAIL = ',"delta":{"type":"thinking_delta","thinking":"';
/** A string literal's content that is not its own value: an escape, a quote (the string may end there), a control character. */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters: they must be found
const NOT_PLAIN = /["\\\u0000-\u001f]/g;

/** Keys whose values are identifiers or opaque data in content blocks: left as they are. */
function opaqueOrStructural(key: string): boolean {
  return key === "type" || key === "id" || key === "tool_use_id" || key === "encrypted_content" || key === "encrypted_index" || key === "signature";
}

/** Masks an upstream Anthropic SSE stream; see AnthropicStreamMasker. */
export function maskAnthropicStream(source: AsyncIterable<Uint8Array | string>, options: AnthropicMaskOptions): AsyncGenerator<string> {
  return new AnthropicStreamMasker(options).run(source);
}

/**
 * The upstream's event stream (a node Readable: the upstream answer's body) masked, as a Readable of SSE bytes. When
 * the stream fails closed, or its reader goes away, the upstream is no longer read (destroyed: the model stops
 * generating); an upstream error, or an upstream that ends before its end, errors the result.
 */
export function maskAnthropicReadable(source: Readable, options: AnthropicMaskOptions): Readable {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    source.unpipe(out);
    source.destroy();
  };
  const out = new AnthropicStreamMasker(options).transform(stop);
  source.on("error", (e) => {
    if (!stopped) out.destroy(e);
  });
  source.on("close", () => {
    if (!stopped && !source.readableEnded) out.destroy(new Error("the upstream's answer ended before it was complete"));
  });
  out.on("close", () => {
    if (!source.readableEnded) stop();
  });
  source.pipe(out);
  return out;
}
