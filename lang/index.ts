// The public entry points of the language front end.
export type * from "./ast.js";
export { parseModule, parseQuery, type ParseOptions, type ParseResult, type QueryParseResult } from "./parse.js";
export {
  DiagnosticCodes,
  diagnostic,
  hasErrors,
  renderDiagnostic,
  renderDiagnostics,
  formatDiagnosticHeadline,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from "./diagnostics.js";
export { formatModule, formatSource, sameModule } from "./format.js";
