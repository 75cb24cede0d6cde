import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { compileGoRegexp, register, translateGoRegexp } from "./regex.js";
import { family } from "./test/helpers.js";

const { registry, call, failure } = family(register);
const callError = (name: string, ...args: Value[]) => {
  const [code, message] = failure(name, ...args);
  return { message, code };
};

const match = (pattern: string, value: string): Value | undefined => call("regex.match", pattern, value);
const valid = (pattern: Value): Value | undefined => call("regex.is_valid", pattern);

/** The message Go's regexp.Compile gives for an invalid pattern. */
function syntaxMessage(pattern: string): string {
  try {
    translateGoRegexp(pattern);
  } catch (e) {
    return (e as Error).message;
  }
  return "(valid)";
}

describe("declarations", () => {
  it("declares the family", () => {
    expect(registry.all().map((d) => d.name)).toEqual([
      "re_match",
      "regex.find_all_string_submatch_n",
      "regex.find_n",
      "regex.globs_match",
      "regex.is_valid",
      "regex.match",
      "regex.replace",
      "regex.split",
      "regex.template_match",
    ]);
    expect(registry.get("re_match")!.deprecated).toBe(true);
    for (const d of registry.all()) expect(d.categories).toEqual(["regex"]);
  });
});

describe("regex.match", () => {
  it("matches unanchored, as Go's MatchString", () => {
    expect(match("^[a-z]+\\[[0-9]+\\]$", "foo[1]")).toBe(true);
    expect(match("b", "abc")).toBe(true);
    expect(match("^b", "abc")).toBe(false);
    expect(match("", "")).toBe(true);
    expect(call("re_match", "a+", "baa")).toBe(true);
  });
  it("treats ^ and $ as text anchors unless (?m)", () => {
    expect(match("^a$", "a\n")).toBe(false);
    expect(match("a$", "b\na")).toBe(true);
    expect(match("^b$", "a\nb\nc")).toBe(false);
    expect(match("(?m)^b$", "a\nb\nc")).toBe(true);
    expect(match("(?m)^b$", "a\r\nb\r\nc")).toBe(false);
    expect(match("\\Aa", "ba")).toBe(false);
    expect(match("a\\z", "a\n")).toBe(false);
  });
  it("does not match newline with . unless (?s)", () => {
    expect(match("a.b", "a\nb")).toBe(false);
    expect(match("a.b", "a\rb")).toBe(true);
    expect(match("a.b", "a\u2028b")).toBe(true);
    expect(match("(?s)a.b", "a\nb")).toBe(true);
    expect(match("^.$", "😀")).toBe(true);
  });
  it("folds case with (?i), globally or scoped, with Go's orbits", () => {
    expect(match("(?i)hello", "HeLLo")).toBe(true);
    expect(match("(?i:h)ello", "Hello")).toBe(true);
    expect(match("(?i:h)ello", "HELLO")).toBe(false);
    expect(match("(?i)h(?-i)ello", "HELLO")).toBe(false);
    expect(match("(?i)h(?-i)ello", "Hello")).toBe(true);
    expect(match("(?i)k", "\u212a")).toBe(true);
    expect(match("(?i)σ", "ς")).toBe(true);
    expect(match("(?i)straße", "STRASSE")).toBe(false);
    expect(match("(?i)[a-c]+", "AbC")).toBe(true);
    expect(match("(?i)[^a]", "A")).toBe(false);
    expect(match("(?i)\\w", "\u017f")).toBe(true);
    expect(match("\\w", "\u017f")).toBe(false);
    expect(match("(?i)\\p{Lu}", "a")).toBe(true);
  });
  it("folds exactly the pairs Unicode simple case folding relates", () => {
    const cp = fc.oneof(fc.integer({ min: 0x41, max: 0x24f }), fc.integer({ min: 0x370, max: 0x52f }), fc.integer({ min: 0x1e00, max: 0x1fff }), fc.integer({ min: 0x2100, max: 0x2184 }), fc.integer({ min: 0x10400, max: 0x1044f }));
    fc.assert(
      fc.property(cp, cp, fc.integer({ min: 0, max: 2 }), (a, other, pick) => {
        const x = String.fromCodePoint(a);
        // the other code point: a random one, or x's upper or lower case (when that is one code point)
        const cased = [...(pick === 1 ? x.toUpperCase() : x.toLowerCase())];
        const y = pick === 0 || cased.length !== 1 ? String.fromCodePoint(other) : cased[0]!;
        const escaped = `\\x{${a.toString(16)}}`;
        expect(match(`^(?i)${escaped}$`, y)).toBe(new RegExp(`^\\u{${a.toString(16)}}$`, "ui").test(y));
        expect(match(`^(?i:[${escaped}])$`, y)).toBe(new RegExp(`^[\\u{${a.toString(16)}}]$`, "ui").test(y));
        expect(match(`^${escaped}$`, y)).toBe(x === y);
      }),
      { numRuns: 500 },
    );
    for (const [a, b] of [["k", "\u212a"], ["s", "\u017f"], ["\u00e5", "\u212b"], ["\u03c9", "\u2126"], ["\u00df", "\u1e9e"], ["\u03b8", "\u03d1"]]) {
      expect(match(`(?i)^${a}$`, b)).toBe(true);
      expect(match(`(?i)^${b}$`, a)).toBe(true);
    }
    expect(match("(?i)^i$", "\u0131")).toBe(false);
    expect(match("(?i)^i$", "\u0130")).toBe(false);
  });
  it("supports RE2 classes: Perl, POSIX and Unicode", () => {
    expect(match("^\\d+$", "123")).toBe(true);
    expect(match("^\\d+$", "١٢٣")).toBe(false);
    expect(match("^\\s$", "\u00a0")).toBe(false);
    expect(match("^\\s$", "\u000b")).toBe(false);
    expect(match("^[[:alpha:]]+$", "abcXYZ")).toBe(true);
    expect(match("^[[:^alpha:]]+$", "123")).toBe(true);
    expect(match("^[[:word:][:punct:]]+$", "a_b.c!")).toBe(true);
    expect(match("^\\pL+$", "héllo")).toBe(true);
    expect(match("^\\p{Greek}+$", "αβγ")).toBe(true);
    expect(match("^\\P{Greek}+$", "αβγ")).toBe(false);
    expect(match("^\\p{^Greek}$", "a")).toBe(true);
    expect(match("^[\\p{Lu}\\d]+$", "AB12")).toBe(true);
    expect(match("^\\pN$", "½")).toBe(true);
    expect(match("^\\p{Any}$", "\n")).toBe(true);
    expect(match("\\bfoo\\b", "a foo b")).toBe(true);
    expect(match("\\bé", "é")).toBe(false);
    expect(match("^[]a]+$", "]a]")).toBe(true);
    expect(match("^[a-]+$", "a-")).toBe(true);
    expect(match("^[\\[\\]]+$", "[]")).toBe(true);
  });
  it("supports RE2 escapes, literals and groups", () => {
    expect(match("^\\Qa.b*\\E$", "a.b*")).toBe(true);
    expect(match("^\\x41\\x{1F600}\\101\\0$", "A😀A\u0000")).toBe(true);
    expect(match("^a{2,3}$", "aaa")).toBe(true);
    expect(match("^a{2,3}$", "aaaa")).toBe(false);
    expect(match("^x{,3}$", "x{,3}")).toBe(true);
    expect(match("^a{$", "a{")).toBe(true);
    expect(match("^(?P<word>\\w+) (?<num>\\d+)$", "abc 12")).toBe(true);
    expect(match("^(?:ab)+$", "abab")).toBe(true);
    expect(match("^\\.\\$\\^\\{\\}\\(\\)\\|\\-\\/\\ $", ".$^{}()|-/ ")).toBe(true);
    expect(match("^a(?i)*$", "aaa")).toBe(true);
  });
  it("reports invalid patterns with Go's message", () => {
    expect(callError("regex.match", "[", "x")).toEqual({
      message: "error parsing regexp: missing closing ]: `[`",
      code: "eval_builtin_error",
    });
    expect(callError("regex.match", 1, "x")).toEqual({ message: "operand 1 must be string but got number", code: "eval_type_error" });
  });
});

