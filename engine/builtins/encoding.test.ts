import { describe, expect, it } from "vitest";
import { MapObject, type Value } from "../value/value.js";
import { register } from "./encoding.js";
import { goFormatFloat, resolvePlain, yamlKeyLess } from "./goyaml.js";
import { family, S } from "./test/helpers.js";

const { call, failure } = family(register);

describe("base64", () => {
  it("encodes and decodes UTF-8", () => {
    expect(call("base64.encode", "hello")).toBe("aGVsbG8=");
    expect(call("base64.encode", "")).toBe("");
    expect(call("base64.encode", "héllo 😀")).toBe("aMOpbGxvIPCfmIA=");
    expect(call("base64.decode", "aGVsbG8=")).toBe("hello");
    expect(call("base64.decode", "aMOpbGxvIPCfmIA=")).toBe("héllo 😀");
    expect(call("base64.decode", "aGVs\nbG8=\r\n")).toBe("hello");
    expect(call("base64.decode", "")).toBe("");
  });
  it("decodes bytes that are not UTF-8 to U+FFFD, one per byte", () => {
    expect(call("base64.decode", "gIGC")).toBe("\ufffd\ufffd\ufffd");
  });
  it("fails as Go's decoder does", () => {
    expect(failure("base64.decode", "aGVsbG8")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 4"]);
    expect(failure("base64.decode", "aGVs!G8=")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 4"]);
    expect(failure("base64.decode", "aGVsbG8=x")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 8"]);
    expect(failure("base64.decode", "a===")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 1"]);
    expect(failure("base64.decode", "aG-s")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 2"]);
    expect(failure("base64.decode", 1)).toEqual(["eval_type_error", "operand 1 must be string but got number"]);
  });
  it("is_valid is false (never an error) for anything else", () => {
    expect(call("base64.is_valid", "aGVsbG8=")).toBe(true);
    expect(call("base64.is_valid", "aGVsbG8")).toBe(false);
    expect(call("base64.is_valid", "")).toBe(true);
    expect(call("base64.is_valid", 1)).toBe(false);
  });
  it("base64url pads when asked and decodes unpadded input", () => {
    expect(call("base64url.encode", "hello?>")).toBe("aGVsbG8_Pg==");
    expect(call("base64url.encode_no_pad", "hello?>")).toBe("aGVsbG8_Pg");
    expect(call("base64url.decode", "aGVsbG8_Pg")).toBe("hello?>");
    expect(call("base64url.decode", "aGVsbG8_Pg==")).toBe("hello?>");
    expect(failure("base64url.decode", "aGVsb")).toEqual(["eval_builtin_error", "illegal base64url string: aGVsb"]);
    expect(failure("base64url.decode", "aGVsbG8/Pg==")).toEqual(["eval_builtin_error", "illegal base64 data at input byte 7"]);
  });
});

describe("hex", () => {
  it("encodes and decodes", () => {
    expect(call("hex.encode", "hi")).toBe("6869");
    expect(call("hex.encode", "é")).toBe("c3a9");
    expect(call("hex.decode", "6869")).toBe("hi");
    expect(call("hex.decode", "C3A9")).toBe("é");
    expect(call("hex.decode", "")).toBe("");
  });
  it("fails as Go's encoding/hex does", () => {
    expect(failure("hex.decode", "fghijkl")).toEqual(["eval_builtin_error", "encoding/hex: invalid byte: U+0067 'g'"]);
    expect(failure("hex.decode", "686")).toEqual(["eval_builtin_error", "encoding/hex: odd length hex string"]);
    expect(failure("hex.decode", "68\n")).toEqual(["eval_builtin_error", "encoding/hex: invalid byte: U+000A"]);
  });
});

describe("json.marshal", () => {
  it("prints as OPA: sorted keys, sets as arrays, exact numbers", () => {
    expect(call("json.marshal", [{ foo: S(1, 2, 3) }])).toBe('[{"foo":[1,2,3]}]');
    expect(call("json.marshal", { b: 1, a: [true, null, 2.5] })).toBe('{"a":[true,null,2.5],"b":1}');
    expect(call("json.marshal", 123456789012345678901234567890n)).toBe("123456789012345678901234567890");
    expect(call("json.marshal", new MapObject([[1, "x"], ["a", [2]]]))).toBe('{"1":"x","a":[2]}');
    expect(call("json.marshal", "")).toBe('""');
  });
  it("escapes strings as Go does (HTML-safe)", () => {
    expect(call("json.marshal", "<a href='x'>&</a>")).toBe('"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e"');
    expect(call("json.marshal", "tab\there\nnew\u0001 \u2028 é 😀 \"q\" \\")).toBe(
      '"tab\\there\\nnew\\u0001 \\u2028 é 😀 \\"q\\" \\\\"',
    );
  });
  it("marshal_with_options pretty-prints as Go's MarshalIndent", () => {
    expect(call("json.marshal_with_options", { a: [1, 2], b: {} }, { pretty: true })).toBe('{\n\t"a": [\n\t\t1,\n\t\t2\n\t],\n\t"b": {}\n}');
    expect(call("json.marshal_with_options", { a: [1] }, { indent: "  ", prefix: "> " })).toBe('> {\n>   "a": [\n>     1\n>   ]\n> }');
    expect(call("json.marshal_with_options", { a: [] }, { indent: "  ", pretty: false })).toBe('{"a":[]}');
    expect(call("json.marshal_with_options", [1], {})).toBe("[1]");
  });
  it("marshal_with_options checks its options", () => {
    expect(failure("json.marshal_with_options", 1, { pretty: 1 })).toEqual(["eval_type_error", "operand 2 key pretty failed cast to bool"]);
    expect(failure("json.marshal_with_options", 1, { colour: "red" })).toEqual(["eval_type_error", "operand 2 object contained unknown key colour"]);
    expect(failure("json.marshal_with_options", 1, { indent: 2 })).toEqual([
      "eval_type_error",
      "operand 2 key indent failed cast to string: operand 0 must be string but got number",
    ]);
  });
});

describe("json.unmarshal and json.is_valid", () => {
  it("reads JSON with exact big integers", () => {
    expect(call("json.unmarshal", '{"a": [1, 2.5, "x\\u00e9\\ud83d\\ude00"], "b": null}')).toEqual({ a: [1, 2.5, "xé😀"], b: null });
    expect(call("json.unmarshal", "123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(call("json.unmarshal", ' "s" ')).toBe("s");
    expect(call("json.unmarshal", '{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(call("json.unmarshal", '"\\ud800"')).toBe("\ufffd");
  });
  it("fails with Go's messages", () => {
    expect(failure("json.unmarshal", "{")).toEqual(["eval_builtin_error", "unexpected EOF"]);
    expect(failure("json.unmarshal", "")).toEqual(["eval_builtin_error", "EOF"]);
    expect(failure("json.unmarshal", "plainstring")).toEqual(["eval_builtin_error", "invalid character 'p' looking for beginning of value"]);
    expect(failure("json.unmarshal", "[1,]")).toEqual(["eval_builtin_error", "invalid character ']' looking for beginning of value"]);
    expect(failure("json.unmarshal", '{"a" 1}')).toEqual(["eval_builtin_error", "invalid character '1' after object key"]);
    expect(failure("json.unmarshal", '{"a":1 "b":2}')).toEqual(["eval_builtin_error", "invalid character '\"' after object key:value pair"]);
    expect(failure("json.unmarshal", "[1 2]")).toEqual(["eval_builtin_error", "invalid character '2' after array element"]);
    expect(failure("json.unmarshal", "{1:2}")).toEqual(["eval_builtin_error", "invalid character '1' looking for beginning of object key string"]);
    expect(failure("json.unmarshal", "trux")).toEqual(["eval_builtin_error", "invalid character 'x' in literal true (expecting 'e')"]);
    expect(failure("json.unmarshal", '"a\nb"')).toEqual(["eval_builtin_error", "invalid character '\\n' in string literal"]);
    expect(failure("json.unmarshal", "-x")).toEqual(["eval_builtin_error", "invalid character 'x' in numeric literal"]);
    expect(failure("json.unmarshal", "{} x")).toEqual(["eval_builtin_error", "invalid character 'x' looking for beginning of value"]);
  });
  it("is_valid", () => {
    expect(call("json.is_valid", "plainstring")).toBe(false);
    expect(call("json.is_valid", "{")).toBe(false);
    expect(call("json.is_valid", '{"json": "ok"}')).toBe(true);
    expect(call("json.is_valid", " [1, 2.5e3, -0, true, null] ")).toBe(true);
    expect(call("json.is_valid", "1 2")).toBe(false);
    expect(call("json.is_valid", "01")).toBe(false);
    expect(call("json.is_valid", "")).toBe(false);
    expect(call("json.is_valid", 1)).toBe(false);
  });
});

describe("yaml", () => {
  it("marshals as go-yaml v2 writes JSON data", () => {
    expect(call("yaml.marshal", { v: "hi" })).toBe("v: hi\n");
    expect(call("yaml.marshal", { v: "true" })).toBe('v: "true"\n');
    expect(call("yaml.marshal", { v: "10" })).toBe('v: "10"\n');
    expect(call("yaml.marshal", { v: 0.1, w: -10, x: null, y: "", z: true })).toBe('v: 0.1\nw: -10\nx: null\n"y": ""\nz: true\n');
    expect(call("yaml.marshal", { v: ["A", "B\nC"] })).toBe("v:\n- A\n- |-\n  B\n  C\n");
    expect(call("yaml.marshal", { v: ["A", 1, { B: [2, 3] }] })).toBe("v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n");
    expect(call("yaml.marshal", { a: { b: "c" } })).toBe("a:\n  b: c\n");
    expect(call("yaml.marshal", { a: "-" })).toBe("a: '-'\n");
    expect(call("yaml.marshal", { a: "1:1" })).toBe('a: "1:1"\n');
    expect(call("yaml.marshal", { a: "\u0000" })).toBe('a: "\\0"\n');
    expect(call("yaml.marshal", { a: "你好" })).toBe("a: 你好\n");
    expect(call("yaml.marshal", { a: "2015-02-24T18:19:39Z" })).toBe('a: "2015-02-24T18:19:39Z"\n');
    expect(call("yaml.marshal", { a: "b: c" })).toBe("a: 'b: c'\n");
    expect(call("yaml.marshal", { a: "Hello #comment" })).toBe("a: 'Hello #comment'\n");
    expect(call("yaml.marshal", { a: "<foo>" })).toBe("a: <foo>\n");
    expect(call("yaml.marshal", { a: [], b: {}, c: [[1, 2], [3]] })).toBe("a: []\nb: {}\nc:\n- - 1\n  - 2\n- - 3\n");
    expect(call("yaml.marshal", [{ foo: S(1, 2, 3) }])).toBe("- foo:\n  - 1\n  - 2\n  - 3\n");
    expect(call("yaml.marshal", "x")).toBe("x\n");
    expect(call("yaml.marshal", null)).toBe("null\n");
    expect(call("yaml.marshal", {})).toBe("{}\n");
    expect(call("yaml.marshal", { a: "text\n" })).toBe("a: |\n  text\n");
    expect(call("yaml.marshal", { a: "text\n\n" })).toBe("a: |+\n  text\n\n");
    expect(call("yaml.marshal", { a: " lead\nx" })).toBe("a: |2-\n   lead\n  x\n");
    expect(call("yaml.marshal", { f: 1234567.5, m: 1e21, b: 123456789012345678901234567890n })).toBe(
      "b: 1.2345678901234568e+29\nf: 1.2345675e+06\nm: 1e+21\n",
    );
    // YAML 1.1 reads n, y, on, off as booleans: go-yaml quotes such strings, keys included
    expect(call("yaml.marshal", { n: "on", k: "off" })).toBe('k: "off"\n"n": "on"\n');
  });
  it("folds long lines past column 80", () => {
    const v = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ";
    expect(call("yaml.marshal", { a: v })).toBe(
      "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
    );
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(" ");
    const out = call("yaml.marshal", { a: words }) as string;
    expect(out.split("\n")[1]!.startsWith("  word")).toBe(true);
    expect(call("yaml.unmarshal", out)).toEqual({ a: words });
  });
  it("orders keys as go-yaml does (numbers inside keys compare as numbers)", () => {
    const order = ["", ".1", ".2", ".a", "1", "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11", "a/0012", "a/100", "a~10", "ab/1", "b/1", "b/01", "b/2", "b/02", "b/3", "b/03", "b1", "b01", "b3", "c2.10", "c10.2", "d1", "d7", "d7abc", "d12", "d12a"];
    const sorted = [...order].reverse().sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    expect(sorted).toEqual(order);
  });
  it("unmarshals with YAML 1.1's scalars, as go-yaml v2 resolves them", () => {
    expect(call("yaml.unmarshal", "a: yes\nb: 0x1F\nc: 017\nd: 2001-12-14\ne: 1_000\nf: [1, 2.5]\ng: ~\nh: 'yes'\ni: off\nj: 1e3\n")).toEqual({
      a: true,
      b: 31,
      c: 15,
      d: "2001-12-14",
      e: 1000,
      f: [1, 2.5],
      g: null,
      h: "yes",
      i: false,
      j: 1000,
    });
    expect(call("yaml.unmarshal", "k: 123456789012345678901234567890\n")).toEqual({ k: 1.2345678901234568e29 });
    expect(call("yaml.unmarshal", "k: 18446744073709551615\n")).toEqual({ k: 18446744073709551615n });
    expect(call("yaml.unmarshal", "n: 1\n1: 2\n")).toEqual({ false: 1, "1": 2 });
    expect(call("yaml.unmarshal", "base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n")).toEqual({ base: { x: 1 }, derived: { x: 1, z: 2 } });
    expect(call("yaml.unmarshal", "a: 1\na: 2\n")).toEqual({ a: 2 });
    expect(call("yaml.unmarshal", "")).toBe(null);
    expect(call("yaml.unmarshal", "a: 1\n---\nb: 2\n")).toEqual({ a: 1 });
  });
  it("round-trips", () => {
    const v: Value = { foo: [1, 2, 3], bar: { "true": "yes", s: "a: b", n: null, "": [""] }, big: 18446744073709551615n };
    expect(call("yaml.unmarshal", call("yaml.marshal", v)!)).toEqual(v);
  });
  it("fails on bad documents", () => {
    const [code, message] = failure("yaml.unmarshal", "foo:\n  - qux: bar\n  - baz: {");
    expect(code).toBe("eval_builtin_error");
    expect(message).toMatch(/^error converting YAML to JSON: yaml: line \d+: /);
    expect(failure("yaml.unmarshal", "a: .inf")).toEqual(["eval_builtin_error", "error converting YAML to JSON: json: unsupported value: +Inf"]);
  });
  it("is_valid (OPA's cases)", () => {
    expect(call("yaml.is_valid", "foo:\n  - qux: bar\n  - baz: 2")).toBe(true);
    expect(call("yaml.is_valid", "foo:\n  - qux: bar\n  - baz: {")).toBe(false);
    expect(call("yaml.is_valid", '{"json": "ok"}')).toBe(true);
    expect(call("yaml.is_valid", "  test:\ntest1: hello\n")).toBe(false);
    expect(call("yaml.is_valid", "a: 1\n---\n\tb: 2\n")).toBe(false);
    expect(call("yaml.is_valid", "a: 1\n---\nb: 2\n")).toBe(true);
    expect(call("yaml.is_valid", 1)).toBe(false);
  });
  it("resolves plain scalars and formats floats as Go", () => {
    expect(resolvePlain("Yes")).toEqual({ tag: "bool", value: true });
    expect(resolvePlain("09")).toEqual({ tag: "float", value: 9 });
    expect(resolvePlain("-0b101")).toEqual({ tag: "int", value: -5n });
    expect(resolvePlain(".5")).toEqual({ tag: "float", value: 0.5 });
    expect(resolvePlain("hello")).toEqual({ tag: "str" });
    expect(resolvePlain("2001-13-01")).toEqual({ tag: "str" });
    expect(goFormatFloat(0.00001)).toBe("1e-05");
    expect(goFormatFloat(0.0001)).toBe("0.0001");
    expect(goFormatFloat(100000.5)).toBe("100000.5");
    expect(goFormatFloat(-2.5e-300)).toBe("-2.5e-300");
  });
});

describe("urlquery", () => {
  it("encodes as Go's url.QueryEscape", () => {
    expect(call("urlquery.encode", "a b&c=d/é~*'()!")).toBe("a+b%26c%3Dd%2F%C3%A9~%2A%27%28%29%21");
    expect(call("urlquery.encode", "")).toBe("");
  });
  it("decodes, with Go's error", () => {
    expect(call("urlquery.decode", "a+b%26c%3Dd%2F%C3%A9")).toBe("a b&c=d/é");
    expect(call("urlquery.decode", "%ff")).toBe("\ufffd");
    expect(failure("urlquery.decode", "%zz")).toEqual(["eval_builtin_error", 'invalid URL escape "%zz"']);
    expect(failure("urlquery.decode", "abc%")).toEqual(["eval_builtin_error", 'invalid URL escape "%"']);
    expect(failure("urlquery.decode", "%4")).toEqual(["eval_builtin_error", 'invalid URL escape "%4"']);
  });
  it("encode_object sorts keys and repeats keys for arrays and sets", () => {
    expect(call("urlquery.encode_object", { a: ["b+1", "c+2"] })).toBe("a=b%2B1&a=c%2B2");
    expect(call("urlquery.encode_object", { z: "1", a: S("y", "x"), e: [] })).toBe("a=x&a=y&z=1");
    expect(call("urlquery.encode_object", {})).toBe("");
    expect(failure("urlquery.encode_object", { a: 1 })).toEqual(["eval_type_error", "operand 1 values must be string, array[string], or set[string]"]);
    expect(failure("urlquery.encode_object", { a: [1] })).toEqual(["eval_type_error", "operand 1 values must be string, array[string], or set[string]"]);
    expect(failure("urlquery.encode_object", "a=b")).toEqual(["eval_type_error", "operand 1 must be object but got string"]);
  });
  it("decode_object collects every value of a key", () => {
    expect(call("urlquery.decode_object", "a=value_a1&b=value_b&a=value_a2")).toEqual({ a: ["value_a1", "value_a2"], b: ["value_b"] });
    expect(call("urlquery.decode_object", "a=value_a1&b")).toEqual({ a: ["value_a1"], b: [""] });
    expect(call("urlquery.decode_object", "")).toEqual({});
    expect(call("urlquery.decode_object", "&&x=1+2&")).toEqual({ x: ["1 2"] });
    expect(failure("urlquery.decode_object", "a=1;b=2")).toEqual(["eval_builtin_error", "invalid semicolon separator in query"]);
    expect(failure("urlquery.decode_object", "a=%zz")).toEqual(["eval_builtin_error", 'invalid URL escape "%zz"']);
  });
});
