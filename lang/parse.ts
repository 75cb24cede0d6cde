// parseModule: text to `{ module?, diagnostics }`. Never throws on any text.
//
// The grammar's root rule is one statement (package, import or rule). This file runs it statement by statement,
// so that after an error it can skip to the next line that starts a statement and report several errors at once.
import type { IRecognitionException, IToken } from "chevrotain";
import { EOF } from "./chevrotain.js";
import type * as A from "./ast.js";
import { metadataBlocks } from "./annotations.js";
import { DiagnosticCodes, diagnostic, hasErrors, type Diagnostic } from "./diagnostics.js";
import { parser } from "./grammar.js";
import { tokenize, tokenLocation } from "./lexer.js";
import { describeFound } from "./parse-errors.js";
import { AstBuilder, refText, spanLoc, type Statement } from "./to-ast.js";
import * as T from "./tokens.js";

export interface ParseOptions {
  /** The file name used in locations and messages. */
  file?: string;
  /** Stop after this many errors (default 20). */
  maxErrors?: number;
}

export interface ParseResult {
  /** The module, when the text has no errors (and, with errors, whatever could be recovered). */
  module?: A.Module;
  diagnostics: Diagnostic[];
}

const STATEMENT_STARTS = new Set([T.Identifier, T.Default, T.Package, T.Import]);

export function parseModule(text: string, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? "<input>";
  try {
    return parseUnsafe(text, file, options.maxErrors ?? 20);
  } catch (e) {
    // A bug in the front end must not take a caller down: report it as a diagnostic.
    const loc: A.Location = { file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
    const message = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diagnostic("internal-error", `the parser failed unexpectedly: ${message}`, loc, "please report this with the file that caused it")] };
  }
}

function parseUnsafe(text: string, file: string, maxErrors: number): ParseResult {
  const lexed = tokenize(text, file);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  const tokens = lexed.tokens;
  const builder = new AstBuilder(file, diagnostics);
  const statements: Statement[] = [];

  parser.input = tokens;
  let pos = 0;
  while (pos < tokens.length) {
    if (countErrors(diagnostics) >= maxErrors) {
      diagnostics.push(
        diagnostic(DiagnosticCodes.tooManyErrors, `too many errors; the rest of the file was not checked`, tokenLocation(file, tokens[pos]!)),
      );
      break;
    }
    parser.errors = [];
    parser.position = pos - 1;
    const cst = parser.statement();
    const errors = parser.errors;
    if (errors.length === 0) {
      const end = parser.position;
      const stmt = builder.statement(cst);
      if (stmt) statements.push(stmt);
      pos = end + 1;
      const next = tokens[pos];
      if (next !== undefined && next.startLine === tokens[end]!.endLine) {
        // a statement ends at the end of its line: something follows on the same line
        diagnostics.push(trailingTokenDiagnostic(file, stmt, next));
        pos = nextStatementStart(tokens, pos + 1, tokens[pos - 1]!);
      } else if (stmt?.kind === "rule" && isBareHead(stmt)) {
        const name = refText(stmt.head.name);
        diagnostics.push(
          diagnostic(
            DiagnosticCodes.unexpectedToken,
            `the rule \`${name}\` has neither a value nor a body`,
            stmt.head.loc,
            `write \`${name} := value\`, \`${name} if { … }\` or \`${name} contains value if { … }\``,
          ),
        );
      }
      continue;
    }
    const err = errors[0]!;
    diagnostics.push(errorDiagnostic(file, text, tokens, pos, err));
    const at = err.token.tokenType === EOF ? tokens.length : indexOfToken(tokens, err.token);
    pos = nextStatementStart(tokens, Math.max(at, pos + 1), tokens[pos]!);
  }

  const module = assemble(file, text, statements, lexed.comments, diagnostics);
  sortDiagnostics(diagnostics);
  return { module, diagnostics };
}

function countErrors(ds: Diagnostic[]): number {
  return ds.filter((d) => d.severity === "error").length;
}

