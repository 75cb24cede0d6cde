// The shipped pack (policies/) compiled by Guard, its decision entrypoints (compiled and reference), the
// hand-written function, and the check that all three give the same decision document.
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import fc from "fast-check";
import { loadBundle } from "../../engine/bundle.js";
import { Policy } from "../../engine/engine.js";
import { fromJSON, toJSON, type Value } from "../../engine/value/value.js";
import type { PolicyInput } from "../../gateway/input.js";
import { repoRoot } from "../rbac/scenario.js";
import { claudeDecider, type PackDecision } from "./handwritten.js";
import { arbitraryPackInput, jobIdentity, packCases, type PackCase } from "./inputs.js";

const OK_IDENTITY = jobIdentity();

export const DECISION = ["guard", "claude", "decision"];

export interface LoadedPack {
  policy: Policy;
  compiled: (input: Value | undefined) => Value | undefined;
  reference: (input: Value | undefined) => Value | undefined;
  handwritten: (input: Record<string, unknown>) => PackDecision;
}

/** The policies/ bundle (without its tests) compiled, as the gateway loads it. */
export function loadPack(): LoadedPack {
  const bundle = loadBundle(join(repoRoot(), "policies"), { tests: false });
  if (bundle.errors.length > 0) throw new Error(`policies/: ${bundle.errors.map((e) => e.message).join("; ")}`);
  const policy = Policy.compile(bundle.sources, { data: bundle.data });
  return {
    policy,
    compiled: policy.entrypoint(DECISION),
    reference: policy.entrypoint(DECISION, { engine: "reference" }),
    handwritten: claudeDecider(),
  };
}

/** A decision document as plain JSON with its deny reasons sorted (they are a set). */
export function normalize(doc: unknown): unknown {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return doc;
  const d = { ...(doc as Record<string, unknown>) };
  if (Array.isArray(d.deny)) d.deny = [...(d.deny as string[])].sort();
  return d;
}

export interface Mismatch {
  engine: string;
  input: PolicyInput;
  expected: unknown;
  actual: unknown;
}

/** Compares the reference's, the compiled engine's and the hand-written function's decisions on one input. */
export function compare(pack: LoadedPack, input: PolicyInput, withReference = true): Mismatch | undefined {
  const value = fromJSON(input);
  const raw = pack.compiled(value);
  const guard = normalize(raw === undefined ? undefined : toJSON(raw));
  const hand = normalize(JSON.parse(JSON.stringify(pack.handwritten(input as unknown as Record<string, unknown>))));
  if (!isDeepStrictEqual(guard, hand)) return { engine: "hand-written", input, expected: guard, actual: hand };
  if (withReference) {
    const r = pack.reference(value);
    const ref = normalize(r === undefined ? undefined : toJSON(r));
    if (!isDeepStrictEqual(ref, guard)) return { engine: "reference", input, expected: ref, actual: guard };
  }
  return undefined;
}

export function describeMismatch(m: Mismatch): string {
  return (
    `the ${m.engine === "reference" ? "compiled engine differs from the reference interpreter" : "hand-written function differs from Guard"} on the input\n` +
    `${JSON.stringify(m.input)}\n  Guard${m.engine === "reference" ? " (reference)" : ""}: ${JSON.stringify(m.expected)}\n  ${m.engine === "reference" ? "Guard (compiled)" : "hand-written"}: ${JSON.stringify(m.actual)}`
  );
}

export interface EquivalenceReport {
  cases: number;
  generated: number;
  /** How many of the generated inputs Guard denied, asked approval for, allowed outright. */
  denied: number;
  approval: number;
  allowed: number;
  /** How many of the generated inputs an exfiltration pattern denied, a production pattern matched (before deny). */
  exfiltration: number;
  production: number;
  /** Of the benchmark's cases: how many each decision kind. */
  caseDenied: number;
  caseApproval: number;
}

/**
 * Checks the hand-written function (and the reference interpreter) against Guard compiled on every benchmark case
 * and on `generated` random inputs; throws with the first input that differs.
 */
export function checkEquivalence(pack: LoadedPack, options: { generated?: number; seed?: number; cases?: PackCase[] } = {}): EquivalenceReport {
  const cases = options.cases ?? packCases();
  const report: EquivalenceReport = { cases: cases.length, generated: 0, denied: 0, approval: 0, allowed: 0, exfiltration: 0, production: 0, caseDenied: 0, caseApproval: 0 };
  for (const c of cases) {
    const m = compare(pack, c.input);
    if (m) throw new Error(`case "${c.name}": ${describeMismatch(m)}`);
    const d = pack.handwritten(c.input as unknown as Record<string, unknown>);
    if (!d.allow) report.caseDenied++;
    else if (d.require_approval) report.caseApproval++;
  }
  const n = options.generated ?? 300;
  if (n > 0) {
    const samples = fc.sample(arbitraryPackInput, { numRuns: n, seed: options.seed ?? 20261122 });
    for (const input of samples) {
      const m = compare(pack, input);
      if (m) throw new Error(`generated input ${report.generated + 1} of ${n}: ${describeMismatch(m)}`);
      report.generated++;
      const d = pack.handwritten(input as unknown as Record<string, unknown>);
      if (!d.allow) report.denied++;
      else if (d.require_approval) report.approval++;
      else report.allowed++;
      if (d.deny.some((r) => r.startsWith("the request "))) report.exfiltration++;
      if (pack.handwritten({ ...input, identity: OK_IDENTITY, connection: { name: "claude", type: "anthropic" }, request: { ...input.request, method: "POST", path: "/v1/messages" }, llm: { ...input.llm, max_tokens: null, model: "claude-sonnet-4-5", texts: [] } } as unknown as Record<string, unknown>).require_approval) report.production++;
    }
  }
  return report;
}
