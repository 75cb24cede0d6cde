// Token soups: random sequences of Rego tokens, mostly lexically valid and syntactically invalid.
import fc from "fast-check";
import { REGO_KEYWORDS } from "./rego-text-lexical.js";

/** Rego tokens (and near-tokens) for token soups. */
export const REGO_TOKEN_SOUP: readonly string[] = [
  ...REGO_KEYWORDS,
  "data",
  "input",
  "rego.v1",
  "x",
  "p",
  "f",
  "_",
  "1",
  "-1",
  "1.5e3",
  "0001",
  "1e999999",
  '"s"',
  '"\\u00e9"',
  '"\\q"',
  '"unterminated',
  "`raw`",
  "`unterminated",
  ":=",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  ",",
  ";",
  ":",
  ".",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "# comment",
  "# METADATA",
  "\n",
  "\n",
  " ",
  " ",
  "\t",
  "'",
  "$",
  "!",
  "@",
  "\\",
  "\u00e9",
  "\r\n",
];

/** Sequences of Rego tokens with random spacing: syntactically mostly invalid, lexically mostly valid. */
export function tokenSoup(maxTokens = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...REGO_TOKEN_SOUP), fc.constantFrom("", " ", "\n")), { maxLength: maxTokens })
    .map((ts) => ts.map(([t, s]) => t + s).join(""));
}
