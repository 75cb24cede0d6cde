// `guard sessions`: the gateway's recorded sessions: list them, show one as a conversation, and replay recorded
// decisions through a candidate policy bundle (exit 1 when some decision would change: for CI on policy changes).
import { resolve } from "node:path";
import { loadPolicyBundle } from "../gateway/bundle.js";
import { replaySessions, type ReplayReport } from "../gateway/sessions/replay.js";
import { conversation, timingsLine } from "../gateway/sessions/view.js";
import { DEFAULT_SQLITE_PATH } from "../gateway/store/index.js";
import type { ExchangeQuery, SessionQuery, Store, StoreConfig, StoredExchange } from "../gateway/store/types.js";
import { parseTimeArg, runWithStore, storeOption, UsageError } from "./store-command.js";

export const SESSIONS_USAGE = `Usage: guard sessions list   [STORE] [FILTERS…] [--format pretty|json]
       guard sessions show   [STORE] ID [--format pretty|json]
       guard sessions replay [STORE] --bundle DIR [ID…] [--since TIME] [--until TIME] [--limit N] [--format pretty|json]

list prints the recorded sessions, the most recently active first: id, subject, repository, first and last
exchange, how many exchanges and how many were denied.

show prints one session as a conversation: for each exchange the prompt messages it added, the model's answer
and tool calls, the decisions and the timings.

replay evaluates every recorded request's policy input again with the bundle in DIR (its tests are not run) at
the entrypoint it was decided at (tool-call decisions too), and reports each decision that would change:
allow->deny, deny->allow, or the same outcome for other reasons. Without IDs, every session's exchanges
(--since/--until/--limit narrow them).

The store:
  --config FILE        the store: section of a guard.yaml
  --store STORE        sqlite:PATH, or a postgres://… URL (?schema=NAME for a schema other than guard)
                       (default: sqlite:${DEFAULT_SQLITE_PATH} in the current directory)

Filters (list):
  --sub SUBJECT        sessions of this subject (the token's sub claim)
  --repo REPOSITORY    sessions of this CI repository (owner/name)
  --since TIME         active since: an ISO 8601 time, or a duration back from now (30m, 1h, 7d)
  --limit N            at most N sessions (default 100)

  --format FORMAT      pretty (default) or json

Exit codes: 0 done (replay: no decision would change), 1 replay: some decision would change (show: no such
session), 2 wrong arguments, no store, or a bundle that does not compile.
`;


const FORMATS = ["pretty", "json"] as const;
type Format = (typeof FORMATS)[number];
type Sub = "list" | "show" | "replay";

interface Options {
  store: StoreConfig;
  format: Format;
  ids: string[];
  bundle?: string;
  list: SessionQuery;
  exchanges: ExchangeQuery;
}

const out = (s: string) => process.stdout.write(s);

export async function sessionsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "list" && sub !== "show" && sub !== "replay") {
    process.stderr.write(`guard sessions: ${sub === undefined ? "list, show or replay?" : `unknown subcommand \`${sub}\``}\n\n${SESSIONS_USAGE}`);
    return 2;
  }
  return runWithStore(`guard sessions ${sub}`, SESSIONS_USAGE, () => parseOptions(sub, rest, Date.now()), (store, options) =>
    sub === "list" ? list(store, options) : sub === "show" ? show(store, options) : replay(store, options),
  );
}

async function list(store: Store, o: Options): Promise<number> {
  const sessions = await store.sessions.list(o.list);
  if (o.format === "json") {
    out(JSON.stringify(sessions, null, 2) + "\n");
    return 0;
  }
  for (const s of sessions) {
    out(
      [
        s.id,
        `sub=${s.subject ?? "-"}`,
        `repo=${s.repository ?? "-"}`,
        `${s.firstTime} .. ${s.lastTime}`,
        `${s.exchanges} exchange${s.exchanges === 1 ? "" : "s"}`,
        `${s.denied} denied`,
      ].join("  ") + "\n",
    );
  }
  out(`${sessions.length} session${sessions.length === 1 ? "" : "s"}\n`);
  return 0;
}

const indent = (text: string, by = "    ") => text.replace(/\n/g, `\n${by}`);

async function show(store: Store, o: Options): Promise<number> {
  const id = o.ids[0]!;
  const exchanges = await store.sessions.exchanges(id);
  if (exchanges.length === 0) {
    process.stderr.write(`guard sessions show: no session ${JSON.stringify(id)}\n`);
    return 1;
  }
  if (o.format === "json") {
    out(JSON.stringify({ id, exchanges }, null, 2) + "\n");
    return 0;
  }
  const denied = exchanges.filter((x) => x.decision.outcome !== "allow").length;
  out(`session ${id}: ${exchanges.length} exchange${exchanges.length === 1 ? "" : "s"}, ${denied} denied\n`);
  for (const t of conversation(exchanges)) {
    out(`\n#${t.seq} ${t.time}  ${t.method} ${t.path}${t.model ? `  model ${t.model}` : ""}  (exchange ${t.id})\n`);
    if (t.system !== null) out(`  system: ${indent(t.system)}\n`);
    if (t.earlierMessages > 0) out(`  (${t.earlierMessages} earlier message${t.earlierMessages === 1 ? "" : "s"})\n`);
    for (const m of t.messages) out(`  ${m.role || "?"}: ${indent(m.text)}\n`);
    const d = t.decision;
    out(`  decision: ${d.outcome}${d.reasons.length ? `: ${d.reasons.join("; ")}` : ""} (revision ${d.revision ?? "-"})\n`);
    if (t.answer) {
      const a = t.answer;
      out(`  assistant (${a.status}${a.stopReason ? `, ${a.stopReason}` : ""}${a.truncated ? ", truncated" : ""}): ${indent(a.text)}\n`);
      for (const c of a.toolCalls) out(`  tool call ${c.name}${c.id ? ` ${c.id}` : ""}: ${JSON.stringify(c.input)}\n`);
      if (a.error) out(`  stream error: ${a.error}\n`);
    }
    for (const td of t.toolDecisions) out(`  tool decision ${td.name}: ${td.outcome}${td.reasons.length ? `: ${td.reasons.join("; ")}` : ""}\n`);
    out(`  ${timingsLine(t.timings)}\n`);
  }
  return 0;
}

