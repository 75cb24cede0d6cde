import { describe, expect, it } from "vitest";
import { maskBody, maskJson } from "./json-body.js";
import { compileMasks, type Masker } from "./patterns.js";
import { PEM, RULES, SECRETS } from "./test/patterns.js";

const compiled = compileMasks(RULES);
if (!compiled.ok) throw new Error("fixture");
const masker: Masker = compiled.masker;

const IMAGE = "iVBORw0KGgoAAAANSUhEUg/AKIAIOSFODNN7EXAMPLE/AAAAQCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const request = {
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  system: [{ type: "text", text: "You are a CI helper. Deploy key: ghp_GhTokenLeak0123456789GhTokenLeak012345" }],
  tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { AKIAIOSFODNN7EXAMPLE: { type: "string" } } } }],
  messages: [
    { role: "user", content: "My key is AKIAIOSFODNN7EXAMPLE, why does `aws s3 ls` fail?" },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Check the key.", signature: "EqQBCkYIARgCIk/AKIAIOSFODNN7EXAMPLE/sig" },
        { type: "tool_use", id: "toolu_01", name: "Bash", input: { command: "cat ~/.aws/credentials", env: { DATABASE_URL: "postgres://admin:DbPassLeak77@db/app" } } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_01", content: [{ type: "text", text: `[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n${PEM}` }] },
        { type: "image", source: { type: "base64", media_type: "image/png", data: IMAGE } },
        { type: "text", text: "Nothing secret here." },
      ],
    },
  ],
};

describe("maskJson", () => {
  it("masks the string values of an Anthropic request, keeps keys, structure and opaque values", () => {
    const { value, hits } = maskJson(request, masker);
    const out = JSON.stringify(value);
    for (const leak of ["GhTokenLeak", "DbPassLeak77", "wJalrXUtnFEMI/K7MDENG", "PEMLEAKxyzzy"]) expect(out).not.toContain(leak);
    const v = value as typeof request;
    expect(v.messages[0]!.content).toBe("My key is [MASKED:aws_access_key_id], why does `aws s3 ls` fail?");
    // Keys are the body's schema: never masked (a tool parameter named like a key stays).
    expect(Object.keys(v.tools[0]!.input_schema.properties)).toEqual(["AKIAIOSFODNN7EXAMPLE"]);
    // Opaque values: the thinking signature and base64 image data pass unchanged.
    const thinking = (v.messages[1]!.content as { signature?: string }[])[0]!;
    expect(thinking.signature).toBe("EqQBCkYIARgCIk/AKIAIOSFODNN7EXAMPLE/sig");
    const image = (v.messages[2]!.content as { source?: { data: string } }[])[1]!;
    expect(image.source!.data).toBe(IMAGE);
    // Unchanged parts are shared, not copied.
    expect(v.tools).toBe(request.tools);
    expect(v.max_tokens).toBe(1024);
    expect(hits).toEqual(
      expect.arrayContaining([
        { name: "github_token", count: 1 },
        { name: "aws_access_key_id", count: 1 },
        { name: "database_url", count: 1 },
        { name: "aws_secret_access_key", count: 1 },
        { name: "private_key", count: 1 },
      ]),
    );
  });

  it("masks opaque values too when asked", () => {
    const { value } = maskJson(request, masker, { skipOpaque: false });
    const v = value as typeof request;
    expect((v.messages[1]!.content as { signature?: string }[])[0]!.signature).toBe("EqQBCkYIARgCIk/[MASKED:aws_access_key_id]/sig");
    expect((v.messages[2]!.content as { source?: { data: string } }[])[1]!.source!.data).not.toContain("IOSFODNN7EXAMPLE");
  });

  it("returns the same value when nothing matches", () => {
    const body = { messages: [{ role: "user", content: "hello" }] };
    expect(maskJson(body, masker)).toEqual({ value: body, hits: [] });
    expect(maskJson(body, masker).value).toBe(body);
  });
});

describe("maskBody", () => {
  it("masks a JSON body into valid JSON", () => {
    const r = maskBody(Buffer.from(JSON.stringify(request)), masker);
    expect(r).toMatchObject({ as: "json", changed: true });
    expect(JSON.parse(r.body.toString("utf8"))).toEqual(maskJson(request, masker).value);
  });

  it("masks every corpus secret in a text body", () => {
    const text = SECRETS.map((s) => `- ${s.text}`).join("\n");
    const r = maskBody(Buffer.from(text), masker);
    expect(r.as).toBe("text");
    for (const s of SECRETS) expect(r.body.toString()).not.toContain(s.leak);
  });

  it("keeps an unchanged body byte for byte, and flags binary and empty bodies", () => {
    const body = Buffer.from('{"a":  1.50}');
    expect(maskBody(body, masker)).toEqual({ body, hits: [], as: "json", changed: false });
    const binary = Buffer.from([0xff, 0xfe, 0x41, 0x4b, 0x49, 0x41]);
    expect(maskBody(binary, masker)).toMatchObject({ as: "binary", changed: false });
    expect(maskBody(Buffer.alloc(0), masker)).toMatchObject({ as: "empty", changed: false });
  });
});
