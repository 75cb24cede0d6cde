import { describe, expect, it } from "vitest";
import { MapObject, type Value } from "../value/value.js";
import { register } from "./objects.js";
import { family, S } from "./test/helpers.js";

const { call, failure } = family(register);

describe("object.get", () => {
  it("gets a key or the default", () => {
    expect(call("object.get", { a: 1 }, "a", 0)).toBe(1);
    expect(call("object.get", { a: 1 }, "b", 0)).toBe(0);
    expect(call("object.get", { a: null }, "a", 0)).toBe(null);
    expect(call("object.get", new MapObject([[1, "one"]]), 1, "none")).toBe("one");
  });
  it("follows an array path through objects, arrays and sets", () => {
    expect(call("object.get", { a: [{ b: true }] }, ["a", 0, "b"], false)).toBe(true);
    expect(call("object.get", { a: [{ b: true }] }, ["a", 1, "b"], "d")).toBe("d");
    expect(call("object.get", { a: [{ b: true }] }, ["a", "0"], "d")).toBe("d");
    expect(call("object.get", { a: S("x") }, ["a", "x"], "d")).toBe("x");
    expect(call("object.get", { a: "str" }, ["a", "b"], "d")).toBe("d");
    expect(call("object.get", { a: 1 }, [], "d")).toEqual({ a: 1 });
  });
  it("needs an object", () => {
    expect(failure("object.get", [1], 0, 0)).toEqual(["eval_type_error", "operand 1 must be object but got array"]);
  });
});

describe("object.keys, object.remove, object.filter", () => {
  it("keys", () => {
    expect(call("object.keys", { a: 1, b: true, c: "d" })).toEqual(S("a", "b", "c"));
    expect(call("object.keys", {})).toEqual(S());
    expect(call("object.keys", new MapObject([[1, 1], ["x", 2]]))).toEqual(S(1, "x"));
  });
  it("remove keys given as an array, a set or an object", () => {
    const o = { a: 1, b: 2, c: 3 };
    expect(call("object.remove", o, ["a"])).toEqual({ b: 2, c: 3 });
    expect(call("object.remove", o, S("a", "c", "z"))).toEqual({ b: 2 });
    expect(call("object.remove", o, { b: 0 })).toEqual({ a: 1, c: 3 });
    expect(call("object.remove", new MapObject([[1, "x"], [2, "y"]]), [1])).toEqual(new MapObject([[2, "y"]]));
  });
  it("filter keeps the keys given", () => {
    expect(call("object.filter", { a: { b: "x", c: "y" }, d: "z" }, ["a"])).toEqual({ a: { b: "x", c: "y" } });
    expect(call("object.filter", { a: 1, b: 2 }, S("b", "q"))).toEqual({ b: 2 });
    expect(call("object.filter", { a: 1 }, [])).toEqual({});
  });
  it("need the right types", () => {
    expect(failure("object.remove", { a: 1 }, "a")).toEqual(["eval_type_error", "operand 2 must be one of {object, set, array} but got string"]);
    expect(failure("object.filter", "a", ["a"])).toEqual(["eval_type_error", "operand 1 must be object but got string"]);
  });
});

