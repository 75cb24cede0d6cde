// Stage "schema check" (strict mode): references into `input` are checked against the JSON Schema the rule's
// METADATA binds to it, as OPA's type checker does with schema annotations:
//
//     # METADATA
//     # schemas:
//     #   - input: schema.input          (schemas/input.json, found next to the policy or in a folder above it)
//     #   - input.user: {type: object, …} (an inline schema for a part of input)
//
// on the rule, else on its package (any module of the package). A field the schema does not declare (an object
// with `properties` and no `additionalProperties` that admits it) is an error naming the closest declared field;
// so is a field of a string, number, boolean or null, or a name used on an array. `$ref` (local), `allOf`,
// `anyOf` / `oneOf`, `items`, `additionalProperties` and `patternProperties` are followed; anything else is open.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type * as A from "../../lang/ast.js";
import type { CompileError } from "../errors.js";
import type { CompileState } from "./stages.js";
import { walkRule } from "./walk.js";

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads the schema a `schema.NAME` reference names, for a module in `file`; undefined when not found. */
export type SchemaResolver = (ref: string, file: string) => unknown;

/** `schema.a.b` → `schemas/a/b.json` in the module's folder or the nearest folder above it that has it. */
export const fileSchemaResolver: SchemaResolver = (ref, file) => {
  const m = /^schema\.(.+)$/.exec(ref);
  if (!m) return undefined;
  const rel = join("schemas", ...m[1]!.split(".")) + ".json";
  let dir = resolve(dirname(file || "."));
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      try {
        return JSON.parse(readFileSync(candidate, "utf8")) as unknown;
      } catch (e) {
        throw new Error(`${rel}: not valid JSON: ${(e as Error).message}`);
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
};

/** A schema bound to a path of input (`[]` for all of input). */
interface Binding {
  path: string[];
  schema: unknown;
  /** How the annotation named it (`schema.input`, or `inline schema`). */
  name: string;
}

function bindings(a: A.Annotation | undefined, file: string, resolver: SchemaResolver, errors: CompileError[]): Binding[] | undefined {
  const schemas = a?.data["schemas"];
  if (!Array.isArray(schemas)) return undefined;
  const out: Binding[] = [];
  for (const entry of schemas) {
    if (!isSchema(entry)) continue;
    for (const [key, value] of Object.entries(entry)) {
      const path = key.split(".");
      if (path[0] !== "input") continue;
      if (typeof value === "string") {
        let schema: unknown;
        try {
          schema = resolver(value, file);
        } catch (e) {
          errors.push({ code: "rego_type_error", message: `schema ${value}: ${(e as Error).message}`, loc: a!.loc });
          continue;
        }
        if (schema === undefined) {
          const where = /^schema\.(.+)$/.test(value) ? `schemas/${value.slice(7).split(".").join("/")}.json not found` : "not a schema reference (schema.NAME)";
          errors.push({ code: "rego_type_error", message: `schema ${value} for ${key}: ${where}`, loc: a!.loc });
          continue;
        }
        out.push({ path: path.slice(1), schema, name: value });
      } else if (isSchema(value) || typeof value === "boolean") out.push({ path: path.slice(1), schema: value, name: "the inline schema" });
    }
  }
  return out;
}

export function checkSchemas(state: CompileState, resolver: SchemaResolver = fileSchemaResolver): void {
  // package annotations apply to every rule of the package
  const byPackage = new Map<string, Binding[]>();
  const packageKey = (m: A.Module) => JSON.stringify(m.package.path.path.map((p) => (p.kind === "string" ? p.value : p.kind === "var" ? p.name : "")));
  for (const m of state.modules) {
    const b = bindings(m.package.annotations, m.file, resolver, state.errors);
    if (b && b.length > 0 && !byPackage.has(packageKey(m))) byPackage.set(packageKey(m), b);
  }
  const moduleOf = new Map<A.Rule, A.Module>();
  for (const m of state.modules) for (const r of m.rules) moduleOf.set(r, m);
  const fileModules = new Map(state.modules.map((m) => [m.file, m]));
  for (const { rule } of state.entries) {
    const file = rule.loc.file;
    const module = fileModules.get(file);
    const own = bindings(rule.annotations, file, resolver, state.errors);
    const bound = own ?? (module ? byPackage.get(packageKey(module)) : undefined);
    if (!bound || bound.length === 0) continue;
    walkRule(rule, (t) => {
      if (t.kind === "ref" && t.head.kind === "var" && t.head.name === "input") checkRef(t, bound, state.errors);
    });
  }
}

/** An element of a reference's path: a field name, an index, or anything (a variable, a computed key). */
type Step = { kind: "name"; name: string; loc: A.Location } | { kind: "index"; loc: A.Location } | { kind: "any"; loc: A.Location };

function stepOf(t: A.Term): Step {
  if (t.kind === "string") return { kind: "name", name: t.value, loc: t.loc };
  if (t.kind === "number") return { kind: "index", loc: t.loc };
  return { kind: "any", loc: t.loc };
}

function refText(ref: A.RefTerm, upTo: number): string {
  let s = "input";
  for (const p of ref.path.slice(0, upTo)) {
    if (p.kind === "string") s += /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${JSON.stringify(p.value)}]`;
    else if (p.kind === "number") s += `[${p.raw}]`;
    else if (p.kind === "var") s += `[${p.name.startsWith("_$") ? "_" : p.name}]`;
    else s += "[…]";
  }
  return s;
}

function checkRef(ref: A.RefTerm, bound: readonly Binding[], errors: CompileError[]): void {
  const steps = ref.path.map(stepOf);
  // the most specific binding that the reference reaches
  let best: Binding | undefined;
  for (const b of bound) {
    if (b.path.length > steps.length) continue;
    if (!b.path.every((p, i) => steps[i]!.kind === "name" && (steps[i] as { name: string }).name === p)) continue;
    if (!best || b.path.length > best.path.length) best = b;
  }
  if (!best) return;
  const root = best.schema;
  let current = expand(root, root, 0);
  for (let i = best.path.length; i < steps.length; i++) {
    const step = steps[i]!;
    if (current.some((s) => s === OPEN)) return;
    const next: unknown[] = [];
    const names = new Set<string>();
    const kinds = new Set<string>();
    for (const s of current as Schema[]) {
      const r = lookup(s, step);
      if (r.open) return;
      next.push(...r.next);
      for (const n of r.names) names.add(n);
      kinds.add(r.kind);
    }
    if (next.length === 0) {
      const loc = step.loc.file === ref.loc.file && step.loc.offset >= ref.loc.offset && step.loc.endOffset <= ref.loc.endOffset ? step.loc : ref.loc;
      errors.push({ code: "rego_type_error", message: missMessage(ref, i, step, best.name, [...names], [...kinds]), loc });
      return;
    }
    current = next.flatMap((s) => expand(s, root, 0));
  }
}

function missMessage(ref: A.RefTerm, i: number, step: Step, schemaName: string, names: string[], kinds: string[]): string {
  const whole = refText(ref, ref.path.length);
  const parent = refText(ref, i);
  const scalar = kinds.find((k) => k !== "object" && k !== "array");
  if (step.kind === "name" && kinds.includes("object")) {
    const near = closest(step.name, names);
    const hint = near !== undefined ? `; did you mean "${near}"?` : names.length > 0 ? `; it has ${names.map((n) => `"${n}"`).join(", ")}` : "";
    return `undefined ref: ${whole}: ${parent} has no field "${step.name}" in ${schemaName}${hint}`;
  }
  if (kinds.includes("array")) return `undefined ref: ${whole}: ${parent} is an array in ${schemaName}: index it with a number, not "${step.kind === "name" ? step.name : "…"}"`;
  return `undefined ref: ${whole}: ${parent} is ${scalar === "integer" ? "an integer" : `a ${scalar ?? "value"}`} in ${schemaName}: it has no fields`;
}

/** The declared name closest to `name` (edit distance at most a third of its length, at least 2, less than its length), if any. */
export function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.min(Math.max(2, Math.floor(name.length / 3)), name.length - 1);
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** A schema that admits anything below it. */
const OPEN = Symbol("open");

/** A schema as alternatives: `$ref` followed, `anyOf`/`oneOf` split, `allOf` merged; OPEN when unconstrained. */
function expand(s: unknown, root: unknown, depth: number): (Schema | typeof OPEN)[] {
  if (depth > 32 || s === true || s === undefined || !isSchema(s)) return [OPEN];
  if (typeof s["$ref"] === "string") {
    const target = refTarget(s["$ref"], root);
    return target === undefined ? [OPEN] : expand(target, root, depth + 1);
  }
  if (Array.isArray(s["allOf"])) {
    const { allOf, ...rest } = s;
    let merged: Schema = rest;
    for (const part of allOf as unknown[]) {
      const alts = expand(part, root, depth + 1);
      if (alts.length !== 1) return [OPEN];
      if (alts[0] === OPEN) continue;
      merged = merge(merged, alts[0]!);
    }
    return expand(merged, root, depth + 1);
  }
  for (const key of ["anyOf", "oneOf"]) {
    const alts = s[key];
    if (Array.isArray(alts) && alts.length > 0) {
      const { [key]: _, ...rest } = s;
      return alts.flatMap((alt) => expand(isSchema(alt) ? { ...rest, ...alt } : alt, root, depth + 1));
    }
  }
  return [s];
}

/** A local `$ref`: `#` or a JSON pointer into the schema (`#/$defs/user`, `#/properties/user`); undefined otherwise. */
function refTarget(ref: string, root: unknown): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
    else if (isSchema(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
  }
  return at;
}

/** allOf's parts as one schema, for looking fields up: properties joined; closed only when every part is. */
function merge(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (isSchema(a["properties"]) || isSchema(b["properties"])) {
    const props: Schema = { ...(isSchema(a["properties"]) ? a["properties"] : {}) };
    for (const [k, v] of Object.entries(isSchema(b["properties"]) ? b["properties"] : {})) props[k] = k in props ? { allOf: [props[k], v] } : v;
    out["properties"] = props;
  }
  if ("additionalProperties" in a && "additionalProperties" in b) out["additionalProperties"] = a["additionalProperties"] === false && b["additionalProperties"] === false ? false : (b["additionalProperties"] ?? a["additionalProperties"]);
  else delete out["additionalProperties"];
  return out;
}

function types(s: Schema): string[] {
  const t = s["type"];
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.map(String);
  if (isSchema(s["properties"]) || "additionalProperties" in s || isSchema(s["patternProperties"])) return ["object"];
  if ("items" in s || "prefixItems" in s) return ["array"];
  return [];
}

/** One step of a reference in one alternative: the schemas below it, or open, or none (then the names it has). */
function lookup(s: Schema, step: Step): { open: boolean; next: unknown[]; names: string[]; kind: string } {
  const ts = types(s);
  if (ts.length === 0) return { open: true, next: [], names: [], kind: "any" };
  const next: unknown[] = [];
  const names: string[] = [];
  let kind = ts.find((t) => t !== "object" && t !== "array") ?? ts[0]!;
  if (ts.includes("object")) {
    kind = "object";
    const props = isSchema(s["properties"]) ? s["properties"] : {};
    names.push(...Object.keys(props));
    const extra = s["additionalProperties"];
    const patterns = isSchema(s["patternProperties"]) ? s["patternProperties"] : {};
    if (step.kind !== "name") {
      // a computed key: any property
      if (extra === undefined || extra === true || Object.keys(patterns).length > 0) return { open: true, next: [], names, kind };
      next.push(...Object.values(props));
      if (isSchema(extra)) next.push(extra);
    } else if (step.name in props) next.push(props[step.name]);
    else {
      for (const [p, ps] of Object.entries(patterns)) {
        try {
          if (new RegExp(p).test(step.name)) next.push(ps);
        } catch {
          return { open: true, next: [], names, kind };
        }
      }
      if (next.length === 0) {
        if (extra === true || (extra === undefined && Object.keys(props).length === 0 && Object.keys(patterns).length === 0)) return { open: true, next: [], names, kind };
        if (isSchema(extra)) next.push(extra);
      }
    }
  }
  if (ts.includes("array") && step.kind !== "name") {
    if (ts.length === 1) kind = "array";
    const items = s["items"];
    if (items === undefined || items === true) return { open: true, next: [], names, kind };
    if (Array.isArray(items)) next.push(...items);
    else next.push(items);
  } else if (ts.includes("array") && !ts.includes("object")) kind = "array";
  return { open: false, next, names, kind };
}
