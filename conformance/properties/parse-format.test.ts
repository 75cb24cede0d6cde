// Properties of the parser and the formatter over generated Rego v1 text:
// (a) every generated module parses without errors (also with CRLF line ends);
// (b) formatting is idempotent: fmt(parse(fmt(parse(x)))) === fmt(parse(x));
// (c) formatting preserves meaning: parse(fmt(x)) equals parse(x) once locations are removed;
// (d) the parser never throws, on arbitrary strings, token soups and mutated modules, and its diagnostics are
//     well-formed (a code, a message, a location inside the text).
// Seeded and bounded: the file runs in a few seconds. Set FC_RUNS=<n> to scale every property (e.g. FC_RUNS=5000
// for a long soak) and FC_SEED=<n> to explore other inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Module } from "../../lang/ast.js";
import { renderDiagnostic, renderDiagnostics, type Diagnostic } from "../../lang/diagnostics.js";
import { formatModule } from "../../lang/format.js";
import { parseModule } from "../../lang/parse.js";
import { firstDifference, preview, stripLocations } from "../ast-compare.js";
import { regoModule, tokenSoup, REGO_TOKEN_SOUP } from "../arbitraries/rego-text.js";
import { SAMPLE_POLICIES } from "../arbitraries/sample-policies.js";

const SEED = Number(process.env["FC_SEED"] ?? 20240601);
const SCALE = Number(process.env["FC_RUNS"] ?? 0);
const runs = (n: number): number => (SCALE > 0 ? SCALE : n);
fc.configureGlobal({ seed: SEED });

const modules = regoModule();

function errorsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

/** Parses text that must be valid; a failure message shows the text and the rendered errors. */
function parseValid(text: string, what: string): Module {
  const r = parseModule(text, { file: "gen.rego" });
  const errors = errorsOf(r.diagnostics);
  if (errors.length > 0 || r.module === undefined) {
    throw new Error(`${what} does not parse:\n${renderDiagnostics(errors, text)}\n--- text ---\n${text}`);
  }
  return r.module;
}

/**
 * The tree with the `\r` of CRLF line ends removed where the text keeps it: in raw strings (which may span lines)
 * and at the end of comments (a comment runs to `\n`).
 */
function withoutCR(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCR);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = withoutCR(v);
    if (o["kind"] === "comment" && typeof o["text"] === "string") out["text"] = o["text"].replace(/\r$/, "");
    if (o["kind"] === "string" && o["raw"] === true && typeof o["value"] === "string") out["value"] = o["value"].replace(/\r\n/g, "\n");
    return out;
  }
  return value;
}

describe("(a) generated Rego v1 modules parse", () => {
  it("without error diagnostics", () => {
    fc.assert(
      fc.property(modules, (text) => {
        parseValid(text, "a generated module");
      }),
      { numRuns: runs(250) },
    );
  });

  it("with CRLF line ends too, to the same tree", () => {
    fc.assert(
      fc.property(modules, (text) => {
        const lf = parseValid(text, "a generated module");
        const crlfText = text.replace(/\n/g, "\r\n");
        const crlf = parseValid(crlfText, "a generated module with CRLF line ends");
        const diff = firstDifference(withoutCR(stripLocations(lf)), withoutCR(stripLocations(crlf)));
        if (diff) throw new Error(`CRLF changes the tree at ${diff.path}: ${preview(diff.left)} vs ${preview(diff.right)}`);
      }),
      { numRuns: runs(60) },
    );
  });

  it("the hand-written sample policies parse", () => {
    for (const p of SAMPLE_POLICIES) parseValid(p.text, p.name);
  });
});

