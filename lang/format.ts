// The canonical formatter: a module's AST (plus its comments) back to Rego v1 text, in the style of `opa fmt`.
//
// It prints exactly what the tree says (body styles, `:=` vs `=`, raw strings, multi-line collections), so that
// parsing the output gives the same tree (locations aside) and formatting the output again changes nothing.
//
// Comments are never lost. The printer writes in source order and keeps a queue of the module's comments:
// - before each statement, literal or collection item, the comments that start before it are printed on their own
//   lines, with its indentation (a blank line is kept where the source had one);
// - when a printed line ends, a comment that followed its last token on the same source line is appended to it
//   (` # text`); comments from inside the code printed on that line (a call split over several lines, say) are
//   printed on their own lines just above it;
// - whatever is left at the end goes at the end of the file.
import type * as A from "./ast.js";
import { hasErrors, type Diagnostic } from "./diagnostics.js";
import { parseModule } from "./parse.js";
import { Printer } from "./format-printer.js";
import { Writer } from "./format-writer.js";

/** Formats a module as canonical Rego v1 text. `source` (the text it was parsed from) refines comment placement. */
export function formatModule(module: A.Module, source?: string): string {
  const comments = [...module.comments].sort((a, b) => a.loc.offset - b.loc.offset);
  const printer = new Printer(new Writer(comments, source), source);
  printer.module(module);
  return printer.w.finish();
}

export interface FormatResult {
  /** The formatted text, when the source parsed without errors. */
  formatted?: string;
  diagnostics: Diagnostic[];
}

/**
 * Parses and formats a source text. With syntax errors, returns the diagnostics and no text. As a safety net the
 * output is parsed again: if it does not give the same tree, an `internal-error` diagnostic is returned instead.
 */
export function formatSource(text: string, options: { file?: string } = {}): FormatResult {
  const parsed = parseModule(text, options);
  if (parsed.module === undefined || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  let formatted: string;
  try {
    formatted = formatModule(parsed.module, text);
  } catch (e) {
    return { diagnostics: [...parsed.diagnostics, internalError(parsed.module, `the formatter failed: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  const again = parseModule(formatted, options);
  if (again.module === undefined || hasErrors(again.diagnostics) || !sameModule(parsed.module, again.module)) {
    return { diagnostics: [...parsed.diagnostics, internalError(parsed.module, "the formatted text would not mean the same as the original; the file was left as it is")] };
  }
  return { formatted, diagnostics: parsed.diagnostics };
}

function internalError(module: A.Module, message: string): Diagnostic {
  const loc: A.Location = { file: module.file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
  return { code: "internal-error", severity: "error", message, hint: "please report this with the file that caused it", loc };
}

/** Whether two modules have the same tree, ignoring locations (and a `\r` ending a comment). */
export function sameModule(a: A.Module, b: A.Module): boolean {
  return shape(a) === shape(b);
}

function shape(m: A.Module): string {
  return JSON.stringify(m, (k, v: unknown) => {
    if (k === "loc" || k === "nameLoc") return undefined;
    if (k === "text" && typeof v === "string") return v.replace(/\r$/, "");
    return v;
  });
}
