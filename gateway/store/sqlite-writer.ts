// Appends to the SQLite store from a worker thread (sqlite-writer-worker.ts): better-sqlite3 is synchronous, and a
// commit waits for the disk (fsync for the audit log), which on the event loop would stall every request in flight.
// One writer per kind (audit, sessions), so that recording sessions never delays an audit append's turn.
// A crashed writer fails the appends it held (the gateway then denies: fail closed) and is started again.
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import type { WriteReply, WriteRequest, WriterKind } from "./sqlite-writer-worker.js";

export class SqliteWriter<Entry, Result> {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve(r: Result[]): void; reject(e: Error): void }>();

  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
    private readonly kind: WriterKind,
  ) {}

  private spawn(): Worker {
    const worker = new Worker(workerUrl(import.meta.url, "sqlite-writer-worker"), { workerData: { file: this.file, busyTimeoutMs: this.busyTimeoutMs, kind: this.kind } });
    worker.unref();
    worker.on("message", (reply: WriteReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!p) return;
      if ("records" in reply) p.resolve(reply.records as Result[]);
      else p.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(why));
      }
    };
    worker.on("error", (e) => fail(`the ${this.kind} writer failed: ${e.message}`));
    worker.on("exit", (code) => fail(`the ${this.kind} writer stopped (${code})`));
    return worker;
  }

  /** Writes entries in one transaction; `extra` goes with them (sessions: `trim`, the options to trim them with). */
  write(entries: Entry[], extra: Omit<WriteRequest, "id" | "entries"> = {}): Promise<Result[]> {
    this.worker ??= this.spawn();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, entries, ...extra });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
