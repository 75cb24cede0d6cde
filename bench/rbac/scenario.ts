// The peer benchmark scenario (../shared/bench-scenario/scenario.mjs) as Guard data: users, the transitive
// closure of their groups and of action groups (prebuilt, as the hand-written baseline prebuilds them), documents.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface RbacRequest {
  principal: string;
  action: string;
  resource: string;
  context: { ip: string; hour: number; mfa: boolean };
  expect?: boolean;
}

export interface RbacData {
  users: Record<string, { department: string; level: number; suspended: boolean; groups: string[] }>;
  user_groups: Record<string, string[]>;
  action_ancestors: Record<string, string[]>;
  documents: Record<string, { owner: string; classification: string; department: string; public: boolean; folder: string; sharedWith?: string[] }>;
}

/** The repository root, from bench/rbac (sources) or dist/bench/rbac (compiled). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const SCENARIO_FILE = join(repoRoot(), "..", "shared", "bench-scenario", "scenario.mjs");

interface Scenario {
  users: RbacData["users"];
  documents: RbacData["documents"];
  actionGroups: Record<string, string[]>;
  groupClosure(groups: string[]): Set<string>;
  mainRequest: RbacRequest;
  testRequests: RbacRequest[];
}

/** The scenario's data and requests, or undefined when ../shared/bench-scenario is not there. */
export async function loadScenario(): Promise<{ data: RbacData; main: RbacRequest; requests: RbacRequest[] } | undefined> {
  if (!existsSync(SCENARIO_FILE)) return undefined;
  const s = (await import(pathToFileURL(SCENARIO_FILE).href)) as Scenario;
  const closure = (a: string): string[] => {
    const out = new Set<string>([a]);
    const stack = [...(s.actionGroups[a] ?? [])];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (out.has(x)) continue;
      out.add(x);
      stack.push(...(s.actionGroups[x] ?? []));
    }
    return [...out];
  };
  const data: RbacData = {
    users: s.users,
    user_groups: Object.fromEntries(Object.entries(s.users).map(([u, v]) => [u, [...s.groupClosure(v.groups)]])),
    action_ancestors: Object.fromEntries(Object.keys(s.actionGroups).map((a) => [a, closure(a)])),
    documents: s.documents,
  };
  return { data, main: s.mainRequest, requests: s.testRequests };
}
