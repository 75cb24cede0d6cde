import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { register } from "./crypto.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx: BuiltinContext = { nowNs: 0n, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);

describe("hashes", () => {
  it.each([
    ["crypto.md5", "", "d41d8cd98f00b204e9800998ecf8427e"],
    ["crypto.md5", "hello", "5d41402abc4b2a76b9719d911017c592"],
    ["crypto.sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["crypto.sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["crypto.sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["crypto.sha256", "hello", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"],
  ])("%s(%j)", (name, input, want) => {
    expect(call(name, input)).toBe(want);
  });

  it("hashes the UTF-8 bytes", () => {
    const utf8 = createHash("md5").update(Buffer.from([0xc3, 0xa9])).digest("hex");
    expect(call("crypto.md5", "\u00e9")).toBe(utf8);
    expect(call("crypto.md5", "\u00e9")).not.toBe(createHash("md5").update(Buffer.from([0xe9])).digest("hex"));
  });

  it("has no sha512 hash built-in (OPA has none)", () => {
    expect(registry.has("crypto.sha512")).toBe(false);
  });

  it("reports non-string operands", () => {
    expect(() => call("crypto.sha256", 1)).toThrow("operand 1 must be string but got number");
  });
});

describe("HMACs", () => {
  // RFC 2104 / RFC 2202 / RFC 4231 test vectors: key "Jefe", data "what do ya want for nothing?"
  const data = "what do ya want for nothing?";
  it.each([
    ["crypto.hmac.md5", "750c783e6ab0b503eaa86e310a5db738"],
    ["crypto.hmac.sha1", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"],
    ["crypto.hmac.sha256", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
    [
      "crypto.hmac.sha512",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    ],
  ])("%s", (name, want) => {
    expect(call(name, data, "Jefe")).toBe(want);
  });

  it("reports non-string operands by position", () => {
    expect(() => call("crypto.hmac.sha256", "x", 1)).toThrow("operand 2 must be string but got number");
  });
});

describe("crypto.hmac.equal", () => {
  it("compares MACs", () => {
    const mac = call("crypto.hmac.sha256", "message", "key") as string;
    expect(call("crypto.hmac.equal", mac, mac)).toBe(true);
    expect(call("crypto.hmac.equal", mac, mac.replace(/.$/, "0"))).toBe(mac.endsWith("0"));
    expect(call("crypto.hmac.equal", mac, mac.slice(1))).toBe(false);
    expect(call("crypto.hmac.equal", "", "")).toBe(true);
  });
});
