// JSON as OPA's JWT code reads it (json.Unmarshal: numbers exact, Go's error wording) and writes it (json.Marshal).
//
// Not gojson.ts, which is not a drop-in replacement: its reader is OPA's util.UnmarshalJSON (a streaming decoder)
// with other messages ("unexpected EOF" for "unexpected end of JSON input", none "after top-level value") and turns
// lone \ud800 escapes into U+FFFD; its writer renders -0, lone surrogates and non-string keys differently. Using it
// would change io.jwt.* results and error messages.
import {
  formatNumber,
  isObject,
  isSet,
  ObjectBuilder,
  parseNumberLiteral,
  sortedEntries,
  type ObjectValue,
  type Value,
} from "../value/value.js";
import { BuiltinError } from "./registry.js";

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

export function parseJSON(text: string): Value {
  return new JSONParser(text).parseDocument();
}

export function extractJSONObject(text: string): ObjectValue {
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
export function goJSON(v: Value): string {
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
