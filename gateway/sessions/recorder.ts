// Session recording: the gateway hands each exchange (already masked) to a SessionRecorder, which trims it (bodies
// cut to a limit, credential headers dropped again, defensively: trim.ts), writes it to the store in the background
// (the exchanges of one moment in one transaction) and enforces retention now and then. A store that can shape
// exchanges itself (the SQLite store's writer thread) gets them untrimmed, so the trimming happens off the event
// loop. Nothing here throws into the request path: failures go to the `onError` callback.
import type { Identity } from "../identity.js";
import type { ResponseCapture } from "./capture.js";
import type { PruneResult, RetentionLimits, SessionExchange, SessionStore } from "../store/sessions-types.js";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_INPUT_BYTES, trimExchange, type ExchangeData, type HeaderMap, type TrimOptions } from "./trim.js";

export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_INPUT_BYTES, reassembleSse, recordedBody, recordedHeaders, UNRECORDED_HEADERS } from "./trim.js";

/** The header a caller may name its session with (printable ASCII, no spaces, at most 100 characters). */
export const SESSION_HEADER = "x-guard-session";

const SESSION_ID_TEXT = /^[\x21-\x7e]{1,100}$/;

/**
 * The session an exchange belongs to:
 * - a CI run, from the verified claims: `${repository}/${run_id}/${run_attempt}` (`acme/app/4242/1`; attempt 1 when
 *   the token has none);
 * - else the caller's `x-guard-session` header (printable ASCII, 1–100 characters; anything else is ignored),
 *   scoped to the subject: `${subject}/${header}` (so that one caller cannot write into another's session);
 * - else one per subject and UTC day: `${subject}/${YYYY-MM-DD}`.
 * Without an identity (unauthenticated), the subject is `anonymous`.
 */
export function sessionIdOf(identity: Pick<Identity, "subject" | "repository" | "run_id" | "run_attempt"> | null | undefined, headers: HeaderMap = {}, now: Date = new Date()): string {
  if (identity?.repository && identity.run_id) return `${identity.repository}/${identity.run_id}/${identity.run_attempt || "1"}`;
  const subject = identity?.subject || "anonymous";
  const raw = headers[SESSION_HEADER];
  const named = Array.isArray(raw) ? raw[0] : raw;
  if (typeof named === "string" && SESSION_ID_TEXT.test(named)) return `${subject}/${named}`;
  return `${subject}/${now.toISOString().slice(0, 10)}`;
}

/**
 * What the gateway hands to `record()`: everything already masked and without credentials (ExchangeData, except
 * that the time may be left out or be a Date, and a streamed answer comes as the capture it went through).
 */
export type ExchangeRecord = Omit<ExchangeData, "time" | "response"> & {
  /** When the request arrived (default: now). */
  time?: string | Date;
  /** The answer, when one was forwarded; null or absent when denied before forwarding. */
  response?:
    | (Omit<NonNullable<ExchangeData["response"]>, "captured"> & {
        /** Or: the capture the (masked) answer streamed through (capture.ts), read when the answer has ended. */
        capture?: ResponseCapture;
      })
    | null;
};

export interface RecorderOptions {
  /** Longest body kept, in bytes (default 256 KiB); a longer one is cut, with `truncated`. */
  maxBodyBytes?: number;
  /** Largest policy input kept, in bytes of JSON (default 1 MiB); a larger one is not kept (not replayable). */
  maxInputBytes?: number;
  /** Keep the decision document (default true). */
  keepDocuments?: boolean;
  /** Exchanges waiting to be written before new ones are dropped (reported) rather than held (default 10,000). */
  maxPending?: number;
  /**
   * How long a recorded exchange may wait for others to share its write, in ms (default 0: the next turn of the event
   * loop). A window of tens of milliseconds turns one transaction (and, for the SQLite store, one message to its
   * writer thread) per exchange into one per window at moderate load; 256 waiting exchanges are written at once.
   */
  batchWindowMs?: number;
  /** Retention, enforced after every `pruneEvery` appended exchanges and every `pruneIntervalMs`. */
  retention?: { maxAgeMs?: number; maxBytes?: number; pruneEvery?: number; pruneIntervalMs?: number };
  /** Called on every failure (a write, a prune, a malformed exchange); the request path never sees them. */
  onError?: (error: Error, context: { operation: "record" | "prune"; decisionId?: string; sessionId?: string }) => void;
  /** Called after each prune that deleted something. */
  onPrune?: (result: PruneResult) => void;
  /** "Now", for tests. */
  now?: () => number;
}

interface Pending {
  /** Trimmed here, or (a store that trims itself) as handed over. */
  exchange: SessionExchange | ExchangeData;
  done: (ok: boolean) => void;
}

/** The most exchanges written in one transaction. */
const MAX_BATCH = 256;

