import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnthropicStreamMasker, maskAnthropicStream, type ToolDecision, type ToolUseBlock } from "./anthropic-stream.js";
import { maskJson } from "./json-body.js";
import { compileMasks, type Masker } from "./patterns.js";
import { PEM, RULES, SECRETS } from "./test/patterns.js";
import { anthropicStream, collect, fragments, readBack, source } from "./test/stream.js";

const compiled = compileMasks(RULES);
if (!compiled.ok) throw new Error("fixture");
const masker: Masker = compiled.masker;

const SECRET_TEXT = "Sure! Put this in `.env`:\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nand the DB: postgres://admin:DbPassLeak77@db.internal/app — done ✅.";
const LEAKS = ["IOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "DbPassLeak77"];

/** Splits the text into deltas that cut through the secrets. */
const deltas = (text: string) => fragments(text, 13);

async function run(chunks: (Uint8Array | string)[], opts: Partial<ConstructorParameters<typeof AnthropicStreamMasker>[0]> = {}) {
  const m = new AnthropicStreamMasker({ masker, ...opts });
  const wire = await collect(m.run(source(chunks)));
  return { m, wire, read: readBack(wire) };
}

function byteSplits(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of sorted) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe("anthropic-stream: text blocks", () => {
  it("masks a secret spread across text_delta events, for a byte split at every offset", async () => {
    const text = "key AKIAIOSFODNN7EXAMPLE é😀 ok";
    const wire = anthropicStream({ texts: fragments(text, 6) });
    const bytes = new TextEncoder().encode(wire);
    const expected = masker.maskText(text).text;
    for (let i = 0; i <= bytes.length; i++) {
      const { wire: out, read } = await run([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(read.error).toBeNull();
      expect(read.texts.get(0)).toBe(expected);
      expect(out).not.toContain("IOSFODNN7EXAMPLE");
    }
  });

  it("masks every corpus secret across random delta and byte splits (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SECRETS), fc.integer({ min: 1, max: 40 }), fc.array(fc.nat(), { minLength: 2, maxLength: 9 }), fc.boolean(), async (secret, pieces, cuts, crlf) => {
        const text = `Here: ${secret.text}\nDone — ✓ 日本.`;
        const wire = anthropicStream({ texts: fragments(text, pieces), crlf });
        const bytes = new TextEncoder().encode(wire);
        const { wire: out, read } = await run(byteSplits(bytes, cuts.map((c) => c % (bytes.length + 1))));
        expect(read.error).toBeNull();
        expect(read.texts.get(0)).toBe(masker.maskText(text).text);
        expect(out).not.toContain(secret.leak);
      }),
      { seed: 20261122, numRuns: 200 },
    );
  });

  it("keeps event order and passes other events unchanged; reports hits", async () => {
    const wire = anthropicStream({ texts: deltas(SECRET_TEXT) });
    const { m, wire: out, read } = await run([wire]);
    expect(read.texts.get(0)).toBe(masker.maskText(SECRET_TEXT).text);
    for (const l of LEAKS) expect(out).not.toContain(l);
    const names = read.events.map((e) => e.event);
    expect(names[0]).toBe("message_start");
    expect(names.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(names).toContain("ping");
    const inEvents = readBack(wire).events;
    expect(read.events.find((e) => e.event === "message_start")).toEqual(inEvents[0]);
    expect(read.events.find((e) => e.event === "message_delta")).toEqual(inEvents.find((e) => e.event === "message_delta"));
    expect(m.hits).toEqual(expect.arrayContaining([{ name: "aws_access_key_id", count: 1 }, { name: "aws_secret_access_key", count: 1 }, { name: "database_url", count: 1 }]));
    expect(m.failure).toBeNull();
  });

  it("masks thinking deltas and passes the signature unchanged", async () => {
    const wire = anthropicStream({ thinking: fragments("The user's key is AKIAIOSFODNN7EXAMPLE, I should not repeat it.", 9), texts: ["ok"] });
    const { wire: out, read } = await run([wire]);
    expect(read.texts.get(0)).toBe("The user's key is [MASKED:aws_access_key_id], I should not repeat it.");
    expect(out).not.toContain("IOSFODNN7EXAMPLE");
    expect(out).toContain('"signature":"EqQBCkYIARgCIkBsig+/=="');
  });

  it("works as a node Transform", async () => {
    const wire = anthropicStream({ texts: deltas(SECRET_TEXT) });
    const m = new AnthropicStreamMasker({ masker });
    const out = await collect(Readable.from([Buffer.from(wire)]).pipe(m.transform()));
    expect(readBack(out).texts.get(0)).toBe(masker.maskText(SECRET_TEXT).text);
  });

  it("fails closed with an error event when a PEM block stays open past the cap", async () => {
    const text = `Here is the key:\n${PEM.split("-----END")[0]}${"QUJD".repeat(5000)}`;
    const wire = anthropicStream({ texts: fragments(text, 400) });
    const { m, wire: out, read } = await run([wire]);
    expect(read.error).toMatchObject({ type: "api_error", guard_code: "GUARD_MASK_OVERFLOW" });
    expect(read.error!.message).toMatch(/^Guard: masking: a possible "private_key" match/);
    expect(out).not.toContain("PEMLEAKxyzzy");
    expect(out).not.toContain("BEGIN RSA");
    expect(["", "Here is the key:\n"]).toContain(read.texts.get(0) ?? "");
    expect(read.events.at(-1)!.event).toBe("error");
    expect(m.failure?.code).toBe("GUARD_MASK_OVERFLOW");
  });

  it("fails closed on an event that is not JSON", async () => {
    const { read } = await run(["event: content_block_delta\ndata: {not json\n\n"]);
    expect(read.error?.guard_code).toBe("GUARD_MASK_INVALID_EVENT");
  });
});

