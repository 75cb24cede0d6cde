// The same 21 policies written by hand in TypeScript over the same prebuilt data: the limit a compiled policy
// can approach.
import type { RbacData, RbacRequest } from "./scenario.js";

function ipv4(s: string): number {
  let n = 0;
  let part = 0;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (!digits || part > 255) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      digits++;
    } else return -1;
  }
  if (dots !== 3 || !digits || part > 255) return -1;
  return n * 256 + part;
}

const inRange = (ip: number, base: number, size: number) => ip >= base && ip < base + size;
const NET10 = [ipv4("10.0.0.0"), 2 ** 24] as const;
const BLOCKED = [ipv4("192.168.100.0"), 2 ** 8] as const;

export function handwrittenDecide(data: RbacData, q: RbacRequest): boolean {
  const user = data.users[q.principal];
  const doc = data.documents[q.resource];
  const groups = data.user_groups[q.principal] ?? [];
  const actions = data.action_ancestors[q.action] ?? [];
  const inGroup = (g: string) => groups.includes(g);
  const actionIn = (a: string) => actions.includes(a);
  const ip = ipv4(q.context.ip);
  const hour = q.context.hour;
  const deny =
    (inGroup("contractors") && actionIn("admin")) ||
    (doc !== undefined && doc.classification === "secret" && !inGroup("cleared")) ||
    (actionIn("admin") && !q.context.mfa) ||
    inRange(ip, BLOCKED[0], BLOCKED[1]) ||
    (q.action === "share" && doc !== undefined && doc.classification === "confidential") ||
    user?.suspended === true ||
    (inGroup("contractors") && !(hour >= 8 && hour < 18));
  if (deny) return false;
  if (inGroup("admins")) return true;
  if (doc === undefined) return false;
  return (
    (inGroup("employees") && actionIn("read") && (doc.classification === "public" || doc.classification === "internal")) ||
    (actionIn("write") && doc.owner === q.principal) ||
    (inGroup("engineers") && (q.action === "view" || q.action === "edit") && doc.folder === "eng-docs" && inRange(ip, NET10[0], NET10[1])) ||
    (inGroup("auditors") && actionIn("read") && hour >= 9 && hour < 18) ||
    (q.action === "view" && doc.public === true) ||
    (user !== undefined && inGroup("managers") && q.action === "approve" && doc.department === user.department) ||
    (user !== undefined && q.action === "comment" && user.level >= 3 && doc.department === user.department) ||
    (q.principal === "bob" && q.action === "delete" && q.resource === "d-42") ||
    (inGroup("hr") && actionIn("read") && doc.department === "hr") ||
    (inGroup("finance") && actionIn("read") && doc.folder === "fin-docs" && hour >= 8 && hour < 20) ||
    (actionIn("read") && (doc.sharedWith ?? []).includes(q.principal))
  );
}
