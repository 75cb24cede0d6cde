import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, ensureBuilt, fixture, guard } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const policy = `package authz

default allow := false

allow if {
	some role in input.user.roles
	role in data.authz.admin_roles
}
`;
const data = JSON.stringify({ admin_roles: ["admin"] });

const passing = {
  "authz/policy.rego": policy,
  "authz/data.json": data,
  "authz/policy_test.rego": `package authz

test_admin_allowed if allow with input as {"user": {"roles": ["admin"]}}

test_dev_denied if {
	print("checking dev")
	not allow with input as {"user": {"roles": ["dev"]}}
}

todo_test_later if false
`,
};

const failing = {
  "authz/policy.rego": policy,
  "authz/data.json": data,
  "authz/policy_test.rego": `package authz

test_admin_allowed if allow with input as {"user": {"roles": ["admin"]}}

test_dev_allowed if allow with input as {"user": {"roles": ["dev"]}}

test_conflict if f(1)

f(_) := true
f(_) := false
`,
};

const RULE = "-".repeat(80);

describe("guard test", () => {
  it("exits 0 and prints the counts when every test passes", () => {
    const r = guard(["test", "."], fixture(passing));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`SUMMARY\n${RULE}\nauthz/policy_test.rego:\ndata.authz.todo_test_later: SKIPPED\n${RULE}\nPASS: 2/3\nSKIPPED: 1/3\n`);
  });

  it("tests the current directory by default; -v shows every test and its print output", () => {
    const r = guard(["test", "-v"], fixture(passing));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SUMMARY\n-+\nauthz\/policy_test\.rego:\n/);
    expect(r.stdout).toMatch(/data\.authz\.test_admin_allowed: PASS \([\d.]+(ns|µs|ms|s)\)\n/);
    expect(r.stdout).toMatch(/data\.authz\.test_dev_denied: PASS \([^)]+\)\n\n {2}checking dev\n/);
  });

  it("exits 1 and lists failures and errors", () => {
    const r = guard(["test", "."], fixture(failing));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^FAILURES\n${RULE}\ndata\\.authz\\.test_dev_allowed: FAIL \\([^)]+\\)\n {2}authz/policy_test\\.rego:5\n`));
    expect(r.stdout).toContain("SUMMARY");
    expect(r.stdout).toMatch(/data\.authz\.test_conflict: ERROR \([^)]+\)\n {2}.*eval_conflict_error/);
    expect(r.stdout).not.toContain("test_admin_allowed");
    expect(r.stdout.endsWith(`${RULE}\nPASS: 1/3\nFAIL: 1/3\nERROR: 1/3\n`)).toBe(true);
  });

  it("--run selects tests by their full name", () => {
    const r = guard(["test", ".", "--run", "admin", "--format", "json"], fixture(failing));
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; status: string }[];
    expect(rows.map((x) => [x.name, x.status])).toEqual([["data.authz.test_admin_allowed", "pass"]]);
  });

  it("--format json: every result, times in nanoseconds", () => {
    const r = guard(["test", "--format", "json"], fixture(passing));
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; status: string; durationNs: number; output: string; file: string; line: number }[];
    expect(rows.map((x) => [x.name, x.status])).toEqual([
      ["data.authz.test_admin_allowed", "pass"],
      ["data.authz.test_dev_denied", "pass"],
      ["data.authz.todo_test_later", "skip"],
    ]);
    expect(rows[1]).toMatchObject({ output: "checking dev\n", file: "authz/policy_test.rego", line: 5 });
    expect(rows[0]!.durationNs).toBeGreaterThan(0);
    const bad = guard(["test", "--format", "json"], fixture(failing));
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as { status: string }[]).map((x) => x.status)).toEqual(["pass", "fail", "error"]);
  });

  it("--format junit", () => {
    const ok = guard(["test", "--format", "junit"], fixture(passing));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="guard test" tests="3" failures="0" errors="0" skipped="1"/);
    expect(ok.stdout).toContain("<skipped/>");
    const r = guard(["test", "--format", "junit"], fixture(failing));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('<testsuite name="authz/policy_test.rego" tests="3" failures="1" errors="1" skipped="0"');
    expect(r.stdout).toContain('<failure message="data.authz.test_dev_allowed failed"');
    expect(r.stdout).toContain('type="eval_conflict_error"');
    expect(r.stdout.trimEnd().endsWith("</testsuites>")).toBe(true);
  });

  it("--format github: an annotation per failure, then a summary", () => {
    const ok = guard(["test", "--format", "github"], fixture(passing));
    expect(ok).toEqual({ status: 0, stdout: "guard test: 2/3 passed, 0 failed, 0 errored, 1 skipped\n", stderr: "" });
    const r = guard(["test", "--format", "github"], fixture(failing));
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("::error file=authz/policy_test.rego,line=5::data.authz.test_dev_allowed failed");
    expect(lines[1]).toMatch(/^::error file=authz\/policy_test\.rego,line=7::data\.authz\.test_conflict failed: .*eval_conflict_error/);
    expect(lines[2]).toBe("guard test: 1/3 passed, 1 failed, 1 errored, 0 skipped");
  });

  it("--timeout makes slow tests errors", () => {
    const dir = fixture({
      "slow_test.rego": `package slow

test_slow if count([x | some x in numbers.range(1, 2000000); x > 0]) > 0
`,
    });
    const r = guard(["test", "--timeout", "1ms", "--format", "json"], dir);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject([{ name: "data.slow.test_slow", status: "error", error: { code: "eval_limit_error" } }]);
  });

  it("runs prop_ rules as property tests: a failure shows the shrunk counterexample, the seed and the reproduce command", () => {
    const dir = fixture({
      "schemas/shop/order.json": JSON.stringify({
        type: "object",
        properties: { qty: { type: "integer", minimum: 1 }, note: { type: "string" } },
        required: ["qty"],
      }),
      "shop/policy.rego": "package shop\n\nsmall if input.qty < 10\n",
      "shop/policy_test.rego": `package shop

# METADATA
# schemas:
#   - input: schema.shop.order
prop_orders_small if small

# METADATA
# schemas:
#   - input: schema.shop.order
prop_positive if input.qty > 0
`,
    });
    const r = guard(["test", "."], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^FAILURES\n${RULE}\ndata\\.shop\\.prop_orders_small: FAIL \\([^)]+\\)\n {2}shop/policy_test\\.rego:6\n`));
    expect(r.stdout).toContain('  counterexample: {"qty":10}\n');
    const seed = /\n {2}seed: (\d+)\n/.exec(r.stdout)?.[1];
    expect(seed).toBeDefined();
    expect(r.stdout).toContain(`  reproduce: guard test --run '^data.shop.prop_orders_small$' --seed ${seed}\n`);
    expect(r.stdout.endsWith("PASS: 1/2\nFAIL: 1/2\n")).toBe(true);
    // the reproduce command gives the same counterexample; --seed and --runs are accepted
    const again = guard(["test", "--run", "^data.shop.prop_orders_small$", "--seed", seed!, "--runs", "50", "--format", "json"], dir);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject([
      { name: "data.shop.prop_orders_small", status: "fail", counterexample: { qty: 10 }, seed: Number(seed) },
    ]);
    const missing = guard(["test", "--format", "json"], fixture({ "p_test.rego": "package p\n\n# METADATA\n# schemas:\n#   - input: schema.nope\nprop_x if true\n" }));
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject([{ status: "error", error: { message: "no schema for input: schemas/nope.json not found" } }]);
  });

  it("--coverage reports the policy lines the tests evaluated; --threshold fails below it", () => {
    const dir = fixture({ ...passing, "authz/policy.rego": policy + "\ndeny if input.x == 1\n" });
    const r = guard(["test", "--coverage"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith(`SKIPPED: 1/3\n\nCOVERAGE\n${RULE}\nauthz/policy.rego: 80.0% (4/5), not covered: 10\n${RULE}\nTotal: 80.0%\n`)).toBe(true);
    expect(r.stdout).not.toMatch(/policy_test\.rego: \d/);
    const json = guard(["test", "--coverage", "--format", "json"], dir);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      results: [{ name: "data.authz.test_admin_allowed", status: "pass" }, {}, {}],
      coverage: { files: { "authz/policy.rego": { covered: [3, 5, 6, 7], not_covered: [10], coverage: 80 } }, coverage: 80 },
    });
    expect(guard(["test", "--coverage", "--threshold", "80"], dir).status).toBe(0);
    const low = guard(["test", "--coverage", "--threshold", "90"], dir);
    expect(low.status).toBe(1);
    expect(low.stderr).toBe("coverage 80.0% is below the threshold 90%\n");
    expect(low.stdout).toContain("Total: 80.0%\n");
  });

  it("exits 2 when the policies do not compile", () => {
    const r = guard(["test", "."], fixture({ "p_test.rego": "package p\n\ntest_x if y\n" }));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("p_test.rego:3:11: rego_unsafe_var_error: var y is unsafe");
    for (const format of ["json", "junit", "github"]) {
      const f = guard(["test", "--format", format, "--coverage", "--bench"], fixture({ "p_test.rego": "package p\n\ntest_x if y\n" }));
      expect([f.status, f.stdout], format).toEqual([2, ""]);
    }
  });

  it("exits 2 on bad arguments", () => {
    const dir = fixture(passing);
    for (const args of [["--format", "xml"], ["--timeout", "soon"], ["--run", "("], ["--bogus"], ["--run"], ["--seed", "x"], ["--runs", "0"], ["--coverage", "--threshold", "x"], ["--threshold", "50"], ["--benchtime", "1s"], ["--bench", "--benchtime", "soon"], ["--clear"]]) {
      const r = guard(["test", ...args], dir);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^guard test: /);
    }
  });

  it("is listed in guard help", () => {
    expect(guard(["help"], fixture({})).stdout).toContain("  test         run policy tests\n");
    expect(guard(["help", "test"], fixture({})).stdout).toMatch(/^Usage: guard test/);
  });

  const comparing = {
    "authz/policy.rego": `package authz

deny contains "a" if input.x
deny contains "b" if input.y

profile := {"name": "ann", "roles": ["admin", "dev"], "teams": ["a", "b", "c"], "city": "Paris"}
`,
    "authz/policy_test.rego": `package authz

test_one_deny if {
	n := 1
	count(deny) == n with input as {"x": true, "y": true}
}

test_profile if profile == {"name": "ann", "roles": ["admin"], "teams": ["a", "b", "c"], "city": "Paris"}
`,
  };

  it("a failed comparison shows both sides' values, and a line diff for large ones, in every format", () => {
    const dir = fixture(comparing);
    const r = guard(["test"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "data.authz.test_one_deny: FAIL",
    );
    expect(r.stdout).toContain(
      "  authz/policy_test.rego:3\n  authz/policy_test.rego:5:2: count(deny) == n with input as {\"x\": true, \"y\": true}\n    left:  2  (count(deny))\n    right: 1  (n)\n",
    );
    expect(r.stdout).toContain(
      '    diff (- left, + right):\n        {\n          "city": "Paris",\n          "name": "ann",\n          "roles": [\n      -     "admin",\n      -     "dev"\n      +     "admin"\n          ],\n',
    );
    const json = guard(["test", "--format", "json"], dir);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { name: "data.authz.test_one_deny", status: "fail", failure: { file: "authz/policy_test.rego", line: 5, column: 2, op: "==", left: { text: "count(deny)", value: 2 }, right: { text: "n", value: 1 } } },
      { name: "data.authz.test_profile", status: "fail", failure: { op: "==", diff: expect.stringContaining('-     "dev"') } },
    ]);
    const junit = guard(["test", "--format", "junit"], dir);
    expect(junit.status).toBe(1);
    expect(junit.stdout).toContain('<failure message="data.authz.test_one_deny failed" type="fail">authz/policy_test.rego:5:2: count(deny) == n with input as {&quot;x&quot;: true, &quot;y&quot;: true}\n  left:  2  (count(deny))\n  right: 1  (n)</failure>');
    const gh = guard(["test", "--format", "github"], dir);
    expect(gh.status).toBe(1);
    expect(gh.stdout.split("\n")[0]).toBe(
      '::error file=authz/policy_test.rego,line=3::data.authz.test_one_deny failed%0Aauthz/policy_test.rego:5:2: count(deny) == n with input as {"x": true, "y": true}%0A  left:  2  (count(deny))%0A  right: 1  (n)',
    );
  });

  const properties = {
    "schemas/shop/order.json": JSON.stringify({
      type: "object",
      properties: { qty: { type: "integer", minimum: 1 }, items: { type: "array", items: { $ref: "#/$defs/item" } } },
      required: ["qty"],
      $defs: { item: { allOf: [{ type: "object", properties: { sku: { type: "string" } }, required: ["sku"] }, { properties: { parts: { type: "array", items: { $ref: "#/$defs/item" } } } }] } },
    }),
    "shop/policy.rego": "package shop\n\nsmall if input.qty < 10\n\nskus contains item.sku if some item in input.items\n",
    "shop/policy_test.rego": `package shop

# METADATA
# schemas:
#   - input: schema.shop.order
prop_orders_small if input.qty < 10

# METADATA
# schemas:
#   - input: schema.shop.order
prop_skus_bounded if count(skus) <= count(object.get(input, "items", []))

todo_prop_later if false
`,
  };

  it("property failures in json, junit and github: the shrunk counterexample, seed, reproduce and the failing comparison", () => {
    const dir = fixture(properties);
    const json = guard(["test", "--format", "json"], dir);
    expect(json.stderr).toBe("");
    expect(json.status).toBe(1);
    const rows = JSON.parse(json.stdout) as { name: string; status: string; seed: number }[];
    expect(rows).toMatchObject([
      {
        name: "data.shop.prop_orders_small",
        status: "fail",
        counterexample: { qty: 10 },
        reproduce: expect.stringMatching(/^guard test --run '\^data\.shop\.prop_orders_small\$' --seed \d+$/),
        failure: { file: "shop/policy_test.rego", line: 6, expression: "input.qty < 10", op: "<", left: { text: "input.qty", value: 10 }, right: { value: 10 } },
      },
      { name: "data.shop.prop_skus_bounded", status: "pass" },
      { name: "data.shop.todo_prop_later", status: "skip" },
    ]);
    const seed = rows[0]!.seed;
    const junit = guard(["test", "--format", "junit"], dir);
    expect(junit.status).toBe(1);
    expect(junit.stdout).toContain(`<failure message="data.shop.prop_orders_small failed" type="fail">counterexample: {&quot;qty&quot;:10}\nseed: ${seed}\nreproduce: guard test --run &apos;^data.shop.prop_orders_small$&apos; --seed ${seed}\nshop/policy_test.rego:6:22: input.qty &lt; 10\n  left:  10  (input.qty)\n  right: 10</failure>`);
    expect(junit.stdout).toContain('tests="3" failures="1" errors="0" skipped="1"');
    const gh = guard(["test", "--format", "github"], dir);
    expect(gh.status).toBe(1);
    expect(gh.stdout.split("\n")[0]).toBe(
      `::error file=shop/policy_test.rego,line=6::data.shop.prop_orders_small failed%0Acounterexample: {"qty":10}%0Aseed: ${seed}%0Areproduce: guard test --run '^data.shop.prop_orders_small$' --seed ${seed}%0Ashop/policy_test.rego:6:22: input.qty < 10%0A  left:  10  (input.qty)%0A  right: 10`,
    );
    expect(gh.stdout).toContain("guard test: 1/3 passed, 1 failed, 0 errored, 1 skipped\n");
  });

  it("--coverage and --threshold in junit and github", () => {
    const dir = fixture({ ...passing, "authz/policy.rego": policy + "\ndeny if input.x == 1\n" });
    const junit = guard(["test", "--coverage", "--threshold", "90", "--format", "junit"], dir);
    expect(junit.status).toBe(1);
    expect(junit.stderr).toBe("coverage 80.0% is below the threshold 90%\n");
    expect(junit.stdout).toContain('<testsuite name="coverage" tests="1" failures="1" errors="0" skipped="0" time="0.000000">');
    expect(junit.stdout).toContain('<property name="coverage:authz/policy.rego" value="80.0"/>');
    expect(junit.stdout).toContain('<property name="not_covered:authz/policy.rego" value="10"/>');
    expect(junit.stdout).toContain('<failure message="coverage 80.0% is below the threshold 90%" type="coverage"/>');
    expect(guard(["test", "--coverage", "--threshold", "80", "--format", "junit"], dir).status).toBe(0);
    const gh = guard(["test", "--coverage", "--threshold", "90", "--format", "github"], dir);
    expect(gh.status).toBe(1);
    expect(gh.stdout).toBe(
      [
        "::warning file=authz/policy.rego,line=10,title=guard test coverage::coverage 80.0%25 (4/5), below the threshold 90%25; lines not covered: 10",
        "::error title=guard test coverage::coverage 80.0%25 is below the threshold 90%25",
        "guard test: 2/3 passed, 0 failed, 0 errored, 1 skipped",
        "guard test: coverage 80.0% (threshold 90%)",
        "",
      ].join("\n"),
    );
    const ok = guard(["test", "--coverage", "--format", "github"], dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout.split("\n")[0]).toBe("::notice file=authz/policy.rego,line=10,title=guard test coverage::coverage 80.0%25 (4/5); lines not covered: 10");
    const json = guard(["test", "--coverage", "--threshold", "90", "--format", "json"], dir);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ coverage: { coverage: 80, threshold: 90, passed: false } });
  });

  it("--bench reports ops and ns/op per passing test, in pretty and json", () => {
    const dir = fixture(passing);
    const r = guard(["test", "--bench", "--benchtime", "30ms"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`PASS: 2/3\nSKIPPED: 1/3\n\nBENCHMARKS\n${RULE}\ndata\\.authz\\.test_admin_allowed  +\\d+ ops  +\\d+ ns/op\ndata\\.authz\\.test_dev_denied     +\\d+ ops  +\\d+ ns/op\n$`));
    const json = guard(["test", "-b", "--benchtime", "20ms", "--format", "json"], dir);
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as { status: string; bench?: { ops: number; nsPerOp: number } }[];
    expect(rows[0]!.bench!.ops).toBeGreaterThan(0);
    expect(rows[0]!.bench!.nsPerOp).toBeGreaterThan(0);
    expect(rows[2]).toMatchObject({ status: "skip" });
    expect(rows[2]!.bench).toBeUndefined();
    // failing tests are not benchmarked
    const bad = guard(["test", "--bench", "--benchtime", "10ms", "--format", "json"], fixture(failing));
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as { bench?: unknown }[]).map((x) => x.bench !== undefined)).toEqual([true, false, false]);
  });

  it("--watch runs again when a policy file changes, and stops on SIGINT", async () => {
    const dir = fixture(passing);
    const child = spawn(process.execPath, [join(ROOT, "bin", "guard.js"), "test", "--watch", "."], { cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const until = async (what: () => boolean, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!what()) {
        if (Date.now() > deadline) throw new Error(`timed out; stdout: ${stdout}\nstderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => stderr.includes("for changes"));
      expect(stdout).toContain("PASS: 2/3\n");
      expect(stdout).not.toContain("FAIL");
      writeFileSync(join(dir, "authz", "policy_test.rego"), failing["authz/policy_test.rego"]);
      await until(() => stdout.includes("FAIL: 1/3"));
      expect(stderr).toContain(`guard test: changed: ${join(".", "authz", "policy_test.rego")}`);
      expect(stdout).toContain("data.authz.test_dev_allowed: FAIL");
      // a data file counts too
      writeFileSync(join(dir, "authz", "data.json"), JSON.stringify({ admin_roles: ["admin", "dev"] }));
      await until(() => stdout.includes("PASS: 2/3\nERROR: 1/3"));
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  }, 40_000);
});
