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

type Arb = fc.Arbitrary<string>;
type Part = Arb | string;

export const REGO_KEYWORDS: ReadonlySet<string> = new Set([
  "package",
  "import",
  "as",
  "default",
  "if",
  "contains",
  "else",
  "some",
  "in",
  "every",
  "not",
  "with",
  "true",
  "false",
  "null",
]);

/** Names that are not plain variables: keywords, the roots `data` / `input`, and the wildcard. */
const RESERVED: ReadonlySet<string> = new Set([...REGO_KEYWORDS, "data", "input", "_"]);

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

// ---------------------------------------------------------------------------------------------------------------
// small combinators

function lift(p: Part): Arb {
  return typeof p === "string" ? fc.constant(p) : p;
}

/** Concatenation of fragments. */
export function seq(...parts: Part[]): Arb {
  return fc.tuple(...parts.map(lift)).map((xs) => xs.join(""));
}

function weighted(...alts: [number, Part][]): Arb {
  return fc.oneof(...alts.filter(([w]) => w > 0).map(([weight, arbitrary]) => ({ weight, arbitrary: lift(arbitrary) })));
}

function opt(p: Part, weight = 1, noneWeight = 1): Arb {
  return weighted([noneWeight, ""], [weight, p]);
}

function listOf(item: Arb, min: number, max: number): fc.Arbitrary<string[]> {
  return fc.array(item, { minLength: min, maxLength: Math.max(min, max) });
}

// ---------------------------------------------------------------------------------------------------------------
// lexical pieces

/** Required whitespace between two tokens on one line. */
export const ws: Arb = weighted([12, " "], [1, "  "], [1, "\t"], [1, " \t "]);
/** Optional whitespace between two tokens that cannot merge. */
export const ows: Arb = weighted([6, ""], [6, " "], [1, "  "], [1, "\t"]);
/** Indentation at the start of a line inside a block (purely cosmetic in Rego). */
const indent: Arb = weighted([6, "\t"], [4, "  "], [4, "    "], [1, ""], [1, "        "], [1, " \t"]);
/** One or more line breaks, occasionally with blank lines holding spaces. */
const newlines: Arb = weighted([10, "\n"], [3, "\n\n"], [1, "\n  \n"], [1, "\n\n\n"], [1, "\n\t\n"]);

const COMMON_NAMES = [
  "x",
  "y",
  "z",
  "k",
  "v",
  "i",
  "j",
  "xs",
  "user",
  "role",
  "roles",
  "perm",
  "item",
  "name",
  "resource",
  "action",
  "req",
  "obj",
  "val",
  "key",
  "count_x",
  "_tmp",
  "x1",
  "A_B",
  // identifiers that start with a keyword: the lexer must not split them
  "iff",
  "inx",
  "input_x",
  "datax",
  "notify",
  "someone",
  "everyone",
  "contained",
  "elsewhere",
  "within",
  "imports",
  "packages",
  "defaults",
  "truex",
  "falsey",
  "nullable",
  "asx",
  "as_of",
  "ifx",
];

const generatedName: Arb = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,7}$/)
  .filter((s) => !RESERVED.has(s) && s !== "set");

/** A plain variable name (never a keyword, `data`, `input` or `_`). */
export const varName: Arb = weighted([5, fc.constantFrom(...COMMON_NAMES)], [1, generatedName]);
/** A variable as it may appear in expressions, the wildcard included. */
const varOrWildcard: Arb = weighted([8, varName], [1, "_"]);

/** A name after `.` in a ref: a plain identifier (keywords after `.` are not generated). */
const fieldName: Arb = weighted(
  [5, fc.constantFrom("a", "b", "c", "user", "roles", "name", "spec", "metadata", "labels", "kind", "request", "method", "path", "id")],
  [2, varName],
);

/** A name after `.` in an expression's ref: mostly plain names, sometimes keywords (`input.in`, `data.x.every`). */
const refFieldName: Arb = weighted([12, fieldName], [1, fc.constantFrom("in", "if", "contains", "every", "some", "else")]);

const RULE_NAMES = [
  "allow",
  "deny",
  "violation",
  "p",
  "q",
  "r",
  "is_admin",
  "user_roles",
  "everything",
  "notes",
  "within_limit",
  "import_ok",
  "results",
  "decision",
];
const ruleName: Arb = weighted([4, fc.constantFrom(...RULE_NAMES)], [1, varName.filter((s) => s !== "_")]);

const FUNCTION_NAMES = ["f", "g", "has_role", "is_valid", "fmt_name", "matches", "lookup"];
const functionName: Arb = fc.constantFrom(...FUNCTION_NAMES);

const BUILTINS = [
  "count",
  "sum",
  "max",
  "min",
  "startswith",
  "endswith",
  "concat",
  "sprintf",
  "lower",
  "upper",
  "trim_space",
  "is_string",
  "contains",
  "strings.replace_n",
  "object.get",
  "object.union",
  "array.concat",
  "json.marshal",
  "regex.match",
  "time.now_ns",
  "net.cidr_contains",
  "io.jwt.decode",
  "walk",
  "data.lib.f",
  "data.lib.util.check",
  "f",
  "g",
  "has_role",
];

// ---------------------------------------------------------------------------------------------------------------
// scalars

const digits = (min: number, max: number): Arb =>
  fc.array(fc.constantFrom(..."0123456789".split("")), { minLength: min, maxLength: max }).map((d) => d.join(""));
