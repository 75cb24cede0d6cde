// JWS signatures with node:crypto: verification (RSA PKCS#1 and PSS, ECDSA, EdDSA, HMAC) as OPA checks them, and
// signing for io.jwt.encode_sign.
import {
  constants,
  createHmac,
  createPrivateKey,
  createSecretKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from "node:crypto";
import { BuiltinError } from "./registry.js";
import { ALGORITHMS, type VerificationKey } from "./jwk.js";

export const HASHES: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };
const EC_SIZES: Record<string, number> = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };

function rsaModulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

export function verifyRSA(key: KeyObject | undefined, hash: string, pss: boolean, data: Buffer, sig: Buffer): boolean {
  if (key === undefined || (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss")) return false;
  if (sig.length !== rsaModulusBytes(key)) return false;
  try {
    return cryptoVerify(
      hash,
      data,
      pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
        : { key, padding: constants.RSA_PKCS1_PADDING },
      sig,
    );
  } catch {
    return false;
  }
}

/** DER encoding of an unsigned big-endian integer. */
function derInteger(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if (v.length === 0) v = Buffer.from([0]);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** ECDSA with the signature split in halves as r and s (whatever its length), as Go's ecdsa.Verify is used. */
export function verifyECHalves(key: KeyObject | undefined, hash: string, data: Buffer, sig: Buffer): boolean {
  if (key === undefined || key.asymmetricKeyType !== "ec") return false;
  const n = Math.floor(sig.length / 2);
  const body = Buffer.concat([derInteger(sig.subarray(0, n)), derInteger(sig.subarray(n))]);
  const der = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  try {
    return cryptoVerify(hash, data, { key, dsaEncoding: "der" }, der);
  } catch {
    return false;
  }
}

/** ECDSA with a JWS signature: exactly r || s of the curve's size. */
function verifyECStrict(key: KeyObject | undefined, hash: string, data: Buffer, sig: Buffer): boolean {
  if (key === undefined || key.asymmetricKeyType !== "ec") return false;
  const size = EC_SIZES[key.asymmetricKeyDetails?.namedCurve ?? ""];
  if (size === undefined || sig.length !== 2 * size) return false;
  try {
    return cryptoVerify(hash, data, { key, dsaEncoding: "ieee-p1363" }, sig);
  } catch {
    return false;
  }
}

export function verifyEdDSA(key: KeyObject | undefined, data: Buffer, sig: Buffer): boolean {
  if (key === undefined || key.asymmetricKeyType !== "ed25519") return false;
  try {
    return cryptoVerify(null, data, key, sig);
  } catch {
    return false;
  }
}

export function hmacEqual(secret: Buffer, hash: string, data: Buffer, sig: Buffer): boolean {
  const mac = createHmac(hash, secret).update(data).digest();
  return mac.length === sig.length && timingSafeEqual(mac, sig);
}

/** Verification by the token's own algorithm (io.jwt.decode_verify). */
export function verifyByAlg(key: VerificationKey | Buffer, alg: string, data: Buffer, sig: Buffer): boolean {
  if (!ALGORITHMS.has(alg)) return false;
  const hash = HASHES[alg.slice(2)] ?? "";
  const family = alg.slice(0, 2);
  if (Buffer.isBuffer(key)) return family === "HS" && hmacEqual(key, hash, data, sig);
  const pub = key.key ?? key.derived;
  switch (family) {
    case "HS":
      return key.secret !== undefined && hmacEqual(key.secret, hash, data, sig);
    case "RS":
      return verifyRSA(pub, hash, false, data, sig);
    case "PS":
      return verifyRSA(pub, hash, true, data, sig);
    case "ES":
      return verifyECStrict(pub, hash, data, sig);
    default:
      return verifyEdDSA(pub, data, sig);
  }
}

/** Signs `data` with a JWK for `alg` (io.jwt.encode_sign). */
export function signWith(jwk: Record<string, unknown>, alg: string, data: Buffer): Buffer {
  const hash = HASHES[alg.slice(2)] ?? "";
  const family = alg.slice(0, 2);
  const fail = (why: string): BuiltinError => new BuiltinError(`failed to sign payload: ${why}`);
  if (family === "HS") {
    if (jwk["kty"] !== "oct" || typeof jwk["k"] !== "string") throw fail(`invalid key type for algorithm ${alg}`);
    return createHmac(hash, createSecretKey(Buffer.from(jwk["k"], "base64url"))).update(data).digest();
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
  } catch (e) {
    throw fail((e as Error).message);
  }
  const type = key.asymmetricKeyType;
  switch (family) {
    case "RS":
    case "PS":
      if (type !== "rsa") throw fail(`invalid key type for algorithm ${alg}`);
      return cryptoSign(
        hash,
        data,
        family === "PS"
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
          : { key, padding: constants.RSA_PKCS1_PADDING },
      );
    case "ES":
      if (type !== "ec") throw fail(`invalid key type for algorithm ${alg}`);
      return cryptoSign(hash, data, { key, dsaEncoding: "ieee-p1363" });
    default:
      if (type !== "ed25519") throw fail(`invalid key type for algorithm ${alg}`);
      return cryptoSign(null, data, key);
  }
}
