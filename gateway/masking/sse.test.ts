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
