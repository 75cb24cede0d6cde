// Replay: each recorded request's policy input evaluated again with a candidate bundle, at the entrypoint it was
// evaluated at, and every decision that would change reported (allow→deny, deny→allow, the reasons changed), the
// tool-call decisions included. For CI on policy pull requests: `guard sessions replay --bundle DIR`.
import type { PolicyBundle } from "../bundle.js";
import { decide, type ToolInput } from "../decision.js";
import type { PolicyInput } from "../input.js";
import type { SessionExchange, StoredExchange } from "../store/sessions-types.js";

export type ChangeKind = "allow->deny" | "deny->allow" | "reasons";

export interface DecisionChange {
  /** The exchange's id (its decision id) and session. */
  exchangeId: string;
  sessionId: string;
  seq: number | null;
  time: string;
  /** The request (`POST /claude/v1/messages`), and for a tool-call decision the tool call. */
  request: string;
  tool: { id: string | null; name: string } | null;
  kind: ChangeKind;
  /** The recorded input was masked: the candidate saw masked texts, so a change may come from the masking. */
  inputMasked: boolean;
  recorded: { outcome: "allow" | "deny" | "error"; reasons: string[]; revision: string | null };
  candidate: { outcome: "allow" | "deny" | "error"; reasons: string[]; revision: string };
}

export interface ReplayReport {
  revision: string;
  /** Exchanges read, decisions evaluated again (requests and tool calls). */
  exchanges: number;
  decisions: number;
  changes: DecisionChange[];
  /** Exchanges that could not be replayed (no input kept), with why. */
  skipped: { exchangeId: string; sessionId: string; reason: string }[];
}

export interface ReplayOptions {
  timeoutMs?: number;
  maxSteps?: number;
}

const sameReasons = (a: readonly string[], b: readonly string[]): boolean => {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((r, i) => r === y[i]);
};

function kindOf(recorded: { outcome: string; reasons: string[] }, candidate: { outcome: string; reasons: string[] }): ChangeKind | null {
  const was = recorded.outcome === "allow";
  const now = candidate.outcome === "allow";
  if (was && !now) return "allow->deny";
  if (!was && now) return "deny->allow";
  return sameReasons(recorded.reasons, candidate.reasons) ? null : "reasons";
}

/** Evaluates every recorded decision again with `bundle`; never throws on a bad exchange (it is skipped). */
export function replaySessions(exchanges: readonly (SessionExchange | StoredExchange)[], bundle: PolicyBundle, options: ReplayOptions = {}): ReplayReport {
  // the gateway's default step budget; a more generous time budget (replay runs offline, on a loaded CI machine)
  const o = { timeoutMs: options.timeoutMs ?? 1_000, maxSteps: options.maxSteps ?? 1_000_000 };
  const report: ReplayReport = { revision: bundle.revision, exchanges: exchanges.length, decisions: 0, changes: [], skipped: [] };
  for (const x of exchanges) {
    const base = {
      exchangeId: x.decisionId,
      sessionId: x.sessionId,
      seq: "seq" in x ? x.seq : null,
      time: x.time,
      request: `${x.request.method} ${x.request.path}`,
      inputMasked: x.inputMasked === true,
    };
    if (x.input === null || typeof x.input !== "object") {
      report.skipped.push({ exchangeId: x.decisionId, sessionId: x.sessionId, reason: "the policy input was not kept (larger than the recorder's limit)" });
      continue;
    }
    if (!Array.isArray(x.decision?.entrypoint) || x.decision.entrypoint.length === 0) {
      report.skipped.push({ exchangeId: x.decisionId, sessionId: x.sessionId, reason: "no entrypoint recorded" });
      continue;
    }
    const input = x.input as PolicyInput;
    const d = decide(bundle, x.decision.entrypoint, input, o);
    report.decisions++;
    const kind = kindOf(x.decision, d);
    if (kind) {
      report.changes.push({
        ...base,
        tool: null,
        kind,
        recorded: { outcome: x.decision.outcome, reasons: x.decision.reasons, revision: x.decision.revision },
        candidate: { outcome: d.outcome, reasons: d.reasons, revision: bundle.revision },
      });
    }
    for (const t of x.toolDecisions ?? []) {
      if (!Array.isArray(t.entrypoint) || t.entrypoint.length === 0) continue;
      const toolInput: ToolInput = { ...input, tool_use: { id: t.toolUseId, name: t.name, input: t.input } };
      const td = decide(bundle, t.entrypoint, toolInput, o);
      report.decisions++;
      const tk = kindOf(t, td);
      if (tk) {
        report.changes.push({
          ...base,
          tool: { id: t.toolUseId, name: t.name },
          kind: tk,
          recorded: { outcome: t.outcome, reasons: t.reasons, revision: x.decision.revision },
          candidate: { outcome: td.outcome, reasons: td.reasons, revision: bundle.revision },
        });
      }
    }
  }
  return report;
}
