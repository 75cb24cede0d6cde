// A policy bundle as the gateway serves it: compiled, its own tests passed, named by a revision (the git commit
// when synced, else a hash of its content). Loading never throws: it returns the bundle or every reason it is bad.
import { createHash } from "node:crypto";
import { relative } from "node:path";
import { loadBundle } from "../engine/bundle.js";
import { Policy } from "../engine/engine.js";
import { policyTests } from "../engine/testing/discover.js";
import { runTests } from "../engine/testing/run.js";

export interface PolicyBundle {
  policy: Policy;
  revision: string;
  /** How many tests passed before it was accepted. */
  tests: number;
  /** The rule paths it defines, dot-joined (`guard.claude.decision`). */
  documents: ReadonlySet<string>;
  loadedAt: Date;
}

export type BundleLoad = { ok: true; bundle: PolicyBundle } | { ok: false; revision: string | null; problems: string[] };

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

export function loadPolicyBundle(dir: string, options: BundleLoadOptions): BundleLoad {
  const loaded = loadBundle(dir);
  const revision = options.revision ?? contentRevision(dir, loaded.sources, loaded.data);
  const render = (e: { code: string; message: string; loc?: { file: string; line: number; column: number }; rendered?: string }) =>
    e.rendered ?? `${e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : ""}${e.code}: ${e.message}`;
  if (loaded.errors.length > 0) return { ok: false, revision, problems: loaded.errors.map(render) };
  if (loaded.sources.length === 0) return { ok: false, revision, problems: [`${dir}: no .guard or .rego files`] };
  const { policy, errors } = Policy.tryCompile(loaded.sources, { data: loaded.data });
  if (!policy) return { ok: false, revision, problems: errors.map(render) };
  let tests = 0;
  if (options.runTests) {
    const results = runTests(policy, policyTests(policy), { timeoutMs: options.testTimeoutMs ?? 5_000, explain: false });
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