function sortDiagnostics(ds: Diagnostic[]): void {
  ds.sort((a, b) => a.loc.offset - b.loc.offset);
}

/** The first token at or after `from` that starts a line, no further right than `start`, and can begin a statement. */
function nextStatementStart(tokens: IToken[], from: number, start: IToken): number {
  const column = start.startColumn ?? 1;
  for (let j = Math.max(from, 1); j < tokens.length; j++) {
    const tok = tokens[j]!;
    if (tok.startLine! > tokens[j - 1]!.endLine! && tok.startColumn! <= column && STATEMENT_STARTS.has(tok.tokenType)) return j;
  }
  return tokens.length;
}

function indexOfToken(tokens: IToken[], tok: IToken): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const off = tokens[mid]!.startOffset;
    if (off === tok.startOffset) return mid;
    if (off < tok.startOffset) lo = mid + 1;
    else hi = mid - 1;
  }
  return lo;
}

function endOfTextLocation(file: string, text: string): A.Location {
  const lines = text.split("\n");
  const line = lines.length;
  const column = lines[lines.length - 1]!.length + 1;
  return { file, line, column, endLine: line, endColumn: column, offset: text.length, endOffset: text.length };
}

function errorDiagnostic(file: string, text: string, tokens: IToken[], start: number, err: IRecognitionException): Diagnostic {
  const tok = err.token;
  const atEnd = tok.tokenType === EOF;
  const loc = atEnd ? endOfTextLocation(file, text) : tokenLocation(file, tok);
  const code = atEnd ? DiagnosticCodes.unexpectedEnd : DiagnosticCodes.unexpectedToken;
  const index = atEnd ? tokens.length : indexOfToken(tokens, tok);
  const prev = index > 0 ? tokens[index - 1] : undefined;
  let message = err.message;
  let hint: string | undefined;

  const unclosed = unclosedBracket(tokens, start, index);
  const expectsClose = /^expected `[}\])]`/.test(message);
  if (atEnd && unclosed) {
    message = `${message}: the \`${unclosed.image}\` on line ${unclosed.startLine} is never closed`;
    hint = `close it with \`${CLOSERS[unclosed.image]}\``;
  } else if (expectsClose && prev && tok.startLine === prev.endLine && startsExpression(tok)) {
    hint = "put each expression of a body on its own line, or separate them with `;`";
  } else if (tok.tokenType === T.Equal && ruleHeadEndsAt(tokens, start, index)) {
    hint = "a rule's value is set with `:=`, as in `allow := true if …`; `==` compares";
  } else if (tok.tokenType === T.Assign && expectsClose) {
    hint = "`:=` declares a variable and stands as a statement of its own: `x := f(y)`; to compare use `==`";
  } else if (isCloser(tok) && expectsClose) {
    hint = unclosed
      ? `this \`${tok.image}\` does not match the \`${unclosed.image}\` opened on line ${unclosed.startLine}`
      : `this \`${tok.image}\` closes nothing; remove it`;
  } else if (unclosed && !expectsClose && tok.startLine! > unclosed.startLine! && tok.startColumn === 1) {
    hint = `the \`${unclosed.image}\` on line ${unclosed.startLine} may be missing its \`${CLOSERS[unclosed.image]}\``;
  }
  return diagnostic(code, message, loc, hint);
}

const CLOSERS: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** The innermost bracket opened between two token indexes and not closed before the second. */
function unclosedBracket(tokens: IToken[], from: number, to: number): IToken | undefined {
  const stack: IToken[] = [];
  for (let i = from; i < to && i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.LBrace || t.tokenType === T.LBrack || t.tokenType === T.LParen) stack.push(t);
    else if (t.tokenType === T.RBrace || t.tokenType === T.RBrack || t.tokenType === T.RParen) stack.pop();
  }
  return stack.length > 0 ? stack[stack.length - 1] : undefined;
}

