// Laws of the jwt family (engine/builtins/jwt.ts): encode/decode round trips, HMAC verification with the right and a
// wrong key, decode_verify; the other verifiers get the table-driven property (random tokens and keys).
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { register } from "../../engine/builtins/jwt.js";
import { fromJSON, stringifyValue, type Value } from "../../engine/value/value.js";
import { asciiWord, jsonValue } from "../arbitraries/values.js";
import { callNondeterministic, callv, expectEq, familyDecls, params, tableDriven } from "../laws.js";

export const family = "jwt";
export const laws = ["io.jwt.encode_sign", "io.jwt.encode_sign_raw", "io.jwt.decode", "io.jwt.decode_verify", "io.jwt.verify_hs256", "io.jwt.verify_hs384", "io.jwt.verify_hs512",
  "io.jwt.verify_rs256", "io.jwt.verify_rs384", "io.jwt.verify_rs512", "io.jwt.verify_ps256", "io.jwt.verify_ps384", "io.jwt.verify_ps512",
  "io.jwt.verify_es256", "io.jwt.verify_es384", "io.jwt.verify_es512", "io.jwt.verify_eddsa"];

// key pairs made once (RSA generation is slow): [algorithms, private JWK, public JWK, another public JWK]
function pair(type: "rsa" | "ec" | "ed25519", curve?: string): { priv: Value; pub: string } {
  const { privateKey, publicKey } =
    type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : type === "ec" ? generateKeyPairSync("ec", { namedCurve: curve! }) : generateKeyPairSync("ed25519");
  return { priv: fromJSON(privateKey.export({ format: "jwk" })), pub: JSON.stringify(publicKey.export({ format: "jwk" })) };
}
const RSA = pair("rsa");
const RSA2 = pair("rsa");
const KEYS: [string, { priv: Value; pub: string }][] = [
  ["RS256", RSA], ["RS384", RSA], ["RS512", RSA], ["PS256", RSA], ["PS384", RSA], ["PS512", RSA],
  ["ES256", pair("ec", "P-256")], ["ES384", pair("ec", "P-384")], ["ES512", pair("ec", "P-521")], ["EdDSA", pair("ed25519")],
];

const secret = asciiWord.filter((s) => s.length > 0);
const claims = fc.dictionary(asciiWord.filter((k) => k !== "exp" && k !== "nbf" && k !== "iss" && k !== "aud"), jsonValue, { maxKeys: 3 });

describe("jwt laws", () => {
  it("decode(encode_sign(h, p, k)) gives back the header and payload; verify_hs* with the key", () => {
    fc.assert(
      fc.property(claims, secret, secret, fc.constantFrom("HS256", "HS384", "HS512"), (payload, key, other, alg) => {
        const jwk = { kty: "oct", k: Buffer.from(key).toString("base64url") };
        const token = callv("io.jwt.encode_sign", { alg, typ: "JWT" }, payload as Value, jwk) as string;
        const [header, body, sig] = callv("io.jwt.decode", token) as Value[];
        expectEq(header, { alg, typ: "JWT" });
        expectEq(body, payload as Value);
        expect(typeof sig).toBe("string");
        const verify = `io.jwt.verify_${alg.toLowerCase()}`;
        expect(callv(verify, token, key)).toBe(true);
        expect(callv(verify, token, other)).toBe(key === other);
        const [ok, , p2] = callv("io.jwt.decode_verify", token, { secret: key, time: 1_700_000_000_000_000_000 }) as Value[];
        expect(ok).toBe(true);
        expectEq(p2, payload as Value);
      }),
      params(25),
    );
  });
  it("encode_sign_raw signs the given JSON texts", () => {
    fc.assert(
      fc.property(claims, secret, (payload, key) => {
        const jwk = JSON.stringify({ kty: "oct", k: Buffer.from(key).toString("base64url") });
        const token = callv("io.jwt.encode_sign_raw", JSON.stringify({ alg: "HS256" }), stringifyValue(payload as Value), jwk) as string;
        expectEq((callv("io.jwt.decode", token) as Value[])[1], payload as Value);
        expect(callv("io.jwt.verify_hs256", token, key)).toBe(true);
      }),
      params(20),
    );
  });
});

describe("jwt laws (asymmetric keys)", () => {
  it("a token signed with the private key verifies with the public key, not with another key", () => {
    fc.assert(
      fc.property(claims, fc.constantFrom(...KEYS), (payload, [alg, k]) => {
        // PS* and ES* signatures are randomized: the engines only agree on the result's type
        const signed = callNondeterministic("io.jwt.encode_sign", { alg }, payload as Value, k.priv);
        const token = (signed.kind === "value" ? signed.value : signed.message) as string;
        const verify = `io.jwt.verify_${alg.toLowerCase()}`;
        expect(callv(verify, token, k.pub), `${alg} with its key`).toBe(true);
        expect(callv(verify, token, alg.startsWith("RS") || alg.startsWith("PS") ? RSA2.pub : RSA.pub), `${alg} with another key`).toBe(false);
        expectEq((callv("io.jwt.decode", token) as Value[])[1], payload as Value);
      }),
      params(20),
    );
  });
});

describe("jwt: table-driven", () => tableDriven(familyDecls(register), 10));
