// `guard approvals`: list, show, approve and deny human approvals through the gateway's HTTP API (never the
// database: the gateway checks the approver's token, groups and policy).
import type { Approval } from "../gateway/store/approvals-types.js";

export const APPROVALS_USAGE = `Usage: guard approvals list [--status STATUS] [OPTIONS]
       guard approvals show ID [OPTIONS]
       guard approvals approve ID [--comment TEXT] [OPTIONS]
       guard approvals deny ID [--comment TEXT] [OPTIONS]

Requests that a policy held for human approval (require_approval), through the gateway's approvals API.

Options:
  --gateway URL        the gateway (default: $GUARD_GATEWAY_URL, else http://127.0.0.1:8080)
  --token TOKEN        your identity token (default: $GUARD_TOKEN); prefer the variable: a command line is visible
                       to other users of the machine
  --base-path PATH     where the gateway serves approvals (default /approvals)
  --status STATUS      list: pending (default), approved, denied, expired, consumed, or all
  --comment TEXT       approve, deny: a comment kept with your decision
  --format FORMAT      pretty (default) or json

Exit codes: 0 done, 1 the gateway refused (not allowed, not found, already decided …), 2 wrong arguments or the
gateway could not be reached.
`;

class UsageError extends Error {}

interface Options {
  sub: "list" | "show" | "approve" | "deny";
  id?: string;
  gateway: string;
  token: string;
  basePath: string;
  status: string;
  comment?: string;
  format: "pretty" | "json";
}

const STATUSES = ["pending", "approved", "denied", "expired", "consumed", "all"];

function parse(args: string[], env: NodeJS.ProcessEnv): Options {
  const [sub, ...rest] = args;
  if (sub !== "list" && sub !== "show" && sub !== "approve" && sub !== "deny") {
    throw new UsageError(sub === undefined ? "list, show, approve or deny?" : `unknown subcommand \`${sub}\``);
  }
  const o: Partial<Options> & { sub: Options["sub"] } = { sub };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.indexOf("=");
    const [flag, inline] = a.startsWith("--") && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--gateway":
        o.gateway = value();
        break;
      case "--token":
        o.token = value();
        break;
      case "--base-path":
        o.basePath = value();
        break;
      case "--status":
        o.status = value();
        if (!STATUSES.includes(o.status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}`);
        if (sub !== "list") throw new UsageError("--status is for list");
        break;
      case "--comment":
        o.comment = value();
        if (sub !== "approve" && sub !== "deny") throw new UsageError("--comment is for approve and deny");
        break;
      case "--format": {
        const f = value();
        if (f !== "pretty" && f !== "json") throw new UsageError("--format must be pretty or json");
        o.format = f;
        break;
      }
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown option \`${a}\``);
        positional.push(a);
    }
  }
  if (sub === "list") {
    if (positional.length > 0) throw new UsageError(`list takes no arguments, found \`${positional[0]}\``);
  } else {
    if (positional.length !== 1) throw new UsageError(`${sub} takes one approval id`);
    o.id = positional[0];
  }
  const gateway = o.gateway ?? env.GUARD_GATEWAY_URL ?? "http://127.0.0.1:8080";
  if (!/^https?:\/\/[^/]/.test(gateway)) throw new UsageError(`--gateway must be an http:// or https:// URL, not \`${gateway}\``);
  const token = o.token ?? env.GUARD_TOKEN;
  if (token === undefined || token.trim() === "") throw new UsageError("no token: pass --token TOKEN or set GUARD_TOKEN");
  const basePath = `/${(o.basePath ?? "/approvals").replace(/^\/+|\/+$/g, "")}`;
  return { sub, id: o.id, gateway: gateway.replace(/\/+$/, ""), token: token.trim(), basePath, status: o.status ?? "pending", comment: o.comment, format: o.format ?? "pretty" };
}

/** Control characters (a terminal escape in a prompt) shown as visible escapes, never sent to the terminal. */
function safe(s: unknown): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return String(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86_400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}

const approvalsOf = (a: Approval) => a.votes.filter((v) => v.decision === "approve").length;

