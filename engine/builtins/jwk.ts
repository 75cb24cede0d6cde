// JWT verification and signing keys: a PEM certificate, a PEM public key, or a JWK / JWK set (JSON text), imported
// with node:crypto's own JWK support.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { isObject, objectEntries, objectGet, type Value } from "../value/value.js";
import { BuiltinError } from "./registry.js";
import { goBase64Decode, STD_MAP } from "./jwt-base64.js";
import { goJSON, parseJSON } from "./jwt-json.js";

export const ALGORITHMS = new Set([
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "HS256",
  "HS384",
  "HS512",
  "EdDSA",
]);

export interface VerificationKey {
  /** A public key; a private key's (from a private JWK) derived public key is in `derived`. */
  key: KeyObject | undefined;
  derived: KeyObject | undefined;
  /** A symmetric ("oct") JWK's bytes. */
  secret: Buffer | undefined;
  alg: string;
  kid: string;
}

/** Go's pem.Decode, for the first block: its type, DER bytes and the text after it. */
function pemDecode(data: string): { type: string; der: Buffer; rest: string } | undefined {
  const getLine = (s: string): [string, string] => {
    const nl = s.indexOf("\n");
    const line = nl < 0 ? s : s.slice(0, nl);
    return [line.replace(/[ \t\r]+$/, ""), nl < 0 ? "" : s.slice(nl + 1)];
  };
  let rest = data;
  for (;;) {
    if (rest.startsWith("-----BEGIN ")) rest = rest.slice(11);
    else {
      const at = rest.indexOf("\n-----BEGIN ");
      if (at < 0) return undefined;
      rest = rest.slice(at + 12);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith("-----")) continue;
    const type = typeLine.slice(0, -5);
    let headers = 0;
    let noBlock = false;
    for (;;) {
      if (rest === "") {
        noBlock = true;
        break;
      }
      const [line, next] = getLine(rest);
      if (!line.includes(":")) break;
      headers++;
      rest = next;
    }
    if (noBlock) return undefined;
    let endIndex: number;
    let trailerIndex: number;
    if (headers === 0 && rest.startsWith("-----END ")) {
      endIndex = 0;
      trailerIndex = 9;
    } else {
      endIndex = rest.indexOf("\n-----END ");
      trailerIndex = endIndex + 10;
    }
    if (endIndex < 0) continue;
    const trailer = rest.slice(trailerIndex);
    const trailerLen = type.length + 5;
    if (trailer.length < trailerLen) continue;
    if (!trailer.startsWith(type) || trailer.slice(type.length, trailerLen) !== "-----") continue;
    if (getLine(trailer.slice(trailerLen))[0] !== "") continue;
    let der: Buffer;
    try {
      der = goBase64Decode(Buffer.from(rest.slice(0, endIndex).replace(/[ \t]/g, ""), "latin1"), STD_MAP);
    } catch {
      continue;
    }
    const after = getLine(rest.slice(endIndex + 9))[1];
    return { type, der, rest: after };
  }
}

function jwkKey(jwk: Value): VerificationKey {
  if (!isObject(jwk)) throw new Error("invalid JWK");
  const j = Object.fromEntries(objectEntries(jwk).map(([k, v]) => [String(k), v])) as Record<string, Value>;
  const alg = typeof j["alg"] === "string" ? j["alg"] : "";
  const kid = typeof j["kid"] === "string" ? j["kid"] : "";
  if (j["kty"] === "oct") {
    if (typeof j["k"] !== "string") throw new Error(`required field "k" is missing`);
    return { key: undefined, derived: undefined, secret: Buffer.from(j["k"], "base64url"), alg, kid };
  }
  const plain = JSON.parse(goJSON(jwk)) as import("node:crypto").JsonWebKey;
  if (j["d"] !== undefined) {
    const priv = createPrivateKey({ key: plain, format: "jwk" });
    return { key: undefined, derived: createPublicKey(priv), secret: undefined, alg, kid };
  }
  return { key: createPublicKey({ key: plain, format: "jwk" }), derived: undefined, secret: undefined, alg, kid };
}

/** The keys in a PEM certificate, a PEM public key, or a JWK / JWK set. */
export function keysFromCertOrJWK(text: string): VerificationKey[] {
  const block = pemDecode(text);
  if (block !== undefined) {
    if (block.rest.length > 0) throw new BuiltinError("extra data after a PEM certificate block");
    if (block.type === "CERTIFICATE") {
      try {
        return [{ key: new X509Certificate(block.der).publicKey, derived: undefined, secret: undefined, alg: "", kid: "" }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === "PUBLIC KEY") {
      try {
        const key = createPublicKey({ key: block.der, format: "der", type: "spki" });
        return [{ key, derived: undefined, secret: undefined, alg: "", kid: "" }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw new BuiltinError("failed to extract a Key from the PEM certificate");
  }
  try {
    const doc = parseJSON(text);
    if (!isObject(doc)) throw new Error("invalid JWK set");
    const set = objectGet(doc, "keys");
    const jwks = set === undefined ? [doc] : Array.isArray(set) ? set : undefined;
    if (jwks === undefined) throw new Error(`failed to parse "keys"`);
    const keys: VerificationKey[] = [];
    for (const jwk of jwks) {
      const key = jwkKey(jwk);
      // keys for algorithms OPA does not know are skipped
      if (key.alg !== "" && !ALGORITHMS.has(key.alg)) continue;
      keys.push(key);
    }
    return keys;
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
}

/** The signing key of io.jwt.encode_sign: a JWK, or a JWK set's first key. */
export function signingKey(jwkText: string): { jwk: Record<string, unknown> } {
  let doc: Value;
  try {
    doc = parseJSON(jwkText);
  } catch (e) {
    throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new BuiltinError("failed to parse JWK: invalid JWK");
  const set = objectGet(doc, "keys");
  if (set !== undefined) {
    if (!Array.isArray(set)) throw new BuiltinError(`failed to parse JWK: failed to parse "keys"`);
    if (set.length === 0) throw new BuiltinError("no keys found in JWK set");
    const first = set[0]!;
    if (!isObject(first)) throw new BuiltinError("failed to parse JWK: invalid JWK");
    return { jwk: JSON.parse(goJSON(first)) as Record<string, unknown> };
  }
  return { jwk: JSON.parse(goJSON(doc)) as Record<string, unknown> };
}
