// docs/language.md's examples: every `rego` block parses and compiles, and every `# QUERY => RESULT` or
// `# QUERY prints: TEXT` comment in it holds, with both engines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultBuiltins } from "../engine/builtins/index.js";
import { Policy } from "../engine/engine.js";
import { policyTests } from "../engine/testing/discover.js";
import { runTests } from "../engine/testing/run.js";
import { stringifyValue, type Value } from "../engine/value/value.js";
import { parseModule } from "../lang/parse.js";
import { ROOT } from "./generate.js";
import { fencedBlocks } from "./markdown.js";

const FILE = join(ROOT, "docs", "language.md");
const markdown = readFileSync(FILE, "utf8");
const blocks = fencedBlocks(markdown).filter((b) => b.lang === "rego");

interface Expectation {
  query: string;
  /** JSON text, or `undefined`. */
  result?: string;
  prints?: string;
  line: string;
}

/** `# data.x.y with input as {…} => JSON` and `# data.x.y … prints: TEXT` lines. */
export function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split("\n")) {
    const value = /^\s*#\s+(data\..*?)\s+=>\s+(.+)$/.exec(line);
    if (value) out.push({ query: value[1]!, result: value[2]!.trim(), line });
    const printed = /^\s*#\s+(data\..*?)\s+prints:\s(.*)$/.exec(line);
    if (printed) out.push({ query: printed[1]!, prints: printed[2]!, line });
  }
  return out;
}

/** The value of a one-expression query (with its `with`s), undefined when it has no result. */
function evaluate(policy: Policy, query: string, engine: "compiled" | "reference", print?: (s: string) => void): Value | undefined {
  const rows = policy.query(`__doc_result__ := ${query}`, { engine, print });
  if (rows.length > 1) throw new Error(`${query}: ${rows.length} results`);
  return rows[0]?.["__doc_result__"];
}

const empty = Policy.compile([{ file: "empty.guard", text: "package empty\n" }]);

/** An expected result, read as a term (JSON is one) by the engine itself: big integers stay exact. */
function literal(text: string): Value {
  const rows = empty.query(`__literal__ := ${text}`);
  if (rows.length !== 1) throw new Error(`not a value: ${text}`);
  return rows[0]!["__literal__"]!;
}

describe("docs/language.md", () => {
  it("has examples, most with expected results", () => {
    expect(blocks.length).toBeGreaterThan(20);
    const withResults = blocks.filter((b) => expectations(b.body).length > 0);
    expect(withResults.length).toBeGreaterThanOrEqual(blocks.length - 1);
  });

  for (const block of blocks) {
    const file = `docs/language.md:${block.line}`;
    describe(`the example at line ${block.line}`, () => {
      it("parses", () => {
        const { module, diagnostics } = parseModule(block.body, { file });
        expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
        expect(module).toBeDefined();
      });

      it("passes its own tests and properties, if it has any", () => {
        const policy = Policy.compile([{ file, text: block.body }]);
        const results = runTests(policy, policyTests(policy), { timeoutMs: 10_000, explain: false });
        expect(results.filter((r) => r.status !== "pass").map((r) => `${r.name}: ${r.status}`)).toEqual([]);
      });

      for (const engine of ["compiled", "reference"] as const) {
        it(`evaluates as documented (${engine} engine)`, () => {
          const policy = Policy.compile([{ file, text: block.body }]);
          for (const e of expectations(block.body)) {
            const printed: string[] = [];
            const got = evaluate(policy, e.query, engine, (s) => printed.push(s));
            if (e.result !== undefined) {
              const want = e.result === "undefined" ? "undefined" : stringifyValue(literal(e.result));
              expect(got === undefined ? "undefined" : stringifyValue(got), e.line).toBe(want);
            } else {
              expect(printed.join("\n"), e.line).toBe(e.prints);
            }
          }
        });
      }
    });
  }

  it("names only built-ins that exist", () => {
    const registry = defaultBuiltins();
    const section = markdown.slice(markdown.indexOf("## Built-in functions"));
    const names = [...section.matchAll(/`([a-z_][a-z0-9_.]*)(?:\(\)|\(.*?\))?`/g)].map((m) => m[1]!).filter((n) => !n.endsWith(".md"));
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !registry.has(n))).toEqual([]);
  });

  it("links to the generated built-in reference", () => {
    expect(markdown).toContain("(builtins.md)");
  });
});