describe("regex.is_valid", () => {
  it("accepts what Go's regexp accepts", () => {
    for (const p of ["[a-z]+", "(?P<n>x)", "(?<n>x)", "\\pL", "\\p{Greek}", "(?i)a", "(?U)a*", "a{1000}", "^*", "(?:)", "(|a)", "x{,3}", "[[:alpha:]]", "\\Q(\\E", "(?)", "a*?", "a+?b??"]) {
      expect([p, valid(p)]).toEqual([p, true]);
    }
  });
  it("rejects what Go's regexp rejects (backreferences, lookaround, possessive and nested repeats, ...)", () => {
    for (const p of ["[a-z", "(?=x)", "(?!x)", "(?<=x)", "(?<!x)", "\\1", "a**", "a++", "a*+", "a{2}{3}", "*a", "(", ")", "a{1001}", "(a{100}){11}", "\\p{Foo}", "\\p{greek}", "[[:foo:]]", "[z-a]", "\\C", "\\Z", "\\u0041", "\\k<n>", "(?P<>x)", "(?P<a-b>x)", "(?x)a", "(?i", "\\"]) {
      expect([p, valid(p)]).toEqual([p, false]);
    }
    expect(valid(1)).toBe(false);
  });
  it("gives Go's syntax error messages", () => {
    expect(syntaxMessage("a**")).toBe("error parsing regexp: invalid nested repetition operator: `**`");
    expect(syntaxMessage("a{2}{3}")).toBe("error parsing regexp: invalid nested repetition operator: `{2}{3}`");
    expect(syntaxMessage("*")).toBe("error parsing regexp: missing argument to repetition operator: `*`");
    expect(syntaxMessage("(abc")).toBe("error parsing regexp: missing closing ): `(abc`");
    expect(syntaxMessage("abc)")).toBe("error parsing regexp: unexpected ): `abc)`");
    expect(syntaxMessage("[abc")).toBe("error parsing regexp: missing closing ]: `[abc`");
    expect(syntaxMessage("[z-a]")).toBe("error parsing regexp: invalid character class range: `z-a`");
    expect(syntaxMessage("\\1")).toBe("error parsing regexp: invalid escape sequence: `\\1`");
    expect(syntaxMessage("(?=a)")).toBe("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    expect(syntaxMessage("(?<=a)")).toBe("error parsing regexp: invalid named capture: `(?<=a)`");
    expect(syntaxMessage("a{1001}")).toBe("error parsing regexp: invalid repeat count: `{1001}`");
    expect(syntaxMessage("\\")).toBe("error parsing regexp: trailing backslash at end of expression: ``");
    expect(syntaxMessage("\\p{Foo}")).toBe("error parsing regexp: invalid character class range: `\\p{Foo}`");
    expect(syntaxMessage("[[:foo:]]")).toBe("error parsing regexp: invalid character class range: `[:foo:]`");
  });
});

describe("regex.split", () => {
  it("splits as Go's Regexp.Split(s, -1)", () => {
    expect(call("regex.split", "a", "banana")).toEqual(["b", "n", "n", ""]);
    expect(call("regex.split", "a*", "abaabaccadaaae")).toEqual(["", "b", "b", "c", "c", "d", "e"]);
    expect(call("regex.split", "z+", "pizza")).toEqual(["pi", "a"]);
    expect(call("regex.split", "", "abc")).toEqual(["a", "b", "c"]);
    expect(call("regex.split", "x*", "axbxc")).toEqual(["a", "b", "c"]);
    expect(call("regex.split", "a", "")).toEqual([""]);
    expect(call("regex.split", "", "")).toEqual([]);
    expect(call("regex.split", "[,;]\\s*", "a, b;c")).toEqual(["a", "b", "c"]);
  });
  it("passes OPA's anchored-split cases", () => {
    expect(call("regex.split", "^[a-z]+\\[[0-9]+\\]$", "")).toEqual([""]);
    expect(call("regex.split", "^[a-z]+", "foobar baz")).toEqual(["", " baz"]);
    expect(call("regex.split", "[a-z]+$", "foobar baz")).toEqual(["foobar ", ""]);
    expect(call("regex.split", "^[a-z]+$", "foobar baz")).toEqual(["foobar baz"]);
    expect(call("regex.split", "^[a-z ]+$", "foobar baz")).toEqual(["", ""]);
  });
});

describe("regex.find_n and regex.find_all_string_submatch_n", () => {
  it("finds successive non-overlapping matches", () => {
    expect(call("regex.find_n", "a.", "paranormal", -1)).toEqual(["ar", "an", "al"]);
    expect(call("regex.find_n", "a.", "paranormal", 2)).toEqual(["ar", "an"]);
    expect(call("regex.find_n", "a.", "graal", -1)).toEqual(["aa"]);
    expect(call("regex.find_n", "a.", "none", -1)).toEqual([]);
    expect(call("regex.find_n", "a.", "paranormal", 0)).toEqual([]);
    expect(call("regex.find_n", "a*", "baaac", -1)).toEqual(["", "aaa", ""]);
    expect(call("regex.find_n", "", "é😀", -1)).toEqual(["", "", ""]);
  });
  it("returns submatches, with empty strings for groups that did not take part", () => {
    expect(call("regex.find_all_string_submatch_n", "a(x*)b", "-axxb-ab-", -1)).toEqual([
      ["axxb", "xx"],
      ["ab", ""],
    ]);
    expect(call("regex.find_all_string_submatch_n", "a(x*)b", "-ab-axb-", 1)).toEqual([["ab", ""]]);
    expect(call("regex.find_all_string_submatch_n", "(a)|(b)", "ab", -1)).toEqual([
      ["a", "a", ""],
      ["b", "", "b"],
    ]);
  });
  it("requires an integer count", () => {
    expect(callError("regex.find_n", "a", "a", 1.5)).toEqual({
      message: "operand 3 must be integer number but got floating-point number",
      code: "eval_type_error",
    });
  });
});

describe("regex.replace", () => {
  it("expands $1, ${1}, $name and $$ as Go's ReplaceAllString", () => {
    expect(call("regex.replace", "-wy-wxxy-", "w(x*)y", "0")).toBe("-0-0-");
    expect(call("regex.replace", "foo", "(foo)", "$1$1")).toBe("foofoo");
    expect(call("regex.replace", "-ab-axxb-", "a(x*)b", "T")).toBe("-T-T-");
    expect(call("regex.replace", "-ab-axxb-", "a(x*)b", "$1")).toBe("--xx-");
    expect(call("regex.replace", "-ab-axxb-", "a(x*)b", "$1W")).toBe("---");
    expect(call("regex.replace", "-ab-axxb-", "a(x*)b", "${1}W")).toBe("-W-xxW-");
    expect(call("regex.replace", "-ab-axxb-", "a(?P<x>x*)b", "[${x}]$$")).toBe("-[]$-[xx]$-");
    expect(call("regex.replace", "abc", "b", "$")).toBe("a$c");
    expect(call("regex.replace", "abc", "(b)", "$2")).toBe("ac");
  });
  it("handles empty matches as Go does", () => {
    expect(call("regex.replace", "baaac", "a*", "-")).toBe("-b-c-");
    expect(call("regex.replace", "abc", "", "-")).toBe("-a-b-c-");
    expect(call("regex.replace", "é😀", "x*", "-")).toBe("-é-😀-");
    expect(call("regex.replace", "foo", "^", ">")).toBe(">foo");
  });
});

describe("regex.template_match", () => {
  it("matches templates with embedded regular expressions", () => {
    expect(call("regex.template_match", "urn:foo:{.*}", "urn:foo:bar:baz", "{", "}")).toBe(true);
    expect(call("regex.template_match", "urn:foo:{.*}", "urn:bar:bar", "{", "}")).toBe(false);
    expect(call("regex.template_match", "urn:foo.bar:<[0-9]{2}>", "urn:foo.bar:42", "<", ">")).toBe(true);
    expect(call("regex.template_match", "urn:foo.bar:<[0-9]{2}>", "urn:fooxbar:42", "<", ">")).toBe(false);
    expect(call("regex.template_match", "a{b{c}}d", "abcd", "{", "}")).toBe(false);
  });
  it("reports bad delimiters and templates", () => {
    expect(callError("regex.template_match", "x", "x", "{{", "}").message).toBe(
      "start delimiter has to be exactly one character long but is 2 long",
    );
    expect(callError("regex.template_match", "x", "x", "{", "}}").message).toBe(
      "end delimiter has to be exactly one character long but is 1 long",
    );
    expect(callError("regex.template_match", "urn:{.*", "x", "{", "}").message).toBe('unbalanced braces in "urn:{.*"');
    expect(callError("regex.template_match", "urn:{[}", "x", "{", "}").message).toBe(
      "error parsing regexp: missing closing ]: `[$`",
    );
  });
});

describe("regex.globs_match", () => {
  it("decides whether two globs intersect, as gintersect does", () => {
    expect(call("regex.globs_match", "a.a.", ".b.b")).toBe(true);
    expect(call("regex.globs_match", "[a-z]+", "[0-9]*")).toBe(false);
    expect(call("regex.globs_match", "a", "a")).toBe(true);
    expect(call("regex.globs_match", "a*b", "a*b")).toBe(true);
    expect(call("regex.globs_match", "a", "b")).toBe(false);
    expect(call("regex.globs_match", ".*", "a.b")).toBe(true);
    expect(call("regex.globs_match", "[a-c]+", "[b-d]+")).toBe(true);
    expect(call("regex.globs_match", "[a-c]", "[d-f]")).toBe(false);
    expect(call("regex.globs_match", "abc", "abc")).toBe(true);
    expect(call("regex.globs_match", "a+", "a*")).toBe(true);
    expect(call("regex.globs_match", "\\.", ".")).toBe(true);
    expect(call("regex.globs_match", "\\.", "a")).toBe(false);
    expect(call("regex.globs_match", "a.a.[0-9]+z", ".b.b2359825792*594823z")).toBe(true);
    expect(call("regex.globs_match", "b.*", "bar")).toBe(true);
    expect(call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", "foo\\[1\\]")).toBe(true);
    expect(call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", 'foo["bar"]')).toBe(false);
  });
  it("reports invalid globs with gintersect's messages", () => {
    expect(callError("regex.globs_match", "[abc", "a")).toEqual({
      message: "input:[abc, pos:4, found [ without matching ]: the input provided is invalid",
      code: "eval_builtin_error",
    });
    expect(callError("regex.globs_match", "[z-a]", "a").message).toBe(
      "input:[z-a], pos:4, range is out of order: 'a' comes before 'z' in Unicode: the input provided is invalid",
    );
    expect(callError("regex.globs_match", "]", "a").message).toBe(
      "input:], pos:1, set-close ']' with no preceding '[': the input provided is invalid",
    );
    expect(callError("regex.globs_match", "*a", "a").message).toBe(
      "input:*a, pos:1, flag '*' must be preceded by a non-flag: the input provided is invalid",
    );
  });
});

describe("compile cache", () => {
  it("returns the same compiled expression for the same pattern", () => {
    expect(compileGoRegexp("ab+c")).toBe(compileGoRegexp("ab+c"));
  });
});
