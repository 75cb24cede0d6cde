// The audit log's hash chain: how a record's hash is computed, and a pure check of a chain (used by both stores).
//
// hash(n) = sha256hex(prevHash + "\n" + canonicalJson({ ...entry(n), seq: n })), prevHash(1) = 64 zeros,
// prevHash(n) = hash(n - 1). Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, values as
// JSON.stringify writes them (undefined properties left out).
import { createHash } from "node:crypto";
import type { AuditEntry, AuditRecord, VerifyResult } from "./types.js";

/** The prevHash of the first record. */
export const GENESIS_HASH = "0".repeat(64);

const DECISIONS: ReadonlySet<string> = new Set(["allow", "deny", "error"]);

/** JSON with object keys sorted and no whitespace; the same values as JSON.stringify (undefined properties dropped). */
export function canonicalJson(value: unknown): string {
  const out = canonical(value);
  if (out === undefined) throw new TypeError("canonicalJson: the value has no JSON form");
  return out;
}

function canonical(value: unknown): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("canonicalJson: a bigint has no JSON form");
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? "null").join(",")}]`;
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(obj).sort()) {
        const v = canonical(obj[key]);
        if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
      }
      return `{${parts.join(",")}}`;
    }
    default: // undefined, function, symbol
      return undefined;
  }
}

/** The entry part of a record (without seq, prevHash, hash). */
export function entryOf(record: AuditEntry | AuditRecord): AuditEntry {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...entry } = record as Partial<AuditRecord> & AuditEntry;
  return entry;
}

/** The canonical JSON of an entry as stored (without seq, prevHash, hash). */
export function entryJson(entry: AuditEntry): string {
  return canonicalJson(entryOf(entry));
}

/** The hash of the record `seq` holding `entry` after `prevHash`. */
export function recordHash(prevHash: string, entry: AuditEntry, seq: number): string {
  return sha256hex(`${prevHash}\n${canonicalJson({ ...entryOf(entry), seq })}`);
}

export function sha256hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Builds the record that follows `head` (the previous record's seq and hash; seq 0 and GENESIS_HASH when empty).
 * The same as recordHash over the stored entry, with one canonical pass: canonical JSON read back and written again
 * is the same text, so the hashed text is the entry's with `"seq":n` among its members.
 */
export function chainRecord(entry: AuditEntry, head: { seq: number; hash: string }): { record: AuditRecord; json: string } {
  checkEntry(entry);
  const members: string[] = [];
  let seqAt = -1;
  for (const key of Object.keys(entry).sort()) {
    if (key === "seq" || key === "prevHash" || key === "hash") continue;
    const v = canonical((entry as unknown as Record<string, unknown>)[key]);
    if (v === undefined) continue;
    if (seqAt < 0 && key > "seq") seqAt = members.length;
    members.push(`${JSON.stringify(key)}:${v}`);
  }
  const json = `{${members.join(",")}}`;
  const stored = JSON.parse(json) as AuditEntry; // what the store gives back later, exactly
  const seq = head.seq + 1;
  members.splice(seqAt < 0 ? members.length : seqAt, 0, `"seq":${seq}`);
  const hash = sha256hex(`${head.hash}\n{${members.join(",")}}`);
  return { record: { ...stored, seq, prevHash: head.hash, hash }, json };
}

/** Throws a TypeError when an entry cannot be recorded (the fields the store indexes must be well-formed). */
export function checkEntry(entry: AuditEntry): void {
  const bad = (why: string): never => {
    throw new TypeError(`audit entry: ${why}`);
  };
  if (entry === null || typeof entry !== "object") bad("not an object");
  if (typeof entry.decisionId !== "string" || entry.decisionId === "") bad("decisionId must be a non-empty string");
  if (typeof entry.time !== "string" || Number.isNaN(Date.parse(entry.time))) bad(`time must be an ISO 8601 time, found ${JSON.stringify(entry.time)}`);
  if (!DECISIONS.has(entry.decision)) bad(`decision must be allow, deny or error, found ${JSON.stringify(entry.decision)}`);
  for (const k of ["subject", "repository", "connection"] as const) {
    const v = entry[k];
    if (v !== null && v !== undefined && typeof v !== "string") bad(`${k} must be a string or null`);
  }
}

/** Milliseconds since the epoch of an entry's time (the stores index it for since/until). */
export function timeMs(time: string): number {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO 8601 time: ${JSON.stringify(time)}`);
  return ms;
}

