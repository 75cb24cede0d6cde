// `# METADATA` blocks: YAML in comments, attached to the package or rule that follows.
import yaml from "js-yaml";
import type { Annotation, AnnotationScope, Comment, Location } from "./ast.js";
import { DiagnosticCodes, diagnostic, type Diagnostic } from "./diagnostics.js";

export interface MetadataBlock {
  annotation: Annotation;
  /** The line of the last comment of the block: the annotated statement starts after it. */
  lastLine: number;
}

const SCOPES: readonly AnnotationScope[] = ["rule", "document", "package", "subpackages"];
const STRING_FIELDS = ["title", "description", "scope"];

/** Finds the METADATA blocks among the comments (in source order) and parses their YAML. */
export function metadataBlocks(comments: readonly Comment[], diagnostics: Diagnostic[]): MetadataBlock[] {
  const blocks: MetadataBlock[] = [];
  for (let i = 0; i < comments.length; i++) {
    const start = comments[i]!;
    if (start.text.trim() !== "METADATA") continue;
    const lines: string[] = [];
    let j = i + 1;
    let last = start;
    while (j < comments.length && comments[j]!.loc.line === last.loc.line + 1 && comments[j]!.loc.column === start.loc.column) {
      last = comments[j]!;
      lines.push(last.text.startsWith(" ") ? last.text.slice(1) : last.text);
      j++;
    }
    i = j - 1;
    const loc: Location = { ...start.loc, endLine: last.loc.endLine, endColumn: last.loc.endColumn, endOffset: last.loc.endOffset };
    const data = parseYaml(lines.join("\n"), comments.slice(i, j), diagnostics);
    if (data === undefined) continue;
    const scope = data["scope"];
    if (scope !== undefined && !SCOPES.includes(scope as AnnotationScope)) {
      diagnostics.push(
        diagnostic(
          DiagnosticCodes.invalidMetadata,
          `unknown METADATA scope ${JSON.stringify(scope)}`,
          loc,
          `use one of: ${SCOPES.join(", ")}`,
        ),
      );
    }
    for (const field of STRING_FIELDS) {
      if (data[field] !== undefined && typeof data[field] !== "string") {
        diagnostics.push(diagnostic(DiagnosticCodes.invalidMetadata, `METADATA field \`${field}\` must be a string`, loc));
      }
    }
    blocks.push({
      annotation: { kind: "annotation", scope: (scope as AnnotationScope | undefined) ?? "rule", data, loc },
      lastLine: last.loc.line,
    });
  }
  return blocks;
}

function parseYaml(text: string, block: readonly Comment[], diagnostics: Diagnostic[]): Record<string, unknown> | undefined {
  const at = block[0]!.loc;
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number; column: number } };
    // the block's YAML starts on the comment after `# METADATA`: point at the comment holding the error
    const comment = block[Math.min(block.length - 1, 1 + (err.mark?.line ?? 0))]!;
    diagnostics.push(
      diagnostic(
        DiagnosticCodes.invalidMetadata,
        `the METADATA block is not valid YAML: ${err.reason ?? String(e)}`,
        comment.loc,
        "each line of the block is `# ` followed by YAML, for example `# title: Deny by default`",
      ),
    );
    return undefined;
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    diagnostics.push(diagnostic(DiagnosticCodes.invalidMetadata, "a METADATA block must be a YAML mapping (`key: value` lines)", at));
    return undefined;
  }
  return doc as Record<string, unknown>;
}
