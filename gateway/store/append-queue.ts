// Group commit: appends made while a write is under way are written together, in one transaction and one fsync,
// so that throughput grows with load while each append still resolves only once it is durable.
import { checkEntry } from "./audit-chain.js";
import type { AuditEntry, AuditRecord } from "./types.js";

interface Pending {
  entry: AuditEntry;
  resolve(r: AuditRecord): void;
  reject(e: unknown): void;
}

export class AppendQueue {
  private pending: Pending[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  /**
   * `write` appends a batch in one transaction (all or nothing) and returns its records in order. When a batch
   * fails, its entries are written one at a time, so that one bad entry fails alone.
   */
  constructor(
    private readonly write: (entries: AuditEntry[]) => Promise<AuditRecord[]>,
    private readonly maxBatch = 256,
  ) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    try {
      checkEntry(entry);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const records = await this.write(batch.map((p) => p.entry));
          batch.forEach((p, i) => p.resolve(records[i]!));
        } catch (e) {
          if (batch.length === 1) batch[0]!.reject(e);
          else {
            for (const p of batch) {
              try {
                p.resolve((await this.write([p.entry]))[0]!);
              } catch (err) {
                p.reject(err);
              }
            }
          }
        }
      }
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Resolves once every append made so far is written (or failed): before closing the store. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
