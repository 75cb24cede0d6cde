// fast-check arbitraries for Rego values (null, booleans, numbers incl. big integers and floats, strings, arrays,
// sets, objects incl. objects with non-string keys), and `regoText(v)`: a value written as a Rego term.
import fc from "fast-check";
import { MapObject, ObjectBuilder, SetValue, formatNumber, makeObject, type Value } from "../../engine/value/value.js";

/** Characters that exercise escapes, multi-byte UTF-8 and astral code points, but no lone surrogates. */
const CHARS = ["a", "b", "c", "z", "A", "Z", "0", "9", " ", "-", "_", ".", "/", ":", "%", "\"", "\\", "\n", "\t", "é", "ß", "€", "日", "😀", "\u0000", "\u007f"];

export const smallString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom("a", "b", "c", "x", "y"), maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 5 }) },
);

/** ASCII letters and digits only (for laws whose built-in is byte-oriented). */
export const asciiWord: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(..."abcdefxyzABZ019"), maxLength: 8 });

export const smallInt: fc.Arbitrary<number> = fc.integer({ min: -1000, max: 1000 });

export const bigInt: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 9007199254740993n, max: 10n ** 30n }),
  fc.bigInt({ min: -(10n ** 30n), max: -9007199254740993n }),
);

export const float: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.integer({ min: -2000, max: 2000 }).map((n) => n / 8),
);

export const numberValue: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 5, arbitrary: smallInt },
  { weight: 2, arbitrary: float },
  { weight: 1, arbitrary: bigInt },
);

export const scalarValue: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  numberValue,
  smallString,
);

export interface ValueOptions {
  depth?: number;
  /** Also generate sets and objects with non-string keys (not JSON-representable). */
  nonJson?: boolean;
}

/** Any Rego value, bounded in depth and width. */
export function value(options: ValueOptions = {}): fc.Arbitrary<Value> {
  const nonJson = options.nonJson ?? true;
  const { tree } = fc.letrec<{ tree: Value }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", maxDepth: options.depth ?? 3, withCrossShrink: true },
      { weight: 4, arbitrary: scalarValue },
      { weight: 1, arbitrary: fc.array(tie("tree"), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(fc.tuple(smallString, tie("tree")), { maxLength: 4 }).map((es) => jsonObject(es)) },
      ...(nonJson
        ? [
            { weight: 1, arbitrary: fc.array(tie("tree"), { maxLength: 4 }).map((xs) => new SetValue(xs) as Value) },
            { weight: 1, arbitrary: fc.array(fc.tuple(tie("tree"), tie("tree")), { maxLength: 3 }).map((es) => makeObject(es) as Value) },
          ]
        : []),
    ),
  }));
  return tree;
}

/** JSON values only (no sets, string keys). */
export const jsonValue: fc.Arbitrary<Value> = value({ nonJson: false });

function jsonObject(entries: [string, Value][]): Value {
  const b = new ObjectBuilder();
  for (const [k, v] of entries) b.set(k, v);
  return b.build();
}

export const stringArray: fc.Arbitrary<string[]> = fc.array(smallString, { maxLength: 5 });
export const numberArray: fc.Arbitrary<(number | bigint)[]> = fc.array(numberValue, { maxLength: 6 });
export const valueSet: fc.Arbitrary<SetValue> = fc.array(value({ depth: 1 }), { maxLength: 5 }).map((xs) => new SetValue(xs));
export const objectValue: fc.Arbitrary<Value> = fc
  .array(fc.tuple(fc.oneof(smallString, smallString, smallInt as fc.Arbitrary<Value>), value({ depth: 1 })), { maxLength: 4 })
  .map((es) => makeObject(es) as Value);
export const stringObject: fc.Arbitrary<Value> = fc.array(fc.tuple(smallString, value({ depth: 1 })), { maxLength: 4 }).map(jsonObject);

/** A value written as a Rego term (`set()` for the empty set, exact big integers, escaped strings). */
export function regoText(v: Value): string {
  switch (typeof v) {
    case "bigint":
      return v.toString();
    case "number":
      return numberText(v);
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return String(v);
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return "[" + v.map(regoText).join(", ") + "]";
      if (v instanceof SetValue) return v.size === 0 ? "set()" : "{" + v.sorted().map(regoText).join(", ") + "}";
      if (v instanceof MapObject) return "{" + [...v.entries.values()].map(([k, x]) => `${regoText(k)}: ${regoText(x)}`).join(", ") + "}";
      return "{" + Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${regoText(x)}`).join(", ") + "}";
  }
}

function numberText(n: number): string {
  const s = formatNumber(n);
  // JS writes 1e+21 and 1e-7; Rego reads both, but wants digits before an exponent's mantissa dot
  return s;
}
