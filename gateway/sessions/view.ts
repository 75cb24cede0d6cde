// A recorded session read as a conversation: for each exchange, the prompt messages it added (from the policy
// input's llm view), the model's answer (text and tool calls), the decisions and the timings. Shared by
// `guard sessions show` and the web view.
import { llmView } from "../llm.js";
import type { RecordedToolCall, RecordedToolDecision, StoredExchange } from "../store/sessions-types.js";

export interface ConversationTurn {
  /** The exchange's id (its decision id) and place. */
  id: string;
  seq: number;
  time: string;
  method: string;
  path: string;
  model: string | null;
  system: string | null;
  /** The messages this request added to the conversation (all of them for the first request). */
  messages: { role: string; text: string }[];
  /** How many earlier messages the request repeated (not shown again). */
  earlierMessages: number;
  /** The model's answer: text, tool calls, stop reason (null when nothing was forwarded). */
  answer: { status: number; text: string; toolCalls: RecordedToolCall[]; stopReason: string | null; error: string | null; truncated: boolean } | null;
  decision: StoredExchange["decision"];
  toolDecisions: RecordedToolDecision[];
  timings: StoredExchange["timings"];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function llmOf(x: StoredExchange): { model: string | null; system: string; messages: { role: string; text: string }[] } | null {
  const input = isObject(x.input) ? x.input : null;
  if (input && isObject(input.llm)) {
    const l = input.llm;
    return {
      model: typeof l.model === "string" ? l.model : null,
      system: typeof l.system === "string" ? l.system : "",
      messages: Array.isArray(l.messages) ? l.messages.filter(isObject).map((m) => ({ role: String(m.role ?? ""), text: String(m.text ?? "") })) : [],
    };
  }
  // no input kept (too large): read the recorded (masked) request body, when it is whole JSON
  if (x.request.body?.json !== undefined) {
    const v = llmView(x.request.body.json);
    if (v.messages.length > 0 || v.model !== null) return { model: v.model, system: v.system, messages: v.messages };
  }
  return null;
}

function answerOf(x: StoredExchange): ConversationTurn["answer"] {
  const r = x.response;
  if (!r) return null;
  if (r.stream) return { status: r.status, text: r.stream.text, toolCalls: r.stream.toolCalls, stopReason: r.stream.stopReason, error: r.stream.error, truncated: false };
  const body = r.body;
  if (body?.json !== undefined && isObject(body.json)) {
    const b = body.json;
    const content = Array.isArray(b.content) ? b.content.filter(isObject) : [];
    const text = content.filter((c) => c.type === "text" && typeof c.text === "string").map((c) => c.text as string);
    const toolCalls = content
      .filter((c) => c.type === "tool_use" || c.type === "server_tool_use")
      .map((c) => ({ id: typeof c.id === "string" ? c.id : null, name: String(c.name ?? ""), input: c.input ?? null }));
    const error = isObject(b.error) && typeof b.error.message === "string" ? b.error.message : null;
    return { status: r.status, text: text.join("\n"), toolCalls, stopReason: typeof b.stop_reason === "string" ? b.stop_reason : null, error, truncated: false };
  }
  return { status: r.status, text: body?.text ?? (body?.json !== undefined ? JSON.stringify(body.json) : ""), toolCalls: [], stopReason: null, error: null, truncated: body?.truncated === true };
}

/** The exchanges (one session's, in order) as conversation turns. */
export function conversation(exchanges: readonly StoredExchange[]): ConversationTurn[] {
  let previous: { role: string; text: string }[] = [];
  let previousSystem: string | null = null;
  return exchanges.map((x) => {
    const l = llmOf(x);
    let messages: { role: string; text: string }[] = [];
    let earlier = 0;
    let system: string | null = null;
    if (l) {
      // a request repeats the conversation so far: show what it adds
      const repeats = previous.length > 0 && previous.length <= l.messages.length && previous.every((m, i) => m.role === l.messages[i]!.role && m.text === l.messages[i]!.text);
      earlier = repeats ? previous.length : 0;
      messages = l.messages.slice(earlier);
      previous = l.messages;
      system = l.system !== "" && l.system !== previousSystem ? l.system : null;
      previousSystem = l.system;
    }
    return {
      id: x.decisionId,
      seq: x.seq,
      time: x.time,
      method: x.request.method,
      path: x.request.path,
      model: l?.model ?? null,
      system,
      messages,
      earlierMessages: earlier,
      answer: answerOf(x),
      decision: x.decision,
      toolDecisions: x.toolDecisions ?? [],
      timings: x.timings,
    };
  });
}

const ms = (v: number | null): string => (v === null ? "-" : `${Math.round(v * 10) / 10}ms`);

/** One line of timings: `auth 1ms  eval 0.4ms  upstream 812ms  total 815ms`. */
export function timingsLine(t: StoredExchange["timings"]): string {
  return `auth ${ms(t.authMs)}  eval ${ms(t.evaluationMs)}  upstream ${ms(t.upstreamMs)}  total ${ms(t.totalMs)}`;
}
