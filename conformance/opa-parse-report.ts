// How much of the OPA-format YAML conformance suites the parser reads.
//
//   node --import tsx conformance/opa-parse-report.ts [DIR…]      (default: ../shared/opa-cases from the repo root)
//
// Every `*.yaml` under the folders holds `cases:`, each with `modules`: module sources, or (in rego-cpp's suite)
// names of `.rego` files beside the YAML. Every module must parse without errors, except in cases that expect a
// parse error (`want_error_code: rego_parse_error`), where some module of the case must fail to parse.
// Prints a line per folder, the failures with their first diagnostic, and `N passed, M failed`; exits 1 on failures.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import yaml from "js-yaml";
import { renderDiagnostic } from "../lang/diagnostics.js";
import { parseModule } from "../lang/parse.js";

/** The repository's root folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the shared OPA-format cases live: `../shared/opa-cases` beside the repository. */
export const DEFAULT_CASES_DIR = resolve(REPO_ROOT, "..", "shared", "opa-cases");

export interface ModuleFailure {
  /** The YAML file, relative to the folder given. */
  file: string;
  /** The note of the first case that uses the module. */
  note: string;
  /** The module's name (a `.rego` file) or its position in the case (`module 1`). */
  module: string;
  /** The first error, rendered with its source line. */
  diagnostic: string;
}

export interface ErrorCaseFailure {
  file: string;
  note: string;
  reason: string;
}

export interface FolderReport {
  /** The folder of the YAML files, relative to the folder given (`opa/v1/every`, `rego-cpp/aci`). */
  folder: string;
  yamlFiles: number;
  cases: number;
  /** Distinct module texts that parsed without errors. */
  modulesPassed: number;
  modulesFailed: ModuleFailure[];
  /** Cases that expect a parse error and got one. */
  errorCasesPassed: number;
  errorCasesFailed: ErrorCaseFailure[];
}

export interface Report {
  folders: FolderReport[];
  passed: number;
  failed: number;
  /** One line per failure, for messages. */
  failures: string[];
  /** Problems reading the suite itself (a YAML that does not load, a missing `.rego` file). */
  problems: string[];
}

