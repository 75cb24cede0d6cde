// Test helpers: realistic Anthropic Messages API event streams, and reading a masked stream back the way the SDK does.
import { SseParser, serializeSse, type SseEvent } from "../sse.js";

export interface ToolSpec {
  id: string;
  name: string;
  input: unknown;
  /** Split the input's JSON text into this many fragments. */
  fragments: number;
}

export interface StreamSpec {
  /** Text deltas of block 0. */
  texts: string[];
  thinking?: string[];
  tool?: ToolSpec;
  /** Use \r\n line ends. */
  crlf?: boolean;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`bad stream: ${message}`);
}

const ev = (event: string, data: unknown): string => serializeSse({ event, data: JSON.stringify(data) });

export function fragments(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function anthropicStream(spec: StreamSpec): string {
  let s = ev("message_start", {
    type: "message_start",
    message: { id: "msg_01XYZ", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } },
  });
  let index = 0;
  if (spec.thinking) {
    s += ev("content_block_start", { type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } });
    for (const t of spec.thinking) s += ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: t } });
    s += ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "signature_delta", signature: "EqQBCkYIARgCIkBsig+/==" } });
    s += ev("content_block_stop", { type: "content_block_stop", index });
    index++;
  }
  s += ev("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
  s += ev("ping", { type: "ping" });
  for (const t of spec.texts) s += ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: t } });
  s += ev("content_block_stop", { type: "content_block_stop", index });
  index++;
  if (spec.tool) {
    const { id, name, input } = spec.tool;
    s += ev("content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {} } });
    s += ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
    for (const f of fragments(JSON.stringify(input), spec.tool.fragments)) s += ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: f } });
    s += ev("ping", { type: "ping" });
    s += ev("content_block_stop", { type: "content_block_stop", index });
  }
  s += ev("message_delta", { type: "message_delta", delta: { stop_reason: spec.tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: 89 } });
  s += ev("message_stop", { type: "message_stop" });
  return spec.crlf ? s.replace(/\n/g, "\r\n") : s;
}

export async function* source(chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const c of chunks) yield c;
}

export async function collect(gen: AsyncIterable<string | Buffer>): Promise<string> {
  let out = "";
  for await (const c of gen) out += typeof c === "string" ? c : c.toString("utf8");
  return out;
}

export interface ReadBack {
  events: SseEvent[];
  /** Joined text per block index (text and thinking). */
  texts: Map<number, string>;
  /** Parsed tool inputs per block index. */
  tools: Map<number, { name: string; input: unknown; raw: string }>;
  error: { type: string; message: string; guard_code?: string } | null;
}

/** Parses a masked stream and checks its framing as the SDK needs it: names match types, blocks open before use. */
export function readBack(wire: string): ReadBack {
  const p = new SseParser();
  const events = [...p.push(wire), ...p.end()];
  const texts = new Map<number, string>();
  const tools = new Map<number, { name: string; input: unknown; raw: string }>();
  const open = new Set<number>();
  const jsonParts = new Map<number, string>();
  let error: ReadBack["error"] = null;
  for (const e of events) {
    const d = JSON.parse(e.data) as Record<string, unknown> & { index?: number; delta?: Record<string, unknown>; content_block?: Record<string, unknown> };
    check(d.type === e.event, `event ${e.event} carries type ${String(d.type)}`);
    check(error === null, "an event after the error event");
    const i = d.index ?? -1;
    if (e.event === "content_block_start") {
      check(!open.has(i), `block ${i} opened twice`);
      open.add(i);
      const b = d.content_block!;
      if (b.type === "text") texts.set(i, b.text as string);
      if (b.type === "thinking") texts.set(i, b.thinking as string);
      if (b.type === "tool_use") tools.set(i, { name: b.name as string, input: b.input, raw: "" });
    } else if (e.event === "content_block_delta") {
      check(open.has(i), `delta for block ${i}, which is not open`);
      const delta = d.delta!;
      if (delta.type === "text_delta") texts.set(i, texts.get(i)! + (delta.text as string));
      if (delta.type === "thinking_delta") texts.set(i, texts.get(i)! + (delta.thinking as string));
      if (delta.type === "input_json_delta") jsonParts.set(i, (jsonParts.get(i) ?? "") + (delta.partial_json as string));
    } else if (e.event === "content_block_stop") {
      check(open.delete(i), `stop for block ${i}, which is not open`);
      const t = tools.get(i);
      if (t) {
        t.raw = jsonParts.get(i) ?? "";
        if (t.raw !== "") t.input = JSON.parse(t.raw);
      }
    } else if (e.event === "error") error = (d as unknown as { error: NonNullable<ReadBack["error"]> }).error;
  }
  return { events, texts, tools, error };
}
