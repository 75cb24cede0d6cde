import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SessionRecorder } from "../gateway/sessions/recorder.js";
import { bundleOf, exchange, identity, writeBundle } from "../gateway/sessions/test/fixtures.js";
import { openSqliteStore } from "../gateway/store/sqlite.js";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 300_000);

const SID = "acme/app/4242/1";
const at = (second: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, second));

/** A directory with bundles a (m1, m2) and b (m1 only, bash denied) and a store recorded with a. */
async function recorded(): Promise<{ dir: string; ids: string[] }> {
  const dir = fixture({ "guard.yaml": "store:\n  type: sqlite\n  path: data/guard.db\n", "ok.yaml": "store:\n  type: sqlite\n  path: .guard/guard.db\n" });
  const a = writeBundle(["m1", "m2"], [], join(dir, "bundle-a"));
  writeBundle(["m1"], ["bash"], join(dir, "bundle-b"));
  const A = bundleOf(a);
  const store = await openSqliteStore(join(dir, ".guard", "guard.db"));
  const r = new SessionRecorder(store.sessions);
  const xs = [
    exchange(A, { model: "m1", prompt: "list the files", tools: ["bash"], time: at(1) }),
    exchange(A, { model: "m2", messages: [{ role: "user", content: "list the files" }, { role: "assistant", content: "ok" }, { role: "user", content: "now m2" }], time: at(2) }),
    exchange(A, { model: "m9", prompt: "denied", time: at(3) }),
    exchange(A, { model: "m1", prompt: "other run", who: identity({ run_id: "99" }), time: at(4) }),
  ];
  for (const x of xs) expect(await r.record(x)).toBe(true);
  await r.close();
  await store.close();
  return { dir, ids: xs.map((x) => x.decisionId) };
}

describe("guard sessions", () => {
  it("list: the sessions, most recent first (pretty and json); --config reads guard.yaml's store", async () => {
    const { dir } = await recorded();
    const r = guard(["sessions", "list"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^acme\/app\/99\/1 .*1 exchange {2}0 denied\nacme\/app\/4242\/1 {2}sub=repo:acme\/app:ref:refs\/heads\/main {2}repo=acme\/app {2}\S+ \.\. \S+ {2}3 exchanges {2}1 denied\n2 sessions\n$/);
    const j = guard(["sessions", "list", "--format", "json", "--limit", "1"], dir);
    expect(JSON.parse(j.stdout)).toMatchObject([{ id: "acme/app/99/1", exchanges: 1, denied: 0 }]);
    const c = guard(["sessions", "list", "--config", "guard.yaml"], dir);
    expect(c.status).toBe(2); // data/guard.db does not exist
    expect(c.stderr).toMatch(/cannot open the store \(sqlite:.*data\/guard\.db\)/);
    const ok = guard(["sessions", "list", "--config", "ok.yaml", "--sub", "repo:acme/app:ref:refs/heads/main", "--format", "json"], dir);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout)).toHaveLength(2);
  });

  it("show: a session as a conversation", async () => {
    const { dir, ids } = await recorded();
    const r = guard(["sessions", "show", SID], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`session ${SID}: 3 exchanges, 1 denied`);
    expect(r.stdout).toContain(`(exchange ${ids[0]})`);
    expect(r.stdout).toContain("  user: list the files\n  decision: allow");
    expect(r.stdout).toContain('  tool call bash toolu_');
    expect(r.stdout).toContain("  tool decision bash: allow");
    expect(r.stdout).toContain("  (1 earlier message)\n  assistant: ok\n  user: now m2\n");
    expect(r.stdout).toContain("  decision: deny: model m9 is not allowed");
    expect(r.stdout).toMatch(/assistant \(200, end_turn\): answer \d+/);
    expect(r.stdout).toMatch(/auth 1ms {2}eval \S+ {2}upstream 20ms {2}total 25ms/);
    expect(r.stdout).not.toMatch(/SECRET/);
    const j = guard(["sessions", "show", SID, "--format", "json"], dir);
    expect(JSON.parse(j.stdout).exchanges.map((x: { decisionId: string }) => x.decisionId)).toEqual(ids.slice(0, 3));
    const none = guard(["sessions", "show", "no/such"], dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no session "no\/such"/);
  });

  it("replay: exit 0 when no decision would change, 1 with each change and its exchange id", async () => {
    const { dir, ids } = await recorded();
    const same = guard(["sessions", "replay", "--bundle", "bundle-a"], dir);
    expect(same.stderr).toBe("");
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/4 exchanges, 5 decisions replayed with revision \w+: no decision would change\n$/);
    const changed = guard(["sessions", "replay", "--bundle", "bundle-b"], dir);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain(`allow->deny  exchange ${ids[0]}  session ${SID}`);
    expect(changed.stdout).toContain("tool bash toolu_");
    expect(changed.stdout).toContain(`allow->deny  exchange ${ids[1]}  session ${SID}`);
    expect(changed.stdout).toContain("candidate: deny (model m2 is not allowed)");
    expect(changed.stdout).toMatch(/2 decisions would change\n$/);
    const one = guard(["sessions", "replay", "--bundle", "bundle-b", "acme/app/99/1", "--format", "json"], dir);
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ exchanges: 1, decisions: 1, changes: [] });
    const since = guard(["sessions", "replay", "--bundle", "bundle-b", "--since", "2026-11-21T10:00:02.500Z"], dir);
    expect(since.status).toBe(0); // only the m9 and other-run exchanges
  });

  it("wrong arguments exit 2", async () => {
    const { dir } = await recorded();
    for (const args of [["sessions"], ["sessions", "nope"], ["sessions", "show"], ["sessions", "replay"], ["sessions", "list", "--bundle", "x"], ["sessions", "list", "--format", "xml"], ["sessions", "list", "--since", "yesterday"]]) {
      const r = guard(args, dir);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/Usage: guard sessions/);
    }
    const bad = fixture({ "bad/p.guard": "package x\nallow if {" });
    const r = guard(["sessions", "replay", "--bundle", join(bad, "bad"), "--store", `sqlite:${join(dir, ".guard", "guard.db")}`], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not compile/);
    const help = guard(["help", "sessions"], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: guard sessions list/);
  });
});
