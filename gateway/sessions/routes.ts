// The web view of recorded sessions, as a fastify plugin: `GET {basePath}` (the list, HTML), `GET {basePath}/:id`
// (one session as a conversation: user and assistant turns, tool calls, decisions, timings), and the same as JSON at
// `{basePath}/api` and `{basePath}/api/:id`. Every recorded text is HTML-escaped; pages forbid scripts (CSP).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SessionStore, SessionSummary, StoredExchange } from "../store/sessions-types.js";
import { conversation, timingsLine, type ConversationTurn } from "./view.js";

export interface SessionRoutesOptions {
  store: { sessions: SessionStore } | SessionStore;
  /**
   * Called before every request is served; a rejection answers 401 (or the error's `statusCode` when it is 401 or
   * 403). Absent: the routes are open (put them behind something that authenticates).
   */
  authenticate?: (req: FastifyRequest) => Promise<unknown>;
  /** Where the routes live (default "/sessions"). */
  basePath?: string;
  /** Sessions listed (default 200). */
  listLimit?: number;
}

/** HTML-escapes text (element content and quoted attribute values). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.turn{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.6em 1em}.meta{color:#666;font-size:12px}
.msg{white-space:pre-wrap;margin:.4em 0;padding:.4em .6em;border-radius:4px}.user{background:#eef4ff}.assistant{background:#f3f3f3}
.system{background:#fff8e1}.tool{background:#f0fff0;font-family:monospace;white-space:pre-wrap}
.allow{color:#1a7f37;font-weight:600}.deny,.error{color:#cf222e;font-weight:600}pre{white-space:pre-wrap;margin:0}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function listHtml(base: string, sessions: SessionSummary[]): string {
  const rows = sessions
    .map(
      (s) =>
        `<tr><td><a href="${escapeHtml(`${base}/${encodeURIComponent(s.id)}`)}">${escapeHtml(s.id)}</a></td><td>${escapeHtml(s.subject ?? "-")}</td><td>${escapeHtml(s.repository ?? "-")}</td>` +
        `<td>${escapeHtml(s.firstTime)}</td><td>${escapeHtml(s.lastTime)}</td><td>${s.exchanges}</td><td${s.denied > 0 ? ' class="deny"' : ""}>${s.denied}</td></tr>`,
    )
    .join("");
  return page(
    "Guard sessions",
    `<h1>Sessions</h1><table><thead><tr><th>session</th><th>subject</th><th>repository</th><th>first</th><th>last</th><th>exchanges</th><th>denied</th></tr></thead><tbody>${rows}</tbody></table>` +
      (sessions.length === 0 ? "<p>No sessions recorded.</p>" : ""),
  );
}

const json = (v: unknown): string => JSON.stringify(v, null, 2) ?? "null";

function turnHtml(t: ConversationTurn): string {
  const parts: string[] = [];
  parts.push(
    `<div class="meta">#${t.seq} ${escapeHtml(t.time)} · ${escapeHtml(`${t.method} ${t.path}`)}${t.model ? ` · model ${escapeHtml(t.model)}` : ""} · exchange ${escapeHtml(t.id)}</div>`,
  );
  if (t.system !== null) parts.push(`<div class="msg system"><b>system</b>\n${escapeHtml(t.system)}</div>`);
  if (t.earlierMessages > 0) parts.push(`<div class="meta">(${t.earlierMessages} earlier message${t.earlierMessages === 1 ? "" : "s"})</div>`);
  for (const m of t.messages) parts.push(`<div class="msg ${m.role === "assistant" ? "assistant" : "user"}"><b>${escapeHtml(m.role || "?")}</b>\n${escapeHtml(m.text)}</div>`);
  const d = t.decision;
  parts.push(
    `<div>decision: <span class="${escapeHtml(d.outcome)}">${escapeHtml(d.outcome)}</span>${d.reasons.length ? `: ${escapeHtml(d.reasons.join("; "))}` : ""} <span class="meta">(revision ${escapeHtml(d.revision ?? "-")})</span></div>`,
  );
  if (t.answer) {
    const a = t.answer;
    if (a.text !== "") parts.push(`<div class="msg assistant"><b>assistant</b> <span class="meta">(${a.status}${a.stopReason ? `, ${escapeHtml(a.stopReason)}` : ""}${a.truncated ? ", truncated" : ""})</span>\n${escapeHtml(a.text)}</div>`);
    else parts.push(`<div class="meta">answer: ${a.status}${a.stopReason ? `, ${escapeHtml(a.stopReason)}` : ""}</div>`);
    for (const c of a.toolCalls) parts.push(`<div class="msg tool"><b>tool call ${escapeHtml(c.name)}</b> ${escapeHtml(c.id ?? "")}\n${escapeHtml(json(c.input))}</div>`);
    if (a.error) parts.push(`<div class="error">stream error: ${escapeHtml(a.error)}</div>`);
  }
  for (const td of t.toolDecisions) {
    parts.push(`<div>tool ${escapeHtml(td.name)}: <span class="${escapeHtml(td.outcome)}">${escapeHtml(td.outcome)}</span>${td.reasons.length ? `: ${escapeHtml(td.reasons.join("; "))}` : ""}</div>`);
  }
  parts.push(`<div class="meta">${escapeHtml(timingsLine(t.timings))}</div>`);
  return `<div class="turn" id="${escapeHtml(`x-${t.id}`)}">${parts.join("")}</div>`;
}

function sessionHtml(base: string, id: string, exchanges: StoredExchange[]): string {
  const turns = conversation(exchanges);
  const denied = exchanges.filter((x) => x.decision.outcome !== "allow").length;
  return page(
    `Session ${id}`,
    `<p><a href="${escapeHtml(base)}">← sessions</a></p><h1>Session ${escapeHtml(id)}</h1>` +
      `<p class="meta">${exchanges.length} exchange${exchanges.length === 1 ? "" : "s"}, ${denied} denied</p>` +
      turns.map(turnHtml).join(""),
  );
}

/** Registers the session routes on `app` (also usable as `app.register(sessionRoutes, options)`). */
export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): Promise<void> {
  const base = (options.basePath ?? "/sessions").replace(/\/+$/, "") || "/sessions";
  const store: SessionStore = "sessions" in options.store ? options.store.sessions : options.store;
  const limit = options.listLimit ?? 200;
  const auth = options.authenticate;
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (!auth) return true;
    try {
      await auth(req);
      return true;
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode === 403 ? 403 : 401;
      reply.code(status).type("application/json").send({ error: { code: status === 403 ? "GUARD_FORBIDDEN" : "GUARD_UNAUTHENTICATED", message: status === 403 ? "not allowed" : "authentication required" } });
      return false;
    }
  };
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header("content-security-policy", CSP).header("x-content-type-options", "nosniff").header("cache-control", "no-store").type("text/html; charset=utf-8").send(body);
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  app.get(`${base}/api`, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const q = req.query as Record<string, string | undefined>;
    const sessions = await store.list({
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.repository ? { repository: q.repository } : {}),
      limit: Math.min(Number(q.limit) > 0 ? Math.floor(Number(q.limit)) : limit, 10_000),
    });
    return reply.header("cache-control", "no-store").send({ sessions });
  });
  app.get(`${base}/api/:id`, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const exchanges = await store.exchanges(idOf(req));
    if (exchanges.length === 0) return reply.code(404).send({ error: { code: "GUARD_NOT_FOUND", message: "no such session" } });
    return reply.header("cache-control", "no-store").send({ id: idOf(req), exchanges });
  });
  app.get(base, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return html(reply, 200, listHtml(base, await store.list({ limit })));
  });
  app.get(`${base}/:id`, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const id = idOf(req);
    const exchanges = await store.exchanges(id);
    if (exchanges.length === 0) return html(reply, 404, page("No such session", `<p><a href="${escapeHtml(base)}">← sessions</a></p><p>No session ${escapeHtml(id)}.</p>`));
    return html(reply, 200, sessionHtml(base, id, exchanges));
  });
}
