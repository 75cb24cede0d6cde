// The lexer: text to tokens and comments, with diagnostics for text that makes no token. Never throws.
import type { IToken } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import type { Location } from "./ast.js";
import { DiagnosticCodes, diagnostic, type Diagnostic } from "./diagnostics.js";
import * as T from "./tokens.js";

// Chevrotain tracks offsets only; lines and columns are filled in by one pass over a table of line starts, which
// is several times cheaper than Chevrotain's "full" tracking.
const lexer = new Lexer(T.ALL_TOKENS, { positionTracking: "onlyOffset", ensureOptimizations: true });

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
  const lineStarts = lineStartOffsets(text);
  for (const err of result.errors) {
    const ch = text.slice(err.offset, err.offset + err.length);
    const line = lineOfOffset(lineStarts, err.offset);
    const column = err.offset - lineStarts[line - 1]! + 1;
    const loc: Location = {
      file,
      line,
      column,
      endLine: line,
      endColumn: column + Math.max(0, err.length - 1),
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
  const comments = (result.groups["comments"] ?? []) as IToken[];
  addLines(tokens, lineStarts);
  addLines(comments, lineStarts);
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
  return { tokens, comments, diagnostics };
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset. */
function lineOfOffset(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Sets the 1-based start and end line and column of tokens in offset order. */
function addLines(tokens: IToken[], lineStarts: number[]): void {
  let line = 0;
  for (const tok of tokens) {
    const start = tok.startOffset;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= start) line++;
    tok.startLine = line + 1;
    tok.startColumn = start - lineStarts[line]! + 1;
    const end = start + tok.image.length - 1;
    tok.endOffset = end;
    let endLine = line;
    while (endLine + 1 < lineStarts.length && lineStarts[endLine + 1]! <= end) endLine++;
    tok.endLine = endLine + 1;
    tok.endColumn = end - lineStarts[endLine]! + 1;
  }
}

function illegalCharacterHint(ch: string): string | undefined {
  if (ch.startsWith("'")) return 'strings use double quotes ("…") or back-ticks (`…`), not single quotes';
  if (ch.startsWith("&") || ch.startsWith("!")) return "write `not x` for negation; `&&` and `||` do not exist in Rego: put conditions on separate lines";
  if (ch.startsWith("$")) return "names may contain letters, digits and `_` only";
  return undefined;
}
