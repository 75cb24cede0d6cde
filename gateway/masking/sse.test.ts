import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serializeSse, SseParser, type SseEvent } from "./sse.js";

function parseChunks(chunks: (Uint8Array | string)[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

const WIRE =
  "\uFEFFevent: message_start\r\n" +
  'data: {"type":"message_start"}\r\n\r\n' +
  ": a comment\n" +
  "event: content_block_delta\n" +
  'data: {"type":"content_block_delta","delta":{"text":"héllo 😀 日本"}}\n\n' +
  "event: multi\r" +
  "data: line one\r" +
  "data:line two\r" +
  "data\r\r" +
  "id: 7\nretry: 1500\ndata: x\n\n" +
  "event: ping\n\n" + // no data: not dispatched
  "data: last\n\n";

const EXPECTED: SseEvent[] = [
  { event: "message_start", data: '{"type":"message_start"}' },
  { event: "content_block_delta", data: '{"type":"content_block_delta","delta":{"text":"héllo 😀 日本"}}' },
  { event: "multi", data: "line one\nline two\n" },
  { event: "message", data: "x", id: "7", retry: 1500 },
  { event: "message", data: "last", id: "7" },
];

describe("SseParser", () => {
  it("parses \\n, \\r\\n and \\r line ends, comments, multi-line data, id and retry", () => {
    expect(parseChunks([WIRE])).toEqual(EXPECTED);
  });

  it("gives the same events for a byte split at every offset (inside CRLF pairs and UTF-8 characters)", () => {
    const bytes = new TextEncoder().encode(WIRE);
    for (let i = 0; i <= bytes.length; i++) expect(parseChunks([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(EXPECTED);
  });

  it("gives the same events for random byte splits and one byte at a time", () => {
    const bytes = new TextEncoder().encode(WIRE);
    expect(parseChunks([...bytes].map((b) => Uint8Array.of(b)))).toEqual(EXPECTED);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const c of sorted) {
          chunks.push(bytes.subarray(prev, c));
          prev = c;
        }
        chunks.push(bytes.subarray(prev));
        expect(parseChunks(chunks)).toEqual(EXPECTED);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("drops an event left without its blank line at the end", () => {
    expect(parseChunks(["data: a\n\ndata: b\n"])).toEqual([{ event: "message", data: "a" }]);
  });
});

describe("serializeSse", () => {
  it("round-trips, splitting data with line breaks into data lines", () => {
    const events: SseEvent[] = [
      { event: "content_block_delta", data: '{"a":"x\\ny"}' },
      { event: "message", data: "one\ntwo\r\nthree" },
      { event: "error", data: "" },
    ];
    const wire = events.map(serializeSse).join("");
    expect(wire.startsWith('event: content_block_delta\ndata: {"a":"x\\ny"}\n\n')).toBe(true);
    expect(parseChunks([wire])).toEqual([events[0], { event: "message", data: "one\ntwo\nthree" }, events[2]]);
  });
});

describe("SseParser against the format's definition (property)", () => {
  /** The WHATWG event-stream algorithm on the whole text, line by line. */
  function reference(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let event = "";
    let data: string[] = [];
    let id: string | undefined;
    let retry: number | undefined;
    const lines = text.split(/\r\n|\r|\n/);
    lines.pop(); // an unterminated last line is not a line
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0) {
          const ev: SseEvent = { event: event || "message", data: data.join("\n") };
          if (id !== undefined) ev.id = id;
          if (retry !== undefined) ev.retry = retry;
          out.push(ev);
          retry = undefined; // (a retry field applies to the event it comes with)
        }
        event = "";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) id = value;
      else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
    }
    return out;
  }
  const pieces = ["event", "data", "id", "retry", "retry:7\n\n", "data:", "event: e\n", "dat", "datas", "even", ":", ": ", " ", "x", "12", "é", "\n", "\r", "\r\n", "\n\n", "\0"];
  it("gives the definition's events for random streams split at random places", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }), (ps, cuts) => {
        const text = ps.join("");
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const c of at) {
          chunks.push(text.slice(prev, c));
          prev = c;
        }
        chunks.push(text.slice(prev));
        expect(parseChunks(chunks)).toEqual(reference(text));
      }),
      { seed: 31, numRuns: 3000 },
    );
  });
});

describe("SseParser's UTF-8 decoding (property)", () => {
  it("gives the events of TextDecoder's text, for random bytes (invalid sequences, BOMs) split anywhere", () => {
    const bytes = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0xef, 0xbb, 0xbf, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9, 0xed, 0xa0),
        fc.constantFrom(...new TextEncoder().encode("data: x\nevent: e\n\n\r\n:")),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(bytes, fc.boolean(), fc.array(fc.nat(), { maxLength: 5 }), (bs, bom, cuts) => {
        const whole = Uint8Array.from(bom ? [0xef, 0xbb, 0xbf, ...bs] : bs);
        const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const c of at) {
          chunks.push(whole.subarray(prev, c));
          prev = c;
        }
        chunks.push(whole.subarray(prev));
        // The reference: TextDecoder on the whole (it drops one leading BOM), then the text parsed as a string.
        expect(parseChunks(chunks)).toEqual(parseChunks([new TextDecoder("utf-8").decode(whole)]));
      }),
      { seed: 32, numRuns: 5000 },
    );
  });
});

describe("SseParser.idle (where the Anthropic masker may read an event itself)", () => {
  it("is true only between events: no partial line, no field read, no pending \\r", () => {
    const p = new SseParser();
    expect(p.idle).toBe(true);
    const steps: [string, boolean][] = [
      ["event: a\n", false],
      ["data: 1\n", false],
      ["\n", true],
      ["data: 2", false],
      ["\n\n", true],
      ["retry: 5\n", true],
      ["data: 3\r", false],
      ["\r", false],
      ["\n", true],
      [": comment\n", true],
    ];
    for (const [text, idle] of steps) {
      p.feedText(p.decode(text));
      expect({ text, idle: p.idle }).toEqual({ text, idle });
    }
  });

  it("decode then feedText in pieces gives what push gives", () => {
    const wire = "\ufeffevent: x\r\ndata: a\r\n\r\ndata: b\n\n";
    const a = new SseParser();
    const b = new SseParser();
    const text = b.decode(new TextEncoder().encode(wire));
    expect([...b.feedText(text.slice(0, 7)), ...b.feedText(text.slice(7))]).toEqual(a.push(new TextEncoder().encode(wire)));
  });
});
