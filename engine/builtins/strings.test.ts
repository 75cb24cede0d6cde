import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goSprintfValues } from "./go-fmt.js";
import { MapObject, SetValue, type Value } from "../value/value.js";
import { formatFloat, register, regoText, sprintf } from "./strings.js";
import { family } from "./test/helpers.js";

const { registry, call, failure } = family(register);
const callError = (name: string, ...args: Value[]) => {
  const [code, message] = failure(name, ...args);
  return { message, code };
};

describe("declarations", () => {
  it("declares the family with types, descriptions and categories", () => {
    const names = registry.all().map((d) => d.name);
    expect(names).toEqual(
      [
        "concat",
        "contains",
        "endswith",
        "format_int",
        "indexof",
        "indexof_n",
        "lower",
        "replace",
        "split",
        "sprintf",
        "startswith",
        "strings.any_prefix_match",
        "strings.any_suffix_match",
        "strings.count",
        "strings.render_template",
        "strings.replace_n",
        "strings.reverse",
        "substring",
        "trim",
        "trim_left",
        "trim_prefix",
        "trim_right",
        "trim_space",
        "trim_suffix",
        "upper",
      ].sort(),
    );
    for (const d of registry.all()) {
      expect(d.description.length).toBeGreaterThan(0);
      expect(d.categories).toEqual(["strings"]);
    }
  });
});

describe("concat", () => {
  it("joins arrays and sets (sets in sorted order)", () => {
    expect(call("concat", "/", ["", "foo", "bar", "0", "baz"])).toBe("/foo/bar/0/baz");
    expect(call("concat", ",", new SetValue(["b", "a", "c"]))).toBe("a,b,c");
    expect(call("concat", ",", [])).toBe("");
    expect(call("concat", ",", ["x"])).toBe("x");
  });
  it("reports wrong elements and operands as OPA does", () => {
    expect(callError("concat", ",", ["a", 1])).toEqual({
      message: "operand 2 must be array of strings but got array containing number",
      code: "eval_type_error",
    });
    expect(callError("concat", ",", new SetValue([1]))).toEqual({
      message: "operand 2 must be set of strings but got set containing number",
      code: "eval_type_error",
    });
    expect(callError("concat", ",", "ab").message).toBe("operand 2 must be one of {set, array} but got string");
    expect(callError("concat", 1, ["a"]).message).toBe("operand 1 must be string but got number");
  });
});

describe("contains, startswith, endswith", () => {
  it("tests substrings", () => {
    expect(call("contains", "abcdefgh", "def")).toBe(true);
    expect(call("contains", "abc", "")).toBe(true);
    expect(call("contains", "abc", "x")).toBe(false);
    expect(call("startswith", "abcdefgh", "abc")).toBe(true);
    expect(call("startswith", "abc", "bc")).toBe(false);
    expect(call("endswith", "abcdefgh", "fgh")).toBe(true);
    expect(call("endswith", "åäö", "ö")).toBe(true);
  });
});

describe("format_int", () => {
  it("formats in bases 2, 8, 10 and 16, truncating floats", () => {
    expect(call("format_int", 15.5, 16)).toBe("f");
    expect(call("format_int", 4.1, 10)).toBe("4");
    expect(call("format_int", 10, 2)).toBe("1010");
    expect(call("format_int", 64, 8)).toBe("100");
    expect(call("format_int", -15.9, 16)).toBe("-f");
    expect(call("format_int", 123456789012345678901234567890n, 16)).toBe("18ee90ff6c373e0ee4e3f0ad2");
  });
  it("rejects other bases", () => {
    expect(callError("format_int", 1, 3)).toEqual({ message: "operand 2 must be one of {2, 8, 10, 16}", code: "eval_type_error" });
    expect(callError("format_int", "1", 10).message).toBe("operand 1 must be number but got string");
  });
});

