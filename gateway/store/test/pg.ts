// PostgreSQL for the store's tests: each test works in a schema of its own on GUARD_TEST_PG_URL, dropped after.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgresStore } from "../postgres.js";
import type { Store } from "../types.js";

export const PG_URL = process.env.GUARD_TEST_PG_URL;

export function freshSchema(): string {
  return `guard_test_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

/** Stores on one fresh schema (each `open` its own pool: another gateway instance), raw SQL on it, and cleanup. */
export function pgStores(max: number): { schema: string; open(): Promise<Store>; sql(text: string): Promise<Record<string, unknown>[]>; cleanup(): Promise<void> } {
  const schema = freshSchema();
  const opened: Store[] = [];
  let raw: pg.Client | undefined;
  return {
    schema,
    async open() {
      const s = await openPostgresStore(PG_URL!, schema, { max });
      opened.push(s);
      return s;
    },
    async sql(text) {
      if (raw === undefined) {
        raw = new pg.Client({ connectionString: PG_URL });
        await raw.connect();
        await raw.query(`SET search_path TO "${schema}"`);
      }
      return (await raw.query(text)).rows as Record<string, unknown>[];
    },
    async cleanup() {
      for (const s of opened) await s.close();
      await raw?.end();
      await dropSchema(schema);
    },
  };
}
