import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { register } from "./jwt.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";

const registry = new BuiltinRegistry();
register(registry);
const NOW = 1700000000n * 1_000_000_000n;
const ctx: BuiltinContext = { nowNs: NOW, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);

// --- keys and tokens made here

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsa2 = generateKeyPairSync("rsa", { modulusLength: 2048 });
const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
const p521 = generateKeyPairSync("ec", { namedCurve: "P-521" });
const ed = generateKeyPairSync("ed25519");

const pem = (k: KeyObject): string => k.export({ type: "spki", format: "pem" }) as string;
const jwk = (k: KeyObject, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(k.export({ format: "jwk" }) as Record<string, string>),
  ...extra,
});
const b64 = (x: unknown): string => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

type Signer = (data: Buffer) => Buffer;
const signers: Record<string, Signer> = {
  RS256: (d) => sign("sha256", d, rsa.privateKey),
  RS384: (d) => sign("sha384", d, rsa.privateKey),
  RS512: (d) => sign("sha512", d, rsa.privateKey),
  PS256: (d) => sign("sha256", d, { key: rsa.privateKey, padding: 6, saltLength: 32 }),
  PS384: (d) => sign("sha384", d, { key: rsa.privateKey, padding: 6, saltLength: 48 }),
  PS512: (d) => sign("sha512", d, { key: rsa.privateKey, padding: 6, saltLength: 64 }),
  ES256: (d) => sign("sha256", d, { key: p256.privateKey, dsaEncoding: "ieee-p1363" }),
  ES384: (d) => sign("sha384", d, { key: p384.privateKey, dsaEncoding: "ieee-p1363" }),
  ES512: (d) => sign("sha512", d, { key: p521.privateKey, dsaEncoding: "ieee-p1363" }),
  EdDSA: (d) => sign(null, d, ed.privateKey),
  HS256: (d) => createHmac("sha256", "secret").update(d).digest(),
  HS384: (d) => createHmac("sha384", "secret").update(d).digest(),
  HS512: (d) => createHmac("sha512", "secret").update(d).digest(),
};
const publicKeys: Record<string, string> = {
  RS: pem(rsa.publicKey),
  PS: pem(rsa.publicKey),
  ES256: pem(p256.publicKey),
  ES384: pem(p384.publicKey),
  ES512: pem(p521.publicKey),
  Ed: pem(ed.publicKey),
};
const keyFor = (alg: string): string => publicKeys[alg] ?? publicKeys[alg.slice(0, 2)]!;

function token(header: object | string, payload: object | string, signer: Signer): string {
  const input = b64(header) + "." + b64(payload);
  return input + "." + signer(Buffer.from(input)).toString("base64url");
}
const signed = (alg: string, payload: object = { iss: "xxx" }, header: object = { alg, typ: "JWT" }): string =>
  token(header, payload, signers[alg]!);

