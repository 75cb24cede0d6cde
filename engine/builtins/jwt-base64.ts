// base64url as OPA's base64url.decode reads JWT sections (padding added when missing), on Go's base64 decoder with
// its error messages; the standard alphabet's map is for PEM bodies.
import { BuiltinError } from "./registry.js";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const URL_MAP = decodeMap(B64URL);
export const STD_MAP = decodeMap(B64STD);

/** Go's base64 (padded) DecodeString: newlines ignored, "illegal base64 data at input byte N" on errors. */
export function goBase64Decode(src: Buffer, map: Int16Array): Buffer {
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

export function base64UrlDecode(s: string): Buffer {
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

export const base64UrlEncode = (b: Buffer | string): string => Buffer.from(b).toString("base64url");