interface YamlCase {
  note?: unknown;
  modules?: unknown;
  want_error_code?: unknown;
  want_error?: unknown;
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && /\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function expectsParseError(c: YamlCase): boolean {
  if (c.want_error_code === "rego_parse_error") return true;
  return typeof c.want_error === "string" && c.want_error.includes("rego_parse_error");
}

/** A module entry: its source, or the name of a `.rego` file beside the YAML. */
function loadModule(entry: string, yamlPath: string): { name?: string; text?: string; missing?: string } {
  if (!entry.includes("\n") && /^[\w./-]+\.rego$/.test(entry.trim())) {
    const p = join(dirname(yamlPath), entry.trim());
    if (existsSync(p)) return { name: entry.trim(), text: readFileSync(p, "utf8") };
    return { name: entry.trim(), missing: p };
  }
  return { text: entry };
}

function firstError(text: string, file: string): string | undefined {
  const r = parseModule(text, { file });
  const err = r.diagnostics.find((d) => d.severity === "error");
  if (err) return renderDiagnostic(err, text);
  if (r.module === undefined) return `${file}: no module and no diagnostic`;
  return undefined;
}

/** Parses every module of every case under the folders. */
export function parseReport(dirs: readonly string[]): Report {
  const folders = new Map<string, FolderReport>();
  const problems: string[] = [];
  const folderOf = (root: string, yamlPath: string): FolderReport => {
    const rel = relative(root, dirname(yamlPath)) || ".";
    const key = dirs.length > 1 ? `${root}:${rel}` : rel;
    let f = folders.get(key);
    if (f === undefined) {
      f = {
        folder: dirs.length > 1 ? join(root, rel) : rel,
        yamlFiles: 0,
        cases: 0,
        modulesPassed: 0,
        modulesFailed: [],
        errorCasesPassed: 0,
        errorCasesFailed: [],
      };
      folders.set(key, f);
    }
    return f;
  };

  for (const dir of dirs) {
    const root = resolve(dir);
    if (!existsSync(root)) {
      problems.push(`${dir}: no such folder`);
      continue;
    }
    for (const yamlPath of yamlFilesUnder(root)) {
      const folder = folderOf(root, yamlPath);
      const file = relative(root, yamlPath);
      folder.yamlFiles++;
      let doc: unknown;
      try {
        doc = yaml.load(readFileSync(yamlPath, "utf8"));
      } catch (e) {
        problems.push(`${file}: the YAML does not load: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        continue;
      }
      const cases = (doc as { cases?: unknown } | undefined)?.cases;
      if (!Array.isArray(cases)) continue;
      const seen = new Set<string>();
      for (const [ci, c] of (cases as YamlCase[]).entries()) {
        folder.cases++;
        const note = typeof c.note === "string" ? c.note : `case ${ci + 1}`;
        const entries = Array.isArray(c.modules) ? c.modules.filter((m): m is string => typeof m === "string") : [];
        const errorCase = expectsParseError(c);
        let anyFailed = false;
        for (const [mi, entry] of entries.entries()) {
          const mod = loadModule(entry, yamlPath);
          const moduleName = mod.name ?? `module ${mi + 1}`;
          if (mod.text === undefined) {
            problems.push(`${file} (${note}): ${moduleName} not found at ${mod.missing}`);
            if (!errorCase) {
              folder.modulesFailed.push({ file, note, module: moduleName, diagnostic: `file not found: ${mod.missing}` });
            }
            continue;
          }
          const error = firstError(mod.text, mod.name ?? `${file}#${ci + 1}.${mi + 1}`);
          if (errorCase) {
            if (error !== undefined) anyFailed = true;
            continue;
          }
          // a module shared by many cases (rego-cpp's aci suite) is counted once per YAML file
          if (seen.has(mod.text)) continue;
          seen.add(mod.text);
          if (error === undefined) folder.modulesPassed++;
          else folder.modulesFailed.push({ file, note, module: moduleName, diagnostic: error });
        }
        if (errorCase) {
          if (anyFailed) folder.errorCasesPassed++;
          else folder.errorCasesFailed.push({ file, note, reason: "expected a parse error (rego_parse_error), but every module parsed" });
        }
      }
    }
  }

  const list = [...folders.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  const failures: string[] = [];
  let passed = 0;
  for (const f of list) {
    passed += f.modulesPassed + f.errorCasesPassed;
    for (const m of f.modulesFailed) failures.push(`${m.file} (${m.note}) ${m.module}:\n${indent(m.diagnostic)}`);
    for (const e of f.errorCasesFailed) failures.push(`${e.file} (${e.note}): ${e.reason}`);
  }
  return { folders: list, passed, failed: failures.length, failures, problems };
}

function indent(s: string, by = "    "): string {
  return s
    .split("\n")
    .map((l) => by + l)
    .join("\n");
}

/** The report as printed by the script. */
export function renderReport(r: Report): string {
  const lines: string[] = [];
  const width = Math.max(10, ...r.folders.map((f) => f.folder.length));
  for (const f of r.folders) {
    const errorCases = f.errorCasesPassed + f.errorCasesFailed.length;
    const parts = [
      `${String(f.modulesPassed).padStart(4)} modules parsed`,
      `${String(f.modulesFailed.length).padStart(3)} failed`,
      `(${f.cases} cases in ${f.yamlFiles} files)`,
    ];
    if (errorCases > 0) parts.push(`parse-error cases: ${f.errorCasesPassed} rejected, ${f.errorCasesFailed.length} wrongly accepted`);
    lines.push(`${f.folder.padEnd(width)}  ${parts.join(", ")}`);
    for (const m of f.modulesFailed) {
      lines.push(`  FAIL ${m.file} — ${m.note} — ${m.module}`);
      lines.push(indent(m.diagnostic, "       "));
    }
    for (const e of f.errorCasesFailed) lines.push(`  FAIL ${e.file} — ${e.note}: ${e.reason}`);
  }
  for (const p of r.problems) lines.push(`problem: ${p}`);
  lines.push(`${r.passed} passed, ${r.failed} failed`);
  return lines.join("\n");
}

function main(argv: readonly string[]): number {
  const dirs = argv.length > 0 ? [...argv] : [DEFAULT_CASES_DIR];
  const missing = dirs.filter((d) => !existsSync(d));
  if (missing.length === dirs.length) {
    console.error(`no cases found: ${missing.join(", ")} does not exist`);
    return 2;
  }
  const report = parseReport(dirs);
  console.log(renderReport(report));
  return report.failed > 0 ? 1 : 0;
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(resolve(invokedAs)).href) {
  process.exitCode = main(process.argv.slice(2));
}
