// Generated Rego text for terms: collections, comprehensions, refs, calls, operands and infix expressions.
import fc from "fast-check";
import { listOf, opt, seq, weighted, type Arb, type Part } from "./rego-text-combinators.js";
import { BUILTINS, comment, indent, natural, numberLit, ows, refFieldName, scalar, stringLit, varName, varOrWildcard, ws } from "./rego-text-lexical.js";

export interface RegoTextOptions {
  /** Nesting depth of terms, bodies and comprehensions (default 2). */
  maxDepth?: number;
  /** Maximum number of rules in a module (default 8). */
  maxRules?: number;
  /** Maximum number of literals in a body (default 4). */
  maxLiterals?: number;
  /** Maximum number of items in a collection or arguments in a call (default 3). */
  maxItems?: number;
  /** Emit comments (default true). */
  comments?: boolean;
  /** Emit `# METADATA` blocks (default true). */
  metadata?: boolean;
}

/** The options, memoisation, comments and terms of RegoTextGenerator (rego-text.ts), which adds literals, bodies and rules. */
export abstract class RegoTermGenerator {
  readonly maxDepth: number;
  readonly maxRules: number;
  readonly maxLiterals: number;
  readonly maxItems: number;
  readonly comments: boolean;
  readonly metadata: boolean;
  private readonly memo = new Map<string, Arb>();

  constructor(options: RegoTextOptions = {}) {
    this.maxDepth = options.maxDepth ?? 2;
    this.maxRules = options.maxRules ?? 8;
    this.maxLiterals = options.maxLiterals ?? 4;
    this.maxItems = options.maxItems ?? 3;
    this.comments = options.comments ?? true;
    this.metadata = options.metadata ?? true;
  }

  protected m(key: string, build: () => Arb): Arb {
    let a = this.memo.get(key);
    if (a === undefined) {
      a = build();
      this.memo.set(key, a);
    }
    return a;
  }

  /** A trailing comment (with its leading space) or nothing. */
  protected trailingComment(weight = 1): Arb {
    return this.comments ? opt(seq(ws, comment), weight, 6) : fc.constant("");
  }

  /** Own-line comments, each followed by a line break and indentation, or nothing. */
  protected ownLineComments(ind: Part, weight = 1): Arb {
    if (!this.comments) return fc.constant("");
    return opt(listOf(seq(comment, "\n", ind), 1, 2).map((cs) => cs.join("")), weight, 8);
  }

  /** One literal of a body (see RegoTextGenerator). */
  abstract literal(d: number): Arb;

  // -------------------------------------------------------------------------------------------------------------
  // collections

  /**
   * `open items close`, on one line or over several lines (one item per line, optional trailing comma, comments).
   * `items` must be non-empty.
   */
  private layout(open: string, close: string, items: fc.Arbitrary<string[]>): Arb {
    const singleLine = fc
      .tuple(items, ows, ows, fc.array(ows, { minLength: 8, maxLength: 8 }), weighted([8, ""], [1, ","]))
      .map(([xs, a, b, seps, trailing]) => `${open}${a}${xs.map((x, i) => (i === 0 ? x : `,${seps[i % 8] === "" ? " " : seps[i % 8]}${x}`)).join("")}${trailing}${b}${close}`);
    const line = this.comments ? weighted([6, ""], [1, seq(" ", comment)]) : fc.constant("");
    const multiLine = fc
      .tuple(
        items,
        indent,
        fc.array(line, { minLength: 10, maxLength: 10 }),
        weighted([3, ","], [1, ""]),
        this.comments ? weighted([8, ""], [1, seq(comment, "\n")]) : fc.constant(""),
      )
      .map(([xs, ind, cs, trailing, own]) => {
        let s = `${open}${cs[9]}\n`;
        xs.forEach((x, i) => {
          const last = i === xs.length - 1;
          if (i === 1 && own) s += ind + own;
          s += `${ind}${x}${last ? trailing : ","}${cs[i % 9]}\n`;
        });
        return s + close;
      });
    return weighted([4, singleLine], [1, multiLine]);
  }

