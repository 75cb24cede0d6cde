import { describe } from "vitest";
import { pgStores } from "./test/pg.js";
import { sessionStoreContract, type SessionHarness } from "./test/sessions-contract.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("gateway/store/sessions-postgres.test.ts: skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL session store's tests");

async function harness(): Promise<SessionHarness> {
  return pgStores(4);
}

describe.skipIf(!url)("PostgreSQL session store", () => {
  sessionStoreContract(harness);
});
