// The TextMate grammar (syntaxes/guard.tmLanguage.json) against real policies: every token the language's own lexer
// finds gets the scope it should (keywords, strings, comments, numbers, operators…), and no non-blank character
// is left with only the file's root scope.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_POLICIES } from "../../conformance/arbitraries/sample-policies.js";
import { fencedBlocks } from "../../docs/markdown.js";
import { defaultBuiltins } from "../../engine/builtins/index.js";
import { tokenize as lex } from "../../lang/lexer.js";
import { GRAMMAR_PATH, ROOT } from "../../docs/generate.js";
import { Tokenizer, type RawGrammar } from "./test/textmate.js";

const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as RawGrammar;
const tokenizer = new Tokenizer(grammar);

function guardFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...guardFiles(p));
    else if (/\.(guard|rego)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function markdownPolicies(file: string): { name: string; text: string }[] {
  if (!existsSync(file)) return [];
  return fencedBlocks(readFileSync(file, "utf8"))
    .filter((b) => b.lang === "rego")
    .map((b) => ({ name: `${file.slice(ROOT.length + 1)}:${b.line}`, text: b.body }));
}

const DOCUMENTS: { name: string; text: string }[] = [
  ...guardFiles(join(ROOT, "policies")).map((f) => ({ name: f.slice(ROOT.length + 1), text: readFileSync(f, "utf8") })),
  ...SAMPLE_POLICIES.map((p) => ({ name: `sample-policies: ${p.name}`, text: p.text })),
  ...markdownPolicies(join(ROOT, "README.md")),
  ...markdownPolicies(join(ROOT, "docs", "language.md")),
  ...markdownPolicies(join(ROOT, "docs", "tutorial.md")),
];

/** The innermost scope of each character, by offset in the whole text. */
function scopesByOffset(text: string): string[][] {
  const out: string[][] = [];
  for (const line of tokenizer.tokenize(text)) {
    out.push(...line, ["(newline)"]);
  }
  return out;
}

/** What the innermost scope of a lexer token must start with. */
function expectedScopes(type: string, next: string): string[] {
  if (type === "Comment") return ["comment", "punctuation.definition.comment", "keyword.other.metadata", "entity.name.tag.metadata", "punctuation.separator.key-value.metadata"];
  if (type === "String" || type === "RawString") return ["string", "punctuation.definition.string", "constant.character.escape"];
  if (type === "Number") return ["constant.numeric"];
  if (type === "Kw_true" || type === "Kw_false" || type === "Kw_null") return ["constant.language"];
  if (type === "Kw_contains" && next === "(") return ["support.function.builtin"];
  if (type.startsWith("Kw_")) return ["keyword"];
  // `input` and `data` are variable.language at the start of a ref, variable.other after a dot (`x.input`)
  if (type === "Identifier") return ["variable", "entity.name", "support.function"];
  if (["Assign", "Equal", "NotEqual", "LessEq", "GreaterEq", "Less", "Greater", "Unify", "Plus", "Minus", "Star", "Slash", "Percent", "Amp", "Pipe"].includes(type)) return ["keyword.operator"];
  // `.` inside a dotted package, import or rule name belongs to that name
  if (type === "Dot") return ["punctuation", "entity.name", "support.function"];
  return ["punctuation"];
}

describe("the TextMate grammar", () => {
  it("finds documents to tokenize", () => {
    expect(DOCUMENTS.length).toBeGreaterThanOrEqual(SAMPLE_POLICIES.length + 2);
  });

  for (const doc of DOCUMENTS) {
    it(`scopes every token of ${doc.name} as the lexer reads it`, () => {
      const scopes = scopesByOffset(doc.text);
      const lexed = lex(doc.text, doc.name);
      const problems: string[] = [];
      const tokens = [...lexed.tokens, ...lexed.comments].sort((a, b) => a.startOffset - b.startOffset);
      for (let t = 0; t < tokens.length; t++) {
        const tok = tokens[t]!;
        const type = tok.tokenType.name;
        const next = doc.text[tok.startOffset + tok.image.length] ?? "";
        const want = expectedScopes(type, next);
        for (let i = tok.startOffset; i < tok.startOffset + tok.image.length; i++) {
          if (/\s/.test(doc.text[i]!)) continue;
          const inner = scopes[i]!.at(-1) ?? "";
          if (!want.some((w) => inner.startsWith(w))) {
            problems.push(`${type} ${JSON.stringify(tok.image)} at offset ${tok.startOffset}: character ${JSON.stringify(doc.text[i])} is ${inner}, expected ${want.join(" or ")}`);
            break;
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it(`leaves no non-blank character of ${doc.name} with only the root scope`, () => {
      const lines = tokenizer.tokenize(doc.text);
      const bare: string[] = [];
      doc.text.split("\n").forEach((line, n) => {
        for (let i = 0; i < line.length; i++) {
          if (!/\s/.test(line[i]!) && lines[n]![i]!.length < 2) bare.push(`line ${n + 1}:${i + 1} ${JSON.stringify(line[i])} in ${JSON.stringify(line)}`);
        }
      });
      expect(bare).toEqual([]);
    });
  }

  it("scopes the constructs by name", () => {
    const text = [
      "# METADATA",
      "# title: Example",
      "package guard.example",
      "",
      "import data.lib.helpers as h",
      "",
      "default allow := false",
      "",
      'allow if input.user == "a\\"b" # trailing',
      "",
      "n := count([1, 2.5, 3e2]) + 1",
      "",
      "s := `raw",
      "text` if true",
      "",
      "f(x) := x * 2 if not null",
    ].join("\n");
    const lines = tokenizer.tokenize(text);
    const at = (line: number, word: string, nth = 0) => {
      const l = text.split("\n")[line - 1]!;
      let col = -1;
      for (let k = 0; k <= nth; k++) col = l.indexOf(word, col + 1);
      if (col < 0) throw new Error(`${word} not on line ${line}`);
      return lines[line - 1]![col]!.at(-1);
    };
    expect(at(1, "METADATA")).toBe("keyword.other.metadata.guard");
    expect(lines[1]![3]).toContain("comment.block.documentation.metadata.guard");
    expect(at(2, "title")).toBe("entity.name.tag.metadata.guard");
    expect(at(3, "package")).toBe("keyword.other.package.guard");
    expect(at(3, "guard")).toBe("entity.name.namespace.guard");
    expect(at(5, "import")).toBe("keyword.control.import.guard");
    expect(at(5, "as")).toBe("keyword.control.as.guard");
    expect(at(5, "h", 1)).toBe("variable.other.alias.guard");
    expect(at(7, "default")).toBe("keyword.control.default.guard");
    expect(at(7, "allow")).toBe("entity.name.function.rule.guard");
    expect(at(7, ":=")).toBe("keyword.operator.assignment.guard");
    expect(at(7, "false")).toBe("constant.language.boolean.guard");
    expect(at(9, "allow")).toBe("entity.name.function.rule.guard");
    expect(at(9, "if")).toBe("keyword.control.guard");
    expect(at(9, "input")).toBe("variable.language.guard");
    expect(at(9, "==")).toBe("keyword.operator.comparison.guard");
    expect(at(9, '"a')).toBe("punctuation.definition.string.begin.guard");
    expect(at(9, 'a\\"b')).toBe("string.quoted.double.guard");
    expect(at(9, '\\"')).toBe("constant.character.escape.guard");
    expect(at(9, "# trailing")).toBe("punctuation.definition.comment.guard");
    expect(at(9, "trailing")).toBe("comment.line.number-sign.guard");
    expect(at(11, "count")).toBe("support.function.builtin.guard");
    expect(at(11, "2.5")).toBe("constant.numeric.guard");
    expect(at(11, "3e2")).toBe("constant.numeric.guard");
    expect(at(11, "+")).toBe("keyword.operator.arithmetic.guard");
    expect(at(13, "raw")).toBe("string.quoted.other.raw.guard");
    expect(at(14, "text")).toBe("string.quoted.other.raw.guard");
    expect(at(14, "if")).toBe("keyword.control.guard");
    expect(at(16, "f")).toBe("entity.name.function.rule.guard");
    expect(at(16, "not")).toBe("keyword.control.guard");
    expect(at(16, "null")).toBe("constant.language.null.guard");
  });

  it("knows every built-in by name (the pattern is generated from the registry)", () => {
    const names = defaultBuiltins()
      .all()
      .filter((d) => !d.infix)
      .map((d) => d.name);
    for (const name of names) {
      const [line] = tokenizer.tokenize(`\tx := ${name}(1)`);
      expect(line![6]!.at(-1), name).toBe("support.function.builtin.guard");
    }
    // a user's function is a call, not a built-in
    const [line] = tokenizer.tokenize("\tx := my_helper(1)");
    expect(line![6]!.at(-1)).toBe("entity.name.function.call.guard");
  });

  it("uses only regular expressions JavaScript compiles (and no Oniguruma-only syntax)", () => {
    const sources: string[] = [];
    const visit = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if ((k === "match" || k === "begin" || k === "end") && typeof x === "string") sources.push(x);
          else visit(x);
        }
    };
    visit(grammar);
    for (const s of sources) {
      expect(() => new RegExp(s, "dg")).not.toThrow();
      expect(s).not.toMatch(/\\[GAzZhH]|\(\?x|\(\?>|[*+?]\+/);
    }
  });
});
