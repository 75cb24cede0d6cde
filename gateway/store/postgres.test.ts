import { describe, expect, it } from "vitest";
import { openPostgresStore } from "./postgres.js";
import { storeContract, type StoreHarness } from "./test/contract.js";
import { auditRetentionContract } from "./test/retention-contract.js";
import { appendThenKill } from "./test/kill.js";
import { dropSchema, freshSchema, pgStores } from "./test/pg.js";

const url = process.env.GUARD_TEST_PG_URL;
if (!url) console.warn("gateway/store/postgres.test.ts: skipped: set GUARD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL store's tests");

async function harness(): Promise<StoreHarness> {
  return pgStores(5);
}

describe.skipIf(!url)("PostgreSQL store", () => {
  storeContract(harness);
  auditRetentionContract(harness);

  it("creates its schema and tables, records its schema version, and refuses a bad schema name", async () => {
    const h = await harness();
    try {
      await h.open();
      expect((await h.sql("SELECT version FROM schema_migrations ORDER BY version")).map((r) => r.version)).toEqual([1, 2, 3, 4]); // audit, approvals, sessions, audit retention's checkpoint
      const indexes = (await h.sql("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_log' AND indexname LIKE 'audit_log_%'")).map((r) => r.indexname);
      expect(indexes.sort()).toEqual(["audit_log_connection", "audit_log_decision", "audit_log_decision_id_key", "audit_log_pkey", "audit_log_repository", "audit_log_subject", "audit_log_time"]);
    } finally {
      await h.cleanup();
    }
    await expect(openPostgresStore(url!, 'x"; DROP TABLE y; --')).rejects.toThrow(/schema name/);
  });

  it("several instances starting at once create the schema once", async () => {
    const schema = freshSchema();
    try {
      const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url!, schema, { max: 2 })));
      for (const s of stores) await s.ping();
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it("keeps every acknowledged append through kill -9", async () => {
    const schema = freshSchema();
    try {
      const acked = await appendThenKill(`${url}${url!.includes("?") ? "&" : "?"}schema=${schema}`, 40);
      const s = await openPostgresStore(url!, schema);
      const seqs = new Set((await s.audit.query({ limit: 1_000_000 })).map((r) => r.seq));
      for (const seq of acked) expect(seqs.has(seq)).toBe(true);
      const v = await s.audit.verify();
      expect(v.ok).toBe(true);
      expect(v.records).toBeGreaterThanOrEqual(acked.length);
      await s.close();
    } finally {
      await dropSchema(schema);
    }
  }, 60_000);
});
