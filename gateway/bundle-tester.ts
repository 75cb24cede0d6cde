// Runs candidate bundles' tests in a worker thread: compiling a pack and running its unit and property tests takes
// hundreds of milliseconds, which would stall every request in flight if done on the event loop. A worker that
// crashes or hangs fails the revision (fail closed) and is replaced.
import { Worker } from "node:worker_threads";
import { workerUrl } from "./worker-url.js";
import type { BundleSnapshot } from "./bundle.js";
import type { TestReply } from "./bundle-worker.js";

export type TestOutcome = { ok: true; tests: number } | { ok: false; problems: string[] };

export class BundleTester {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, (r: TestOutcome) => void>();

  constructor(private readonly timeoutMs = 120_000) {}

  private spawn(): Worker {
    const worker = new Worker(workerUrl(import.meta.url, "bundle-worker"));
    worker.unref();
    worker.on("message", (reply: TestReply) => {
      const done = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      done?.(reply.ok ? { ok: true, tests: reply.tests } : { ok: false, problems: reply.problems });
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, done] of this.pending) {
        this.pending.delete(id);
        done({ ok: false, problems: [why] });
      }
    };
    worker.on("error", (e) => fail(`the bundle tester crashed: ${e.message}`));
    worker.on("exit", (code) => fail(`the bundle tester exited (${code})`));
    return worker;
  }

  test(snapshot: BundleSnapshot, testTimeoutMs?: number): Promise<TestOutcome> {
    this.worker ??= this.spawn();
    const worker = this.worker;
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        resolve({ ok: false, problems: [`the bundle's tests did not finish within ${this.timeoutMs} ms`] });
        void worker.terminate();
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      worker.postMessage({ id, snapshot, testTimeoutMs });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