describe("indexof and indexof_n", () => {
  it("counts code points", () => {
    expect(call("indexof", "μx", "x")).toBe(1);
    expect(call("indexof", "μ", "μμ")).toBe(-1);
    expect(call("indexof", "skön var våren", "vår")).toBe(9);
    expect(call("indexof", "🍧🍨🧁🍰🍮", "🍮")).toBe(4);
    expect(call("indexof", "🍧🍨🧁🍰🍮", "🍧🍨🧁🍰🍮")).toBe(0);
    expect(call("indexof", "abcabc", "c")).toBe(2);
  });
  it("finds every (overlapping) occurrence", () => {
    expect(call("indexof_n", "dog cat dog", "dog")).toEqual([0, 8]);
    expect(call("indexof_n", "aaa", "aa")).toEqual([0, 1]);
    expect(call("indexof_n", "😀a😀a", "a")).toEqual([1, 3]);
    expect(call("indexof_n", "abc", "x")).toEqual([]);
    expect(call("indexof_n", "dogcatdogcat", "cat")).toEqual([3, 9]);
    expect(call("indexof_n", "😇😀😇😀😇😀", "😀")).toEqual([1, 3, 5]);
  });
  it("rejects an empty needle", () => {
    expect(callError("indexof", "abc", "")).toEqual({ message: "empty search character", code: "eval_builtin_error" });
    expect(callError("indexof_n", "abc", "").message).toBe("empty search character");
  });
});

describe("lower and upper", () => {
  it("map case one code point at a time, as Go does", () => {
    expect(call("lower", "AbCdEf")).toBe("abcdef");
    expect(call("upper", "AbCdEf")).toBe("ABCDEF");
    expect(call("upper", "straße")).toBe("STRAßE");
    expect(call("lower", "İ")).toBe("i");
    expect(call("upper", "ᾳ")).toBe("ᾼ");
    expect(call("lower", "ΣΑΣ")).toBe("σασ");
    expect(call("upper", "åäö")).toBe("ÅÄÖ");
  });
});

describe("replace and strings.replace_n", () => {
  it("replaces every non-overlapping occurrence", () => {
    expect(call("replace", "foo.bar", ".", ",")).toBe("foo,bar");
    expect(call("replace", "foo.bar.baz", ".", ",")).toBe("foo,bar,baz");
    expect(call("replace", "foo...bar", "..", ",,")).toBe("foo,,.bar");
    expect(call("replace", "abc", "", "-")).toBe("-a-b-c-");
  });
  it("applies pairs in key order, first match wins, without overlaps", () => {
    expect(call("strings.replace_n", { "<": "&lt;", ">": "&gt;" }, "<a>")).toBe("&lt;a&gt;");
    expect(call("strings.replace_n", { a: "1", ab: "2" }, "abab")).toBe("1b1b");
    expect(call("strings.replace_n", { ab: "x", b: "y" }, "abb")).toBe("xy");
    expect(call("strings.replace_n", { a: "b", b: "a" }, "ab")).toBe("ba");
    expect(call("strings.replace_n", {}, "ab")).toBe("ab");
  });
  it("rejects non-string pairs", () => {
    expect(callError("strings.replace_n", { a: 1 }, "a")).toEqual({
      message: "operand 1 non-string value found in pattern object",
      code: "eval_type_error",
    });
    expect(callError("strings.replace_n", new MapObject([[1, "x"]]), "a").message).toBe(
      "operand 1 non-string key found in pattern object",
    );
  });
});

describe("split", () => {
  it("splits like Go's strings.Split", () => {
    expect(call("split", "", ".")).toEqual([""]);
    expect(call("split", "test", "")).toEqual(["t", "e", "s", "t"]);
    expect(call("split", "", "")).toEqual([]);
    expect(call("split", "foo", ".")).toEqual(["foo"]);
    expect(call("split", "foo.bar.baz", ".")).toEqual(["foo", "bar", "baz"]);
    expect(call("split", "a😀b", "")).toEqual(["a", "😀", "b"]);
    expect(call("split", ".a.", ".")).toEqual(["", "a", ""]);
  });
});

