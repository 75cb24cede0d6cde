// Hot reload: a new revision is compiled and tested before it serves; a broken one never serves, and requests in
// flight during 50 swaps all get a good bundle's answer.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { PolicySource } from "./policy-source.js";
import { API_POLICY, startHarness, type Harness } from "./test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ files: { "api/policy.guard": API_POLICY } });
});
afterAll(async () => h?.close());

async function call(method: string, token: string): Promise<{ status: number; header: string | undefined; code?: string }> {
  const res = await request(`${h.url}/api/items`, { method: method as "GET", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
  const body = (await res.body.json()) as { headers?: Record<string, string>; error?: { code: string } };
  return { status: res.statusCode, header: body.headers?.["x-reviewed"], code: body.error?.code };
}

/** A good revision: reads allowed with a marker header, writes denied; with a test that passes. */
const good = (n: number) => ({
  policy: `package guard.api\n\n# revision ${n}\ndefault decision := {"allow": false, "deny": ["only reads are allowed"]}\n\ndecision := {"allow": true, "headers": {"add": {"x-reviewed": "rev-${n}"}}} if input.request.method == "GET"\n`,
  test: `package guard.api_test\n\nimport data.guard.api\n\ntest_writes_denied if not api.decision.allow with input as {"request": {"method": "POST"}}\n`,
});

/** Broken revisions: one does not parse; the other would allow writes, and its own test says so. */
const brokenSyntax = (n: number) => `package guard.api\n\n# revision ${n}\ndecision := {"allow": true if\n`;
const allowsWrites = (n: number) => `package guard.api\n\n# revision ${n}\ndecision := {"allow": true, "headers": {"add": {"x-reviewed": "BAD-${n}"}}}\n`;

describe("hot reload", () => {
  it("serves a changed policy once it compiled and its tests passed, with the new revision in the audit log", async () => {
    const token = await h.token();
    const first = h.gateway.policies.current!.revision;
    h.writePolicy("api/policy.guard", good(1).policy);
    h.writePolicy("api/policy_test.guard", good(1).test);
    const r = await h.gateway.policies.reload();
    expect(r).toMatchObject({ outcome: "loaded", tests: 1 });
    expect(h.gateway.policies.current!.revision).not.toBe(first);
    expect(await call("GET", token)).toMatchObject({ status: 200, header: "rev-1" });
    const last = (await h.store.audit.query({})).at(-1)!;
    expect(last.bundleRevision).toBe(h.gateway.policies.current!.revision);
  });

  it("keeps the last good bundle when a revision does not compile, and says so in /readyz and /metrics", async () => {
    const token = await h.token();
    const serving = h.gateway.policies.current!.revision;
    h.writePolicy("api/policy.guard", brokenSyntax(2));
    const r = await h.gateway.policies.reload();
    expect(r.outcome).toBe("rejected");
    expect(h.gateway.policies.current!.revision).toBe(serving);
    expect(await call("GET", token)).toMatchObject({ status: 200, header: "rev-1" });
    const ready = await request(`${h.url}/readyz`);
    const detail = (await ready.body.json()) as { status: string; bundle: { revision: string }; last_reload_failure: { problems: string[] } };
    expect(ready.statusCode).toBe(200);
    expect(detail.bundle.revision).toBe(serving);
    expect(detail.last_reload_failure.problems.join("\n")).toMatch(/policy\.guard:4:\d+/);
    const metrics = await (await request(`${h.url}/metrics`)).body.text();
    expect(metrics).toMatch(/guard_policy_reloads_total\{outcome="rejected"\} [1-9]/);
    expect(metrics).toContain("guard_policy_bundle_current 0");
    expect(metrics).toContain(`guard_policy_bundle_info{revision="${serving}"} 1`);
  });

  it("clears the failure when a rejected change is reverted to the revision serving", async () => {
    const serving = h.gateway.policies.current!.revision;
    h.writePolicy("api/policy.guard", brokenSyntax(99));
    expect((await h.gateway.policies.reload()).outcome).toBe("rejected");
    expect(h.gateway.policies.lastFailure).toBeDefined();
    h.writePolicy("api/policy.guard", good(1).policy);
    expect(await h.gateway.policies.reload()).toEqual({ outcome: "unchanged", revision: serving });
    expect(h.gateway.policies.lastFailure).toBeUndefined();
    expect(await (await request(`${h.url}/metrics`)).body.text()).toContain("guard_policy_bundle_current 1");
  });

  it("rejects a revision whose own tests fail (a policy that would allow writes)", async () => {
    const token = await h.token();
    h.writePolicy("api/policy.guard", allowsWrites(3));
    const r = await h.gateway.policies.reload();
    expect(r).toMatchObject({ outcome: "rejected", problems: [expect.stringContaining("test_writes_denied failed")] });
    expect(await call("POST", token)).toMatchObject({ status: 403, code: "GUARD_DENIED" });
  });

  it("takes 50 changes, good and broken, while requests flow: no request fails or is wrongly allowed", async () => {
    const token = await h.token();
    let stop = false;
    const outcomes: { method: string; status: number; header?: string; code?: string }[] = [];
    const client = async (method: string) => {
      while (!stop) outcomes.push({ method, ...(await call(method, token)) });
    };
    const clients = [client("GET"), client("POST"), client("GET"), client("POST")];
    const results: string[] = [];
    for (let n = 10; n < 60; n++) {
      const kind = n % 3;
      if (kind === 0) {
        h.writePolicy("api/policy.guard", good(n).policy);
        h.writePolicy("api/policy_test.guard", good(n).test);
      } else h.writePolicy("api/policy.guard", kind === 1 ? brokenSyntax(n) : allowsWrites(n));
      results.push((await h.gateway.policies.reload()).outcome);
      await new Promise((r) => setTimeout(r, 15));
    }
    stop = true;
    await Promise.all(clients);
    expect(results.filter((r) => r === "loaded").length).toBe(16);
    expect(results.filter((r) => r === "rejected").length).toBe(34);
    expect(outcomes.length).toBeGreaterThan(50);
    for (const o of outcomes) {
      if (o.method === "GET") {
        expect(o.status).toBe(200);
        expect(o.header).toMatch(/^rev-\d+$/);
      } else expect(o).toMatchObject({ status: 403, code: "GUARD_DENIED" });
    }
  });
});

describe("git sync", () => {
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).toString().trim();

  it("serves the ref's commit, and the next one after a push; the revision is the commit", async () => {
    const root = mkdtempSync(join(tmpdir(), "guard-git-"));
    try {
      const work = join(root, "work");
      git(root, "init", "--quiet", "--bare", "--initial-branch=main", "origin.git");
      git(root, "clone", "--quiet", join(root, "origin.git"), "work");
      mkdirSync(join(work, "bundle"), { recursive: true });
      writeFileSync(join(work, "bundle", "p.guard"), good(1).policy);
      writeFileSync(join(work, "README"), "not part of the bundle");
      git(work, "add", ".");
      git(work, "commit", "--quiet", "-m", "one");
      git(work, "push", "--quiet", "origin", "HEAD:main");
      const first = git(work, "rev-parse", "HEAD");
      const source = new PolicySource({ kind: "git", url: join(root, "origin.git"), ref: "main", path: "bundle", checkout: join(root, "checkout"), pollMs: 60_000, runTests: true });
      expect(await source.start()).toEqual({ outcome: "loaded", revision: first, tests: 0 });
      expect(await source.reload()).toEqual({ outcome: "unchanged", revision: first });
      writeFileSync(join(work, "bundle", "p.guard"), brokenSyntax(2));
      git(work, "commit", "--quiet", "-am", "broken");
      git(work, "push", "--quiet", "origin", "HEAD:main");
      const broken = git(work, "rev-parse", "HEAD");
      expect(await source.reload()).toMatchObject({ outcome: "rejected", revision: broken });
      expect(source.current!.revision).toBe(first);
      writeFileSync(join(work, "bundle", "p.guard"), good(3).policy);
      git(work, "commit", "--quiet", "-am", "three");
      git(work, "push", "--quiet", "origin", "HEAD:main");
      const third = git(work, "rev-parse", "HEAD");
      expect(await source.reload()).toMatchObject({ outcome: "loaded", revision: third });
      expect(source.current!.policy.evaluate(["guard", "api", "decision"], { input: { request: { method: "GET" } } })).toMatchObject({ allow: true });
      source.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
