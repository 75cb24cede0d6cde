// `guard fmt [paths…] [--check | --diff | --write]`: formats policy files in the canonical style.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { renderDiagnostics } from "../lang/diagnostics.js";
import { formatSource } from "../lang/format.js";
import { unifiedDiff } from "./diff.js";

export const FMT_USAGE = `Usage: guard fmt [paths…] [--check | --diff | --write]

Formats .guard and .rego files in the canonical style. Paths are files or directories (searched recursively,
skipping node_modules and directories whose names start with a dot); the default is the current directory.

Options:
  (none)   print the formatted text to standard output
  --write  rewrite the files that are not formatted, and print their names
  --check  print the names of the files that are not formatted
  --diff   print a unified diff for each file that is not formatted

Exit status: 0 when all is well; 1 with --check or --diff when a file is not formatted;
2 when a file has syntax errors (it is never rewritten) or on bad arguments.
`;

type Mode = "print" | "write" | "check" | "diff";

const MODE_FLAGS: Record<string, Mode> = { "--write": "write", "-w": "write", "--check": "check", "--diff": "diff", "-d": "diff" };
const EXTENSIONS = new Set([".guard", ".rego"]);

export async function fmtCommand(args: string[]): Promise<number> {
  let mode: Mode = "print";
  const paths: string[] = [];
  for (const arg of args) {
    const flag = MODE_FLAGS[arg];
    if (flag !== undefined) {
      if (mode !== "print" && mode !== flag) return usageError("use only one of --check, --diff and --write");
      mode = flag;
    } else if (arg.startsWith("-")) {
      return usageError(`unknown option \`${arg}\``);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) paths.push(".");

  let files: string[];
  try {
    files = paths.flatMap((p) => collectFiles(p));
  } catch (e) {
    process.stderr.write(`guard fmt: ${(e as Error).message}\n`);
    return 2;
  }

  let failed = false; // a file could not be read or parsed
  let unformatted = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`guard fmt: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      failed = true;
      continue;
    }
    const { formatted, diagnostics } = formatSource(text, { file });
    if (formatted === undefined) {
      process.stderr.write(renderDiagnostics(diagnostics, text) + "\n");
      failed = true;
      continue;
    }
    const changed = formatted !== text;
    switch (mode) {
      case "print":
        process.stdout.write(formatted);
        break;
      case "write":
        if (changed) {
          writeFileSync(file, formatted);
          process.stdout.write(`${file}\n`);
        }
        break;
      case "check":
        if (changed) {
          process.stdout.write(`${file}\n`);
          unformatted = true;
        }
        break;
      case "diff":
        if (changed) {
          process.stdout.write(unifiedDiff(text, formatted, file));
          unformatted = true;
        }
        break;
    }
  }
  return failed ? 2 : unformatted ? 1 : 0;
}

/** The policy files at a path: the file itself, or the .guard / .rego files under a directory, sorted. */
export function collectFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new Error(`no such file or directory: ${path}`);
  }
  if (!stat.isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        walk(full);
      } else if (entry.isFile() && EXTENSIONS.has(extname(entry.name))) {
        found.push(full);
      }
    }
  };
  walk(path);
  return found;
}

function usageError(message: string): number {
  process.stderr.write(`guard fmt: ${message}\n\n${FMT_USAGE}`);
  return 2;
}
