// Test discovery for `guard test`: every rule named `test_…` (a test) or `todo_test_…` / `todo_prop_…` (skipped), in any module,
// as `opa test` finds them, and every `prop_…` rule (a property test, see properties.ts). A test is its package path and rule name; several definitions are one test.
import type * as A from "../../lang/ast.js";
import type { Policy } from "../engine.js";
import { PROP_PREFIX, propertySpec, type PropertySpec } from "./properties.js";

export interface TestCase {
  /** `data.authz.test_admin_allowed` */
  name: string;
  /** `data.authz` */
  package: string;
  /** The rule's data path (`["authz", "test_admin_allowed"]`). */
  path: string[];
  /** Where the first definition is. */
  file: string;
  line: number;
  /** A `todo_test_` or `todo_prop_` rule: reported as skipped, never evaluated. */
  skip: boolean;
  /** A `prop_` rule: true for every generated input (its schema, examples and runs, from its first definition). */
  property?: PropertySpec;
}

export const TEST_PREFIX = "test_";
export const SKIP_PREFIX = "todo_test_";
export const SKIP_PROP_PREFIX = "todo_prop_";

/** The package path of a module as strings (`["authz", "rules"]` for `package authz.rules`). */
export function packagePath(module: A.Module): string[] {
  const ref = module.package.path;
  const out: string[] = [];
  if (ref.head.kind === "var" && ref.head.name !== "data") out.push(ref.head.name);
  for (const t of ref.path) {
    if (t.kind === "string") out.push(t.value);
    else if (t.kind === "var") out.push(t.name);
  }
  return out;
}

/** The name of a rule whose head is a plain name (`test_x`, not `a.test_x` nor `p[x]`), else undefined. */
function plainName(rule: A.Rule): string | undefined {
  const ref = rule.head.name;
  if (ref.head.kind !== "var" || ref.path.length > 0) return undefined;
  return ref.head.name;
}

/** Whether a rule name makes a test (`test_…`), a skipped test or property (`todo_test_…`, `todo_prop_…`) or a property (`prop_…`). */
export function testKind(name: string): "test" | "skip" | "prop" | undefined {
  if (name.startsWith(TEST_PREFIX)) return "test";
  if (name.startsWith(PROP_PREFIX)) return "prop";
  if (name.startsWith(SKIP_PREFIX) || name.startsWith(SKIP_PROP_PREFIX)) return "skip";
  return undefined;
}

/** Every test of the policy's modules, in module and rule order, one per package path and rule name. */
export function discoverTests(modules: readonly A.Module[]): TestCase[] {
  const seen = new Map<string, TestCase>();
  for (const module of modules) {
    const pkg = packagePath(module);
    for (const rule of module.rules) {
      const name = plainName(rule);
      if (name === undefined || rule.head.args !== undefined || rule.head.contains !== undefined) continue;
      const kind = testKind(name);
      if (kind === undefined) continue;
      const path = [...pkg, name];
      const full = ["data", ...path].join(".");
      if (seen.has(full)) continue;
      seen.set(full, {
        name: full,
        package: ["data", ...pkg].join("."),
        path,
        file: rule.loc.file || module.file,
        line: rule.loc.line,
        skip: kind === "skip",
        ...(kind === "prop" ? { property: propertySpec(rule, module) } : {}),
      });
    }
  }
  return [...seen.values()];
}

/** The tests of a compiled policy. */
export function policyTests(policy: Policy): TestCase[] {
  return discoverTests(policy.modules);
}
