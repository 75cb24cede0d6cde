// Runs test cases in OPA's YAML format (note, modules, data, input / input_term, query, want_result,
// want_error / want_error_code, strict_error, sort_bindings) with Guard's engine, and reports per folder.
// A `modules` entry may name a `.rego` file beside the YAML (rego-cpp's suite does).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import yaml from "js-yaml";
import { Policy } from "../engine/engine.js";
import { CompileFailure, EvalError } from "../engine/errors.js";
import { parseQuery } from "../lang/parse.js";
import { resolveQuery } from "../engine/compile/resolve.js";
import { Interpreter } from "../engine/reference/interpreter.js";
import { compare, equals, fromJSON, isSet, MapObject, toJSON, type Value } from "../engine/value/value.js";
import { RuleNode } from "../engine/compile/rule-tree.js";
import { defaultBuiltins } from "../engine/builtins/index.js";

export interface OpaCase {
  note: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  query: string;
  want_result?: Record<string, unknown>[];
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
}

export type Outcome = { status: "pass" } | { status: "fail"; reason: string } | { status: "skip"; reason: string };

export interface CaseResult {
  file: string;
  folder: string;
  note: string;
  outcome: Outcome;
}

/** Features outside Guard's scope: a case that uses one is skipped, with the feature named. */
const OUT_OF_SCOPE: [RegExp, string][] = [
  [/\bhttp\.send\b/, "http.send (network calls from policy)"],
  [/\bopa\.runtime\b/, "opa.runtime"],
  [/\brego\.parse_module\b/, "rego.parse_module"],
  [/\bgraphql\./, "graphql built-ins"],
  [/\bjson\.(match_schema|verify_schema)\b/, "JSON schema built-ins"],
  [/\bnet\.lookup_ip_addr\b/, "net.lookup_ip_addr (DNS)"],
];

export function findCaseFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".yaml") || name.endsWith(".yml")) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

export function runCaseFile(file: string, root: string): CaseResult[] {
  const doc = yaml.load(readFileSync(file, "utf8")) as { cases?: OpaCase[] } | undefined;
  const folder = relative(root, dirname(file)) || basename(root);
  return (doc?.cases ?? []).map((c) => ({ file: relative(root, file), folder, note: c.note, outcome: runCase(c, dirname(file)) }));
}

/**
 * Runs a case with the compiled engine and with the reference interpreter: the case passes when the compiled
 * engine gives the expected answer and the reference gives the same outcome (differential check).
 */
export function runCase(c: OpaCase, dir: string): Outcome {
  const compiled = runCaseWith(c, dir, "compiled");
  if (compiled.status === "skip") return compiled;
  const reference = runCaseWith(c, dir, "reference");
  if (reference.status !== compiled.status) {
    return {
      status: "fail",
      reason: `the engines disagree: compiled ${compiled.status}${compiled.status === "fail" ? ` (${compiled.reason})` : ""}, reference ${reference.status}${reference.status === "fail" ? ` (${reference.reason})` : ""}`,
    };
  }
  return compiled;
}

export function runCaseWith(c: OpaCase, dir: string, engine: "compiled" | "reference"): Outcome {
  const sources = (c.modules ?? []).map((m, i) => {
    const isFile = !m.includes("\n") && m.trim().endsWith(".rego") && existsSync(join(dir, m.trim()));
    return { file: isFile ? m.trim() : `module-${i}.rego`, text: isFile ? readFileSync(join(dir, m.trim()), "utf8") : m };
  });
  const everything = sources.map((s) => s.text).join("\n") + "\n" + c.query;
  for (const [re, feature] of OUT_OF_SCOPE) if (re.test(everything)) return { status: "skip", reason: feature };
  const wantsError = c.want_error_code !== undefined || c.want_error !== undefined;
  try {
    const policy = Policy.compile(sources, { data: c.data });
    let input: Value | undefined = c.input === undefined ? undefined : fromJSON(c.input);
    if (c.input_term !== undefined) input = evalTerm(c.input_term);
    const options = { input, strictBuiltinErrors: c.strict_error === true, nowNs: 1_700_000_000_000_000_000n };
    const rows = policy.query(c.query, { ...options, engine });
    if (wantsError) return { status: "fail", reason: `expected error ${c.want_error_code ?? ""} ${c.want_error ?? ""}, got ${rows.length} result(s)` };
    return compareResults(rows, c.want_result ?? [], c.sort_bindings === true);
  } catch (e) {
    const code = e instanceof EvalError ? e.code : e instanceof CompileFailure ? e.errors[0]?.code : "internal";
    const message = e instanceof Error ? e.message : String(e);
    if (!wantsError) return { status: "fail", reason: `unexpected error ${code}: ${message.split("\n")[0]}` };
    if (c.want_error_code !== undefined && code !== c.want_error_code) {
      return { status: "fail", reason: `expected error code ${c.want_error_code}, got ${code}: ${message.split("\n")[0]}` };
    }
    if (c.want_error !== undefined && !message.includes(c.want_error)) {
      return { status: "fail", reason: `expected error message containing ${JSON.stringify(c.want_error)}, got ${JSON.stringify(message)}` };
    }
    return { status: "pass" };
  }
}

