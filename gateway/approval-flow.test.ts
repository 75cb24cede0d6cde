// Human approval through the gateway: a request the policy marks require_approval is held until an approver
// decides through the approval API; unapproved it is refused with a status URL, and a retry after approval passes.
// Every exchange is recorded in its CI run's session, masked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { messages, startHarness, type Harness } from "./test/harness.js";
import { startIssuer, type Issuer } from "./test/servers.js";

const POLICY = `package guard.claude

decision := {"allow": true, "mask": [{"name": "aws_access_key_id", "pattern": "AKIA[0-9A-Z]{16}"}]} if not production

decision := {
  "allow": true,
  "require_approval": {"reason": "touches production", "approvers": ["sre"], "approvals": 1, "validity": "onetime"},
} if production

production if {
  some t in input.llm.texts
  contains(t, "production")
}
`;

/** Who may approve is also policy: an approver needs a second factor here (the `amr` claim). */
const APPROVERS = `package guard.approvals

may_approve if "mfa" in input.approver.claims.amr
`;

let h: Harness;
let people: Issuer;
beforeAll(async () => {
  people = await startIssuer();
  h = await startHarness({
    files: { "claude/policy.guard": POLICY, "approvals/policy.guard": APPROVERS },
    config: {
      approvals: {
        hold: "4s",
        identity: { providers: [{ name: "people", issuer: people.issuer, audience: "guard-approvals", groups_claim: "groups" }] },
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await people?.close();
});

const approver = (sub: string, groups: string[], amr = ["pwd", "mfa"]) => people.sign({ sub, groups, amr, aud: "guard-approvals", name: sub });

async function ask(text: string) {
  const res = await request(`${h.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await h.token()}` }, body: messages({}, text) });
  return { status: res.statusCode, body: (await res.body.json()) as { content?: unknown[]; error?: Record<string, string> } };
}

async function pending(token: string): Promise<{ id: string; reason: string; summary: { texts: string[] } }[]> {
  const res = await request(`${h.url}/approvals/api?status=pending`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.body.json()) as { approvals: { id: string; reason: string; summary: { texts: string[] } }[] }).approvals;
}

async function decideApproval(id: string, action: "approve" | "deny", token: string) {
  const res = await request(`${h.url}/approvals/api/${id}/${action}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

async function waitForPending(token: string): Promise<{ id: string; reason: string; summary: { texts: string[] } }> {
  for (let i = 0; i < 100; i++) {
    const list = await pending(token);
    if (list.length > 0) return list[0]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no pending approval appeared");
}

describe("human approval", () => {
  it("holds a request until an approver in the right group approves it, then forwards it once", async () => {
    const before = h.anthropic.requests.length;
    const held = ask("deploy to production now");
    const alice = await approver("alice", ["sre"]);
    const approval = await waitForPending(alice);
    expect(approval.reason).toBe("touches production");
    expect(h.anthropic.requests.length).toBe(before);
    // Someone outside the approver groups may not decide, nor may an approver the policy refuses (no second factor).
    expect((await decideApproval(approval.id, "approve", await approver("mallory", ["dev"]))).status).toBe(403);
    const weak = await decideApproval(approval.id, "approve", await approver("frank", ["sre"], ["pwd"]));
    expect(weak).toMatchObject({ status: 403, body: { error: { code: "policy_refused" } } });
    expect((await decideApproval(approval.id, "approve", alice)).status).toBe(200);
    const res = await held;
    expect(res.status).toBe(200);
    expect(h.anthropic.requests.length).toBe(before + 1);
    const events = (await h.store.audit.query({})).filter((r) => r.approval?.id === approval.id).map((r) => r.approval!.event);
    expect(events).toEqual(expect.arrayContaining(["approval.opened", "approval.refused", "approval.approved", "approval.consumed"]));
  });

  it("refuses with the approval's status URL when nobody approves in time; a retry after approval passes, once", async () => {
    const before = h.anthropic.requests.length;
    const first = await ask("restart the production database");
    expect(first.status).toBe(403);
    expect(first.body.error).toMatchObject({ guard_code: "GUARD_APPROVAL_REQUIRED", approval_status: "pending" });
    const id = first.body.error!.approval_id!;
    expect(first.body.error!.status_url).toMatch(new RegExp(`/approvals/api/${id}/status$`));
    expect(h.anthropic.requests.length).toBe(before);
    const status = await request(first.body.error!.status_url!, { headers: { authorization: `Bearer ${await h.token()}` } });
    expect(status.statusCode).toBe(200);
    await status.body.dump();
    expect((await decideApproval(id, "approve", await approver("bob", ["sre"]))).status).toBe(200);
    expect((await ask("restart the production database")).status).toBe(200);
    expect(h.anthropic.requests.length).toBe(before + 1);
  });

  it("refuses an approver approving their own request", async () => {
    const held = ask("production hotfix");
    const self = await people.sign({ sub: "repo:acme/app:ref:refs/heads/main", groups: ["sre"], aud: "guard-approvals" });
    const approval = await waitForPending(await approver("carol", ["sre"]));
    const r = await decideApproval(approval.id, "approve", self);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: { code: "self_approval" } });
    expect((await decideApproval(approval.id, "deny", await approver("carol", ["sre"]))).status).toBe(200);
    const res = await held;
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ guard_code: "GUARD_APPROVAL_REQUIRED", approval_status: "denied" });
  });

  it("lets a CI job follow its own approval, but never approve one", async () => {
    const held = ask("production rollback");
    const approval = await waitForPending(await approver("dave", ["sre"]));
    const job = await h.token({ groups: ["sre"] });
    expect((await request(`${h.url}/approvals/api/${approval.id}/status`, { headers: { authorization: `Bearer ${job}` } })).statusCode).toBe(200);
    const other = await h.token({ sub: "repo:acme/other:ref:refs/heads/main", repository: "acme/other" });
    expect((await decideApproval(approval.id, "approve", other)).status).toBeGreaterThanOrEqual(403);
    expect((await decideApproval(approval.id, "deny", await approver("dave", ["sre"]))).status).toBe(200);
    expect((await held).status).toBe(403);
  });
});

describe("sessions", () => {
  it("records each exchange under the CI run's session, masked, denied ones included", async () => {
    expect((await ask("my key is AKIAIOSFODNN7EXAMPLE")).status).toBe(200);
    // Recording happens in the background: wait for the exchanges to land.
    let session;
    for (let i = 0; i < 100 && (session?.exchanges ?? 0) < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      session = (await h.store.sessions.list({})).find((s) => s.id === "acme/app/4242/1");
    }
    expect(session!.exchanges).toBe(6);
    const exchanges = await h.store.sessions.exchanges(session!.id);
    const text = JSON.stringify(exchanges);
    expect(text).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(text).toContain("[MASKED:aws_access_key_id]");
    // Three were held for approval and refused (the policy allowed them, a human did not): nothing was forwarded.
    expect(exchanges.filter((x) => x.response === null).length).toBe(3);
    expect(exchanges.filter((x) => x.response?.status === 200).length).toBe(3);
    // The decision document is kept, its mask list by name (the patterns are the bundle's, at the recorded revision).
    expect(exchanges.map((x) => (x.decision.document as { mask?: unknown } | undefined)?.mask)).toContainEqual(["aws_access_key_id"]);
    // The session views are for people signed in with the approvers' identity provider, not for CI jobs.
    const view = (token?: string) => request(`${h.url}/sessions`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => (await r.body.dump(), r.statusCode));
    expect(await view(await approver("erin", ["sre"]))).toBe(200);
    expect(await view(await h.token())).toBe(401);
    expect(await view()).toBe(401);
  });
});
