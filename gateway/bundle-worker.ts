// The worker thread that compiles and tests candidate bundles (see bundle-tester.ts), so that a revision's tests,
// property tests included, never block the gateway's event loop.
import { parentPort } from "node:worker_threads";
import { compileSnapshot, type BundleSnapshot } from "./bundle.js";

export interface TestRequest {
  id: number;
  snapshot: BundleSnapshot;
  testTimeoutMs?: number;
}

export type TestReply = { id: number; ok: true; tests: number } | { id: number; ok: false; problems: string[] };

parentPort!.on("message", (req: TestRequest) => {
  let reply: TestReply;
  try {
    const r = compileSnapshot(req.snapshot, { runTests: true, testTimeoutMs: req.testTimeoutMs });
    reply = r.ok ? { id: req.id, ok: true, tests: r.bundle.tests } : { id: req.id, ok: false, problems: r.problems };
  } catch (e) {
    reply = { id: req.id, ok: false, problems: [`testing the bundle failed: ${e instanceof Error ? e.message : String(e)}`] };
  }
  parentPort!.postMessage(reply);
});
