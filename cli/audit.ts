// `guard audit`: check the gateway's tamper-evident audit log (verify), read it (query), remove old records (prune).
import { resolve } from "node:path";
import { DEFAULT_SQLITE_PATH } from "../gateway/store/index.js";
import { pruneTo } from "../gateway/store/audit-retention.js";
import type { AuditCheckpoint, AuditQuery, AuditRecord, Store, StoreConfig } from "../gateway/store/types.js";
import { runWithStore, storeOption, timeOption, UsageError } from "./store-command.js";

export const AUDIT_USAGE = `Usage: guard audit verify [--config FILE | --store STORE] [--format pretty|json]
       guard audit query  [--config FILE | --store STORE] [FILTERS…] [--format pretty|json]
       guard audit prune  [--config FILE | --store STORE] --older-than TIME [--format pretty|json]

verify walks the whole audit log from record 1 (or from the retention checkpoint: the last record removed by
prune or by the gateway's audit.max_age), recomputes every record's hash and checks each link to the previous
record and to the chain head: a changed, deleted, reordered or added record, or a truncated tail, is reported
with the first record where the chain breaks.

query prints the newest matching records, oldest first.

prune removes the oldest records up to the first one not older than TIME, after checking that they verify (it
removes nothing that does not), and keeps the last one removed as the checkpoint verify starts from. The gateway
does the same on its own with audit.max_age.

The store:
  --config FILE        the store: section of a guard.yaml ({ type: sqlite, path: … } or { type: postgres, url: … });
                       a relative SQLite path is relative to the file's directory
  --store STORE        sqlite:PATH, or a postgres://… URL (?schema=NAME for a schema other than guard)
                       (default: sqlite:${DEFAULT_SQLITE_PATH} in the current directory)

Filters (query):
  --sub SUBJECT        the verified subject (the token's sub claim)
  --repo REPOSITORY    the CI repository (owner/name)
  --connection NAME    the connection
  --decision D         allow, deny or error
  --id DECISION_ID     one decision
  --since TIME         an ISO 8601 time, or a duration back from now: 30m, 1h, 7d, 1h30m
  --until TIME         the same, exclusive
  --limit N            at most N records, the newest (default 1000)

  --older-than TIME    (prune) an ISO 8601 time, or a duration back from now: 90d, 8760h

  --format FORMAT      pretty (default) or json

Exit codes: 0 intact (verify) or done (query, prune), 1 the chain is broken (verify) or the records to remove do
not verify (prune), 2 wrong arguments or no store.
`;


const FORMATS = ["pretty", "json"] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  store: StoreConfig;
  format: Format;
  query: AuditQuery;
  /** prune: the cutoff (ISO 8601). */
  olderThan?: string;
}

const SUBCOMMANDS = ["verify", "query", "prune"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    process.stderr.write(`guard audit: ${sub === undefined ? "verify, query or prune?" : `unknown subcommand \`${sub}\``}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  const command = sub as Subcommand;
  return runWithStore(`guard audit ${command}`, AUDIT_USAGE, () => parseOptions(command, rest, Date.now()), (store, options) =>
    command === "verify" ? verify(store, options) : command === "query" ? query(store, options) : prune(store, options),
  );
}

async function verify(store: Store, o: Options): Promise<number> {
  const r = await store.audit.verify();
  if (o.format === "json") process.stdout.write(JSON.stringify(r) + "\n");
  else if (r.ok) {
    const removed = r.removedThrough === undefined ? "" : ` (#1..#${r.removedThrough} removed by retention; checked from its checkpoint)`;
    process.stdout.write(`audit log intact: ${r.records} record${r.records === 1 ? "" : "s"}${removed}, head ${r.head}\n`);
  }
  else process.stdout.write(`audit log BROKEN at record ${r.brokenAt}: ${r.problem}\n(${r.records} record${r.records === 1 ? "" : "s"} read)\n`);
  return r.ok ? 0 : 1;
}

