// The lexer: text to tokens and comments, with diagnostics for text that makes no token. Never throws.
import { Lexer, type IToken } from "chevrotain";
import type { Location } from "./ast.js";
import { DiagnosticCodes, diagnostic, type Diagnostic } from "./diagnostics.js";
import * as T from "./tokens.js";

const lexer = new Lexer(T.ALL_TOKENS, { positionTracking: "full", ensureOptimizations: false });

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

export function tokenLocation(file: string, first: IToken, last: IToken = first): Location {
  return {
    file,
    line: first.startLine ?? 1,
    column: first.startColumn ?? 1,
    endLine: last.endLine ?? first.startLine ?? 1,
    endColumn: last.endColumn ?? first.startColumn ?? 1,
    offset: first.startOffset,
    endOffset: (last.endOffset ?? last.startOffset) + 1,
  };
}

export function tokenize(text: string, file: string): LexResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const err of result.errors) {
    const ch = text.slice(err.offset, err.offset + err.length);
    const loc: Location = {
      file,
      line: err.line ?? 1,
      column: err.column ?? 1,
      endLine: err.line ?? 1,
      endColumn: (err.column ?? 1) + Math.max(0, err.length - 1),
      offset: err.offset,
      endOffset: err.offset + err.length,
    };
    diagnostics.push(
      diagnostic(
        DiagnosticCodes.illegalCharacter,
        `unexpected character${err.length > 1 ? "s" : ""} ${JSON.stringify(ch)}`,
        loc,
        illegalCharacterHint(ch),
      ),
    );
  }
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.tokenType === T.UnterminatedString) {
      diagnostics.push(
        diagnostic(
          DiagnosticCodes.unterminatedString,
          "this string has no closing `\"` before the end of the line",
          tokenLocation(file, tok),
          'close the string with `"`; for text over several lines use a raw string in back-ticks (`…`)',
        ),
      );
      tokens[i] = { ...tok, tokenType: T.StringLit, tokenTypeIdx: T.StringLit.tokenTypeIdx!, image: tok.image.replace(/\\?$/, "") + '"' };
    } else if (tok.tokenType === T.UnterminatedRawString) {
      diagnostics.push(
        diagnostic(
          DiagnosticCodes.unterminatedRawString,
          "this raw string has no closing back-tick",
          tokenLocation(file, tok),
          "close the raw string with a back-tick (`)",
        ),
      );
      tokens[i] = { ...tok, tokenType: T.RawStringLit, tokenTypeIdx: T.RawStringLit.tokenTypeIdx!, image: tok.image + "`" };
    }
  }
  return { tokens, comments: (result.groups["comments"] ?? []) as IToken[], diagnostics };
}

function illegalCharacterHint(ch: string): string | undefined {
  if (ch.startsWith("'")) return 'strings use double quotes ("…") or back-ticks (`…`), not single quotes';
  if (ch.startsWith("&") || ch.startsWith("!")) return "write `not x` for negation; `&&` and `||` do not exist in Rego: put conditions on separate lines";
  if (ch.startsWith("$")) return "names may contain letters, digits and `_` only";
  return undefined;
}