  array(d: number): Arb {
    return this.m(`array${d}`, () =>
      weighted([1, "[]"], [4, this.layout("[", "]", listOf(this.item(d - 1), 1, this.maxItems))]),
    );
  }

  set(d: number): Arb {
    return this.m(`set${d}`, () =>
      weighted([1, "set()"], [4, this.layout("{", "}", listOf(this.item(d - 1), 1, this.maxItems))]),
    );
  }

  object(d: number): Arb {
    return this.m(`object${d}`, () => {
      const key = weighted([6, stringLit], [1, numberLit], [1, varName], [1, this.ref(d - 1)], [1, this.item(d - 1)]);
      const entry = seq(key, ows, ":", ows, this.item(d - 1));
      return weighted([1, "{}"], [4, this.layout("{", "}", listOf(entry, 1, this.maxItems))]);
    });
  }

  /** A comprehension body: literals joined by `;` on one line, or one per line. */
  private comprehensionBody(d: number): fc.Arbitrary<{ text: string; multiLine: boolean }> {
    return fc.oneof(
      listOf(this.literal(d), 1, 2).map((ls) => ({ text: joinInline(ls), multiLine: false })),
      fc
        .tuple(listOf(this.literal(d), 1, 3), indent)
        .map(([ls, ind]) => ({ text: joinLines(ls, ind), multiLine: true })),
    );
  }

