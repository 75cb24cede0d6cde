// Encoding built-ins: base64, base64url, hex, JSON, YAML and URL query encodings, with Go's rules and messages
// (strict padding, "illegal base64 data at input byte 4", "encoding/hex: invalid byte: U+0067 'g'",
// `invalid URL escape "%zz"`). Decoded bytes that are not UTF-8 become U+FFFD, one per byte, as Go prints them.
// URL query encoding and decoding live in url-query.ts.
import { compare, isObject, objectEntries, ObjectBuilder, typeName, type Value } from "../value/value.js";
import { str } from "./args.js";
import { BuiltinError, type BuiltinRegistry } from "./registry.js";
import { marshalJSON, marshalJSONIndent, JSONSyntaxError, quoteJSON, unmarshalJSON, validJSON } from "./gojson.js";
import { unmarshalYAML, YAMLError } from "./goyaml.js";
import { marshalYAML } from "./goyaml-emit.js";
import { goString, operandErr, typeErr, utf8Bytes } from "./operands.js";
import { any, arrayOf, boolean, objectOf, setOf, string, union } from "./types.js";
import { encodeObject, EscapeError, parseQuery, queryEscape, queryUnescape } from "./url-query.js";

// ---------------------------------------------------------------------------------------------------------------
// base64

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);

class CorruptInput extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** Go's base64 Encoding.DecodeString with padding (not strict): \r and \n are skipped anywhere. */
export function base64Decode(src: Uint8Array, map: Int16Array): Uint8Array {
  const out: number[] = [];
  let si = 0;
  const isNL = (c: number | undefined) => c === 0x0a || c === 0x0d;
  while (si < src.length) {
    const buf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let trailing: number | undefined;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        throw new CorruptInput(si - j);
      }
      const c = src[si]!;
      si++;
      const v = map[c]!;
      if (v >= 0) {
        buf[j] = v;
        continue;
      }
      if (isNL(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw new CorruptInput(si - 1);
      // padding
      if (j === 0 || j === 1) throw new CorruptInput(si - 1);
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++;
        if (si === src.length) throw new CorruptInput(src.length);
        if (src[si] !== 0x3d) throw new CorruptInput(si - 1);
        si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (buf[0]! << 18) | (buf[1]! << 12) | (buf[2]! << 6) | buf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!);
    if (trailing !== undefined) throw new CorruptInput(trailing);
    if (dlen < 4) break;
  }
  return Uint8Array.from(out);
}

function base64Encode(s: string, alphabet: "base64" | "base64url", pad: boolean): string {
  let out = Buffer.from(utf8Bytes(s)).toString(alphabet);
  if (pad && alphabet === "base64url") while (out.length % 4 !== 0) out += "=";
  return out;
}

