// The aci benchmark's loading: the suite's cases and modules as the conformance runner reads them, and the prepared
// entrypoints answering what the cases expect. No timing here.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACI_DIR, caseSources, loadAci, prepareAciCase } from "./aci.js";

describe("aci benchmark", () => {
  it("reports a missing suite as absent", () => {
    expect(loadAci(join(ACI_DIR, "no-such-folder"))).toBeUndefined();
  });

  it.skipIf(!existsSync(join(ACI_DIR, "aci.yaml")))("reads the cases and prepares entrypoints that agree with the cases' queries", () => {
    const suite = loadAci()!;
    expect(suite.sources.map((s) => s.file).sort()).toEqual(["api.rego", "framework.rego", "policy.rego"]);
    expect(suite.cases.length).toBeGreaterThanOrEqual(9);
    const fragment = suite.cases.find((c) => c.rule === "load_fragment")!;
    expect(caseSources(fragment.case).length).toBeGreaterThan(3); // an inline module besides the three files
    for (const c of [suite.cases[0]!, suite.cases.find((x) => x.rule === "shutdown_container")!]) {
      const p = prepareAciCase(c); // throws unless both engines pass the case
      expect(p.compiled(p.input)).toEqual(p.reference(p.input));
    }
  });
});
