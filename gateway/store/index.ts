// The store, opened from its configuration: SQLite (embedded, the default) or PostgreSQL.
import { isAbsolute, resolve } from "node:path";
import { openPostgresStore } from "./postgres.js";
import { openSqliteStore } from "./sqlite.js";
import type { Store, StoreConfig } from "./types.js";

export type * from "./types.js";
export { GENESIS_HASH, canonicalJson, recordHash, verifyChain } from "./audit-chain.js";
export { openPostgresStore } from "./postgres.js";
export { openSqliteStore, sessionsFileOf } from "./sqlite.js";

/** The SQLite file used when nothing else is configured (relative to the working directory). */
export const DEFAULT_SQLITE_PATH = ".guard/guard.db";

export interface OpenStoreOptions {
  /** SQLite: fail when the file does not exist rather than create it (for tools that only read: `guard audit`). */
  mustExist?: boolean;
}

export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  switch (config.kind) {
    case "sqlite":
      return openSqliteStore(config.path, { mustExist: options.mustExist === true });
    case "postgres":
      return openPostgresStore(config.url, config.schema);
    default:
      throw new TypeError(`unknown store kind ${JSON.stringify((config as { kind: unknown }).kind)}`);
  }
}

/**
 * A store named on a command line: `sqlite:PATH` (or a path ending in .db/.sqlite/.sqlite3), or a PostgreSQL URL
 * (`postgres://…` or `postgresql://…`; a `?schema=NAME` parameter picks the schema, default "guard").
 */
export function parseStoreSpec(spec: string): StoreConfig {
  if (spec.startsWith("sqlite:")) {
    const path = spec.slice("sqlite:".length);
    if (path === "") throw new TypeError("sqlite: needs a path: sqlite:.guard/guard.db");
    return { kind: "sqlite", path };
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const url = new URL(spec);
    const schema = url.searchParams.get("schema");
    if (schema === null) return { kind: "postgres", url: spec };
    url.searchParams.delete("schema");
    return { kind: "postgres", url: url.toString(), schema };
  }
  if (/\.(db|sqlite3?)$/.test(spec)) return { kind: "sqlite", path: spec };
  throw new TypeError(`unknown store \`${spec}\`: use sqlite:PATH or postgres://…`);
}

/**
 * The store of guard.yaml's `store:` section (`{ type: sqlite, path }` or `{ type: postgres, url, schema? }`; absent:
 * SQLite at .guard/guard.db). A relative SQLite path is relative to `baseDir` (the configuration file's directory).
 */
export function storeConfigFromSection(section: unknown, baseDir: string): StoreConfig {
  if (section === undefined || section === null) return { kind: "sqlite", path: resolve(baseDir, DEFAULT_SQLITE_PATH) };
  if (typeof section !== "object" || Array.isArray(section)) throw new TypeError("store: must be a mapping: { type: sqlite, path: … } or { type: postgres, url: … }");
  const s = section as Record<string, unknown>;
  const type = s.type ?? "sqlite";
  if (type === "sqlite") {
    const path = s.path ?? DEFAULT_SQLITE_PATH;
    if (typeof path !== "string" || path === "") throw new TypeError("store.path must be a file path");
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  if (type === "postgres") {
    if (typeof s.url !== "string" || !/^postgres(ql)?:\/\//.test(s.url)) throw new TypeError("store.url must be a postgres:// URL with type: postgres");
    if (s.schema !== undefined && typeof s.schema !== "string") throw new TypeError("store.schema must be a name");
    return s.schema === undefined ? { kind: "postgres", url: s.url } : { kind: "postgres", url: s.url, schema: s.schema };
  }
  throw new TypeError(`store.type must be sqlite or postgres, found ${JSON.stringify(type)}`);
}
