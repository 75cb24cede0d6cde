// The pack's secret patterns (data.claude.secret_patterns) through the gateway's streaming masker: every secret of
// the corpus, in prose, split at every offset into two chunks and at random offsets into more, never leaves
// unmasked, and the stream's output equals masking the whole text; ordinary text passes unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicyBundle } from "../gateway/bundle.js";
import { maskerFor } from "../gateway/guardrails.js";
import { maskAnthropicStream } from "../gateway/masking/anthropic-stream.js";
import type { Masker } from "../gateway/masking/patterns.js";
import { StreamMasker } from "../gateway/masking/stream-masker.js";
import { fromJSON, toJSON } from "../engine/value/value.js";
import { BENIGN, SECRETS } from "./test/corpus.js";

function packMasker(): Masker {
  const load = loadPolicyBundle(new URL(".", import.meta.url).pathname, { runTests: false });
  if (!load.ok) throw new Error(load.problems.join("\n"));
  const decision = toJSON(load.bundle.policy.evaluate(["guard", "claude", "decision"], { input: fromJSON({}) })!);
  const m = maskerFor(decision);
  if (!m.ok || !m.masker) throw new Error(`the pack's mask list does not compile: ${JSON.stringify(m)}`);
  return m.masker;
}

const masker = packMasker();

function stream(chunks: string[]): string {
  const s = new StreamMasker(masker);
  return chunks.map((c) => s.push(c)).join("") + s.end();
}

/** The part of a secret that must never be seen: its middle (the patterns keep no part of it). */
const core = (secret: string) => secret.slice(Math.floor(secret.length / 3), Math.floor(secret.length / 3) + 12);

describe("the pack's secret patterns, streamed", () => {
  for (const [name, secret] of SECRETS) {
    it(`${name}: ${secret.slice(0, 24).replace(/\n/g, " ")}… never leaks, at any split`, () => {
      const text = `Here is the config you asked for:\n${secret}\nLet me know if the deploy works.`;
      const whole = masker.maskText(text).text;
      expect(whole).not.toContain(core(secret));
      for (let i = 0; i <= text.length; i++) expect(stream([text.slice(0, i), text.slice(i)])).toBe(whole);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { minLength: 2, maxLength: 9 }), (cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), text.length];
          return stream(at.slice(1).map((end, k) => text.slice(at[k], end))) === whole;
        }),
        { seed: 7, numRuns: 40 },
      );
    });
  }

  it("leaves ordinary text as it is", () => {
    for (const text of BENIGN) {
      expect(masker.maskText(text).text).toBe(text);
      expect(stream(text.match(/[\s\S]{1,7}/g)!)).toBe(text);
    }
  });

  it("masks the value of an assignment whose key has a name over 64 characters (the name's start stays visible)", () => {
    const text = `${"service_account_".repeat(6)}password = "hunter2hunter2"`;
    const whole = masker.maskText(text).text;
    expect(whole).not.toContain("hunter2");
    expect(whole.startsWith("service_account_")).toBe(true);
    expect(stream(text.match(/[\s\S]{1,5}/g)!)).toBe(whole);
  });

  it("masks a secret spread over many text_delta events of an Anthropic stream", async () => {
    const [, secret] = SECRETS.find(([n]) => n === "github_token")!;
    const { text, error } = await throughAnthropicStream(`Use ${secret} for the push.`, 3);
    expect(error).toBe(false);
    expect(text).not.toContain(core(secret));
    expect(text).toBe("Use [MASKED:github_token] for the push.");
  });

  it("masks a 3 KB private key and a 1 KB JWT streamed in small deltas, without ending the stream", async () => {
    for (const [name, secret] of SECRETS.filter(([, s]) => s.length > 1000)) {
      const { text, error } = await throughAnthropicStream(`Here:\n${secret}\nDone.`, 40);
      expect(error, name).toBe(false);
      expect(text).toBe(`Here:\n[MASKED:${name}]\nDone.`);
    }
  });
});

/** The reply as an Anthropic event stream in `size`-character text deltas, read 5 bytes at a time, masked. */
async function throughAnthropicStream(reply: string, size: number): Promise<{ text: string; error: boolean }> {
  const deltas = reply.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
  const events = [
    ["message_start", { type: "message_start", message: { id: "m", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5" } }],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ...deltas.map((t) => ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } }] as const),
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ["message_stop", { type: "message_stop" }],
  ] as const;
  const sse = events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join("");
  async function* bytes() {
    const b = Buffer.from(sse);
    for (let i = 0; i < b.length; i += 5) yield b.subarray(i, i + 5);
  }
  let out = "";
  for await (const piece of maskAnthropicStream(bytes(), { masker })) out += piece;
  const data = out
    .split("\n\n")
    .flatMap((f) => f.split("\n").filter((l) => l.startsWith("data: ")))
    .map((l) => JSON.parse(l.slice(6)) as { type: string; delta?: { text?: string } });
  return { text: data.filter((e) => e.type === "content_block_delta").map((e) => e.delta!.text).join(""), error: data.some((e) => e.type === "error") };
}