/** Records exchanges into a SessionStore, in the background. */
export class SessionRecorder {
  private readonly trimOptions: TrimOptions;
  private readonly maxPending: number;
  private pending: Pending[] = [];
  private writing: Promise<void> | null = null;
  private sincePrune = 0;
  private pruning: Promise<PruneResult | undefined> | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** The batch window under way (batchWindowMs > 0). */
  private window: NodeJS.Timeout | undefined;
  /** flush() calls waiting: while any does, nothing waits for a window. */
  private hurrying = 0;
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly options: RecorderOptions = {},
  ) {
    this.trimOptions = {
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxInputBytes: options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES,
      keepDocuments: options.keepDocuments !== false,
      copy: true,
    };
    this.maxPending = options.maxPending ?? 10_000;
    const every = options.retention?.pruneIntervalMs;
    if (every !== undefined && every > 0 && this.limits() !== undefined) {
      this.timer = setInterval(() => void this.prune(), every);
      this.timer.unref();
    }
  }

  /**
   * Records one exchange. Returns at once; the promise resolves true once it is stored, false when it could not be
   * (reported through onError). Never throws, never rejects.
   */
  record(exchange: ExchangeRecord): Promise<boolean> {
    let x: SessionExchange | ExchangeData;
    try {
      if (this.closed) throw new Error("the session recorder is closed");
      if (this.pending.length >= this.maxPending) throw new Error(`${this.pending.length} exchanges are waiting to be written: dropped`);
      const data = this.data(exchange);
      // A store that trims (in its writer thread) copies the exchange when the batch is handed over, within one turn
      // of the event loop; other stores get it trimmed (and copied) now.
      x = this.store.appendUntrimmed ? data : trimExchange(data, this.trimOptions);
    } catch (e) {
      this.report(e, "record", exchange);
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      this.pending.push({ exchange: x, done: resolve });
      this.schedule();
    });
  }

  /** Resolves once every exchange recorded so far is written (or failed), without waiting for a batch window. */
  async flush(): Promise<void> {
    this.hurrying++;
    try {
      this.schedule();
      while (this.writing) await this.writing;
    } finally {
      this.hurrying--;
    }
  }

  /** Starts a write of what is pending: now (a full batch, a flush, no window) or when the window closes. */
  private schedule(): void {
    if (this.writing || this.pending.length === 0) return; // the write under way schedules what it leaves
    const window = this.options.batchWindowMs ?? 0;
    if (window > 0 && this.hurrying === 0 && this.pending.length < MAX_BATCH) {
      this.window ??= setTimeout(() => this.startDrain(), window);
      return;
    }
    this.startDrain();
  }

  private startDrain(): void {
    if (this.window) clearTimeout(this.window);
    this.window = undefined;
    this.writing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
  }

  /** Enforces the configured retention now (one prune at a time); undefined when none is configured or it failed. */
  prune(): Promise<PruneResult | undefined> {
    const limits = this.limits();
    if (limits === undefined) return Promise.resolve(undefined);
    this.pruning ??= this.store
      .prune({ ...limits, now: (this.options.now ?? Date.now)() })
      .then(
        (r) => {
          try {
            if (r.sessions > 0) this.options.onPrune?.(r);
          } catch {
            // a failing callback must not fail the prune
          }
          return r;
        },
        (e: unknown) => {
          this.report(e, "prune");
          return undefined;
        },
      )
      .finally(() => {
        this.pruning = null;
      });
    return this.pruning;
  }

  /** Stops the retention timer and waits for the writes (and a prune) under way. Call before closing the store. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    if (this.pruning) await this.pruning;
  }

  private limits(): RetentionLimits | undefined {
    const r = this.options.retention;
    if (r === undefined || (r.maxAgeMs === undefined && r.maxBytes === undefined)) return undefined;
    return { ...(r.maxAgeMs !== undefined ? { maxAgeMs: r.maxAgeMs } : {}), ...(r.maxBytes !== undefined ? { maxBytes: r.maxBytes } : {}) };
  }

  private async drain(): Promise<void> {
    const window = this.options.batchWindowMs ?? 0;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.append(batch.map((p) => p.exchange));
          for (const p of batch) p.done(true);
        } catch (e) {
          if (batch.length === 1) {
            this.report(e, "record", batch[0]!.exchange);
            batch[0]!.done(false);
          } else {
            // one bad exchange (a repeated decision id) fails alone
            for (const p of batch) {
              try {
                await this.append([p.exchange]);
                p.done(true);
              } catch (err) {
                this.report(err, "record", p.exchange);
                p.done(false);
              }
            }
          }
        }
        this.sincePrune += batch.length;
        const every = this.options.retention?.pruneEvery ?? 500;
        if (this.sincePrune >= every && this.limits() !== undefined) {
          this.sincePrune = 0;
          await this.prune();
        }
        // Less than a batch left: it waits for its own window (a flush does not).
        if (window > 0 && this.hurrying === 0 && this.pending.length < MAX_BATCH) break;
      }
    } finally {
      this.writing = null;
      this.schedule();
    }
  }

  private append(xs: (SessionExchange | ExchangeData)[]): Promise<number[]> {
    const untrimmed = this.store.appendUntrimmed;
    return untrimmed ? untrimmed.call(this.store, xs as ExchangeData[], this.trimOptions) : this.store.append(xs as SessionExchange[]);
  }

  /** The exchange as plain data: ids checked, the time set, a captured answer read. */
  private data(e: ExchangeRecord): ExchangeData {
    if (typeof e.sessionId !== "string" || e.sessionId === "") throw new TypeError("an exchange needs a sessionId");
    if (typeof e.decisionId !== "string" || e.decisionId === "") throw new TypeError("an exchange needs a decisionId");
    const time = e.time === undefined ? new Date((this.options.now ?? Date.now)()).toISOString() : e.time instanceof Date ? e.time.toISOString() : e.time;
    let response: ExchangeData["response"] = e.response ?? null;
    if (e.response?.capture !== undefined) {
      const { capture, ...rest } = e.response;
      response = { ...rest, captured: capture.captured() };
    }
    return { ...e, time, response };
  }

  private report(e: unknown, operation: "record" | "prune", x?: { decisionId?: unknown; sessionId?: unknown }): void {
    const error = e instanceof Error ? e : new Error(String(e));
    try {
      this.options.onError?.(error, {
        operation,
        ...(typeof x?.decisionId === "string" ? { decisionId: x.decisionId } : {}),
        ...(typeof x?.sessionId === "string" ? { sessionId: x.sessionId } : {}),
      });
    } catch {
      // a failing error callback must not reach the request path either
    }
  }
}
