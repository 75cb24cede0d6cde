// A policy bundle as the gateway serves it: compiled, its own tests passed, named by a revision (the git commit
// when synced, else a hash of its content). Loading never throws: it returns the bundle or every reason it is bad.
//
// Reading a bundle (`readBundle`) and compiling it (`compileSnapshot`) are separate so that the gateway can run a
// revision's tests in a worker thread (bundle-tester.ts) on exactly the texts it will then compile and serve.
import { createHash } from "node:crypto";
import { relative } from "node:path";
import { loadBundle } from "../engine/bundle.js";
import { Policy, type Source } from "../engine/engine.js";
import type { CompileError } from "../engine/errors.js";
import { policyTests } from "../engine/testing/discover.js";
import { runTests } from "../engine/testing/run.js";

export interface PolicyBundle {
  policy: Policy;
  revision: string;
  /** How many tests passed before it was accepted (set by whoever ran them). */
  tests: number;
  /** The rule paths it defines, dot-joined (`guard.claude.decision`). */
  documents: ReadonlySet<string>;
  loadedAt: Date;
}

export type BundleLoad = { ok: true; bundle: PolicyBundle } | { ok: false; revision: string | null; problems: string[] };

/** A bundle as read from disk: plain data, so it can be sent to a worker thread. */
export interface BundleSnapshot {
  dir: string;
  revision: string;
  sources: Source[];
  data: Record<string, unknown>;
  errors: CompileError[];
}

export interface BundleLoadOptions {
  runTests: boolean;
  /** The revision to report (a git commit); default: a hash of the bundle's content. */
  revision?: string;
  /** Milliseconds each test may take. */
  testTimeoutMs?: number;
}

/** The content hash of a bundle: its files' paths and texts and its data, in order. */
function contentRevision(root: string, sources: { file: string; text: string }[], data: unknown): string {
  const h = createHash("sha256");
  for (const s of sources) h.update(relative(root, s.file)).update("\0").update(s.text).update("\0");
  h.update(JSON.stringify(data));
  return h.digest("hex").slice(0, 12);
}

export function readBundle(dir: string, revision?: string): BundleSnapshot {
  const loaded = loadBundle(dir);
  return { dir, revision: revision ?? contentRevision(dir, loaded.sources, loaded.data), sources: loaded.sources, data: loaded.data, errors: loaded.errors };
}

const render = (e: CompileError) => e.rendered ?? `${e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : ""}${e.code}: ${e.message}`;

/** Compiles a snapshot, and runs its tests (all must pass) when asked. */
export function compileSnapshot(snap: BundleSnapshot, options: { runTests: boolean; testTimeoutMs?: number }): BundleLoad {
  const { revision } = snap;
  if (snap.errors.length > 0) return { ok: false, revision, problems: snap.errors.map(render) };
  if (snap.sources.length === 0) return { ok: false, revision, problems: [`${snap.dir}: no .guard or .rego files`] };
  const { policy, errors } = Policy.tryCompile(snap.sources, { data: snap.data });
  if (!policy) return { ok: false, revision, problems: errors.map(render) };
  let tests = 0;
  if (options.runTests) {
    const results = runTests(policy, policyTests(policy), { timeoutMs: options.testTimeoutMs ?? 5_000, explain: false, schemaDir: snap.dir });
    const failed = results.filter((r) => r.status === "fail" || r.status === "error");
    if (failed.length > 0) {
      return {
        ok: false,
        revision,
        problems: failed.map((r) => `${r.file}:${r.line}: ${r.name} ${r.status === "fail" ? "failed" : `errored: ${r.error?.message ?? ""}`}`),
      };
    }
    tests = results.filter((r) => r.status === "pass").length;
  }
  const documents = new Set(policy.documentPaths().map((p) => p.join(".")));
  return { ok: true, bundle: { policy, revision, tests, documents, loadedAt: new Date() } };
}

/** Reads, compiles and (optionally) tests a bundle directory in this thread. */
export function loadPolicyBundle(dir: string, options: BundleLoadOptions): BundleLoad {
  return compileSnapshot(readBundle(dir, options.revision), options);
}
