// The coverage table (conformance/COVERAGE.md) is up to date, and every construct of the syntax tree and every
// registered built-in has a covering property. Regenerate with `node --import tsx conformance/coverage.ts --write`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coverage, COVERAGE_FILE } from "./coverage.js";

describe("property coverage", async () => {
  const c = await coverage();
  it("covers every construct and every registered built-in", () => {
    expect(c.uncoveredConstructs, "constructs without a covering property").toEqual([]);
    expect(c.uncoveredBuiltins, "built-ins without a covering property").toEqual([]);
    expect(c.problems, "coverage declarations that name nothing real").toEqual([]);
  });
  it("COVERAGE.md is up to date (node --import tsx conformance/coverage.ts --write)", () => {
    expect(readFileSync(COVERAGE_FILE, "utf8")).toBe(c.markdown);
  });
});
