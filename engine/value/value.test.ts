// JSON conversion and string order: the fast paths (a JSON tree taken as it is, objects copied at once when their
// keys are in order, keys compared by UTF-16 unit until a surrogate) against the plain definitions.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compare, compareStrings, copyFromJSON, fromJSON, MapObject, SetValue, toJSON, type Value } from "./value.js";

/** Code-point order, the definition compareStrings implements. */
function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** toJSON by definition: entries sorted by key, built with Object.fromEntries. */
function plainToJSON(v: Value): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(plainToJSON);
  if (v instanceof SetValue) return [...v.values()].sort(compare).map(plainToJSON);
  const entries: [Value, Value][] = v instanceof MapObject ? [...v.entries.values()] : Object.keys(v).map((k) => [k, v[k]!]);
  entries.sort((a, b) => compare(a[0], b[0]));
  return Object.fromEntries(entries.map(([k, x]) => [typeof k === "string" ? k : JSON.stringify(toJSON(k)), plainToJSON(x)]));
}

const tricky = fc.constantFrom("", "a", "b", "10", "2", "__proto__", "constructor", "toString", "\u{1F600}", "\uFF61", "\uD800", "é", "Z");
const key = fc.oneof(fc.string({ maxLength: 3, unit: "grapheme" }), fc.string({ maxLength: 3, unit: "binary" }), tricky);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 3 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("compareStrings", () => {
  it("orders by code point, surrogate pairs included", () => {
    const s = fc.string({ maxLength: 4, unit: "binary" });
    fc.assert(
      fc.property(s, s, (a, b) => {
        expect(Math.sign(compareStrings(a, b))).toBe(byCodePoint(a, b));
      }),
      { numRuns: 5000 },
    );
    expect(compareStrings("\u{1F600}", "\uFF61")).toBe(1); // UTF-16 units would say -1
    expect(compareStrings("a\uD800", "a\uDC00")).toBe(-1);
  });
});

describe("SetValue.sorted", () => {
  it("orders strings by code point, with and without surrogates", () => {
    const s = fc.oneof(fc.string({ maxLength: 4, unit: "binary" }), fc.string({ maxLength: 4 }), fc.constantFrom("\u{1F600}", "\uFF61", "a".repeat(50) + "b"));
    fc.assert(
      fc.property(fc.array(s, { maxLength: 8 }), (xs) => {
        expect(new SetValue(xs).sorted()).toEqual([...new Set(xs)].sort(byCodePoint));
      }),
      { numRuns: 3000 },
    );
    expect(new SetValue(["\uFF61", "\u{1F600}", "b"]).sorted()).toEqual(["b", "\uFF61", "\u{1F600}"]);
  });
});

describe("fromJSON", () => {
  it("takes a JSON tree as it is, and copies what is not one", () => {
    const tree = JSON.parse('{"a": [1, {"b": null}], "__proto__": {"x": true}, "s": "t"}') as Record<string, unknown>;
    expect(fromJSON(tree)).toBe(tree);
    const withUndefined = { a: 1, b: undefined, c: [{ d: undefined }] };
    const v = fromJSON(withUndefined) as Record<string, Value>;
    expect(v).not.toBe(withUndefined);
    expect(Object.keys(v)).toEqual(["a", "c"]);
    expect(v.c).toEqual([{}]);
    expect(fromJSON({ n: 5n, big: 2n ** 70n })).toEqual({ n: 5, big: 2n ** 70n });
    class Point {
      constructor(readonly x: number) {}
    }
    const p = fromJSON({ p: new Point(1) }) as Record<string, Value>;
    expect(Object.getPrototypeOf(p.p)).toBe(Object.prototype);
    expect(p.p).toEqual({ x: 1 });
    expect(() => fromJSON({ f: () => 1 })).toThrow(TypeError);
    expect(() => fromJSON([Symbol("s")])).toThrow(TypeError);
  });

  it("copyFromJSON shares no object or array with the tree", () => {
    const tree = { a: [1, { b: "c" }], d: {} };
    const v = copyFromJSON(tree) as Record<string, Value[]>;
    expect(v).toEqual(tree);
    expect(v).not.toBe(tree);
    expect(v.a).not.toBe(tree.a);
    expect(v.a![1]).not.toBe(tree.a[1]);
    const proto = copyFromJSON(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, Value>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });
});

describe("toJSON", () => {
  it("gives what the definition gives, keys in code-point order, `__proto__` an own key", () => {
    fc.assert(
      fc.property(json, (tree) => {
        for (const v of [fromJSON(tree), copyFromJSON(tree)]) {
          const out = toJSON(v);
          // (not toStrictEqual: it compares own `constructor` keys as constructors)
          expect(isDeepStrictEqual(out, plainToJSON(v)), JSON.stringify(out)).toBe(true);
          expect(JSON.stringify(out)).toBe(JSON.stringify(plainToJSON(v)));
        }
      }),
      { numRuns: 2000 },
    );
    const proto = toJSON(JSON.parse('{"b": 1, "__proto__": {"x": 1}}') as Value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__", "b"]);
    for (const text of ['{"__proto__": {"x": [1]}, "b": 1}', '{"__proto__": 5, "b": {}}']) {
      const out = toJSON(JSON.parse(text) as Value) as Record<string, unknown>;
      expect(Object.getPrototypeOf(out), text).toBe(Object.prototype);
      expect(JSON.stringify(out), text).toBe(JSON.stringify(JSON.parse(text)));
    }
    expect(Object.keys(toJSON({ "\uFF61": 1, "\u{1F600}": 2, a: 3 }) as object)).toEqual(["a", "\uFF61", "\u{1F600}"]);
    expect(toJSON(new SetValue(["b", 1, "a", [2]]))).toEqual([1, "a", "b", [2]]);
    expect(toJSON(new MapObject([[2, "x"], ["k", new SetValue([true])]]))).toEqual({ "2": "x", k: [true] });
  });

  it("returns new objects: the value is not shared with the JSON", () => {
    const v = { a: { b: [1] } };
    const out = toJSON(v) as typeof v;
    expect(out).toEqual(v);
    expect(out).not.toBe(v);
    expect(out.a).not.toBe(v.a);
    expect(out.a.b).not.toBe(v.a.b);
  });
});
