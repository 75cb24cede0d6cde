// The peer scenario module (../shared/bench-scenario/scenario.mjs) as the peer runners read it: its data, its Cedar
// policy text and entity builders. The path is the one bench/rbac/scenario.ts loads Guard's data from.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { SCENARIO_FILE, type RbacRequest } from "../rbac/scenario.js";

export interface PeerScenario {
  users: Record<string, { department: string; level: number; suspended: boolean; groups: string[] }>;
  documents: Record<string, { owner: string; classification: string; department: string; public: boolean; folder: string; sharedWith?: string[] }>;
  groupParents: Record<string, string[]>;
  actionGroups: Record<string, string[]>;
  mainRequest: RbacRequest;
  testRequests: RbacRequest[];
  cedarPolicies: string;
  cedarEntitiesSlice(req: RbacRequest): unknown[];
  cedarEntitiesAll(): unknown[];
  cedarCallParts(req: RbacRequest): { principal: unknown; action: unknown; resource: unknown; context: unknown };
}

/** The scenario module, or undefined when ../shared/bench-scenario is not there. */
export async function loadPeerScenario(): Promise<PeerScenario | undefined> {
  if (!existsSync(SCENARIO_FILE)) return undefined;
  return (await import(pathToFileURL(SCENARIO_FILE).href)) as PeerScenario;
}

/** An engine under test: `prepare` turns a request into the engine's own call (outside the timing), `decide` answers. */
export interface PeerEngine<P = unknown> {
  name: string;
  /** How the engine is called, for the table's notes. */
  how: string;
  prepare(q: RbacRequest): P;
  decide(prepared: P): boolean;
}
