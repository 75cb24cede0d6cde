// The rule-indexing stage: which nodes and bodies get an index, which are left alone, and that the compiled
// engine (which uses the index) answers exactly as the reference interpreter (which does not).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseModule } from "../../lang/parse.js";
import { defaultBuiltins } from "../builtins/index.js";
import { Policy } from "../engine.js";
import { EvalError } from "../errors.js";
import { toJSON, type Value } from "../value/value.js";
import { compileStages } from "./stages.js";

/** The index the stage builds for each node: the input path and, per indexed body's first line, its values. */
function indexesOf(text: string): Record<string, { path: string; bodies: Record<number, string[]> }> {
  const parsed = parseModule(text, { file: "p.rego" });
  const state = compileStages([parsed.module!], defaultBuiltins());
  expect(state.errors).toEqual([]);
  const out: Record<string, { path: string; bodies: Record<number, string[]> }> = {};
  for (const [key, index] of state.indexes ?? []) {
    out[key] = { path: index.path.join("."), bodies: Object.fromEntries([...index.bodies].map(([b, values]) => [b.loc.line, values])) };
  }
  return out;
}

describe("the index stage", () => {
  it("indexes the bodies of a rule that test an input field against constants, in every spelling", () => {
    const text = `package p

allow if input.action == "read"

allow if "write" == input.action

allow if {
	input.action = "delete"
	input.user == "root"
}

allow if input.action in {"view", "edit"}

allow if input.action in ["list"]

allow if input.user == "admin"
`;
    expect(indexesOf(text)).toEqual({
      "p.allow": {
        path: "action",
        bodies: { 3: ["read"], 5: ["write"], 7: ["delete"], 12: ["view", "edit"], 14: ["list"] },
      },
    });
  });

  it("indexes partial sets, and picks the field most bodies test", () => {
    const text = `package p

reasons contains "a" if input.kind == "x"

reasons contains "b" if {
	input.kind == "y"
	input.region == "eu"
}

reasons contains "c" if input.region == "us"

reasons contains "d" if input.kind == "z"
`;
    expect(indexesOf(text)).toEqual({ "p.reasons": { path: "kind", bodies: { 3: ["x"], 5: ["y"], 12: ["z"] } } });
  });

  it("indexes a body whose test comes after quiet literals (comparisons, quiet functions and rules)", () => {
    const text = `package p

member(g) if g in data.groups[input.user]

doc := data.docs[input.doc]

allow if {
	member("admins")
	doc.public == true
	input.context.hour > 8
	input.action == "read"
}

allow if input.action == "write"
`;
    expect(indexesOf(text)["p.allow"]?.bodies).toEqual({ 7: ["read"], 14: ["write"] });
  });

  it("leaves alone bodies where skipping them could be seen, and fields tested against non-constants", () => {
    const text = `package p

f(x) := y if y := x[_]

allow if input.action == "a"

allow if {
	count(input.list) > 1
	input.action == "b"
}

allow if {
	f(input.xs) == 1
	input.action == "c"
}

allow if {
	input.action == "d"
	input.user == "u" with input.user as "u"
}

allow if not input.action == "e"

allow if input.action == input.other

allow if input.action == data.actions.f

allow if input.action == 7

allow if {
	print("here")
	input.action == "g"
}
`;
    expect(indexesOf(text)).toEqual({});
  });

  it("leaves alone rules with else, defaults, and objects built key by key", () => {
    const text = `package p

default grade := "none"

grade := "a" if input.score == "top"
else := "b" if input.score == "mid"

grade := "c" if input.score == "low"

labels[k] := 1 if {
	input.kind == "x"
	some k in input.keys
}

labels[k] := 2 if {
	input.kind == "y"
	some k in input.keys
}
`;
    expect(indexesOf(text)).toEqual({});
  });

  it("needs at least two bodies testing the field", () => {
    expect(indexesOf(`package p\n\nallow if input.action == "a"\n\nallow if input.user == "u"\n`)).toEqual({});
  });
});

