// Where the served bundle comes from, and hot reload: a directory polled for changes, or a git repository fetched
// with the system's git. A new revision is compiled and tested first and swapped in only when both succeed; a
// broken one is reported and the last good bundle keeps serving. Requests in flight keep the bundle they started
// with (they hold a reference), so a swap never drops or changes one.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { isPolicyFile } from "../engine/bundle.js";
import type { PolicySourceConfig } from "./config.js";
import { compileSnapshot, readBundle, type PolicyBundle } from "./bundle.js";
import { BundleTester } from "./bundle-tester.js";

const run = promisify(execFile);

export type ReloadOutcome =
  | { outcome: "loaded"; revision: string; tests: number }
  | { outcome: "unchanged"; revision: string | null }
  | { outcome: "rejected"; revision: string | null; problems: string[] };

export interface ReloadFailure {
  revision: string | null;
  problems: string[];
  at: Date;
}

type Listener = (r: ReloadOutcome) => void;

export class PolicySource {
  private bundle: PolicyBundle | undefined;
  private failure: ReloadFailure | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fingerprint: string | undefined;
  private gitHead: string | undefined;
  private busy: Promise<ReloadOutcome> | undefined;
  private queued: Promise<ReloadOutcome> | undefined;
  private readonly listeners: Listener[] = [];
  private readonly tester = new BundleTester();

  constructor(private readonly config: PolicySourceConfig) {}

  /** The bundle serving now (undefined until the first good one: every request is then denied). */
  get current(): PolicyBundle | undefined {
    return this.bundle;
  }

  /** The last rejected revision, when it is newer than the bundle serving. */
  get lastFailure(): ReloadFailure | undefined {
    return this.failure;
  }

  get description(): string {
    return this.config.kind === "dir" ? this.config.dir : `${this.config.url}#${this.config.ref}`;
  }

  onReload(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Loads the first bundle and starts polling for changes. */
  async start(): Promise<ReloadOutcome> {
    const first = await this.reload();
    this.schedule();
    return first;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.tester.close();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.reload().finally(() => {
        if (this.timer) this.schedule();
      });
    }, this.config.pollMs);
    this.timer.unref();
  }

  /**
   * Looks for a new revision now and loads it if there is one. One reload at a time; a call made while one runs
   * gets a fresh one after it (the running one may have read the files before the change the caller knows of).
   */
  reload(): Promise<ReloadOutcome> {
    if (!this.busy) {
      this.busy = this.reloadOnce().finally(() => (this.busy = undefined));
      return this.busy;
    }
    this.queued ??= this.busy.then(() => {
      this.queued = undefined;
      return this.reload();
    });
    return this.queued;
  }

  private async reloadOnce(): Promise<ReloadOutcome> {
    let result: ReloadOutcome;
    try {
      result = this.config.kind === "dir" ? await this.reloadDir(this.config.dir) : await this.reloadGit();
    } catch (e) {
      result = { outcome: "rejected", revision: null, problems: [e instanceof Error ? e.message : String(e)] };
    }
    if (result.outcome === "rejected") this.failure = { revision: result.revision, problems: result.problems, at: new Date() };
    if (result.outcome === "loaded") this.failure = undefined;
    for (const l of this.listeners) l(result);
    return result;
  }

  private async reloadDir(dir: string, revision?: string): Promise<ReloadOutcome> {
    const print = fingerprintOf(dir);
    if (revision === undefined && print === this.fingerprint) return { outcome: "unchanged", revision: this.bundle?.revision ?? null };
    // The texts read here are the ones tested (in the worker) and then compiled and served (here).
    const snapshot = readBundle(dir, revision);
    this.fingerprint = print;
    if (this.bundle?.revision === snapshot.revision) {
      this.failure = undefined; // a rejected change reverted to the revision serving: nothing is wrong any more
      return { outcome: "unchanged", revision: snapshot.revision };
    }
    if (this.failure?.revision === snapshot.revision) return { outcome: "unchanged", revision: snapshot.revision };
    let tests = 0;
    if (this.config.runTests && snapshot.errors.length === 0) {
      const tested = await this.tester.test(snapshot);
      if (!tested.ok) return { outcome: "rejected", revision: snapshot.revision, problems: tested.problems };
      tests = tested.tests;
    }
    const load = compileSnapshot(snapshot, { runTests: false });
    if (load.ok) load.bundle.tests = tests;
    if (!load.ok) {
      if (this.failure?.revision === load.revision && load.revision !== null) return { outcome: "unchanged", revision: load.revision };
      return { outcome: "rejected", revision: load.revision, problems: load.problems };
    }
    if (this.bundle?.revision === load.bundle.revision) return { outcome: "unchanged", revision: load.bundle.revision };
    this.bundle = load.bundle;
    return { outcome: "loaded", revision: load.bundle.revision, tests: load.bundle.tests };
  }

  private async reloadGit(): Promise<ReloadOutcome> {
    if (this.config.kind !== "git") throw new Error("not a git source");
    const { url, ref, checkout, path } = this.config;
    const git = (...args: string[]) => run("git", args, { timeout: 120_000, maxBuffer: 1 << 20 });
    if (!existsSync(join(checkout, ".git"))) {
      await git("clone", "--quiet", "--no-checkout", url, checkout);
    }
    await git("-C", checkout, "fetch", "--quiet", "origin", ref);
    const head = (await git("-C", checkout, "rev-parse", "FETCH_HEAD")).stdout.trim();
    if (head === this.gitHead && (this.bundle?.revision === head || this.failure?.revision === head)) return { outcome: "unchanged", revision: head };
    await git("-C", checkout, "checkout", "--quiet", "--force", "--detach", head);
    await git("-C", checkout, "clean", "--quiet", "-fdx");
    this.gitHead = head;
    return this.reloadDir(join(checkout, path), head);
  }
}

/** Paths, sizes and modification times of a bundle's files: cheap to compute, changes when a file does. */
function fingerprintOf(root: string): string {
  const parts: string[] = [];
  const visit = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      parts.push(`!${dir}`);
      return;
    }
    for (const name of names) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) visit(p);
      else if (isPolicyFile(name) || /^data\.(json|ya?ml)$/.test(name)) parts.push(`${p}:${st.size}:${st.mtimeMs}`);
    }
  };
  visit(root);
  return parts.join("\n");
}
