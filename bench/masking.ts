// Masking throughput: the shipped pack's secret patterns (policies/claude/data.yaml `secret_patterns`, compiled as the
// pack's `mask` obligation lists them) over a realistic ~10 MB Anthropic SSE stream of text_delta events with a few
// secrets, through maskAnthropicStream; Masker.maskText on the same text; and baselines over the same bytes in the
// same run: SSE parse + re-serialize, and SSE parse + JSON parse / stringify of each event + re-serialize.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import yaml from "js-yaml";
import { maskAnthropicStream } from "../gateway/masking/anthropic-stream.js";
import { maskJson } from "../gateway/masking/json-body.js";
import { StreamMasker } from "../gateway/masking/stream-masker.js";
import { compileMasks, type Masker, type MaskRule } from "../gateway/masking/patterns.js";
import { serializeSse, SseParser } from "../gateway/masking/sse.js";
import { fmt, gc, machineLine } from "./peers/harness.js";
import { median } from "./parse.js";
import { repoRoot } from "./rbac/scenario.js";
import { prng } from "./corpus.js";

export const PACK_DATA = join(repoRoot(), "policies", "claude", "data.yaml");

/** The pack's mask list: what data.guard.claude.decision's `mask` carries (name, pattern, `[MASKED:name]`, maxLength). */
export function packMaskRules(file = PACK_DATA): MaskRule[] {
  const data = yaml.load(readFileSync(file, "utf8")) as { secret_patterns?: { name: string; pattern: string; max_length?: number }[] };
  const patterns = data.secret_patterns ?? [];
  if (patterns.length === 0) throw new Error(`masking: no secret_patterns in ${file}`);
  return patterns.map((p) => ({ name: p.name, pattern: p.pattern, replacement: `[MASKED:${p.name}]`, ...(p.max_length !== undefined ? { maxLength: p.max_length } : {}) }));
}

export function packMasker(): Masker {
  const compiled = compileMasks(packMaskRules());
  if (!compiled.ok) throw new Error(`masking: the pack's patterns do not compile: ${compiled.errors.map((e) => e.message).join("; ")}`);
  return compiled.masker;
}

const PROSE = [
  "The failing test comes from the retry loop in the HTTP client: it does not reset the backoff after a success.",
  "I'll update the configuration so the service reads its credentials from the environment instead of the file.",
  "Here is the corrected function; it validates the input before it touches the database.",
  "The build fails because `tsconfig.json` sets `moduleResolution` to `node` while the package uses `exports`.",
  "Let me check the logs of the last deployment to see which migration timed out.",
  "This keeps the token out of the repository: the CI job fetches it at run time.",
  "Note that the cache key includes the lockfile hash, so a dependency bump invalidates it.",
  "Running the suite again with `--runInBand` shows the flaky test depends on the order of the fixtures.",
];
const CODE = [
  "```ts\nexport async function fetchUser(id: string): Promise<User> {\n  const res = await client.get(`/users/${id}`);\n  if (res.status !== 200) throw new Error(`user ${id}: ${res.status}`);\n  return res.json() as Promise<User>;\n}\n```",
  "```sh\nnpm ci\nnpm run build\nkubectl -n staging rollout status deploy/api --timeout=120s\n```",
  '```json\n{"name": "api", "replicas": 3, "image": "registry.example.com/api:1.42.0", "env": {"LOG_LEVEL": "info"}}\n```',
  "```python\ndef retry(fn, attempts=5):\n    for i in range(attempts):\n        try:\n            return fn()\n        except TimeoutError:\n            time.sleep(2 ** i)\n    raise RuntimeError('gave up')\n```",
  "```yaml\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n```",
];

