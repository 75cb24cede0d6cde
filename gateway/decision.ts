// A decision: the connection's decision rule evaluated on the request's input, read strictly. Anything but a
// well-formed `{"allow": true}` without deny reasons is a deny: an undefined decision, an evaluation error, a
// timeout or a malformed document all fail closed.
import { randomUUID } from "node:crypto";
import { EvalError } from "../engine/engine.js";
import { fromJSON, isArray, isSet, MapObject, plainGet, sortedKeys, toJSON, type Value } from "../engine/value/value.js";
import { parseRequireApproval, type ApprovalRequirement } from "./approvals/service.js";
import type { PolicyBundle } from "./bundle.js";
import type { PolicyInput } from "./input.js";

export interface Decision {
  id: string;
  outcome: "allow" | "deny" | "error";
  reasons: string[];
  /** Headers the policy adds to (`add`) or removes from (`remove`) the upstream request. */
  headers: { add: Record<string, string>; remove: string[] };
  /** The whole decision document, for obligations (masking, approval) and the session record. */
  document: unknown;
  revision: string | null;
  /** Milliseconds spent evaluating. */
  evaluationMs: number;
  /** An allowed request that a human must approve first (`require_approval`). */
  approval?: ApprovalRequirement;
}

export interface DecideOptions {
  timeoutMs: number;
  maxSteps: number;
}

/** The input of a tool-call decision: the request's input and the tool call the model made. */
export type ToolInput = PolicyInput & { tool_use: { id: string | null; name: string; input: unknown } };

/**
 * Whether a bundle defines a rule at `path` (or below it). Tool-call decisions are opt-in: a pack without a
 * `tool_decision` rule lets tool calls through; a pack that has one decides every call, and undefined denies.
 */
export function definesRule(bundle: PolicyBundle, path: readonly string[]): boolean {
  return bundle.documents.has(path.join("."));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Evaluates `entrypoint` on `input` with `bundle`; never throws. */
export function decide(bundle: PolicyBundle | undefined, entrypoint: string[], input: PolicyInput | ToolInput, options: DecideOptions): Decision {
  const id = randomUUID();
  const started = performance.now();
  const done = (outcome: Decision["outcome"], reasons: string[], document: unknown = null, headers: Decision["headers"] = { add: {}, remove: [] }): Decision => ({
    id,
    outcome,
    reasons,
    headers,
    document,
    revision: bundle?.revision ?? null,
    evaluationMs: performance.now() - started,
  });
  if (!bundle) return done("error", ["no policy bundle is loaded"]);
  let value;
  try {
    // Strict built-in errors: an error inside `not …` must deny, not turn into a silent `true`.
    value = bundle.policy.evaluate(entrypoint, { input: fromJSON(input), timeoutMs: options.timeoutMs, maxSteps: options.maxSteps, strictBuiltinErrors: true });
  } catch (e) {
    const code = e instanceof EvalError ? e.code : "eval_internal_error";
    return done("error", [`${code}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (value === undefined) return done("deny", [`data.${entrypoint.join(".")} is undefined (deny by default)`]);
  return read(documentJSON(bundle, entrypoint, value), done);
}

/** Per bundle and entrypoint: each document member's last Value and its JSON. */
const lastMembers = new WeakMap<PolicyBundle, Map<string, { value: Value; json: unknown }>>();

/**
 * The decision document as JSON. A member that is the very Value of the last call (the engine computes a rule that
 * depends on data alone once, so the pack's `mask` list is the same object every time) is converted once: the same
 * JSON every time, frozen (Values never change, and neither may their JSON), so that an obligation can tell an
 * unchanged member at a glance (maskerFor).
 */
function documentJSON(bundle: PolicyBundle, entrypoint: string[], value: Value): unknown {
  if (typeof value !== "object" || value === null || isArray(value) || isSet(value) || value instanceof MapObject) return toJSON(value);
  let perBundle = lastMembers.get(bundle);
  if (!perBundle) lastMembers.set(bundle, (perBundle = new Map()));
  const prefix = `${entrypoint.join(".")}\0`;
  const entries: [string, unknown][] = [];
  for (const key of sortedKeys(value)) {
    const member = plainGet(value, key)!;
    if (typeof member !== "object" || member === null) {
      entries.push([key, toJSON(member)]);
      continue;
    }
    const last = perBundle.get(prefix + key);
    if (last !== undefined && last.value === member) {
      entries.push([key, last.json]);
      continue;
    }
    const json = deepFreeze(toJSON(member));
    perBundle.set(prefix + key, { value: member, json });
    entries.push([key, json]);
  }
  return Object.fromEntries(entries);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function read(doc: unknown, done: (o: Decision["outcome"], r: string[], d?: unknown, h?: Decision["headers"]) => Decision): Decision {
  if (!isObject(doc)) return done("error", [`the decision must be an object, not ${JSON.stringify(doc)?.slice(0, 100)}`], doc);
  const reasons: string[] = [];
  const deny = doc.deny ?? [];
  if (Array.isArray(deny)) for (const r of deny) reasons.push(typeof r === "string" ? r : JSON.stringify(r));
  else return done("error", ["decision.deny must be a set or an array of reasons"], doc);
  const headers = { add: {} as Record<string, string>, remove: [] as string[] };
  if (doc.headers !== undefined) {
    const h = doc.headers;
    if (!isObject(h)) return done("error", ["decision.headers must be an object"], doc);
    if (h.add !== undefined) {
      if (!isObject(h.add) || !Object.values(h.add).every((v) => typeof v === "string")) return done("error", ["decision.headers.add must map names to strings"], doc);
      for (const [k, v] of Object.entries(h.add)) headers.add[k.toLowerCase()] = v as string;
    }
    if (h.remove !== undefined) {
      if (!Array.isArray(h.remove) || !h.remove.every((v) => typeof v === "string")) return done("error", ["decision.headers.remove must be a list of names"], doc);
      headers.remove = (h.remove as string[]).map((n) => n.toLowerCase());
    }
  }
  let approval: ApprovalRequirement | undefined;
  if (doc.require_approval !== undefined && doc.require_approval !== null && doc.require_approval !== false) {
    const r = parseRequireApproval(doc.require_approval);
    if (!r.ok) return done("error", [`decision.${r.problem}`], doc);
    approval = r.requirement;
  }
  if (doc.allow === true && reasons.length === 0) return { ...done("allow", [], doc, headers), ...(approval ? { approval } : {}) };
  if (reasons.length === 0) reasons.push(doc.allow === false || doc.allow === undefined ? "not allowed by policy" : "decision.allow must be true or false");
  return done("deny", reasons, doc, headers);
}