/** Where a pruned chain starts: the last record retention removed (its seq and hash). */
export interface ChainStart {
  seq: number;
  hash: string;
}

/**
 * Checks records one at a time, in the order the store holds them (by seq), without keeping them: for logs too big
 * to load. push() each record, then finish() with the head the store keeps (its last seq and hash), if it keeps one.
 * A log that retention pruned starts after its checkpoint: record start.seq + 1, linked to start.hash.
 */
export class ChainVerifier {
  private count = 0;
  private expected: number;
  private last: AuditRecord | undefined;
  private lastHash: string;
  private broken: Extract<VerifyResult, { ok: false }> | undefined;

  constructor(private readonly start?: ChainStart) {
    this.expected = (start?.seq ?? 0) + 1;
    this.lastHash = start?.hash ?? GENESIS_HASH;
  }

  /** Checks the next record; returns false once the chain is broken (later records need not be pushed). */
  push(record: AuditRecord): boolean {
    if (this.broken) return false;
    this.count++;
    const seq = record.seq;
    if (seq !== this.expected) {
      const why =
        typeof seq === "number" && seq > this.expected
          ? seq === this.expected + 1
            ? `record ${this.expected} is missing (deleted?): found seq ${seq} after ${this.expected - 1}`
            : `records ${this.expected}..${seq - 1} are missing (deleted?): found seq ${seq} after ${this.expected - 1}`
          : `expected seq ${this.expected}, found seq ${String(seq)} (a duplicated or reordered record)`;
      return this.fail(this.expected, why);
    }
    let recomputed: string;
    try {
      recomputed = recordHash(record.prevHash, record, seq);
    } catch (e) {
      return this.fail(seq, `record ${seq} cannot be hashed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (recomputed !== record.hash) {
      return this.fail(seq, `record ${seq} was changed: its hash is ${short(record.hash)}, its content hashes to ${short(recomputed)}`);
    }
    if (record.prevHash !== this.lastHash) {
      // record `seq` is consistent in itself, so its predecessor (or the genesis link) is what changed
      return seq === 1
        ? this.fail(1, `record 1's prevHash is ${short(record.prevHash)}, not the genesis hash (64 zeros)`)
        : this.start !== undefined && seq === this.start.seq + 1
          ? this.fail(seq, `record ${seq}'s prevHash ${short(record.prevHash)} is not the hash ${short(this.lastHash)} that the retention checkpoint keeps for record ${seq - 1} (removed)`)
          : this.fail(
            seq - 1,
            `record ${seq - 1} was rewritten: its hash ${short(this.lastHash)} is not the prevHash ${short(record.prevHash)} that record ${seq} holds`,
          );
    }
    this.last = record;
    this.lastHash = record.hash;
    this.expected = seq + 1;
    return true;
  }

  /** The result; `head` is the chain head the store keeps apart from the records (detects a truncated tail). */
  finish(head?: { seq: number; hash: string }): VerifyResult {
    if (this.broken) return this.broken;
    const lastSeq = this.expected - 1;
    if (head !== undefined) {
      if (head.seq > lastSeq) {
        const missing = head.seq === lastSeq + 1 ? `record ${head.seq} is` : `records ${lastSeq + 1}..${head.seq} are`;
        return this.failed(lastSeq + 1, `${missing} missing (the log was truncated): the head says ${head.seq} records, the log ends at ${lastSeq}`);
      }
      if (head.seq < lastSeq) {
        return this.failed(head.seq + 1, `records after ${head.seq} are not in the chain head (added outside the store?): the log ends at ${lastSeq}`);
      }
      if (head.hash !== this.lastHash) {
        return this.failed(Math.max(lastSeq, 1), `the chain head's hash ${short(head.hash)} is not record ${lastSeq}'s hash ${short(this.lastHash)}`);
      }
    }
    return { ok: true, records: this.count, head: this.lastHash, ...(this.start && this.start.seq > 0 ? { removedThrough: this.start.seq } : {}) };
  }

  /** The last good record so far. */
  get lastRecord(): AuditRecord | undefined {
    return this.last;
  }

  /** Marks the chain broken at `seq` for a reason found outside the chain (a stored column that disagrees). */
  reject(seq: number, problem: string): false {
    return this.fail(seq, problem);
  }

  private failed(brokenAt: number, problem: string): VerifyResult {
    this.fail(brokenAt, problem);
    return this.broken!;
  }

  private fail(brokenAt: number, problem: string): false {
    this.broken = { ok: false, records: this.count, brokenAt, problem };
    return false;
  }
}

/** Checks a whole chain held in memory (records in the order stored), with the store's head if it keeps one. */
export function verifyChain(records: Iterable<AuditRecord>, head?: { seq: number; hash: string }): VerifyResult {
  const v = new ChainVerifier();
  for (const r of records) if (!v.push(r)) break;
  return v.finish(head);
}

/** The same as verifyChain for records read a page at a time. */
export async function verifyChainAsync(records: AsyncIterable<AuditRecord>, head?: { seq: number; hash: string }): Promise<VerifyResult> {
  const v = new ChainVerifier();
  for await (const r of records) if (!v.push(r)) break;
  return v.finish(head);
}

function short(hash: string): string {
  return typeof hash === "string" && hash.length > 16 ? `${hash.slice(0, 12)}…` : JSON.stringify(hash);
}

/** An audit row as both stores keep it: the filter fields as columns, the whole entry as canonical JSON. */
export interface AuditRow {
  seq: number | string;
  decision_id: string;
  time: string;
  subject: string | null;
  repository: string | null;
  connection: string | null;
  decision: string;
  entry: string;
  prev_hash: string;
  hash: string;
}

/** The record a row holds (the entry from its JSON, the chain fields from its columns). */
export function recordFromRow(row: AuditRow): AuditRecord {
  const entry = JSON.parse(row.entry) as AuditEntry;
  return { ...entryOf(entry), seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash };
}

/** Why a row's columns disagree with its JSON entry (someone changed one and not the other), or undefined. */
export function rowMismatch(row: AuditRow, record: AuditRecord): string | undefined {
  const pairs: [string, unknown, unknown][] = [
    ["decision_id", row.decision_id, record.decisionId],
    ["time", row.time, record.time],
    ["subject", row.subject, record.subject ?? null],
    ["repository", row.repository, record.repository ?? null],
    ["connection", row.connection, record.connection ?? null],
    ["decision", row.decision, record.decision],
  ];
  for (const [column, stored, inEntry] of pairs) {
    if (stored !== inEntry) {
      return `record ${record.seq} was changed: its ${column} column holds ${JSON.stringify(stored)}, its entry ${JSON.stringify(inEntry)}`;
    }
  }
  return undefined;
}

/** Pushes a stored row into a verifier: a row whose JSON does not parse or whose columns disagree breaks the chain. */
export function pushRow(v: ChainVerifier, row: AuditRow): boolean {
  let record: AuditRecord;
  try {
    record = recordFromRow(row);
  } catch (e) {
    return v.reject(Number(row.seq), `record ${String(row.seq)}'s entry is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!v.push(record)) return false;
  const mismatch = rowMismatch(row, record);
  return mismatch === undefined ? true : v.reject(record.seq, mismatch);
}
