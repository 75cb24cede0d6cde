// JSON Web Tokens: io.jwt.decode, io.jwt.verify_{rs,ps,es,hs}{256,384,512}, io.jwt.verify_eddsa,
// io.jwt.decode_verify, io.jwt.encode_sign_raw and io.jwt.encode_sign.
//
// Verification is synchronous (node:crypto). Keys are given as a PEM certificate, a PEM public key, or a JWK / JWK set
// (JSON text); JWKs are imported with node:crypto's own JWK support. Messages follow OPA's.
import {
  X509Certificate,
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from "node:crypto";
import {
  compareNumbers,
  formatNumber,
  isObject,
  isSet,
  ObjectBuilder,
  objectEntries,
  objectGet,
  parseNumberLiteral,
  sortedEntries,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { obj, str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinContext, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, boolean, objectOf, string } from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// base64url as OPA's base64url.decode: padding added when missing, Go's decoder and its error messages

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const URL_MAP = decodeMap(B64URL);
const STD_MAP = decodeMap(B64STD);

/** Go's base64 (padded) DecodeString: newlines ignored, "illegal base64 data at input byte N" on errors. */
function goBase64Decode(src: Buffer, map: Int16Array): Buffer {
  const out: number[] = [];
  const corrupt = (at: number): BuiltinError => new BuiltinError(`illegal base64 data at input byte ${at}`);
  let si = 0;
  const skipNewlines = (): void => {
    while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
  };
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let end = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw corrupt(si - j);
      }
      const c = src[si++]!;
      const v = map[c]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === 10 || c === 13) {
        j--;
        continue;
      }
      if (c !== 61) throw corrupt(si - 1);
      // padding
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        skipNewlines();
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== 61) throw corrupt(si - 1);
        si++;
      }
      skipNewlines();
      if (si < src.length) throw corrupt(si);
      dlen = j;
      end = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    if (dlen >= 2) out.push((val >> 16) & 0xff);
    if (dlen >= 3) out.push((val >> 8) & 0xff);
    if (dlen >= 4) out.push(val & 0xff);
    if (end) return Buffer.from(out);
  }
}

function base64UrlDecode(s: string): Buffer {
  if (!s.endsWith("=")) {
    switch (Buffer.byteLength(s) % 4) {
      case 0:
        break;
      case 2:
        s += "==";
        break;
      case 3:
        s += "=";
        break;
      default:
        throw new BuiltinError(`illegal base64url string: ${s}`);
    }
  }
  return goBase64Decode(Buffer.from(s, "utf8"), URL_MAP);
}

const base64UrlEncode = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

// ---------------------------------------------------------------------------------------------------------------
// JSON as OPA reads it (numbers exact, Go's error wording)

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return "'" + q.slice(1, -1) + "'";
}

class JSONParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(context: string): never {
    if (this.i >= this.s.length) throw new BuiltinError("unexpected end of JSON input");
    throw new BuiltinError(`invalid character ${quoteChar(String.fromCodePoint(this.s.codePointAt(this.i)!))} ${context}`);
  }

  private ws(): void {
    while (this.i < this.s.length && " \t\n\r".includes(this.s[this.i]!)) this.i++;
  }

  parseDocument(): Value {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail("after top-level value");
    return v;
  }

  private value(): Value {
    const c = this.s[this.i];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        return this.fail("looking for beginning of value");
    }
  }

  private literal(word: string, v: Value): Value {
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    return v;
  }

  private number(): Value {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) {
      this.i += this.s[this.i] === "-" ? 1 : 0;
      return this.fail("in numeric literal");
    }
    this.i += m[0].length;
    return parseNumberLiteral(m[0]);
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) this.fail("");
      const c = this.s.charCodeAt(this.i);
      if (c === 34) break;
      if (c < 0x20) this.fail("in string literal");
      if (c === 92) {
        const e = this.s[this.i + 1];
        if (e === undefined) {
          this.i++;
          this.fail("");
        }
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) {
            this.i += 2;
            while (/[0-9a-fA-F]/.test(this.s[this.i] ?? "")) this.i++;
            this.fail("in \\u hexadecimal character escape");
          }
          this.i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) {
          this.i++;
          this.fail("in string escape code");
        }
        this.i += 2;
        continue;
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private object(): ObjectValue {
    this.i++;
    const b = new ObjectBuilder();
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return b.build();
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("looking for beginning of object key string");
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("after object key");
      this.i++;
      this.ws();
      b.set(k, this.value());
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "}") {
        this.i++;
        return b.build();
      }
      this.fail("after object key:value pair");
    }
  }

  private array(): Value[] {
    this.i++;
    const out: Value[] = [];
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      this.fail("after array element");
    }
  }
}

function parseJSON(text: string): Value {
  return new JSONParser(text).parseDocument();
}

function extractJSONObject(text: string): ObjectValue {
  let v: Value;
  try {
    v = parseJSON(text);
  } catch (e) {
    throw new BuiltinError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(v)) throw new BuiltinError("decoded JSON type was not an Object");
  return v;
}

/** Go's json.Marshal of a value (sorted keys, HTML-safe escapes), as OPA serializes headers and payloads. */
function goJSON(v: Value): string {
  switch (typeof v) {
    case "string": {
      let out = '"';
      for (const ch of v) {
        const c = ch.codePointAt(0)!;
        if (ch === '"' || ch === "\\") out += "\\" + ch;
        else if (ch === "\n") out += "\\n";
        else if (ch === "\r") out += "\\r";
        else if (ch === "\t") out += "\\t";
        else if (ch === "\b") out += "\\b";
        else if (ch === "\f") out += "\\f";
        else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029)
          out += "\\u" + c.toString(16).padStart(4, "0");
        else out += ch;
      }
      return out + '"';
    }
    case "number":
      return formatNumber(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return String(v);
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return "[" + v.map(goJSON).join(",") + "]";
      if (isSet(v)) return "[" + v.sorted().map(goJSON).join(",") + "]";
      return (
        "{" +
        sortedEntries(v)
          .map(([k, x]) => {
            if (typeof k !== "string") throw new BuiltinError("object keys must be strings");
            return goJSON(k) + ":" + goJSON(x);
          })
          .join(",") +
        "}"
      );
  }
}

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
// Keys

const ALGORITHMS = new Set([
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

interface VerificationKey {
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
function keysFromCertOrJWK(text: string): VerificationKey[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Signatures

const HASHES: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };
const EC_SIZES: Record<string, number> = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };

function rsaModulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

function verifyRSA(key: KeyObject | undefined, hash: string, pss: boolean, data: Buffer, sig: Buffer): boolean {
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
function verifyECHalves(key: KeyObject | undefined, hash: string, data: Buffer, sig: Buffer): boolean {
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

function verifyEdDSA(key: KeyObject | undefined, data: Buffer, sig: Buffer): boolean {
  if (key === undefined || key.asymmetricKeyType !== "ed25519") return false;
  try {
    return cryptoVerify(null, data, key, sig);
  } catch {
    return false;
  }
}

function hmacEqual(secret: Buffer, hash: string, data: Buffer, sig: Buffer): boolean {
  const mac = createHmac(hash, secret).update(data).digest();
  return mac.length === sig.length && timingSafeEqual(mac, sig);
}

/** Verification by the token's own algorithm (io.jwt.decode_verify). */
function verifyByAlg(key: VerificationKey | Buffer, alg: string, data: Buffer, sig: Buffer): boolean {
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

function signingKey(jwkText: string): { jwk: Record<string, unknown> } {
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

function signWith(jwk: Record<string, unknown>, alg: string, data: Buffer): Buffer {
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
