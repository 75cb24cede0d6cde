// Stage "rule tree": every rule at the data path its head names. `data.<package>.<ground head prefix>` is the node;
// the rest of a ref head (`p[q].r`) and the rule's kind are kept with it.
import type * as A from "../../lang/ast.js";
import type { CompileError } from "../errors.js";

export type RuleKind = "complete" | "multi" | "function";

export interface RuleEntry {
  kind: RuleKind;
  /** The node's path below `data`, all strings. */
  path: string[];
  /** Head ref elements after the node's path (`[q, "r"]` for `p[q].r`); empty for most rules. */
  rest: A.Term[];
  rule: A.Rule;
  /** The module's package path (for messages). */
  packagePath: string[];
}

export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly rules: RuleEntry[] = [];

  child(name: string): RuleNode {
    let c = this.children.get(name);
    if (!c) this.children.set(name, (c = new RuleNode()));
    return c;
  }
  /** Whether any rule is defined at or below this node. */
  hasRules(): boolean {
    return this.rules.length > 0 || [...this.children.values()].some((c) => c.hasRules());
  }
  /** How many key levels of this node's document come from rules with variables in their heads (min over them). */
  dynamicDepth(): number {
    let depth = Infinity;
    for (const r of this.rules) if (r.rest.length > 0) depth = Math.min(depth, r.rest.length);
    return depth;
  }

  /** A function's node: it makes no document. */
  isFunction(): boolean {
    return this.rules.length > 0 && this.rules.every((r) => r.kind === "function");
  }
}

export function ruleKind(rule: A.Rule): RuleKind {
  if (rule.head.args !== undefined) return "function";
  if (rule.head.contains !== undefined) return "multi";
  return "complete";
}

/** Adds a (resolved) rule to the tree; reports rules whose kinds clash at one path. */
export function addRule(root: RuleNode, packagePath: string[], rule: A.Rule, errors: CompileError[]): void {
  const elements: A.Term[] = [
    ...packagePath.map((value): A.StringTerm => ({ kind: "string", value, raw: false, loc: rule.loc })),
    { kind: "string", value: (rule.head.name.head as A.VarTerm).name, raw: false, loc: rule.head.name.loc },
    ...rule.head.name.path,
  ];
  let i = 0;
  const path: string[] = [];
  let node = root;
  while (i < elements.length && elements[i]!.kind === "string") {
    const name = (elements[i] as A.StringTerm).value;
    path.push(name);
    node = node.child(name);
    i++;
  }
  const entry: RuleEntry = { kind: ruleKind(rule), path, rest: elements.slice(i), rule, packagePath };
  const clash = node.rules.find((r) => r.kind !== entry.kind && !(r.rule.default || rule.default));
  if (clash) {
    errors.push({
      code: "rego_type_error",
      message: `conflicting rules data.${path.join(".")} found`,
      loc: rule.loc,
    });
    return;
  }
  node.rules.push(entry);
}

export function findNode(root: RuleNode, path: readonly string[]): RuleNode | undefined {
  let node: RuleNode | undefined = root;
  for (const p of path) {
    node = node.children.get(p);
    if (!node) return undefined;
  }
  return node;
}