function isCloser(tok: IToken): boolean {
  return tok.tokenType === T.RBrace || tok.tokenType === T.RBrack || tok.tokenType === T.RParen;
}

function startsExpression(tok: IToken): boolean {
  return [T.Identifier, T.NumberLit, T.StringLit, T.RawStringLit, T.True, T.False, T.Null, T.Not, T.Some, T.Every, T.LBrack].includes(
    tok.tokenType,
  );
}

/** Whether the tokens from `start` up to `index` are just a rule head (`p`, `a.b`, `p[x]`). */
function ruleHeadEndsAt(tokens: IToken[], start: number, index: number): boolean {
  let i = start;
  if (tokens[i]?.tokenType === T.Default) i++;
  if (tokens[i]?.tokenType !== T.Identifier) return false;
  let depth = 0;
  for (i++; i < index; i++) {
    const t = tokens[i]!.tokenType;
    if (t === T.LBrack || t === T.LParen) depth++;
    else if (t === T.RBrack || t === T.RParen) depth--;
    else if (depth === 0 && t !== T.Dot && t !== T.Identifier) return false;
  }
  return depth === 0;
}

function isBareHead(rule: A.Rule): boolean {
  return !rule.default && rule.body === undefined && rule.head.value === undefined && rule.head.contains === undefined;
}

function trailingTokenDiagnostic(file: string, stmt: Statement | undefined, next: IToken): Diagnostic {
  const loc = tokenLocation(file, next);
  const found = describeFound(next);
  if (stmt?.kind === "rule" && isBareHead(stmt)) {
    const name = refText(stmt.head.name);
    if (next.tokenType === T.Equal) {
      return diagnostic(
        DiagnosticCodes.unexpectedToken,
        `expected \`:=\` or \`=\` to give the rule \`${name}\` a value, found \`==\``,
        loc,
        `\`==\` compares; write \`${name} := …\``,
      );
    }
    return diagnostic(
      DiagnosticCodes.unexpectedToken,
      `expected \`if\`, \`:=\`, \`=\` or \`contains\` after the rule name \`${name}\`, found ${found}`,
      loc,
      `a rule's conditions follow \`if\`: write \`${name} if …\``,
    );
  }
  const what = stmt?.kind === "package" ? "the package declaration" : stmt?.kind === "import" ? "the import" : "the rule";
  return diagnostic(
    DiagnosticCodes.unexpectedToken,
    `expected the end of the line after ${what}, found ${found}`,
    loc,
    stmt?.kind === "rule" ? "start each rule on a new line; separate the expressions of a body with new lines or `;`" : undefined,
  );
}

function assemble(
  file: string,
  text: string,
  statements: Statement[],
  commentTokens: IToken[],
  diagnostics: Diagnostic[],
): A.Module | undefined {
  const comments: A.Comment[] = commentTokens.map((t) => ({ kind: "comment", text: t.image.slice(1), loc: tokenLocation(file, t) }));
  const blocks = metadataBlocks(comments, diagnostics);
  let pkg: A.PackageDecl | undefined;
  const imports: A.ImportDecl[] = [];
  const rules: A.Rule[] = [];
  for (const s of statements) {
    if (s.kind === "package") {
      if (pkg !== undefined || imports.length > 0 || rules.length > 0) {
        diagnostics.push(
          diagnostic(
            DiagnosticCodes.invalidConstruct,
            pkg ? "a module has one `package` declaration" : "the `package` declaration must come first",
            s.loc,
            pkg ? "put each package in its own file" : "move `package` to the top of the file",
          ),
        );
        continue;
      }
      pkg = s;
    } else if (s.kind === "import") {
      if (rules.length > 0) {
        diagnostics.push(
          diagnostic(DiagnosticCodes.invalidConstruct, "imports must come before the rules", s.loc, "move the import above the first rule"),
        );
      }
      imports.push(s);
    } else {
      rules.push(s);
    }
  }
  if (pkg === undefined) {
    const first = statements[0]?.loc ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
    if (!hasErrors(diagnostics) || statements.length > 0) {
      diagnostics.push(
        diagnostic(
          DiagnosticCodes.missingPackage,
          "a module must start with a `package` declaration",
          first,
          "add `package name` as the first line, such as `package authz`",
        ),
      );
    }
    return undefined;
  }
  attachAnnotations(blocks, pkg, rules, diagnostics);
  const end = rules.length > 0 ? rules[rules.length - 1]!.loc : imports.length > 0 ? imports[imports.length - 1]!.loc : pkg.loc;
  const whole: A.Location = { ...spanLoc(pkg.loc, end), line: 1, column: 1, offset: 0, endOffset: text.length };
  return { kind: "module", file, package: pkg, imports, rules, comments, loc: whole };
}