const POLICY = `package idx

groups_of := data.groups[input.user]

in_group(g) if g in data.groups[input.user]

default allow := false

allow if {
	in_group("admins")
	input.action == "delete"
}

allow if input.action in {"read", "list"}

allow if {
	input.action == "write"
	input.user == data.owner
}

allow if "approve" == input.action

allow if input.action = "sudo"

reasons contains "read" if input.action == "read"

reasons contains "bad" if {
	in_group("banned")
	input.action in ["write", "delete"]
}

reasons contains msg if {
	input.action == "list"
	msg := sprintf("%v lists", [input.user])
}

reasons contains "any" if input.user == "ann"

kind := "r" if input.action == "read"

kind := "w" if input.action == "write"

kind := "x" if input.action == "write"

# more values than the inline comparisons take: a lookup table
code := 1 if input.action in {"read", "list", "write", "delete"}

code := 2 if input.action in {"approve", "sudo", "other", "READ", "a", "b"}

code := 3 if input.action == "zz"
`;

function outcome(f: () => Value | undefined): unknown {
  try {
    const v = f();
    return { value: v === undefined ? "<undefined>" : JSON.parse(JSON.stringify(toJSON(v))) };
  } catch (e) {
    if (e instanceof EvalError) return { error: e.code };
    throw e;
  }
}

describe("indexed evaluation", () => {
  const data = { groups: { ann: ["admins"], bob: ["banned"], cy: [] }, owner: "cy" };
  const policy = Policy.compile([{ file: "idx.rego", text: POLICY }], { data });

  it("is in the generated code, with comments", () => {
    const source = policy.compiled.source;
    expect(source).toContain("// rule index on input.action: 5 bodies run only for the values they test");
    expect(source).toContain("// rule index on input.action: 3 bodies run only for the values they test");
    expect(source).toMatch(/const IX\d+ = rt\.bodyIndex\(3, \{"read":\[0\]/);
    expect(source).toMatch(/\/\* index: body 0 \*\/ if \(\(ixc\d+ & 1\) !== 0\)/);
  });

  it("answers as the reference interpreter, whatever the field holds", () => {
    const action = fc.oneof(
      fc.constantFrom("read", "list", "write", "delete", "approve", "sudo", "other", "READ", "zz", "b"),
      fc.constantFrom(1, true, null, ["read"], { read: 1 }),
    );
    const input = fc.record({ action, user: fc.constantFrom("ann", "bob", "cy", "dee") }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(input, fc.constantFrom(undefined, "read", 3)), (input) => {
        for (const path of [["idx", "allow"], ["idx", "reasons"], ["idx", "kind"], ["idx", "code"], ["idx"]]) {
          const compiled = outcome(() => policy.evaluate(path, { input: input as Value }));
          const reference = outcome(() => policy.evaluate(path, { input: input as Value, engine: "reference" }));
          expect(compiled, `data.${path.join(".")} for ${JSON.stringify(input)}`).toEqual(reference);
        }
      }),
      { seed: 20261122, numRuns: 300 },
    );
    expect(outcome(() => policy.evaluate(["idx", "kind"], { input: { action: "write" } }))).toEqual({ error: "eval_conflict_error" });
  });

  it("honours with on input and on functions", () => {
    const queries = [
      'data.idx.allow with input as {"action": "read"}',
      'data.idx.allow with input.action as "delete" with input.user as "ann"',
      'data.idx.allow with input as {"action": "delete", "user": "bob"} with data.idx.in_group as true',
      'data.idx.reasons with input as {"action": "write", "user": "bob"}',
    ];
    for (const q of queries) expect(policy.query(q), q).toEqual(policy.query(q, { engine: "reference" }));
    expect(policy.query(queries[2]!)).toEqual([{}]);
  });
});
