// The compiler: an ordered table of stages over the parsed modules. Each stage adds to the state and collects
// errors; compilation stops after the first stage that reports any (later stages assume earlier ones held).
import type * as A from "../../lang/ast.js";
import type { BuiltinRegistry } from "../builtins/registry.js";
import type { CompileError } from "../errors.js";
import { moduleScope, packagePathOf, patternVars, resolveRule } from "./resolve.js";
import { addRule, findNode, RuleNode, type RuleEntry } from "./rule-tree.js";
import { buildIndexes, type RuleIndexes } from "./index.js";
import { checkBodySafety, checkComprehensions, requireBound, type ArityOf } from "./safety.js";
import { checkSchemas } from "./schema-check.js";
import { checkStrict } from "./strict.js";
import { checkTypes } from "./types.js";
import { dataRefs, reachable } from "./deps.js";
import { findFixedNodes } from "./fixed.js";
import { walkRule } from "./walk.js";

export interface CompileState {
  modules: A.Module[];
  builtins: BuiltinRegistry;
  /** `opa check --strict`'s checks as errors. */
  strict: boolean;
  rules: RuleNode;
  entries: RuleEntry[];
  /** Rule indexes by node (the index stage; the compiled engine uses them). */
  indexes?: RuleIndexes;
  /** Dotted paths of the nodes whose value depends on data alone (the fixed-rules stage): computed once per policy. */
  fixed?: ReadonlySet<string>;
  errors: CompileError[];
}

export interface Stage {
  name: string;
  run(state: CompileState): void;
  /** Runs only when this holds (strict checks run in strict mode only). */
  when?(state: CompileState): boolean;
}

export const STAGES: readonly Stage[] = [
  { name: "resolve refs and build the rule tree", run: buildRuleTree },
  { name: "check functions: unknown names and arity", run: checkFunctions },
  { name: "check safety: every variable can be bound", run: checkSafety },
  { name: "check recursion", run: checkRecursion },
  { name: "type check: built-in arguments whose types are known", run: checkTypes },
  { name: "schema check: input references against the METADATA schemas (strict)", run: (s) => checkSchemas(s), when: (s) => s.strict },
  { name: "strict checks: unused imports, variables and arguments, shadowing, deprecated built-ins", run: checkStrict, when: (s) => s.strict },
  { name: "index rules: bodies by the constants an input field must equal", run: (s) => void (s.indexes = buildIndexes(s.rules, s.entries)) },
  {
    name: "fixed rules: values that depend on data alone (no input, no non-deterministic built-in, no with), computed once per policy",
    run: (s) => void (s.fixed = findFixedNodes(s.rules, s.builtins)),
  },
];

export function compileStages(modules: A.Module[], builtins: BuiltinRegistry, options: { strict?: boolean } = {}): CompileState {
  const state: CompileState = { modules, builtins, strict: options.strict === true, rules: new RuleNode(), entries: [], errors: [] };
  for (const stage of STAGES) {
    if (stage.when && !stage.when(state)) continue;
    stage.run(state);
    if (state.errors.length > 0) break;
  }
  return state;
}

function buildRuleTree(state: CompileState): void {
  const namesByPackage = new Map<string, Set<string>>();
  for (const m of state.modules) {
    const key = packagePathOf(m).join(".");
    const names = namesByPackage.get(key) ?? new Set<string>();
    for (const r of m.rules) names.add((r.head.name.head as A.VarTerm).name);
    namesByPackage.set(key, names);
  }
  for (const m of state.modules) {
    const scope = moduleScope(m, namesByPackage.get(packagePathOf(m).join("."))!);
    for (const r of m.rules) addRule(state.rules, scope.packagePath, resolveRule(r, scope), state.errors);
  }
  const collect = (node: RuleNode) => {
    state.entries.push(...node.rules);
    for (const c of node.children.values()) collect(c);
  };
  collect(state.rules);
}

/** Parameters of a function by resolved name: a user function under `data`, or a built-in. */
export function arityOf(rules: RuleNode, builtins: BuiltinRegistry): ArityOf {
  return (name) => {
    if (name[0] === "data") {
      const fn = findNode(rules, name.slice(1))?.rules.find((r) => r.kind === "function");
      return fn?.rule.head.args?.length;
    }
    const key = name.join(".");
    const decl = builtins.get(key);
    return decl && !decl.variadic ? decl.args.length : undefined;
  };
}

