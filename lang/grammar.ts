// The Rego v1 grammar as a Chevrotain CstParser. One instance (see `parser`) is built once and reused.
//
// Expressions are parsed flat (`operand (operator operand)*`); `to-ast.ts` applies operator precedence. Two rules
// of Rego are whitespace-sensitive and enforced with gates on token positions:
// - a ref continues (`.`, `[`, `(`) only when the continuation touches the previous token: `a[1]` is a ref,
//   `a [1]` is `a` followed by an array;
// - the literals of a body are separated by `;` or by a line break.
import type { IToken, TokenType } from "chevrotain";
import { CstParser, EOF } from "./chevrotain.js";
import * as T from "./tokens.js";
import { parserErrorMessages } from "./parse-errors.js";

const BINARY_OPERATORS: TokenType[] = [
  T.Equal,
  T.NotEqual,
  T.LessEq,
  T.GreaterEq,
  T.Less,
  T.Greater,
  T.Plus,
  T.Minus,
  T.Star,
  T.Slash,
  T.Percent,
  T.Amp,
  T.Pipe,
  T.In,
];

const STOP_MEMBERSHIP_SCAN = new Set<TokenType>([
  T.Comma,
  T.Semicolon,
  T.Assign,
  T.Unify,
  T.Colon,
  T.With,
  T.If,
  T.Else,
  T.Some,
  T.Every,
  T.Not,
]);

/** Tokens allowed after `.` in a ref: names, and keywords used as names (`input.in`, `data.x.every`). */
const REF_NAME_TOKENS: TokenType[] = [T.Identifier, ...T.KEYWORDS];

/** Consumption options, made once (Chevrotain would otherwise get a new object on every call). */
const LBL = {
  alternative: { LABEL: "alternative" },
  args: { LABEL: "args" },
  bareBlock: { LABEL: "bareBlock" },
  containsValue: { LABEL: "containsValue" },
  dotName: { LABEL: "dotName" },
  every: { LABEL: "every" },
  first: { LABEL: "first" },
  firstTail: { LABEL: "firstTail" },
  index: { LABEL: "index" },
  key: { LABEL: "key" },
  left: { LABEL: "left" },
  name: { LABEL: "name" },
  op: { LABEL: "op" },
  rest: { LABEL: "rest" },
  right: { LABEL: "right" },
  some: { LABEL: "some" },
  someMore: { LABEL: "someMore" },
  target: { LABEL: "target" },
  trailingComma: { LABEL: "trailingComma" },
  value: { LABEL: "value" },
  valueOp: { LABEL: "valueOp" },
  valueOperand: { LABEL: "valueOperand" },
  valueTail: { LABEL: "valueTail" },
} as const;

