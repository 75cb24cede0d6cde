// The benchmark's own parts: the corpus is deterministic and valid, and BENCHMARKS.md sections are replaced in place.
import { describe, expect, it } from "vitest";
import { parseModule } from "../lang/parse.js";
import { renderDiagnostics } from "../lang/diagnostics.js";
import { generateCorpus } from "./corpus.js";
import { median } from "./parse.js";
import { updateSection } from "./sections.js";

describe("benchmark corpus", () => {
  const corpus = generateCorpus(150_000);

  it("is the same on every run", () => {
    const again = generateCorpus(150_000);
    expect(again.map((f) => f.text)).toEqual(corpus.map((f) => f.text));
    expect(generateCorpus(20_000, 7)[0]!.text).not.toBe(corpus[0]!.text);
  });

  it("parses without diagnostics", () => {
    for (const f of corpus) {
      const r = parseModule(f.text, { file: f.name });
      expect(renderDiagnostics(r.diagnostics, f.text), f.name).toBe("");
      expect(r.module?.rules.length).toBeGreaterThan(10);
    }
  });
});

describe("BENCHMARKS.md sections", () => {
  it("appends a missing section and replaces an existing one, keeping the rest", () => {
    const first = updateSection("# Benchmarks\n\nintro\n", "parse", "old");
    expect(first).toBe("# Benchmarks\n\nintro\n\n<!-- parse:start -->\nold\n<!-- parse:end -->\n");
    const withOther = updateSection(first, "eval", "E");
    const second = updateSection(withOther, "parse", "new\n");
    expect(second).toBe(
      "# Benchmarks\n\nintro\n\n<!-- parse:start -->\nnew\n<!-- parse:end -->\n\n<!-- eval:start -->\nE\n<!-- eval:end -->\n",
    );
  });

  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
