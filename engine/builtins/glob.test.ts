import { describe, expect, it } from "vitest";
import type { Value } from "../value/value.js";
import { register } from "./glob.js";
import { family } from "./test/helpers.js";

const { registry, call, failure } = family(register);
const callError = (name: string, ...args: Value[]) => {
  const [code, message] = failure(name, ...args);
  return { message, code };
};

const m = (pattern: string, delimiters: Value, value: string): Value | undefined =>
  call("glob.match", pattern, delimiters, value);

describe("declarations", () => {
  it("declares glob.match and glob.quote_meta", () => {
    expect(registry.all().map((d) => d.name)).toEqual(["glob.match", "glob.quote_meta"]);
    for (const d of registry.all()) expect(d.categories).toEqual(["glob"]);
  });
});

describe("glob.match", () => {
  it("passes rego-cpp's cases", () => {
    expect(m("", [], "")).toBe(true);
    expect(m("a.b*", ["."], "a.bc")).toBe(true);
    expect(m("a.b*", ["."], "a.bc.d")).toBe(false);
    expect(m("{a,b,c}", [], "b")).toBe(true);
    expect(m("a/**/c", [], "a/b/c")).toBe(true);
    expect(m("[a-z]", [], "m")).toBe(true);
    expect(m("[a-z]", [], "M")).toBe(false);
    expect(m("[!0-9]", [], "x")).toBe(true);
    expect(m("[!0-9]", [], "5")).toBe(false);
    expect(m("\\*", [], "*")).toBe(true);
    expect(m("\\*", [], "a")).toBe(false);
    expect(m("{a,{b,c}}", [], "c")).toBe(true);
    for (const [s, want] of [["-", true], ["^", false], ["a", true], ["z", true], ["m", false]] as const) {
      expect(m("[a\\-z]", [], s)).toBe(want);
    }
    expect(m("[\\]]", [], "]")).toBe(true);
    expect(m("[\\]]", [], "a")).toBe(false);
  });
  it("follows OPA's documented examples", () => {
    expect(m("*.github.com", [], "api.github.com")).toBe(true);
    expect(m("*.github.com", [], "api.cdn.github.com")).toBe(false);
    expect(m("*hub.com", null, "api.cdn.github.com")).toBe(true);
    expect(m("*:github:com", [":"], "api:github:com")).toBe(true);
    expect(m("api.**.com", [], "api.github.com")).toBe(true);
    expect(m("api.**.com", [], "api.cdn.github.com")).toBe(true);
    expect(m("?at", [], "cat")).toBe(true);
    expect(m("?at", [], "at")).toBe(false);
    expect(m("[abc]at", [], "bat")).toBe(true);
    expect(m("[abc]at", [], "fat")).toBe(false);
    expect(m("[!abc]at", [], "fat")).toBe(true);
    expect(m("{cat,bat,[fr]at}", [], "rat")).toBe(true);
    expect(m("{cat,bat,[fr]at}", [], "at")).toBe(false);
  });
  it("uses the delimiters: [] means [\".\"], null means none", () => {
    expect(m("*", [], "a.b")).toBe(false);
    expect(m("*", null, "a.b")).toBe(true);
    expect(m("?", [], ".")).toBe(false);
    expect(m("?", null, ".")).toBe(true);
    expect(m("a*b", ["/", "."], "a/b")).toBe(false);
    expect(m("a*b", ["/", "."], "a-b")).toBe(true);
    expect(m("[!a]", [], ".")).toBe(true);
  });
  it("matches code points", () => {
    expect(m("?", null, "é")).toBe(true);
    expect(m("??", null, "😀x")).toBe(true);
    expect(m("[α-ω]*", null, "λx")).toBe(true);
  });
  it("treats , and } as text outside braces, and closes an unclosed brace at the end", () => {
    expect(m("a,b}", [], "a,b}")).toBe(true);
    expect(m("{a,b", [], "b")).toBe(true);
    expect(m("{a,}x", [], "x")).toBe(true);
  });
  it("reports gobwas's syntax errors", () => {
    expect(callError("glob.match", "[]", [], "a")).toEqual({ message: "could not parse range", code: "eval_builtin_error" });
    expect(callError("glob.match", "[a-", [], "a").message).toBe("unexpected end of input");
    expect(callError("glob.match", "[z-a]", [], "a").message).toBe("hi character 'a' should be greater than lo 'z'");
    expect(callError("glob.match", "[a-zA-Z]", [], "a").message).toBe("expected close range character");
  });
  it("checks its operands as OPA does", () => {
    expect(callError("glob.match", "*", "x", "a")).toEqual({
      message: "operand 2 must be one of {array, null} but got string",
      code: "eval_type_error",
    });
    expect(callError("glob.match", "*", [1], "a").message).toBe("operand 2 must be array of strings but got array containing number");
    expect(callError("glob.match", "*", ["ab"], "a").message).toBe("operand 2 must be array of runes but got array containing string");
    expect(callError("glob.match", "*", [], 1).message).toBe("operand 3 must be string but got number");
  });
});

describe("glob.quote_meta", () => {
  it("escapes the glob meta characters", () => {
    expect(call("glob.quote_meta", "hello*world?[test]")).toBe("hello\\*world\\?\\[test\\]");
    expect(call("glob.quote_meta", "hello\nworld")).toBe("hello\nworld");
    expect(call("glob.quote_meta", "*.github.com")).toBe("\\*.github.com");
    expect(call("glob.quote_meta", "{a,b}\\")).toBe("\\{a,b\\}\\\\");
  });
  it("round-trips through glob.match", () => {
    for (const s of ["a*b", "[x]", "{y}", "q?", "back\\slash"]) {
      expect(m(call("glob.quote_meta", s) as string, null, s)).toBe(true);
    }
  });
});
