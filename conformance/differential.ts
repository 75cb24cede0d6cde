// The differential harness: a program evaluated by the compiled engine and by the reference interpreter must give
// the same document, or fail with the same error code. Shared by properties/differential.test.ts and long-run.ts.
import { Policy } from "../engine/engine.js";
import { CompileFailure, EvalError } from "../engine/errors.js";
import { equals, stringifyValue, type Value } from "../engine/value/value.js";
import type { Program } from "./arbitraries/programs.js";
import { regoText } from "./arbitraries/values.js";

export type Outcome =
  | { kind: "value"; value: Value | undefined }
  | { kind: "error"; code: string; message: string };

export interface Verdict {
  compiled: boolean;
  /** Both engines gave a defined document with at least one defined rule. */
  defined: boolean;
  /** The engines disagree: a description, or undefined when they agree. */
  disagreement?: string;
  compiledOutcome?: Outcome;
  referenceOutcome?: Outcome;
}

export const NOW_NS = 1_700_000_000_000_000_000n;

function run(f: () => Value | undefined): Outcome {
  try {
    return { kind: "value", value: f() };
  } catch (e) {
    if (e instanceof EvalError) return { kind: "error", code: e.code, message: e.message };
    if (e instanceof CompileFailure) return { kind: "error", code: e.errors[0]?.code ?? "compile", message: e.message };
    const err = e as { code?: unknown; message?: unknown };
    return { kind: "error", code: typeof err.code === "string" ? err.code : `internal:${String(err.message ?? e)}`, message: String(err.message ?? e) };
  }
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "error") return a.code === (b as { code: string }).code;
  const bv = (b as { value: Value | undefined }).value;
  if (a.value === undefined || bv === undefined) return a.value === bv;
  return equals(a.value, bv);
}

export function showOutcome(o: Outcome | undefined): string {
  if (o === undefined) return "-";
  if (o.kind === "error") return `error ${o.code}: ${o.message.split("\n")[0]}`;
  return o.value === undefined ? "undefined" : stringifyValue(o.value);
}

/** Compiles a program and compares both engines on the whole package document, and on one rule by query. */
export function checkProgram(p: Program, options: { maxSteps?: number } = {}): Verdict {
  const sources = [{ file: "gen.rego", text: p.module }, ...p.libs.map((text, i) => ({ file: `lib${i}.rego`, text }))];
  const { policy, errors } = Policy.tryCompile(sources, { data: p.data });
  if (!policy) return { compiled: false, defined: false, compiledOutcome: { kind: "error", code: errors[0]?.code ?? "?", message: errors[0]?.message ?? "" } };
  const opts = { input: p.input, nowNs: NOW_NS, maxSteps: options.maxSteps ?? 200_000, strictBuiltinErrors: p.strict };
  const c = run(() => policy.evaluate(["gen"], { ...opts, engine: "compiled" }));
  const r = run(() => policy.evaluate(["gen"], { ...opts, engine: "reference" }));
  const defined = c.kind === "value" && c.value !== undefined && typeof c.value === "object" && c.value !== null && Object.keys(c.value).length > 0;
  if (!sameOutcome(c, r)) {
    return { compiled: true, defined, disagreement: `document data.gen: compiled ${showOutcome(c)}; reference ${showOutcome(r)}`, compiledOutcome: c, referenceOutcome: r };
  }
  if (p.libs.length > 0) {
    const lc = run(() => policy.evaluate(["lib"], { ...opts, engine: "compiled" }));
    const lr = run(() => policy.evaluate(["lib"], { ...opts, engine: "reference" }));
    if (!sameOutcome(lc, lr)) return { compiled: true, defined, disagreement: `document data.lib: compiled ${showOutcome(lc)}; reference ${showOutcome(lr)}`, compiledOutcome: lc, referenceOutcome: lr };
  }
  // one rule through the query API (another code path: queries are compiled separately)
  const rule = p.rules[p.rules.length - 1];
  if (rule !== undefined) {
    const q = `x := data.gen.${rule}`;
    const one = (engine: "compiled" | "reference") => run(() => {
      const rows = policy.query(q, { ...opts, engine });
      return rows.map((row) => row["x"]!);
    });
    const qc = one("compiled");
    const qr = one("reference");
    if (!sameOutcome(qc, qr)) return { compiled: true, defined, disagreement: `query ${q}: compiled ${showOutcome(qc)}; reference ${showOutcome(qr)}`, compiledOutcome: qc, referenceOutcome: qr };
  }
  return { compiled: true, defined, compiledOutcome: c, referenceOutcome: r };
}

/**
 * Shrinks a disagreeing program by rules: drops each rule (a blank-line-separated block) while the engines still
 * disagree. Rules that later rules use stay (dropping them makes the module fail to compile, which agrees).
 */
export function minimize(p: Program, disagrees: (p: Program) => boolean = (x) => checkProgram(x).disagreement !== undefined): Program {
  const [head, ...blocks] = p.module.split("\n\n");
  let kept = blocks;
  for (let i = kept.length - 1; i >= 0; i--) {
    const trial = [...kept.slice(0, i), ...kept.slice(i + 1)];
    const candidate = { ...p, module: [head, ...trial].join("\n\n") + (trial.length ? "" : "\n") };
    if (disagrees(candidate)) kept = trial;
  }
  return { ...p, module: [head, ...kept].join("\n\n") };
}

/** A regression case in OPA's YAML format for a disagreement (the want is the reference's answer). */
export function regressionYaml(p: Program, note: string, want: Outcome | undefined): string {
  const lines = ["cases:", `  - note: ${JSON.stringify(note)}`, "    modules:", "      - |"];
  for (const m of [p.module, ...p.libs]) {
    if (m !== p.module) lines.push("      - |");
    for (const l of m.split("\n")) lines.push(l === "" ? "" : `        ${l}`);
  }
  // data as JSON text (YAML reads it; integers beyond 2^53 lose precision there, input_term keeps them exact)
  lines.push(`    data: ${stringifyValue(p.data)}`, `    input_term: ${JSON.stringify(regoText(p.input))}`, "    query: x := data.gen");
  if (p.strict) lines.push("    strict_error: true");
  if (want?.kind === "error") lines.push(`    want_error_code: ${want.code}`);
  else if (want?.kind === "value" && want.value !== undefined) lines.push(`    want_result:\n      - x: ${stringifyValue(want.value)}`);
  else lines.push("    want_result: []");
  return lines.join("\n") + "\n";
}