// --- a self-signed X.509 certificate for the RSA key, DER-encoded by hand

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
function selfSignedCertificate(key: { publicKey: KeyObject; privateKey: KeyObject }): string {
  const sha256WithRSA = der(0x30, Buffer.from("06092a864886f70d01010b", "hex"), Buffer.from([0x05, 0x00]));
  const name = der(0x30, der(0x31, der(0x30, Buffer.from("0603550403", "hex"), der(0x0c, Buffer.from("guard-test")))));
  const validity = der(0x30, der(0x17, Buffer.from("250101000000Z")), der(0x17, Buffer.from("350101000000Z")));
  const spki = key.publicKey.export({ type: "spki", format: "der" });
  const tbs = der(0x30, der(0xa0, der(0x02, Buffer.from([2]))), der(0x02, Buffer.from([1])), sha256WithRSA, name, validity, name, spki);
  const signature = sign("sha256", tbs, key.privateKey);
  const cert = der(0x30, tbs, sha256WithRSA, der(0x03, Buffer.from([0]), signature));
  const body = cert.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
const certificate = selfSignedCertificate(rsa);

// ---------------------------------------------------------------------------------------------------------------

describe("io.jwt.decode", () => {
  it("decodes header, payload and signature", () => {
    const t = token({ alg: "HS256", typ: "JWT" }, { sub: "alice", n: 12345678901234567890n.toString() }, signers["HS256"]!);
    const [header, payload, sig] = call("io.jwt.decode", t) as Value[];
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual({ sub: "alice", n: "12345678901234567890" });
    expect(sig).toBe(Buffer.from(t.split(".")[2]!, "base64url").toString("hex"));
  });

  it("keeps big integers exact and the last of duplicate keys", () => {
    const t = `${b64({ alg: "none" })}.${b64('{"a":1,"a":2,"big":12345678901234567890,"f":1.5}')}.`;
    expect(call("io.jwt.decode", t)).toEqual([{ alg: "none" }, { a: 2, big: 12345678901234567890n, f: 1.5 }, ""]);
  });

  it("decodes nested tokens (cty JWT), quoted or not", () => {
    const inner = signed("HS256", { inner: true });
    const outer = token({ alg: "HS256", cty: "JWT" }, `"${inner}"`, signers["HS256"]!);
    expect(call("io.jwt.decode", outer)).toEqual(call("io.jwt.decode", inner));
  });

  it.each([
    ["abc", "encoded JWT had no period separators"],
    ["a.b", "encoded JWT must have 3 sections, found 2"],
    ["a.b.c.d", "encoded JWT must have 3 sections, found 4"],
    ["e!.e30.", "JWT header had invalid encoding: illegal base64 data at input byte 1"],
    [`${b64("[1]")}.e30.`, "bad JWT header: decoded JSON type was not an Object"],
    [`${b64("{x")}.e30.`, "bad JWT header: invalid JSON: invalid character 'x' looking for beginning of object key string"],
    [`${b64({ alg: "A", enc: "B" })}.e30.`, "JWT is a JWE object, which is not supported"],
    [`${b64({ alg: "HS256" })}.${b64("[]")}.`, "decoded JSON type was not an Object"],
    [`${b64({ alg: "HS256" })}.e30.a`, "JWT signature had invalid encoding: illegal base64url string: a"],
  ])("%s fails: %s", (t, message) => {
    expect(() => call("io.jwt.decode", t)).toThrow(message);
  });

  it("reports a non-string operand", () => {
    expect(() => call("io.jwt.decode", 1)).toThrow("operand 1 must be string but got number");
  });
});

describe("io.jwt.verify_<alg>", () => {
  const algs = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

  it.each(algs)("%s verifies with a PEM public key", (alg) => {
    const name = `io.jwt.verify_${alg.toLowerCase()}`;
    const t = signed(alg);
    expect(call(name, t, keyFor(alg))).toBe(true);
    // another key, or another token's signature
    const other = alg.startsWith("E") && alg !== "EdDSA" ? pem(rsa.publicKey) : alg === "EdDSA" ? pem(p256.publicKey) : pem(rsa2.publicKey);
    expect(call(name, t, other)).toBe(false);
    const [h, p] = t.split(".");
    expect(call(name, `${h}.${p}.${signed(alg, { iss: "yyy" }).split(".")[2]}`, keyFor(alg))).toBe(false);
  });

  it("verifies with a certificate", () => {
    expect(call("io.jwt.verify_rs256", signed("RS256"), certificate)).toBe(true);
    expect(call("io.jwt.verify_ps256", signed("PS256"), certificate)).toBe(true);
    expect(call("io.jwt.verify_rs256", signed("RS256"), selfSignedCertificate(rsa2))).toBe(false);
  });

  it("verifies with a JWK or a JWK set", () => {
    const t = signed("ES256");
    expect(call("io.jwt.verify_es256", t, JSON.stringify(jwk(p256.publicKey)))).toBe(true);
    expect(call("io.jwt.verify_es256", t, JSON.stringify({ keys: [jwk(p384.publicKey), jwk(p256.publicKey)] }))).toBe(true);
    // a key for another algorithm is skipped
    expect(call("io.jwt.verify_es256", t, JSON.stringify(jwk(p256.publicKey, { alg: "ES384" })))).toBe(false);
    // keys for unknown algorithms are dropped
    expect(call("io.jwt.verify_es256", t, JSON.stringify({ keys: [jwk(p256.publicKey, { alg: "XX1" })] }))).toBe(false);
  });

  it("uses only the key whose kid matches the token's", () => {
    const t = signed("RS256", { a: 1 }, { alg: "RS256", kid: "k2" });
    const set = (kid1: string, kid2: string): string =>
      JSON.stringify({ keys: [jwk(rsa.publicKey, { kid: kid1 }), jwk(rsa2.publicKey, { kid: kid2 })] });
    expect(call("io.jwt.verify_rs256", t, set("k1", "k2"))).toBe(false);
    expect(call("io.jwt.verify_rs256", t, set("k2", "k1"))).toBe(true);
    expect(call("io.jwt.verify_rs256", t, set("a", "b"))).toBe(true);
  });

  it("splits ECDSA signatures of any length into r and s", () => {
    const t = signed("ES256");
    const [h, p, s] = t.split(".");
    const padded = Buffer.concat([Buffer.from([0]), Buffer.from(s!, "base64url").subarray(0, 32), Buffer.from([0]), Buffer.from(s!, "base64url").subarray(32)]);
    expect(call("io.jwt.verify_es256", `${h}.${p}.${padded.toString("base64url")}`, keyFor("ES256"))).toBe(true);
  });

  it("fails on keys it cannot read", () => {
    const t = signed("RS256");
    expect(() => call("io.jwt.verify_rs256", t, "nonsense")).toThrow("failed to parse a JWK key (set)");
    expect(() => call("io.jwt.verify_rs256", t, pem(rsa.publicKey) + "\nmore")).toThrow("extra data after a PEM certificate block");
    const rsaPem = rsa.publicKey.export({ type: "pkcs1", format: "pem" }) as string;
    expect(() => call("io.jwt.verify_rs256", t, rsaPem)).toThrow("failed to extract a Key from the PEM certificate");
    expect(() => call("io.jwt.verify_rs256", t, 1)).toThrow("operand 2 must be string but got number");
    expect(() => call("io.jwt.verify_rs256", "x", pem(rsa.publicKey))).toThrow("encoded JWT had no period separators");
  });

  it.each(["256", "384", "512"])("HS%s verifies with the secret", (bits) => {
    const t = signed(`HS${bits}`);
    expect(call(`io.jwt.verify_hs${bits}`, t, "secret")).toBe(true);
    expect(call(`io.jwt.verify_hs${bits}`, t, "wrong")).toBe(false);
  });
});

describe("io.jwt.decode_verify", () => {
  const dv = (t: string, constraints: unknown): Value[] => call("io.jwt.decode_verify", t, constraints as Value) as Value[];
  const unverified = [false, {}, {}];

  it.each(Object.keys(signers))("%s verifies under its key", (alg) => {
    const t = signed(alg, { iss: "xxx" });
    const constraints = alg.startsWith("HS") ? { secret: "secret" } : { cert: keyFor(alg) };
    expect(dv(t, constraints)).toEqual([true, { alg, typ: "JWT" }, { iss: "xxx" }]);
  });

  it("verifies with a certificate or a JWK set, and rejects other keys", () => {
    const t = signed("PS256");
    expect(dv(t, { cert: certificate })).toEqual([true, { alg: "PS256", typ: "JWT" }, { iss: "xxx" }]);
    expect(dv(t, { cert: JSON.stringify({ keys: [jwk(rsa.publicKey, { kid: "x", alg: "PS256" })] }) })[0]).toBe(true);
    expect(dv(t, { cert: pem(rsa2.publicKey) })).toEqual(unverified);
    expect(dv(t, { cert: pem(p256.publicKey) })).toEqual(unverified);
    expect(dv(signed("HS256"), { secret: "wrong" })).toEqual(unverified);
    expect(dv(signed("HS256"), { cert: pem(rsa.publicKey) })).toEqual(unverified);
  });

  it("checks the algorithm, issuer and audience", () => {
    const t = signed("HS256", { iss: "xxx", aud: "me" });
    expect(dv(t, { secret: "secret", alg: "HS256", aud: "me" })[0]).toBe(true);
    expect(dv(t, { secret: "secret", alg: "HS512", aud: "me" })).toEqual(unverified);
    expect(dv(t, { secret: "secret", iss: "xxx", aud: "me" })[0]).toBe(true);
    expect(dv(t, { secret: "secret", iss: "yyy", aud: "me" })).toEqual(unverified);
    // a token with an audience needs an aud constraint that it lists
    expect(dv(t, { secret: "secret" })).toEqual(unverified);
    expect(dv(t, { secret: "secret", aud: "you" })).toEqual(unverified);
    expect(dv(signed("HS256", { aud: ["you", "me"] }), { secret: "secret", aud: "me" })[0]).toBe(true);
    expect(dv(signed("HS256", {}), { secret: "secret", aud: "me" })).toEqual(unverified);
    expect(dv(signed("HS256", {}), { secret: "secret", iss: "xxx" })).toEqual(unverified);
  });

  it("checks exp and nbf against the query's time or the time constraint", () => {
    const now = Number(NOW / 1_000_000_000n);
    expect(dv(signed("HS256", { exp: now + 1 }), { secret: "secret" })[0]).toBe(true);
    expect(dv(signed("HS256", { exp: now }), { secret: "secret" })).toEqual(unverified);
    expect(dv(signed("HS256", { exp: now + 0.5 }), { secret: "secret" })[0]).toBe(true);
    expect(dv(signed("HS256", { nbf: now }), { secret: "secret" })[0]).toBe(true);
    expect(dv(signed("HS256", { nbf: now + 1 }), { secret: "secret" })).toEqual(unverified);
    const t = signed("HS256", { nbf: now + 10, exp: now + 20 });
    expect(dv(t, { secret: "secret" })).toEqual(unverified);
    expect(dv(t, { secret: "secret", time: (now + 15) * 1e9 })[0]).toBe(true);
    expect(dv(t, { secret: "secret", time: BigInt(now + 25) * 1_000_000_000n })).toEqual(unverified);
  });

  it("verifies nested tokens and returns the innermost header", () => {
    const inner = signed("HS256", { sub: "x" }, { alg: "HS256" });
    const outer = token({ alg: "HS256", cty: "jwt" }, inner, signers["HS256"]!);
    expect(dv(outer, { secret: "secret" })).toEqual([true, { alg: "HS256" }, { sub: "x" }]);
  });

  it("rejects tokens with an unknown critical header or no alg", () => {
    expect(dv(signed("HS256", {}, { alg: "HS256", crit: ["exp"], exp: 1 }), { secret: "secret" })).toEqual(unverified);
    expect(dv(signed("HS256", {}, { alg: "HS256", crit: ["typ"], typ: "JWT" }), { secret: "secret" })[0]).toBe(true);
    expect(dv(token({ typ: "JWT" }, {}, signers["HS256"]!), { secret: "secret" })).toEqual(unverified);
    expect(dv(token({ alg: "none" }, {}, () => Buffer.alloc(0)), { secret: "secret" })).toEqual(unverified);
  });

  it.each([
    [{}, "no key constraint"],
    [{ secret: "s", cert: pem(rsa.publicKey) }, "duplicate key constraints"],
    [{ secret: 1 }, "secret constraint: must be a string"],
    [{ cert: 1 }, "cert constraint: must be a string"],
    [{ secret: "s", foo: 1 }, "unknown token validation constraint: foo"],
    [{ secret: "s", time: "now" }, "token time constraint: must be a number"],
    [{ secret: "s", time: -1 }, "token time constraint: must not be negative"],
  ])("constraints %j fail: %s", (constraints, message) => {
    expect(() => dv(signed("HS256"), constraints as Value)).toThrow(message);
  });

  it("fails on claims of the wrong type and bad operands", () => {
    expect(() => dv(signed("HS256", { exp: null }), { secret: "secret" })).toThrow("exp value must be a number");
    expect(() => dv(signed("HS256", { nbf: "1" }), { secret: "secret" })).toThrow("nbf value must be a number");
    expect(() => dv(signed("HS256"), 1)).toThrow("operand 2 must be object but got number");
    expect(() => dv("x.y", { secret: "s" })).toThrow("encoded JWT must have 3 sections, found 2");
    expect(() => dv(signed("HS256", {}, { alg: 1 }), { secret: "s" })).toThrow("alg: must be a string");
  });
});

describe("io.jwt.encode_sign and io.jwt.encode_sign_raw", () => {
  const oct = { kty: "oct", k: b64("42") };

  it("signs with a symmetric key", () => {
    const t = call("io.jwt.encode_sign_raw", '{"alg":"HS256","typ":"JWT"}', '{"a":1}', JSON.stringify(oct)) as string;
    expect(t.split(".").slice(0, 2)).toEqual([b64('{"alg":"HS256","typ":"JWT"}'), b64('{"a":1}')]);
    expect(call("io.jwt.verify_hs256", t, "42")).toBe(true);
    expect(call("io.jwt.decode_verify", call("io.jwt.encode_sign", { alg: "HS256" }, {}, oct)!, { secret: "42" })).toEqual([
      true,
      { alg: "HS256" },
      {},
    ]);
  });

  it("serializes objects as Go does: sorted keys, HTML-safe escapes", () => {
    const t = call("io.jwt.encode_sign", { typ: "JWT", alg: "HS256" }, { b: "<&>", a: [1, 2.5] }, oct) as string;
    const [h, p] = t.split(".");
    expect(Buffer.from(h!, "base64url").toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(Buffer.from(p!, "base64url").toString()).toBe('{"a":[1,2.5],"b":"\\u003c\\u0026\\u003e"}');
  });

  it.each(["RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"])("signs %s with a private JWK", (alg) => {
    const key = alg.startsWith("RS") || alg.startsWith("PS") ? rsa : alg === "ES256" ? p256 : alg === "ES384" ? p384 : alg === "ES512" ? p521 : ed;
    const t = call("io.jwt.encode_sign", { alg, typ: "JWT" }, { sub: "x" }, jwk(key.privateKey)) as string;
    expect(call("io.jwt.decode_verify", t, { cert: keyFor(alg) })).toEqual([true, { alg, typ: "JWT" }, { sub: "x" }]);
  });

  it("takes the first key of a JWK set", () => {
    const t = call("io.jwt.encode_sign_raw", '{"alg":"HS256"}', "{}", JSON.stringify({ keys: [oct] })) as string;
    expect(call("io.jwt.verify_hs256", t, "42")).toBe(true);
  });

  it.each([
    ['{"alg":"none"}', "{}", JSON.stringify(oct), "unknown JWS algorithm: none"],
    ['{"typ":"JWT"}', "{}", JSON.stringify(oct), "missing or invalid 'alg' header"],
    ['{"alg":"HS256"}', "not json", JSON.stringify(oct), "type is JWT but payload is not JSON"],
    ['{"alg":"HS256"}', "{}", JSON.stringify({ keys: [] }), "no keys found in JWK set"],
    ['{"alg":"RS256"}', "{}", JSON.stringify(oct), "failed to sign payload"],
  ])("%s fails", (headers, payload, key, message) => {
    expect(() => call("io.jwt.encode_sign_raw", headers, payload, key)).toThrow(message);
  });

  it("signs a non-JSON payload when typ is not JWT", () => {
    const t = call("io.jwt.encode_sign_raw", '{"alg":"HS256","typ":"text"}', "hello", JSON.stringify(oct)) as string;
    expect(Buffer.from(t.split(".")[1]!, "base64url").toString()).toBe("hello");
  });

  it("is declared nondeterministic", () => {
    expect(registry.get("io.jwt.encode_sign")!.nondeterministic).toBe(true);
    expect(registry.get("io.jwt.encode_sign_raw")!.nondeterministic).toBe(true);
    expect(registry.get("io.jwt.decode_verify")!.nondeterministic).toBe(true);
  });
});