function token(next: () => number, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Secrets of the kinds the pack masks, each with the pattern name that must mask it. */
function secret(next: () => number, k: number): { text: string; name: string } {
  switch (k % 8) {
    case 0:
      return { name: "aws_access_key_id", text: `AKIA${token(next, UPPER_DIGITS, 16)}` };
    case 1:
      return { name: "github_token", text: `ghp_${token(next, ALNUM, 36)}` };
    case 2:
      return { name: "anthropic_api_key", text: `sk-ant-api03-${token(next, ALNUM, 48)}` };
    case 3:
      return { name: "database_url", text: `postgres://app:${token(next, ALNUM, 16)}@db.internal.example.com:5432/app` };
    case 4:
      return { name: "slack_token", text: `xoxb-${token(next, "0123456789", 12)}-${token(next, ALNUM, 24)}` };
    case 5:
      return { name: "secret_env_assignment", text: `DB_PASSWORD=${token(next, ALNUM, 20)}` };
    case 6:
      return { name: "jwt", text: `eyJ${token(next, ALNUM, 20)}.eyJ${token(next, ALNUM, 40)}.${token(next, ALNUM, 43)}` };
    default:
      return { name: "private_key", text: `-----BEGIN RSA PRIVATE KEY-----\n${token(next, ALNUM, 64)}\n${token(next, ALNUM, 64)}\n-----END RSA PRIVATE KEY-----` };
  }
}

export interface MaskingWorkload {
  /** The assistant's text. */
  text: string;
  /** The SSE stream carrying it, in network chunks. */
  chunks: Uint8Array[];
  wireBytes: number;
  textBytes: number;
  deltas: number;
  secrets: { text: string; name: string }[];
}

const event = (name: string, data: unknown): string => serializeSse({ event: name, data: JSON.stringify(data) });

/** About `wireBytes` of SSE: text deltas of 20 to 80 characters, one secret every ~`secretEvery` characters of text. */
export function maskingWorkload(wireBytes = 10_000_000, options: { secretEvery?: number; chunkBytes?: number; seed?: number } = {}): MaskingWorkload {
  const next = prng(options.seed ?? 42);
  const secretEvery = options.secretEvery ?? 250_000;
  const parts: string[] = [];
  const secrets: { text: string; name: string }[] = [];
  let sse = event("message_start", {
    type: "message_start",
    message: { id: "msg_bench", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 2048, output_tokens: 1 } },
  });
  sse += event("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  sse += event("ping", { type: "ping" });
  const out: string[] = [sse];
  let wire = sse.length;
  let textLength = 0;
  let sinceSecret = 0;
  let pending = "";
  let deltas = 0;
  const flush = (all: boolean) => {
    while (pending.length > (all ? 0 : 80)) {
      const n = Math.min(pending.length, 20 + Math.floor(next() * 61));
      const ev = event("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: pending.slice(0, n) } });
      pending = pending.slice(n);
      out.push(ev);
      wire += ev.length;
      deltas++;
    }
  };
  while (wire < wireBytes) {
    let piece = next() < 0.3 ? CODE[Math.floor(next() * CODE.length)]! + "\n\n" : PROSE[Math.floor(next() * PROSE.length)]! + (next() < 0.2 ? "\n\n" : " ");
    if (sinceSecret >= secretEvery) {
      const s = secret(next, secrets.length);
      secrets.push(s);
      piece = `The value in the config is ${s.text}, which should not be committed.\n\n`;
      sinceSecret = 0;
    }
    parts.push(piece);
    pending += piece;
    textLength += piece.length;
    sinceSecret += piece.length;
    flush(false);
  }
  flush(true);
  const tail =
    event("content_block_stop", { type: "content_block_stop", index: 0 }) +
    event("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: Math.round(textLength / 4) } }) +
    event("message_stop", { type: "message_stop" });
  out.push(tail);
  const bytes = Buffer.from(out.join(""));
  const chunkBytes = options.chunkBytes ?? 16_384;
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(bytes.subarray(i, i + chunkBytes));
  const text = parts.join("");
  return { text, chunks, wireBytes: bytes.length, textBytes: Buffer.byteLength(text), deltas, secrets };
}

async function* source(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** The masked stream, as SSE text. */
export async function maskStream(w: MaskingWorkload, masker: Masker): Promise<string> {
  let out = "";
  for await (const s of maskAnthropicStream(source(w.chunks), { masker })) out += s;
  return out;
}

/** The text deltas of an SSE stream, joined. */
export function streamText(sse: string): string {
  const p = new SseParser();
  let text = "";
  for (const ev of [...p.push(sse), ...p.end()]) {
    if (ev.event !== "content_block_delta") continue;
    const d = (JSON.parse(ev.data) as { delta: { type: string; text?: string } }).delta;
    if (d.type === "text_delta") text += d.text;
  }
  return text;
}

/** Baseline: parse the SSE and serialize every event again (what any SSE-rewriting proxy does). */
export async function sseOnly(w: MaskingWorkload, json: boolean): Promise<number> {
  const p = new SseParser();
  let n = 0;
  const pass = (events: ReturnType<SseParser["push"]>) => {
    let out = "";
    for (const ev of events) out += serializeSse(json ? { event: ev.event, data: JSON.stringify(JSON.parse(ev.data)) } : ev);
    return out;
  };
  for await (const chunk of source(w.chunks)) n += pass(p.push(chunk)).length;
  return n + pass(p.end()).length;
}

export interface MaskingResult {
  patterns: number;
  wireBytes: number;
  textBytes: number;
  deltas: number;
  secrets: number;
  rows: { name: string; bytes: "wire" | "text"; mbps: number; samples: number[]; seconds: number }[];
  /** maskJson of the policy input (policyInput()): median µs per call. */
  maskJsonMicros: number;
  /** StreamMasker fed SMALL_PUSH-character pushes: median MB/s of text. */
  smallPushMbps: number;
}

/**
 * A policy input as the gateway builds it for a GitHub Actions caller of the Anthropic connection (gateway/input.ts):
 * about 1.4 KB of JSON, 42 mostly short strings. The gateway masks it (maskJson) for every request it records.
 */
export function policyInput(): unknown {
  const claims = { aud: "guard", iss: "https://token.actions.githubusercontent.com", sub: "repo:acme/app:ref:refs/heads/main", repository: "acme/app", repository_owner: "acme", ref: "refs/heads/main", ref_type: "branch", workflow: "ci", event_name: "push", run_id: "1", run_attempt: "1", actor: "octocat" };
  const prompt = "Summarize the failing test output and suggest a fix.";
  const body = { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: prompt }] };
  return {
    identity: { provider: "github-actions", issuer: claims.iss, subject: claims.sub, audience: ["guard"], claims, repository: "acme/app", repository_owner: "acme", ref: "refs/heads/main", ref_type: "branch", sha: null, workflow: "ci", environment: null, event_name: "push", run_id: "1", run_attempt: "1", actor: "octocat", groups: [] },
    connection: { name: "claude", type: "anthropic" },
    request: { method: "POST", path: "/v1/messages", query: {}, headers: { host: "127.0.0.1:1234", "content-type": "application/json", "content-length": "141", "user-agent": "autocannon" }, body, size: 141 },
    time: { ns: 1795309386590000000, rfc3339: "2026-11-22T01:03:06.590Z" },
    llm: { model: "claude-sonnet-4-5", max_tokens: 1024, stream: false, system: "", messages: [{ role: "user", text: prompt }], texts: [prompt], tools: [], tool_uses: [], tool_results: [] },
  };
}

/** The push size of the small-push figure: about a text_delta's worth of characters. */
export const SMALL_PUSH = 16;

/** Median µs per maskJson(policyInput()) call, over `rounds` batches of 2000 calls. */
export function measureMaskJson(masker: Masker, rounds = 15): number {
  const input = policyInput();
  const per: number[] = [];
  for (let i = 0; i < 2000; i++) maskJson(input, masker); // warm-up
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) maskJson(input, masker);
    per.push(((performance.now() - t0) / 2000) * 1000);
  }
  return median(per);
}

