// Plain-word messages for the grammar's errors: what was expected, what was found.
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";
import * as T from "./tokens.js";

/** How a token reads in a message: `if`, `}`, `allow`, a string, the end of the file. */
export function describeFound(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return "the end of the file";
  const type = tok.tokenType;
  if (type === T.StringLit || type === T.UnterminatedString) return `the string ${shorten(tok.image)}`;
  if (type === T.RawStringLit || type === T.UnterminatedRawString) return "a raw string";
  if (type === T.NumberLit) return `the number ${shorten(tok.image)}`;
  if (type === T.Identifier) return `the name \`${shorten(tok.image)}\``;
  if (T.KEYWORDS.includes(type)) return `the keyword \`${tok.image}\``;
  return `\`${tok.image}\``;
}

export function describeExpected(type: TokenType): string {
  if (type === EOF) return "the end of the file";
  return typeof type.LABEL === "string" ? type.LABEL : `\`${type.name}\``;
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}…` : text;
}

/** What each grammar rule expects when none of its alternatives fits. */
const RULE_EXPECTATIONS: Record<string, string> = {
  statement: "a rule, an `import` or a `package` declaration",
  ruleDecl: "a rule",
  ruleHead: "a rule name",
  ruleBody: "a rule body (`if …` or `if { … }`)",
  literal: "an expression",
  operand: "a term (a value, a name, `[`, `{` or `(`)",
  refArg: "`.name`, `[index]` or `(arguments)`",
  infix: "a term",
  expr: "a term",
  itemList: "a term",
  objectEntry: "an object key",
};

function expectationFromPaths(paths: TokenType[][][] | TokenType[][]): string {
  const firsts = new Set<TokenType>();
  for (const alt of paths as unknown[]) {
    const list = alt as TokenType[][] | TokenType[];
    for (const path of list) {
      const first = Array.isArray(path) ? path[0] : path;
      if (first !== undefined) firsts.add(first);
    }
  }
  const names = [...firsts].map(describeExpected);
  if (names.length === 0) return "something else";
  if (names.length === 1) return names[0]!;
  if (names.length > 6) return `one of ${names.slice(0, 6).join(", ")}, …`;
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export const parserErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${describeExpected(expected)}, found ${describeFound(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected the end of the file, found ${describeFound(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const expected = RULE_EXPECTATIONS[ruleName] ?? expectationFromPaths(expectedPathsPerAlt);
    return `expected ${expected}, found ${describeFound(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const expected = RULE_EXPECTATIONS[ruleName] ?? expectationFromPaths(expectedIterationPaths);
    return `expected ${expected}, found ${describeFound(actual[0])}`;
  },
};