export class RegoParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, {
      recoveryEnabled: false,
      maxLookahead: 3,
      nodeLocationTracking: "none",
      errorMessageProvider: parserErrorMessages,
    });
    this.performSelfAnalysis();
    this.isArrayComprehension = this.BACKTRACK(this.arrayComprehensionTail);
    this.isBraceComprehension = this.BACKTRACK(this.braceComprehensionTail);
  }

  // OR alternatives, made once per call site: Chevrotain's performance guide asks for this, as building the
  // array of alternatives on every call is the parser's largest source of garbage.
  private readonly altCache: unknown[] = [];
  private alts<A>(site: number, make: () => A): A {
    return (this.altCache[site] ??= make()) as A;
  }

  /** The index of the last consumed token (-1 before the first). */
  get position(): number {
    return (this as unknown as { exportLexerState(): number }).exportLexerState();
  }
  set position(index: number) {
    (this as unknown as { importLexerState(i: number): void }).importLexerState(index);
  }

  /**
   * The root rule is invoked once per statement (see parse.ts), so input left over after it is the next
   * statement, not an error: skip Chevrotain's "redundant input" check but keep its clean-up.
   */
  protected onAfterParse(): void {
    const vector = (this as unknown as { tokVector: IToken[] }).tokVector;
    while (vector.length > 0 && vector[vector.length - 1]!.tokenType === EOF) vector.pop();
  }

  private touchesPrevious(): boolean {
    const prev = this.LA(0);
    const next = this.LA(1);
    return prev !== undefined && next.startOffset === prev.endOffset! + 1;
  }

  /** After `k`, at a comma: does `, v in` follow (the value may be any term, so scan to `in` at depth 0)? */
  private membershipAhead(): boolean {
    if (this.LA(1).tokenType !== T.Comma) return false;
    let depth = 0;
    for (let k = 2; ; k++) {
      const tok = this.LA(k);
      const type = tok.tokenType;
      if (type === EOF) return false;
      const prev = this.LA(k - 1);
      if (prev.tokenType === T.Dot) continue; // a name after `.`, even a keyword (`b.if`, `data.every`)
      if (depth === 0 && tok.startLine! > prev.endLine!) return false; // the next statement
      if (type === T.LBrack || type === T.LBrace || type === T.LParen) depth++;
      else if (type === T.RBrack || type === T.RBrace || type === T.RParen) {
        if (--depth < 0) return false;
      } else if (depth === 0) {
        if (type === T.In) return true;
        if (STOP_MEMBERSHIP_SCAN.has(type)) return false;
      }
    }
  }

  // Speculative parses (Chevrotain backtracking), made once: at `|`, is this a comprehension?
  private isArrayComprehension!: () => boolean;
  private isBraceComprehension!: () => boolean;

  private onNewLine(): boolean {
    const prev = this.LA(0);
    const next = this.LA(1);
    return prev !== undefined && next.startLine! > prev.endLine!;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Statements

  public statement = this.RULE("statement", () => {
    this.OR(this.alts(1, () => ([
      { ALT: () => this.SUBRULE(this.packageDecl) },
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.ruleDecl) },
    ])));
  });

  public packageDecl = this.RULE("packageDecl", () => {
    this.CONSUME(T.Package);
    this.SUBRULE(this.operand);
  });

  public importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.SUBRULE(this.operand);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier);
    });
  });

  public ruleDecl = this.RULE("ruleDecl", () => {
    this.OPTION(() => this.CONSUME(T.Default));
    this.SUBRULE(this.ruleHead);
    this.OPTION1(() => {
      this.OR(this.alts(3, () => ([
        {
          ALT: () => {
            this.CONSUME(T.Contains);
            this.SUBRULE(this.expr, LBL.containsValue);
          },
        },
        {
          ALT: () => {
            this.OR1(this.alts(2, () => ([{ ALT: () => this.CONSUME(T.Assign) }, { ALT: () => this.CONSUME(T.Unify) }])));
            this.SUBRULE1(this.expr, LBL.value);
          },
        },
      ])));
    });
    this.OPTION2(() => this.SUBRULE(this.ruleBody));
    this.MANY(() => {
      this.OR2(this.alts(4, () => ([
        { ALT: () => this.SUBRULE(this.elseClause) },
        { ALT: () => this.SUBRULE(this.block, LBL.alternative) },
      ])));
    });
  });

  /** `p`, `a.b.c`, `p[x]`, `a.b[k]`, `f(x, y)`: a name followed by ref arguments or function parameters. */
  public ruleHead = this.RULE("ruleHead", () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.refArg));
  });

  /** `if literal`, `if { … }`, or a bare `{ … }` (Rego v0 style, reported by to-ast). */
  public ruleBody = this.RULE("ruleBody", () => {
    this.OR(this.alts(6, () => ([
      {
        ALT: () => {
          this.CONSUME(T.If);
          this.OR1(this.alts(5, () => ({
            IGNORE_AMBIGUITIES: true,
            DEF: [{ ALT: () => this.SUBRULE(this.block) }, { ALT: () => this.SUBRULE(this.literal) }],
          })));
        },
      },
      { ALT: () => this.SUBRULE1(this.block, LBL.bareBlock) },
    ])));
  });

  public elseClause = this.RULE("elseClause", () => {
    this.CONSUME(T.Else);
    this.OPTION(() => {
      this.OR(this.alts(7, () => ([{ ALT: () => this.CONSUME(T.Assign) }, { ALT: () => this.CONSUME(T.Unify) }])));
      this.SUBRULE(this.expr, LBL.value);
    });
    this.OPTION1(() => this.SUBRULE(this.ruleBody));
  });

  public block = this.RULE("block", () => {
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.query);
    this.CONSUME(T.RBrace);
  });

  // ------------------------------------------------------------------------------------------------------------
  // Bodies

  public query = this.RULE("query", () => {
    this.SUBRULE(this.literal);
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Semicolon || this.onNewLine(),
      DEF: () => {
        this.OPTION(() => this.CONSUME(T.Semicolon));
        this.SUBRULE1(this.literal);
      },
    });
  });

  public literal = this.RULE("literal", () => {
    this.OR(this.alts(9, () => ([
      {
        ALT: () => {
          this.CONSUME(T.Some);
          this.SUBRULE(this.expr, LBL.some);
          // `some x, y`: more variables (a comma followed by `v in xs` belongs to `expr`)
          this.MANY2(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE4(this.expr, LBL.someMore);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Every);
          this.SUBRULE1(this.expr, LBL.every);
          this.SUBRULE(this.block);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.SUBRULE2(this.expr, LBL.left);
          this.OPTION1(() => {
            this.OR1(this.alts(8, () => ([{ ALT: () => this.CONSUME(T.Assign) }, { ALT: () => this.CONSUME(T.Unify) }])));
            this.SUBRULE3(this.expr, LBL.right);
          });
        },
      },
    ])));
    this.MANY(() => this.SUBRULE(this.withModifier));
  });

  public withModifier = this.RULE("withModifier", () => {
    this.CONSUME(T.With);
    this.SUBRULE(this.operand, LBL.target);
    this.CONSUME(T.As);
    this.SUBRULE(this.expr, LBL.value);
  });

  // ------------------------------------------------------------------------------------------------------------
  // Expressions

  /**
   * One expression: `operand (operator operand)*`, flat, or `k, v in xs` (a comma continues the expression only
   * when `in` follows; otherwise OPA reads `a, b` as two items of an enclosing list, as in `[x | y, 4]`).
   */
  public expr = this.RULE("expr", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.OR(this.alts(10, () => (BINARY_OPERATORS.map((tok) => ({ ALT: () => this.CONSUME(tok, LBL.op) })))));
      this.SUBRULE1(this.operand);
    });
    this.OPTION({
      GATE: () => this.membershipAhead(),
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.operand, LBL.valueOperand);
        this.MANY1(() => {
          this.OR1(this.alts(11, () => (BINARY_OPERATORS.map((tok) => ({ ALT: () => this.CONSUME1(tok, LBL.valueOp) })))));
          this.SUBRULE3(this.operand, LBL.valueOperand);
        });
      },
    });
  });

  /** `operand (operator operand)*`, flat, with no top-level comma (an item of a list). */
  public infix = this.RULE("infix", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.OR(this.alts(12, () => (BINARY_OPERATORS.map((tok) => ({ ALT: () => this.CONSUME(tok, LBL.op) })))));
      this.SUBRULE1(this.operand);
    });
  });

  /** `(operator operand)+` after an operand already read; the operators are labelled `op`, in order. */
  public infixTail = this.RULE("infixTail", () => {
    this.AT_LEAST_ONE(() => {
      this.OR(this.alts(13, () => (BINARY_OPERATORS.map((tok) => ({ ALT: () => this.CONSUME(tok, LBL.op) })))));
      this.SUBRULE(this.operand);
    });
  });

  /** A term, followed by ref arguments that touch it. */
  public operand = this.RULE("operand", () => {
    this.OR(this.alts(14, () => ([
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.NumberLit);
        },
      },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.RawStringLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      // `contains` is a keyword only in rule heads; elsewhere it is the name of a built-in.
      { ALT: () => this.CONSUME(T.Contains) },
      { ALT: () => this.SUBRULE(this.arrayLiteral) },
      { ALT: () => this.SUBRULE(this.braceLiteral) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ])));
    // `.name` is the most common ref argument: read it here rather than in a `refArg` node of its own
    this.MANY({
      GATE: () => this.touchesPrevious(),
      DEF: () =>
        this.OR1(this.alts(16, () => ({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              ALT: () => {
                this.CONSUME(T.Dot);
                this.OR2(this.alts(15, () => (REF_NAME_TOKENS.map((tok) => ({ ALT: () => this.CONSUME1(tok, LBL.dotName) })))));
              },
            },
            { ALT: () => this.SUBRULE(this.refArg) },
          ],
        }))),
    });
  });

  public refArg = this.RULE("refArg", () => {
    this.OR(this.alts(18, () => ([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.OR1(this.alts(17, () => (REF_NAME_TOKENS.map((tok) => ({ ALT: () => this.CONSUME(tok, LBL.name) })))));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBrack);
          this.SUBRULE(this.expr, LBL.index);
          this.CONSUME(T.RBrack);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION(() => this.SUBRULE(this.itemList, LBL.args));
          this.CONSUME(T.RParen);
        },
      },
    ])));
  });

  public parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr);
    this.CONSUME(T.RParen);
  });

  /** `a, b, c` with an optional trailing comma, for arrays, sets and call arguments. */
  public itemList = this.RULE("itemList", () => {
    this.SUBRULE(this.infix);
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.RBrack && this.LA(2).tokenType !== T.RBrace && this.LA(2).tokenType !== T.RParen,
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE1(this.infix);
      },
    });
    this.OPTION(() => this.CONSUME1(T.Comma, LBL.trailingComma));
  });

  /** `| body ]`, tried ahead of committing to an array comprehension. */
  public arrayComprehensionTail = this.RULE("arrayComprehensionTail", () => {
    this.CONSUME(T.Pipe);
    this.SUBRULE(this.query);
    this.CONSUME(T.RBrack);
  });

  /** `| body }`, tried ahead of committing to a set or object comprehension. */
  public braceComprehensionTail = this.RULE("braceComprehensionTail", () => {
    this.CONSUME(T.Pipe);
    this.SUBRULE(this.query);
    this.CONSUME(T.RBrace);
  });

  /**
   * `[]`, `[a, b]`, `[x | body]`. A comprehension's head is a single operand, and `|` after it starts a
   * comprehension when a body and `]` follow; otherwise `|` is the union operator (`[a | b, 4]`), as in OPA.
   */
  public arrayLiteral = this.RULE("arrayLiteral", () => {
    this.CONSUME(T.LBrack);
    this.OPTION(() => {
      this.SUBRULE(this.operand, LBL.first);
      this.OR(this.alts(19, () => ({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => this.LA(1).tokenType === T.Pipe && this.isArrayComprehension(),
            ALT: () => {
              this.CONSUME(T.Pipe);
              this.SUBRULE(this.query);
            },
          },
          {
            ALT: () => {
              this.OPTION3(() => this.SUBRULE(this.infixTail));
              this.OPTION1(() => {
                this.CONSUME(T.Comma);
                this.OPTION2(() => this.SUBRULE(this.itemList, LBL.rest));
              });
            },
          },
        ],
      })));
    });
    this.CONSUME(T.RBrack);
  });

  /** `{}`, sets `{a, b}`, objects `{k: v}`, and set / object comprehensions. */
  public braceLiteral = this.RULE("braceLiteral", () => {
    this.CONSUME(T.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.operand, LBL.first);
      this.OR(this.alts(21, () => ({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => this.LA(1).tokenType === T.Pipe && this.isBraceComprehension(),
            ALT: () => {
              this.CONSUME(T.Pipe);
              this.SUBRULE(this.query);
            },
          },
          {
            ALT: () => {
              this.OPTION3(() => this.SUBRULE(this.infixTail, LBL.firstTail));
              this.OR1(this.alts(20, () => ([
                { ALT: () => this.SUBRULE(this.objectRest) },
                {
                  ALT: () => {
                    this.OPTION1(() => {
                      this.CONSUME(T.Comma);
                      this.OPTION2(() => this.SUBRULE(this.itemList, LBL.rest));
                    });
                  },
                },
              ])));
            },
          },
        ],
      })));
    });
    this.CONSUME(T.RBrace);
  });

  /** After `{key`: `: value | body }` (object comprehension) or `: value, k2: v2, …`. */
  public objectRest = this.RULE("objectRest", () => {
    this.CONSUME(T.Colon);
    this.SUBRULE(this.operand, LBL.value);
    this.OR(this.alts(22, () => ({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(1).tokenType === T.Pipe && this.isBraceComprehension(),
          ALT: () => {
            this.CONSUME(T.Pipe);
            this.SUBRULE(this.query);
          },
        },
        {
          ALT: () => {
            this.OPTION1(() => this.SUBRULE(this.infixTail, LBL.valueTail));
            this.MANY({
              GATE: () => this.LA(2).tokenType !== T.RBrace,
              DEF: () => {
                this.CONSUME(T.Comma);
                this.SUBRULE(this.objectEntry);
              },
            });
            this.OPTION(() => this.CONSUME1(T.Comma, LBL.trailingComma));
          },
        },
      ],
    })));
  });

  public objectEntry = this.RULE("objectEntry", () => {
    this.SUBRULE(this.infix, LBL.key);
    this.CONSUME(T.Colon);
    this.SUBRULE1(this.infix, LBL.value);
  });
}

/** The one parser instance: building it runs Chevrotain's grammar analysis, which is done once. */
export const parser = new RegoParser();