  comprehension(d: number): Arb {
    return this.m(`compr${d}`, () => {
      const head = this.operand(d - 1);
      const body = this.comprehensionBody(d - 1);
      const wrap = (open: string, close: string, h: Arb) =>
        fc.tuple(h, ows, ws, body, ows).map(([hd, a, b, bd, c]) =>
          bd.multiLine ? `${open}${a}${hd} |\n${bd.text}\n${close}` : `${open}${a}${hd}${b}|${b}${bd.text}${c}${close}`,
        );
      return weighted(
        [2, wrap("[", "]", head)],
        [2, wrap("{", "}", head)],
        [2, wrap("{", "}", seq(this.operand(d - 1), ows, ":", ows, this.operand(d - 1)))],
      );
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // refs and calls

  private pathElement(d: number): Arb {
    return this.m(`pathel${d}`, () => {
      const index = d <= 0
        ? weighted([3, stringLit], [2, natural], [2, varOrWildcard])
        : weighted([3, stringLit], [2, natural], [3, varOrWildcard], [1, this.ref(d - 1)], [1, seq(varName, ws, "+", ws, "1")]);
      return weighted([5, seq(".", refFieldName)], [3, seq("[", ows, index, ows, "]")], [1, '["b-c"]'], [1, "[_]"]);
    });
  }

  /** `input.x[_]`, `data.a["b-c"]`, `user.roles[i]`, and refs on collections and calls. */
  ref(d: number): Arb {
    return this.m(`ref${d}`, () => {
      const root = weighted([3, "input"], [2, "data"], [4, varName]);
      const path = listOf(this.pathElement(d), 1, 4).map((ps) => ps.join(""));
      const alts: [number, Part][] = [
        [10, seq(root, path)],
        [1, fc.constantFrom('input.x[_]', 'data.a["b-c"]', "input.request.user.roles[i]", "data.roles[role].perms[_]")],
      ];
      if (d > 0) {
        const shortPath = listOf(this.pathElement(0), 1, 2).map((ps) => ps.join(""));
        alts.push([1, seq(this.array(d - 1).filter((s) => s !== "[]"), shortPath)]);
        alts.push([1, seq(this.object(d - 1), shortPath)]);
        alts.push([1, seq(this.call(d - 1), shortPath)]);
        alts.push([1, seq(this.comprehension(d - 1), shortPath)]);
      }
      return weighted(...alts);
    });
  }

  call(d: number): Arb {
    return this.m(`call${d}`, () => {
      const args = d <= 0 ? listOf(weighted([2, scalar], [2, varName]), 0, 2) : listOf(this.argument(d - 1), 0, this.maxItems);
      return fc
        .tuple(fc.constantFrom(...BUILTINS), args, ows, fc.boolean())
        .map(([name, as, sp, multi]) =>
          multi && as.length > 1 ? `${name}(\n\t${as.join(",\n\t")},\n)` : `${name}(${as.join(`,${sp === "" ? " " : sp}`)})`,
        );
    });
  }

  /** A call argument: any expression, `|` and `in` included (they need no parentheses there). */
  private argument(d: number): Arb {
    return this.m(`arg${d}`, () => weighted([6, this.item(d)], [1, this.infix(d, true)]));
  }

  // -------------------------------------------------------------------------------------------------------------
  // operands and expressions

  /** A term that can stand on either side of an operator: no unparenthesized infix expression. */
  operand(d: number): Arb {
    return this.m(`operand${d}`, () => {
      if (d <= 0) {
        return weighted([4, scalar], [4, varOrWildcard], [3, this.ref(0)], [2, this.call(0)], [1, "[]"], [1, "{}"], [1, "set()"]);
      }
      return weighted(
        [4, scalar],
        [4, varOrWildcard],
        [4, this.ref(d)],
        [3, this.call(d)],
        [2, this.array(d)],
        [2, this.set(d)],
        [2, this.object(d)],
        [2, this.comprehension(d)],
        [2, seq("(", ows, this.infix(d - 1, true), ows, ")")],
        [1, seq("(", ows, this.membership(d - 1), ows, ")")],
      );
    });
  }

  /**
   * `operand (op operand)*`. With `pipe`, `|` may appear (not inside collections, where `[a | b]` would be a
   * comprehension).
   */
  infix(d: number, pipe: boolean): Arb {
    return this.m(`infix${d}${pipe}`, () => {
      const ops = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&", ...(pipe ? ["|"] : [])];
      // an operator may end a line: the expression continues on the next one
      const afterOp = weighted([20, ows], [1, seq("\n", indent)]);
      const tail = listOf(seq(ows, fc.constantFrom(...ops), afterOp, this.operand(d)), 1, 3).map((xs) => xs.join(""));
      return weighted([3, this.operand(d)], [2, seq(this.operand(d), tail)]);
    });
  }

  /** An item of an array or set, the value of an object entry. */
  item(d: number): Arb {
    return this.infix(Math.max(0, d), false);
  }

  /** `x in xs` (a binary membership; `k, v in xs` only where a literal allows it). */
  membership(d: number): Arb {
    return this.m(`member${d}`, () => seq(this.infix(Math.max(0, d), false), ws, "in", ws, this.operand(Math.max(0, d))));
  }

  /** A constant: what `default` accepts. */
  constant(d: number): Arb {
    return this.m(`const${d}`, () => {
      if (d <= 0) return scalar;
      return weighted(
        [5, scalar],
        [1, this.layout("[", "]", listOf(this.constant(d - 1), 1, this.maxItems))],
        [1, this.layout("{", "}", listOf(this.constant(d - 1), 1, this.maxItems))],
        [1, this.layout("{", "}", listOf(seq(stringLit, ows, ":", ows, this.constant(d - 1)), 1, this.maxItems))],
        [1, fc.constantFrom("[]", "{}", "set()")],
      );
    });
  }
}

/** Literals joined by `;` on one line. */
export function joinInline(ls: readonly string[]): string {
  return ls.map((l, i) => (i === 0 ? l : `; ${l}`)).join("");
}

/** Literals one per line with an indentation; `;` before a literal that starts with `-`. */
function joinLines(ls: readonly string[], ind: string): string {
  return ls.map((l, i) => `${ind}${i > 0 && l.startsWith("-") ? ";" : ""}${l}`).join("\n");
}
