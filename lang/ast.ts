// The typed syntax tree of a `.guard` / Rego v1 module. Every node carries its location.
// The tree keeps what the author wrote where it matters for formatting (operators, raw strings, body style),
// and nothing the engine would have to undo: `a.b` and `a["b"]` are the same ref, parentheses become nesting.

export interface Location {
  file: string;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
  /** 1-based line and column of the last character (inclusive). */
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the source text: [offset, endOffset). */
  offset: number;
  endOffset: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Terms

export interface NullTerm {
  kind: "null";
  loc: Location;
}
export interface BooleanTerm {
  kind: "boolean";
  value: boolean;
  loc: Location;
}
/** A number literal kept as written (sign included), so integers of any size and exact decimals survive. */
export interface NumberTerm {
  kind: "number";
  raw: string;
  loc: Location;
}
export interface StringTerm {
  kind: "string";
  /** The decoded value. */
  value: string;
  /** Written as a back-tick raw string. */
  raw: boolean;
  loc: Location;
}
/** A variable; `_` is the wildcard. */
export interface VarTerm {
  kind: "var";
  name: string;
  loc: Location;
}
/**
 * A reference: a head followed by a path. `a.b[c]` has head `a` and path `["b" (string), c (var)]`.
 * Heads are vars (including `data` and `input`), collections, comprehensions, or calls (`f(x).y`).
 */
export interface RefTerm {
  kind: "ref";
  head: VarTerm | ArrayTerm | ObjectTerm | SetTerm | ArrayComprehension | SetComprehension | ObjectComprehension | CallTerm;
  path: Term[];
  loc: Location;
}
/** A function call; `name` is the dotted name as written (`count`, `strings.replace_n`, `data.lib.f`). */
export interface CallTerm {
  kind: "call";
  name: string[];
  nameLoc: Location;
  args: Term[];
  loc: Location;
}
export interface ArrayTerm {
  kind: "array";
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  kind: "object";
  entries: ObjectEntry[];
  loc: Location;
}
export interface ObjectEntry {
  key: Term;
  value: Term;
}
/** `{1, 2}`; the empty set is written `set()`. */
export interface SetTerm {
  kind: "set";
  items: Term[];
  loc: Location;
}
export interface ArrayComprehension {
  kind: "arraycompr";
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  kind: "setcompr";
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  kind: "objectcompr";
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}

export type BinaryOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%" | "&" | "|";

/** An infix operator applied to two terms. Precedence is resolved by the parser into nesting. */
export interface BinaryTerm {
  kind: "binary";
  op: BinaryOperator;
  left: Term;
  right: Term;
  loc: Location;
}
/** `value in collection` or `key, value in collection`. */
export interface MembershipTerm {
  kind: "membership";
  key?: Term;
  value: Term;
  collection: Term;
  loc: Location;
}

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | CallTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | BinaryTerm
  | MembershipTerm;

// ---------------------------------------------------------------------------------------------------------------
// Bodies and literals

export interface Body {
  kind: "body";
  literals: Literal[];
  loc: Location;
}

/** One statement of a body: an expression, possibly negated, possibly with `with` modifiers. */
export interface Literal {
  kind: "literal";
  negated: boolean;
  expr: Expr;
  with: WithModifier[];
  loc: Location;
}

/** `with target as value`; the target is `input…`, `data…` or a function name. */
export interface WithModifier {
  kind: "with";
  target: RefTerm | VarTerm;
  value: Term;
  loc: Location;
}

/** A term used as a statement (`x > 1`, `count(xs) == 2`, `allowed`). */
export interface TermExpr {
  kind: "term-expr";
  term: Term;
  loc: Location;
}
/** `left := right` (declare and assign) or `left = right` (unify). */
export interface AssignExpr {
  kind: "assign";
  op: ":=" | "=";
  left: Term;
  right: Term;
  loc: Location;
}
/** `some x, y` (declaration only). */
export interface SomeDecl {
  kind: "some-decl";
  vars: VarTerm[];
  loc: Location;
}
/** `some x in xs` / `some k, v in xs`. */
export interface SomeIn {
  kind: "some-in";
  key?: Term;
  value: Term;
  collection: Term;
  loc: Location;
}
/** `every x in xs { … }` / `every k, v in xs { … }`. */
export interface EveryExpr {
  kind: "every";
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
  loc: Location;
}

export type Expr = TermExpr | AssignExpr | SomeDecl | SomeIn | EveryExpr;

// ---------------------------------------------------------------------------------------------------------------
// Rules and modules

/**
 * A rule head. `name` is the rule's ref: a var head with a path (`p`, `a.b.c`, `p[x]`, `a.b[k]`).
 * - `args`: present for functions (`f(x, y)`).
 * - `contains`: the member of a multi-value rule (`p contains x`).
 * - `op`/`value`: `p := v`, `p = v`, `f(x) := v`.
 */
export interface RuleHead {
  kind: "head";
  name: RefTerm;
  args?: Term[];
  contains?: Term;
  op?: ":=" | "=";
  value?: Term;
  loc: Location;
}

/**
 * How the body was written:
 * - `none`: no body (`p := 1`, `p contains "a"`, `default p := false`);
 * - `if-literal`: `p if x > 1` (one literal after `if`);
 * - `if-block`: `p if { … }`;
 * - `block`: `p { … }` (Rego v0 style; reported as an error in v1 but kept in the tree for tooling).
 */
export type BodyStyle = "none" | "if-literal" | "if-block" | "block";

/** `else [:= value] [if] { … }` or `else := value` (no body). */
export interface ElseClause {
  kind: "else";
  op?: ":=" | "=";
  value?: Term;
  body?: Body;
  bodyStyle: BodyStyle;
  loc: Location;
}

export interface Rule {
  kind: "rule";
  default: boolean;
  head: RuleHead;
  body?: Body;
  bodyStyle: BodyStyle;
  /** Further bodies written `p if { a } { b }`: each one defines the rule again (logical OR). */
  alternatives: Body[];
  elses: ElseClause[];
  annotations?: Annotation;
  loc: Location;
}

export interface PackageDecl {
  kind: "package";
  /** The package path as a ref rooted at a var (`a.b.c` for `package a.b.c`). */
  path: RefTerm;
  annotations?: Annotation;
  loc: Location;
}

export interface ImportDecl {
  kind: "import";
  /** `data.x.y`, `input.z`, `rego.v1`, `future.keywords.in` … */
  path: RefTerm;
  alias?: string;
  loc: Location;
}

export interface Comment {
  kind: "comment";
  /** The text after `#`, as written. */
  text: string;
  loc: Location;
}

export type AnnotationScope = "rule" | "document" | "package" | "subpackages";

/** A `# METADATA` block, parsed as YAML, attached to the package or rule that follows it. */
export interface Annotation {
  kind: "annotation";
  scope: AnnotationScope;
  /** The YAML document as parsed (title, description, schemas, custom, entrypoint, …). */
  data: Record<string, unknown>;
  loc: Location;
}

export interface Module {
  kind: "module";
  file: string;
  package: PackageDecl;
  imports: ImportDecl[];
  rules: Rule[];
  comments: Comment[];
  loc: Location;
}

export type Node =
  | Module
  | PackageDecl
  | ImportDecl
  | Rule
  | RuleHead
  | ElseClause
  | Body
  | Literal
  | WithModifier
  | Expr
  | Term
  | Comment
  | Annotation;