describe("anthropic-stream: tool_use blocks", () => {
  const input = {
    command: 'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" && psql "postgres://admin:DbPassLeak77@db/app" -c \'\\dt\'',
    description: "List tables \u00e9 😀 with\nnewlines and \"quotes\"",
    nested: { token: `ghp_${"GhTokenLeak0123456789".repeat(2)}`, n: 3, list: ["AKIAIOSFODNN7EXAMPLE", true, null] },
  };
  const tool = { id: "toolu_01A", name: "Bash", input, fragments: 17 };
  const expected = maskJson(input, masker).value;

  it("masks string values inside the input JSON; the re-emitted input is valid JSON", async () => {
    const calls: ToolUseBlock[] = [];
    const wire = anthropicStream({ texts: ["Running it."], tool });
    const { m, wire: out, read } = await run([wire], { onToolUse: (b) => (calls.push(b), "allow") });
    expect(read.error).toBeNull();
    expect(read.tools.get(1)?.input).toEqual(expected);
    expect(read.tools.get(1)?.name).toBe("Bash");
    for (const l of [...LEAKS, "GhTokenLeak"]) expect(out).not.toContain(l);
    expect(calls).toEqual([{ index: 1, type: "tool_use", id: "toolu_01A", name: "Bash", input: expected }]);
    expect(m.toolUses).toEqual(calls);
    // The whole block is released together: start, the held ping, one input delta, stop.
    const names = read.events.map((e) => `${e.event}`);
    const start = names.lastIndexOf("content_block_start");
    expect(names.slice(start, start + 4)).toEqual(["content_block_start", "ping", "content_block_delta", "content_block_stop"]);
  });

  it("holds the whole block until the decision, for byte splits at random offsets", async () => {
    const wire = anthropicStream({ texts: ["ok"], tool: { ...tool, fragments: 40 } });
    const bytes = new TextEncoder().encode(wire);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { minLength: 2, maxLength: 9 }), async (cuts) => {
        let decided = false;
        const m = new AnthropicStreamMasker({
          masker,
          onToolUse: async (): Promise<ToolDecision> => {
            await new Promise((r) => setTimeout(r, 0));
            decided = true;
            return "allow";
          },
        });
        let out = "";
        for await (const chunk of m.run(source(byteSplits(bytes, cuts)))) {
          if (!decided) expect(chunk).not.toContain("input_json_delta");
          if (!decided) expect(chunk).not.toContain("toolu_01A");
          out += chunk;
        }
        expect(readBack(out).tools.get(1)?.input).toEqual(expected);
      }),
      { seed: 11, numRuns: 100 },
    );
  });

  it("a denied call ends the stream with an error event; none of its input is emitted", async () => {
    const wire = anthropicStream({ texts: ["Let me run that."], tool: { ...tool, input: { command: "rm -rf / --no-preserve-root # DENIEDMARKER" } } });
    const { m, wire: out, read } = await run([wire], { onToolUse: (b) => ({ deny: `${b.name} may not delete the root` }) });
    expect(read.error).toEqual({ type: "permission_error", message: 'Guard: tool call "Bash" denied by policy: Bash may not delete the root', guard_code: "GUARD_TOOL_DENIED" });
    expect(out).not.toContain("DENIEDMARKER");
    expect(out).not.toContain("toolu_01A");
    expect(out).not.toContain("input_json_delta");
    expect(read.texts.get(0)).toBe("Let me run that.");
    expect(read.events.at(-1)!.event).toBe("error");
    expect(m.failure?.code).toBe("GUARD_TOOL_DENIED");
    expect(m.toolUses).toEqual([]);
  });

  it("fails closed when the decision throws, or the input is not JSON", async () => {
    const wire = anthropicStream({ texts: ["x"], tool });
    const thrown = await run([wire], {
      onToolUse: () => {
        throw new Error("policy down");
      },
    });
    expect(thrown.read.error?.guard_code).toBe("GUARD_TOOL_DECISION_FAILED");
    expect(thrown.wire).not.toContain("input_json_delta");
    const broken = wire.replace('"partial_json":"{', '"partial_json":"{{');
    const bad = await run([broken]);
    expect(bad.read.error?.guard_code).toBe("GUARD_MASK_INVALID_TOOL_INPUT");
  });

  it("fails closed on a tool input over the size limit", async () => {
    const wire = anthropicStream({ texts: ["x"], tool: { ...tool, input: { content: "a".repeat(5000) } } });
    const { read } = await run([wire], { maxToolInput: 1000 });
    expect(read.error?.guard_code).toBe("GUARD_MASK_OVERFLOW");
  });

  it("maskAnthropicStream is the same pipeline", async () => {
    const wire = anthropicStream({ texts: deltas(SECRET_TEXT), tool });
    const out = await collect(maskAnthropicStream(source([wire]), { masker }));
    const read = readBack(out);
    expect(read.texts.get(0)).toBe(masker.maskText(SECRET_TEXT).text);
    expect(read.tools.get(1)?.input).toEqual(expected);
  });
});

