// `guard build`: compile a bundle ahead of time into a TypeScript module with one entry point per rule document.
import { writeFileSync } from "node:fs";
import { buildModule, DEFAULT_RUNTIME_IMPORT } from "../engine/build.js";
import { loadBundle } from "../engine/bundle.js";
import { CompileFailure, Policy } from "../engine/engine.js";

export const BUILD_USAGE = `Usage: guard build DIR --out FILE.ts [--runtime-import SPECIFIER]

Compiles the policies and data of the bundle DIR into a TypeScript module: the generated JavaScript, the base
data, and an exported function per rule document (data.authz.allow becomes authz_allow(input)). The module
imports Guard's runtime from ${DEFAULT_RUNTIME_IMPORT} unless --runtime-import says otherwise.
Test files (*_test.guard, *_test.rego) are left out.

Exit codes: 0 built, 2 the policies do not compile or the arguments are wrong.
`;

export async function buildCommand(args: string[]): Promise<number> {
  let dir: string | undefined;
  let out: string | undefined;
  let runtimeImport: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--out" || a === "-o") out = args[++i];
    else if (a === "--runtime-import") runtimeImport = args[++i];
    else if (a.startsWith("-") || dir !== undefined) {
      process.stderr.write(`guard build: unexpected argument ${a}\n\n${BUILD_USAGE}`);
      return 2;
    } else dir = a;
  }
  if (dir === undefined || out === undefined) {
    process.stderr.write(`guard build: ${dir === undefined ? "no bundle directory" : "no --out file"}\n\n${BUILD_USAGE}`);
    return 2;
  }
  const bundle = loadBundle(dir, { tests: false });
  if (bundle.errors.length > 0) {
    for (const e of bundle.errors) process.stderr.write(`${e.message}\n`);
    return 2;
  }
  try {
    const policy = Policy.compile(bundle.sources, { data: bundle.data });
    writeFileSync(out, buildModule(policy, { runtimeImport, from: dir }));
    process.stdout.write(`wrote ${out}: ${policy.documentPaths().length} entry points\n`);
    return 0;
  } catch (e) {
    if (e instanceof CompileFailure) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
