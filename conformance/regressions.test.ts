// The regression cases found by the property tests (conformance/cases/regressions/, OPA's YAML format, one file per
// bug with a note): each must pass with the compiled engine and the reference interpreter (opa-runner.ts checks both).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseId, runConformance } from "./opa-runner.js";

const DIR = join(import.meta.dirname, "cases", "regressions");

describe("property-test regressions", () => {
  const summary = runConformance([DIR]);
  it("has cases", () => expect(summary.results.length).toBeGreaterThan(0));
  for (const r of summary.results) {
    it(caseId(r), () => {
      expect(r.outcome.status === "fail" ? r.outcome.reason : r.outcome.status).toBe("pass");
    });
  }
});