describe("(b, c) the formatter", () => {
  const fmt = (m: Module, src: string): string => formatModule(m, src);

  it("(b) is idempotent", () => {
    fc.assert(
      fc.property(modules, (text) => {
        const once = fmt(parseValid(text, "a generated module"), text);
        const twice = fmt(parseValid(once, "the formatted module"), once);
        if (twice !== once) {
          throw new Error(`formatting twice differs from formatting once\n${lineDiff(once, twice)}\n--- input ---\n${text}`);
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it("(c) preserves the tree (ignoring locations)", () => {
    fc.assert(
      fc.property(modules, (text) => {
        const original = parseValid(text, "a generated module");
        const formatted = fmt(original, text);
        const reparsed = parseValid(formatted, "the formatted module");
        const diff = firstDifference(stripLocations(original), stripLocations(reparsed));
        if (diff) {
          throw new Error(
            `the formatted module parses to a different tree at ${diff.path}:\n  before: ${preview(diff.left)}\n  after:  ${preview(diff.right)}\n--- input ---\n${text}\n--- formatted ---\n${formatted}`,
          );
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it("(b, c) hold for the hand-written sample policies", () => {
    for (const p of SAMPLE_POLICIES) {
      const m = parseValid(p.text, p.name);
      const once = fmt(m, p.text);
      const again = parseValid(once, `${p.name} formatted`);
      expect(fmt(again, once)).toBe(once);
      expect(firstDifference(stripLocations(m), stripLocations(again))).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (d) robustness

/** The length of each line; lines end at `\n` (as in OPA, a lone `\r` ends no line; `\r\n` counts as one). */
function lineLengths(text: string): number[] {
  return text.split("\n").map((l) => l.length);
}

/** The 1-based line and column (in UTF-16 units) of a 0-based offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Checks the parser's contract on any text; throws with a readable message when it is broken. */
function checkContract(text: string): void {
  let r: ReturnType<typeof parseModule>;
  try {
    r = parseModule(text, { file: "fuzz.rego" });
  } catch (e) {
    throw new Error(`parseModule threw ${String(e)} on ${JSON.stringify(text)}`);
  }
  if (!Array.isArray(r.diagnostics)) throw new Error(`no diagnostics array for ${JSON.stringify(text)}`);
  if (r.module === undefined && errorsOf(r.diagnostics).length === 0) {
    throw new Error(`no module and no error for ${JSON.stringify(text)}`);
  }
  const lines = lineLengths(text);
  for (const d of r.diagnostics) {
    const where = `diagnostic ${JSON.stringify(d)} for ${JSON.stringify(text)}`;
    if (d.code === "internal-error") throw new Error(`the parser crashed internally: ${where}`);
    if (typeof d.code !== "string" || d.code === "") throw new Error(`missing code: ${where}`);
    if (typeof d.message !== "string" || d.message.trim() === "") throw new Error(`missing message: ${where}`);
    if (d.severity !== "error" && d.severity !== "warning") throw new Error(`bad severity: ${where}`);
    const { line, column, endLine, offset, endOffset } = d.loc;
    if (!Number.isInteger(line) || line < 1 || line > lines.length + 1) throw new Error(`line outside the text: ${where}`);
    const lineLength = lines[line - 1] ?? 0;
    if (!Number.isInteger(column) || column < 1 || column > lineLength + 2) throw new Error(`column outside the line: ${where}`);
    if (!(endLine >= line)) throw new Error(`end before start: ${where}`);
    if (!(offset >= 0 && offset <= text.length && endOffset >= offset && endOffset <= text.length + 1)) {
      throw new Error(`offsets outside the text: ${where}`);
    }
    const at = positionOf(text, offset);
    if (at.line !== line || at.column !== column) {
      throw new Error(`line:column ${line}:${column} is not where offset ${offset} is (${at.line}:${at.column}): ${where}`);
    }
    renderDiagnostic(d, text); // must not throw either
  }
}

type Mutation =
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "swap"; at: number; other: number; length: number };

const insertText = fc.oneof(
  fc.constantFrom(...REGO_TOKEN_SOUP),
  fc.string({ maxLength: 3 }),
  fc.constantFrom("{", "}", "[", "]", "(", ")", '"', "`", "\n", "#", ";", ",", ".", "-", ":=", " if ", " else ", "\\", "\u0000"),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insertText }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant("swap" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    other: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 20 }),
  }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  let s = text;
  for (const m of ms) {
    const at = Math.min(s.length, Math.floor(m.at * (s.length + 1)));
    switch (m.kind) {
      case "delete":
        s = s.slice(0, at) + s.slice(at + m.length);
        break;
      case "insert":
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case "duplicate":
        s = s.slice(0, at + m.length) + s.slice(at, at + m.length) + s.slice(at + m.length);
        break;
      case "swap": {
        const other = Math.min(s.length, Math.floor(m.other * (s.length + 1)));
        const [a, b] = at <= other ? [at, other] : [other, at];
        const len = Math.min(m.length, b - a);
        if (len <= 0) break;
        s = s.slice(0, a) + s.slice(b, b + len) + s.slice(a + len, b) + s.slice(a, a + len) + s.slice(b + len);
        break;
      }
    }
  }
  return s;
}

describe("(d) the parser never throws and reports well-formed diagnostics", () => {
  it("on arbitrary ASCII strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkContract), { numRuns: runs(400) });
  });

  it("on arbitrary Unicode strings (lone surrogates and control characters included)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkContract), { numRuns: runs(400) });
  });

  it("on arbitrary strings after a valid package line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 120 }), (s) => checkContract(`package p\n\n${s}`)),
      { numRuns: runs(300) },
    );
  });

  it("on token soups", () => {
    fc.assert(fc.property(tokenSoup(80), checkContract), { numRuns: runs(600) });
    fc.assert(
      fc.property(tokenSoup(40), (s) => checkContract(`package p\n\n${s}`)),
      { numRuns: runs(400) },
    );
  });

  it("on mutated generated modules", () => {
    fc.assert(
      fc.property(modules, fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, ms) => checkContract(mutate(text, ms))),
      { numRuns: runs(250) },
    );
  });

  it("on mutated hand-written policies", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLE_POLICIES.map((p) => p.text)),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (text, ms) => checkContract(mutate(text, ms)),
      ),
      { numRuns: runs(500) },
    );
  });

  it("on every prefix of a realistic policy (truncated files)", () => {
    const text = SAMPLE_POLICIES[2]!.text;
    for (let i = 0; i <= text.length; i += 3) checkContract(text.slice(0, i));
  });
});

/** A compact line diff for failure messages: the first differing line with a little context. */
function lineDiff(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const from = Math.max(0, i - 2);
  return [
    `first difference at line ${i + 1}:`,
    "--- once ---",
    ...la.slice(from, i + 3),
    "--- twice ---",
    ...lb.slice(from, i + 3),
  ].join("\n");
}
