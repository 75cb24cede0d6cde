// JSON Web Tokens: io.jwt.decode, io.jwt.verify_{rs,ps,es,hs}{256,384,512}, io.jwt.verify_eddsa,
// io.jwt.decode_verify, io.jwt.encode_sign_raw and io.jwt.encode_sign.
//
// Verification is synchronous (node:crypto): keys in jwk.ts, signatures in jws.ts, and the token's base64url and JSON
// as OPA reads them in jwt-base64.ts and jwt-json.ts. Messages follow OPA's.
import type { KeyObject } from "node:crypto";
import { compareNumbers, isObject, objectEntries, objectGet, type ObjectValue, type Value } from "../value/value.js";
import { obj, str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinContext, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, boolean, objectOf, string } from "./types.js";
import { base64UrlDecode, base64UrlEncode } from "./jwt-base64.js";
import { extractJSONObject, goJSON, parseJSON } from "./jwt-json.js";
import { ALGORITHMS, keysFromCertOrJWK, signingKey, type VerificationKey } from "./jwk.js";
import { HASHES, hmacEqual, signWith, verifyByAlg, verifyECHalves, verifyEdDSA, verifyRSA } from "./jws.js";

// ---------------------------------------------------------------------------------------------------------------
// Tokens

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function decodeJWT(v: Value | undefined): Token {
  if (typeof v !== "string") throw new OperandTypeError(1, "string", v);
  if (!v.includes(".")) throw new BuiltinError("encoded JWT had no period separators");
  const parts = v.split(".");
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

function decodeHeader(token: Token): ObjectValue {
  let bytes: Buffer;
  try {
    bytes = base64UrlDecode(token.header);
  } catch (e) {
    throw new BuiltinError(`JWT header had invalid encoding: ${(e as Error).message}`);
  }
  let header: ObjectValue;
  try {
    header = extractJSONObject(bytes.toString("utf8"));
  } catch (e) {
    throw new BuiltinError(`bad JWT header: ${(e as Error).message}`);
  }
  if (objectGet(header, "enc") !== undefined) throw new BuiltinError("JWT is a JWE object, which is not supported");
  return header;
}

function decodePayloadText(token: Token): string {
  try {
    return base64UrlDecode(token.payload).toString("utf8");
  } catch (e) {
    throw new BuiltinError(`JWT payload had invalid encoding: ${(e as Error).message}`);
  }
}

const decodeSignature = (token: Token): Buffer => base64UrlDecode(token.signature);

interface TokenHeader {
  alg: string;
  kid: string;
  typ: string;
  cty: string;
  crit: Set<string>;
  unknown: string[];
}

function parseTokenHeader(header: ObjectValue): TokenHeader {
  const h: TokenHeader = { alg: "", kid: "", typ: "", cty: "", crit: new Set(), unknown: [] };
  for (const [k, v] of objectEntries(header)) {
    const name = k as string;
    switch (name) {
      case "alg":
      case "kid":
      case "typ":
      case "cty":
        if (typeof v !== "string") throw new BuiltinError(`${name}: must be a string`);
        h[name] = v;
        break;
      case "crit": {
        if (!Array.isArray(v)) throw new BuiltinError("crit: must be a list");
        for (const x of v) {
          if (typeof x !== "string") break;
          h.crit.add(x);
        }
        if (h.crit.size === 0) throw new BuiltinError("crit: must be a nonempty list");
        break;
      }
      default:
        h.unknown.push(name);
    }
  }
  return h;
}

/** RFC 7515: alg present, and no critical parameter that is not understood. */
const validHeader = (h: TokenHeader): boolean => h.alg !== "" && !h.unknown.some((u) => h.crit.has(u));

// ---------------------------------------------------------------------------------------------------------------
// io.jwt.verify_<alg>

type Verifier = (key: KeyObject | undefined, data: Buffer, sig: Buffer) => boolean;

/** io.jwt.verify_<alg> with a certificate, public key or JWKS. */
function verifyWithKeys(args: Value[], verify: Verifier): boolean {
  const token = decodeJWT(args[0]);
  const keyText = str(args, 1);
  const keys = keysFromCertOrJWK(keyText);
  const sig = decodeSignature(token);
  const header = parseTokenHeader(decodeHeader(token));
  const data = Buffer.from(token.header + "." + token.payload, "utf8");
  if (header.kid !== "") {
    const byKid = keys.find((k) => k.kid === header.kid);
    if (byKid !== undefined) return verify(byKid.key, data, sig);
  }
  for (const k of keys) {
    if (k.alg !== "" && k.alg !== header.alg) continue;
    if (verify(k.key, data, sig)) return true;
  }
  return false;
}

function verifyHS(args: Value[], hash: string): boolean {
  const jwt = str(args, 0);
  const secret = str(args, 1);
  const token = decodeJWT(jwt);
  const data = Buffer.from(token.header + "." + token.payload, "utf8");
  const sig = decodeSignature(token);
  return hmacEqual(Buffer.from(secret, "utf8"), hash, data, sig);
}

// ---------------------------------------------------------------------------------------------------------------
// io.jwt.decode and io.jwt.decode_verify

function jwtDecode(v: Value | undefined): Value {
  const token = decodeJWT(v);
  const header = decodeHeader(token);
  const payloadText = decodePayloadText(token);
  const cty = objectGet(header, "cty");
  if (cty === "JWT") {
    // a nested token; quoted as some encoders do
    return jwtDecode(payloadText.replace(/^["']+|["']+$/g, ""));
  }
  const payload = extractJSONObject(payloadText);
  let sig: Buffer;
  try {
    sig = decodeSignature(token);
  } catch (e) {
    throw new BuiltinError(`JWT signature had invalid encoding: ${(e as Error).message}`);
  }
  return [header, payload, sig.toString("hex")];
}

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys: VerificationKey[] | undefined;
  /** Nanoseconds, as a float64. */
  time: number;
}

function timeConstraint(v: Value | undefined): number {
  if (typeof v !== "number" && typeof v !== "bigint") throw new BuiltinError("token time constraint: must be a number");
  const t = Number(v);
  if (!Number.isFinite(t)) throw new BuiltinError("token time constraint: unvalid float64");
  if (t < 0) throw new BuiltinError("token time constraint: must not be negative");
  return t;
}

function parseConstraints(o: ObjectValue, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: "", alg: "", iss: "", aud: "", keys: undefined, time: -1 };
  for (const [k, v] of objectEntries(o)) {
    const name = typeof k === "string" ? k : String(k);
    switch (name) {
      case "cert":
        if (typeof v !== "string") throw new BuiltinError("cert constraint: must be a string");
        c.keys = keysFromCertOrJWK(v);
        break;
      case "secret":
      case "alg":
      case "iss":
      case "aud":
        if (typeof v !== "string") throw new BuiltinError(`${name} constraint: must be a string`);
        c[name] = v;
        break;
      case "time":
        c.time = timeConstraint(v);
        break;
      default:
        throw new BuiltinError(`unknown token validation constraint: ${name}`);
    }
  }
  if (c.time === -1) c.time = timeConstraint(ctx.nowNs);
  const count = (c.keys !== undefined ? 1 : 0) + (c.secret !== "" ? 1 : 0);
  if (count > 1) throw new BuiltinError("duplicate key constraints");
  if (count < 1) throw new BuiltinError("no key constraint");
  return c;
}

function verifyConstraints(c: Constraints, h: TokenHeader, token: Token, sig: Buffer): boolean {
  const data = Buffer.from(token.header + "." + token.payload, "utf8");
  if (c.keys !== undefined) {
    if (h.kid !== "") {
      const byKid = c.keys.find((k) => k.kid === h.kid);
      if (byKid !== undefined) return verifyByAlg(byKid, h.alg, data, sig);
    }
    for (const k of c.keys) {
      if (k.alg !== "" && k.alg !== h.alg) continue;
      if (verifyByAlg(k, h.alg, data, sig)) return true;
    }
    return false;
  }
  return verifyByAlg(Buffer.from(c.secret, "utf8"), h.alg, data, sig);
}

function validAudience(aud: Value, want: string): boolean {
  if (typeof aud === "string") return aud === want;
  return Array.isArray(aud) && aud.some((x) => x === want);
}

function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  let jwt = args[0];
  const constraints = parseConstraints(obj(args, 1), ctx);
  const unverified: Value = [false, {}, {}];
  let token: Token;
  let header: ObjectValue;
  let payloadText: string;
  for (;;) {
    token = decodeJWT(jwt);
    header = decodeHeader(token);
    const h = parseTokenHeader(header);
    if (!validHeader(h)) return unverified;
    if (constraints.alg !== "" && constraints.alg !== h.alg) return unverified;
    const sig = decodeSignature(token);
    if (!verifyConstraints(constraints, h, token, sig)) return unverified;
    payloadText = decodePayloadText(token);
    if (h.cty.toLowerCase() === "jwt") {
      jwt = payloadText;
      continue;
    }
    break;
  }
  const payload = extractJSONObject(payloadText);
  if (constraints.iss !== "") {
    if (objectGet(payload, "iss") !== constraints.iss) return unverified;
  }
  const aud = objectGet(payload, "aud");
  if (aud !== undefined) {
    if (!validAudience(aud, constraints.aud)) return unverified;
  } else if (constraints.aud !== "") {
    return unverified;
  }
  const now = constraints.time / 1e9;
  const exp = objectGet(payload, "exp");
  if (exp !== undefined) {
    if (typeof exp !== "number" && typeof exp !== "bigint") throw new BuiltinError("exp value must be a number");
    if (compareNumbers(now, exp) !== -1) return unverified;
  }
  const nbf = objectGet(payload, "nbf");
  if (nbf !== undefined) {
    if (typeof nbf !== "number" && typeof nbf !== "bigint") throw new BuiltinError("nbf value must be a number");
    if (compareNumbers(now, nbf) === -1) return unverified;
  }
  return [true, header, payload];
}

// ---------------------------------------------------------------------------------------------------------------
// io.jwt.encode_sign_raw and io.jwt.encode_sign

function isValidJSON(s: string): boolean {
  try {
    parseJSON(s);
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headers: string, payload: string, jwkText: string): string {
  const { jwk } = signingKey(jwkText);
  let parsedHeaders: Value;
  try {
    parsedHeaders = parseJSON(headers);
  } catch (e) {
    throw new BuiltinError(`missing or invalid 'alg' header: ${(e as Error).message}`);
  }
  const alg = isObject(parsedHeaders) ? objectGet(parsedHeaders, "alg") : undefined;
  if (typeof alg !== "string") throw new BuiltinError(`missing or invalid 'alg' header: header "alg" not found or not a string`);
  if (!ALGORITHMS.has(alg)) throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  const typ = isObject(parsedHeaders) ? objectGet(parsedHeaders, "typ") : undefined;
  if ((typeof typ !== "string" || typ === "JWT") && !isValidJSON(payload))
    throw new BuiltinError("type is JWT but payload is not JSON");
  const input = base64UrlEncode(headers) + "." + base64UrlEncode(payload);
  return input + "." + base64UrlEncode(signWith(jwk, alg, Buffer.from(input, "utf8")));
}

// ---------------------------------------------------------------------------------------------------------------

const CERT_DESCRIPTION = "PEM encoded certificate, PEM encoded public key, or the JWK key (set) used to verify the signature";

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "io.jwt.decode",
    args: [{ name: "jwt", type: string, description: "JWT token to decode" }],
    result: {
      name: "output",
      type: arrayOf(any),
      description:
        "`[header, payload, sig]`, where `header` and `payload` are objects; `sig` is the hexadecimal representation of the signature on the token.",
    },
    description: "Decodes a JSON Web Token and outputs it as an object.",
    categories: ["tokens"],
    impl: (args) => jwtDecode(args[0]),
  });

  const asymmetric: [string, Verifier][] = [];
  for (const bits of ["256", "384", "512"]) {
    const hash = HASHES[bits]!;
    asymmetric.push([`rs${bits}`, (k, d, s) => verifyRSA(k, hash, false, d, s)]);
    asymmetric.push([`ps${bits}`, (k, d, s) => verifyRSA(k, hash, true, d, s)]);
    asymmetric.push([`es${bits}`, (k, d, s) => verifyECHalves(k, hash, d, s)]);
  }
  asymmetric.push(["eddsa", (k, d, s) => verifyEdDSA(k, d, s)]);
  asymmetric.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [suffix, verify] of asymmetric) {
    const label = suffix === "eddsa" ? "an EdDSA" : `a ${suffix.toUpperCase()}`;
    r.register({
      name: `io.jwt.verify_${suffix}`,
      args: [
        { name: "jwt", type: string, description: "JWT token whose signature is to be verified" },
        { name: "certificate", type: string, description: CERT_DESCRIPTION },
      ],
      result: { name: "result", type: boolean, description: "`true` if the signature is valid, `false` otherwise" },
      description: `Verifies if ${label} JWT signature is valid.`,
      categories: ["tokens"],
      impl: (args) => verifyWithKeys(args, verify),
    });
  }
  for (const bits of ["256", "384", "512"]) {
    r.register({
      name: `io.jwt.verify_hs${bits}`,
      args: [
        { name: "jwt", type: string, description: "JWT token whose signature is to be verified" },
        { name: "secret", type: string, description: "plain text secret used to verify the signature" },
      ],
      result: { name: "result", type: boolean, description: "`true` if the signature is valid, `false` otherwise" },
      description: `Verifies if a HS${bits} (secret) JWT signature is valid.`,
      categories: ["tokens"],
      impl: (args) => verifyHS(args, HASHES[bits]!),
    });
  }

  r.register({
    name: "io.jwt.decode_verify",
    args: [
      { name: "jwt", type: string, description: "JWT token whose signature is to be verified and whose claims are to be checked" },
      { name: "constraints", type: objectOf(string, any), description: "claim verification constraints" },
    ],
    result: {
      name: "output",
      type: arrayOf(any),
      description:
        "`[valid, header, payload]`:  if the input token is verified and meets the requirements of `constraints` then " +
        "`valid` is `true`; `header` and `payload` are objects containing the JOSE header and the JWT claim set; " +
        "otherwise, `valid` is `false`, `header` and `payload` are `{}`",
    },
    description:
      "Verifies a JWT signature under parameterized constraints and decodes the claims if it is valid. Supports the " +
      "following algorithms: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512, and EdDSA.",
    categories: ["tokens"],
    nondeterministic: true,
    impl: (args, ctx) => decodeVerify(args, ctx),
  });

  r.register({
    name: "io.jwt.encode_sign_raw",
    args: [
      { name: "headers", type: string, description: "JWS Protected Header" },
      { name: "payload", type: string, description: "JWS Payload" },
      { name: "key", type: string, description: "JSON Web Key (RFC7517)" },
    ],
    result: { name: "output", type: string, description: "signed JWT" },
    description: "Encodes and optionally signs a JSON Web Token.",
    categories: ["tokensign"],
    nondeterministic: true,
    impl: (args) => {
      const key = str(args, 2);
      return encodeSign(str(args, 0), str(args, 1), key);
    },
  });
  r.register({
    name: "io.jwt.encode_sign",
    args: [
      { name: "headers", type: objectOf(string, any), description: "JWS Protected Header" },
      { name: "payload", type: objectOf(string, any), description: "JWS Payload" },
      { name: "key", type: objectOf(string, any), description: "JSON Web Key (RFC7517)" },
    ],
    result: { name: "output", type: string, description: "signed JWT" },
    description:
      "Encodes and optionally signs a JSON Web Token. Inputs are taken as objects, not encoded strings (see `io.jwt.encode_sign_raw`).",
    categories: ["tokensign"],
    nondeterministic: true,
    impl: (args) => encodeSign(goJSON(obj(args, 0)), goJSON(obj(args, 1)), goJSON(obj(args, 2))),
  });
}
