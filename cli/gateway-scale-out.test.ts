// Two `guard gateway` processes on one PostgreSQL store, as behind a load balancer: a request held by one is
// released by an approval given through the other (LISTEN/NOTIFY), and both append to one audit chain that
// `guard audit verify` finds intact.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { messages } from "../gateway/test/harness.js";
import { AUDIENCE, githubClaims, startAnthropicUpstream, startIssuer, UPSTREAM_KEY, type Issuer, type Upstream } from "../gateway/test/servers.js";
import { startGateway } from "./test/gateway-process.js";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("cli/gateway-scale-out.test.ts: skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it");

const POLICY = `package guard.claude

decision := {"allow": true} if not contains(concat(" ", input.llm.texts), "production")

decision := {"allow": true, "require_approval": {"reason": "production", "approvers": ["sre"]}} if contains(concat(" ", input.llm.texts), "production")
`;

describe.skipIf(!url)("two gateway processes on one PostgreSQL store", () => {
  const schema = `guard_procs_${randomBytes(4).toString("hex")}`;
  let ci: Issuer;
  let people: Issuer;
  let upstream: Upstream;
  let dir: string;
  const gateways: { kill(signal: string): void; address: string }[] = [];

  beforeAll(async () => {
    ensureBuilt();
    [ci, people, upstream] = await Promise.all([startIssuer(), startIssuer(), startAnthropicUpstream()]);
    dir = fixture({
      "guard.yaml": `listen:
  port: 0
identity:
  providers:
    - preset: github-actions
      issuer: ${ci.issuer}
      audience: ${AUDIENCE}
approvals:
  hold: 20s
  identity:
    providers:
      - issuer: ${people.issuer}
        audience: approvers
        groups_claim: groups
connections:
  - name: claude
    type: anthropic
    upstream: ${upstream.url}
    credential:
      env: TEST_KEY
store:
  type: postgres
  url: ${url}
  schema: ${schema}
`,
      "policies/claude/policy.guard": POLICY,
    });
    for (let i = 0; i < 2; i++) {
      const { child, address } = await startGateway(dir, [], { TEST_KEY: UPSTREAM_KEY });
      gateways.push({ kill: (s) => child.kill(s as NodeJS.Signals), address });
    }
  }, 300_000);

  afterAll(async () => {
    for (const g of gateways) g.kill("SIGTERM");
    await Promise.all([ci?.close(), people?.close(), upstream?.close()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("releases a request held by one process when it is approved through the other", async () => {
    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
    const held = request(`${a.address}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await ci.sign(githubClaims())}` }, body: messages({}, "deploy to production") });
    const approver = await people.sign({ sub: "erin", groups: ["sre"], aud: "approvers" });
    let id: string | undefined;
    for (let i = 0; i < 200 && id === undefined; i++) {
      const list = await request(`${b.address}/approvals/api?status=pending`, { headers: { authorization: `Bearer ${approver}` } });
      id = ((await list.body.json()) as { approvals: { id: string }[] }).approvals[0]?.id;
      if (id === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(id).toBeDefined();
    const started = Date.now();
    const approve = await request(`${b.address}/approvals/api/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${approver}` }, body: "{}" });
    expect(approve.statusCode).toBe(200);
    await approve.body.dump();
    const res = await held;
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(Date.now() - started).toBeLessThan(4_000); // the notification, not the 5 s re-read
  });

  it("makes one audit chain of both processes' decisions, which guard audit verify finds intact", async () => {
    const token = await ci.sign(githubClaims());
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(`${gateways[i % 2]!.address}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: messages() }).then((r) => r.body.dump()),
      ),
    );
    const verify = guard(["audit", "verify", "--config", "guard.yaml"], dir);
    expect(verify.stdout).toMatch(/^audit log intact: \d+ records, head [0-9a-f]{64}/);
    expect(verify.status).toBe(0);
  });
});
