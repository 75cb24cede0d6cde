import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { openPostgresStore } from "./postgres.js";
import { sessionStoreContract, type SessionHarness } from "./test/sessions-contract.js";
import type { Store } from "./types.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("gateway/store/sessions-postgres.test.ts: skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL session store's tests");

async function harness(): Promise<SessionHarness> {
  const schema = `guard_test_${randomBytes(6).toString("hex")}`;
  const opened: Store[] = [];
  let raw: pg.Client | undefined;
  return {
    async open() {
      const s = await openPostgresStore(url!, schema, { max: 4 });
      opened.push(s);
      return s;
    },
    async sql(text) {
      if (raw === undefined) {
        raw = new pg.Client({ connectionString: url });
        await raw.connect();
        await raw.query(`SET search_path TO "${schema}"`);
      }
      return (await raw.query(text)).rows as Record<string, unknown>[];
    },
    async cleanup() {
      for (const s of opened) await s.close();
      if (raw === undefined) {
        raw = new pg.Client({ connectionString: url });
        await raw.connect();
      }
      await raw.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await raw.end();
    },
  };
}

describe.skipIf(!url)("PostgreSQL session store", () => {
  sessionStoreContract(harness);
});