function decodeBase64Builtin(s: string, map: Int16Array): string {
  try {
    return goString(base64Decode(utf8Bytes(s), map));
  } catch (e) {
    if (e instanceof CorruptInput) throw new BuiltinError(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// hex

function unicodeVerb(b: number): string {
  // Go's %#U of rune(b)
  const u = "U+" + b.toString(16).toUpperCase().padStart(4, "0");
  const c = String.fromCharCode(b);
  return isGoPrint(b) ? `${u} '${c}'` : u;
}

function isGoPrint(r: number): boolean {
  if (r < 0x20 || r === 0x7f) return false;
  if (r >= 0x80 && r <= 0x9f) return false;
  if (r === 0xa0 || r === 0xad) return false;
  return true;
}

export function hexDecode(s: string): Uint8Array {
  const src = utf8Bytes(s);
  const val = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);
  const out = new Uint8Array(src.length >> 1);
  let j = 1;
  for (; j < src.length; j += 2) {
    const a = val(src[j - 1]!);
    const b = val(src[j]!);
    if (a < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${unicodeVerb(src[j - 1]!)}`);
    if (b < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${unicodeVerb(src[j]!)}`);
    out[(j - 1) >> 1] = (a << 4) | b;
  }
  if (src.length % 2 === 1) {
    if (val(src[j - 1]!) < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${unicodeVerb(src[j - 1]!)}`);
    throw new BuiltinError("encoding/hex: odd length hex string");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// json.marshal_with_options

function marshalWithOptions(x: Value, opts: Value | undefined): string {
  if (!isObject(opts)) throw typeErr(2, opts, "object");
  let indent = "\t";
  let prefix = "";
  let implicitPretty = false;
  let explicit: boolean | undefined;
  const entries = objectEntries(opts).sort((a, b) => compare(a[0], b[0]));
  entries.forEach(([k, v], idx) => {
    if (typeof k !== "string") {
      throw operandErr(2, `failed to stringify key ${regoText(k)} at index ${idx}: operand ${idx} must be string but got ${typeName(k)}`);
    }
    switch (k) {
      case "prefix":
        if (typeof v !== "string") {
          throw operandErr(2, `key prefix failed cast to string: operand ${idx} must be string but got ${typeName(v)}`);
        }
        prefix = v;
        implicitPretty = true;
        break;
      case "indent":
        if (typeof v !== "string") {
          throw operandErr(2, `key indent failed cast to string: operand ${idx} must be string but got ${typeName(v)}`);
        }
        indent = v;
        implicitPretty = true;
        break;
      case "pretty":
        if (typeof v !== "boolean") throw operandErr(2, "key pretty failed cast to bool");
        explicit = v;
        break;
      default:
        throw operandErr(2, `object contained unknown key ${k}`);
    }
  });
  const pretty = explicit ?? implicitPretty;
  if (!pretty) return marshalJSON(x);
  return prefix + marshalJSONIndent(x, prefix, indent);
}

/** A scalar key as Rego prints it (for the marshal_with_options key error). */
function regoText(v: Value): string {
  return typeof v === "string" ? quoteJSON(v) : marshalJSON(v);
}

// ---------------------------------------------------------------------------------------------------------------

export function register(r: BuiltinRegistry): void {
  const encoding = ["encoding"];
  const stringToString = (name: string, description: string, x: string, y: string, fn: (s: string) => string) =>
    r.register({
      name,
      args: [{ name: "x", type: string, description: x }],
      result: { name: "y", type: string, description: y },
      description,
      categories: encoding,
      impl: (args) => fn(str(args, 0)),
    });
  const validity = (name: string, description: string, x: string, y: string, fn: (s: string) => boolean) =>
    r.register({
      name,
      args: [{ name: "x", type: string, description: x }],
      result: { name: "result", type: boolean, description: y },
      description,
      categories: encoding,
      impl: ([x]) => (typeof x === "string" ? fn(x) : false),
    });

  stringToString("base64.encode", "Serializes the input string into base64 encoding.", "string to encode", "base64 serialization of `x`", (s) =>
    base64Encode(s, "base64", true),
  );
  stringToString("base64.decode", "Deserializes the base64 encoded input string.", "string to decode", "base64 deserialization of `x`", (s) =>
    decodeBase64Builtin(s, STD_MAP),
  );
  validity(
    "base64.is_valid",
    "Verifies the input string is base64 encoded.",
    "string to check",
    "`true` if `x` is valid base64 encoded value, `false` otherwise",
    (s) => {
      try {
        base64Decode(utf8Bytes(s), STD_MAP);
        return true;
      } catch (e) {
        if (e instanceof CorruptInput) return false;
        throw e;
      }
    },
  );
  stringToString("base64url.encode", "Serializes the input string into base64url encoding.", "string to encode", "base64url serialization of `x`", (s) =>
    base64Encode(s, "base64url", true),
  );
  stringToString(
    "base64url.encode_no_pad",
    "Serializes the input string into base64url encoding without padding.",
    "string to encode",
    "base64url serialization of `x`",
    (s) => base64Encode(s, "base64url", false),
  );
  stringToString(
    "base64url.decode",
    "Deserializes the base64url encoded input string.",
    "string to decode",
    "base64url deserialization of `x`",
    (s) => {
      // unpadded input is padded first (RFC 7515, appendix C)
      let t = s;
      if (!t.endsWith("=")) {
        const n = utf8Bytes(t).length % 4;
        if (n === 2) t += "==";
        else if (n === 3) t += "=";
        else if (n === 1) throw new BuiltinError(`illegal base64url string: ${s}`);
      }
      return decodeBase64Builtin(t, URL_MAP);
    },
  );

  stringToString("hex.encode", "Serializes the input string using hex-encoding.", "string to encode", "serialization of `x` using hex-encoding", (s) =>
    Buffer.from(utf8Bytes(s)).toString("hex"),
  );
  stringToString("hex.decode", "Deserializes the hex-encoded input string.", "a hex-encoded string", "deserialized from `x`", (s) =>
    goString(hexDecode(s)),
  );

  r.register({
    name: "json.marshal",
    args: [{ name: "x", type: any, description: "the term to serialize" }],
    result: { name: "y", type: string, description: "the JSON string representation of `x`" },
    description: "Serializes the input term to JSON.",
    categories: encoding,
    impl: ([x]) => marshalJSON(x!),
  });
  r.register({
    name: "json.marshal_with_options",
    args: [
      { name: "x", type: any, description: "the term to serialize" },
      {
        name: "opts",
        type: objectOf(string, any),
        description: "encoding options",
      },
    ],
    result: {
      name: "y",
      type: string,
      description: "the JSON string representation of `x`, with configured prefix/indent string(s) as appropriate",
    },
    description:
      "Serializes the input term JSON, with additional formatting options via the `opts` parameter. `opts` accepts keys `pretty` (enable multi-line/formatted JSON), `prefix` (string to prefix lines with, default empty string) and `indent` (string to indent with, default `\\t`).",
    categories: encoding,
    impl: ([x, opts]) => marshalWithOptions(x!, opts),
  });
  r.register({
    name: "json.unmarshal",
    args: [{ name: "x", type: string, description: "a JSON string" }],
    result: { name: "y", type: any, description: "the term deserialized from `x`" },
    description: "Deserializes the input string.",
    categories: encoding,
    impl: (args) => {
      try {
        return unmarshalJSON(str(args, 0));
      } catch (e) {
        if (e instanceof JSONSyntaxError) throw new BuiltinError(e.message);
        throw e;
      }
    },
  });
  validity(
    "json.is_valid",
    "Verifies the input string is a valid JSON document.",
    "a JSON string",
    "`true` if `x` is valid JSON, `false` otherwise",
    validJSON,
  );

  r.register({
    name: "yaml.marshal",
    args: [{ name: "x", type: any, description: "the term to serialize" }],
    result: { name: "y", type: string, description: "the YAML string representation of `x`" },
    description: "Serializes the input term to YAML.",
    categories: encoding,
    impl: ([x]) => marshalYAML(x!),
  });
  r.register({
    name: "yaml.unmarshal",
    args: [{ name: "x", type: string, description: "a YAML string" }],
    result: { name: "y", type: any, description: "the term deserialized from `x`" },
    description: "Deserializes the input string.",
    categories: encoding,
    impl: (args) => {
      try {
        return unmarshalYAML(str(args, 0));
      } catch (e) {
        if (e instanceof YAMLError) throw new BuiltinError(e.message);
        throw e;
      }
    },
  });
  validity(
    "yaml.is_valid",
    "Verifies the input string is a valid YAML document.",
    "a YAML string",
    "`true` if `x` is valid YAML, `false` otherwise",
    (s) => {
      try {
        unmarshalYAML(s);
        return true;
      } catch (e) {
        if (e instanceof YAMLError) return false;
        throw e;
      }
    },
  );

  stringToString("urlquery.encode", "Encodes the input string into a URL-encoded string.", "the string to encode", "URL-encoding serialization of `x`", queryEscape);
  stringToString("urlquery.decode", "Decodes a URL-encoded input string.", "the URL-encoded string", "URL-encoding deserialization of `x`", (s) => {
    try {
      return queryUnescape(s);
    } catch (e) {
      if (e instanceof EscapeError) throw new BuiltinError(e.message);
      throw e;
    }
  });
  r.register({
    name: "urlquery.encode_object",
    args: [
      {
        name: "object",
        type: objectOf(string, union(string, arrayOf(string), setOf(string))),
        description: "the object to encode",
      },
    ],
    result: { name: "y", type: string, description: "the URL-encoded serialization of `object`" },
    description: "Encodes the given object into a URL encoded query string.",
    categories: encoding,
    impl: ([o]) => encodeObject(o),
  });
  r.register({
    name: "urlquery.decode_object",
    args: [{ name: "x", type: string, description: "the query string" }],
    result: { name: "object", type: objectOf(string, arrayOf(string)), description: "the resulting object" },
    description: "Decodes the given URL query string into an object.",
    categories: encoding,
    impl: (args) => {
      const { values, error } = parseQuery(str(args, 0));
      if (error !== undefined) throw new BuiltinError(error);
      const b = new ObjectBuilder();
      for (const [k, v] of values) b.set(k, v);
      return b.build();
    },
  });
}
