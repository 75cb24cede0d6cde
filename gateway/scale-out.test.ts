// Several gateway instances on one PostgreSQL store (what runs behind a load balancer): an approval raised through
// one instance is approved through another and releases the request the first one holds (LISTEN/NOTIFY), and
// decisions from both form one audit chain that verifies.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { openPostgresStore } from "./store/postgres.js";
import { messages, startHarness, type Harness } from "./test/harness.js";
import { startIssuer, type Issuer } from "./test/servers.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("gateway/scale-out.test.ts: skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it");

const POLICY = `package guard.claude

decision := {"allow": true} if not contains(concat(" ", input.llm.texts), "production")

decision := {"allow": true, "require_approval": {"reason": "production", "approvers": ["sre"]}} if contains(concat(" ", input.llm.texts), "production")
`;

describe.skipIf(!url)("two gateway instances on one PostgreSQL store", () => {
  const schema = `guard_scale_${randomBytes(4).toString("hex")}`;
  let people: Issuer;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    people = await startIssuer();
    const options = {
      files: { "claude/policy.guard": POLICY },
      store: () => openPostgresStore(url!, schema),
      config: { approvals: { hold: "20s", identity: { providers: [{ issuer: people.issuer, audience: "approvers", groups_claim: "groups" }] } } },
    };
    a = await startHarness(options);
    b = await startHarness(options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await people?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("releases a request held by one instance when it is approved through the other", async () => {
    const held = request(`${a.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${await a.token()}` }, body: messages({}, "deploy to production") });
    const approver = await people.sign({ sub: "erin", groups: ["sre"], aud: "approvers" });
    let id: string | undefined;
    for (let i = 0; i < 100 && id === undefined; i++) {
      const list = await request(`${b.url}/approvals/api?status=pending`, { headers: { authorization: `Bearer ${approver}` } });
      id = ((await list.body.json()) as { approvals: { id: string }[] }).approvals[0]?.id;
      if (id === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(id).toBeDefined();
    const started = Date.now();
    const approve = await request(`${b.url}/approvals/api/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${approver}` }, body: "{}" });
    expect(approve.statusCode).toBe(200);
    await approve.body.dump();
    const res = await held;
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    // Released by the notification, not by the 5 s re-read.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("keeps one audit chain when both instances decide at once", async () => {
    const ask = (h: Harness) => h.token().then((t) => request(`${h.url}/claude/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${t}` }, body: messages() }).then((r) => r.body.dump()));
    await Promise.all(Array.from({ length: 40 }, (_, i) => ask(i % 2 ? a : b)));
    const result = await a.store.audit.verify();
    expect(result).toMatchObject({ ok: true });
    expect(result.records).toBeGreaterThanOrEqual(40);
  });
});
