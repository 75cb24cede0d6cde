// Tells people an approval is waiting: on each new approval, a POST to every configured URL, `generic` (JSON for any
// receiver) or `slack` (an incoming webhook: text + blocks with a link to the page). Fire and forget: notify()
// returns at once, each delivery is tried up to 3 times with backoff, failures are logged, never thrown.
import { createHmac } from "node:crypto";
import type { Approval } from "../store/approvals-types.js";
import type { ApprovalEvent } from "./service.js";

export interface WebhookTarget {
  url: string;
  kind: "generic" | "slack";
  /** generic: signs the body, `x-guard-signature: sha256=<hex HMAC-SHA256 of the body>`. */
  secret?: string;
}

export interface WebhookLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ApprovalWebhooksOptions {
  targets: WebhookTarget[];
  /** The gateway's public base URL ("https://guard.example.com"), for the page and status links. */
  publicUrl: string;
  /** Where the approval routes are mounted (default "/approvals"). */
  basePath?: string;
  /** Tries per delivery (default 3). */
  attempts?: number;
  /** First backoff; doubled each retry (default 500 ms). */
  backoffMs?: number;
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  logger?: WebhookLogger;
}

/** The generic payload. */
export interface ApprovalRequestedPayload {
  type: "approval.requested";
  approval: Approval;
  status_url: string;
  page_url: string;
}

/** Slack's mrkdwn escaping: &, < and > (so a prompt cannot inject links or mentions). */
function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export class ApprovalWebhooks {
  private readonly base: string;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: ApprovalWebhooksOptions) {
    this.base = `${options.publicUrl.replace(/\/+$/, "")}${(options.basePath ?? "/approvals").replace(/\/+$/, "")}`;
    for (const t of options.targets) {
      if (!/^https?:\/\//.test(t.url)) throw new TypeError(`approval webhook ${JSON.stringify(t.url)}: must be an http(s) URL`);
      if (t.kind !== "generic" && t.kind !== "slack") throw new TypeError(`approval webhook kind ${JSON.stringify(t.kind)}: generic or slack`);
    }
  }

  pageUrl(): string {
    return this.base;
  }

  statusUrl(approval: Approval): string {
    return `${this.base}/api/${encodeURIComponent(approval.id)}/status`;
  }

  /** For ApprovalServiceOptions.onEvent (or called from it): notifies on `approval.opened`. */
  readonly onEvent = (event: ApprovalEvent): void => {
    if (event.type === "approval.opened") this.notify(event.approval);
  };

  /** Sends the approval to every target, in the background. */
  notify(approval: Approval): void {
    for (const target of this.options.targets) {
      const p = this.deliver(target, approval).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  /** Resolves when every delivery started so far is done (delivered or given up): for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  payload(target: WebhookTarget, approval: Approval): unknown {
    if (target.kind === "generic") {
      const p: ApprovalRequestedPayload = { type: "approval.requested", approval, status_url: this.statusUrl(approval), page_url: this.pageUrl() };
      return p;
    }
    const r = approval.requester;
    const s = approval.summary;
    const who = `${r.subject}${r.repository ? ` (${r.repository})` : ""}`;
    const text = `Approval needed: ${approval.reason} (requested by ${who}). Review: ${this.pageUrl()}`;
    const preview = [`${s.method} ${s.path}${s.model ? ` · ${s.model}` : ""}`, ...(s.texts ?? []).map((t) => `> ${clip(t, 300).replace(/\n/g, "\n> ")}`)].join("\n");
    return {
      text: slackEscape(text),
      blocks: [
        { type: "header", text: { type: "plain_text", text: clip(`Approval needed: ${approval.reason}`, 150) } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: `*Requester*\n${slackEscape(clip(who, 500))}` },
            { type: "mrkdwn", text: `*Connection*\n${slackEscape(approval.connection)}` },
            { type: "mrkdwn", text: `*Approvers*\n${slackEscape(approval.approvers.join(", "))} (${approval.approvalsNeeded} needed)` },
            { type: "mrkdwn", text: `*Validity*\n${slackEscape(approval.validity)}` },
          ],
        },
        { type: "section", text: { type: "mrkdwn", text: slackEscape(clip(preview, 2500)) } },
        {
          type: "actions",
          elements: [{ type: "button", text: { type: "plain_text", text: "Review in Guard" }, url: this.pageUrl(), style: "primary" }],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: `Expires ${approval.expiresAt} · id ${approval.id}` }] },
      ],
    };
  }

  private async deliver(target: WebhookTarget, approval: Approval): Promise<void> {
    const body = JSON.stringify(this.payload(target, approval));
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "guard-approvals" };
    if (target.kind === "generic" && target.secret) headers["x-guard-signature"] = `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
    const attempts = Math.max(1, this.options.attempts ?? 3);
    const where = redact(target.url);
    for (let i = 1; i <= attempts; i++) {
      let problem: string;
      try {
        const res = await fetch(target.url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        problem = `answered ${res.status}`;
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      if (i < attempts) {
        this.options.logger?.warn({ webhook: where, approval: approval.id, attempt: i, problem }, "approval webhook failed; retrying");
        await new Promise((r) => setTimeout(r, (this.options.backoffMs ?? 500) * 2 ** (i - 1)));
      } else {
        this.options.logger?.error({ webhook: where, approval: approval.id, attempts, problem }, "approval webhook failed; giving up");
      }
    }
  }
}

/** A webhook URL for the log: Slack's are secrets in their path, so only the origin. */
function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}
