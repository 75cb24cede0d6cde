import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { dropSchema, freshSchema } from "../store/test/pg.js";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../store/postgres.js";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { canonicalBody, operationHash, parseRequireApproval, previewTexts, requesterOf, ApprovalService } from "./service.js";
import { approvalContract, person, request, REQUESTER, type ApprovalHarness } from "./test/contract.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("gateway/approvals/service.test.ts: PostgreSQL tests skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them");

async function sqliteHarness(): Promise<ApprovalHarness> {
  const dir = mkdtempSync(join(tmpdir(), "guard-approvals-"));
  const opened: Store[] = [];
  return {
    async open() {
      const s = await openSqliteStore(join(dir, "guard.db"));
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


async function pgHarness(): Promise<ApprovalHarness> {
  const schema = freshSchema();
  const opened: Store[] = [];
  return {
    async open() {
      // each open is its own pool (and LISTEN connection): a separate gateway instance
      const s = await openPostgresStore(url!, schema, { max: 4 });
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      await dropSchema(schema);
    },
  };
}

describe("operation hash and helpers", () => {
  it("hashes connection, method, path, canonical body and subject; a retry of the same operation matches", () => {
    const a = operationHash("prod", "post", "/deploy", canonicalBody('{"b": 1, "a": [1, 2]}'), "sub-1");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(operationHash("prod", "POST", "/deploy", canonicalBody(Buffer.from('{"a":[1,2],"b":1}')), "sub-1")).toBe(a);
    for (const other of [
      operationHash("dev", "POST", "/deploy", canonicalBody('{"a":[1,2],"b":1}'), "sub-1"),
      operationHash("prod", "PUT", "/deploy", canonicalBody('{"a":[1,2],"b":1}'), "sub-1"),
      operationHash("prod", "POST", "/deploy2", canonicalBody('{"a":[1,2],"b":1}'), "sub-1"),
      operationHash("prod", "POST", "/deploy", canonicalBody('{"a":[2,1],"b":1}'), "sub-1"),
      operationHash("prod", "POST", "/deploy", canonicalBody('{"a":[1,2],"b":1}'), "sub-2"),
    ]) {
      expect(other).not.toBe(a);
    }
    expect(canonicalBody(undefined)).toBe("");
    expect(canonicalBody("not json")).toMatch(/^sha256:[0-9a-f]{64}$/);
    // field boundaries cannot be shifted: ("a/b", "c") and ("a", "b/c") differ
    expect(operationHash("a", "GET", "/b", "", "c")).not.toBe(operationHash("a/", "GET", "b", "", "c"));
  });

  it("reads require_approval strictly", () => {
    expect(parseRequireApproval({ reason: "prod", approvers: ["sre", "sre"], approvals: 2, validity: "1h" })).toEqual({
      ok: true,
      requirement: { reason: "prod", approvers: ["sre"], approvalsNeeded: 2, validity: "1h" },
    });
    expect(parseRequireApproval({ approvers: ["sre"] })).toEqual({ ok: true, requirement: { reason: "approval required by policy", approvers: ["sre"], approvalsNeeded: 1, validity: "onetime" } });
    for (const bad of [true, [], { approvers: [] }, { approvers: "sre" }, { approvers: ["sre"], approvals: 0 }, { approvers: ["sre"], approvals: 1.5 }, { approvers: ["sre"], validity: "soon" }, { approvers: ["sre"], reason: 3 }]) {
      expect(parseRequireApproval(bad).ok).toBe(false);
    }
  });

  it("summarizes the requester and clips preview texts", () => {
    const id = { ...person(REQUESTER), repository: "acme/app", actor: "octocat", workflow: "ci", ref: "refs/heads/main" };
    expect(requesterOf(id)).toEqual({ subject: REQUESTER, repository: "acme/app", claims: { issuer: "https://idp.example.com", actor: "octocat", workflow: "ci", ref: "refs/heads/main" } });
    expect(previewTexts(["a".repeat(10), "b", "c"], 4, 2)).toEqual(["aaaa…", "b"]);
  });
});

describe("ApprovalService on SQLite", () => {
  approvalContract(sqliteHarness);
});

describe.skipIf(!url)("ApprovalService on PostgreSQL", () => {
  approvalContract(pgHarness);

  it("an approval opened through one gateway and approved through another releases the first one's waitFor (LISTEN/NOTIFY)", async () => {
    const h = await pgHarness();
    try {
      const [g1, g2] = [await h.open(), await h.open()];
      // no polling to speak of: only the notification can release the waiter in time
      const s1 = new ApprovalService({ store: g1.approvals, pollIntervalMs: 60_000, sweepIntervalMs: 0 });
      const s2 = new ApprovalService({ store: g2.approvals, pollIntervalMs: 60_000, sweepIntervalMs: 0 });
      const a = await s1.open(request());
      const waits = [s1.waitFor(a.id, { timeoutMs: 30_000 }), s1.waitFor(a.id, { timeoutMs: 30_000 })];
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      await s2.approve(a.id, person("user:alice", ["sre"]));
      expect(await Promise.all(waits)).toEqual(["approved", "approved"]);
      expect(Date.now() - started).toBeLessThan(3_000);
      // and the other way round, for a denial
      const b = await s2.open(request());
      const wait = s2.waitFor(b.id, { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 100));
      await s1.deny(b.id, person("user:bob", ["sre"]));
      expect(await wait).toBe("denied");
      // the onetime approval passes once, whichever gateway the retry reaches
      expect((await s2.findValid(a.operationHash, REQUESTER))?.status).toBe("consumed");
      expect(await s1.findValid(a.operationHash, REQUESTER)).toBeUndefined();
      s1.close();
      s2.close();
    } finally {
      await h.cleanup();
    }
  });

  it("keeps listening after its LISTEN connection is killed", async () => {
    const h = await pgHarness();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const [g1, g2] = [await h.open(), await h.open()];
      const s1 = new ApprovalService({ store: g1.approvals, pollIntervalMs: 60_000, sweepIntervalMs: 0 });
      const s2 = new ApprovalService({ store: g2.approvals, pollIntervalMs: 60_000, sweepIntervalMs: 0 });
      const a = await s1.open(request());
      const first = s1.waitFor(a.id, { timeoutMs: 200 });
      expect(await first).toBe("pending"); // listening now
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN guard_approvals' AND pid <> pg_backend_pid()");
      expect(killed.rowCount).toBe(1);
      await new Promise((r) => setTimeout(r, 1_500)); // the store reconnects after 1 s
      const wait = s1.waitFor(a.id, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 300));
      await s2.approve(a.id, person("user:alice", ["sre"]));
      expect(await wait).toBe("approved");
      s1.close();
      s2.close();
    } finally {
      await admin.end();
      await h.cleanup();
    }
  });
});
