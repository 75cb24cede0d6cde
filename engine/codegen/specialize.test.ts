// Codegen's specializations against the reference interpreter: calls with constant arguments and invariant
// lookups memoized per evaluation, `===` for comparisons with string, boolean and null constants, inline
// membership in small constant sets, net.cidr_contains with a constant IPv4 network, the entry point's fast path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Policy } from "../engine.js";
import { EvalError } from "../errors.js";
import { toJSON, type Value } from "../value/value.js";

const POLICY = `package s

in_group(g) if g in data.groups[input.user]

level(x) := data.levels[input.user][x]

admin if in_group("admins")

both if {
	in_group("admins")
	in_group("ops")
	level("a") == 1
}

eq_string if input.x == "1"

eq_number if input.x == 1

neq_null if input.x != null

eq_bool if true == input.x

in_small if input.x in {"a", true, null}

in_array if input.x in ["a", "b"]

unify_string if input.x = "a"

blocked if net.cidr_contains("192.168.100.0/24", input.ip)

corp if net.cidr_contains("10.0.0.0/8", input.ip)

all_v4 if net.cidr_contains("0.0.0.0/0", input.ip)

under_with if in_group("admins") with input.user as "ann"

mocked if admin with data.s.in_group as true

types := [is_string(input.x), is_number(input.x), is_boolean(input.x), is_null(input.x), is_array(input.x), is_object(input.x), is_set(input.x)]

type_of_set := [is_set({input.x}), is_object({input.x}), is_array({input.x})]

mocked_type if is_string(input.x) with is_string as false

literal := {"a": input.x, "__proto__": input.x, "1": [input.x], "b": {"c": input.x}}

literal_keys := [k | some k, _ in {"z": input.x, "a": 1, "__proto__": 2}]

computed := {input.x: 1, "k": input.x}

values_in := [v | some v in {"b": input.x, "a": 2}]

values_in_set := [v | some v in {input.x, "b", "a"}]
`;

const PATHS = [
  "admin", "both", "eq_string", "eq_number", "neq_null", "eq_bool", "in_small", "in_array", "unify_string", "blocked", "corp", "all_v4", "under_with", "mocked",
  "types", "type_of_set", "mocked_type", "literal", "literal_keys", "computed", "values_in", "values_in_set",
];

function outcome(f: () => Value | undefined): unknown {
  try {
    const v = f();
    return { value: v === undefined ? "<undefined>" : JSON.parse(JSON.stringify(toJSON(v), (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))) };
  } catch (e) {
    if (e instanceof EvalError) return { error: e.code };
    throw e;
  }
}

const data = { groups: { ann: ["admins", "ops"], bob: ["ops"] }, levels: { ann: { a: 1 }, bob: { a: 2 } } };

describe("specialized code ≡ reference interpreter", () => {
  const policy = Policy.compile([{ file: "s.rego", text: POLICY }], { data });

  it("memoizes calls with constant arguments and invariant lookups, with comments", () => {
    const source = policy.compiled.source;
    expect(source).toContain('// data.s.in_group("admins"): called once per evaluation');
    expect(source).toContain("// data.groups[input.user]: looked up once per evaluation");
    expect(source).toContain('r === "1"'.slice(1)); // `x === "1"`, not rt.eq
    expect(source).toContain("rt.cidr4Contains(");
    expect(source).toMatch(/typeof \w+ === "string"/); // is_string inline
    expect(source).toMatch(/\{ "a": \w+, "__proto__"|rt\.obj\(\[\["a"/); // no literal with a __proto__ key
    expect(source).toContain("of rt.values(");
  });

  it("answers as the reference for generated inputs", () => {
    const scalar = fc.constantFrom<unknown>("1", 1, 1.0, "a", "b", true, false, null, ["a"], { a: 1 }, 2n ** 70n, 1.5);
    const ip = fc.oneof(
      fc.constantFrom("10.1.2.3", "192.168.100.7", "192.168.101.7", "010.1.2.3", "10.01.2.3", "10.1.2", "10.1.2.3.4", "256.1.1.1"),
      fc.constantFrom("::ffff:10.1.2.3", "::1", "10.0.0.0/16", "", "1.2.3.04", 7, null),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join(".")),
    );
    const input = fc.record({ user: fc.constantFrom("ann", "bob", "cy", 3), x: scalar, ip }, { requiredKeys: [] });
    fc.assert(
      fc.property(input, (input) => {
        for (const p of PATHS) {
          const compiled = outcome(() => policy.evaluate(["s", p], { input: input as Value }));
          const reference = outcome(() => policy.evaluate(["s", p], { input: input as Value, engine: "reference" }));
          expect(compiled, `data.s.${p} for ${JSON.stringify(input, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))}`).toEqual(reference);
        }
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it("still reports invalid operands under strict built-in errors", () => {
    for (const engine of ["compiled", "reference"] as const) {
      expect(outcome(() => policy.evaluate(["s", "corp"], { engine, input: { ip: "nope" }, strictBuiltinErrors: true }))).toEqual({ error: "eval_builtin_error" });
      expect(outcome(() => policy.evaluate(["s", "corp"], { engine, input: { ip: "10.2.3.4" }, strictBuiltinErrors: true }))).toEqual({ value: true });
    }
  });

  it("answers the same through the entry point's fast path and with options", () => {
    const fast = policy.entrypoint(["s", "both"]);
    const limited = policy.entrypoint(["s", "both"], { maxSteps: 1000 });
    for (const user of ["ann", "bob", "cy"]) {
      expect(fast({ user }), user).toBe(limited({ user }));
      expect(fast({ user }), user).toBe(policy.evaluate(["s", "both"], { input: { user }, engine: "reference" }));
    }
    expect(outcome(() => policy.entrypoint(["s", "both"], { maxSteps: 1 })({ user: "ann" }))).toEqual({ error: "eval_limit_error" });
  });
});

describe("memoized calls that print", () => {
  const text = `package pr

f(x) := y if {
	print("f", x)
	y := x
}

p if {
	f(1) == 1
	f(1) == 1
}
`;
  const policy = Policy.compile([{ file: "pr.rego", text }]);

  it("print once per evaluation for the same arguments, as the reference does", () => {
    const lines = (engine: "compiled" | "reference") => {
      const out: string[] = [];
      policy.evaluate(["pr", "p"], { engine, print: (m) => out.push(m) });
      return out;
    };
    expect(lines("compiled")).toEqual(lines("reference"));
    expect(lines("compiled")).toEqual(["f 1"]);
  });
});
