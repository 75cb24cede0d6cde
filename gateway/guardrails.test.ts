// The obligations in the data path: secrets masked both ways (streams included), the model's tool calls decided.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { messages, startHarness, type Harness } from "./test/harness.js";

const AWS = "AKIAIOSFODNN7EXAMPLE";
const GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

const POLICY = `package guard.claude

masks := [
  {"name": "aws_access_key_id", "pattern": "AKIA[0-9A-Z]{16}"},
  {"name": "github_token", "pattern": "gh[pousr]_[A-Za-z0-9]{36}"},
]

decision := {"allow": true, "mask": masks}

tool_decision := {"allow": count(tool_deny) == 0, "deny": tool_deny}

tool_deny contains "destructive command" if contains(input.tool_use.input.command, "rm -rf")
`;

const BAD_MASK = `package guard.bad

decision := {"allow": true, "mask": [{"name": "broken", "pattern": "(unclosed"}]}
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    files: { "claude/policy.guard": POLICY, "bad/policy.guard": BAD_MASK },
    connections: (u) => [{ name: "bad", type: "anthropic", upstream: u.anthropic, credential: { env: "TEST_ANTHROPIC_KEY" } }],
  });
});
afterAll(async () => h?.close());

async function ask(path: string, body: string) {
  const res = await request(`${h.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${await h.token()}`, "content-type": "application/json" }, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** The text and tool inputs a client reassembles from an SSE answer, and its error event if any. */
function reassemble(sse: string): { text: string; toolJson: string; error?: { type: string; message: string } } {
  let text = "";
  let toolJson = "";
  let error;
  for (const frame of sse.split("\n\n").filter(Boolean)) {
    const data = frame.split("\n").find((l) => l.startsWith("data: "));
    if (!data) continue;
    const ev = JSON.parse(data.slice(6));
    if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") text += ev.delta.text;
    if (ev.type === "content_block_delta" && ev.delta.type === "input_json_delta") toolJson += ev.delta.partial_json;
    if (ev.type === "error") error = ev.error;
  }
  return { text, toolJson, error };
}

describe("masking", () => {
  it("masks secrets in the prompt before it reaches the model, and records which (never the values) in the audit log", async () => {
    const before = h.anthropic.requests.length;
    const res = await ask("/claude/v1/messages", messages({}, `deploy with ${AWS} and token ${GITHUB}`));
    expect(res.status).toBe(200);
    const sent = h.anthropic.requests[before]!.body;
    expect(sent).not.toContain(AWS);
    expect(sent).not.toContain(GITHUB);
    expect(JSON.parse(sent).messages[0].content).toBe("deploy with [MASKED:aws_access_key_id] and token [MASKED:github_token]");
    const record = (await h.store.audit.query({})).find((r) => r.decisionId === res.headers["x-guard-decision-id"])!;
    expect(record.masked).toEqual([
      { name: "aws_access_key_id", count: 1 },
      { name: "github_token", count: 1 },
    ]);
    expect(JSON.stringify(record)).not.toContain(AWS);
    // The session record holds the masked request and the masked policy input (body and llm view), never the values.
    let exchange;
    for (let i = 0; i < 100 && !exchange; i++) {
      exchange = (await h.store.sessions.query({})).find((x) => x.decisionId === res.headers["x-guard-decision-id"]);
      if (!exchange) await new Promise((r) => setTimeout(r, 20));
    }
    expect(exchange).toBeDefined();
    const stored = JSON.stringify(exchange);
    expect(stored).not.toContain(AWS);
    expect(stored).not.toContain(GITHUB);
    const input = exchange!.input as { request: { body: { messages: { content: string }[] } }; llm: { texts: string[] } };
    expect(exchange!.inputMasked).toBe(true);
    expect(input.request.body.messages[0]!.content).toBe("deploy with [MASKED:aws_access_key_id] and token [MASKED:github_token]");
    expect(input.llm.texts).toEqual(["deploy with [MASKED:aws_access_key_id] and token [MASKED:github_token]"]);
  });

  it("masks secrets in a JSON answer before it reaches the agent", async () => {
    const res = await ask("/claude/v1/messages", messages({ metadata: { reply: `your key is ${AWS}.` } }));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(AWS);
    expect(JSON.parse(res.text).content[0].text).toBe("your key is [MASKED:aws_access_key_id].");
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.text));
  });

  it("masks a secret split across stream events, and the stream stays valid SSE", async () => {
    // The upstream sends the reply four characters per text_delta: the token spans ten events.
    const res = await ask("/claude/v1/messages", messages({ stream: true, metadata: { reply: `token: ${GITHUB} (rotate it)` } }));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(GITHUB);
    expect(res.text).not.toContain(GITHUB.slice(4, 16));
    const { text, error } = reassemble(res.text);
    expect(error).toBeUndefined();
    expect(text).toBe("token: [MASKED:github_token] (rotate it)");
    expect(res.text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });

  it("fails closed when the policy's mask list is invalid", async () => {
    const before = h.anthropic.requests.length;
    const res = await ask("/bad/v1/messages", messages());
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.guard_code).toBe("GUARD_POLICY_ERROR");
    expect(h.anthropic.requests.length).toBe(before);
  });
});

describe("tool calls", () => {
  it("lets an allowed tool call through, recorded", async () => {
    const res = await ask("/claude/v1/messages", messages({ metadata: { tool: { name: "Bash", input: { command: "npm test" } } } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).content[1]).toMatchObject({ type: "tool_use", name: "Bash", input: { command: "npm test" } });
    const tool = (await h.store.audit.query({})).filter((r) => r.tool).at(-1)!;
    expect(tool).toMatchObject({ decision: "allow", tool: { name: "Bash", id: "toolu_1" } });
  });

  it("refuses a JSON answer whose tool call the policy denies", async () => {
    const res = await ask("/claude/v1/messages", messages({ metadata: { tool: { name: "Bash", input: { command: "rm -rf /" } } } }));
    expect(res.status).toBe(403);
    const body = JSON.parse(res.text);
    expect(body.error).toMatchObject({ type: "permission_error", guard_code: "GUARD_TOOL_DENIED" });
    expect(body.error.message).toContain("destructive command");
    expect(res.text).not.toContain("rm -rf");
    const tool = (await h.store.audit.query({ decision: "deny" })).filter((r) => r.tool).at(-1)!;
    expect(tool.reasons[0]).toBe("destructive command");
  });

  it("ends a stream with an error event before a denied tool call, never sending its input", async () => {
    const res = await ask("/claude/v1/messages", messages({ stream: true, metadata: { reply: "Cleaning up.", tool: { name: "Bash", input: { command: "rm -rf /var/lib" } } } }));
    expect(res.status).toBe(200);
    const { text, toolJson, error } = reassemble(res.text);
    expect(text).toBe("Cleaning up.");
    expect(toolJson).toBe("");
    expect(res.text).not.toContain("rm -rf");
    expect(error).toMatchObject({ type: expect.any(String) });
    expect(error!.message).toContain("destructive command");
  });

  it("streams an allowed tool call's input whole", async () => {
    const res = await ask("/claude/v1/messages", messages({ stream: true, metadata: { tool: { name: "Bash", input: { command: `echo ${AWS}` } } } }));
    const { toolJson, error } = reassemble(res.text);
    expect(error).toBeUndefined();
    expect(JSON.parse(toolJson)).toEqual({ command: "echo [MASKED:aws_access_key_id]" });
  });
});
