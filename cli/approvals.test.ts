// `guard approvals` through the real binary, against a fastify app serving the approval routes in this process (so
// the binary runs asynchronously: a synchronous spawn would block the server it talks to).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CI_SUBJECT, startApprovalApp, type ApprovalApp } from "../gateway/approvals/test/app.js";
import { ROOT, ensureBuilt } from "./test/helpers.js";

const BIN = join(ROOT, "bin", "guard.js");

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    delete clean.GUARD_TOKEN;
    delete clean.GUARD_GATEWAY_URL;
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...clean, ...env }, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : error ? -1 : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

let t: ApprovalApp;
let alice: string;

beforeAll(async () => {
  ensureBuilt();
  t = await startApprovalApp();
  await t.listen();
  alice = await t.tokenOf("alice", ["sre"]);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe("guard approvals", () => {
  it("lists pending approvals (pretty and json), with the token from --token or GUARD_TOKEN", async () => {
    const a = await t.openApproval();
    const r = await run(["approvals", "list", "--gateway", t.url, "--token", alice]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(a.id);
    expect(r.stdout).toMatch(new RegExp(`${a.id}  pending .* 0/1  ${CI_SUBJECT.replace(/[/]/g, "\\/")}  POST /v1/messages  production deploys need a human`));
    const j = await run(["approvals", "list", "--format", "json"], { GUARD_TOKEN: alice, GUARD_GATEWAY_URL: t.url });
    expect(j.status).toBe(0);
    const list = JSON.parse(j.stdout) as { id: string; status: string }[];
    expect(list.map((x) => x.id)).toContain(a.id);
    expect(list.every((x) => x.status === "pending")).toBe(true);
    const outsider = await run(["approvals", "list", "--gateway", t.url, "--token", await t.tokenOf("mallory", ["dev"])]);
    expect(outsider.stdout).toBe("no pending approvals\n");
  });

  it("shows one approval, terminal escapes in a prompt made visible", async () => {
    const a = await t.openApproval({ summary: { method: "POST", path: "/v1/messages", model: "claude-sonnet-4-5", texts: ["line one\nred \u001b[31malert\u001b[0m"] } });
    const r = await run(["approvals", "show", a.id, "--gateway", t.url, "--token", alice]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`approval ${a.id}: pending`);
    expect(r.stdout).toContain("reason:      production deploys need a human");
    expect(r.stdout).toContain(`requester:   ${CI_SUBJECT} (acme/app)`);
    expect(r.stdout).toContain("request:     POST /v1/messages (model claude-sonnet-4-5)");
    expect(r.stdout).toContain("    | line one\n    | red \\u001b[31malert\\u001b[0m");
    expect(r.stdout).not.toContain("\u001b");
    const json = await run(["approvals", "show", a.id, "--gateway", t.url, "--token", alice, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: a.id, status: "pending" });
  });

  it("approves and denies; the gateway's refusals exit 1 with its error", async () => {
    const a = await t.openApproval();
    const self = await run(["approvals", "approve", a.id, "--gateway", t.url, "--token", await t.ciToken()]);
    expect(self.status).toBe(1);
    expect(self.stderr).toBe("guard approvals approve: 403 self_approval: the requester cannot decide on their own request\n");
    const ok = await run(["approvals", "approve", a.id, "--gateway", t.url, "--token", alice, "--comment", "ship it"]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`approved ${a.id} (now approved)\n`);
    const after = (await t.service.get(a.id))!;
    expect(after.status).toBe("approved");
    expect(after.votes[0]).toMatchObject({ subject: "user:alice", comment: "ship it" });
    const again = await run(["approvals", "deny", a.id, "--gateway", t.url, "--token", await t.tokenOf("bob", ["sre"])]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("409 already_decided");

    const b = await t.openApproval({ approvalsNeeded: 2 });
    const partial = await run(["approvals", "approve", b.id, "--gateway", t.url, "--token", alice]);
    expect(partial.stdout).toBe(`approved ${b.id} (1 of 2 approvals; still pending)\n`);
    const denied = await run(["approvals", "deny", b.id, "--gateway", t.url, "--token", await t.tokenOf("bob", ["sre"]), "--comment=no", "--format", "json"]);
    expect(denied.status).toBe(0);
    expect(JSON.parse(denied.stdout)).toMatchObject({ id: b.id, status: "denied" });

    const missing = await run(["approvals", "show", "00000000-0000-4000-8000-000000000000", "--gateway", t.url, "--token", alice]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("404 not_found");
    const badToken = await run(["approvals", "list", "--gateway", t.url, "--token", "nope"]);
    expect(badToken.status).toBe(1);
    expect(badToken.stderr).toContain("401 unauthenticated");
  });

  it("exits 2 on wrong arguments or an unreachable gateway, and has help", async () => {
    const noToken = await run(["approvals", "list", "--gateway", t.url]);
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toContain("no token: pass --token TOKEN or set GUARD_TOKEN");
    expect((await run(["approvals", "approve", "--token", "x"])).stderr).toContain("approve takes one approval id");
    expect((await run(["approvals", "frobnicate"])).status).toBe(2);
    expect((await run(["approvals", "list", "--token", "x", "--format", "xml"])).status).toBe(2);
    expect((await run(["approvals", "list", "--token", "x", "--comment", "hi"])).stderr).toContain("--comment is for approve and deny");
    const down = await run(["approvals", "list", "--gateway", "http://127.0.0.1:1", "--token", "x"]);
    expect(down.status).toBe(2);
    expect(down.stderr).toContain("cannot reach the gateway at http://127.0.0.1:1");
    const help = await run(["help", "approvals"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: guard approvals list");
    expect((await run(["help"])).stdout).toMatch(/\n {2}approvals +list, show, approve or deny/);
  });
});
