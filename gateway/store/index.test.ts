import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore, parseStoreSpec, storeConfigFromSection } from "./index.js";

describe("store configuration", () => {
  it("parses store specs", () => {
    expect(parseStoreSpec("sqlite:.guard/guard.db")).toEqual({ kind: "sqlite", path: ".guard/guard.db" });
    expect(parseStoreSpec("/var/lib/guard/audit.db")).toEqual({ kind: "sqlite", path: "/var/lib/guard/audit.db" });
    expect(parseStoreSpec("postgres://u@h:5432/db")).toEqual({ kind: "postgres", url: "postgres://u@h:5432/db" });
    expect(parseStoreSpec("postgresql://u@h/db?schema=audit&sslmode=require")).toEqual({ kind: "postgres", url: "postgresql://u@h/db?sslmode=require", schema: "audit" });
    expect(() => parseStoreSpec("mysql://x")).toThrow(/unknown store/);
    expect(() => parseStoreSpec("sqlite:")).toThrow(/needs a path/);
  });

  it("reads guard.yaml's store section, SQLite paths relative to the configuration's directory", () => {
    expect(storeConfigFromSection(undefined, "/etc/guard")).toEqual({ kind: "sqlite", path: resolve("/etc/guard/.guard/guard.db") });
    expect(storeConfigFromSection({ type: "sqlite", path: "data/g.db" }, "/etc/guard")).toEqual({ kind: "sqlite", path: resolve("/etc/guard/data/g.db") });
    expect(storeConfigFromSection({ type: "sqlite", path: "/abs/g.db" }, "/etc/guard")).toEqual({ kind: "sqlite", path: "/abs/g.db" });
    expect(storeConfigFromSection({ type: "postgres", url: "postgres://h/db", schema: "g2" }, "/x")).toEqual({ kind: "postgres", url: "postgres://h/db", schema: "g2" });
    expect(() => storeConfigFromSection({ type: "postgres" }, "/x")).toThrow(/store.url/);
    expect(() => storeConfigFromSection({ type: "redis" }, "/x")).toThrow(/store.type/);
    expect(() => storeConfigFromSection("sqlite", "/x")).toThrow(/mapping/);
  });

  it("opens the configured store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-store-"));
    try {
      await expect(openStore({ kind: "sqlite", path: join(dir, "a.db") }, { mustExist: true })).rejects.toThrow(/no SQLite store/);
      const s = await openStore({ kind: "sqlite", path: join(dir, "a.db") });
      expect(s.kind).toBe("sqlite");
      await s.ping();
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
