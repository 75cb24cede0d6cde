// Session recording: every exchange through the gateway (masked request and response, the policy input that was
// evaluated, the decisions, timings), kept under a session id (a CI run, a caller-named session, or a subject's day)
// so that a run can be read back as a conversation and replayed through a candidate policy bundle.
import type { ExchangeData, TrimOptions } from "../sessions/trim.js";

/** A body as recorded: masked JSON, or masked text; cut to the recorder's limit (then `text`, with `truncated`). */
export interface RecordedBody {
  /** The body as JSON (when it was JSON and fits). */
  json?: unknown;
  /** The body as text (when it was not JSON, or was cut). */
  text?: string;
  /** True when the body was longer than the limit and `text` holds its beginning. */
  truncated: boolean;
  /** The body's length before cutting, in bytes (of its UTF-8 or JSON text). */
  size: number;
  /** True when the body was not UTF-8 text: not kept. */
  binary?: boolean;
}

/** A tool call the model made, as reassembled from the (masked) response. */
export interface RecordedToolCall {
  id: string | null;
  name: string;
  input: unknown;
}

/** A streamed (SSE) answer, reassembled. */
export interface RecordedStream {
  /** The text blocks, joined. */
  text: string;
  toolCalls: RecordedToolCall[];
  stopReason: string | null;
  /** A stream error event's message, when the stream carried one (a guard or upstream error). */
  error: string | null;
  /** True when the text and tool inputs were longer than the recorder keeps (cut). */
  truncated?: boolean;
}

/** The decision on one tool call (the `tool_decision` rule), with the entrypoint it was evaluated at. */
export interface RecordedToolDecision {
  toolUseId: string | null;
  name: string;
  /** The tool call's (masked) input: the `tool_use.input` the rule saw. */
  input: unknown;
  outcome: "allow" | "deny" | "error";
  reasons: string[];
  /** The rule evaluated (`["guard", "claude", "tool_decision"]`); absent: not replayed. */
  entrypoint?: string[];
}

/** One exchange as stored. Never holds a credential. */
export interface SessionExchange {
  sessionId: string;
  /** The request's decision id (`x-guard-decision-id`), unique: the exchange's id. */
  decisionId: string;
  /** ISO 8601. */
  time: string;
  subject: string | null;
  repository: string | null;
  connection: string;
  request: { method: string; path: string; headers: Record<string, string>; body: RecordedBody | null };
  /** The answer; null when nothing was forwarded (denied) or the exchange failed before the upstream answered. */
  response: { status: number; headers: Record<string, string>; body: RecordedBody | null; stream?: RecordedStream } | null;
  /** The policy input that was evaluated (gateway/input.ts buildInput); null when too large to keep (not replayable). */
  input: unknown;
  /** True when `input` was masked before it was kept: replay sees masked texts, not what the policy saw. */
  inputMasked?: boolean;
  decision: {
    outcome: "allow" | "deny" | "error";
    reasons: string[];
    revision: string | null;
    /** The rule evaluated (`["guard", "claude", "decision"]`). */
    entrypoint: string[];
    /** The decision document, when kept. */
    document?: unknown;
  };
  toolDecisions: RecordedToolDecision[];
  timings: { authMs: number | null; evaluationMs: number | null; upstreamMs: number | null; totalMs: number | null };
}

/** An exchange read back: its place in the store and its stored size. */
export interface StoredExchange extends SessionExchange {
  /** Increasing in the order exchanges were stored. */
  seq: number;
  /** Stored size in bytes (its JSON text), what retention by size counts. */
  bytes: number;
}

export interface SessionSummary {
  id: string;
  /** The subject and repository of the session's first exchange. */
  subject: string | null;
  repository: string | null;
  firstTime: string;
  lastTime: string;
  exchanges: number;
  /** Exchanges whose request was not allowed (deny or error). */
  denied: number;
  bytes: number;
}

export interface SessionQuery {
  subject?: string;
  repository?: string;
  /** Sessions active at or after this ISO 8601 time (their last exchange). */
  since?: string;
  /** Sessions that started before this ISO 8601 time. */
  until?: string;
  /** At most this many, the most recently active first (default 100). */
  limit?: number;
}

export interface ExchangeQuery {
  /** Only these sessions (default all). */
  sessionIds?: string[];
  /** Exchanges at or after this ISO 8601 time. */
  since?: string;
  until?: string;
  /** At most this many, the newest (default 10,000); returned oldest first. */
  limit?: number;
}

export interface RetentionLimits {
  /** Delete sessions whose last exchange is older than this. */
  maxAgeMs?: number;
  /** Delete the least recently active sessions until all sessions together take at most this many bytes. */
  maxBytes?: number;
  /** "Now", in ms since the epoch (default Date.now()). */
  now?: number;
}

export interface PruneResult {
  sessions: number;
  exchanges: number;
  bytes: number;
}

export interface SessionStats {
  sessions: number;
  exchanges: number;
  bytes: number;
}

export interface SessionStore {
  /** Appends exchanges in one transaction (all or nothing); resolves with their seqs, in order. */
  append(exchanges: SessionExchange[]): Promise<number[]>;
  /**
   * Optional: appends exchanges as the recorder hands them over, trimming them itself (trimExchange, with these
   * options) where that costs the event loop nothing (a writer thread). Otherwise as `append`.
   */
  appendUntrimmed?(exchanges: ExchangeData[], options: TrimOptions): Promise<number[]>;
  /** Session summaries, the most recently active first. */
  list(q?: SessionQuery): Promise<SessionSummary[]>;
  /** One session's exchanges in the order they were stored ([] when unknown). */
  exchanges(sessionId: string): Promise<StoredExchange[]>;
  /** Exchanges across sessions (for replay), oldest first. */
  query(q?: ExchangeQuery): Promise<StoredExchange[]>;
  /** Enforces retention: by age, then by total size, deleting the least recently active sessions first. */
  prune(limits: RetentionLimits): Promise<PruneResult>;
  stats(): Promise<SessionStats>;
}
