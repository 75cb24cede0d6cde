// Diagnostics: coded, located messages in plain words, rendered like a modern compiler's (source line + caret).
import type { Location } from "./ast.js";

export type Severity = "error" | "warning";

/** The catalogue of diagnostic codes the language front end reports. */
export const DiagnosticCodes = {
  /** A character that starts no token. */
  illegalCharacter: "illegal-character",
  /** A string with no closing quote before the end of the line. */
  unterminatedString: "unterminated-string",
  /** A raw (back-tick) string with no closing back-tick. */
  unterminatedRawString: "unterminated-raw-string",
  /** A backslash escape that JSON strings do not allow. */
  invalidEscape: "invalid-escape",
  /** A malformed number (leading zeros, exponent out of range). */
  invalidNumber: "invalid-number",
  /** The parser expected one thing and found another. */
  unexpectedToken: "unexpected-token",
  /** The text ended in the middle of a construct. */
  unexpectedEnd: "unexpected-end",
  /** Syntax accepted by Rego v0 only. */
  v0Syntax: "rego-v0-syntax",
  /** A well-formed construct used where it is not allowed (an import after rules, `default` with a body, …). */
  invalidConstruct: "invalid-construct",
  /** The module has no `package` declaration. */
  missingPackage: "missing-package",
  /** A `# METADATA` block that is not valid YAML or has fields of the wrong shape. */
  invalidMetadata: "invalid-metadata",
  /** Too many errors: the rest of the file was not checked. */
  tooManyErrors: "too-many-errors",
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface Diagnostic {
  code: DiagnosticCode | string;
  severity: Severity;
  /** What was expected and what was found, in plain words. */
  message: string;
  /** How to fix it, when there is something useful to say. */
  hint?: string;
  loc: Location;
}

export function diagnostic(
  code: DiagnosticCode | string,
  message: string,
  loc: Location,
  hint?: string,
  severity: Severity = "error",
): Diagnostic {
  return hint === undefined ? { code, severity, message, loc } : { code, severity, message, hint, loc };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `file:line:col: error[code]: message`, the first line of a rendered diagnostic. */
export function formatDiagnosticHeadline(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.severity}[${d.code}]: ${d.message}`;
}

/**
 * Renders a diagnostic with the source line it points at and a caret under the offending text:
 *
 *     policy.guard:3:7: error[unexpected-token]: expected `if` or `{` before the rule body, found `input`
 *       |
 *     3 | allow input.user == "alice"
 *       |       ^^^^^
 *       = hint: write `allow if input.user == "alice"`
 */
export function renderDiagnostic(d: Diagnostic, source: string | undefined): string {
  const lines = [formatDiagnosticHeadline(d)];
  const srcLine = source === undefined ? undefined : sourceLine(source, d.loc.line);
  if (srcLine !== undefined) {
    const num = String(d.loc.line);
    const pad = " ".repeat(num.length);
    const shown = srcLine.replace(/\t/g, "    ");
    const col = visualColumn(srcLine, d.loc.column);
    const endCol =
      d.loc.endLine === d.loc.line ? visualColumn(srcLine, d.loc.endColumn + 1) : Math.max(shown.length + 1, col + 1);
    const width = Math.max(1, endCol - col);
    lines.push(`${pad} |`);
    lines.push(`${num} | ${shown}`);
    lines.push(`${pad} | ${" ".repeat(col - 1)}${"^".repeat(width)}`);
    if (d.hint !== undefined) lines.push(`${pad} = hint: ${d.hint}`);
  } else if (d.hint !== undefined) {
    lines.push(`  = hint: ${d.hint}`);
  }
  return lines.join("\n");
}

export function renderDiagnostics(ds: readonly Diagnostic[], source: string | undefined): string {
  return ds.map((d) => renderDiagnostic(d, source)).join("\n\n");
}

function sourceLine(source: string, line: number): string | undefined {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = source.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = source.indexOf("\n", start);
  if (end < 0) end = source.length;
  return source.slice(start, end).replace(/\r$/, "");
}

/** The 1-based column on screen, with tabs shown as four spaces. */
function visualColumn(line: string, column: number): number {
  let visual = 1;
  for (let i = 0; i < column - 1 && i < line.length; i++) visual += line[i] === "\t" ? 4 : 1;
  if (column - 1 > line.length) visual += column - 1 - line.length;
  return visual;
}
