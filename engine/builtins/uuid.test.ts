import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";
import { register, uuid4 } from "./uuid.js";

const registry = new BuiltinRegistry();
register(registry);
const newCtx = (): BuiltinContext => ({ nowNs: 0n, print: () => {}, cache: new Map() });
const call = (ctx: BuiltinContext, name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuid.rfc4122", () => {
  it("returns a version 4 UUID, the same for the same argument within a query", () => {
    const ctx = newCtx();
    const a = call(ctx, "uuid.rfc4122", "x");
    const b = call(ctx, "uuid.rfc4122", "x");
    const c = call(ctx, "uuid.rfc4122", "y");
    expect(a).toMatch(V4);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(call(newCtx(), "uuid.rfc4122", "x")).not.toBe(a);
  });

  it("sets the version and variant bits", () => {
    expect(uuid4(new Uint8Array(16))).toBe("00000000-0000-4000-8000-000000000000");
    expect(uuid4(new Uint8Array(16).fill(0xff))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
  });

  it("is declared nondeterministic", () => {
    expect(registry.get("uuid.rfc4122")!.nondeterministic).toBe(true);
  });
});

describe("uuid.parse", () => {
  const parse = (s: string): Value | undefined => call(newCtx(), "uuid.parse", s);

  it("parses what uuid.rfc4122 returns", () => {
    const ctx = newCtx();
    expect(call(ctx, "uuid.parse", call(ctx, "uuid.rfc4122", "x")!)).toEqual({ version: 4, variant: "RFC4122" });
  });

  it("decodes time, node and clock sequence of version 1", () => {
    const want = {
      version: 1,
      variant: "RFC4122",
      nodeid: "9f-36-19-c7-49-3f",
      macvariables: "local:multicast",
      time: 1693481847404333000n,
      clocksequence: 13946,
    };
    expect(parse("c2fc67c2-47f2-11ee-b67a-9f3619c7493f")).toEqual(want);
    expect(parse("urn:uuid:c2fc67c2-47f2-11ee-b67a-9f3619c7493f")).toEqual(want);
    expect(parse("C2FC67C2-47F2-11EE-B67A-9F3619C7493F")).toEqual(want);
  });

  it("decodes domain and id of version 2", () => {
    const want = {
      version: 2,
      variant: "RFC4122",
      nodeid: "32-50-96-b3-9f-47",
      macvariables: "local:unicast",
      time: 1693566990121469600n,
      clocksequence: 12800,
      domain: "Person",
      id: 1000,
    };
    expect(parse("000003e8-48b9-21ee-b200-325096b39f47")).toEqual(want);
    expect(parse("{000003e8-48b9-21ee-b200-325096b39f47}")).toEqual(want);
  });

  it("reports only version and variant for other versions", () => {
    expect(parse("6bea8ef2-d3d3-3cd1-84e0-9bab06a52ece")).toEqual({ version: 3, variant: "RFC4122" });
    expect(parse("00000000-0000-4000-8000-000000000000")).toEqual({ version: 4, variant: "RFC4122" });
    expect(parse("00000000-0000-5cd1-84e0-9bab06a52ece")).toEqual({ version: 5, variant: "RFC4122" });
    expect(parse("00000000-0000-fcd1-f4e0-9bab06a52ece")).toEqual({ version: 15, variant: "Future" });
    expect(parse("00000000-0000-4000-c000-000000000000")).toEqual({ version: 4, variant: "Microsoft" });
    expect(parse("00000000-0000-4000-0000-000000000000")).toEqual({ version: 4, variant: "Reserved" });
    expect(parse("00000000000040008000000000000000")).toEqual({ version: 4, variant: "RFC4122" });
  });

  it("is undefined for strings that are no UUID", () => {
    expect(parse("00000000000-123-222-222")).toBeUndefined();
    expect(parse("HijVnnS1-GGGG-1234-12345678")).toBeUndefined();
    expect(parse("")).toBeUndefined();
    expect(parse("00000000-0000-4000-8000-00000000000g")).toBeUndefined();
    expect(parse("00000000x0000-4000-8000-000000000000")).toBeUndefined();
    expect(parse("urn:uuix:c2fc67c2-47f2-11ee-b67a-9f3619c7493f")).toBeUndefined();
  });

  it("reports a non-string operand", () => {
    expect(() => call(newCtx(), "uuid.parse", 1)).toThrow("operand 1 must be string but got number");
  });
});