function evalTerm(text: string): Value | undefined {
  const parsed = parseQuery(`__x := ${text}`);
  if (!parsed.body) throw new Error(`input_term does not parse: ${text}`);
  const body = resolveQuery(parsed.body, { packagePath: [], globals: new Map() });
  const rows = new Interpreter({ rules: new RuleNode(), data: {}, builtins: defaultBuiltins() }).query(body);
  return rows[0]?.["__x"];
}

function compareResults(rows: Record<string, Value>[], want: Record<string, unknown>[], sortBindings: boolean): Outcome {
  // A result set is compared without regard to the order of its rows, as OPA's case runner does (it collects both
  // sides into sets): the order a query yields its bindings in is not part of Rego's meaning. Unlike a set, each row
  // must appear as many times as it is wanted, so a duplicated row still fails. With sort_bindings, the arrays inside
  // results are compared sorted as well.
  const norm = (r: Record<string, Value>) => (sortBindings ? sortArrays(normalizeRow(r)) : normalizeRow(r));
  const got = rows.map(norm);
  const expected = want.map((w) => norm(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, fromJSON(v)]))));
  const show = () => `got ${JSON.stringify(rows.map((r) => toJSON(r as unknown as Value)), bigintJson)}, want ${JSON.stringify(want)}`;
  if (got.length !== expected.length) return { status: "fail", reason: show() };
  const used = new Set<number>();
  for (const e of expected) {
    const i = got.findIndex((g, j) => !used.has(j) && rowEquals(g, e));
    if (i < 0) return { status: "fail", reason: show() };
    used.add(i);
  }
  return { status: "pass" };
}

/** Results are compared as JSON: sets become sorted arrays, as OPA's runner prints them. */
function normalizeRow(row: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, fromJSON(toJSON(v))]));
}

function sortArrays<T extends Value | Record<string, Value>>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => sortArrays(x)).sort(compare) as T;
  if (typeof v === "object" && v !== null && !isSet(v) && !(v instanceof MapObject)) {
    return Object.fromEntries(Object.entries(v as Record<string, Value>).map(([k, x]) => [k, sortArrays(x)])) as T;
  }
  return v;
}

function rowEquals(a: Record<string, Value>, b: Record<string, Value>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return false;
  return ka.every((k) => looseEquals(a[k]!, b[k]!));
}

/** Equality where a big integer matches the (rounded) float YAML gives for it. */
function looseEquals(a: Value, b: Value): boolean {
  if (equals(a, b)) return true;
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => looseEquals(x, b[i]!));
  if (isSet(a) || isSet(b)) return false;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    const ea = Object.entries(a as Record<string, Value>);
    const eb = b as Record<string, Value>;
    return ea.length === Object.keys(eb).length && ea.every(([k, v]) => eb[k] !== undefined && looseEquals(v, eb[k]!));
  }
  return false;
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

export interface Summary {
  results: CaseResult[];
  byFolder: Map<string, { pass: number; fail: number; skip: number }>;
  pass: number;
  fail: number;
  skip: number;
}

export function runConformance(dirs: string[]): Summary {
  const results: CaseResult[] = [];
  for (const dir of dirs) for (const f of findCaseFiles([dir])) results.push(...runCaseFile(f, dir));
  const byFolder = new Map<string, { pass: number; fail: number; skip: number }>();
  for (const r of results) {
    const row = byFolder.get(r.folder) ?? { pass: 0, fail: 0, skip: 0 };
    row[r.outcome.status]++;
    byFolder.set(r.folder, row);
  }
  const count = (s: Outcome["status"]) => results.filter((r) => r.outcome.status === s).length;
  return { results, byFolder, pass: count("pass"), fail: count("fail"), skip: count("skip") };
}

/** The id of a case in the ratchet file. */
export function caseId(r: CaseResult): string {
  return `${r.file} :: ${r.note}`;
}
