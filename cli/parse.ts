// `guard parse FILE [--format json|pretty]`: the syntax tree of one file, or its diagnostics.
import { readFileSync } from "node:fs";
import { hasErrors, renderDiagnostics } from "../lang/diagnostics.js";
import { formatModule } from "../lang/format.js";
import { parseModule } from "../lang/parse.js";

export const PARSE_USAGE = `Usage: guard parse FILE [--format json|pretty]

Parses FILE and prints its syntax tree.

Options:
  --format json    the tree as JSON (default)
  --format pretty  the module in the canonical format

Exit status: 0 when the file parses, 2 on syntax errors or bad arguments.
`;

export async function parseCommand(args: string[]): Promise<number> {
  let format = "json";
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--format" || arg === "-f") {
      const value = args[++i];
      if (value === undefined) return usageError("`--format` needs a value: json or pretty");
      format = value;
    } else if (arg.startsWith("--format=")) {
      format = arg.slice("--format=".length);
    } else if (arg.startsWith("-") && arg !== "-") {
      return usageError(`unknown option \`${arg}\``);
    } else {
      files.push(arg);
    }
  }
  if (format !== "json" && format !== "pretty") return usageError(`unknown format \`${format}\`: use json or pretty`);
  if (files.length !== 1) return usageError(files.length === 0 ? "a file to parse is required" : "give one file to parse");
  const file = files[0]!;

  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    process.stderr.write(`guard parse: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  const { module, diagnostics } = parseModule(text, { file });
  if (diagnostics.length > 0) process.stderr.write(renderDiagnostics(diagnostics, text) + "\n");
  if (module === undefined || hasErrors(diagnostics)) return 2;
  process.stdout.write(format === "json" ? JSON.stringify(module, null, 2) + "\n" : formatModule(module, text));
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`guard parse: ${message}\n\n${PARSE_USAGE}`);
  return 2;
}
