import { afterEach, describe, expect, it } from "vitest";
import type { Approval } from "../store/approvals-types.js";
import { startApprovalApp, type ApprovalApp } from "./test/app.js";

let t: ApprovalApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("approval routes", () => {
  it("refuses calls without a valid token: 401 with an error body", async () => {
    t = await startApprovalApp();
    const a = await t.openApproval();
    for (const [method, url] of [
      ["GET", "/approvals/api?status=pending"],
      ["GET", `/approvals/api/${a.id}`],
      ["GET", `/approvals/api/${a.id}/status`],
      ["POST", `/approvals/api/${a.id}/approve`],
      ["POST", `/approvals/api/${a.id}/deny`],
    ] as const) {
      const none = await t.app.inject({ method, url });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toEqual({ error: { code: "unauthenticated", message: "a valid bearer token is required: no bearer token" } });
      const forged = await t.app.inject({ method, url, headers: bearer("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln") });
      expect(forged.statusCode).toBe(401);
      expect(forged.json().error.code).toBe("unauthenticated");
    }
    expect((await t.service.get(a.id))!.status).toBe("pending");
  });

  it("lists the pending approvals the caller may decide or asked for, and shows one", async () => {
    t = await startApprovalApp();
    const a = await t.openApproval();
    const other = await t.openApproval({ approvers: ["dba"] });
    const alice = await t.tokenOf("alice", ["sre"]);
    const list = await t.app.inject({ url: "/approvals/api?status=pending", headers: bearer(alice) });
    expect(list.statusCode).toBe(200);
    expect(list.headers["cache-control"]).toBe("no-store");
    expect((list.json().approvals as Approval[]).map((x) => x.id)).toEqual([a.id]);
    const ci = await t.app.inject({ url: "/approvals/api?status=pending", headers: bearer(await t.ciToken()) });
    expect((ci.json().approvals as Approval[]).map((x) => x.id).sort()).toEqual([a.id, other.id].sort());
    const mallory = await t.tokenOf("mallory", ["dev"]);
    expect((await t.app.inject({ url: "/approvals/api", headers: bearer(mallory) })).json()).toEqual({ approvals: [] });
    const one = await t.app.inject({ url: `/approvals/api/${a.id}`, headers: bearer(alice) });
    expect(one.statusCode).toBe(200);
    expect(one.json().approval).toMatchObject({ id: a.id, status: "pending", reason: "production deploys need a human", summary: { texts: ["deploy v1.2.3 to production"] } });
    const hidden = await t.app.inject({ url: `/approvals/api/${other.id}`, headers: bearer(alice) });
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().error.code).toBe("forbidden");
    const missing = await t.app.inject({ url: "/approvals/api/00000000-0000-4000-8000-000000000000", headers: bearer(alice) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("not_found");
    const bad = await t.app.inject({ url: "/approvals/api?status=maybe", headers: bearer(alice) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: "bad_request" });
  });

  it("approves and denies with 403 and 409 where the rules say no", async () => {
    t = await startApprovalApp();
    const a = await t.openApproval({ approvalsNeeded: 2 });
    const [alice, bob, mallory, ci] = await Promise.all([t.tokenOf("alice", ["sre"]), t.tokenOf("bob", ["sre"]), t.tokenOf("mallory", ["dev"]), t.ciToken()]);
    const post = (token: string, action: string, payload?: unknown, id = a.id) =>
      t!.app.inject({ method: "POST", url: `/approvals/api/${id}/${action}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

    const self = await post(ci, "approve");
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe("self_approval");
    const outsider = await post(mallory, "approve", { comment: "me too" });
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().error).toEqual({ code: "not_an_approver", message: "only members of sre may decide on this approval" });
    expect((await post(alice, "approve", { comment: 42 })).statusCode).toBe(400);
    const notJson = await t.app.inject({ method: "POST", url: `/approvals/api/${a.id}/approve`, headers: { ...bearer(alice), "content-type": "application/json" }, payload: "not json{" });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe("bad_request");
    const text = await post(alice, "approve", "a comment");
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe("unsupported_media_type");

    const first = await post(alice, "approve", { comment: "ok by me" });
    expect(first.statusCode).toBe(200);
    expect(first.json().approval).toMatchObject({ status: "pending", votes: [{ subject: "user:alice", name: "Alice", comment: "ok by me", decision: "approve" }] });
    const twice = await post(alice, "approve");
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe("already_voted");
    const second = await post(bob, "approve");
    expect(second.statusCode).toBe(200);
    expect(second.json().approval.status).toBe("approved");
    const late = await post(bob, "deny");
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe("already_decided");
    expect((await post(alice, "approve", undefined, "00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);

    const b = await t.openApproval();
    const d = await t.app.inject({ method: "POST", url: `/approvals/api/${b.id}/deny`, headers: bearer(bob), payload: { comment: "not on a Friday" } });
    expect(d.statusCode).toBe(200);
    expect(d.json().approval).toMatchObject({ status: "denied", votes: [{ decision: "deny", comment: "not on a Friday" }] });
    expect(t.events.map((e) => e.type)).toEqual([
      "approval.opened",
      "approval.refused",
      "approval.refused",
      "approval.approved",
      "approval.refused",
      "approval.approved",
      "approval.refused",
      "approval.opened",
      "approval.denied",
    ]);
  });

  it("reads the body whatever parser the surrounding app has (the gateway's: raw buffers)", async () => {
    t = await startApprovalApp({ gatewayParsers: true });
    const a = await t.openApproval();
    const r = await t.app.inject({ method: "POST", url: `/approvals/api/${a.id}/approve`, headers: { ...bearer(await t.tokenOf("alice", ["sre"])), "content-type": "application/json" }, payload: '{"comment":"raw"}' });
    expect(r.statusCode).toBe(200);
    expect(r.json().approval.votes[0].comment).toBe("raw");
    const b = await t.openApproval();
    const empty = await t.app.inject({ method: "POST", url: `/approvals/api/${b.id}/deny`, headers: bearer(await t.tokenOf("bob", ["sre"])) });
    expect(empty.statusCode).toBe(200);
    expect(empty.json().approval.status).toBe("denied");
  });

  it("gives the requester a status URL, which can wait for the decision", async () => {
    t = await startApprovalApp();
    const a = await t.openApproval();
    const ci = await t.ciToken();
    const status = await t.app.inject({ url: `/approvals/api/${a.id}/status`, headers: bearer(ci) });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ id: a.id, status: "pending", outcome: "pending", approvals: 0, approvalsNeeded: 1, expiresAt: a.expiresAt, decidedAt: null });
    const other = await t.app.inject({ url: `/approvals/api/${a.id}/status`, headers: bearer(await t.tokenOf("mallory", ["dev"])) });
    expect(other.statusCode).toBe(403);
    const started = Date.now();
    const waiting = t.app.inject({ url: `/approvals/api/${a.id}/status?wait=20`, headers: bearer(ci) });
    await new Promise((r) => setTimeout(r, 150));
    await t.service.approve(a.id, approverIdentity());
    const done = await waiting;
    expect(done.json()).toMatchObject({ status: "approved", outcome: "approved", approvals: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await t.app.inject({ url: `/approvals/api/${a.id}/status?wait=600`, headers: bearer(ci) })).statusCode).toBe(400);
  });

  it("serves the page: self-contained HTML under a strict CSP, with nothing from the requests in it", async () => {
    t = await startApprovalApp();
    await t.openApproval({ summary: { method: "POST", path: "/v1/messages", texts: ["<script>alert(1)</script>"] } });
    const page = await t.app.inject({ url: "/approvals" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const csp = String(page.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    expect(page.body).not.toMatch(/\son[a-z]+=/); // no inline handlers
    expect(page.body).not.toContain("innerHTML");
    expect(page.body).not.toContain("alert(1)");
    expect(page.body).toContain('var API = "/approvals/api"');
    // a fresh nonce every time
    expect((await t.app.inject({ url: "/approvals" })).headers["content-security-policy"]).not.toBe(csp);
  });
});

function approverIdentity() {
  return {
    provider: "test",
    issuer: "https://idp.example.com",
    subject: "user:alice",
    audience: [],
    claims: {},
    repository: null,
    repository_owner: null,
    ref: null,
    ref_type: null,
    sha: null,
    workflow: null,
    environment: null,
    event_name: null,
    run_id: null,
    run_attempt: null,
    actor: null,
    groups: ["sre"],
  };
}
