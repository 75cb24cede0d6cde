// fast-check arbitraries that generate valid Rego v1 module SOURCE TEXT.
//
// Text is generated directly (not printed from an AST), so the parser sees layouts a formatter would never produce:
// extra spaces and tabs, blank lines, multi-line collections with trailing commas, `;` and newline separators,
// own-line and trailing comments. Everything generated is syntactically valid Rego v1; semantic validity (safety,
// arity, conflicts) is not a goal.
//
// Two whitespace rules of Rego are respected throughout:
// - a ref continuation (`.name`, `[…]`, `(…)`) touches the token before it, and nothing else does: after an
//   operand the generator only ever emits an operator, `,`, `:`, `|`, a closing bracket, a keyword or a line end;
// - the literals of a body are separated by `;` or a line break; a literal that starts with `-` (a negative number)
//   is always preceded by `;`, since after a line break `-1` would continue the previous expression.
import fc from "fast-check";
import { listOf, opt, seq, weighted, type Arb, type Part } from "./rego-text-combinators.js";
import { comment, fieldName, functionName, indent, natural, newlines, ows, ruleName, scalar, stringLit, varName, varOrWildcard, ws } from "./rego-text-lexical.js";
import { joinInline, RegoTermGenerator, type RegoTextOptions } from "./rego-text-terms.js";

export { seq } from "./rego-text-combinators.js";
export { numberLit, ows, quotedString, rawString, REGO_KEYWORDS, scalar, stringLit, varName, ws } from "./rego-text-lexical.js";
export type { RegoTextOptions } from "./rego-text-terms.js";
export { REGO_TOKEN_SOUP, tokenSoup } from "./rego-text-soup.js";

export class RegoTextGenerator extends RegoTermGenerator {
  // -------------------------------------------------------------------------------------------------------------
  // literals and bodies

  private withModifiers(d: number): Arb {
    return this.m(`with${d}`, () => {
      const target = weighted(
        [3, seq("input", listOf(seq(".", fieldName), 0, 2).map((x) => x.join("")))],
        [2, seq("data.", fieldName, listOf(seq(".", fieldName), 0, 2).map((x) => x.join("")))],
        [1, fc.constantFrom("count", "data.lib.f", "http.send", "time.now_ns")],
      );
      const one = seq(ws, "with", ws, target, ws, "as", ws, weighted([3, this.operand(d)], [1, varName]));
      return weighted([6, ""], [2, one], [1, seq(one, one)]);
    });
  }

  /** One literal that may follow `if` directly: not starting with `{`, which would open a block. */
  literalAfterIf(d: number): Arb {
    return this.m(`literalIf${d}`, () => this.literal(d).filter((s) => !s.startsWith("{")));
  }

  /** One literal of a body. */
  literal(d: number): Arb {
    return this.m(`literal${d}`, () => {
      const dd = Math.max(0, d);
      const lhsPattern = weighted(
        [6, varName],
        [1, seq("[", ows, varOrWildcard, ",", ows, varOrWildcard, ows, "]")],
        [1, seq("{", ows, stringLit, ":", ows, varName, ows, "}")],
      );
      const termExpr = weighted(
        [3, this.infix(dd, true)],
        [2, seq(this.operand(dd), ws, fc.constantFrom("==", "!=", "<", "<=", ">", ">="), ws, this.operand(dd))],
        [2, this.call(dd)],
        [1, this.membership(dd)],
      );
      const plain = weighted(
        [6, termExpr],
        [4, seq(lhsPattern, ows, ":=", ows, this.infix(dd, true))],
        [2, seq(weighted([3, varName], [1, this.ref(dd)]), ows, "=", ows, this.infix(dd, true))],
        [2, seq("not", ws, termExpr)],
        [1, seq("not", ws, varName, ws, "=", ws, this.operand(dd))],
        [1, seq(this.operand(dd), ",", ows, this.operand(dd), ws, "in", ws, this.operand(dd))],
      );
      const collection = weighted([4, this.ref(dd)], [2, varName], [1, this.array(dd)], [1, this.set(dd)], [1, this.object(dd)], [1, this.call(dd)]);
      const someVars = listOf(varName, 1, 3).map((vs) => vs.join(", "));
      const some = weighted(
        [2, seq("some", ws, someVars)],
        [3, seq("some", ws, varOrWildcard, ws, "in", ws, collection)],
        [1, seq("some", ws, "[", varOrWildcard, ",", ows, varOrWildcard, "]", ws, "in", ws, collection)],
        [2, seq("some", ws, varOrWildcard, ",", ows, varOrWildcard, ws, "in", ws, collection)],
      );
      const alts: [number, Part][] = [
        [8, seq(plain, this.withModifiers(dd))],
        [3, some],
      ];
      if (d > 0) {
        const everyHead = weighted([2, seq(varOrWildcard, ws)], [1, seq(varOrWildcard, ",", ows, varOrWildcard, ws)]);
        alts.push([2, seq("every", ws, everyHead, "in", ws, collection, ws, this.block(d - 1))]);
      }
      return weighted(...alts);
    });
  }

