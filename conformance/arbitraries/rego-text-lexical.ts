// Lexical pieces of generated Rego text: keywords, whitespace, names, scalars and comments.
import fc from "fast-check";
import { seq, weighted, type Arb } from "./rego-text-combinators.js";

export const REGO_KEYWORDS: ReadonlySet<string> = new Set([
  "package",
  "import",
  "as",
  "default",
  "if",
  "contains",
  "else",
  "some",
  "in",
  "every",
  "not",
  "with",
  "true",
  "false",
  "null",
]);

/** Names that are not plain variables: keywords, the roots `data` / `input`, and the wildcard. */
const RESERVED: ReadonlySet<string> = new Set([...REGO_KEYWORDS, "data", "input", "_"]);

/** Required whitespace between two tokens on one line. */
export const ws: Arb = weighted([12, " "], [1, "  "], [1, "\t"], [1, " \t "]);
/** Optional whitespace between two tokens that cannot merge. */
export const ows: Arb = weighted([6, ""], [6, " "], [1, "  "], [1, "\t"]);
/** Indentation at the start of a line inside a block (purely cosmetic in Rego). */
export const indent: Arb = weighted([6, "\t"], [4, "  "], [4, "    "], [1, ""], [1, "        "], [1, " \t"]);
/** One or more line breaks, occasionally with blank lines holding spaces. */
export const newlines: Arb = weighted([10, "\n"], [3, "\n\n"], [1, "\n  \n"], [1, "\n\n\n"], [1, "\n\t\n"]);

const COMMON_NAMES = [
  "x",
  "y",
  "z",
  "k",
  "v",
  "i",
  "j",
  "xs",
  "user",
  "role",
  "roles",
  "perm",
  "item",
  "name",
  "resource",
  "action",
  "req",
  "obj",
  "val",
  "key",
  "count_x",
  "_tmp",
  "x1",
  "A_B",
  // identifiers that start with a keyword: the lexer must not split them
  "iff",
  "inx",
  "input_x",
  "datax",
  "notify",
  "someone",
  "everyone",
  "contained",
  "elsewhere",
  "within",
  "imports",
  "packages",
  "defaults",
  "truex",
  "falsey",
  "nullable",
  "asx",
  "as_of",
  "ifx",
];

const generatedName: Arb = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,7}$/)
  .filter((s) => !RESERVED.has(s) && s !== "set");

/** A plain variable name (never a keyword, `data`, `input` or `_`). */
export const varName: Arb = weighted([5, fc.constantFrom(...COMMON_NAMES)], [1, generatedName]);
/** A variable as it may appear in expressions, the wildcard included. */
export const varOrWildcard: Arb = weighted([8, varName], [1, "_"]);

/** A name after `.` in a ref: a plain identifier (keywords after `.` are not generated). */
export const fieldName: Arb = weighted(
  [5, fc.constantFrom("a", "b", "c", "user", "roles", "name", "spec", "metadata", "labels", "kind", "request", "method", "path", "id")],
  [2, varName],
);

/** A name after `.` in an expression's ref: mostly plain names, sometimes keywords (`input.in`, `data.x.every`). */
export const refFieldName: Arb = weighted([12, fieldName], [1, fc.constantFrom("in", "if", "contains", "every", "some", "else")]);

const RULE_NAMES = [
  "allow",
  "deny",
  "violation",
  "p",
  "q",
  "r",
  "is_admin",
  "user_roles",
  "everything",
  "notes",
  "within_limit",
  "import_ok",
  "results",
  "decision",
];
export const ruleName: Arb = weighted([4, fc.constantFrom(...RULE_NAMES)], [1, varName.filter((s) => s !== "_")]);

const FUNCTION_NAMES = ["f", "g", "has_role", "is_valid", "fmt_name", "matches", "lookup"];
export const functionName: Arb = fc.constantFrom(...FUNCTION_NAMES);

