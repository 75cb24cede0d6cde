// What the commands over the gateway's store share (`guard audit`, `guard sessions`): naming the store (a guard.yaml's
// `store:` section, or a spec), times on the command line, and the open / run / close cycle with its exit codes.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import yaml from "js-yaml";
import { openStore, parseStoreSpec, storeConfigFromSection } from "../gateway/store/index.js";
import type { Store, StoreConfig } from "../gateway/store/types.js";

/** A mistake on the command line: printed with the usage, exit 2. */
export class UsageError extends Error {}

/** The store of a guard.yaml (its `store:` section; absent: SQLite under .guard/ beside the file). */
export function fromConfig(file: string): StoreConfig {
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, "utf8"), { filename: file });
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  const section = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>).store : undefined;
  try {
    return storeConfigFromSection(section, dirname(resolve(file)));
  } catch (e) {
    throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO 8601 time as given, or a duration (`90m`, `1h30m`, `7d`) back from `now`, as an ISO time. */
export function parseTimeArg(text: string, now: number): string | undefined {
  if (/^\s*(\d+(\.\d+)?(ms|s|m|h|d|w))+\s*$/.test(text)) {
    let ms = 0;
    for (const m of text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * UNITS[m[2]!]!;
    return new Date(now - ms).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))) return text;
  return undefined;
}

/** parseTimeArg for an option's value, or a UsageError naming the option. */
export function timeOption(option: string, text: string, now: number): string {
  const t = parseTimeArg(text, now);
  if (t === undefined) throw new UsageError(`${option} must be an ISO 8601 time (2026-11-21T09:00:00Z) or a duration (30m, 1h, 7d), found \`${text}\``);
  return t;
}

/** A store as a line can name it, without a password. */
export function describeStore(c: StoreConfig): string {
  if (c.kind === "sqlite") return `sqlite:${c.path}`;
  // never print a password
  try {
    const u = new URL(c.url);
    if (u.password !== "") u.password = "***";
    return u.toString() + (c.schema !== undefined ? ` schema ${c.schema}` : "");
  } catch {
    return "postgres";
  }
}

/**
 * The store an option names: `--config FILE` (its `store:` section) or `--store SPEC`; undefined for other options.
 * `value` reads the option's value.
 */
export function storeOption(option: string, value: () => string): StoreConfig | undefined {
  if (option === "--config" || option === "-c") return fromConfig(value());
  if (option !== "--store") return undefined;
  try {
    return parseStoreSpec(value());
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Parses the options, opens the store (it must exist), runs, and closes it. Exit 2 on a usage mistake or a store
 * that cannot be opened (its password never printed).
 */
export async function runWithStore<O extends { store: StoreConfig }>(command: string, usage: string, parse: () => O, run: (store: Store, options: O) => Promise<number>): Promise<number> {
  let options: O;
  try {
    options = parse();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${command}: ${e.message}\n\n${usage}`);
      return 2;
    }
    throw e;
  }
  let store: Store;
  try {
    store = await openStore(options.store, { mustExist: true });
  } catch (e) {
    process.stderr.write(`${command}: cannot open the store (${describeStore(options.store)}): ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  try {
    return await run(store, options);
  } finally {
    await store.close();
  }
}