async function prune(store: Store, o: Options): Promise<number> {
  // filled in by each batch (a callback: an object, so that the checks below see its declared types)
  const done: { removed: number; checkpoint: AuditCheckpoint | null } = { removed: 0, checkpoint: null };
  try {
    await pruneTo(store.audit, o.olderThan!, {
      onBatch: (r) => {
        done.removed += r.removed;
        done.checkpoint = r.checkpoint;
      },
    });
  } catch (e) {
    process.stderr.write(`guard audit prune: ${e instanceof Error ? e.message : String(e)}${done.removed > 0 ? ` (${done.removed} removed before that)` : ""}\n`);
    return 1;
  }
  const { removed, checkpoint } = done;
  if (o.format === "json") process.stdout.write(JSON.stringify({ removed, checkpoint }) + "\n");
  else if (removed === 0 || checkpoint === null) process.stdout.write(`nothing removed: no record is older than ${o.olderThan}\n`);
  else {
    process.stdout.write(
      `${removed} record${removed === 1 ? "" : "s"} removed; the log now starts after #${checkpoint.seq} (${checkpoint.time}), its checkpoint\n`,
    );
  }
  return 0;
}

async function query(store: Store, o: Options): Promise<number> {
  let records: AuditRecord[];
  try {
    records = await store.audit.query(o.query);
  } catch (e) {
    if (e instanceof TypeError) {
      process.stderr.write(`guard audit query: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.format === "json") {
    process.stdout.write(JSON.stringify(records, null, 2) + "\n");
    return 0;
  }
  const lines = records.map((r) =>
    [
      `#${r.seq}`,
      r.time,
      r.decision.padEnd(5),
      r.status === undefined ? "-" : String(r.status),
      `${r.request.method} ${r.request.path}`,
      `sub=${r.subject ?? "-"}`,
      `repo=${r.repository ?? "-"}`,
      `conn=${r.connection ?? "-"}`,
      `${r.latencyMs}ms`,
      `id=${r.decisionId}`,
      ...(r.reasons.length > 0 ? [`reasons: ${r.reasons.join("; ")}`] : []),
    ].join("  "),
  );
  process.stdout.write(lines.map((l) => l + "\n").join("") + `${records.length} record${records.length === 1 ? "" : "s"}\n`);
  return 0;
}

function parseOptions(sub: Subcommand, args: string[], now: number): Options {
  let store: StoreConfig | undefined;
  let format: Format = "pretty";
  let olderThan: string | undefined;
  const q: AuditQuery = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const setStore = (c: StoreConfig) => {
      if (store !== undefined) throw new UsageError("one store: --config or --store, once");
      store = c;
    };
    const filter = (): string => {
      if (sub !== "query") throw new UsageError(`${a} is a filter of guard audit query`);
      return value();
    };
    const named = storeOption(a, value);
    if (named) setStore(named);
    else if (a === "--format" || a === "-f") {
      const f = value();
      if (!FORMATS.includes(f as Format)) throw new UsageError(`unknown format \`${f}\`: use ${FORMATS.join(" or ")}`);
      format = f as Format;
    } else if (a === "--sub" || a === "--subject") q.subject = filter();
    else if (a === "--repo" || a === "--repository") q.repository = filter();
    else if (a === "--connection") q.connection = filter();
    else if (a === "--id") q.decisionId = filter();
    else if (a === "--decision") {
      const d = filter();
      if (d !== "allow" && d !== "deny" && d !== "error") throw new UsageError(`--decision must be allow, deny or error, found \`${d}\``);
      q.decision = d;
    } else if (a === "--since") q.since = timeOption(a, filter(), now);
    else if (a === "--until") q.until = timeOption(a, filter(), now);
    else if (a === "--older-than") {
      if (sub !== "prune") throw new UsageError(`${a} is an option of guard audit prune`);
      olderThan = timeOption(a, value(), now);
    } else if (a === "--limit" || a === "-n") {
      const n = filter();
      if (!/^\d+$/.test(n) || !Number.isSafeInteger(Number(n))) throw new UsageError(`--limit must be a whole number, found \`${n}\``);
      q.limit = Number(n);
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else throw new UsageError(`unexpected argument \`${a}\``);
  }
  if (sub === "prune" && olderThan === undefined) throw new UsageError("prune needs --older-than TIME (e.g. 90d)");
  return { store: store ?? { kind: "sqlite", path: resolve(DEFAULT_SQLITE_PATH) }, format, query: q, ...(olderThan !== undefined ? { olderThan } : {}) };
}

