// A child process for the kill -9 tests: appends audit records in a loop to the store named by argv[2]
// (sqlite:PATH or postgres://…?schema=NAME) and prints each acknowledged seq, one a line, until it is killed.
import { openStore, parseStoreSpec } from "../index.js";

const spec = process.argv[2];
if (spec === undefined) {
  process.stderr.write("usage: append-loop.ts STORE\n");
  process.exit(2);
}
const store = await openStore(parseStoreSpec(spec));
for (let i = 1; ; i++) {
  const r = await store.audit.append({
    decisionId: `loop-${process.pid}-${i}`,
    time: new Date().toISOString(),
    subject: "loop",
    repository: "acme/api",
    connection: "anthropic",
    request: { method: "POST", path: "/v1/messages", size: i, bodySha256: null },
    decision: i % 5 === 0 ? "deny" : "allow",
    reasons: [],
    bundleRevision: null,
    latencyMs: 0,
  });
  process.stdout.write(`${r.seq}\n`);
}
