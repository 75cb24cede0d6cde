// Token types of the Rego v1 / .guard language (Chevrotain).
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

function keyword(word: string): TokenType {
  return createToken({ name: `Kw_${word}`, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` });
}

export const Package = keyword("package");
export const Import = keyword("import");
export const As = keyword("as");
export const Default = keyword("default");
export const If = keyword("if");
export const Contains = keyword("contains");
export const Else = keyword("else");
export const Some = keyword("some");
export const In = keyword("in");
export const Every = keyword("every");
export const Not = keyword("not");
export const With = keyword("with");
export const True = keyword("true");
export const False = keyword("false");
export const Null = keyword("null");

export const KEYWORDS: readonly TokenType[] = [
  Package,
  Import,
  As,
  Default,
  If,
  Contains,
  Else,
  Some,
  In,
  Every,
  Not,
  With,
  True,
  False,
  Null,
];

export const NumberLit = createToken({
  name: "Number",
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const StringLit = createToken({ name: "String", pattern: /"(?:[^"\\\n]|\\.)*"/, label: "a string" });
/** A string that reaches the end of the line without its closing quote; reported, then parsed as a string. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n]|\\.)*\\?/,
  label: "a string",
});
export const RawStringLit = createToken({ name: "RawString", pattern: /`[^`]*`/, label: "a raw string" });
export const UnterminatedRawString = createToken({
  name: "UnterminatedRawString",
  pattern: /`[^`]*/,
  label: "a raw string",
});

export const Assign = createToken({ name: "Assign", pattern: /:=/, label: "`:=`" });
export const Equal = createToken({ name: "Equal", pattern: /==/, label: "`==`" });
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=/, label: "`!=`" });
export const LessEq = createToken({ name: "LessEq", pattern: /<=/, label: "`<=`" });
export const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/, label: "`>=`" });
export const Less = createToken({ name: "Less", pattern: /</, label: "`<`" });
export const Greater = createToken({ name: "Greater", pattern: />/, label: "`>`" });
export const Unify = createToken({ name: "Unify", pattern: /=/, label: "`=`" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "`+`" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "`-`" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "`*`" });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: "`/`" });
export const Percent = createToken({ name: "Percent", pattern: /%/, label: "`%`" });
export const Amp = createToken({ name: "Amp", pattern: /&/, label: "`&`" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "`|`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "`;`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const LBrack = createToken({ name: "LBrack", pattern: /\[/, label: "`[`" });
export const RBrack = createToken({ name: "RBrack", pattern: /\]/, label: "`]`" });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "`{`" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "`}`" });

/** Order matters: longer operators before their prefixes, keywords before identifiers. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  ...KEYWORDS,
  Identifier,
  NumberLit,
  StringLit,
  UnterminatedString,
  RawStringLit,
  UnterminatedRawString,
  Assign,
  Equal,
  NotEqual,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Unify,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Comma,
  Semicolon,
  Colon,
  Dot,
  LParen,
  RParen,
  LBrack,
  RBrack,
  LBrace,
  RBrace,
];

export const KEYWORD_NAMES: ReadonlySet<string> = new Set(KEYWORDS.map((k) => (k.PATTERN as RegExp).source));
