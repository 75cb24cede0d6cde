// Generates the reference docs that must not drift from the code:
//   docs/builtins.md          every built-in, from the registry (engine/builtins), with its signature and description
//   docs/gateway-config.md    every guard.yaml field, from the gateway's JSON Schema (gateway/config-schema.ts)
//   the `builtins` pattern of editors/vscode/syntaxes/guard.tmLanguage.json (the built-in names, for highlighting)
//   the marked "gateway errors" section of docs/operations.md, from gateway/errors.ts
//
// Run `node --import tsx docs/generate.ts` after changing a built-in or the configuration schema;
// docs/generate.test.ts fails while a committed file differs from what this writes (`--check` does the same here).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defaultBuiltins } from "../engine/builtins/index.js";
import type { BuiltinDecl } from "../engine/builtins/registry.js";
import { typeText } from "../engine/builtins/types.js";
import { CONFIG_SCHEMA } from "../gateway/config-schema.js";
import { GATEWAY_ERRORS } from "../gateway/errors.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const GRAMMAR_PATH = join(ROOT, "editors", "vscode", "syntaxes", "guard.tmLanguage.json");
export const OPERATIONS_PATH = join(ROOT, "docs", "operations.md");

const GENERATED = (what: string) =>
  `<!-- GENERATED from ${what} by docs/generate.ts: do not edit; run \`node --import tsx docs/generate.ts\`. -->`;

// ---------------------------------------------------------------------------------------------------------------
// Built-ins

/** How the families read as section titles (a built-in's first category picks its section). */
const CATEGORY_TITLES: Record<string, string> = {
  comparison: "Comparison",
  numbers: "Numbers",
  aggregates: "Aggregates",
  array: "Arrays",
  sets: "Sets",
  object: "Objects",
  strings: "Strings",
  regex: "Regular expressions",
  glob: "Glob",
  types: "Types",
  conversions: "Conversions",
  encoding: "Encoding",
  time: "Time",
  net: "Network",
  crypto: "Cryptography",
  tokens: "Tokens (JWT)",
  tokensign: "Token signing (JWT)",
  units: "Units",
  semver: "Semantic versions",
  uuid: "UUIDs",
  graph: "Graphs",
  debugging: "Debugging",
};

/** `name(arg: type, …) → result: type`, or `x + y` for an operator. */
export function signature(d: BuiltinDecl): string {
  const args = d.args.map((a, i) => `${a.name}: ${typeText(a.type)}${d.variadic && i === d.args.length - 1 ? "…" : ""}`);
  return `${d.name}(${args.join(", ")}) → ${d.result.name}: ${typeText(d.result.type)}`;
}

