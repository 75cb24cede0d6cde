// Audit retention in the gateway: with `audit.max_age` set, records older than that are removed from the audit log
// when the gateway starts and every `intervalMs` after (the store checks the records it removes and keeps a
// checkpoint, so `guard audit verify` still verifies the rest: see gateway/store/audit-retention.ts). A prune
// removes PRUNE_BATCH records per transaction and yields between them, so appends never wait long. Failures are
// reported, never thrown: the next run tries again, and nothing is removed that did not verify.
import { pruneTo } from "./store/audit-retention.js";
import type { AuditCheckpoint, AuditLog } from "./store/types.js";

export interface AuditRetentionOptions {
  maxAgeMs: number;
  /** How often to prune (default one hour). */
  intervalMs?: number;
  /** Records per transaction (default PRUNE_BATCH). */
  batch?: number;
  now?: () => number;
  onPruned?: (removed: number, checkpoint: AuditCheckpoint) => void;
  onError?: (error: Error) => void;
}

export class AuditRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private closed = false;

  constructor(
    private readonly log: AuditLog,
    private readonly options: AuditRetentionOptions,
  ) {}

  /** Prunes now, then every intervalMs. */
  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.options.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  /** One prune to the cutoff (one at a time: a call while one runs waits for it); the records removed. */
  run(): Promise<number> {
    this.running ??= this.pruneAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneAll(): Promise<number> {
    const before = new Date((this.options.now ?? Date.now)() - this.options.maxAgeMs).toISOString();
    let total = 0;
    try {
      await pruneTo(this.log, before, {
        batch: this.options.batch,
        stop: () => this.closed,
        onBatch: (r) => {
          total += r.removed;
          if (r.removed > 0 && r.checkpoint) this.options.onPruned?.(r.removed, r.checkpoint);
        },
      });
    } catch (e) {
      this.options.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
    return total;
  }

  /** Stops the timer and waits for a prune under way. Call before closing the store. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
