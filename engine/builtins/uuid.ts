// uuid.rfc4122 (random version 4 UUIDs, the same for the same argument within a query) and uuid.parse.
import { randomBytes } from "node:crypto";
import { keyOf, normalizeBig, type PlainObject, type Value } from "../value/value.js";
import { str } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { any, objectOf, string } from "./types.js";

/** A version 4 UUID from 16 random bytes. */
export function uuid4(bytes: Uint8Array = randomBytes(16)): string {
  const b = Uint8Array.from(bytes);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hexByte(s: Buffer, i: number): number | undefined {
  const t = s.subarray(i, i + 2).toString("latin1");
  return /^[0-9a-fA-F]{2}$/.test(t) ? parseInt(t, 16) : undefined;
}

/**
 * The 16 bytes of a UUID in one of the forms OPA accepts: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", with an
 * "urn:uuid:" prefix, wrapped in one character each side ("{...}"), or 32 hex digits without dashes.
 */
export function parseUUIDBytes(text: string): Uint8Array | undefined {
  let s = Buffer.from(text, "utf8");
  const out = new Uint8Array(16);
  switch (s.length) {
    case 36:
      break;
    case 36 + 9:
      if (s.subarray(0, 9).toString("latin1").toLowerCase() !== "urn:uuid:") return undefined;
      s = s.subarray(9);
      break;
    case 36 + 2:
      s = s.subarray(1);
      break;
    case 32:
      for (let i = 0; i < 16; i++) {
        const v = hexByte(s, i * 2);
        if (v === undefined) return undefined;
        out[i] = v;
      }
      return out;
    default:
      return undefined;
  }
  const dash = 0x2d;
  if (s[8] !== dash || s[13] !== dash || s[18] !== dash || s[23] !== dash) return undefined;
  const offsets = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
  for (let i = 0; i < 16; i++) {
    const v = hexByte(s, offsets[i]!);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return "RFC4122";
  if ((b & 0xe0) === 0xc0) return "Microsoft";
  if ((b & 0xe0) === 0xe0) return "Future";
  return "Reserved";
}

function macVariables(first: number): string {
  if ((first & 0b11) === 0b11) return "local:multicast";
  if ((first & 0b01) === 0b01) return "global:multicast";
  if ((first & 0b10) === 0b10) return "local:unicast";
  return "global:unicast";
}

const DOMAINS = ["Person", "Group", "Org"];
/** 100-ns intervals between 1582-10-15 (the Gregorian epoch of UUID timestamps) and 1970-01-01. */
const GREGORIAN_OFFSET = 122192928000000000n;

/** The fields OPA reports for a UUID: version and variant; time, node and clock sequence for versions 1 and 2. */
export function describeUUID(b: Uint8Array): PlainObject {
  const version = b[6]! >> 4;
  const out: PlainObject = { version, variant: variant(b[8]!) };
  if (version === 1 || version === 2) {
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const ticks =
      BigInt(dv.getUint32(0)) | (BigInt(dv.getUint16(4)) << 32n) | (BigInt(dv.getUint16(6) & 0x0fff) << 48n);
    // nanoseconds since the Unix epoch, wrapping at 64 bits as OPA's int64 arithmetic does
    out["time"] = normalizeBig(BigInt.asIntN(64, (ticks - GREGORIAN_OFFSET) * 100n));
    out["nodeid"] = [...b.subarray(10, 16)].map((x) => x.toString(16).padStart(2, "0")).join("-");
    out["macvariables"] = macVariables(b[10]!);
    out["clocksequence"] = dv.getUint16(8) & 0x3fff;
    if (version === 2) {
      out["id"] = dv.getUint32(0);
      out["domain"] = DOMAINS[b[9]!] ?? `Domain${b[9]}`;
    }
  }
  return out;
}

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "uuid.rfc4122",
    args: [{ name: "k", type: string, description: "seed string" }],
    result: {
      name: "output",
      type: string,
      description: "a version 4 UUID; for any given `k`, the output will be consistent throughout a query evaluation",
    },
    description: "Returns a new UUIDv4.",
    categories: ["uuid"],
    nondeterministic: true,
    impl: (args, ctx): Value => {
      const key = "uuid.rfc4122:" + keyOf(args[0]!);
      const cached = ctx.cache.get(key);
      if (typeof cached === "string") return cached;
      const id = uuid4();
      ctx.cache.set(key, id);
      return id;
    },
  });
  r.register({
    name: "uuid.parse",
    args: [{ name: "uuid", type: string, description: "UUID string to parse" }],
    result: {
      name: "result",
      type: objectOf(string, any),
      description: "Properties of UUID if valid (version, variant, etc). Undefined otherwise.",
    },
    description:
      "Parses the string value as an UUID and returns an object with the well-defined fields of the UUID if valid.",
    categories: ["uuid"],
    impl: (args): Value | undefined => {
      const bytes = parseUUIDBytes(str(args, 0));
      return bytes === undefined ? undefined : describeUUID(bytes);
    },
  });
}