describe("substring", () => {
  it("takes code points; a negative length means to the end", () => {
    expect(call("substring", "abcdefgh", 2, 10000)).toBe("cdefgh");
    expect(call("substring", "abcdefghåäö", 2, 10000)).toBe("cdefghåäö");
    expect(call("substring", "abcdefgh", 2, 3)).toBe("cde");
    expect(call("substring", "abcdefgh", 2, -1)).toBe("cdefgh");
    expect(call("substring", "åäö", 1, 1)).toBe("ä");
    expect(call("substring", "abc", 5, 1)).toBe("");
    expect(call("substring", "", 0, 1)).toBe("");
  });
  it("reports OPA's errors", () => {
    expect(callError("substring", "abc", -1, 1)).toEqual({ message: "negative offset", code: "eval_builtin_error" });
    expect(callError("substring", "abc", 1.5, 1)).toEqual({
      message: "operand 2 must be integer number but got floating-point number",
      code: "eval_type_error",
    });
    expect(callError("substring", "abc", 1, "x").message).toBe("operand 3 must be number but got string");
  });
});

describe("trim family", () => {
  it("trims cutsets, prefixes, suffixes and white space", () => {
    expect(call("trim", "", ".")).toBe("");
    expect(call("trim", "...foo.bar", ".")).toBe("foo.bar");
    expect(call("trim", "...foo.bar...", ".")).toBe("foo.bar");
    expect(call("trim", "...foo.bar...", ".o")).toBe("foo.bar");
    expect(call("trim", "  abc  ", "")).toBe("  abc  ");
    expect(call("trim_left", "...foo...", ".")).toBe("foo...");
    expect(call("trim_right", "...foo...", ".")).toBe("...foo");
    expect(call("trim_right", "ab😀😀", "😀")).toBe("ab");
    expect(call("trim_prefix", "foo.bar", "foo.")).toBe("bar");
    expect(call("trim_prefix", "foo.bar", "x")).toBe("foo.bar");
    expect(call("trim_suffix", "foo.bar", ".bar")).toBe("foo");
    expect(call("trim_suffix", "foo.bar", "")).toBe("foo.bar");
    expect(call("trim_space", " \t\n abc \u00a0\u0085\u3000")).toBe("abc");
    expect(call("trim_space", "\ufeffabc")).toBe("\ufeffabc");
  });
});

describe("strings.reverse, strings.count", () => {
  it("reverses code points", () => {
    expect(call("strings.reverse", "abc")).toBe("cba");
    expect(call("strings.reverse", "a😀b")).toBe("b😀a");
  });
  it("counts non-overlapping occurrences", () => {
    expect(call("strings.count", "cheese", "e")).toBe(3);
    expect(call("strings.count", "hello hello hello world", "hello")).toBe(3);
    expect(call("strings.count", "dummy", "x")).toBe(0);
    expect(call("strings.count", "dummy", "")).toBe(6);
    expect(call("strings.count", "", "")).toBe(1);
    expect(call("strings.count", "", "x")).toBe(0);
    expect(call("strings.count", "11111", "11")).toBe(2);
    expect(call("strings.count", "11111", "11111")).toBe(1);
    expect(call("strings.count", "åäö", "")).toBe(4);
  });
});

describe("strings.any_prefix_match, strings.any_suffix_match", () => {
  it("accepts strings, arrays and sets", () => {
    expect(call("strings.any_prefix_match", "foo bar", "foo")).toBe(true);
    expect(call("strings.any_prefix_match", ["foo bar", "bar foo"], "bar")).toBe(true);
    expect(call("strings.any_prefix_match", new SetValue(["x"]), ["a", "b"])).toBe(false);
    expect(call("strings.any_prefix_match", [], "a")).toBe(false);
    expect(call("strings.any_suffix_match", "foo bar", "bar")).toBe(true);
    expect(call("strings.any_suffix_match", ["foo bar", "bar foo"], new SetValue(["oo", "x"]))).toBe(true);
    expect(call("strings.any_suffix_match", "foo", ["x"])).toBe(false);
    expect(call("strings.any_prefix_match", ["a/b/c", "", "e/f/g"], ["z/", "e/f"])).toBe(true);
    expect(call("strings.any_prefix_match", ["a/b/c"], ["z/", ""])).toBe(true);
    expect(call("strings.any_prefix_match", ["aa/bb/cc"], ["a/b", "e/f"])).toBe(false);
  });
  it("reports wrong operands", () => {
    expect(callError("strings.any_prefix_match", 1, "a")).toEqual({
      message: "operand 1 must be one of {string, set, array} but got number",
      code: "eval_type_error",
    });
    expect(callError("strings.any_suffix_match", "a", ["a", 1]).message).toBe(
      "operand 2 must be array of strings but got array containing number",
    );
  });
});