function attachAnnotations(
  blocks: ReturnType<typeof metadataBlocks>,
  pkg: A.PackageDecl,
  rules: A.Rule[],
  diagnostics: Diagnostic[],
): void {
  const targets: (A.PackageDecl | A.Rule)[] = [pkg, ...rules];
  for (const block of blocks) {
    const target = targets.find((t) => t.loc.line > block.lastLine);
    if (target === undefined) {
      diagnostics.push(
        diagnostic(DiagnosticCodes.invalidMetadata, "this METADATA block is not followed by a rule or package", block.annotation.loc),
      );
      continue;
    }
    const a = block.annotation;
    if (target.kind === "package") {
      if (a.data["scope"] === undefined) a.scope = "package";
      else if (a.scope !== "package" && a.scope !== "subpackages") {
        diagnostics.push(
          diagnostic(DiagnosticCodes.invalidMetadata, `METADATA above a package must have scope package or subpackages, not ${a.scope}`, a.loc),
        );
      }
    } else if (a.scope === "package" || a.scope === "subpackages") {
      if (target.loc.line !== block.lastLine + 1 || a.data["scope"] === undefined) {
        diagnostics.push(
          diagnostic(DiagnosticCodes.invalidMetadata, `METADATA with scope ${a.scope} must stand above the package declaration`, a.loc),
        );
      }
    }
    if (target.annotations !== undefined) {
      diagnostics.push(diagnostic(DiagnosticCodes.invalidMetadata, "only one METADATA block may annotate a rule or package", a.loc));
      continue;
    }
    target.annotations = a;
  }
}

export interface QueryParseResult {
  body?: A.Body;
  diagnostics: Diagnostic[];
}

/** Parses a query: literals separated by `;` or new lines (`data.authz.allow`, `x := input.a; x > 1`). */
export function parseQuery(text: string, options: ParseOptions = {}): QueryParseResult {
  const file = options.file ?? "<query>";
  try {
    const lexed = tokenize(text, file);
    const diagnostics: Diagnostic[] = [...lexed.diagnostics];
    if (lexed.tokens.length === 0) {
      diagnostics.push(diagnostic(DiagnosticCodes.unexpectedEnd, "the query is empty", endOfTextLocation(file, text)));
      return { diagnostics };
    }
    parser.input = lexed.tokens;
    parser.errors = [];
    parser.position = -1;
    const cst = parser.query();
    const err = parser.errors[0];
    if (err) {
      diagnostics.push(errorDiagnostic(file, text, lexed.tokens, 0, err));
      return { diagnostics };
    }
    const next = lexed.tokens[parser.position + 1];
    if (next !== undefined) {
      diagnostics.push(
        diagnostic(DiagnosticCodes.unexpectedToken, `expected the end of the query, found ${describeFound(next)}`, tokenLocation(file, next)),
      );
      return { diagnostics };
    }
    const body = new AstBuilder(file, diagnostics).queryBody(cst);
    return body && !hasErrors(diagnostics) ? { body, diagnostics } : { diagnostics };
  } catch (e) {
    const loc: A.Location = { file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
    return { diagnostics: [diagnostic("internal-error", `the parser failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, loc)] };
  }
}
