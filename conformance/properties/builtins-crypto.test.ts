// Laws of the crypto family (engine/builtins/crypto.ts): digests and HMACs equal node:crypto's, and are deterministic.
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/crypto.js";
import { smallString } from "../arbitraries/values.js";
import { callv, expectEq, familyDecls, params, tableDriven } from "../laws.js";

export const family = "crypto";
export const laws = ["crypto.md5", "crypto.sha1", "crypto.sha256", "crypto.hmac.md5", "crypto.hmac.sha1", "crypto.hmac.sha256", "crypto.hmac.sha512", "crypto.hmac.equal"];

describe("crypto laws", () => {
  it("digests are node:crypto's hex digests (32, 40, 64 hex digits)", () => {
    fc.assert(
      fc.property(smallString, (x) => {
        for (const [name, alg, len] of [["crypto.md5", "md5", 32], ["crypto.sha1", "sha1", 40], ["crypto.sha256", "sha256", 64]] as const) {
          const got = callv(name, x) as string;
          expect(got).toHaveLength(len);
          expectEq(got, createHash(alg).update(x, "utf8").digest("hex"), name);
        }
      }),
      params(40),
    );
  });
  it("HMACs are node:crypto's; hmac.equal is string equality", () => {
    fc.assert(
      fc.property(smallString, smallString, (x, key) => {
        for (const alg of ["md5", "sha1", "sha256", "sha512"] as const) {
          expectEq(callv(`crypto.hmac.${alg}`, x, key), createHmac(alg, key).update(x, "utf8").digest("hex"), alg);
        }
        expect(callv("crypto.hmac.equal", x, key)).toBe(x === key);
        expect(callv("crypto.hmac.equal", x, x)).toBe(true);
      }),
      params(40),
    );
  });
});

describe("crypto: table-driven", () => tableDriven(familyDecls(register), 15));
