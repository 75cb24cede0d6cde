// Differential property: on generated well-typed modules and inputs, the compiled engine and the reference
// interpreter give the same document (and the same rule through the query API), or fail with the same error code.
// Most generated programs must compile and evaluate to a defined document, so the property reaches deep semantics.
// Seeded and bounded; FC_RUNS / FC_SEED override. The long run is `node --import tsx conformance/long-run.ts`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { program, type Program } from "../arbitraries/programs.js";
import { checkProgram } from "../differential.js";
import { regoText } from "../arbitraries/values.js";

const SEED = Number(process.env["FC_SEED"] ?? 20241122);
const SCALE = Number(process.env["FC_RUNS"] ?? 0);
const runs = (n: number): number => (SCALE > 0 ? SCALE : n);

/** The constructs this file covers (for conformance/coverage.ts): every construct the generator emits. */
export const covers = [
  "module", "package", "import", "comment", "annotation", "rule", "head", "else", "body", "literal", "term-expr", "assign", "some-decl",
  "some-in", "every", "with", "null", "boolean", "number", "string", "var", "ref", "call", "array", "object", "set",
  "arraycompr", "setcompr", "objectcompr", "binary", "membership", "default", "contains", "partial-object", "function", "ref-head",
];

function show(p: Program): string {
  return `${[p.module, ...p.libs].join("\n---\n")}\ninput: ${regoText(p.input)}\ndata: ${regoText(p.data)}`;
}

describe("compiled ≡ reference on generated programs", () => {
  for (const typed of [true, false]) {
    it(`${typed ? "well-typed" : "loosely typed"} modules`, () => {
      let total = 0;
      let compiled = 0;
      let defined = 0;
      const constructs = new Set<string>();
      fc.assert(
        fc.property(program({ typed }), (p) => {
          total++;
          const v = checkProgram(p);
          if (v.compiled) compiled++;
          if (v.defined) defined++;
          for (const c of p.constructs) constructs.add(c);
          if (v.disagreement !== undefined) throw new Error(`${v.disagreement}\n--- program ---\n${show(p)}`);
        }),
        { seed: SEED + (typed ? 0 : 1), numRuns: runs(typed ? 160 : 50) },
      );
      console.log(`${typed ? "typed" : "loose"}: ${total} programs, ${compiled} compiled, ${defined} defined documents`);
      if (typed) {
        // the typed mode reaches evaluation: most programs compile and give defined documents
        expect(compiled / total).toBeGreaterThan(0.9);
        expect(defined / total).toBeGreaterThan(0.8);
        for (const c of covers) expect(constructs, `construct ${c} is generated`).toContain(c);
      }
    });
  }
});
