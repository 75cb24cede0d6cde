// How compile time grows with the size of a bundle: generated bundles of 100, 1,000 and 10,000 rules in realistic
// shapes (partial sets with conditions on input, helper functions, comprehensions, every, else chains, partial
// objects over data, cross-package helper calls, a decision object per package), parsed and compiled, then the
// first decision (code generation + one evaluation). The sizes are timed in rounds, interleaved.
import { performance } from "node:perf_hooks";
import { Policy, type Source } from "../engine/engine.js";
import { fromJSON, type Value } from "../engine/value/value.js";
import { parseModule } from "../lang/parse.js";
import { fmt, gc, machineLine } from "./peers/harness.js";
import { median } from "./parse.js";

export interface GeneratedBundle {
  sources: Source[];
  data: unknown;
  /** Rule definitions (each `name … if { … }` counts once; defaults included). */
  rules: number;
  packages: string[];
  bytes: number;
  /** The first package's decision path and an input for it. */
  decision: string[];
  input: unknown;
}

const LIB = `package lib.util

has_role(user, role) if role in user.roles

in_team(user, team) if user.team == team

image_registry(image) := r if {
	parts := split(image, "/")
	count(parts) > 1
	r := parts[0]
} else := "docker.io"
`;

/** One rule of package p, shape i % 8. */
function rule(i: number): string {
  switch (i % 8) {
    case 0:
      return `deny contains msg if {
	input.request.kind == "Kind${i % 37}"
	input.request.replicas > ${i % 10}
	msg := sprintf("r${i}: %s has too many replicas (%d)", [input.request.name, input.request.replicas])
}`;
    case 1:
      return `owns_${i}(user, res) if {
	res.owner == user.name
	user.department == "dept${i % 7}"
}`;
    case 2:
      return `allow_${i} if {
	util.has_role(input.user, "role${i % 13}")
	owns_${i - 1}(input.user, input.resource)
	input.request.method in {"GET", "HEAD", "OPTIONS"}
}`;
    case 3:
      return `warn contains w if {
	some c in input.request.containers
	util.image_registry(c.image) == "registry${i % 5}.example.com"
	not c.securityContext.runAsNonRoot
	w := {"rule": "r${i}", "container": c.name}
}`;
    case 4:
      return `limits_${i}[name] := v if {
	some name, v in data.limits.tier${i % 3}
	v > ${i % 100}
}`;
    case 5:
      return `level_${i} := "high" if {
	input.score > ${i % 50}
} else := "medium" if {
	input.score > ${i % 20}
} else := "low"`;
    case 6:
      return `signed_${i} if {
	every c in input.request.containers {
		contains(c.image, "@sha256:")
		not startswith(c.image, "untrusted${i % 11}/")
	}
}`;
    default:
      return `team_${i} := {n | some u in input.users; util.in_team(u, "team${i % 9}"); n := u.name}`;
  }
}

/** A bundle of about `rules` rules in a few packages (about sqrt(rules) / 10 + 1), deterministic. */
export function generateBundle(rules: number): GeneratedBundle {
  const packages = Math.ceil(Math.sqrt(rules) / 10) + 1;
  const perPackage = Math.ceil((rules - 3) / packages) - 5; // each package also has allow, its default, a decision, a deny and a warn
  const sources: Source[] = [{ file: "lib/util.guard", text: LIB }];
  let count = 3;
  const names: string[] = [];
  for (let p = 0; p < packages && count < rules; p++) {
    const name = `acme.svc${p}.authz`;
    names.push(name);
    const body: string[] = [`package ${name}`, "", "import data.lib.util", "", "default allow := false", "", "allow if count(deny) == 0", ""];
    count += 2;
    for (let i = 0; i < perPackage && count < rules - 3; i++, count++) body.push(rule(i), "");
    body.push('decision := {"allow": allow, "deny": deny, "warn": warn}', "");
    count++;
    // a package that ends before a deny or warn rule still needs both
    body.push("deny contains msg if {\n\tinput.request.kind == \"Forbidden\"\n\tmsg := \"forbidden kind\"\n}", "", "warn contains w if {\n\tinput.request.dryRun\n\tw := \"dry run\"\n}", "");
    count += 2;
    sources.push({ file: `${name.replaceAll(".", "/")}/policy.guard`, text: body.join("\n") });
  }
  const tier = (k: number) => Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`res${j}`, (j * 7 + k * 13) % 120]));
  const input = {
    request: {
      kind: "Kind2",
      name: "web",
      replicas: 3,
      method: "GET",
      dryRun: false,
      containers: [
        { name: "app", image: "registry3.example.com/app@sha256:abc", securityContext: { runAsNonRoot: false } },
        { name: "sidecar", image: "envoy:1.30", securityContext: { runAsNonRoot: true } },
      ],
    },
    user: { name: "ann", department: "dept3", roles: ["role4", "role7"], team: "team1" },
    resource: { owner: "ann" },
    score: 33,
    users: [
      { name: "ann", team: "team1" },
      { name: "bob", team: "team2" },
    ],
  };
  return {
    sources,
    data: { limits: { tier0: tier(0), tier1: tier(1), tier2: tier(2) } },
    rules: count,
    packages: ["lib.util", ...names],
    bytes: sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0),
    decision: [...names[0]!.split("."), "decision"],
    input,
  };
}

