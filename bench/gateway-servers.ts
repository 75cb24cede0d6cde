// The processes of the gateway benchmark, each started alone (`node dist/bench/gateway-servers.js KIND`) so that the
// load generator, the proxy and the upstream do not share an event loop:
//   upstream  a Messages API stand-in answering at once (JSON, or SSE for `"stream": true`)
//   bare      the floor for a proxy: node:http in, undici out, the body piped back, no checks
//   guard     the Guard gateway: JWT verification, the policy decision, the audit append, the forward, the session
//             record (GUARD_BENCH_SESSIONS=0: none; GUARD_BENCH_DB=:memory:: the store in memory)
// Each prints `READY <url>` on stdout when it listens.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const RESPONSE = JSON.stringify({
  id: "msg_bench",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "The pipeline is green. ".repeat(12) }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 42, output_tokens: 64 },
});

function sse(): string {
  const events: [string, unknown][] = [
    ["message_start", { type: "message_start", message: { id: "msg_bench", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5", usage: { input_tokens: 42, output_tokens: 1 } } }],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ...Array.from({ length: 20 }, (_, i): [string, unknown] => ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `chunk ${i} of the answer. ` } }]),
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 64 } }],
    ["message_stop", { type: "message_stop" }],
  ];
  return events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join("");
}
const SSE = sse();

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function upstream(): Promise<string> {
  return listen(
    createServer((req, res) => {
      void body(req).then((b) => {
        const stream = b.includes('"stream":true');
        res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json" });
        res.end(stream ? SSE : RESPONSE);
      });
    }),
  );
}

async function bare(target: string): Promise<string> {
  const pool = new Pool(target, { connections: 128 });
  const url = new URL(target);
  return listen(
    createServer((req, res) => {
      void body(req).then(async (b) => {
        const path = (req.url ?? "/").replace(/^\/[^/]+/, "");
        const headers = { ...req.headers, host: url.host };
        delete headers.connection;
        delete headers["content-length"];
        const up = await pool.request({ method: req.method as "POST", path, headers, body: b });
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== "connection" && k !== "transfer-encoding" && k !== "keep-alive") out[k] = v;
        res.writeHead(up.statusCode, out);
        up.body.pipe(res);
      });
    }),
  );
}

async function guard(): Promise<string> {
  const { normalizeConfig } = await import("../gateway/config.js");
  const { Gateway } = await import("../gateway/server.js");
  const { openSqliteStore } = await import("../gateway/store/sqlite.js");
  const env = process.env;
  const config = normalizeConfig(
    {
      listen: { port: 0 },
      policies: { dir: env.GUARD_BENCH_POLICIES!, poll: "1h" },
      identity: { providers: [{ preset: "github-actions", issuer: env.GUARD_BENCH_ISSUER!, audience: "guard", keys: [JSON.parse(env.GUARD_BENCH_JWK!)] }] },
      connections: [{ name: "claude", type: "anthropic", upstream: env.GUARD_BENCH_UPSTREAM!, credential: { env: "GUARD_BENCH_KEY" } }],
      sessions: { record: env.GUARD_BENCH_SESSIONS !== "0" },
    },
    { file: "bench", baseDir: process.cwd() },
  );
  const store = await openSqliteStore(env.GUARD_BENCH_DB!);
  const gateway = new Gateway(config, { store, logger: false, env: { GUARD_BENCH_KEY: "sk-ant-bench" } });
  const first = await gateway.policies.start();
  if (first.outcome !== "loaded") throw new Error(`the bench policies do not load: ${JSON.stringify(first)}`);
  return gateway.app.listen({ host: "127.0.0.1", port: 0 });
}

const kind = process.argv[2];
const url = kind === "upstream" ? await upstream() : kind === "bare" ? await bare(process.argv[3]!) : kind === "guard" ? await guard() : undefined;
if (url === undefined) {
  console.error("usage: gateway-servers.js upstream | bare UPSTREAM | guard");
  process.exit(2);
}
console.log(`READY ${url}`);
// A clean exit on SIGINT, so that `node --cpu-prof` can write its profile.
process.once("SIGINT", () => process.exit(0));
