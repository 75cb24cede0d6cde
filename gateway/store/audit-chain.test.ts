import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChainVerifier, GENESIS_HASH, canonicalJson, chainRecord, recordHash, sha256hex, verifyChain, verifyChainAsync } from "./audit-chain.js";
import type { AuditEntry, AuditRecord } from "./types.js";

function entry(i: number): AuditEntry {
  return {
    decisionId: `d${i}`,
    time: `2026-11-21T10:00:0${i % 10}Z`,
    subject: "alice",
    repository: "acme/api",
    connection: "anthropic",
    request: { method: "POST", path: "/v1/messages", size: i, bodySha256: null },
    decision: "allow",
    reasons: [],
    bundleRevision: null,
    latencyMs: 1,
  };
}

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 1; i <= n; i++) {
    const { record } = chainRecord(entry(i), head);
    out.push(record);
    head = { seq: record.seq, hash: record.hash };
  }
  return out;
}

describe("canonical JSON", () => {
  it("sorts keys at every depth, without whitespace, leaving undefined out", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: "x" }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson([undefined, NaN, "é\n"])).toBe('[null,null,"é\\n"]');
    expect(() => canonicalJson(undefined)).toThrow();
  });
});

describe("the hash", () => {
  it("is sha256hex(prevHash + newline + canonical JSON of the entry with its seq)", () => {
    const e = entry(1);
    const expected = sha256hex(`${GENESIS_HASH}\n${canonicalJson({ ...e, seq: 1 })}`);
    expect(recordHash(GENESIS_HASH, e, 1)).toBe(expected);
    // a record's own seq/prevHash/hash are not hashed twice
    expect(recordHash(GENESIS_HASH, { ...e, seq: 7, prevHash: "x", hash: "y" } as AuditRecord, 1)).toBe(expected);
    // key order does not matter
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as AuditEntry;
    expect(recordHash(GENESIS_HASH, reordered, 1)).toBe(expected);
    expect(chainRecord(e, { seq: 0, hash: GENESIS_HASH }).record).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, hash: expected });
  });

  it("chainRecord hashes what recordHash does over the stored entry, whatever its extra members (property)", () => {
    // chainRecord builds the hashed text from its one canonical pass (seq put in among the members): it must be
    // recordHash's text over the entry as stored, for members that sort before and after "seq", undefined ones,
    // nested values, a record's own seq/prevHash/hash, and keys beyond ASCII.
    const key = fc.oneof(fc.constantFrom("seq", "prevHash", "hash", "sep", "seq0", "sf", "a", "z", "Seq", "é", "\u{1F600}", "__proto__"), fc.string({ maxLength: 6 }));
    const extra = fc.dictionary(key, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)), { maxKeys: 6 });
    fc.assert(
      fc.property(extra, fc.nat({ max: 1e9 }), (members, seq) => {
        const e = Object.assign(entry(1), members, { decisionId: "d1", time: "2026-11-21T10:00:01Z", decision: "allow", subject: "alice", repository: "acme/api", connection: "anthropic" }) as AuditEntry;
        const head = { seq, hash: "a".repeat(64) };
        const { record, json } = chainRecord(e, head);
        const stored = JSON.parse(json) as AuditEntry;
        expect(json).toBe(canonicalJson(stored));
        expect(record.hash).toBe(recordHash(head.hash, stored, seq + 1));
        expect(record.seq).toBe(seq + 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain (and the empty one)", () => {
    const c = chain(5);
    expect(verifyChain(c)).toEqual({ ok: true, records: 5, head: c[4]!.hash });
    expect(verifyChain(c, { seq: 5, hash: c[4]!.hash })).toEqual({ ok: true, records: 5, head: c[4]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, records: 0, head: GENESIS_HASH });
  });

  const broken: [string, (c: AuditRecord[]) => AuditRecord[], number, RegExp][] = [
    ["a changed field", (c) => c.map((r) => (r.seq === 3 ? { ...r, subject: "mallory" } : r)), 3, /record 3 was changed/],
    ["a changed nested field", (c) => c.map((r) => (r.seq === 2 ? { ...r, request: { ...r.request, size: 999 } } : r)), 2, /record 2 was changed/],
    ["a deleted record", (c) => c.filter((r) => r.seq !== 3), 3, /record 3 is missing/],
    ["a reordered record", (c) => [c[0]!, c[2]!, c[1]!, c[3]!], 2, /record 2 is missing/],
    ["a duplicated record", (c) => [c[0]!, c[1]!, c[1]!, c[2]!], 3, /duplicated or reordered/],
    ["a changed hash", (c) => c.map((r) => (r.seq === 4 ? { ...r, hash: "0".repeat(64) } : r)), 4, /record 4 was changed/],
    ["a first record not linked to the genesis hash", () => {
      const { record } = chainRecord(entry(1), { seq: 0, hash: "1".repeat(64) });
      return [record];
    }, 1, /genesis/],
  ];
  for (const [what, tamper, brokenAt, problem] of broken) {
    it(`detects ${what}`, async () => {
      const result = verifyChain(tamper(chain(5)));
      expect(result).toMatchObject({ ok: false, brokenAt });
      if (!result.ok) expect(result.problem).toMatch(problem);
      async function* gen() {
        yield* tamper(chain(5));
      }
      expect(await verifyChainAsync(gen())).toEqual(result);
    });
  }

  it("detects a truncated tail, or a record past the head, only with the head", () => {
    const c = chain(5);
    expect(verifyChain(c.slice(0, 4)).ok).toBe(true);
    expect(verifyChain(c.slice(0, 4), { seq: 5, hash: c[4]!.hash })).toMatchObject({ ok: false, brokenAt: 5 });
    expect(verifyChain(c.slice(0, 2), { seq: 5, hash: c[4]!.hash })).toMatchObject({ ok: false, brokenAt: 3, problem: expect.stringMatching(/records 3\.\.5 are missing/) });
    expect(verifyChain(c, { seq: 4, hash: c[3]!.hash })).toMatchObject({ ok: false, brokenAt: 5 });
    expect(verifyChain(c, { seq: 5, hash: c[3]!.hash })).toMatchObject({ ok: false, brokenAt: 5 });
  });

  it("stops at the first break", () => {
    const v = new ChainVerifier();
    const c = chain(3);
    expect(v.push(c[0]!)).toBe(true);
    expect(v.push({ ...c[1]!, reasons: ["x"] })).toBe(false);
    expect(v.push(c[2]!)).toBe(false);
    expect(v.finish()).toMatchObject({ ok: false, brokenAt: 2, records: 2 });
  });

  it("rejects malformed entries when chaining", () => {
    expect(() => chainRecord({ ...entry(1), decision: "perhaps" as "allow" }, { seq: 0, hash: GENESIS_HASH })).toThrow(/decision/);
    expect(() => chainRecord({ ...entry(1), decisionId: "" }, { seq: 0, hash: GENESIS_HASH })).toThrow(/decisionId/);
    expect(() => chainRecord({ ...entry(1), time: "soon" }, { seq: 0, hash: GENESIS_HASH })).toThrow(/time/);
  });
});
