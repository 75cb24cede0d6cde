// Cedar (@cedar-policy/cedar-wasm, the Node.js build, from this repository's node_modules) on the peer scenario, as
// ../shared/bench-scenario/cedar.mjs calls it: the 21 policies preparsed once (preparsePolicySet), each decision a
// statefulIsAuthorized call with the request's entity slice (principal and its groups, resource and its folder,
// the action entities), built ahead of the timing.
import type { PeerEngine, PeerScenario } from "./scenario.js";

type Cedar = typeof import("@cedar-policy/cedar-wasm/nodejs");
type StatefulCall = Parameters<Cedar["statefulIsAuthorized"]>[0];

const POLICY_SET_ID = "rbac";

export interface CedarEngine extends PeerEngine<StatefulCall> {
  version: string;
}

export async function loadCedar(s: PeerScenario): Promise<CedarEngine> {
  const cedar: Cedar = await import("@cedar-policy/cedar-wasm/nodejs");
  const parsed = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: s.cedarPolicies });
  if (parsed.type !== "success") throw new Error(`cedar: the scenario's policies do not parse: ${JSON.stringify(parsed.errors)}`);
  return {
    name: "Cedar (cedar-wasm)",
    how: "`preparsePolicySet` once, then `statefulIsAuthorized` with the request's entity slice (prebuilt)",
    version: cedar.getCedarVersion(),
    prepare: (q) => ({ ...s.cedarCallParts(q), preparsedPolicySetId: POLICY_SET_ID, entities: s.cedarEntitiesSlice(q) }) as StatefulCall,
    decide: (call) => {
      const answer = cedar.statefulIsAuthorized(call);
      if (answer.type !== "success") throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
      return answer.response.decision === "allow";
    },
  };
}