async function replay(store: Store, o: Options): Promise<number> {
  const dir = resolve(o.bundle!);
  const loaded = loadPolicyBundle(dir, { runTests: false });
  if (!loaded.ok) {
    process.stderr.write(`guard sessions replay: the bundle ${dir} does not compile:\n${loaded.problems.map((p) => `  ${p}`).join("\n")}\n`);
    return 2;
  }
  const exchanges: StoredExchange[] =
    o.ids.length > 0 ? await store.sessions.query({ ...o.exchanges, sessionIds: o.ids }) : await store.sessions.query(o.exchanges);
  const report = replaySessions(exchanges, loaded.bundle);
  if (o.format === "json") out(JSON.stringify(report, null, 2) + "\n");
  else printReport(report);
  return report.changes.length > 0 ? 1 : 0;
}

function printReport(r: ReplayReport): void {
  for (const c of r.changes) {
    const what = c.tool ? `tool ${c.tool.name}${c.tool.id ? ` ${c.tool.id}` : ""} in ${c.request}` : c.request;
    const reasons = (x: { outcome: string; reasons: string[] }) => `${x.outcome}${x.reasons.length ? ` (${x.reasons.join("; ")})` : ""}`;
    out(`${c.kind.padEnd(11)}  exchange ${c.exchangeId}  session ${c.sessionId}  ${c.time}  ${what}${c.inputMasked ? "  (recorded input was masked)" : ""}\n`);
    out(`             recorded:  ${reasons(c.recorded)}  [revision ${c.recorded.revision ?? "-"}]\n`);
    out(`             candidate: ${reasons(c.candidate)}  [revision ${c.candidate.revision}]\n`);
  }
  for (const s of r.skipped) out(`skipped      exchange ${s.exchangeId}  session ${s.sessionId}: ${s.reason}\n`);
  const n = r.changes.length;
  out(
    `${r.exchanges} exchange${r.exchanges === 1 ? "" : "s"}, ${r.decisions} decision${r.decisions === 1 ? "" : "s"} replayed with revision ${r.revision}: ` +
      (n === 0 ? "no decision would change" : `${n} decision${n === 1 ? "" : "s"} would change`) +
      (r.skipped.length > 0 ? `, ${r.skipped.length} skipped` : "") +
      "\n",
  );
}

function parseOptions(sub: Sub, args: string[], now: number): Options {
  let store: StoreConfig | undefined;
  let format: Format = "pretty";
  let bundle: string | undefined;
  const ids: string[] = [];
  const listQ: SessionQuery = {};
  const exQ: ExchangeQuery = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const only = (subs: Sub[]) => {
      if (!subs.includes(sub)) throw new UsageError(`${a} is an option of guard sessions ${subs.join(" or ")}`);
    };
    const setStore = (c: StoreConfig) => {
      if (store !== undefined) throw new UsageError("one store: --config or --store, once");
      store = c;
    };
    const time = (text: string) => {
      const t = parseTimeArg(text, now);
      if (t === undefined) throw new UsageError(`${a} must be an ISO 8601 time (2026-11-21T09:00:00Z) or a duration (30m, 1h, 7d), found \`${text}\``);
      return t;
    };
    const named = storeOption(a, value);
    if (named) setStore(named);
    else if (a === "--format" || a === "-f") {
      const f = value();
      if (!FORMATS.includes(f as Format)) throw new UsageError(`unknown format \`${f}\`: use ${FORMATS.join(" or ")}`);
      format = f as Format;
    } else if (a === "--bundle" || a === "-b") {
      only(["replay"]);
      bundle = value();
    } else if (a === "--sub" || a === "--subject") {
      only(["list"]);
      listQ.subject = value();
    } else if (a === "--repo" || a === "--repository") {
      only(["list"]);
      listQ.repository = value();
    } else if (a === "--since") {
      only(["list", "replay"]);
      const t = time(value());
      listQ.since = t;
      exQ.since = t;
    } else if (a === "--until") {
      only(["replay"]);
      exQ.until = time(value());
    } else if (a === "--limit" || a === "-n") {
      only(["list", "replay"]);
      const n = value();
      if (!/^\d+$/.test(n) || !Number.isSafeInteger(Number(n))) throw new UsageError(`--limit must be a whole number, found \`${n}\``);
      listQ.limit = Number(n);
      exQ.limit = Number(n);
    } else if (a.startsWith("-") && a.length > 1) throw new UsageError(`unknown option ${a}`);
    else {
      if (sub === "list") throw new UsageError(`unexpected argument \`${a}\``);
      if (sub === "show" && ids.length > 0) throw new UsageError("show takes one session id");
      ids.push(a);
    }
  }
  if (sub === "show" && ids.length === 0) throw new UsageError("which session? guard sessions show ID (ids: guard sessions list)");
  if (sub === "replay" && bundle === undefined) throw new UsageError("--bundle DIR is required: the candidate policy bundle");
  const options: Options = { store: store ?? { kind: "sqlite", path: resolve(DEFAULT_SQLITE_PATH) }, format, ids, list: listQ, exchanges: exQ };
  if (bundle !== undefined) options.bundle = bundle;
  return options;
}