/** Median MB/s of StreamMasker over `text` in SMALL_PUSH-character pushes. */
export function measureSmallPushes(masker: Masker, text: string, rounds = 5): number {
  const bytes = Buffer.byteLength(text);
  const run = () => {
    const s = new StreamMasker(masker);
    for (let j = 0; j < text.length; j += SMALL_PUSH) s.push(text.slice(j, j + SMALL_PUSH));
    s.end();
  };
  run(); // warm-up
  const mbps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    gc();
    const t0 = performance.now();
    run();
    mbps.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
  }
  return median(mbps);
}

/** Checks the masked stream: its text is maskText of the upstream's text, and no secret is left. */
export async function checkMasking(w: MaskingWorkload, masker: Masker): Promise<void> {
  const masked = streamText(await maskStream(w, masker));
  const expected = masker.maskText(w.text);
  if (masked !== expected.text) throw new Error("masking: the masked stream's text differs from maskText of the upstream text");
  for (const s of w.secrets) if (masked.includes(s.text)) throw new Error(`masking: a ${s.name} secret was left in the stream`);
  for (const s of w.secrets) if (!expected.hits.some((h) => h.name === s.name)) throw new Error(`masking: no ${s.name} hit`);
}

export async function measureMasking(options: { wireBytes?: number; rounds?: number } = {}): Promise<MaskingResult> {
  const masker = packMasker();
  const w = maskingWorkload(options.wireBytes ?? 10_000_000);
  await checkMasking(w, masker);
  const candidates: { name: string; bytes: "wire" | "text"; size: number; run: () => Promise<unknown> }[] = [
    { name: "maskAnthropicStream (SSE parse + mask + serialize)", bytes: "wire", size: w.wireBytes, run: () => maskStream(w, masker) },
    { name: "baseline: SSE parse + serialize", bytes: "wire", size: w.wireBytes, run: () => sseOnly(w, false) },
    { name: "baseline: SSE parse + JSON parse / stringify + serialize", bytes: "wire", size: w.wireBytes, run: () => sseOnly(w, true) },
    { name: "Masker.maskText (the whole text at once)", bytes: "text", size: w.textBytes, run: async () => masker.maskText(w.text) },
  ];
  const rounds = options.rounds ?? 7;
  for (const c of candidates) await c.run(); // warm-up
  const samples: number[][] = candidates.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const j = (k + r) % candidates.length;
      gc();
      const t0 = performance.now();
      await candidates[j]!.run();
      samples[j]!.push((performance.now() - t0) / 1000);
    }
  }
  const maskJsonMicros = measureMaskJson(masker);
  const smallPushMbps = measureSmallPushes(masker, w.text.slice(0, 300_000));
  return {
    maskJsonMicros,
    smallPushMbps,
    patterns: masker.patterns.length,
    wireBytes: w.wireBytes,
    textBytes: w.textBytes,
    deltas: w.deltas,
    secrets: w.secrets.length,
    rows: candidates.map((c, j) => {
      const seconds = median(samples[j]!);
      return { name: c.name, bytes: c.bytes, seconds, mbps: c.size / 1e6 / seconds, samples: samples[j]!.map((s) => c.size / 1e6 / s) };
    }),
  };
}