/** One line: the description's first sentence-ish line, with pipes escaped for a table. */
function oneLine(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .split("`")
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("`")
    .replace(/\|/g, "\\|");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export function builtinsMarkdown(): string {
  const all = defaultBuiltins().all();
  const byCategory = new Map<string, BuiltinDecl[]>();
  for (const d of all) {
    const c = d.categories[0] ?? "other";
    let list = byCategory.get(c);
    if (!list) byCategory.set(c, (list = []));
    list.push(d);
  }
  const order = [...Object.keys(CATEGORY_TITLES).filter((c) => byCategory.has(c)), ...[...byCategory.keys()].filter((c) => !(c in CATEGORY_TITLES)).sort()];
  const out: string[] = [
    "# Built-in functions",
    "",
    GENERATED("the built-in registry (engine/builtins)"),
    "",
    `Guard ships ${all.length} built-in functions, OPA's names and meanings. Each is listed with its signature`,
    "(argument and result types as the type checker knows them: `any<a, b>` is either, `object[k: v]` an object with",
    "keys of type k and values of type v, `…` marks a variadic argument) and a one-line description. Operators are",
    "built-ins too: `x + y` is `plus(x, y)`. A call whose arguments have the wrong types is a compile error when the",
    "types are known at compile time, else an `eval_type_error` when it runs.",
    "",
    "Marks: **deprecated** (still works; `guard check --strict` reports it), **nondeterministic** (results differ",
    "between calls with the same arguments; `time.now_ns()` is fixed within one query).",
    "",
    "## Contents",
    "",
    ...order.map((c) => `- [${CATEGORY_TITLES[c] ?? c}](#${anchor(CATEGORY_TITLES[c] ?? c)}) (${byCategory.get(c)!.length})`),
  ];
  for (const c of order) {
    out.push("", `## ${CATEGORY_TITLES[c] ?? c}`, "", "| built-in | signature | description |", "| --- | --- | --- |");
    for (const d of byCategory.get(c)!) {
      const marks = [d.deprecated ? "**deprecated**" : "", d.nondeterministic ? "**nondeterministic**" : ""].filter(Boolean).join(", ");
      const name = d.infix ? `\`${d.name}\` (\`${d.infix}\`)` : `\`${d.name}\``;
      const sig = d.infix ? `\`${d.args[0]!.name} ${d.infix} ${d.args[1]!.name}\` → \`${typeText(d.result.type)}\`; ` : "";
      const args = d.args
        .map((a) => `${a.name}${a.description ? ` (${oneLine(a.description)})` : ""}`)
        .filter((a) => a.includes("("));
      const details = args.length > 0 ? ` Arguments: ${args.join("; ")}.` : "";
      const result = d.result.description ? ` Result: ${oneLine(d.result.description)}.` : "";
      out.push(`| ${name} | ${sig}\`${cell(signature(d))}\` | ${marks ? `${marks}. ` : ""}${oneLine(d.description)}${details}${result} |`);
    }
  }
  return out.join("\n") + "\n";
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

/** The built-in names as one regular expression alternation, longest first (for the TextMate grammar). */
export function builtinNamesPattern(): string {
  const names = defaultBuiltins()
    .all()
    .filter((d) => !d.infix)
    .map((d) => d.name)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return `(?<![\\w.])(${names.map((n) => n.replace(/\./g, "\\.")).join("|")})(?=\\s*\\()`;
}

/** The grammar file with its `builtins` pattern brought up to date (the rest untouched). */
export function grammarWithBuiltins(text: string): string {
  const grammar = JSON.parse(text) as { repository: Record<string, { match?: string }> };
  const rule = grammar.repository.builtins;
  if (!rule) throw new Error(`${GRAMMAR_PATH}: no repository.builtins rule`);
  rule.match = builtinNamesPattern();
  return JSON.stringify(grammar, null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Gateway configuration

interface Schema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  anyOf?: readonly Schema[];
  oneOf?: readonly { required?: readonly string[] }[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
}

function schemaType(s: Schema): string {
  if (s.pattern?.includes("(ms|s|m|h)")) return "duration";
  if (s.pattern?.includes("[kKmMgG]")) return "size (bytes, or `512KB`, `10MiB`)";
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(schemaType).join(" or ");
  if (s.type === "array") return s.items ? `list of ${s.items.properties ? "objects" : schemaType(s.items)}` : "list";
  if (Array.isArray(s.type)) return (s.type as string[]).join(" or ");
  if (s.type === "integer" && (s.minimum !== undefined || s.maximum !== undefined)) return `integer (${s.minimum ?? "…"}–${s.maximum ?? "…"})`;
  if (typeof s.type === "string") return s.type;
  return "any";
}

interface Field {
  path: string;
  schema: Schema;
  required: boolean;
}

function fields(schema: Schema, prefix: string, out: Field[]): Field[] {
  const req = new Set(schema.required ?? []);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    out.push({ path, schema: sub, required: req.has(key) });
    if (sub.properties) fields(sub, path, out);
    if (sub.type === "array" && sub.items?.properties) fields(sub.items, `${path}[]`, out);
  }
  return out;
}

/** Descriptions for the sections the schema leaves undescribed. */
const SECTION_NOTES: Record<string, string> = {
  identity: "Who may call: the OIDC identity providers whose tokens are accepted. Without any, every request is refused.",
  limits: "Limits per request.",
  log: "Logging: JSON lines (pino) on standard output, one line per decision.",
};

/** A complete configuration, validated by docs/generate.test.ts. */
export const EXAMPLE_CONFIG = `listen:
  host: 0.0.0.0
  port: 8080
policies:
  git:
    url: https://github.com/example/guard-policies.git
    ref: main
    path: policies
  poll: 30s
identity:
  providers:
    - preset: github-actions
      issuer: https://token.actions.githubusercontent.com
      audience: guard
connections:
  - name: claude
    type: anthropic
    upstream: https://api.anthropic.com
    credential:
      env: ANTHROPIC_API_KEY
  - name: github
    type: http
    upstream: https://api.github.com
    credential:
      env: GITHUB_TOKEN
      scheme: bearer
store:
  type: postgres
  url: postgres://guard@db.internal:5432/guard
limits:
  body_size: 10MiB
  upstream_timeout: 120s
  evaluation_timeout: 100ms
log:
  level: info
`;

function fieldNotes(f: Field): string {
  const s = f.schema;
  const notes: string[] = [];
  if (s.description) notes.push(oneLine(s.description));
  else if (SECTION_NOTES[f.path]) notes.push(SECTION_NOTES[f.path]!);
  if (s.items?.description && s.items.properties) notes.push(`Each: ${oneLine(s.items.description)}`);
  if (s.oneOf?.every((o) => o.required)) notes.push(`Exactly one of ${s.oneOf.map((o) => `\`${o.required!.join(", ")}\``).join(" or ")}.`);
  if (s.format === "uri") notes.push("A URL.");
  if (s.minItems !== undefined && s.minItems > 0) notes.push(`At least ${s.minItems}.`);
  return notes.join(" ");
}

export function gatewayConfigMarkdown(): string {
  const schema = CONFIG_SCHEMA as unknown as Schema;
  const list = fields(schema, "", []);
  const out = [
    "# Gateway configuration reference (`guard.yaml`)",
    "",
    GENERATED("the configuration's JSON Schema (gateway/config-schema.ts)"),
    "",
    "`guard gateway --config guard.yaml` reads this file (without `--config`: `./guard.yaml` if it exists, else",
    "built-in defaults; see `guard help gateway`). It is checked against the schema below when the gateway starts:",
    "an unknown field, a missing required one or a bad value stops it with every problem named by its field path.",
    "Relative paths are relative to the configuration file's directory. Durations are written `500ms`, `30s`, `5m`,",
    "`1h`; sizes as bytes or `512KB`, `10MiB`.",
    "",
    "Field paths: `a.b` is field `b` of the mapping `a`; `a[].b` is field `b` of each item of the list `a`.",
    "**required** fields must be given when their parent is; every other field has the default its description names.",
    "",
    "| field | type | description |",
    "| --- | --- | --- |",
    ...list.map((f) => `| \`${f.path}\`${f.required ? " **required**" : ""} | ${schemaType(f.schema)} | ${fieldNotes(f)} |`),
    "",
    "Also checked when the gateway starts (beyond the schema): connection names are unique and are not one of the",
    "gateway's own paths; `credential.header` is required with `scheme: header`, `credential.username` with",
    "`scheme: basic`; `policies` takes `dir` or `git`, not both; `store.url` is required with `type: postgres` and only",
    "allowed with it.",
    "",
    "## Example",
    "",
    "```yaml",
    EXAMPLE_CONFIG.trimEnd(),
    "```",
    "",
    "Each connection's requests are decided by its `entrypoint` rule (default `data.guard.<name>.decision`, with `-`",
    "in the name written `_`), which must be an object: `allow: true` and no `deny` reasons forwards the request; anything",
    "else (undefined, an error, a timeout, a malformed document) denies it.",
    "",
    "See [operations.md](operations.md) for running it: hot reload, git sync, PostgreSQL, metrics, the audit log.",
  ];
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Marked sections of hand-written docs

/** The gateway's own error answers, from gateway/errors.ts. */
export function gatewayErrorsTable(): string {
  return [
    "| code | HTTP status | Anthropic error type | meaning |",
    "| --- | --- | --- | --- |",
    ...Object.entries(GATEWAY_ERRORS).map(([code, e]) => `| \`${code}\` | ${e.status} | \`${e.anthropicType}\` | ${cell(e.summary)} |`),
  ].join("\n");
}

/** `text` with the lines between `<!-- BEGIN GENERATED: name … -->` and `<!-- END GENERATED: name -->` replaced. */
export function replaceSection(text: string, name: string, content: string, file: string): string {
  const begin = new RegExp(`^<!-- BEGIN GENERATED: ${name}\\b.*-->$`, "m").exec(text);
  const end = new RegExp(`^<!-- END GENERATED: ${name} -->$`, "m").exec(text);
  if (!begin || !end || end.index < begin.index) throw new Error(`${file}: no GENERATED section named ${name}`);
  const from = begin.index + begin[0].length;
  return `${text.slice(0, from)}\n${content}\n${text.slice(end.index)}`;
}

// ---------------------------------------------------------------------------------------------------------------

export interface GeneratedFile {
  path: string;
  content: string;
}

/** Every generated file with the content it should have now. */
export function generatedFiles(): GeneratedFile[] {
  return [
    { path: join(ROOT, "docs", "builtins.md"), content: builtinsMarkdown() },
    { path: join(ROOT, "docs", "gateway-config.md"), content: gatewayConfigMarkdown() },
    { path: GRAMMAR_PATH, content: grammarWithBuiltins(readFileSync(GRAMMAR_PATH, "utf8")) },
    { path: OPERATIONS_PATH, content: replaceSection(readFileSync(OPERATIONS_PATH, "utf8"), "gateway errors", gatewayErrorsTable(), OPERATIONS_PATH) },
  ];
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const f of generatedFiles()) {
    if (readOrEmpty(f.path) === f.content) continue;
    stale++;
    if (check) process.stdout.write(`stale: ${f.path}\n`);
    else {
      writeFileSync(f.path, f.content);
      process.stdout.write(`wrote ${f.path}\n`);
    }
  }
  if (check && stale > 0) process.exitCode = 1;
}