describe("anthropic-stream: the text_delta fast path", () => {
  const ev = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;
  const delta = (index: number | string, type: string, field: string, literal: string) =>
    ev("content_block_delta", `{"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${literal}}}`);
  const start = (index: number, type: string) => ev("content_block_start", JSON.stringify({ type: "content_block_start", index, content_block: type === "text" ? { type, text: "" } : { type, thinking: "" } }));
  const raw = async (chunks: Uint8Array[] | string[], fastPath = true) => {
    const m = new AnthropicStreamMasker({ masker, fastPath });
    return { m, wire: await collect(m.run(source(chunks))) };
  };
  const stop = (index: number) => ev("content_block_stop", `{"type":"content_block_stop","index":${index}}`);
  /** Deltas in Anthropic's shape and near misses: escapes, astral and split surrogate escapes, quotes, bad literals, other shapes. */
  const DELTAS: ((i: number) => string)[] = [
    (i) => delta(i, "text_delta", "text", JSON.stringify("plain text AKIAIOSFODNN7")),
    (i) => delta(i, "text_delta", "text", JSON.stringify("EXAMPLE and more")),
    (i) => delta(i, "text_delta", "text", JSON.stringify('code {"a": "b"}\n\tline\\ 😀 é')),
    (i) => delta(i, "text_delta", "text", '"\\ud83d"'),
    (i) => delta(i, "text_delta", "text", '"\\ude00 \\u0041\\/"'),
    (i) => delta(i, "text_delta", "text", '"a"b"'),
    (i) => delta(i, "text_delta", "text", '"ends with \\"'),
    (i) => delta(i, "text_delta", "text", '""'),
    (i) => delta(i, "text_delta", "text", '"'),
    (i) => delta(i, "text_delta", "text", '"raw\u0001control"'),
    (i) => delta(i, "text_delta", "text", '"x","extra":"y"'),
    (i) => delta(i, "thinking_delta", "thinking", JSON.stringify("thinking ghp_")),
    (i) => delta(i, "text_delta", "thinking", JSON.stringify("mismatched field")),
    (i) => delta(`0${i}`, "text_delta", "text", JSON.stringify("leading zero")),
    (i) => delta(i + 7, "text_delta", "text", JSON.stringify("no such block")),
    (i) => ev("content_block_delta", `{"type": "content_block_delta", "index": ${i}, "delta": {"type": "text_delta", "text": "spaced"}}`),
    (i) => `data: {"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"no event line"}}\n\n`,
    () => ev("ping", '{"type":"ping"}'),
  ];

  it("writes exactly what the general path writes, for any mix of deltas and any byte split (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("text", "thinking"),
        fc.array(fc.nat(DELTAS.length - 1), { maxLength: 14 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (kind, picks, cuts) => {
          const wire = start(0, kind) + picks.map((k) => DELTAS[k]!(0)).join("") + stop(0) + ev("message_stop", '{"type":"message_stop"}');
          const bytes = new TextEncoder().encode(wire);
          const chunks = byteSplits(bytes, cuts.map((c) => c % (bytes.length + 1)));
          const fast = await raw(chunks);
          const slow = await raw(chunks, false);
          expect(fast.wire).toBe(slow.wire);
          expect(fast.m.hits).toEqual(slow.m.hits);
        },
      ),
      { seed: 11, numRuns: 400 },
    );
  });

  it("takes Anthropic's shape and leaves the rest to the general path", async () => {
    const wire = start(0, "text") + DELTAS[2]!(0) + DELTAS[0]!(0) + DELTAS[1]!(0) + stop(0);
    const fast = await run([wire]);
    expect(fast.wire).toBe((await run([wire], { fastPath: false })).wire);
    expect(fast.read.texts.get(0)).toBe(masker.maskText('code {"a": "b"}\n\tline\\ 😀 éplain text AKIAIOSFODNN7EXAMPLE and more').text);
    const bad = await raw([start(0, "text") + DELTAS[13]!(0) + stop(0)]);
    expect(bad.wire).toContain("GUARD_MASK_INVALID_EVENT");
  });
});