describe("sprintf", () => {
  const f = (format: string, ...values: Value[]): string => call("sprintf", format, values) as string;
  it("prints as OPA's conformance cases expect", () => {
    expect(f("%s", 123456789123456789123n)).toBe("123456789123456789123");
    expect(f("%s", 1208925819614629174706175n)).toBe("1208925819614629174706175");
    expect(f("hi %s", "there")).toBe("hi there");
    expect(f("hi %.2f", 3.1415)).toBe("hi 3.14");
    expect(f("hi %s", true)).toBe("hi true");
    expect(f("hi %v", ["there", 5, 3.14])).toBe('hi ["there", 5, 3.14]');
    expect(f("%-10.3f", 3.14159)).toBe("3.142     ");
  });
  it("prints Rego values with %v: strings bare at top level, quoted inside collections", () => {
    expect(f("%v", "x")).toBe("x");
    expect(f("%v", new SetValue([2, 1]))).toBe("{1, 2}");
    expect(f("%v", new SetValue())).toBe("set()");
    expect(f("%v", { b: [null, "x"], a: 1 })).toBe('{"a": 1, "b": [null, "x"]}');
    expect(f("%v", new MapObject([[1, "one"]]))).toBe('{1: "one"}');
    expect(f("%v", null)).toBe("null");
    expect(f("%v", [])).toBe("[]");
    expect(f("%v", {})).toBe("{}");
    expect(f("%v", ["a\nb", "é"])).toBe('["a\\nb", "é"]');
  });
  it("passes numbers as Go int, *big.Int or float64", () => {
    expect(f("%d", 42)).toBe("42");
    expect(f("%s", 5)).toBe("%!s(int=5)");
    expect(f("%d", 3.5)).toBe("%!d(float64=3.5)");
    expect(f("%d", 12345678901234567890n)).toBe("12345678901234567890");
    expect(f("%x", 12345678901234567890n)).toBe("ab54a98ceb1f0ad2");
    expect(f("%f", 12345678901234567890n)).toBe("%!f(big.Int=12345678901234567890)");
    expect(f("%v", 1000000.5)).toBe("1.0000005e+06");
    expect(f("%v", 0.1 + 0.2)).toBe("0.30000000000000004");
    expect(f("%v", 1e-7)).toBe("1e-07");
    expect(f("%T %T %T %T", 1, 1.5, "s", 10n ** 30n)).toBe("int float64 string *big.Int");
  });
  it("passes booleans and collections as strings", () => {
    expect(f("%t", true)).toBe("%!t(string=true)");
    expect(f("%d", "a")).toBe("%!d(string=a)");
    expect(f("%d", [1])).toBe("%!d(string=[1])");
  });
  it("reports missing and extra arguments as Go does", () => {
    expect(f("%d %d", 1)).toBe("1 %!d(MISSING)");
    expect(f("%d", 1, 2, "x")).toBe("1%!(EXTRA int=2, string=x)");
    expect(f("%")).toBe("%!(NOVERB)");
    expect(f("%z", 1)).toBe("%!z(int=1)");
    expect(f("%!")).toBe("%!!(MISSING)");
    expect(f("100%%")).toBe("100%");
    expect(f("%[3]d", 1)).toBe("%!d(BADINDEX)");
    expect(f("%*d", "x", 1)).toBe("%!(BADWIDTH)1");
  });
  it("supports flags, width, precision and argument indexes", () => {
    expect(f("%05d", -42)).toBe("-0042");
    expect(f("hi %02X.%02X", 127, 1)).toBe("hi 7F.01");
    expect(f("%+d", 5)).toBe("+5");
    expect(f("% d", 5)).toBe(" 5");
    expect(f("%x %X %#x %o %#o %O %b %#b", 255, 255, 255, 8, 8, 8, 5, 5)).toBe("ff FF 0xff 10 010 0o10 101 0b101");
    expect(f("%c %q %U %#U", 65, 65, 0x1f600, 65)).toBe("A 'A' U+1F600 U+0041 'A'");
    expect(f("%10s|%-10s|%.2s", "abc", "abc", "abcdef")).toBe("       abc|abc       |ab");
    expect(f("%5.1s|", "åäö")).toBe("    å|");
    expect(f("%q %+q %#q", 'a"b\n', "é", "x")).toBe('"a\\"b\\n" "\\u00e9" `x`');
    expect(f("%x % X %#x", "é", "abc", "hi")).toBe("c3a9 61 62 63 0x6869");
    expect(f("%[2]d %[1]d", 1, 2)).toBe("2 1");
    expect(f("%*d|%-*d|", 5, 42, 4, 7)).toBe("   42|7   |");
    expect(f("%.*f", 2, 3.14159)).toBe("3.14");
    expect(f("%8.2f|%-8.2f|%08.3f", -3.14159, 2.5, -3.14159)).toBe("   -3.14|2.50    |-003.142");
    expect(f("%+.1e", 12345.678)).toBe("+1.2e+04");
    expect(f("%5t", 1)).toBe("%!t(int=    1)");
  });
  it("formats floats like Go's strconv (exact decimal expansion, round half to even)", () => {
    expect(f("%.0f %.0f %.2f %.1f", 2.5, 3.5, 0.125, 0.05)).toBe("2 4 0.12 0.1");
    expect(f("%e %E", 123456.789, 0.000123)).toBe("1.234568e+05 1.230000E-04");
    expect(f("%g %.3g %G %g", 123456789.5, 3.14159, 1e-10 + 0, 1e6 + 0.5)).toBe("1.234567895e+08 3.14 1E-10 1.0000005e+06");
    expect(f("%f", 0.1)).toBe("0.100000");
    expect(f("%.20f", 0.1)).toBe("0.10000000000000000555");
    expect(f("%x %X", 3.14, 3.14)).toBe("0x1.91eb851eb851fp+01 0X1.91EB851EB851FP+01");
    expect(f("%b", 1.5)).toBe("6755399441055744p-52");
    expect(f("%#g %#.3g", 1.5, 1.5)).toBe("1.50000 1.50");
    expect(formatFloat(0, "e", -1)).toBe("0e+00");
    expect(formatFloat(1e21, "f", 1)).toBe("1000000000000000000000.0");
    expect(formatFloat(5e-324, "g", -1)).toBe("5e-324");
    expect(formatFloat(123456, "g", -1)).toBe("123456");
    expect(formatFloat(1234567, "g", -1)).toBe("1.234567e+06");
    expect(formatFloat(0.0001, "g", -1)).toBe("0.0001");
    expect(formatFloat(0.00001, "g", -1)).toBe("1e-05");
    expect(formatFloat(9.995, "f", 2)).toBe("9.99");
    expect(formatFloat(99.5, "g", 2)).toBe("1e+02");
  });
  it("requires an array of values", () => {
    expect(callError("sprintf", "%v", new SetValue([1]))).toEqual({
      message: "operand 2 must be array but got set",
      code: "eval_type_error",
    });
  });
  it("prints Rego text as OPA terms do", () => {
    expect(regoText({ "a b": [1, "é\u0001\u00a0"], c: new SetValue(["x"]) })).toBe('{"a b": [1, "é\\x01\\u00a0"], "c": {"x"}}');
    expect(sprintf("%v", [1.5])).toBe("1.5");
  });
  it("formats plain %s and %v without Go's interpreter exactly as with it", () => {
    const piece = fc.constantFrom("%s", "%v", "%%", "%d", "%q", "%5s", "%", "a", " ", "é", "%[1]v", "%-v", "%x");
    const value: fc.Arbitrary<Value> = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.constantFrom(0, -0, 1.5, -2.25, 2 ** 53, 2 ** 60, 1e21, 12345678901234567890n, -7n, null, true, false),
      fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { maxLength: 2 }),
      fc.constant(new SetValue(["x", 1])),
      fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 2 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.array(value, { maxLength: 4 }), (pieces, values) => {
        const format = pieces.join("");
        expect(sprintf(format, values)).toBe(goSprintfValues(format, values));
      }),
      { numRuns: 3000 },
    );
    expect(sprintf("%v %v is not an allowed endpoint", ["POST", "/v1/x"])).toBe("POST /v1/x is not an allowed endpoint");
    expect(sprintf("model %v is not allowed (%s%%)", [null, [1, "a"]])).toBe('model null is not allowed ([1, "a"]%)');
    expect(sprintf("%v of %v", [3, -12])).toBe("3 of -12");
  });
});

