// The ratchet: every OPA conformance case listed in passing.txt must still pass.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatSummary, readRatchet, SHARED_CASES } from "./opa-conformance.js";
import { caseId, runConformance } from "./opa-runner.js";

const present = existsSync(SHARED_CASES);
if (!present) console.warn(`OPA conformance cases skipped: ${SHARED_CASES} does not exist`);

describe.skipIf(!present)("OPA conformance cases", () => {
  it("keeps passing every case in the ratchet file", () => {
    const summary = runConformance([SHARED_CASES]);
    console.log(formatSummary(summary));
    const ratchet = readRatchet();
    const regressed = summary.results
      .filter((r) => ratchet.has(caseId(r)) && r.outcome.status !== "pass")
      .map((r) => `${caseId(r)}: ${r.outcome.status === "pass" ? "" : r.outcome.reason}`);
    expect(regressed).toEqual([]);
    expect(ratchet.size).toBeGreaterThan(0);
  });
});