export const BUILTINS = [
  "count",
  "sum",
  "max",
  "min",
  "startswith",
  "endswith",
  "concat",
  "sprintf",
  "lower",
  "upper",
  "trim_space",
  "is_string",
  "contains",
  "strings.replace_n",
  "object.get",
  "object.union",
  "array.concat",
  "json.marshal",
  "regex.match",
  "time.now_ns",
  "net.cidr_contains",
  "io.jwt.decode",
  "walk",
  "data.lib.f",
  "data.lib.util.check",
  "f",
  "g",
  "has_role",
];

// ---------------------------------------------------------------------------------------------------------------
// scalars

const digits = (min: number, max: number): Arb =>
  fc.array(fc.constantFrom(..."0123456789".split("")), { minLength: min, maxLength: max }).map((d) => d.join(""));
/** A natural number without leading zeros. */
export const natural: Arb = weighted(
  [3, fc.nat({ max: 100 }).map(String)],
  [2, fc.nat().map(String)],
  [1, seq(fc.constantFrom(..."123456789".split("")), digits(0, 30))],
  [1, fc.constantFrom("123456789012345678901234567890", "9007199254740993", "18446744073709551616")],
);
const exponent: Arb = seq(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.nat({ max: 30 }).map(String));
const unsignedNumber: Arb = weighted(
  [6, natural],
  [2, seq(natural, ".", digits(1, 6))],
  [1, seq(natural, exponent)],
  [1, seq(natural, ".", digits(1, 4), exponent)],
  [1, fc.constantFrom("0.5", "3.14159", "1e3", "2.5E-4", "1e+2", "0.0", "6.02e23")],
);
/** A number literal; negative numbers are written with `-` touching the digits. */
export const numberLit: Arb = weighted([4, unsignedNumber], [1, seq("-", unsignedNumber)]);

const stringChar: Arb = weighted(
  [20, fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 _-./:#{}[]()|&=<>!?*+%@$'`,;".split(""))],
  [4, fc.constantFrom("\\n", '\\"', "\\\\", "\\u00e9", "\\t", "\\/", "\\b", "\\f", "\\r", "\\u0041", "\\u2603", "\\ud83d\\ude00")],
  [2, fc.constantFrom("é", "ü", "日本", "ß", "😀", "Ω", "\u00a0")],
  [
    1,
    fc
      .integer({ min: 0x20, max: 0xfffd })
      .filter((c) => c < 0xd800 || c > 0xdfff)
      .map((c) => `\\u${c.toString(16).padStart(4, "0")}`),
  ],
);
/** A double-quoted string with JSON escapes. */
export const quotedString: Arb = fc.array(stringChar, { maxLength: 12 }).map((cs) => `"${cs.join("")}"`);

const rawChar: Arb = weighted(
  [20, fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 _-./:#{}[]()|&=<>!?*+%@$'\",;".split(""))],
  [3, fc.constantFrom("\\", "\\d+", "\\n", "^", "$", "é", "\t")],
  [1, "\n"],
);
/** A back-tick raw string (may span lines; never contains a back-tick). */
export const rawString: Arb = fc.array(rawChar, { maxLength: 12 }).map((cs) => `\`${cs.join("")}\``);

export const stringLit: Arb = weighted(
  [6, quotedString],
  [2, rawString],
  [2, fc.constantFrom('"admin"', '"read"', '"write"', '"b-c"', '""', '"GET"', '"/api/v1"', '"a.b"')],
);

export const scalar: Arb = weighted([4, numberLit], [5, stringLit], [1, "true"], [1, "false"], [1, "null"]);

// ---------------------------------------------------------------------------------------------------------------
// comments

const commentText: Arb = weighted(
  [4, fc.constantFrom(" TODO: tighten", " see RFC 42", " deny by default", "", " é ü 日本", "#", " x := 1 { not a rule }", "\ttabbed")],
  [2, fc.string({ maxLength: 20 }).map((s) => s.replace(/[\n\r\u2028\u2029]/g, " "))],
);
export const comment: Arb = seq("#", commentText);