describe("strings.render_template", () => {
  const r = (t: string, vars: Value): Value | undefined => call("strings.render_template", t, vars);
  it("substitutes {{.name}} and {{ .name }}", () => {
    expect(r("Hello {{.name}}!", { name: "world" })).toBe("Hello world!");
    expect(r("{{ .a }}-{{.b}}-{{.c.d}}", { a: 1, b: 2.5, c: { d: "x" } })).toBe("1-2.5-x");
    expect(r("no actions", {})).toBe("no actions");
  });
  it("prints values as Go's fmt prints decoded JSON", () => {
    expect(r("{{.arr}} {{.obj}} {{.t}} {{.n}}", { arr: [1, "a", null], obj: { y: [true], x: 1 }, t: true, n: null })).toBe(
      "[1 a <nil>] map[x:1 y:[true]] true <no value>",
    );
  });
  it("supports conditionals, ranges, trim markers and comments", () => {
    expect(r("{{if .ok}}yes{{else}}no{{end}}", { ok: false })).toBe("no");
    expect(r("{{if .ok}}yes{{else if .other}}other{{end}}", { ok: false, other: "x" })).toBe("other");
    expect(r("{{range $i, $e := .xs}}{{$i}}={{$e}};{{end}}", { xs: ["a", "b"] })).toBe("0=a;1=b;");
    expect(r("{{range .xs}}[{{.}}]{{else}}empty{{end}}", { xs: [] })).toBe("empty");
    expect(r("{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}", { m: { b: 2, a: 1 } })).toBe("a:1 b:2 ");
    expect(r("a  {{- .x -}}  b", { x: "X" })).toBe("aXb");
    expect(r("{{/* hidden */}}x", {})).toBe("x");
    expect(r("{{with .u}}{{.name}}{{end}}", { u: { name: "n" } })).toBe("n");
    expect(r("{{len .xs}} {{index .xs 1}} {{not .f}} {{and 1 0}} {{or .f \"d\"}}", { xs: ["a", "b"], f: false })).toBe(
      "2 b true 0 d",
    );
    expect(r('{{if eq .s "a"}}A{{end}}', { s: "a" })).toBe("A");
    expect(r("{{$x := .a}}{{$x}}", { a: "v" })).toBe("v");
    expect(r("{{.a | print}}", { a: 1 })).toBe("1");
  });
  it("fails on missing keys as OPA does (missingkey=error)", () => {
    expect(callError("strings.render_template", "{{.nme}}", { name: "x" })).toEqual({
      message: 'template: template:1:2: executing "template" at <.nme>: map has no entry for key "nme"',
      code: "eval_builtin_error",
    });
    expect(callError("strings.render_template", "a\nb {{.a.b}}", { a: { c: 1 } }).message).toBe(
      'template: template:2:6: executing "template" at <.a.b>: map has no entry for key "b"',
    );
  });
  it("reports template syntax errors", () => {
    expect(callError("strings.render_template", "{{", {}).message).toBe("template: template:1: unclosed action");
    expect(callError("strings.render_template", "{{if .a}}x", { a: 1 }).message).toBe("template: template:1: unexpected EOF");
    expect(callError("strings.render_template", "{{end}}", {}).message).toBe("template: template:1: unexpected {{end}}");
  });
});
