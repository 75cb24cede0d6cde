// What ApprovalService must do on either store: one suite, run by service.test.ts on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Identity } from "../../identity.js";
import type { Store } from "../../store/types.js";
import { ApprovalError, ApprovalService, operationHash, type ApprovalEvent, type ApprovalServiceOptions, type OpenApprovalInput } from "../service.js";

export interface ApprovalHarness {
  /** A store on the test database (call again for a second gateway instance on the same database). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export const REQUESTER = "repo:acme/app:ref:refs/heads/main";

/** A verified identity (an approver or a CI job). */
export function person(subject: string, groups: string[] = [], claims: Record<string, unknown> = {}): Identity {
  return {
    provider: "test",
    issuer: "https://idp.example.com",
    subject,
    audience: ["guard"],
    claims: { sub: subject, iss: "https://idp.example.com", ...claims },
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
    groups,
  };
}

let n = 0;
export function request(over: Partial<OpenApprovalInput> = {}): OpenApprovalInput {
  n++;
  return {
    operationHash: operationHash("prod", "POST", `/deploy/${process.pid}-${n}`, '{"env":"prod"}', over.requester?.subject ?? REQUESTER),
    requester: { subject: REQUESTER, repository: "acme/app", claims: { actor: "octocat", workflow: "deploy" } },
    connection: "prod",
    summary: { method: "POST", path: "/deploy", model: null, texts: ["deploy v1.2.3 to production"] },
    reason: "production deploys need a human",
    approvers: ["sre"],
    approvalsNeeded: 1,
    validity: "onetime",
    decisionId: "dec-1",
    ...over,
  };
}

const alice = person("user:alice", ["sre"], { preferred_username: "alice", name: "Alice" });
const bob = person("user:bob", ["sre", "dev"], { preferred_username: "bob" });
const carol = person("user:carol", ["sre"], { preferred_username: "carol" });
const mallory = person("user:mallory", ["dev"], { preferred_username: "mallory" });

export function approvalContract(make: () => Promise<ApprovalHarness>): void {
  let h: ApprovalHarness;
  let store: Store;
  let events: ApprovalEvent[];
  let clock: number;
  const services: ApprovalService[] = [];

  const service = (over: Partial<ApprovalServiceOptions> = {}, on: Store = store): ApprovalService => {
    const s = new ApprovalService({ store: on.approvals, onEvent: (e) => void events.push(e), now: () => clock, sweepIntervalMs: 0, ...over });
    services.push(s);
    return s;
  };
  const types = () => events.map((e) => e.type);

  beforeEach(async () => {
    h = await make();
    store = await h.open();
    events = [];
    clock = Date.now();
  });
  afterEach(async () => {
    for (const s of services.splice(0)) s.close();
    await h.cleanup();
  });

  async function refused(p: Promise<unknown>, code: string, status: number): Promise<void> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ApprovalError);
    expect((e as ApprovalError).code).toBe(code);
    expect((e as ApprovalError).status).toBe(status);
  }

  describe("open", () => {
    it("opens a pending approval with everything the approver needs, and reports it", async () => {
      const s = service();
      const input = request({ approvalsNeeded: 2, validity: "1h" });
      const a = await s.open(input);
      expect(a).toMatchObject({
        status: "pending",
        operationHash: input.operationHash,
        requester: input.requester,
        connection: "prod",
        summary: input.summary,
        reason: "production deploys need a human",
        approvers: ["sre"],
        approvalsNeeded: 2,
        validity: "1h",
        validityMs: 3_600_000,
        decisionId: "dec-1",
        decidedAt: null,
        consumedAt: null,
        votes: [],
      });
      expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(a.expiresAt) - Date.parse(a.createdAt)).toBe(15 * 60_000);
      expect(await s.get(a.id)).toEqual(a);
      expect(events).toEqual([{ type: "approval.opened", time: a.createdAt, approval: a }]);
    });

    it("re-uses the pending approval of the same operation and requester instead of opening a duplicate", async () => {
      const s = service();
      const input = request();
      const a = await s.open(input);
      const again = await s.open({ ...input, decisionId: "dec-2" });
      expect(again.id).toBe(a.id);
      const otherRequester = await s.open({ ...input, requester: { ...input.requester, subject: "repo:acme/other:ref:refs/heads/main" } });
      const otherOperation = await s.open(request());
      expect(new Set([a.id, otherRequester.id, otherOperation.id]).size).toBe(3);
      expect(types()).toEqual(["approval.opened", "approval.opened", "approval.opened"]);
    });

    it("opens one approval for many concurrent identical requests, across two instances", async () => {
      const second = await h.open();
      const s1 = service();
      const s2 = service({}, second);
      const input = request();
      const all = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? s1 : s2).open(input)));
      expect(new Set(all.map((a) => a.id)).size).toBe(1);
      expect(types()).toEqual(["approval.opened"]);
    });

    it("re-uses an approved one while it is valid, and opens a new one after it was used", async () => {
      const s = service();
      const input = request();
      const a = await s.open(input);
      await s.approve(a.id, alice);
      expect((await s.open(input)).id).toBe(a.id);
      expect((await s.findValid(input.operationHash, REQUESTER))?.id).toBe(a.id);
      const next = await s.open(input);
      expect(next.id).not.toBe(a.id);
      expect(next.status).toBe("pending");
    });

    it("refuses what cannot be approved: no approver group, a bad validity, a window too long, a bad hash", async () => {
      const s = service({ maxWindowMs: 2 * 3_600_000 });
      await refused(s.open(request({ approvers: [] })), "invalid", 400);
      await refused(s.open(request({ validity: "forever" })), "invalid", 400);
      await refused(s.open(request({ validity: "3h" })), "invalid", 400);
      await refused(s.open(request({ approvalsNeeded: 0 })), "invalid", 400);
      await refused(s.open(request({ operationHash: "abc" })), "invalid", 400);
      expect(events).toEqual([]);
    });
  });

  describe("approve and deny", () => {
    it("approves: one approval of a group member, reported with the approver and comment", async () => {
      const s = service();
      const a = await s.open(request());
      clock += 1000;
      const approved = await s.approve(a.id, alice, "looks fine");
      expect(approved.status).toBe("approved");
      expect(approved.decidedAt).toBe(new Date(clock).toISOString());
      expect(approved.votes).toEqual([{ subject: "user:alice", issuer: "https://idp.example.com", name: "Alice", groups: ["sre"], decision: "approve", comment: "looks fine", at: approved.decidedAt }]);
      // an approved onetime approval must be used within onetimeTtlMs
      expect(Date.parse(approved.expiresAt)).toBe(clock + 15 * 60_000);
      const e = events.at(-1)!;
      expect(e).toMatchObject({ type: "approval.approved", complete: true, comment: "looks fine", approver: { subject: "user:alice", name: "Alice", groups: ["sre"] } });
      expect(await s.waitFor(a.id, { timeoutMs: 10 })).toBe("approved");
    });

    it("refuses self-approval: the same subject, or the person who triggered the run", async () => {
      const s = service();
      const a = await s.open(request());
      await refused(s.approve(a.id, person(REQUESTER, ["sre"])), "self_approval", 403);
      await refused(s.deny(a.id, person(REQUESTER, ["sre"])), "self_approval", 403);
      await refused(s.approve(a.id, person("user:octo", ["sre"], { preferred_username: "OctoCat" })), "self_approval", 403);
      expect((await s.get(a.id))!.status).toBe("pending");
      expect(events.filter((e) => e.type === "approval.refused").map((e) => (e as { code: string }).code)).toEqual(["self_approval", "self_approval", "self_approval"]);
    });

    it("refuses an approver outside the approver groups, and one the policy check refuses", async () => {
      let asked: [string, string] | undefined;
      const s = service({
        mayApprove: async (who, approval) => {
          asked = [who.subject, approval.id];
          return who.subject !== "user:carol";
        },
      });
      const a = await s.open(request());
      await refused(s.approve(a.id, mallory), "not_an_approver", 403);
      await refused(s.deny(a.id, mallory), "not_an_approver", 403);
      await refused(s.approve(a.id, carol), "policy_refused", 403);
      expect(asked).toEqual(["user:carol", a.id]);
      expect((await s.get(a.id))!.votes).toEqual([]);
      expect((await s.approve(a.id, bob)).status).toBe("approved");
    });

    it("needs N distinct approvers", async () => {
      const s = service();
      const a = await s.open(request({ approvalsNeeded: 2 }));
      const first = await s.approve(a.id, alice);
      expect(first.status).toBe("pending");
      expect(events.at(-1)).toMatchObject({ type: "approval.approved", complete: false });
      await refused(s.approve(a.id, alice), "already_voted", 409);
      // the same subject with other groups is still the same person
      await refused(s.approve(a.id, person("user:alice", ["sre", "admins"])), "already_voted", 409);
      const second = await s.approve(a.id, bob);
      expect(second.status).toBe("approved");
      expect(second.votes.map((v) => v.subject)).toEqual(["user:alice", "user:bob"]);
      expect(events.at(-1)).toMatchObject({ type: "approval.approved", complete: true });
      await refused(s.approve(a.id, carol), "already_decided", 409);
    });

    it("concurrent approvals from two instances count each approver once and decide once", async () => {
      const second = await h.open();
      const s1 = service();
      const s2 = service({}, second);
      const a = await s1.open(request({ approvalsNeeded: 2 }));
      const approvers = [alice, bob, carol, person("user:dave", ["sre"]), person("user:erin", ["sre"])];
      const results = await Promise.allSettled(approvers.map((p, i) => (i % 2 ? s2 : s1).approve(a.id, p)));
      const ok = results.filter((r) => r.status === "fulfilled");
      expect(ok).toHaveLength(2);
      for (const r of results) if (r.status === "rejected") expect((r.reason as ApprovalError).code).toBe("already_decided");
      const final = (await s1.get(a.id))!;
      expect(final.status).toBe("approved");
      expect(final.votes).toHaveLength(2);
      expect(events.filter((e) => e.type === "approval.approved" && e.complete)).toHaveLength(1);
    });

    it("denies: one eligible denial decides, and nothing can approve it afterwards", async () => {
      const s = service();
      const a = await s.open(request({ approvalsNeeded: 2 }));
      await s.approve(a.id, alice);
      const denied = await s.deny(a.id, bob, "not today");
      expect(denied.status).toBe("denied");
      expect(events.at(-1)).toMatchObject({ type: "approval.denied", comment: "not today", approver: { subject: "user:bob" } });
      await refused(s.approve(a.id, carol), "already_decided", 409);
      expect(await s.waitFor(a.id)).toBe("denied");
      expect(await s.findValid(a.operationHash, REQUESTER)).toBeUndefined();
    });

    it("answers not_found for an unknown id", async () => {
      const s = service();
      await refused(s.approve("00000000-0000-4000-8000-000000000000", alice), "not_found", 404);
      await refused(s.waitFor("nope"), "not_found", 404);
      expect(await s.get("nope")).toBeUndefined();
    });
  });

  describe("use", () => {
    it("a onetime approval passes exactly once, even asked concurrently by two instances", async () => {
      const second = await h.open();
      const s1 = service();
      const s2 = service({}, second);
      const a = await s1.open(request());
      expect(await s1.findValid(a.operationHash, REQUESTER)).toBeUndefined(); // pending is not usable
      await s1.approve(a.id, alice);
      expect(await s1.findValid(a.operationHash, "someone-else")).toBeUndefined();
      const uses = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? s2 : s1).findValid(a.operationHash, REQUESTER)));
      const used = uses.filter((u) => u !== undefined);
      expect(used).toHaveLength(1);
      expect(used[0]).toMatchObject({ id: a.id, status: "consumed", consumedAt: new Date(clock).toISOString() });
      expect(await s1.findValid(a.operationHash, REQUESTER)).toBeUndefined();
      expect(types().filter((t) => t === "approval.consumed")).toHaveLength(1);
      expect((await s1.get(a.id))!.status).toBe("consumed");
      expect(await s1.waitFor(a.id)).toBe("approved");
    });

    it("a window approval is reused until the window ends", async () => {
      const s = service();
      const a = await s.open(request({ validity: "1h" }));
      clock += 60_000;
      const approved = await s.approve(a.id, alice);
      expect(Date.parse(approved.expiresAt)).toBe(clock + 3_600_000);
      for (let i = 0; i < 3; i++) {
        clock += 15 * 60_000;
        expect((await s.findValid(a.operationHash, REQUESTER))?.id).toBe(a.id);
      }
      expect(types()).not.toContain("approval.consumed");
      clock += 15 * 60_000; // 1 h after the approval
      expect(await s.findValid(a.operationHash, REQUESTER)).toBeUndefined();
      expect((await s.get(a.id))!.status).toBe("expired");
      expect(types().filter((t) => t === "approval.expired")).toHaveLength(1);
    });

    it("an approved onetime approval lapses when it is not used in time", async () => {
      const s = service({ onetimeTtlMs: 60_000 });
      const a = await s.open(request());
      await s.approve(a.id, alice);
      clock += 60_001;
      expect(await s.findValid(a.operationHash, REQUESTER)).toBeUndefined();
      expect(await s.sweep()).toBe(1);
      expect((await s.get(a.id))!.status).toBe("expired");
    });
  });

  describe("expiry", () => {
    it("a pending approval expires after the TTL: on read, reported once, and can no longer be decided", async () => {
      const s = service({ pendingTtlMs: 60_000 });
      const a = await s.open(request());
      clock += 59_999;
      expect((await s.get(a.id))!.status).toBe("pending");
      clock += 1;
      expect((await s.get(a.id))!.status).toBe("expired");
      expect((await s.get(a.id))!.status).toBe("expired");
      await refused(s.approve(a.id, alice), "expired", 409);
      expect(types()).toEqual(["approval.opened", "approval.expired", "approval.refused"]);
      expect(await s.waitFor(a.id)).toBe("expired");
      // a new request for the same operation opens a new approval
      expect((await s.open(request({ operationHash: a.operationHash }))).id).not.toBe(a.id);
    });

    it("the sweep expires lapsed approvals once, across instances, and pending lists leave them out", async () => {
      const second = await h.open();
      const s1 = service({ pendingTtlMs: 60_000 });
      const s2 = service({ pendingTtlMs: 60_000 }, second);
      const old = await Promise.all([s1.open(request()), s1.open(request())]);
      clock += 30_000;
      const fresh = await s1.open(request());
      clock += 30_000;
      const [n1, n2] = await Promise.all([s1.sweep(), s2.sweep()]);
      expect(n1 + n2).toBe(2);
      expect(events.filter((e) => e.type === "approval.expired").map((e) => (e as { approval: { id: string } }).approval.id).sort()).toEqual(old.map((a) => a.id).sort());
      expect((await s1.list({ status: "pending" })).map((a) => a.id)).toEqual([fresh.id]);
      expect((await s1.list({ status: "expired" })).map((a) => a.id).sort()).toEqual(old.map((a) => a.id).sort());
    });

    it("lists newest first, filtered by status, with a limit", async () => {
      const s = service();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        clock += 1000;
        ids.push((await s.open(request())).id);
      }
      await s.deny(ids[1]!, alice);
      expect((await s.list()).map((a) => a.id)).toEqual([...ids].reverse());
      expect((await s.list({ status: "pending" })).map((a) => a.id)).toEqual([ids[3], ids[2], ids[0]]);
      expect((await s.list({ status: "denied" })).map((a) => a.id)).toEqual([ids[1]]);
      expect((await s.list({ limit: 2 })).map((a) => a.id)).toEqual([ids[3], ids[2]]);
    });
  });

  describe("waitFor", () => {
    it("releases every concurrent waiter as soon as the approval is approved", async () => {
      const s = service({ now: Date.now, pollIntervalMs: 60_000 });
      const a = await s.open(request());
      const started = Date.now();
      const waits = Array.from({ length: 5 }, () => s.waitFor(a.id, { timeoutMs: 20_000 }));
      await new Promise((r) => setTimeout(r, 100));
      await s.approve(a.id, alice);
      expect(await Promise.all(waits)).toEqual(["approved", "approved", "approved", "approved", "approved"]);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it("says pending on timeout, on abort and when the service closes; expired when the TTL passes while waiting", async () => {
      const s = service({ now: Date.now, pendingTtlMs: 400, pollIntervalMs: 60_000 });
      const a = await s.open(request());
      expect(await s.waitFor(a.id, { timeoutMs: 50 })).toBe("pending");
      const abort = new AbortController();
      const aborted = s.waitFor(a.id, { timeoutMs: 10_000, signal: abort.signal });
      abort.abort();
      expect(await aborted).toBe("pending");
      const started = Date.now();
      expect(await s.waitFor(a.id, { timeoutMs: 10_000 })).toBe("expired");
      expect(Date.now() - started).toBeLessThan(2_000);
      const b = await s.open(request());
      const closing = s.waitFor(b.id, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 20));
      s.close();
      expect(await closing).toBe("pending");
    });

    it("a waiter on one instance is released by a decision made through another (polling at worst)", async () => {
      const second = await h.open();
      const s1 = service({ now: Date.now, pollIntervalMs: 200 });
      const s2 = service({ now: Date.now }, second);
      const a = await s1.open(request());
      const wait = s1.waitFor(a.id, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 50));
      await s2.deny(a.id, alice);
      expect(await wait).toBe("denied");
    });
  });
}