export interface ScaleResult {
  rules: number;
  packages: number;
  bytes: number;
  parseMs: number;
  compileMs: number;
  firstDecisionMs: number;
  secondDecisionUs: number;
}

function once(b: GeneratedBundle): { parseMs: number; compileMs: number; firstDecisionMs: number; secondDecisionUs: number } {
  gc();
  let t0 = performance.now();
  for (const s of b.sources) parseModule(s.text, { file: s.file });
  const parseMs = performance.now() - t0;
  gc();
  t0 = performance.now();
  const policy = Policy.compile(b.sources, { data: b.data });
  const compileMs = performance.now() - t0;
  const input = fromJSON(b.input) as Value;
  t0 = performance.now();
  const decide = policy.entrypoint(b.decision);
  if (decide(input) === undefined) throw new Error("compile-scale: the first decision is undefined");
  const firstDecisionMs = performance.now() - t0;
  t0 = performance.now();
  decide(input);
  const secondDecisionUs = (performance.now() - t0) * 1000;
  return { parseMs, compileMs, firstDecisionMs, secondDecisionUs };
}

export function measureCompileScale(sizes: number[] = [100, 1_000, 10_000], rounds = 5): ScaleResult[] {
  const bundles = sizes.map((n) => generateBundle(n));
  for (const b of bundles) once(b); // warm-up: the compiler's own code gets optimized
  const samples = bundles.map(() => [] as ReturnType<typeof once>[]);
  for (let r = 0; r < rounds; r++) for (let k = 0; k < bundles.length; k++) samples[k]!.push(once(bundles[k]!));
  return bundles.map((b, k) => {
    const s = samples[k]!;
    return {
      rules: b.rules,
      packages: b.packages.length,
      bytes: b.bytes,
      parseMs: median(s.map((x) => x.parseMs)),
      compileMs: median(s.map((x) => x.compileMs)),
      firstDecisionMs: median(s.map((x) => x.firstDecisionMs)),
      secondDecisionUs: median(s.map((x) => x.secondDecisionUs)),
    };
  });
}

export function runCompileScaleBench(): string {
  const header = machineLine("npm run bench -- compile");
  const rounds = 5;
  const results = measureCompileScale(undefined, rounds);
  for (const r of results) {
    console.log(`compile [${r.rules} rules]: parse ${r.parseMs.toFixed(1)} ms, parse + compile ${r.compileMs.toFixed(1)} ms, first decision ${r.firstDecisionMs.toFixed(1)} ms`);
  }
  const base = results[0]!;
  const rows = results.map((r, k) => {
    const prev = results[k - 1];
    const marginal = prev ? fmt(((r.compileMs - prev.compileMs) * 1000) / (r.rules - prev.rules), 1) : "—";
    return (
      `| ${fmt(r.rules)} | ${r.packages} | ${fmt(r.bytes / 1000, 0)} KB | ${r.parseMs.toFixed(1)} | **${r.compileMs.toFixed(1)}** | ${(r.compileMs - r.parseMs).toFixed(1)} | ` +
      `${fmt((r.compileMs * 1000) / r.rules, 1)} | ${marginal} | ${r.firstDecisionMs.toFixed(1)} | ${fmt(r.secondDecisionUs, 1)} |`
    );
  });
  const last = results[results.length - 1]!;
  return [
    "## Compile time at scale",
    "",
    header,
    "",
    "Generated bundles (deterministic: `bench/compile-scale.ts`): a `lib.util` package of helpers and a few service",
    "packages whose rules cycle through eight shapes: `deny contains msg if {…}` over input with `sprintf`, helper",
    "functions, boolean rules calling a helper of the same and of another package, `warn contains {…}` over",
    "`some c in input…`, partial objects over `data`, `else` chains, `every`, set comprehensions; each package ends",
    "with a `decision` object. *parse + compile* is `Policy.compile` (parse, resolve, checks, rule tree); *first decision*",
    "is `policy.entrypoint([…, \"decision\"])` of the first service package and its first call (code generation is",
    `lazy, so it is paid here), *second decision* the next call. *compile only* is the median parse + compile less`,
    "the median parse; *µs per added rule* is the growth from the size above. Sizes timed in " + `${rounds} interleaved rounds after a warm-up; medians.`,
    "",
    "| rules | packages | source | parse ms | parse + compile ms | compile only ms | µs per rule | µs per added rule | first decision ms | second decision µs |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `From ${fmt(base.rules)} to ${fmt(last.rules)} rules (${fmt(last.rules / base.rules)}x) parse + compile takes ${fmt(last.compileMs / base.compileMs, 1)}x as long: ` +
      `${fmt((last.compileMs * 1000) / last.rules, 1)} µs per rule at ${fmt(last.rules)} against ${fmt((base.compileMs * 1000) / base.rules, 1)} µs at ${fmt(base.rules)}.`,
  ].join("\n");
}
