// casbin (node-casbin) on the peer scenario, with the model of ../shared/bench-scenario/casbin.mjs ("same
// semantics"): the 21 policies as 21 policy rows whose conditions are eval() expressions over the request's subject,
// object and context attributes; users' groups, group parents, documents' folders and action groups as role
// links (g, g2, g3). Allow when some allow row matches and no deny row does. Built in memory (no files).
import type { RbacRequest } from "../rbac/scenario.js";
import type { PeerEngine, PeerScenario } from "./scenario.js";

export const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act, ctx

[policy_definition]
p = role, act, cond, eft

[role_definition]
g = _, _
g2 = _, _
g3 = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = (p.role == "*" || g(r.sub.id, p.role)) && (p.act == "*" || g3(r.act, p.act)) && eval(p.cond)
`;

const isDoc = 'r.obj.type == "Document"';

/** The 21 policies (p01 … p21), as casbin.mjs writes them. */
export const CASBIN_ROWS: string[][] = [
  ["admins", "*", "true", "allow"],
  ["employees", "read", `${isDoc} && (r.obj.classification == "public" || r.obj.classification == "internal")`, "allow"],
  ["*", "write", `${isDoc} && r.obj.owner == r.sub.id`, "allow"],
  ["engineers", "*", '(r.act == "view" || r.act == "edit") && g2(r.obj.id, "eng-docs") && ipMatch(r.ctx.ip, "10.0.0.0/8")', "allow"],
  ["auditors", "read", "r.ctx.hour >= 9 && r.ctx.hour < 18", "allow"],
  ["contractors", "admin", "true", "deny"],
  ["*", "*", `${isDoc} && r.obj.classification == "secret" && !g(r.sub.id, "cleared")`, "deny"],
  ["*", "admin", "!r.ctx.mfa", "deny"],
  ["*", "view", `${isDoc} && r.obj.public == true`, "allow"],
  ["managers", "approve", `${isDoc} && r.obj.department == r.sub.department`, "allow"],
  ["*", "comment", `${isDoc} && r.sub.level >= 3 && r.obj.department == r.sub.department`, "allow"],
  ["*", "*", 'ipMatch(r.ctx.ip, "192.168.100.0/24")', "deny"],
  ["support", "*", '(r.act == "view" || r.act == "list" || r.act == "comment") && r.obj.type == "Ticket"', "allow"],
  ["*", "delete", `r.sub.id == "bob" && ${isDoc} && r.obj.id == "d-42"`, "allow"],
  ["hr", "read", `${isDoc} && r.obj.department == "hr"`, "allow"],
  ["finance", "read", 'g2(r.obj.id, "fin-docs") && r.ctx.hour >= 8 && r.ctx.hour < 20', "allow"],
  ["*", "share", `${isDoc} && r.obj.classification == "confidential"`, "deny"],
  ["*", "*", "r.sub.suspended == true", "deny"],
  ["engineers", "list", 'r.obj.type == "Folder"', "allow"],
  ["*", "read", `${isDoc} && contains(r.obj.sharedWith, r.sub.id)`, "allow"],
  ["contractors", "*", "!(r.ctx.hour >= 8 && r.ctx.hour < 18)", "deny"],
];

type Args = [Record<string, unknown>, Record<string, unknown>, string, RbacRequest["context"]];

export async function loadCasbin(s: PeerScenario): Promise<PeerEngine<Args> & { version: string }> {
  const casbin = await import("casbin");
  const enforcer = await casbin.newEnforcer(casbin.newModelFromString(CASBIN_MODEL));
  await enforcer.addFunction("contains", (list: unknown, x: unknown) => Array.isArray(list) && list.includes(x));
  await enforcer.addPolicies(CASBIN_ROWS);
  for (const [u, x] of Object.entries(s.users)) for (const g of x.groups) await enforcer.addGroupingPolicy(u, g);
  for (const [g, ps] of Object.entries(s.groupParents)) for (const p of ps) await enforcer.addGroupingPolicy(g, p);
  for (const [d, x] of Object.entries(s.documents)) await enforcer.addNamedGroupingPolicy("g2", d, x.folder);
  for (const [a, ps] of Object.entries(s.actionGroups)) for (const p of ps) await enforcer.addNamedGroupingPolicy("g3", a, p);
  const { createRequire } = await import("node:module");
  const version = (createRequire(import.meta.url)("casbin/package.json") as { version: string }).version;
  return {
    name: "casbin",
    how: "`enforceSync` on the 21 policies as eval() rows (the model of casbin.mjs), attribute objects prebuilt",
    version,
    prepare: (q) => {
      const u = s.users[q.principal]!;
      const d = s.documents[q.resource]!;
      return [
        { id: q.principal, department: u.department, level: u.level, suspended: u.suspended },
        { type: "Document", id: q.resource, owner: d.owner, classification: d.classification, department: d.department, public: d.public, sharedWith: d.sharedWith ?? [] },
        q.action,
        q.context,
      ];
    },
    decide: (args) => enforcer.enforceSync(...args),
  };
}