  /** `{ literals }` on one line (`;`-separated) or over several lines. */
  block(d: number): Arb {
    return this.m(`block${d}`, () => {
      const lits = listOf(this.literal(d), 1, this.maxLiterals);
      const single = fc.tuple(lits, ows, ows).map(([ls, a, b]) => `{${a === "" ? " " : a}${joinInline(ls)}${b === "" ? " " : b}}`);
      const lineEnd = this.trailingComment(1);
      const multi = fc
        .tuple(
          lits,
          indent,
          fc.array(lineEnd, { minLength: 8, maxLength: 8 }),
          fc.array(this.ownLineComments("", 1), { minLength: 8, maxLength: 8 }),
          fc.array(weighted([8, "\n"], [1, "\n\n"], [1, ";\n"]), { minLength: 8, maxLength: 8 }),
          this.trailingComment(1),
        )
        .map(([ls, ind, ends, owns, seps, afterOpen]) => {
          let s = `{${afterOpen}\n`;
          ls.forEach((l, i) => {
            const own = owns[i % 8]!;
            if (own) s += own.split("\n").map((c) => (c ? ind + c : c)).join("\n");
            // a literal starting with `-` must follow a `;`: after a line break it would continue the expression
            const semi = i > 0 && l.startsWith("-") && !seps[(i - 1) % 8]!.startsWith(";") ? ";" : "";
            const last = i === ls.length - 1;
            const sep = last ? "\n" : seps[i % 8]!;
            // a `;` ends the literal before its trailing comment, which runs to the end of the line
            s += `${ind}${semi}${l}${sep.startsWith(";") ? ";" : ""}${ends[i % 8]}${sep.replace(/^;/, "")}`;
          });
          return s + "}";
        });
      return weighted([2, single], [3, multi]);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // rules

  /** `if literal` or `if { … }`, with leading whitespace. */
  private ifBody(d: number): Arb {
    return weighted([1, seq(ws, "if", ws, this.literalAfterIf(d))], [3, seq(ws, "if", ws, this.block(d))]);
  }

  private assignOp: Arb = weighted([4, ":="], [1, "="]);

  private headValue(d: number): Arb {
    return seq(ows, this.assignOp, ows, this.infix(d, true));
  }

  /** A ground ref head: `p`, `a.b.c`, `p["x"]`. */
  private groundHead(): Arb {
    return weighted(
      [6, ruleName],
      [2, seq(ruleName, listOf(seq(".", fieldName), 1, 2).map((x) => x.join("")))],
      [1, seq(ruleName, "[", weighted([2, stringLit], [1, natural]), "]")],
    );
  }

  rule(d: number): Arb {
    return this.m(`rule${d}`, () => {
      const defaultRule = seq(
        "default",
        ws,
        weighted([4, this.groundHead()], [1, seq(functionName, "(", listOf(varOrWildcard, 1, 2).map((a) => a.join(", ")), ")")]),
        ows,
        weighted([4, ":="], [1, "="]),
        ows,
        this.constant(d),
      );
      const constant = seq(this.groundHead(), this.headValue(d));
      const ifRule = seq(this.groundHead(), this.ifBody(d));
      const valueIf = seq(this.groundHead(), this.headValue(d), this.ifBody(d));
      const beforeElse = this.comments ? weighted([6, " "], [2, "\n"], [1, seq("\n", comment, "\n")]) : weighted([3, " "], [1, "\n"]);
      const elseClause = seq(
        beforeElse,
        "else",
        weighted([2, seq(ows, this.assignOp, ows, this.infix(d, true))], [1, ""]),
        ws,
        "if",
        ws,
        this.block(d),
      );
      const finalElse = weighted([2, ""], [2, seq(" else", ows, this.assignOp, ows, this.infix(d, true))]);
      const elseChain = seq(
        this.groundHead(),
        this.headValue(d),
        ws,
        "if",
        ws,
        this.block(d),
        listOf(elseClause, 0, 2).map((e) => e.join("")),
        finalElse,
      );
      const containsRule = seq(
        weighted([3, ruleName], [1, seq(ruleName, ".", fieldName)]),
        ws,
        "contains",
        ws,
        this.item(d),
        weighted([4, this.ifBody(d)], [1, ""]),
      );
      const key = weighted([3, varName], [1, stringLit], [1, natural]);
      const refHeadRule = seq(
        ruleName,
        weighted([2, ""], [2, listOf(seq(".", fieldName), 1, 2).map((x) => x.join(""))]),
        "[",
        ows,
        key,
        ows,
        "]",
        weighted([1, ""], [1, seq("[", varName, "]")]),
        this.headValue(d),
        weighted([4, this.ifBody(d)], [1, ""]),
      );
      const param = weighted(
        [6, varName],
        [1, "_"],
        [1, scalar],
        [1, seq("[", varName, ",", ows, varOrWildcard, "]")],
        [1, seq("{", stringLit, ":", ows, varName, "}")],
      );
      const params = listOf(param, 1, 3).map((ps) => ps.join(", "));
      const fname = weighted([6, functionName], [1, seq("lib.", functionName)]);
      const func = weighted(
        [3, seq(fname, "(", ows, params, ows, ")", this.headValue(d), this.ifBody(d))],
        [1, seq(fname, "(", params, ")", this.ifBody(d))],
        [1, seq(fname, "(", params, ")", this.headValue(d))],
        [1, seq(fname, "(", params, ")", this.headValue(d), ws, "if", ws, this.block(d), finalElse)],
      );
      return weighted(
        [2, defaultRule],
        [2, constant],
        [3, ifRule],
        [2, valueIf],
        [2, elseChain],
        [2, containsRule],
        [2, refHeadRule],
        [3, func],
      );
    });
  }

  private metadataBlock(): Arb {
    const title = fc.constantFrom("Allow admins", "Deny by default", "Some title: quoted", "é");
    return seq(
      "# METADATA\n# title: ",
      title.map((t) => JSON.stringify(t)),
      "\n",
      weighted([1, ""], [1, "# description: A rule that decides\n"]),
      weighted([2, ""], [1, "# custom:\n#   severity: high\n"]),
    );
  }

  /** A rule with the comments that may stand around it. */
  private statement(d: number): Arb {
    return seq(
      this.ownLineComments("", 1),
      this.metadata ? opt(this.metadataBlock(), 1, 12) : "",
      this.rule(d),
      this.trailingComment(1),
    );
  }

  packageDecl(): Arb {
    const first = weighted([4, fc.constantFrom("authz", "policy", "kubernetes", "test", "example")], [1, varName]);
    const rest = listOf(seq(".", weighted([3, fieldName], [1, varName])), 0, 3).map((xs) => xs.join(""));
    return seq("package", ws, first, rest, weighted([8, ""], [1, '["b-c"]'], [1, seq('["', fieldName, '"]')]));
  }

  importDecl(): Arb {
    const dataPath = seq("data.", fieldName, listOf(seq(".", fieldName), 0, 2).map((x) => x.join("")));
    return weighted(
      [3, seq("import", ws, dataPath)],
      [2, seq("import", ws, dataPath, ws, "as", ws, varName)],
      [2, "import rego.v1"],
      [1, seq("import", ws, "input.", fieldName)],
      [1, seq("import", ws, "input.", fieldName, ws, "as", ws, varName)],
      [1, fc.constantFrom("import future.keywords.in", "import future.keywords.if", "import future.keywords")],
    );
  }

  /** A whole module: comments, `package`, imports and rules. */
  module(): Arb {
    return this.m("module", () => {
      const imports = listOf(seq(this.importDecl(), this.trailingComment(1), "\n"), 0, 4).map((xs) => xs.join(""));
      const rules = fc
        .tuple(listOf(this.statement(this.maxDepth), 0, this.maxRules), fc.array(newlines, { minLength: 16, maxLength: 16 }))
        .map(([rs, seps]) => rs.map((r, i) => r + seps[i % 16]).join(""));
      return seq(
        this.comments ? opt(seq(comment, "\n", opt("\n")), 1, 3) : "",
        this.metadata ? opt(seq("# METADATA\n# title: Package docs\n# scope: package\n"), 1, 10) : "",
        this.packageDecl(),
        this.trailingComment(1),
        newlines,
        imports,
        opt("\n"),
        rules,
        weighted([4, ""], [1, "\n"], [1, "\n\n"]),
      );
    });
  }
}

/** Valid Rego v1 module text. */
export function regoModule(options: RegoTextOptions = {}): fc.Arbitrary<string> {
  return new RegoTextGenerator(options).module();
}
