import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { ApprovalService, operationHash } from "./service.js";
import { ApprovalWebhooks } from "./webhook.js";

interface Hit {
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A receiver answering each request with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[] = [200], hangMs = 0) {
  const hits: Hit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = statuses[Math.min(hits.length - 1, statuses.length - 1)]!;
      setTimeout(() => {
        res.statusCode = status;
        res.end(status === 200 ? "ok" : "nope");
      }, hangMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function logger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => void lines.push({ level: "warn", obj: obj as Record<string, unknown>, msg }),
    error: (obj: object, msg: string) => void lines.push({ level: "error", obj: obj as Record<string, unknown>, msg }),
  };
}

async function serviceWith(webhooks: ApprovalWebhooks): Promise<{ service: ApprovalService; store: Store }> {
  const store = await openSqliteStore(":memory:");
  const service = new ApprovalService({ store: store.approvals, onEvent: webhooks.onEvent, sweepIntervalMs: 0 });
  closers.push(async () => {
    service.close();
    await store.close();
  });
  return { service, store };
}

const open = (service: ApprovalService, texts = ["deploy v1.2.3"]) =>
  service.open({
    operationHash: operationHash("prod", "POST", "/deploy", "", "repo:acme/app"),
    requester: { subject: "repo:acme/app", repository: "acme/app", claims: { actor: "octocat" } },
    connection: "prod",
    summary: { method: "POST", path: "/deploy", model: null, texts },
    reason: "production deploys need a human",
    approvers: ["sre"],
  });

describe("approval webhooks", () => {
  it("posts the generic payload (signed) and the Slack one on each new approval, not on a reused one", async () => {
    const generic = await receiver();
    const slack = await receiver();
    closers.push(generic.close, slack.close);
    const webhooks = new ApprovalWebhooks({
      targets: [
        { url: `${generic.url}/hook`, kind: "generic", secret: "s3cret" },
        { url: `${slack.url}/services/T000/B000/XXXX`, kind: "slack" },
      ],
      publicUrl: "https://guard.example.com/",
    });
    const { service } = await serviceWith(webhooks);
    const a = await open(service, ["<@U123> <https://evil.example|click> & more"]);
    await open(service); // the same operation: re-used, no second notification
    await webhooks.idle();
    expect(generic.hits).toHaveLength(1);
    const g = generic.hits[0]!;
    expect(g.url).toBe("/hook");
    expect(g.headers["content-type"]).toBe("application/json");
    expect(g.headers["x-guard-signature"]).toBe(`sha256=${createHmac("sha256", "s3cret").update(g.body).digest("hex")}`);
    expect(JSON.parse(g.body)).toEqual({
      type: "approval.requested",
      approval: a,
      status_url: `https://guard.example.com/approvals/api/${a.id}/status`,
      page_url: "https://guard.example.com/approvals",
    });
    expect(slack.hits).toHaveLength(1);
    const s = JSON.parse(slack.hits[0]!.body) as { text: string; blocks: { type: string; text?: { text: string }; elements?: { url?: string }[] }[] };
    expect(s.text).toContain("Approval needed: production deploys need a human");
    expect(s.text).toContain("https://guard.example.com/approvals");
    expect(s.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
    expect(s.blocks.find((b) => b.type === "actions")!.elements![0]!.url).toBe("https://guard.example.com/approvals");
    // the prompt cannot mention people or hide links
    const preview = s.blocks[2]!.text!.text;
    expect(preview).toContain("&lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; more");
    expect(preview).not.toContain("<@U123>");
  });

  it("retries with backoff, up to 3 tries, and logs failures without the URL's secret path", async () => {
    const flaky = await receiver([500, 503, 200]);
    const down = await receiver([500]);
    closers.push(flaky.close, down.close);
    const log = logger();
    const webhooks = new ApprovalWebhooks({
      targets: [
        { url: flaky.url, kind: "generic" },
        { url: `${down.url}/services/SECRET`, kind: "slack" },
      ],
      publicUrl: "http://gw",
      backoffMs: 20,
      logger: log,
    });
    const { service } = await serviceWith(webhooks);
    await open(service);
    await webhooks.idle();
    expect(flaky.hits).toHaveLength(3);
    expect(down.hits).toHaveLength(3);
    const errors = log.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.obj).toMatchObject({ webhook: down.url, attempts: 3, problem: "answered 500" });
    expect(log.lines.filter((l) => l.level === "warn")).toHaveLength(4);
    expect(JSON.stringify(log.lines)).not.toContain("SECRET");
  });

  it("never holds up the request: open() returns while a receiver hangs or cannot be reached", async () => {
    const slow = await receiver([200], 2_000);
    closers.push(slow.close);
    const log = logger();
    const webhooks = new ApprovalWebhooks({
      targets: [
        { url: slow.url, kind: "generic" },
        { url: "http://127.0.0.1:1/unreachable", kind: "generic" },
      ],
      publicUrl: "http://gw",
      backoffMs: 10,
      timeoutMs: 300,
      logger: log,
    });
    const { service } = await serviceWith(webhooks);
    const started = Date.now();
    await open(service);
    expect(Date.now() - started).toBeLessThan(200);
    await webhooks.idle();
    expect(log.lines.filter((l) => l.level === "error").map((l) => l.obj.webhook).sort()).toEqual([slow.url, "http://127.0.0.1:1"].sort());
  });

  it("refuses a target that is not an http(s) URL", () => {
    expect(() => new ApprovalWebhooks({ targets: [{ url: "file:///etc/passwd", kind: "generic" }], publicUrl: "http://gw" })).toThrow(/http/);
  });
});