function pretty(a: Approval, now: number): string {
  const lines = [
    `approval ${safe(a.id)}: ${a.status}`,
    `  reason:      ${safe(a.reason)}`,
    `  requester:   ${safe(a.requester.subject)}${a.requester.repository ? ` (${safe(a.requester.repository)})` : ""}`,
    ...Object.entries(a.requester.claims).map(([k, v]) => `    ${k}: ${safe(typeof v === "string" ? v : JSON.stringify(v))}`),
    `  connection:  ${safe(a.connection)}`,
    `  request:     ${safe(a.summary.method)} ${safe(a.summary.path)}${a.summary.model ? ` (model ${safe(a.summary.model)})` : ""}`,
    ...(a.summary.texts ?? []).map((t) => `    | ${safe(t).replace(/\n/g, "\n    | ")}`),
    `  approvers:   ${a.approvers.map(safe).join(", ")} (${approvalsOf(a)} of ${a.approvalsNeeded} approvals)`,
    `  validity:    ${safe(a.validity)}`,
    `  created:     ${a.createdAt} (${age(a.createdAt, now)} ago)`,
    `  expires:     ${a.expiresAt}`,
  ];
  if (a.decidedAt) lines.push(`  decided:     ${a.decidedAt}`);
  if (a.consumedAt) lines.push(`  used:        ${a.consumedAt}`);
  if (a.decisionId) lines.push(`  decision id: ${safe(a.decisionId)}`);
  for (const v of a.votes) lines.push(`  ${v.decision === "approve" ? "approved" : "denied"} by ${safe(v.name ?? v.subject)} at ${v.at}${v.comment ? `: ${safe(v.comment)}` : ""}`);
  return `${lines.join("\n")}\n`;
}

async function call(o: Options, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${o.gateway}${o.basePath}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${o.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { error: { code: `http_${res.status}`, message: text.slice(0, 200) || `HTTP ${res.status}` } };
  }
  return { status: res.status, json };
}

export async function approvalsCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let o: Options;
  try {
    o = parse(args, env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`guard approvals: ${e.message}\n\n${APPROVALS_USAGE}`);
      return 2;
    }
    throw e;
  }
  const id = o.id === undefined ? "" : `/${encodeURIComponent(o.id)}`;
  let r: { status: number; json: Record<string, unknown> };
  try {
    if (o.sub === "list") r = await call(o, "GET", o.status === "all" ? "" : `?status=${o.status}`);
    else if (o.sub === "show") r = await call(o, "GET", id);
    else r = await call(o, "POST", `${id}/${o.sub}`, o.comment === undefined ? {} : { comment: o.comment });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    process.stderr.write(`guard approvals ${o.sub}: cannot reach the gateway at ${o.gateway} (${e instanceof Error ? e.message : String(e)}${cause})\n`);
    return 2;
  }
  if (r.status >= 400) {
    const err = (r.json.error ?? {}) as { code?: string; message?: string };
    if (o.format === "json") process.stdout.write(`${JSON.stringify(r.json)}\n`);
    process.stderr.write(`guard approvals ${o.sub}: ${r.status} ${safe(err.code ?? "error")}: ${safe(err.message ?? "")}\n`);
    return 1;
  }
  const now = Date.now();
  if (o.format === "json") {
    process.stdout.write(`${JSON.stringify(o.sub === "list" ? r.json.approvals : r.json.approval, null, 2)}\n`);
    return 0;
  }
  if (o.sub === "list") {
    const list = (r.json.approvals ?? []) as Approval[];
    if (list.length === 0) {
      process.stdout.write(`no ${o.status === "all" ? "" : `${o.status} `}approvals\n`);
      return 0;
    }
    for (const a of list) {
      process.stdout.write(
        `${a.id}  ${a.status.padEnd(8)}  ${age(a.createdAt, now).padStart(4)}  ${approvalsOf(a)}/${a.approvalsNeeded}  ${safe(a.requester.subject)}  ${safe(a.summary.method)} ${safe(a.summary.path)}  ${safe(a.reason)}\n`,
      );
    }
    return 0;
  }
  const a = r.json.approval as Approval;
  if (o.sub === "show") process.stdout.write(pretty(a, now));
  else {
    const verb = o.sub === "approve" ? "approved" : "denied";
    const tail = a.status === "pending" ? ` (${approvalsOf(a)} of ${a.approvalsNeeded} approvals; still pending)` : ` (now ${a.status})`;
    process.stdout.write(`${verb} ${a.id}${tail}\n`);
  }
  return 0;
}
