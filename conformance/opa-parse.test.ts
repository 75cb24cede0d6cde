// Every module of the shared OPA-format conformance cases parses (and cases that expect a parse error do not).
// The cases live outside the repository, in ../shared/opa-cases; without them this file is skipped, visibly.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CASES_DIR, parseReport } from "./opa-parse-report.js";

const exists = existsSync(DEFAULT_CASES_DIR);
if (!exists) console.warn(`skipping the OPA parse conformance: ${DEFAULT_CASES_DIR} does not exist`);

describe.skipIf(!exists)(`OPA conformance cases parse (${DEFAULT_CASES_DIR})`, () => {
  it("parses every module of every case", () => {
    const report = parseReport([DEFAULT_CASES_DIR]);
    expect(report.problems, report.problems.join("\n")).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
    expect(report.failed, `${report.failed} failures:\n\n${report.failures.join("\n\n")}`).toBe(0);
  });
});
