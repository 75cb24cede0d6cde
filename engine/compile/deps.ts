// Rule dependencies: the rule nodes a rule's data references and calls can reach (the recursion check and the
// search for rules that depend on data alone both follow them).
import type * as A from "../../lang/ast.js";
import type { RuleNode } from "./rule-tree.js";
import { walkRule, walkTerm } from "./walk.js";

/**
 * Adds to `out`, in the tree's pre-order, the rule nodes a data reference (strings, `null` for a computed element)
 * can reach from `node` at depth `i`: a node with rules on the way (the reference reads into its document), and
 * from the reference's end every node with rules below (the reference reads all their documents).
 */
export function reachable(node: RuleNode, ref: readonly (string | null)[], i: number, out: Set<RuleNode>): void {
  if (node.rules.length > 0) out.add(node);
  if (i === ref.length) {
    for (const c of node.children.values()) reachable(c, ref, i, out);
    return;
  }
  const name = ref[i];
  if (name === null) {
    for (const c of node.children.values()) reachable(c, ref, i + 1, out);
    return;
  }
  const c = node.children.get(name!);
  if (c) reachable(c, ref, i + 1, out);
}

/** The data references and function calls of a rule, as paths below `data` (`null` where computed). */
export function dataRefs(rule: A.Rule): (string | null)[][] {
  const out: (string | null)[][] = [];
  const visit = (t: A.Term): boolean => {
    if (t.kind === "var" && t.name === "data") out.push([]);
    else if (t.kind === "call" && t.name[0] === "data") out.push(t.name.slice(1));
    else if (t.kind === "ref" && t.head.kind === "var" && t.head.name === "data") {
      out.push(t.path.map((p) => (p.kind === "string" ? p.value : null)));
      for (const p of t.path) walkTerm(p, visit); // the head is this reference, not all of `data`
      return false;
    }
    return true;
  };
  walkRule(rule, visit);
  return out;
}
