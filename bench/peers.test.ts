// The peers benchmark's engines: each loads and answers the peer scenario's 21 requests as expected (loadPeers
// checks every answer and throws on a wrong one). No timing here.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CASBIN_ROWS } from "./peers/casbin.js";
import { loadPeers } from "./peers.js";
import { SCENARIO_FILE } from "./rbac/scenario.js";

describe("peers benchmark", () => {
  it("writes the scenario's 21 policies as 21 casbin rows", () => {
    expect(CASBIN_ROWS).toHaveLength(21);
    expect(new Set(CASBIN_ROWS.map((r) => r[3]))).toEqual(new Set(["allow", "deny"]));
  });

  it.skipIf(!existsSync(SCENARIO_FILE))("loads Guard, the hand-written function, cedar-wasm and casbin, all answering the 21 requests", async () => {
    const loaded = await loadPeers();
    expect(loaded).toBeDefined();
    expect(loaded!.engines.map((e) => e.engine.name)).toEqual(["Guard compiled", "hand-written TypeScript", "Cedar (cedar-wasm)", "casbin"]);
    expect(loaded!.requests).toHaveLength(21);
    for (const { engine } of loaded!.engines) {
      expect(engine.decide(engine.prepare(loaded!.main)), engine.name).toBe(true);
    }
  });
});
