// A deterministic, realistic policy corpus for benchmarks: many packages of RBAC / ABAC / admission-control rules
// with comprehensions, some/every, functions, else chains, strings with escapes, raw strings, numbers and comments.

export interface CorpusFile {
  name: string;
  text: string;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const ORGS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"];
const DOMAINS = ["billing", "k8s", "storage", "network", "identity", "agents", "ci", "data", "payments", "support"];
const RESOURCES = ["bucket", "cluster", "repo", "invoice", "ticket", "secret", "deployment", "namespace", "dataset", "pipeline"];
const ACTIONS = ["read", "write", "delete", "approve", "deploy", "rotate", "list", "admin"];
const ROLES = ["admin", "editor", "viewer", "auditor", "owner", "operator", "billing-admin", "sre"];
const TEAMS = ["platform", "payments", "search", "ml", "infra", "security", "growth"];
const COMMENTS = [
  "Deny by default; every allow rule below must be justified by a ticket.",
  "See the access-control design doc for the meaning of each role.",
  "TODO: tighten once the migration to scoped tokens is done.",
  "Keep this list in sync with the IdP group mapping.",
  "Temporary exception for the on-call rotation (expires at the end of the quarter).",
  "Les règles ci-dessous s'appliquent aussi aux comptes de service — ü é ß.",
];

function comment(r: Rng, indent = ""): string {
  return `${indent}# ${pick(r, COMMENTS)}\n`;
}

function stringSet(r: Rng, xs: readonly string[], n: number): string {
  const chosen = new Set<string>();
  while (chosen.size < n) chosen.add(pick(r, xs));
  return `{${[...chosen].map((x) => JSON.stringify(x)).join(", ")}}`;
}

type Template = (r: Rng, ctx: Ctx) => string;

interface Ctx {
  org: string;
  domain: string;
  resource: string;
  i: number;
  n: number;
}

const TEMPLATES: Template[] = [
  // RBAC: roles from the token, permissions from data
  (r, c) => `${comment(r)}allow if {
	some role in input.user.roles
	some grant in data.${c.org}.roles[role].grants
	grant.action == input.action
	grant.resource == "${c.resource}"
}
`,
  (r, c) => `${c.resource}_roles_${c.n} := ${stringSet(r, ROLES, int(r, 2, 5))}

allow if {
	input.action in {"read", "list"}
	some role in input.user.roles
	role in ${c.resource}_roles_${c.n}
}
`,
  // ABAC: owner, department, time window
  (r, _c) => `allow if {
	input.user.id == input.resource.owner
	not input.resource.locked
	input.resource.department == input.user.department
	time.now_ns() < input.resource.expires_ns # ns since the epoch
	input.resource.size_bytes <= ${int(r, 1, 64) * 1048576}
}
`,
  // admission: images from a trusted registry
  (_r, c) => `deny contains msg if {
	some i, container in input.request.object.spec.containers
	not startswith(container.image, "registry.${c.org}.com/")
	msg := sprintf("container %d (%s) uses an untrusted image %q", [i, container.name, container.image])
}
`,
  (r, _c) => `deny contains {"msg": "privileged containers are not allowed", "container": container.name, "code": ${int(r, 1000, 9999)}} if {
	some container in input.request.object.spec.containers
	container.securityContext.privileged == true
}
`,
  // partial object with a set comprehension
  (_r, c) => `permissions_${c.n}[user] := perms if {
	some user in data.${c.org}.users
	perms := {p |
		some binding in data.${c.org}.bindings[user]
		some p in data.${c.org}.roles[binding.role].permissions
	}
}
`,
  // functions with several definitions
  (r, c) => `is_valid_name_${c.n}(name) if {
	count(name) > ${int(r, 1, 3)}
	count(name) <= ${int(r, 32, 253)}
	regex.match(\`^[a-z][a-z0-9-]*[a-z0-9]$\`, name)
}

is_valid_name_${c.n}(name) := false if name == ""
`,
  (r, c) => `quota_${c.n}(tier) := ${int(r, 10, 100)} if tier == "free"
else := ${int(r, 100, 1000)} if tier == "team"
else := ${int(r, 1000, 100000)}
`,
  // every
  (r, c) => `all_tagged_${c.n} if {
	every res in input.resources {
		res.tags.team in ${stringSet(r, TEAMS, int(r, 2, 4))}
		res.tags["cost-center"] != ""
	}
}
`,
  // else chain on a decision
  (r, c) => `decision_${c.n} := "allow" if {
	allow
} else := "review" if {
	count(deny) < ${int(r, 2, 5)}
	input.user.mfa == true
} else := "deny"
`,
  // object literal with numbers of every kind
  (r, c) => `limits_${c.n} := {
	"cpu_millis": ${int(r, 100, 8000)},
	"memory_bytes": ${int(r, 1, 64)}${pick(r, ["000000000", "073741824"])},
	"ratio": ${(r() * 10).toFixed(3)},
	"scale": ${int(r, 1, 9)}.${int(r, 0, 99)}e-${int(r, 1, 9)},
	"big": 123456789012345678901234567890,
	"negative": -${int(r, 1, 500)},
	"enabled": ${pick(r, ["true", "false"])},
	"owner": null,
}
`,
  // grouping with object / set comprehensions and a ref-head multi-value rule
  (_r, c) => `grouped_${c.n}[kind] contains name if {
	some res in input.resources
	kind := lower(res.kind)
	name := res.metadata.name
}

summary_${c.n} := {
	"allowed": allow,
	"violations": count(deny),
	"by_kind": {k: count(names) | some k, names in grouped_${c.n}},
	"teams": [t | some res in input.resources; t := res.tags.team],
}
`,
  // strings with escapes, raw strings, with modifiers in tests-like rules
  (r, c) => `message_${c.n} := concat("\\n", [
	"Access to \\"${c.resource}\\" was denied.",
	"Contact the ${pick(r, TEAMS)} team — \\u00e9quipe ${pick(r, TEAMS)}.",
	\`Path: C:\\Users\\${c.org}\\${c.resource}\`,
])

check_as_admin_${c.n} if {
	allow with input.user.roles as ["admin"] with input.action as "${pick(r, ACTIONS)}"
}
`,
  // ref heads
  (_r, c) => `report.${c.domain}.${c.resource}.count_${c.n} := count([x | some x in input.items; x.kind == "${c.resource}"])

report.${c.domain}.by_owner_${c.n}[owner] := total if {
	some owner in {item.owner | some item in input.items}
	total := sum([item.cost | some item in input.items; item.owner == owner])
}
`,
  // network: cidr and arithmetic
  (r, c) => `ingress_ok_${c.n} if {
	some rule in input.firewall.rules
	net.cidr_contains("10.${int(r, 0, 255)}.0.0/16", rule.source)
	rule.port >= ${int(r, 1, 1024)}
	rule.port < ${int(r, 1025, 65535)}
	(rule.port % 2) == 0
	not rule.source in data.${c.org}.blocked_cidrs
}
`,
  // agent gateway style: tool calls
  (r, c) => `dangerous_${c.n} := [\`rm -rf\`, "curl | sh", "chmod 777", "mkfs"]

tool_allowed_${c.n} if {
	input.tool.name in {"Read", "Grep", "Glob"}
}

tool_allowed_${c.n} if {
	input.tool.name == "Bash"
	cmd := input.tool.input.command
	not contains_any_${c.n}(cmd, dangerous_${c.n})
	count(cmd) < ${int(r, 200, 4000)}
}

contains_any_${c.n}(s, patterns) if {
	some p in patterns
	contains(s, p)
}
`,
  (_r, c) => `default allow_${c.n} := false

allow_${c.n} if { input.user.id in data.${c.org}.break_glass; input.reason != "" }
`,
];

function file(r: Rng, index: number): CorpusFile {
  const org = pick(r, ORGS);
  const domain = pick(r, DOMAINS);
  const resource = pick(r, RESOURCES);
  const lines: string[] = [];
  lines.push(`# Policies for ${org}/${domain}: access to ${resource}s (generated file ${index}).`);
  if (r() < 0.3) lines.push(`# METADATA\n# title: ${org} ${domain} ${resource} policy\n# description: Generated for benchmarks.\n# scope: package`);
  lines.push(`package ${org}.${domain}.${resource}_${index}\n`);
  lines.push("import rego.v1");
  if (r() < 0.5) lines.push(`import data.${org}.lib.helpers as h`);
  if (r() < 0.3) lines.push("import input.request");
  lines.push("");
  lines.push("default allow := false\n");
  const n = int(r, 14, 26);
  for (let k = 0; k < n; k++) {
    const ctx: Ctx = { org, domain, resource, i: index, n: k };
    lines.push(pick(r, TEMPLATES)(r, ctx));
  }
  return { name: `${org}/${domain}/${resource}_${index}.rego`, text: lines.join("\n") };
}

/** Files totalling at least `minBytes` (UTF-8), always the same for the same seed. */
export function generateCorpus(minBytes: number, seed = 42): CorpusFile[] {
  const r = prng(seed);
  const files: CorpusFile[] = [];
  let bytes = 0;
  while (bytes < minBytes) {
    const f = file(r, files.length);
    files.push(f);
    bytes += Buffer.byteLength(f.text, "utf8");
  }
  return files;
}
