// Test fixtures for sessions: two small policy bundles (A allows models m1 and m2, B only m1 and denies the bash
// tool), identities, and exchanges decided for real (buildInput + decide) so that replay has something to replay.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadPolicyBundle, type PolicyBundle } from "../../bundle.js";
import type { ConnectionConfig } from "../../config.js";
import { decide } from "../../decision.js";
import type { Identity } from "../../identity.js";
import { buildInput } from "../../input.js";
import type { ExchangeRecord } from "../recorder.js";

const POLICY = `package guard.claude

model_allowed if input.llm.model in data.claude.models

deny contains msg if {
	not model_allowed
	msg := sprintf("model %v is not allowed", [input.llm.model])
}

decision := {"allow": count(deny) == 0, "deny": deny}

tool_deny contains msg if {
	input.tool_use.name in data.claude.denied_tools
	msg := sprintf("tool %v is denied", [input.tool_use.name])
}

tool_decision := {"allow": count(tool_deny) == 0, "deny": tool_deny}
`;

/** Writes a bundle directory; `models` allowed, `deniedTools` denied. */
export function writeBundle(models: string[], deniedTools: string[] = [], dir = mkdtempSync(join(tmpdir(), "guard-sessions-bundle-"))): string {
  const files: Record<string, string> = {
    "claude/policy.guard": POLICY,
    "claude/data.json": JSON.stringify({ models, denied_tools: deniedTools }),
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

export function bundleOf(dir: string): PolicyBundle {
  const r = loadPolicyBundle(dir, { runTests: false });
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.bundle;
}

export const CONNECTION = { name: "claude", type: "anthropic", upstream: new URL("http://upstream.invalid"), entrypoint: ["guard", "claude", "decision"] } as unknown as ConnectionConfig;
export const TOOL_ENTRYPOINT = ["guard", "claude", "tool_decision"];

export function identity(over: Partial<Identity> = {}): Identity {
  return {
    provider: "github",
    issuer: "https://token.actions.githubusercontent.com",
    subject: "repo:acme/app:ref:refs/heads/main",
    audience: ["guard"],
    claims: { sub: "repo:acme/app:ref:refs/heads/main" },
    repository: "acme/app",
    repository_owner: "acme",
    ref: "refs/heads/main",
    ref_type: "branch",
    sha: "0123456789abcdef",
    workflow: "ci",
    environment: null,
    event_name: "push",
    run_id: "4242",
    run_attempt: "1",
    actor: "ann",
    groups: [],
    ...over,
  };
}

let n = 0;

/**
 * An exchange as the gateway would record it: the request body built, its input built and decided with `bundle`
 * (and each of `tools` decided as a tool call), the answer a short text.
 */
export function exchange(
  bundle: PolicyBundle,
  opts: { model: string; prompt?: string; messages?: { role: string; content: string }[]; tools?: string[]; sessionId?: string; time?: Date; who?: Identity },
): ExchangeRecord {
  n++;
  const time = opts.time ?? new Date(Date.UTC(2026, 10, 21, 10, 0, n));
  const who = opts.who ?? identity();
  const messages = opts.messages ?? [{ role: "user", content: opts.prompt ?? `prompt ${n}` }];
  const json = { model: opts.model, max_tokens: 100, messages };
  const body = Buffer.from(JSON.stringify(json));
  const headers = { "content-type": "application/json", authorization: "Bearer SECRET-TOKEN", "x-api-key": "sk-SECRET", cookie: "c=SECRET" };
  const input = buildInput(who, CONNECTION, { method: "POST", path: "/v1/messages", query: new URLSearchParams(), headers, body, json }, time);
  const d = decide(bundle, CONNECTION.entrypoint, input, { timeoutMs: 1000, maxSteps: 1_000_000 });
  const toolDecisions = (opts.tools ?? []).map((name, i) => {
    const call = { id: `toolu_${n}_${i}`, name, input: { command: "ls" } };
    const td = decide(bundle, TOOL_ENTRYPOINT, { ...input, tool_use: call }, { timeoutMs: 1000, maxSteps: 1_000_000 });
    return { toolUseId: call.id, name, input: call.input, outcome: td.outcome, reasons: td.reasons, entrypoint: TOOL_ENTRYPOINT };
  });
  const content = [{ type: "text", text: `answer ${n}` }, ...(opts.tools ?? []).map((name, i) => ({ type: "tool_use", id: `toolu_${n}_${i}`, name, input: { command: "ls" } }))];
  return {
    sessionId: opts.sessionId ?? `${who.repository}/${who.run_id}/${who.run_attempt}`,
    decisionId: d.id,
    time,
    subject: who.subject,
    repository: who.repository,
    connection: "claude",
    request: { method: "POST", path: "/claude/v1/messages", headers, body: json },
    response:
      d.outcome === "allow"
        ? { status: 200, headers: { "content-type": "application/json", "set-cookie": "s=SECRET" }, body: { type: "message", role: "assistant", content, stop_reason: "end_turn" } }
        : null,
    input,
    decision: { outcome: d.outcome, reasons: d.reasons, revision: d.revision, entrypoint: CONNECTION.entrypoint, document: d.document },
    toolDecisions,
    timings: { authMs: 1, evaluationMs: d.evaluationMs, upstreamMs: d.outcome === "allow" ? 20 : null, totalMs: 25 },
  };
}