/** A natural number without leading zeros. */
const natural: Arb = weighted(
  [3, fc.nat({ max: 100 }).map(String)],
  [2, fc.nat().map(String)],
  [1, seq(fc.constantFrom(..."123456789".split("")), digits(0, 30))],
  [1, fc.constantFrom("123456789012345678901234567890", "9007199254740993", "18446744073709551616")],
);
const exponent: Arb = seq(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.nat({ max: 30 }).map(String));
const unsignedNumber: Arb = weighted(
  [6, natural],
  [2, seq(natural, ".", digits(1, 6))],
  [1, seq(natural, exponent)],
  [1, seq(natural, ".", digits(1, 4), exponent)],
  [1, fc.constantFrom("0.5", "3.14159", "1e3", "2.5E-4", "1e+2", "0.0", "6.02e23")],
);
/** A number literal; negative numbers are written with `-` touching the digits. */
export const numberLit: Arb = weighted([4, unsignedNumber], [1, seq("-", unsignedNumber)]);

const stringChar: Arb = weighted(
  [20, fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 _-./:#{}[]()|&=<>!?*+%@$'`,;".split(""))],
  [4, fc.constantFrom("\\n", '\\"', "\\\\", "\\u00e9", "\\t", "\\/", "\\b", "\\f", "\\r", "\\u0041", "\\u2603", "\\ud83d\\ude00")],
  [2, fc.constantFrom("é", "ü", "日本", "ß", "😀", "Ω", "\u00a0")],
  [
    1,
    fc
      .integer({ min: 0x20, max: 0xfffd })
      .filter((c) => c < 0xd800 || c > 0xdfff)
      .map((c) => `\\u${c.toString(16).padStart(4, "0")}`),
  ],
);
/** A double-quoted string with JSON escapes. */
export const quotedString: Arb = fc.array(stringChar, { maxLength: 12 }).map((cs) => `"${cs.join("")}"`);

const rawChar: Arb = weighted(
  [20, fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 _-./:#{}[]()|&=<>!?*+%@$'\",;".split(""))],
  [3, fc.constantFrom("\\", "\\d+", "\\n", "^", "$", "é", "\t")],
  [1, "\n"],
);
/** A back-tick raw string (may span lines; never contains a back-tick). */
export const rawString: Arb = fc.array(rawChar, { maxLength: 12 }).map((cs) => `\`${cs.join("")}\``);

export const stringLit: Arb = weighted(
  [6, quotedString],
  [2, rawString],
  [2, fc.constantFrom('"admin"', '"read"', '"write"', '"b-c"', '""', '"GET"', '"/api/v1"', '"a.b"')],
);

export const scalar: Arb = weighted([4, numberLit], [5, stringLit], [1, "true"], [1, "false"], [1, "null"]);

// ---------------------------------------------------------------------------------------------------------------
// comments

const commentText: Arb = weighted(
  [4, fc.constantFrom(" TODO: tighten", " see RFC 42", " deny by default", "", " é ü 日本", "#", " x := 1 { not a rule }", "\ttabbed")],
  [2, fc.string({ maxLength: 20 }).map((s) => s.replace(/[\n\r\u2028\u2029]/g, " "))],
);
const comment: Arb = seq("#", commentText);

// ---------------------------------------------------------------------------------------------------------------
// the generator

export class RegoTextGenerator {
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

  private m(key: string, build: () => Arb): Arb {
    let a = this.memo.get(key);
    if (a === undefined) {
      a = build();
      this.memo.set(key, a);
    }
    return a;
  }

  /** A trailing comment (with its leading space) or nothing. */
  private trailingComment(weight = 1): Arb {
    return this.comments ? opt(seq(ws, comment), weight, 6) : fc.constant("");
  }

  /** Own-line comments, each followed by a line break and indentation, or nothing. */
  private ownLineComments(ind: Part, weight = 1): Arb {
    if (!this.comments) return fc.constant("");
    return opt(listOf(seq(comment, "\n", ind), 1, 2).map((cs) => cs.join("")), weight, 8);
  }

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

/** Literals joined by `;` on one line. */
function joinInline(ls: readonly string[]): string {
  return ls.map((l, i) => (i === 0 ? l : `; ${l}`)).join("");
}

/** Literals one per line with an indentation; `;` before a literal that starts with `-`. */
function joinLines(ls: readonly string[], ind: string): string {
  return ls.map((l, i) => `${ind}${i > 0 && l.startsWith("-") ? ";" : ""}${l}`).join("\n");
}

/** Valid Rego v1 module text. */
export function regoModule(options: RegoTextOptions = {}): fc.Arbitrary<string> {
  return new RegoTextGenerator(options).module();
}

/** Rego tokens (and near-tokens) for token soups. */
export const REGO_TOKEN_SOUP: readonly string[] = [
  "package",
  "import",
  "as",
  "default",
  "if",
  "contains",
  "else",
  "some",
  "in",
  "every",
  "not",
  "with",
  "true",
  "false",
  "null",
  "data",
  "input",
  "rego.v1",
  "x",
  "p",
  "f",
  "_",
  "1",
  "-1",
  "1.5e3",
  "0001",
  "1e999999",
  '"s"',
  '"\\u00e9"',
  '"\\q"',
  '"unterminated',
  "`raw`",
  "`unterminated",
  ":=",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  ",",
  ";",
  ":",
  ".",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "# comment",
  "# METADATA",
  "\n",
  "\n",
  " ",
  " ",
  "\t",
  "'",
  "$",
  "!",
  "@",
  "\\",
  "\u00e9",
  "\r\n",
];

/** Sequences of Rego tokens with random spacing: syntactically mostly invalid, lexically mostly valid. */
export function tokenSoup(maxTokens = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...REGO_TOKEN_SOUP), fc.constantFrom("", " ", "\n")), { maxLength: maxTokens })
    .map((ts) => ts.map(([t, s]) => t + s).join(""));
}