/**
 * The figures this section recorded before the masker's prefilters (run search, shared head scans) and the SSE
 * text_delta fast path, for comparison: the first implementation (commit e40b01d), same workload and machine.
 */
export const BEFORE = { date: "2026-11-21", load: 8.06, sseMbps: 7.4, sseTextMbps: 2.2, maskTextMbps: 27.7, plainMbps: 223.6 };

/**
 * maskJson of the policy input and small pushes before the prefilters (prefilter.ts) and the copy-on-change JSON walk,
 * measured on 2026-11-22 alternating with the new code in one process (scratch A/B, best of rounds, same machine).
 */
export const BEFORE_PREFILTER = { date: "2026-11-22", maskJsonMicros: 42, smallPushMbps: 2.5 };

export async function runMaskingBench(): Promise<string> {
  const header = machineLine("npm run bench -- masking");
  const r = await measureMasking();
  for (const row of r.rows) console.log(`masking [${row.name}]: ${row.mbps.toFixed(1)} MB/s of ${row.bytes}`);
  const stream = r.rows[0]!;
  const plain = r.rows[1]!;
  const json = r.rows[2]!;
  const textMbps = r.textBytes / 1e6 / stream.seconds;
  const maskText = r.rows[3]!;
  const table = r.rows.map(
    (row) => `| ${row.name} | ${row.bytes === "wire" ? "SSE bytes" : "text bytes"} | ${fmt(row.seconds * 1000, 0)} | **${row.mbps.toFixed(1)}** | ${row.samples.map((x) => x.toFixed(0)).join(", ")} |`,
  );
  return [
    "## Masking throughput",
    "",
    header,
    "",
    `The pack's ${r.patterns} secret patterns (\`policies/claude/data.yaml\` \`secret_patterns\`, as the \`mask\` obligation of`,
    "`data.guard.claude.decision` carries them) compiled with `compileMasks`, over a generated Anthropic Messages stream:",
    `${(r.wireBytes / 1e6).toFixed(1)} MB of SSE carrying ${(r.textBytes / 1e6).toFixed(1)} MB of assistant text (prose, code blocks) in ${fmt(r.deltas)} text_delta`,
    `events of 20–80 characters, ${r.secrets} secrets of 8 kinds, fed in 16 KB network chunks. Before timing, the masked`,
    "stream's text must equal `maskText` of the upstream text and hold none of the secrets. The four passes are timed in",
    "7 interleaved rounds (a full collection before each pass); medians. MB = 10^6 bytes.",
    "",
    "| pass | measured on | median ms | MB/s | MB/s per round |",
    "| --- | --- | ---: | ---: | --- |",
    ...table,
    "",
    `\`maskJson\` of a policy input (1.4 KB of JSON, 42 mostly short strings: what the gateway masks for every request it records): ` +
      `**${r.maskJsonMicros.toFixed(1)} µs** per call (median of 15 batches of 2000; before the prefilters: ${BEFORE_PREFILTER.maskJsonMicros} µs, ${BEFORE_PREFILTER.date}). ` +
      `A StreamMasker fed ${SMALL_PUSH}-character pushes (the first 300 KB of the text): **${r.smallPushMbps.toFixed(1)} MB/s** of text ` +
      `(not improved: ${BEFORE_PREFILTER.smallPushMbps} MB/s before, alternating with the new code at the same load; each push still runs ` +
      "each pattern's hold-back search over the held and the new text).",
    "",
    `The streaming masker runs at **${stream.mbps.toFixed(1)} MB/s of SSE** (${textMbps.toFixed(1)} MB/s of the text it carries; aim: at least 100 MB/s, ${stream.mbps >= 100 ? "met" : `not met: ${((stream.mbps / 100) * 100).toFixed(0)}% of it`}), ` +
      `${(stream.mbps / plain.mbps * 100).toFixed(0)}% of the speed of parsing and re-serializing the same SSE without masking ` +
      `and ${(stream.mbps / json.mbps * 100).toFixed(0)}% of that with a JSON round trip of every event.`,
    "",
    `Before (the first implementation, recorded here on ${BEFORE.date} at load average ${BEFORE.load}): ${BEFORE.sseMbps} MB/s of SSE ` +
      `(${BEFORE.sseTextMbps} MB/s of text) and \`maskText\` ${BEFORE.maskTextMbps} MB/s; now ${stream.mbps.toFixed(1)} and ${maskText.mbps.toFixed(1)} MB/s ` +
      `(${(stream.mbps / BEFORE.sseMbps).toFixed(1)}x and ${(maskText.mbps / BEFORE.maskTextMbps).toFixed(1)}x). ` +
      `The machine is shared and its load moves these figures by 2x or more; against the same run's SSE parse + serialize ` +
      `baseline, which does not depend on the masker, the stream ran at ${((BEFORE.sseMbps / BEFORE.plainMbps) * 100).toFixed(1)}% of it ` +
      `(${BEFORE.sseMbps} of ${BEFORE.plainMbps}) and now at ${((stream.mbps / plain.mbps) * 100).toFixed(1)}% ` +
      `(${(stream.mbps / plain.mbps / (BEFORE.sseMbps / BEFORE.plainMbps)).toFixed(1)}x). ` +
      "What changed: a pattern " +
      "whose first literal follows an unbounded class run (`\\b[\\w.-]*(?:password|…)…`) is found through that literal and " +
      "extended backwards along the run; the undecided (hold-back) search tries its rewritten regex only where the pattern's " +
      "head matches (a head of ASCII literals under `(?i)` scanned case-folded, without the flag), and shares that scan " +
      "with the match search; text deltas in Anthropic's exact shape skip the JSON round trip; the SSE parser reads lines " +
      "in place. Since 2026-11-22: where the SSE parser stands between events, a whole text_delta event in Anthropic's " +
      "exact bytes is read by one sticky regex; escaped delta strings are decoded once per merged delta; a pattern is not " +
      "searched where its prefilter (minimum length, literal factors) fails; and the hold-back search of a pattern whose " +
      "unbounded rest takes no whitespace starts at the last word of the text.",
  ].join("\n");
}
