// Stage "strict checks", as `opa check --strict` makes them: code that is legal but almost certainly a mistake.
// - an import nothing uses, or the same import twice;
// - a variable assigned with `:=` and never used;
// - a function argument never used (`_` says so on purpose);
// - a variable or rule named `input` or `data`, which would hide the root document;
// - a call of a deprecated built-in.
import type * as A from "../../lang/ast.js";
import type { CompileState } from "./stages.js";
import { walkBody, walkRule, walkTerm } from "./walk.js";

export function checkStrict(state: CompileState): void {
  for (const m of state.modules) checkImports(m, state);
  for (const { rule } of state.entries) {
    checkUnusedAssignments(rule, state);
    checkUnusedArguments(rule, state);
    checkShadowing(rule, state);
    checkDeprecated(rule, state);
  }
}

function checkImports(m: A.Module, state: CompileState): void {
  const used = new Set<string>();
  const note = (t: A.Term) => {
    if (t.kind === "var") used.add(t.name);
    if (t.kind === "ref" && t.head.kind === "var") used.add(t.head.name);
    if (t.kind === "call") used.add(t.name[0]!);
  };
  for (const r of m.rules) {
    walkRule(r, (t) => note(t));
    for (const b of [r.body, ...r.alternatives, ...r.elses.map((e) => e.body)]) {
      if (b) for (const lit of b.literals) for (const w of lit.with) walkTerm(w.target, (t) => note(t));
    }
  }
  const seen = new Set<string>();
  for (const imp of m.imports) {
    const root = (imp.path.head as A.VarTerm).name;
    if (root === "future" || root === "rego") continue;
    const text = [root, ...imp.path.path.map((p) => (p as A.StringTerm).value)].join(".");
    const key = `${text} as ${imp.alias ?? ""}`;
    if (seen.has(key)) {
      state.errors.push({ code: "rego_compile_error", message: `import ${text} is a duplicate`, loc: imp.loc });
      continue;
    }
    seen.add(key);
    const name = imp.alias ?? (imp.path.path.length > 0 ? (imp.path.path[imp.path.path.length - 1] as A.StringTerm).value : root);
    if (!used.has(name)) state.errors.push({ code: "rego_compile_error", message: `import ${text}${imp.alias ? ` as ${imp.alias}` : ""} unused`, loc: imp.loc });
  }
}

/** How often each variable is mentioned in a rule (each `:=` target counts once). */
function mentions(rule: A.Rule): Map<string, number> {
  const count = new Map<string, number>();
  walkRule(rule, (t) => {
    if (t.kind === "var") count.set(t.name, (count.get(t.name) ?? 0) + 1);
  });
  const visitEvery = (b: A.Body | undefined) => {
    if (!b) return;
    for (const lit of b.literals) {
      const e = lit.expr;
      if (e.kind === "every") {
        for (const v of [e.key, e.value]) if (v) count.set(v.name, (count.get(v.name) ?? 0) + 1);
        visitEvery(e.body);
      }
      if (e.kind === "some-decl") for (const v of e.vars) count.set(v.name, (count.get(v.name) ?? 0) + 1);
    }
  };
  for (const b of [rule.body, ...rule.alternatives, ...rule.elses.map((e) => e.body)]) visitEvery(b);
  return count;
}

function assignedVars(b: A.Body, out: A.VarTerm[]): void {
  for (const lit of b.literals) {
    const e = lit.expr;
    if (e.kind === "assign" && e.op === ":=") walkTerm(e.left, (t) => void (t.kind === "var" && out.push(t)));
    if (e.kind === "every") assignedVars(e.body, out);
  }
  walkBody(b, (t) => {
    if (t.kind === "arraycompr" || t.kind === "setcompr" || t.kind === "objectcompr") assignedVars(t.body, out);
  });
}

function checkUnusedAssignments(rule: A.Rule, state: CompileState): void {
  const count = mentions(rule);
  const assigned: A.VarTerm[] = [];
  for (const b of [rule.body, ...rule.alternatives, ...rule.elses.map((e) => e.body)]) if (b) assignedVars(b, assigned);
  const reported = new Set<string>();
  for (const v of assigned) {
    if (v.name.startsWith("_") || reported.has(v.name)) continue;
    if ((count.get(v.name) ?? 0) <= 1) {
      reported.add(v.name);
      state.errors.push({ code: "rego_compile_error", message: `assigned var ${v.name} unused`, loc: v.loc });
    }
  }
}

function checkUnusedArguments(rule: A.Rule, state: CompileState): void {
  if (!rule.head.args) return;
  const count = mentions(rule);
  for (const a of rule.head.args) {
    if (a.kind !== "var" || a.name.startsWith("_")) continue;
    if ((count.get(a.name) ?? 0) <= 1) {
      state.errors.push({ code: "rego_compile_error", message: `unused argument ${a.name}. (hint: use _ (wildcard variable) instead)`, loc: a.loc });
    }
  }
}

function checkShadowing(rule: A.Rule, state: CompileState): void {
  const name = (rule.head.name.head as A.VarTerm).name;
  if (name === "input" || name === "data") {
    state.errors.push({ code: "rego_compile_error", message: `rules must not shadow ${name} (use a different rule name)`, loc: rule.head.loc });
  }
  const assigned: A.VarTerm[] = [];
  for (const b of [rule.body, ...rule.alternatives, ...rule.elses.map((e) => e.body)]) if (b) assignedVars(b, assigned);
  for (const a of rule.head.args ?? []) if (a.kind === "var") assigned.push(a);
  for (const v of assigned) {
    if (v.name === "input" || v.name === "data") {
      state.errors.push({ code: "rego_compile_error", message: `variables must not shadow ${v.name} (use a different variable name)`, loc: v.loc });
    }
  }
}

function checkDeprecated(rule: A.Rule, state: CompileState): void {
  walkRule(rule, (t) => {
    if (t.kind !== "call") return;
    const decl = state.builtins.get(t.name.join("."));
    if (decl?.deprecated) {
      state.errors.push({ code: "rego_type_error", message: `deprecated built-in function calls in expression: ${decl.name}`, loc: t.loc });
    }
  });
}