function checkFunctions(state: CompileState): void {
  const arity = arityOf(state.rules, state.builtins);
  for (const entry of state.entries) {
    forEachCall(entry.rule, (call, isStatement) => {
      const key = call.name.join(".");
      if (key === "print") return;
      const known =
        call.name[0] === "data" ? findNode(state.rules, call.name.slice(1)) !== undefined : state.builtins.has(key);
      if (!known) {
        state.errors.push({ code: "rego_type_error", message: `undefined function ${key}`, loc: call.loc });
        return;
      }
      const n = arity(call.name);
      if (n === undefined) return;
      const ok = call.args.length === n || (isStatement && call.args.length === n + 1);
      if (!ok) {
        state.errors.push({
          code: "rego_type_error",
          message: `${key}: arity mismatch: called with ${call.args.length} argument${call.args.length === 1 ? "" : "s"}, takes ${n}`,
          loc: call.loc,
        });
      }
    });
  }
}

function checkSafety(state: CompileState): void {
  const arity = arityOf(state.rules, state.builtins);
  for (const { rule, rest } of state.entries) {
    if (rule.default) continue;
    const entry = new Set<string>();
    for (const a of rule.head.args ?? []) for (const v of patternVars(a)) entry.add(v);
    const heads = [rule.head.value, rule.head.contains, ...rest].filter((t): t is A.Term => t !== undefined);
    for (const body of [rule.body, ...rule.alternatives]) {
      const bound = body ? checkBodySafety(body, entry, arity, state.errors) : new Set(entry);
      for (const h of heads) {
        requireBound(h, bound, state.errors);
        checkComprehensions(h, bound, arity, state.errors);
      }
    }
    for (const el of rule.elses) {
      const bound = el.body ? checkBodySafety(el.body, entry, arity, state.errors) : new Set(entry);
      if (el.value) requireBound(el.value, bound, state.errors);
    }
  }
}

/**
 * Rule dependencies and their cycles. Each data reference of a rule is resolved against the rule tree by walking
 * it: a name follows one child, a computed element (`null`) every child; the rules met on the way (their documents
 * hold what the reference reads) and every rule below its end (the reference reads their documents) are the rules
 * it may reach. The cost is the reference's length plus what it reaches, not the number of rules.
 */
function checkRecursion(state: CompileState): void {
  // nodes with rules, in the order of `state.entries` (the tree in pre-order), and their dotted paths
  const paths = new Map<RuleNode, string>();
  const collect = (node: RuleNode): void => {
    if (node.rules.length > 0) paths.set(node, node.rules[0]!.path.join("."));
    for (const c of node.children.values()) collect(c);
  };
  collect(state.rules);
  const edges = new Map<RuleNode, Set<RuleNode>>();
  for (const node of paths.keys()) {
    const out = new Set<RuleNode>();
    for (const entry of node.rules) for (const ref of dataRefs(entry.rule)) reachable(state.rules, ref, 0, out);
    edges.set(node, out);
  }
  const state2 = new Map<RuleNode, "visiting" | "done">();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const visit = (p: RuleNode): void => {
    const s = state2.get(p);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(p)), p];
      if (!reported.has(p)) {
        reported.add(p);
        state.errors.push({
          code: "rego_recursion_error",
          message: `rule data.${paths.get(p)!} is recursive: ${cycle.map((c) => `data.${paths.get(c)!}`).join(" -> ")}`,
          loc: p.rules[0]?.rule.loc,
        });
      }
      return;
    }
    state2.set(p, "visiting");
    stack.push(p);
    for (const q of edges.get(p) ?? []) visit(q);
    stack.pop();
    state2.set(p, "done");
  };
  for (const p of paths.keys()) visit(p);
}

/** Calls in a rule; `isStatement` for a call that is a whole literal (it may take an output argument). */
function forEachCall(rule: A.Rule, f: (call: A.CallTerm, isStatement: boolean) => void): void {
  walkRule(rule, (t, statement) => {
    if (t.kind === "call") f(t, statement);
  });
}
