// Bundles: a directory of `.guard` / `.rego` modules and `data.json` / `data.yaml` documents. A data file's
// directory, relative to the bundle root, is where its document goes under `data` (`roles/data.json` → data.roles).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import yaml from "js-yaml";
import type { CompileError } from "./errors.js";
import type { Source } from "./engine.js";

export interface LoadedBundle {
  sources: Source[];
  data: Record<string, unknown>;
  errors: CompileError[];
}

export interface LoadOptions {
  /** Include `*_test.guard` / `*_test.rego` files (default true, as `opa eval` does). */
  tests?: boolean;
}

const DATA_FILES = new Set(["data.json", "data.yaml", "data.yml"]);

export function isPolicyFile(name: string): boolean {
  return name.endsWith(".guard") || name.endsWith(".rego");
}

export function isTestFile(name: string): boolean {
  return /_test\.(guard|rego)$/.test(name);
}

/** Reads a bundle directory (or a single policy file). Errors are collected, never thrown. */
export function loadBundle(root: string, options: LoadOptions = {}): LoadedBundle {
  const sources: Source[] = [];
  const data: Record<string, unknown> = {};
  const errors: CompileError[] = [];
  const visit = (path: string) => {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      errors.push({ code: "rego_compile_error", message: `cannot read ${path}: ${(e as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name.startsWith(".") || name === "node_modules") continue;
        visit(join(path, name));
      }
      return;
    }
    const name = path.split(sep).pop()!;
    if (isPolicyFile(name)) {
      if (options.tests === false && isTestFile(name)) return;
      sources.push({ file: path, text: readFileSync(path, "utf8") });
    } else if (DATA_FILES.has(name)) {
      const dir = relative(root, join(path, ".."));
      const at = dir === "" ? [] : dir.split(sep);
      try {
        const text = readFileSync(path, "utf8");
        const doc = name.endsWith(".json") ? JSON.parse(text) : yaml.load(text, { schema: yaml.JSON_SCHEMA });
        mergeAt(data, at, doc, path, errors);
      } catch (e) {
        errors.push({ code: "rego_compile_error", message: `${path}: not valid ${name.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message}` });
      }
    }
  };
  visit(root);
  return { sources, data, errors };
}

/** Several bundles as one policy set: their sources together, their data merged (a path defined twice is an error). */
export function loadBundles(roots: readonly string[], options: LoadOptions = {}): LoadedBundle {
  const out: LoadedBundle = { sources: [], data: {}, errors: [] };
  for (const root of roots) {
    const b = loadBundle(root, options);
    out.sources.push(...b.sources);
    out.errors.push(...b.errors);
    mergeAt(out.data, [], b.data, root, out.errors);
  }
  return out;
}

/** Merges `doc` into `target` at `path`; `at` is where `target` is below `data` (for messages). */
function mergeAt(target: Record<string, unknown>, path: string[], doc: unknown, file: string, errors: CompileError[], at: string[] = []): void {
  if (path.length === 0) {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      errors.push({ code: "rego_compile_error", message: `${file}: a data file at the bundle root must hold an object` });
      return;
    }
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      const existing = target[k];
      const bothObjects = typeof existing === "object" && existing !== null && !Array.isArray(existing) && typeof v === "object" && v !== null && !Array.isArray(v);
      if (bothObjects) mergeAt(existing as Record<string, unknown>, [], v, file, errors, [...at, k]);
      else if (k in target) errors.push({ code: "rego_compile_error", message: `${file}: data.${[...at, k].join(".")} is defined twice` });
      else target[k] = v;
    }
    return;
  }
  const [first, ...rest] = path;
  const child = (target[first!] ??= {}) as Record<string, unknown>;
  if (typeof child !== "object" || Array.isArray(child)) {
    errors.push({ code: "rego_compile_error", message: `${file}: data.${[...at, ...path].join(".")} conflicts with another data file` });
    return;
  }
  if (rest.length === 0 && (typeof doc !== "object" || doc === null || Array.isArray(doc))) {
    target[first!] = doc;
    return;
  }
  mergeAt(child, rest, doc, file, errors, [...at, first!]);
}

