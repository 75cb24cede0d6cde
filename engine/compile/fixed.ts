// Stage "fixed rules": the rule nodes whose value depends on data alone (base data and constants), so that the
// compiled engine computes it once per policy and returns the same value to every evaluation.
//
// A node is fixed when every rule at it, and every rule and function its rules can reach (data references and
// calls, as the recursion check follows them), reads no `input`, calls no non-deterministic built-in (declared
// `nondeterministic`, or one of NONDETERMINISTIC: the clock, randomness, the network) nor `print` (a side effect
// each evaluation must have), and has no `with` (it replaces input, data or functions for what it wraps). What a
// `with` around the evaluation replaces is checked at run time instead: a fixed node's kept value is read and
// written only in contexts where no `with` replaces data or a function (see codegen's emitNode).
import type * as A from "../../lang/ast.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import { dataRefs, reachable } from "./deps.js";
import type { RuleNode } from "./rule-tree.js";
import { walkRule } from "./walk.js";

/**
 * Built-ins whose results are not a function of their arguments, whether or not a registry declares them so:
 * the clock, randomness, identifiers, the network, the runtime, side effects.
 */
export const NONDETERMINISTIC: ReadonlySet<string> = new Set([
  "print",
  "trace",
  "time.now_ns",
  "rand.intn",
  "uuid.rfc4122",
  "uuid.rfc4122_v4",
  "http.send",
  "net.lookup_ip_addr",
  "opa.runtime",
  "io.jwt.decode_verify",
  "io.jwt.encode_sign",
  "io.jwt.encode_sign_raw",
  "crypto.x509.parse_and_verify_certificates",
  "crypto.x509.parse_and_verify_certificates_with_options",
]);

/** The dotted paths (below `data`) of the nodes whose value depends on data alone. */
export function findFixedNodes(root: RuleNode, builtins: BuiltinRegistry): Set<string> {
  const nodes: RuleNode[] = [];
  const collect = (node: RuleNode): void => {
    if (node.rules.length > 0) nodes.push(node);
    for (const c of node.children.values()) collect(c);
  };
  collect(root);
  const fixed = new Map<RuleNode, boolean>();
  const busy = new Set<RuleNode>();
  const isFixed = (node: RuleNode): boolean => {
    const known = fixed.get(node);
    if (known !== undefined) return known;
    if (busy.has(node)) return false; // recursion (reported by the recursion check): never fixed
    busy.add(node);
    let ok = node.rules.every((e) => ownFixed(e.rule, builtins));
    if (ok) {
      const out = new Set<RuleNode>();
      for (const e of node.rules) for (const ref of dataRefs(e.rule)) reachable(root, ref, 0, out);
      for (const q of out) {
        if (!isFixed(q)) {
          ok = false;
          break;
        }
      }
    }
    busy.delete(node);
    fixed.set(node, ok);
    return ok;
  };
  const out = new Set<string>();
  for (const node of nodes) {
    if (node.isFunction()) continue; // functions have no value of their own; they count where they are called
    if (isFixed(node)) out.add(node.rules[0]!.path.join("."));
  }
  return out;
}

/** Whether a rule, by itself, reads neither input nor anything that changes between evaluations. */
function ownFixed(rule: A.Rule, builtins: BuiltinRegistry): boolean {
  let ok = true;
  walkRule(rule, (t) => {
    if (!ok) return false;
    if (t.kind === "var" && t.name === "input") ok = false;
    else if (t.kind === "call" && t.name[0] !== "data") {
      const name = t.name.join(".");
      if (NONDETERMINISTIC.has(name) || builtins.get(name)?.nondeterministic === true) ok = false;
    }
    return ok;
  });
  if (ok) forEachLiteral(rule, (lit) => void (lit.with.length > 0 && (ok = false)));
  return ok;
}

/** Every literal of a rule: its bodies', and those nested in comprehensions and `every`. */
function forEachLiteral(rule: A.Rule, f: (lit: A.Literal) => void): void {
  const body = (b: A.Body): void => {
    for (const lit of b.literals) {
      f(lit);
      if (lit.expr.kind === "every") body(lit.expr.body);
    }
  };
  for (const b of [rule.body, ...rule.alternatives, ...rule.elses.map((e) => e.body)]) if (b) body(b);
  // comprehensions at any depth (walkRule reaches into comprehension and `every` bodies)
  walkRule(rule, (t) => {
    if (t.kind === "arraycompr" || t.kind === "setcompr" || t.kind === "objectcompr") body(t.body);
  });
}