describe("object.union and object.union_n", () => {
  it("merge recursively, the right-hand side winning", () => {
    expect(call("object.union", { a: 1, b: 2, c: { d: 3 } }, { a: 7, c: { d: 4, e: 5 } })).toEqual({ a: 7, b: 2, c: { d: 4, e: 5 } });
    expect(call("object.union", { a: { b: 1 } }, { a: 2 })).toEqual({ a: 2 });
    expect(call("object.union", { a: 2 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
  it("union_n merges left to right", () => {
    expect(call("object.union_n", [{ a: 1 }, { b: 2 }, { a: 3 }])).toEqual({ a: 3, b: 2 });
    expect(call("object.union_n", [{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }])).toEqual({ a: { c: 3 } });
    expect(call("object.union_n", [{ a: { x: { p: 1 } } }, { a: { x: 3 } }, { a: { y: 4 } }])).toEqual({ a: { x: 3, y: 4 } });
    expect(call("object.union_n", [])).toEqual({});
  });
  it("need objects", () => {
    expect(failure("object.union", { a: 1 }, [1])).toEqual(["eval_type_error", "operand 2 must be object but got array"]);
    expect(failure("object.union_n", [{}, 1, "x"])).toEqual(["eval_type_error", "operand 1 must be array of objects but got array containing string"]);
  });
});

describe("object.subset", () => {
  it("objects, recursively", () => {
    const sup = { a: "b", c: { x: S(10, 15, 20, 25), y: "z" } };
    expect(call("object.subset", sup, { c: { x: S(10, 15, 20) } })).toBe(true);
    expect(call("object.subset", sup, { c: { x: S(10, 99) } })).toBe(false);
    expect(call("object.subset", sup, { a: "c" })).toBe(false);
    expect(call("object.subset", { a: [1, 2, 3] }, { a: [2, 3] })).toBe(true);
    expect(call("object.subset", {}, {})).toBe(true);
  });
  it("sets, arrays (contiguous), and a set in an array", () => {
    expect(call("object.subset", S(1, 2, 3), S(1, 3))).toBe(true);
    expect(call("object.subset", S(1, 2, 3), S(4))).toBe(false);
    expect(call("object.subset", [1, 2, 3, 4], [2, 3])).toBe(true);
    expect(call("object.subset", [1, 2, 3, 4], [2, 4])).toBe(false);
    expect(call("object.subset", [1, 2], [])).toBe(true);
    expect(call("object.subset", [1, 2, 3], S(3, 1))).toBe(true);
    expect(call("object.subset", [1, 2, 3], S(3, 5))).toBe(false);
    expect(call("object.subset", [1], S())).toBe(true);
    expect(call("object.subset", [], S())).toBe(false);
  });
  it("rejects mixed types", () => {
    expect(failure("object.subset", { a: 1 }, [1])).toEqual([
      "eval_type_error",
      "both arguments object.subset must be of the same type or array and set",
    ]);
  });
});

describe("json.filter and json.remove", () => {
  const doc = { a: { b: "x", c: "y" }, d: [10, 20, { e: 1, f: 2 }], s: S("p", "q") };
  it("filter keeps the paths given (strings or segment arrays)", () => {
    expect(call("json.filter", { a: { b: "x", c: "y" } }, ["a/b"])).toEqual({ a: { b: "x" } });
    expect(call("json.filter", doc, ["a/c", "d/2/f", ["s", "q"]])).toEqual({ a: { c: "y" }, d: [{ f: 2 }], s: S("q") });
    expect(call("json.filter", doc, S("a", "a/b"))).toEqual({ a: { b: "x", c: "y" } });
    expect(call("json.filter", doc, [])).toEqual({});
    expect(call("json.filter", { "a/b": 1, "m~n": 2 }, ["a~1b", "/m~0n"])).toEqual({ "a/b": 1, "m~n": 2 });
  });
  it("remove drops the paths given", () => {
    expect(call("json.remove", { a: { b: "x", c: "y" } }, ["a/b"])).toEqual({ a: { c: "y" } });
    expect(call("json.remove", doc, ["d/0", "d/2/e", ["s", "p"], "a"])).toEqual({ d: [20, { f: 2 }], s: S("q") });
    expect(call("json.remove", doc, ["missing/x", ""])).toEqual(doc);
  });
  it("need an object and paths", () => {
    expect(failure("json.filter", { a: 1 }, "a")).toEqual(["eval_type_error", "operand 2 must be one of {set, array} but got string"]);
    expect(failure("json.remove", { a: 1 }, [1])).toEqual([
      "eval_type_error",
      "operand 2 must be one of {set, array} containing string paths or array of path segments but got number",
    ]);
    expect(failure("json.remove", [1], ["a"])).toEqual(["eval_type_error", "operand 1 must be object but got array"]);
  });
});

describe("json.patch (RFC 6902)", () => {
  const patch = (doc: Value, ...ops: Value[]) => call("json.patch", doc, ops);
  it("applies the RFC's examples", () => {
    expect(patch({ foo: "bar" }, { op: "add", path: "/baz", value: "qux" })).toEqual({ baz: "qux", foo: "bar" });
    expect(patch({ foo: ["bar", "baz"] }, { op: "add", path: "/foo/1", value: "qux" })).toEqual({ foo: ["bar", "qux", "baz"] });
    expect(patch({ baz: "qux", foo: "bar" }, { op: "remove", path: "/baz" })).toEqual({ foo: "bar" });
    expect(patch({ foo: ["bar", "qux", "baz"] }, { op: "remove", path: "/foo/1" })).toEqual({ foo: ["bar", "baz"] });
    expect(patch({ baz: "qux", foo: "bar" }, { op: "replace", path: "/baz", value: "boo" })).toEqual({ baz: "boo", foo: "bar" });
    expect(
      patch({ foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } }, { op: "move", from: "/foo/waldo", path: "/qux/thud" }),
    ).toEqual({ foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } });
    expect(patch({ foo: ["all", "grass", "cows", "eat"] }, { op: "move", from: "/foo/1", path: "/foo/3" })).toEqual({
      foo: ["all", "cows", "eat", "grass"],
    });
    expect(patch({ baz: "qux", foo: ["a", 2, "c"] }, { op: "test", path: "/baz", value: "qux" }, { op: "test", path: "/foo/1", value: 2 })).toEqual({
      baz: "qux",
      foo: ["a", 2, "c"],
    });
    expect(patch({ "/": 9, "~1": 10 }, { op: "test", path: "/~01", value: 10 })).toEqual({ "/": 9, "~1": 10 });
    expect(patch({ foo: ["bar"] }, { op: "add", path: "/foo/-", value: ["abc", "def"] })).toEqual({ foo: ["bar", ["abc", "def"]] });
    expect(patch({ baz: [{ qux: "hello" }], bar: 1 }, { op: "copy", from: "/baz/0", path: "/boo" })).toEqual({
      baz: [{ qux: "hello" }],
      bar: 1,
      boo: { qux: "hello" },
    });
  });
  it("handles the root, empty keys and trailing slashes", () => {
    expect(patch({}, { op: "add", path: "", value: [] })).toEqual([]);
    expect(patch({ foo: "bar" }, { op: "replace", path: "", value: { baz: "qux" } })).toEqual({ baz: "qux" });
    expect(patch([], { op: "add", path: "/-", value: "hi" })).toEqual(["hi"]);
    expect(patch({}, { op: "add", path: "/", value: 1 })).toEqual({ "": 1 });
    expect(patch({ foo: {} }, { op: "add", path: "/foo/", value: 1 })).toEqual({ foo: { "": 1 } });
    expect(patch({ foo: 1 }, { op: "add", path: "/0", value: "bar" })).toEqual({ foo: 1, "0": "bar" });
    expect(patch({ foo: 1 }, { op: "move", from: "/foo", path: "/foo" })).toEqual({ foo: 1 });
    expect(patch({ foo: 1 }, { op: "remove", path: "" }, { op: "add", path: "", value: 2 })).toBe(2);
    expect(patch([1, 2, 3, 4], { op: "remove", path: "/1" }, { op: "remove", path: "/2" })).toEqual([1, 3]);
  });
  it("patches sets by member", () => {
    expect(patch(S([0], "a"), { op: "add", path: [[0], 1], value: 1 })).toEqual(S([0, 1], "a"));
    expect(patch(S(1, 2), { op: "remove", path: [1] })).toEqual(S(2));
    expect(patch(S(1), { op: "add", path: [2], value: 2 })).toEqual(S(1, 2));
    expect(patch({ s: S("x") }, { op: "test", path: "/s/x", value: "x" })).toEqual({ s: S("x") });
  });
  it("is undefined when any operation fails", () => {
    const undefinedFor: [Value, Value[]][] = [
      [{ q: { bar: 2 } }, [{ op: "add", path: "/a/b", value: 1 }]],
      [{ baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }]],
      [{ "~1": 10 }, [{ op: "test", path: "/~01", value: "10" }]],
      [{ bar: [1, 2] }, [{ op: "add", path: "/bar/8", value: "5" }]],
      [{ bar: [1, 2] }, [{ op: "add", path: "/bar/-1", value: "5" }]],
      [["foo", "sil"], [{ op: "add", path: "/3", value: "bar" }]],
      [["foo", "bar"], [{ op: "test", path: "/1e0", value: "bar" }]],
      [["foo", "bar"], [{ op: "test", path: "/01", value: "bar" }]],
      [["foo", "sil"], [{ op: "add", path: "/bar", value: 42 }]],
      [{}, [{ op: "add", value: "bar" }]],
      [{}, [{ op: "add", path: null, value: "bar" }]],
      [[1], [{ op: "add", path: "/-" }]],
      [[1], [{ op: "copy", path: "/-" }]],
      [{ foo: 1 }, [{ op: "copy", from: "/bar", path: "/foo" }]],
      [{ foo: 1 }, [{ op: "spam", path: "/foo", value: 1 }]],
      [{ foo: "bar" }, [{ op: "remove", path: "/baz" }]],
      [["foo", "bar"], [{ op: "remove", path: "/2" }]],
      [{ bar: "baz" }, [{ op: "replace", path: "/foo/bar", value: false }]],
      [[1, 2, 3], [{ op: "add", path: "1.2", value: "foo" }]],
      [{ a: 1 }, [1]],
      [{ a: 1 }, [{ op: "remove", path: "" }]],
    ];
    for (const [doc, ops] of undefinedFor) expect(call("json.patch", doc, ops)).toBeUndefined();
  });
  it("needs an array of patches", () => {
    expect(failure("json.patch", {}, { op: "add" })).toEqual(["eval_type_error", "operand 2 must be array but got object"]);
  });
});
