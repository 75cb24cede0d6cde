// The coverage table of the property tests: for each construct of the syntax tree (the `kind`s of lang/ast.ts, plus
// the rule kinds) and each registered built-in (defaultBuiltins()), the property files that cover it.
//
// Property files declare what they cover in their source (read as text here, not imported):
//   export const covers = ["every", "with", …]      constructs (differential and language-law files)
//   export const family = "strings"                  a built-in family file (engine/builtins/<family>.ts): its
//                                                    table-driven property covers every built-in of the family
//   export const laws = ["concat", "split", …]       built-ins with real laws in that file
//
//   node --import tsx conformance/coverage.ts [--write]     prints the table (writes conformance/COVERAGE.md)
// coverage.test.ts fails when something is not covered or COVERAGE.md is stale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultBuiltins } from "../engine/builtins/index.js";
import { BuiltinRegistry } from "../engine/builtins/registry.js";

const ROOT = join(import.meta.dirname, "..");
const PROPERTIES = join(import.meta.dirname, "properties");
export const COVERAGE_FILE = join(import.meta.dirname, "COVERAGE.md");

/** Rule kinds that are not node kinds of their own. */
const RULE_KINDS = ["default", "contains", "partial-object", "function", "ref-head"];

/** The node kinds of the syntax tree (every `kind: "…"` in lang/ast.ts). */
export function astKinds(): string[] {
  const text = readFileSync(join(ROOT, "lang", "ast.ts"), "utf8");
  return [...new Set([...text.matchAll(/^\s*kind: "([a-z-]+)";/gm)].map((m) => m[1]!)), ...RULE_KINDS];
}

/** The built-in families (engine/builtins/<family>.ts, as index.ts registers them) and their built-ins. */
export async function families(): Promise<Map<string, string[]>> {
  const index = readFileSync(join(ROOT, "engine", "builtins", "index.ts"), "utf8");
  const out = new Map<string, string[]>();
  for (const m of index.matchAll(/import \{ register as \w+ \} from "\.\/([\w-]+)\.js";/g)) {
    const mod = (await import(pathToFileURL(join(ROOT, "engine", "builtins", `${m[1]!}.ts`)).href)) as { register: (r: BuiltinRegistry) => void };
    const r = new BuiltinRegistry();
    mod.register(r);
    out.set(m[1]!, r.all().map((d) => d.name));
  }
  return out;
}

interface Declared {
  file: string;
  family?: string;
  laws: string[];
  covers: string[];
}

function stringsOf(text: string, name: string): string[] {
  const m = new RegExp(`export const ${name}(?::[^=]+)? = \\[([\\s\\S]*?)\\];`).exec(text);
  return m ? [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!) : [];
}

export function declarations(): Declared[] {
  return readdirSync(PROPERTIES)
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(PROPERTIES, f), "utf8");
      const family = /export const family = "([\w-]+)";/.exec(text)?.[1];
      return { file: f, family, laws: stringsOf(text, "laws"), covers: stringsOf(text, "covers") };
    });
}

export interface Coverage {
  markdown: string;
  uncoveredBuiltins: string[];
  uncoveredConstructs: string[];
  /** Declarations that name nothing real (a law for a built-in not in the file's family, an unknown construct). */
  problems: string[];
}

export async function coverage(): Promise<Coverage> {
  const fams = await families();
  const decls = declarations();
  const kinds = astKinds();
  const problems: string[] = [];
  const registered = defaultBuiltins().all().map((d) => d.name);
  const familyOf = new Map<string, string>();
  for (const [f, names] of fams) for (const n of names) familyOf.set(n, f);
  for (const n of registered) if (!familyOf.has(n)) problems.push(`built-in ${n} is in no family file`);

  const builtinRows: string[] = [];
  const uncoveredBuiltins: string[] = [];
  for (const d of decls) {
    if (d.family !== undefined && !fams.has(d.family)) problems.push(`${d.file}: family ${d.family} is not in engine/builtins/index.ts`);
    for (const l of d.laws) if (familyOf.get(l) !== d.family) problems.push(`${d.file}: law for ${l}, which is not a built-in of family ${d.family}`);
    for (const c of d.covers) if (!kinds.includes(c)) problems.push(`${d.file}: covers ${c}, which is not a construct`);
  }
  for (const name of registered) {
    const fam = familyOf.get(name) ?? "?";
    const byTable = decls.filter((d) => d.family === fam).map((d) => d.file);
    const byLaw = decls.filter((d) => d.laws.includes(name)).map((d) => d.file);
    if (byTable.length === 0 && byLaw.length === 0) uncoveredBuiltins.push(name);
    const how = byLaw.length > 0 ? "laws + differential" : byTable.length > 0 ? "differential (table-driven)" : "**none**";
    builtinRows.push(`| \`${name}\` | ${fam} | ${how} | ${[...new Set([...byLaw, ...byTable])].join(", ") || "—"} |`);
  }
  const constructRows: string[] = [];
  const uncoveredConstructs: string[] = [];
  for (const k of kinds) {
    const files = decls.filter((d) => d.covers.includes(k)).map((d) => d.file);
    if (files.length === 0) uncoveredConstructs.push(k);
    constructRows.push(`| \`${k}\` | ${files.join(", ") || "**none**"} |`);
  }
  const lawCount = registered.filter((n) => decls.some((d) => d.laws.includes(n))).length;
  const markdown = [
    "# Property coverage",
    "",
    "Generated by `node --import tsx conformance/coverage.ts --write`; `conformance/coverage.test.ts` fails when it is stale",
    "or when a construct or a registered built-in has no covering property. Every built-in is covered by its family's",
    "table-driven differential property (random well-typed arguments: compiled ≡ reference, deterministic); those with",
    "laws are also checked against laws (round trips, algebra, agreement with JavaScript / node:crypto).",
    "",
    `Constructs: ${kinds.length - uncoveredConstructs.length} of ${kinds.length} covered. Built-ins: ${registered.length - uncoveredBuiltins.length} of ${registered.length} covered, ${lawCount} with laws.`,
    "",
    "## Constructs",
    "",
    "| construct | property files |",
    "| --- | --- |",
    ...constructRows,
    "",
    "## Built-ins",
    "",
    "| built-in | family | checked by | property files |",
    "| --- | --- | --- | --- |",
    ...builtinRows,
    "",
  ].join("\n");
  return { markdown, uncoveredBuiltins, uncoveredConstructs, problems };
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const c = await coverage();
  if (process.argv.includes("--write")) writeFileSync(COVERAGE_FILE, c.markdown);
  else process.stdout.write(c.markdown);
  for (const p of c.problems) console.error(`problem: ${p}`);
  if (c.uncoveredBuiltins.length + c.uncoveredConstructs.length > 0) console.error(`uncovered: ${[...c.uncoveredConstructs, ...c.uncoveredBuiltins].join(", ")}`);
}
