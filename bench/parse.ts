// Parser throughput: a deterministic ~5 MB policy corpus, parsed several times after a warm-up.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { renderDiagnostics } from "../lang/diagnostics.js";
import type { tokenize } from "../lang/lexer.js";
import type { parseModule } from "../lang/parse.js";
import { generateCorpus, type CorpusFile } from "./corpus.js";

/** The parser under test: the compiled build (what `guard` runs) or the TypeScript sources loaded through tsx. */
export interface ParserUnderTest {
  /** How it was loaded, for the report. */
  label: string;
  parseModule: typeof parseModule;
  tokenize: typeof tokenize;
}

export interface ParseBenchOptions {
  /** Corpus size in bytes (default 5,000,000). */
  bytes?: number;
  /** Timed runs over the whole corpus (default 7; at least 5). */
  runs?: number;
  /** Untimed runs first, for the JIT (default 2). */
  warmups?: number;
  /** Progress lines go here (default: stderr). */
  log?: (line: string) => void;
}

export interface ParseBenchResult {
  parser: string;
  files: number;
  bytes: number;
  lines: number;
  rules: number;
  tokens: number;
  runs: number;
  /** Seconds per run over the whole corpus. */
  parseSeconds: number[];
  lexSeconds: number[];
  medianParseSeconds: number;
  medianLexSeconds: number;
  /** 10^6 bytes per second, from the median run. */
  parseMBps: number;
  lexMBps: number;
  tokensPerSecond: number;
  rulesPerSecond: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timeRun(files: readonly CorpusFile[], work: (f: CorpusFile) => void): number {
  const start = performance.now();
  for (const f of files) work(f);
  return (performance.now() - start) / 1000;
}

export function runParseBench(impl: ParserUnderTest, options: ParseBenchOptions = {}): ParseBenchResult {
  const { parseModule, tokenize } = impl;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const runs = Math.max(5, options.runs ?? 7);
  const warmups = options.warmups ?? 2;
  const files = generateCorpus(options.bytes ?? 5_000_000);
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text, "utf8"), 0);
  const lines = files.reduce((n, f) => n + f.text.split("\n").length, 0);
  log(`parse (${impl.label}): ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${lines} lines`);

  // check the corpus once: every file must parse cleanly, or the figures mean nothing
  let rules = 0;
  let tokens = 0;
  for (const f of files) {
    const r = parseModule(f.text, { file: f.name });
    if (r.diagnostics.length > 0 || r.module === undefined) {
      throw new Error(`the benchmark corpus does not parse: ${f.name}\n${renderDiagnostics(r.diagnostics, f.text)}`);
    }
    rules += r.module.rules.length;
    const lexed = tokenize(f.text, f.name);
    tokens += lexed.tokens.length + lexed.comments.length;
  }

  for (let i = 0; i < warmups; i++) {
    const s = timeRun(files, (f) => parseModule(f.text, { file: f.name }));
    log(`parse: warm-up ${i + 1}/${warmups}: ${s.toFixed(3)} s`);
  }
  const parseSeconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = timeRun(files, (f) => parseModule(f.text, { file: f.name }));
    parseSeconds.push(s);
    log(`parse: run ${i + 1}/${runs}: ${s.toFixed(3)} s (${(bytes / 1e6 / s).toFixed(2)} MB/s)`);
  }
  const lexSeconds: number[] = [];
  timeRun(files, (f) => tokenize(f.text, f.name));
  for (let i = 0; i < runs; i++) lexSeconds.push(timeRun(files, (f) => tokenize(f.text, f.name)));

  const medianParseSeconds = median(parseSeconds);
  const medianLexSeconds = median(lexSeconds);
  return {
    parser: impl.label,
    files: files.length,
    bytes,
    lines,
    rules,
    tokens,
    runs,
    parseSeconds,
    lexSeconds,
    medianParseSeconds,
    medianLexSeconds,
    parseMBps: bytes / 1e6 / medianParseSeconds,
    lexMBps: bytes / 1e6 / medianLexSeconds,
    tokensPerSecond: tokens / medianParseSeconds,
    rulesPerSecond: rules / medianParseSeconds,
  };
}

export interface Environment {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  date: string;
  /** The 1-minute load average when the benchmark started: other work on the machine skews the figures. */
  load: number;
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString().slice(0, 10),
    load: os.loadavg()[0] ?? 0,
  };
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");

/** The Markdown section for BENCHMARKS.md (without its markers); the first result is the headline. */
export function parseBenchMarkdown(results: readonly ParseBenchResult[], env: Environment, command: string, target = 5): string {
  const r = results[0]!;
  const verdict =
    r.parseMBps >= target
      ? `meets the ${target} MB/s target`
      : `is below the ${target} MB/s target (${((r.parseMBps / target) * 100).toFixed(0)}% of it)`;
  const rows = results.flatMap((x) => [
    `| ${x.parser}: parse (lex + grammar + AST) | ${x.medianParseSeconds.toFixed(3)} s | **${x.parseMBps.toFixed(2)} MB/s** | ${fmtInt(x.tokensPerSecond)} | ${fmtInt(x.rulesPerSecond)} | ${x.parseSeconds.map((s) => s.toFixed(2)).join(", ")} |`,
    `| ${x.parser}: lex only | ${x.medianLexSeconds.toFixed(3)} s | ${x.lexMBps.toFixed(2)} MB/s | ${fmtInt(x.tokens / x.medianLexSeconds)} | — | ${x.lexSeconds.map((s) => s.toFixed(2)).join(", ")} |`,
  ]);
  return [
    "## Parser throughput",
    "",
    `\`${command}\` — Node ${env.node}, ${env.cpu} (${env.cores} cores), ${env.platform}, ${env.date}, load average ${env.load.toFixed(2)} at the start.`,
    "",
    "A deterministic corpus of generated RBAC / ABAC / admission-control packages (comprehensions, `some` / `every`,",
    "functions, else chains, ref heads, strings with escapes, raw strings, big numbers, comments), parsed file by",
    `file with \`parseModule\`: ${r.runs} timed runs after a warm-up; figures from the median run (MB = 10^6 bytes).`,
    "",
    "| corpus | files | rules | lines | tokens | size |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| generated policies | ${fmtInt(r.files)} | ${fmtInt(r.rules)} | ${fmtInt(r.lines)} | ${fmtInt(r.tokens)} | ${(r.bytes / 1e6).toFixed(2)} MB |`,
    "",
    "| parser: stage | median time | throughput | tokens/s | rules/s | runs (s) |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
    `Parse throughput of the ${r.parser} ${verdict}.`,
  ].join("\n");
}
