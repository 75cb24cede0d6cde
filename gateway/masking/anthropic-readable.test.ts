// maskAnthropicReadable: the gateway's way of masking a streamed answer (a node Readable in, a Readable out). It must
// mask exactly as the generator does, and tie the two streams' lives together: a stream that fails closed stops
// reading the upstream, a reader that goes away stops it too, and an upstream that errors or ends early errors the
// answer (never a clean end that would pass for a complete one).
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AnthropicStreamMasker, maskAnthropicReadable, maskAnthropicStream, type ToolDecision } from "./anthropic-stream.js";
import { compileMasks, type Masker } from "./patterns.js";
import { PEM, RULES } from "./test/patterns.js";
import { anthropicStream, collect, fragments, readBack, source } from "./test/stream.js";

const compiled = compileMasks(RULES);
if (!compiled.ok) throw new Error("fixture");
const masker: Masker = compiled.masker;

const TEXT = "Use AKIAIOSFODNN7EXAMPLE and postgres://admin:DbPassLeak77@db.internal/app — done ✅.";

/** The wire in chunks of `size` bytes (cutting through events, UTF-8 characters and secrets). */
function chunks(wire: string, size: number): Buffer[] {
  const b = Buffer.from(wire);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/** Reads a stream to its end; resolves with what it read and the error it ended with, if any. */
function drain(r: Readable): Promise<{ text: string; error: Error | undefined }> {
  return new Promise((resolve) => {
    let text = "";
    r.on("data", (c: Buffer | string) => (text += c.toString()));
    r.on("end", () => resolve({ text, error: undefined }));
    r.on("error", (error) => resolve({ text, error }));
  });
}

describe("maskAnthropicReadable", () => {
  it("gives the same bytes as the generator, whatever the chunking", async () => {
    const wire = anthropicStream({ texts: fragments(TEXT, 7) });
    for (const size of [1, 5, 64, 100_000]) {
      const want = await collect(maskAnthropicStream(source(chunks(wire, size)), { masker }));
      const got = await drain(maskAnthropicReadable(Readable.from(chunks(wire, size)), { masker }));
      expect(got.error).toBeUndefined();
      expect(got.text).toBe(want);
      expect(got.text).not.toContain("DbPassLeak77");
    }
  });

  it("awaits a tool decision and ends with the error event when the call is denied, never sending its input", async () => {
    const wire = anthropicStream({ texts: ["Running it."], tool: { id: "toolu_1", name: "Bash", input: { command: "cat ~/.aws/credentials" }, fragments: 4 } });
    const onToolUse = async (): Promise<ToolDecision> => {
      await new Promise((r) => setTimeout(r, 5));
      return { deny: "reads a credential file" };
    };
    const got = await drain(maskAnthropicReadable(Readable.from(chunks(wire, 9)), { masker, onToolUse }));
    const read = readBack(got.text);
    expect(read.error).toMatchObject({ type: "permission_error", guard_code: "GUARD_TOOL_DENIED" });
    expect(got.text).not.toContain("credentials");
  });

  it("fails closed with the error event, then stops reading the upstream", async () => {
    const upstream = new PassThrough();
    const out = maskAnthropicReadable(upstream, { masker });
    const result = drain(out);
    // a PEM block that stays open past its 16 KiB hold-back
    upstream.write(anthropicStream({ texts: fragments(`Here is the key:\n${PEM.split("-----END")[0]}`, 50) }).split("event: content_block_stop")[0]);
    for (let i = 0; i < 40 && !upstream.destroyed; i++) {
      upstream.write(`event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "QUJD".repeat(250) } })}\n\n`);
      await new Promise((r) => setImmediate(r));
    }
    const { text, error } = await result;
    expect(error).toBeUndefined();
    expect(readBack(text).error).toMatchObject({ guard_code: "GUARD_MASK_OVERFLOW" });
    expect(text).not.toContain("BEGIN RSA");
    expect(upstream.destroyed).toBe(true);
  });

  it("errors the answer when the upstream errors, or ends before its end", async () => {
    const wire = anthropicStream({ texts: fragments(TEXT, 7) });
    const failing = new PassThrough();
    const a = drain(maskAnthropicReadable(failing, { masker }));
    failing.write(wire.slice(0, 200));
    failing.destroy(new Error("other side closed"));
    expect((await a).error?.message).toBe("other side closed");

    const cut = new PassThrough();
    const b = drain(maskAnthropicReadable(cut, { masker }));
    cut.write(wire.slice(0, 200));
    cut.destroy();
    expect((await b).error?.message).toMatch(/ended before it was complete/);
  });

  it("stops reading the upstream when its reader goes away", async () => {
    const upstream = new PassThrough();
    const out = maskAnthropicReadable(upstream, { masker });
    upstream.write(anthropicStream({ texts: ["partial"] }).slice(0, 120));
    out.destroy();
    await new Promise((r) => setImmediate(r));
    expect(upstream.destroyed).toBe(true);
  });

  it("ignores what the upstream still sends after the stream failed closed (the transform alone)", async () => {
    const t = new AnthropicStreamMasker({ masker }).transform();
    const done = drain(t);
    t.write("event: content_block_delta\ndata: {not json\n\n");
    t.write(anthropicStream({ texts: ["more text"] }));
    t.end();
    const { text, error } = await done;
    expect(error).toBeUndefined();
    expect(readBack(text).error?.guard_code).toBe("GUARD_MASK_INVALID_EVENT");
    expect(text).not.toContain("more text");
  });
});
