// Metrics, spans, health and readiness, and that built inputs match the documented input schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { Ajv } from "ajv";
import { trace, type Attributes, type Span, type SpanOptions, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { buildInput } from "./input.js";
import { identityOf } from "./identity.js";
import { messages, startHarness, type Harness } from "./test/harness.js";
import { githubClaims } from "./test/servers.js";

interface Recorded {
  name: string;
  attributes: Attributes;
  ended: boolean;
  status?: number;
}
const spans: Recorded[] = [];

/** A tracer that records spans, installed as the global provider (what an OpenTelemetry SDK would do). */
class RecordingTracer implements Tracer {
  startSpan(name: string, options?: SpanOptions): Span {
    const r: Recorded = { name, attributes: { ...options?.attributes }, ended: false };
    spans.push(r);
    const span = {
      setAttribute: (k: string, v: unknown) => ((r.attributes[k] = v as never), span),
      setAttributes: (a: Attributes) => (Object.assign(r.attributes, a), span),
      setStatus: (s: { code: number }) => ((r.status = s.code), span),
      recordException: () => undefined,
      end: () => void (r.ended = true),
      isRecording: () => true,
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      updateName: () => span,
      spanContext: () => ({ traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 1 }),
    } as unknown as Span;
    return span;
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : undefined;
    return fn(this.startSpan(name, options)) as ReturnType<F>;
  }
}
const provider: TracerProvider = { getTracer: () => new RecordingTracer() };
trace.setGlobalTracerProvider(provider);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe("metrics", () => {
  it("counts requests by connection and decision and times evaluation and upstream", async () => {
    const token = await h.token();
    const post = (body: string, t = token) => request(`${h.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${t}` }, body }).then((r) => r.body.dump());
    await post(messages());
    await post(messages());
    await post(messages({ model: "gpt-4" }));
    await post(messages(), "garbage");
    const text = await (await request(`${h.url}/metrics`)).body.text();
    expect(text).toContain('guard_requests_total{connection="claude",decision="allow"} 2');
    expect(text).toContain('guard_requests_total{connection="claude",decision="deny"} 1');
    expect(text).toContain('guard_requests_total{connection="claude",decision="unauthenticated"} 1');
    expect(text).toMatch(/guard_evaluation_duration_seconds_count\{connection="claude"\} 3/);
    expect(text).toMatch(/guard_upstream_duration_seconds_count\{connection="claude",status="200"\} 2/);
    expect(text).toContain(`guard_policy_bundle_info{revision="${h.gateway.policies.current!.revision}"} 1`);
    expect(text).toContain('guard_policy_reloads_total{outcome="loaded"} 1');
  });
});

describe("spans", () => {
  it("wraps auth, evaluation and the upstream call in spans under the request's", async () => {
    spans.length = 0;
    const res = await request(`${h.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await h.token()}` }, body: messages() });
    await res.body.dump();
    const names = spans.map((s) => s.name);
    expect(names).toEqual(["guard.request", "guard.auth", "guard.evaluate", "guard.upstream"]);
    expect(spans.every((s) => s.ended)).toBe(true);
    const root = spans[0]!;
    expect(root.attributes).toMatchObject({ "guard.connection": "claude", "guard.decision": "allow", "guard.decision_id": res.headers["x-guard-decision-id"], "http.response.status_code": 200 });
    expect(spans[2]!.attributes["guard.bundle.revision"]).toBe(h.gateway.policies.current!.revision);
    expect(String(spans[3]!.attributes["url.full"])).toBe(`${h.anthropic.url}/v1/messages`);
  });

  it("marks the request span as an error when authentication fails", async () => {
    spans.length = 0;
    await (await request(`${h.url}/claude/v1/messages`, { method: "POST", body: messages() })).body.dump();
    expect(spans.map((s) => [s.name, s.status])).toEqual([
      ["guard.request", 2],
      ["guard.auth", 2],
    ]);
  });
});

describe("health", () => {
  it("answers /healthz always and /readyz with the bundle and the store", async () => {
    expect((await (await request(`${h.url}/healthz`)).body.json())).toEqual({ status: "ok" });
    const ready = await request(`${h.url}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toMatchObject({ status: "ready", bundle: { revision: h.gateway.policies.current!.revision, tests_passed: 1 }, last_reload_failure: null, store: "ok" });
  });
});

describe("the policy input", () => {
  it("matches gateway/input.schema.json for Anthropic and http requests", () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, "input.schema.json"), "utf8"));
    const validate = new Ajv({ strict: false }).compile(schema);
    const identity = identityOf({ name: "github-actions", preset: "github-actions", issuer: "i", audience: ["a"], algorithms: ["RS256"], clockSkewSeconds: 30 }, { ...githubClaims(), iss: "i", aud: "a" });
    const body = Buffer.from(
      JSON.stringify({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        system: [{ type: "text", text: "be brief" }],
        tools: [{ name: "Bash", description: "run a command", input_schema: {} }],
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "a.txt" }] }] },
        ],
      }),
    );
    const claude = { name: "claude", type: "anthropic" as const, upstream: new URL("http://x"), entrypoint: [], toolEntrypoint: [] };
    const input = buildInput(identity, claude, { method: "POST", path: "/v1/messages", query: new URLSearchParams("a=1&a=2"), headers: { authorization: "Bearer t", "x-api-key": "k", "anthropic-version": "2023-06-01" }, body, json: JSON.parse(body.toString()) }, new Date(0));
    expect(validate(input), JSON.stringify(validate.errors)).toBe(true);
    expect(input.request.headers).toEqual({ "anthropic-version": "2023-06-01" });
    expect(input.request.query).toEqual({ a: ["1", "2"] });
    expect(input.llm).toMatchObject({ system: "be brief", texts: ["be brief", "hi", "a.txt"], tool_uses: [{ id: "t1", name: "Bash", input: { command: "ls" } }], tool_results: [{ tool_use_id: "t1", text: "a.txt", is_error: false }] });
    const api = { ...claude, type: "http" as const };
    const plain = buildInput(identity, api, { method: "GET", path: "/x", query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), json: undefined }, new Date(0));
    expect(validate(plain), JSON.stringify(validate.errors)).toBe(true);
    expect(plain.llm).toBeUndefined();
  });
});
