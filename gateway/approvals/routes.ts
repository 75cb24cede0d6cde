// The approvals HTTP API and page, as a fastify plugin: register it with `app.register(approvalRoutes, {...})`.
//
//   GET  {base}                       the approvers' page (page.ts)
//   GET  {base}/api?status=pending    approvals the caller may see (requester, or member of an approver group)
//   GET  {base}/api/:id               one approval
//   GET  {base}/api/:id/status        its status, for the requester (?wait=SECONDS holds until it changes, ≤ 60)
//   POST {base}/api/:id/approve       body {"comment"?: string}
//   POST {base}/api/:id/deny          body {"comment"?: string}
//   GET  {base}/login, {base}/callback  sign-in through the identity provider, when `login` is configured (login.ts)
//
// Every API call carries the caller's bearer token, verified by `authenticate`. Errors: {"error": {code, message}}
// with 400 (bad request), 401 (unauthenticated), 403 (not allowed), 404 (no such approval), 409 (decided, expired).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthError, type Identity } from "../identity.js";
import { APPROVAL_STATUSES, type Approval, type ApprovalStatus } from "../store/approvals-types.js";
import { loginRoutes, type OidcLoginOptions } from "./login.js";
import { approvalPage } from "./page.js";
import { ApprovalError, outcomeOf, type ApprovalService } from "./service.js";

export interface ApprovalRoutesOptions {
  service: ApprovalService;
  /** Verifies the request's bearer token (the gateway's Authenticator); throws when it is missing or invalid. */
  authenticate: (req: FastifyRequest) => Promise<Identity>;
  /** Where the page and API live (default "/approvals"). */
  basePath?: string;
  /** Sign-in on the page through the identity provider (authorization code + PKCE, login.ts); without it, approvers paste a token. */
  login?: OidcLoginOptions;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header("cache-control", "no-store").send({ error: { code, message } });
}

/** The request body as an object: whatever parser the surrounding app has (JSON, a buffer, a string, none). */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  let v: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === "string") {
    const text = body.toString();
    if (text.trim() === "") return {};
    try {
      v = JSON.parse(text);
    } catch {
      throw new HttpError(400, "bad_request", "the body must be JSON: {\"comment\": \"…\"}");
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new HttpError(400, "bad_request", "the body must be a JSON object");
  return v as Record<string, unknown>;
}

export async function approvalRoutes(app: FastifyInstance, options: ApprovalRoutesOptions): Promise<void> {
  const base = (options.basePath ?? "/approvals").replace(/\/+$/, "");
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(base) || base === "") throw new TypeError(`approvals basePath ${JSON.stringify(options.basePath)}: use a path such as /approvals`);
  const { service, authenticate } = options;

  const identify = async (req: FastifyRequest): Promise<Identity> => {
    try {
      return await authenticate(req);
    } catch (e) {
      // the Authenticator's reasons are safe to show ("the token has expired"); anything else stays in the log
      if (!(e instanceof AuthError)) req.log.warn({ err: e }, "approvals: authentication failed");
      throw new HttpError(401, "unauthenticated", `a valid bearer token is required${e instanceof AuthError ? `: ${e.message}` : ""}`);
    }
  };
  const visible = async (req: FastifyRequest, identity: Identity): Promise<Approval> => {
    const { id } = req.params as { id: string };
    const a = await service.get(id);
    if (a === undefined) throw new HttpError(404, "not_found", `no approval ${JSON.stringify(id).slice(0, 80)}`);
    if (!service.maySee(identity, a)) throw new HttpError(403, "forbidden", "only the requester and the approvers may see this approval");
    return a;
  };
  const handle =
    (body: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      try {
        const out = await body(req, reply);
        reply.header("cache-control", "no-store");
        return out;
      } catch (e) {
        if (e instanceof HttpError) return send(reply, e.status, e.code, e.message);
        if (e instanceof ApprovalError) return send(reply, e.status, e.code, e.message);
        req.log.error({ err: e }, "approvals: internal error");
        return send(reply, 500, "internal", "internal error");
      }
    };

  // fastify's own errors (a body that is not JSON, too large, an unsupported type) in the same shape
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: error }, "approvals: internal error");
      return send(reply, 500, "internal", "internal error");
    }
    return send(reply, status, status === 415 ? "unsupported_media_type" : status === 413 ? "too_large" : "bad_request", error.message);
  });

  if (options.login) loginRoutes(app, base, options.login);

  app.get(base, async (_req, reply) => {
    const { html, nonce } = approvalPage(base, { login: options.login !== undefined });
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`)
      .header("x-content-type-options", "nosniff")
      .header("x-frame-options", "DENY")
      .header("referrer-policy", "no-referrer")
      .send(html);
  });

  app.get(
    `${base}/api`,
    handle(async (req) => {
      const identity = await identify(req);
      const q = req.query as { status?: string; limit?: string };
      if (q.status !== undefined && !APPROVAL_STATUSES.includes(q.status as ApprovalStatus)) {
        throw new HttpError(400, "bad_request", `status must be one of ${APPROVAL_STATUSES.join(", ")}`);
      }
      const limit = q.limit === undefined ? 200 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, "bad_request", "limit must be a whole number from 1 to 1000");
      const all = await service.list({ status: q.status as ApprovalStatus | undefined, limit: 1000 });
      return { approvals: all.filter((a) => service.maySee(identity, a)).slice(0, limit) };
    }),
  );

  app.get(
    `${base}/api/:id`,
    handle(async (req) => ({ approval: await visible(req, await identify(req)) })),
  );

  app.get(
    `${base}/api/:id/status`,
    handle(async (req) => {
      const identity = await identify(req);
      let a = await visible(req, identity);
      const wait = (req.query as { wait?: string }).wait;
      if (wait !== undefined) {
        const seconds = Number(wait);
        if (!Number.isFinite(seconds) || seconds < 0 || seconds > 60) throw new HttpError(400, "bad_request", "wait must be a number of seconds from 0 to 60");
        if (a.status === "pending") {
          const abort = new AbortController();
          req.raw.once("close", () => abort.abort());
          await service.waitFor(a.id, { timeoutMs: seconds * 1000, signal: abort.signal });
          a = (await service.get(a.id)) ?? a;
        }
      }
      return {
        id: a.id,
        status: a.status,
        outcome: outcomeOf(a.status),
        approvals: a.votes.filter((v) => v.decision === "approve").length,
        approvalsNeeded: a.approvalsNeeded,
        expiresAt: a.expiresAt,
        decidedAt: a.decidedAt,
      };
    }),
  );

  for (const action of ["approve", "deny"] as const) {
    app.post(
      `${base}/api/:id/${action}`,
      handle(async (req) => {
        const identity = await identify(req);
        const body = bodyObject(req.body);
        const comment = body.comment;
        if (comment !== undefined && comment !== null && typeof comment !== "string") throw new HttpError(400, "bad_request", "comment must be a string");
        if (typeof comment === "string" && comment.length > 1000) throw new HttpError(400, "bad_request", "comment must be at most 1000 characters");
        const { id } = req.params as { id: string };
        const approval = action === "approve" ? await service.approve(id, identity, comment ?? null) : await service.deny(id, identity, comment ?? null);
        return { approval };
      }),
    );
  }
}
