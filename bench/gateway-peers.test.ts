// startPortkey: Portkey's gateway from node_modules, proxying the Messages API to the upstream it is given; a reason
// instead when it is not installed.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortkey, type PeerGateway } from "./gateway-peers.js";

const ROOT = resolve(import.meta.dirname, "..");

describe("startPortkey", () => {
  let upstream: Server;
  let upstreamUrl: string;
  const seen: { url: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
  let peer: PeerGateway | string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ url: req.url, headers: req.headers, body });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "msg_peer_test", type: "message", role: "assistant", content: [{ type: "text", text: "ok" }], model: "claude-sonnet-4-5", stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    peer = await startPortkey(ROOT, upstreamUrl);
  }, 60_000);

  afterAll(async () => {
    if (typeof peer !== "string") peer.child.kill("SIGKILL");
    await new Promise((r) => upstream.close(r));
  });

  it("forwards a Messages API request to the upstream it was given and answers with the upstream's answer", async () => {
    if (typeof peer === "string") throw new Error(peer);
    expect(peer.name).toMatch(/^Portkey AI gateway \d+\.\d+\.\d+$/);
    const body = { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hello" }] };
    const res = await fetch(peer.url, { method: "POST", headers: { "content-type": "application/json", ...peer.headers }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe("msg_peer_test");
    const last = seen.at(-1)!;
    expect(last.url).toBe("/v1/messages");
    expect(last.headers["x-api-key"]).toBe("sk-ant-bench");
    expect(JSON.parse(last.body)).toMatchObject({ model: "claude-sonnet-4-5", messages: body.messages });
  }, 30_000);

  it("says why when the package is not installed", async () => {
    const empty = mkdtempSync(join(tmpdir(), "guard-no-peer-"));
    try {
      expect(await startPortkey(empty, upstreamUrl)).toMatch(/@portkey-ai\/gateway is not installed/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
