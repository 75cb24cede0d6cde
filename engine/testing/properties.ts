// Property tests for `guard test`: a rule named `prop_…` must be true for every input generated from its input schema
// (METADATA `schemas: - input: …` on the rule, else on its package). fast-check generates the inputs, and on a failure
// shrinks the counterexample to a minimal one; runs are deterministic (the seed derives from the test's name).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type * as A from "../../lang/ast.js";
import type { Policy } from "../engine.js";
import { EvalError } from "../errors.js";
import { fromJSON } from "../value/value.js";
import type { TestCase } from "./discover.js";
import { explainFailure } from "./explain.js";
import type { RunOptions, TestResult, TestStatus } from "./run.js";
import { SchemaError, schemaArbitrary } from "./schema-arbitrary.js";

export const PROP_PREFIX = "prop_";
export const DEFAULT_RUNS = 100;

/** What a property's annotations declare. */
export interface PropertySpec {
  /** The `input` entry of `schemas:`: an inline JSON Schema or a `schema.NAME` reference; undefined when absent. */
  schema?: unknown;
  /** `custom.examples`: inputs always tried first. */
  examples: unknown[];
  /** `custom.runs`: how many inputs to try. */
  runs?: number;
}

function inputSchema(a: A.Annotation | undefined): { found: boolean; schema?: unknown } {
  const schemas = a?.data["schemas"];
  if (!Array.isArray(schemas)) return { found: false };
  for (const entry of schemas) {
    if (typeof entry === "object" && entry !== null && "input" in entry) return { found: true, schema: (entry as Record<string, unknown>)["input"] };
  }
  return { found: false };
}

function custom(a: A.Annotation | undefined): Record<string, unknown> {
  const c = a?.data["custom"];
  return typeof c === "object" && c !== null && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}

/** The property spec of a `prop_…` rule: the rule's own annotations first, then its package's. */
export function propertySpec(rule: A.Rule, module: A.Module): PropertySpec {
  const own = inputSchema(rule.annotations);
  const pkg = inputSchema(module.package.annotations);
  const schema = own.found ? own.schema : pkg.found ? pkg.schema : undefined;
  const c = { ...custom(module.package.annotations), ...custom(rule.annotations) };
  const examples = Array.isArray(c["examples"]) ? (c["examples"] as unknown[]) : [];
  const runs = typeof c["runs"] === "number" && c["runs"] > 0 ? Math.floor(c["runs"]) : undefined;
  return { ...(schema !== undefined ? { schema } : {}), examples, ...(runs !== undefined ? { runs } : {}) };
}

export interface PropertyOptions {
  /** The fast-check seed (default: derived from the test's full name). */
  seed?: number;
  /** Runs of every property (overrides `custom.runs`). */
  runs?: number;
  /** Bundle roots where `schema.NAME` resolves to `schemas/NAME.json` (first found wins). */
  schemaDir?: string | readonly string[];
}

/** A fixed 32-bit seed from a test's name (FNV-1a), so that runs are reproducible by default. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The JSON Schema a spec names: inline, or read from `schemas/NAME.json` below one of the schema directories. */
export function resolveSchema(spec: PropertySpec, schemaDir: PropertyOptions["schemaDir"]): unknown {
  const s = spec.schema;
  if (s === undefined) throw new SchemaError("no schema for input: add METADATA `schemas: [{input: …}]` to the rule or its package");
  if (typeof s !== "string") return s;
  const m = /^schema\.(.+)$/.exec(s);
  if (!m) throw new SchemaError(`no schema for input: ${JSON.stringify(s)} is not a schema reference (schema.NAME)`);
  const rel = `schemas/${m[1]!.split(".").join("/")}.json`;
  const dirs = schemaDir === undefined ? [] : typeof schemaDir === "string" ? [schemaDir] : schemaDir;
  for (const dir of dirs) {
    const file = join(dir, rel);
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as unknown;
    } catch (e) {
      throw new SchemaError(`schema ${rel}: not valid JSON: ${(e as Error).message}`);
    }
  }
  throw new SchemaError(`no schema for input: ${rel} not found`);
}

/** An evaluation error inside the property (kept apart from a property that is merely false). */
class PropertyEvalError extends Error {
  constructor(readonly inner: unknown) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

function errorInfo(e: unknown): NonNullable<TestResult["error"]> {
  if (e instanceof EvalError) return { code: e.code, message: e.message, ...(e.loc ? { loc: e.loc } : {}) };
  if (e instanceof SchemaError) return { code: "schema_error", message: e.message };
  return { code: "eval_internal_error", message: e instanceof Error ? e.message : String(e) };
}

/** Runs one property test. */
export function runProperty(policy: Policy, test: TestCase, spec: PropertySpec, options: RunOptions): TestResult {
  const base = { name: test.name, package: test.package, file: test.file, line: test.line };
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start);
  const seed = options.seed ?? seedOf(test.name);
  const reproduce = `guard test --run '^${test.name}$' --seed ${seed}`;
  let arb: fc.Arbitrary<unknown>;
  try {
    arb = schemaArbitrary(resolveSchema(spec, options.schemaDir));
  } catch (e) {
    return { ...base, status: "error", durationNs: elapsed(), output: "", error: errorInfo(e) };
  }
  const evalOptions = { timeoutMs: options.timeoutMs, engine: options.engine, coverage: options.coverage };
  // The first failure fixes its kind (false, or an evaluation error): shrinking keeps to inputs failing the same way.
  let kind: "fail" | "error" | undefined;
  const holds = (input: unknown) => {
    let value;
    try {
      value = policy.evaluate(test.path, { ...evalOptions, input: fromJSON(input) });
    } catch (e) {
      if ((kind ??= "error") === "error") throw new PropertyEvalError(e);
      return true;
    }
    if (value === true) return true;
    return (kind ??= "fail") !== "fail";
  };
  // the examples first, then as many generated inputs as asked
  const numRuns = (options.runs ?? spec.runs ?? DEFAULT_RUNS) + spec.examples.length;
  const result = fc.check(fc.property(arb, holds), { seed, numRuns, examples: spec.examples.map((x) => [x] as [unknown]) });
  if (!result.failed) return { ...base, status: "pass", durationNs: elapsed(), output: "", seed };
  const counterexample = result.counterexample?.[0];
  const durationNs = elapsed();
  // once more with print, for what the failing evaluation printed
  const lines: string[] = [];
  try {
    policy.evaluate(test.path, { ...evalOptions, input: fromJSON(counterexample), print: (m: string) => void lines.push(m) });
  } catch {
    // reported below
  }
  const output = lines.map((l) => l + "\n").join("");
  const err = result.errorInstance;
  const status: TestStatus = err instanceof PropertyEvalError ? "error" : "fail";
  const failure =
    status === "fail" && options.explain !== false && counterexample !== undefined
      ? explainFailure(policy, test, { timeoutMs: options.timeoutMs, input: fromJSON(counterexample) })
      : undefined;
  return {
    ...base,
    status,
    durationNs,
    output,
    ...(err instanceof PropertyEvalError ? { error: errorInfo(err.inner) } : {}),
    counterexample,
    seed,
    reproduce,
    ...(failure ? { failure } : {}),
  };
}
