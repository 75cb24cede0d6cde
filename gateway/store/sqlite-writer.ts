// Appends to the SQLite audit log from a worker thread (sqlite-writer-worker.ts): better-sqlite3 is synchronous, and
// a durable commit waits for fsync, which on the event loop would stall every request in flight for milliseconds.
// A crashed writer fails the appends it held (the gateway then denies: fail closed) and is started again.
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import type { WriteReply } from "./sqlite-writer-worker.js";
import type { AuditEntry, AuditRecord } from "./types.js";

export class SqliteAuditWriter {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve(r: AuditRecord[]): void; reject(e: Error): void }>();

  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
  ) {}

  private spawn(): Worker {
    const worker = new Worker(workerUrl(import.meta.url, "sqlite-writer-worker"), { workerData: { file: this.file, busyTimeoutMs: this.busyTimeoutMs } });
    worker.unref();
    worker.on("message", (reply: WriteReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!p) return;
      if ("records" in reply) p.resolve(reply.records);
      else p.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(why));
      }
    };
    worker.on("error", (e) => fail(`the audit writer failed: ${e.message}`));
    worker.on("exit", (code) => fail(`the audit writer stopped (${code})`));
    return worker;
  }

  write(entries: AuditEntry[]): Promise<AuditRecord[]> {
    this.worker ??= this.spawn();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, entries });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
