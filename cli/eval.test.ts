import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, fixture, guard } from "./test/helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const bundle = {
  "authz/policy.rego": `package authz

default allow := false

allow if {
	some role in input.user.roles
	role in data.authz.admin_roles
}

reasons contains msg if {
	not allow
	msg := sprintf("%s is not an admin", [input.user.name])
}
`,
  "authz/data.json": JSON.stringify({ admin_roles: ["admin", "owner"] }),
  "alice.json": JSON.stringify({ user: { name: "alice", roles: ["dev", "admin"] } }),
  "bob.json": JSON.stringify({ user: { name: "bob", roles: ["dev"] } }),
};

describe("guard eval", () => {
  it("evaluates a query against a bundle's policies and data, with an input", () => {
    const dir = fixture(bundle);
    const r = guard(["eval", "-b", ".", "-i", "alice.json", "data.authz.allow"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ result: [{ expressions: [{ value: true, text: "data.authz.allow" }], bindings: {} }] });
    const bob = guard(["eval", "-b", ".", "-i", "bob.json", "data.authz", "--format", "pretty"], dir);
    expect(bob.stdout).toBe('{"admin_roles":["admin","owner"],"allow":false,"reasons":["bob is not an admin"]}\n');
  });

  it("answers the same with the reference interpreter", () => {
    const dir = fixture(bundle);
    const args = ["eval", "-b", ".", "-i", "bob.json", "data.authz", "--format", "pretty"];
    expect(guard([...args, "--engine", "reference"], dir).stdout).toBe(guard(args, dir).stdout);
  });

  it("reports bindings of query variables", () => {
    const dir = fixture(bundle);
    const r = guard(["eval", "-b", ".", "x := data.authz.admin_roles[i]", "--format", "pretty"], dir);
    expect(r.stdout).toBe('x = "admin"\ni = 0\nx = "owner"\ni = 1\n');
  });

  it("prints undefined for no result and exits 0", () => {
    const dir = fixture(bundle);
    expect(guard(["eval", "-b", ".", "data.authz.nothing", "--format", "pretty"], dir)).toEqual({ status: 0, stdout: "undefined\n", stderr: "" });
  });

  it("exits 2 with located errors when the policies do not compile", () => {
    const dir = fixture({ "p.rego": "package p\n\nx := y\n" });
    const r = guard(["eval", "-b", ".", "data.p.x"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("p.rego:3:6: rego_unsafe_var_error: var y is unsafe");
  });

  it("explains usage mistakes", () => {
    const r = guard(["eval", "-b"], fixture({}));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^guard eval: -b needs a value/);
  });
});

describe("guard conformance", () => {
  it("runs OPA-format YAML cases and reports per folder, exit 1 on a failure", () => {
    const dir = fixture({
      "cases/basic/a.yaml": `cases:
  - note: passes
    query: data.t.p = x
    modules:
      - |
        package t
        p := 1 + 2
    want_result:
      - x: 3
  - note: fails
    query: data.t.p = x
    modules:
      - |
        package t
        p := 1
    want_result:
      - x: 2
  - note: out of scope
    query: data.t.p = x
    modules:
      - |
        package t
        p := http.send({})
    want_result: []
`,
    });
    const r = guard(["conformance", "cases", "-v"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("conformance: 1 passed, 1 failed, 1 skipped (3 cases)");
    expect(r.stdout).toContain("skip: basic/a.yaml :: out of scope: http.send (network calls from policy)");
    expect(r.stdout).toContain('fail: basic/a.yaml :: fails: got [{"x":1}], want [{"x":2}]');
  });
});
