// Runs the benchmarks and records their results in BENCHMARKS.md.
//
//   npm run bench                      every benchmark
//   npm run bench -- parse             only the named ones
//   npm run bench -- parse --source    also measure the TypeScript sources as loaded by tsx (slow: see below)
//
// The code measured is the compiled build (`npm run build`, run here first), which is what `guard` executes.
// The sources as loaded by tsx (`--source`) can differ: esbuild's keepNames wraps every closure in a `__name(…)`
// call, which costs a lot wherever closures are created per call (it made the grammar 8x slower while it built
// its OR alternatives on every rule invocation).
//
// Each benchmark owns one section of BENCHMARKS.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->`; the
// rest of the file is kept as it is.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { updateSection } from "./sections.js";
import { environment, parseBenchMarkdown, runParseBench, type ParseBenchResult, type ParserUnderTest } from "./parse.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root, whether this runs from bench/ (tsx) or dist/bench/ (compiled). */
const ROOT = existsSync(resolve(HERE, "..", "package.json")) ? resolve(HERE, "..") : resolve(HERE, "..", "..");
export const BENCHMARKS_FILE = resolve(ROOT, "BENCHMARKS.md");

interface Options {
  /** Also measure the sources loaded through tsx. */
  source: boolean;
  /** Skip `npm run build` (use dist/ as it is). */
  noBuild: boolean;
}

interface Benchmark {
  description: string;
  /** Runs the benchmark and returns its Markdown section (without markers). */
  run(options: Options): Promise<string>;
}

function build(): void {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve("typescript/bin/tsc");
  console.error("building (tsc -p tsconfig.build.json) …");
  try {
    execFileSync(process.execPath, [tsc, "-p", resolve(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  } catch {
    // tsc still emits when other parts of the project have type errors: measure what was emitted
    if (!existsSync(resolve(ROOT, "dist", "lang", "parse.js"))) throw new Error("the build failed and dist/lang/parse.js is missing");
    console.error("warning: the build reported errors; measuring dist/ as emitted");
  }
}

async function compiledParser(): Promise<ParserUnderTest> {
  const dist = resolve(ROOT, "dist", "lang");
  const parse = (await import(pathToFileURL(resolve(dist, "parse.js")).href)) as typeof import("../lang/parse.js");
  const lexer = (await import(pathToFileURL(resolve(dist, "lexer.js")).href)) as typeof import("../lang/lexer.js");
  return { label: "compiled build (dist/)", parseModule: parse.parseModule, tokenize: lexer.tokenize };
}

async function sourceParser(): Promise<ParserUnderTest> {
  const parse = await import("../lang/parse.js");
  const lexer = await import("../lang/lexer.js");
  return { label: "TypeScript sources via tsx", parseModule: parse.parseModule, tokenize: lexer.tokenize };
}

function summary(r: ParseBenchResult): string {
  return (
    `parse [${r.parser}]: ${r.parseMBps.toFixed(2)} MB/s (median of ${r.runs} runs, ${r.medianParseSeconds.toFixed(3)} s), ` +
    `${Math.round(r.tokensPerSecond).toLocaleString("en-US")} tokens/s; lex only ${r.lexMBps.toFixed(2)} MB/s; ` +
    `${r.files} files, ${r.rules} rules, ${r.lines} lines`
  );
}

const BENCHMARKS: Record<string, Benchmark> = {
  decision: {
    description: "decision latency of the RBAC scenario: compiled, reference, hand-written",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runDecisionBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "decision.js")).href)) as typeof import("./decision.js");
      return runDecisionBench();
    },
  },
  peers: {
    description: "the RBAC scenario by Guard compiled, hand-written TypeScript, cedar-wasm and casbin",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runPeersBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "peers.js")).href)) as typeof import("./peers.js");
      return runPeersBench();
    },
  },
  aci: {
    description: "the ACI policy of rego-cpp's suite: compile time, per-case decisions compiled vs reference",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runAciBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "aci.js")).href)) as typeof import("./aci.js");
      return runAciBench();
    },
  },
  compile: {
    description: "parse + compile time of generated bundles of 100, 1,000 and 10,000 rules",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runCompileScaleBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "compile-scale.js")).href)) as typeof import("./compile-scale.js");
      return runCompileScaleBench();
    },
  },
  pack: {
    description: "decision latency of the shipped Claude policy pack: compiled, reference, hand-written",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runPackBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "pack.js")).href)) as typeof import("./pack.js");
      return runPackBench();
    },
  },
  masking: {
    description: "MB/s of SSE through the streaming masker with the pack's secret patterns",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runMaskingBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "masking.js")).href)) as typeof import("./masking.js");
      return runMaskingBench();
    },
  },
  gateway: {
    description: "the gateway's added latency (paced open-loop load) and throughput (autocannon) vs the upstream directly and a bare undici proxy",
    run: async (options) => {
      if (!options.noBuild) build();
      const { runGatewayBench } = (await import(pathToFileURL(resolve(ROOT, "dist", "bench", "gateway.js")).href)) as typeof import("./gateway.js");
      return runGatewayBench({
        policies: "policies",
        // A GitHub Actions job of a repository the shipped pack trusts, asking for an allowed model.
        claims: { sub: "repo:acme/app:ref:refs/heads/main", repository: "acme/app", repository_owner: "acme", ref: "refs/heads/main", ref_type: "branch", workflow: "ci", event_name: "push", run_id: "1", run_attempt: "1", actor: "octocat" },
        body: { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Summarize the failing test output and suggest a fix." }] },
        rates: [500, 1000, 2000],
        durationS: Number(process.env.GUARD_BENCH_SECONDS ?? 5),
        runs: Number(process.env.GUARD_BENCH_RUNS ?? 3),
        connections: 32,
      });
    },
  },
  parse: {
    description: "parser throughput on a ~5 MB generated policy corpus",
    run: async (options) => {
      if (!options.noBuild) build();
      const env = environment();
      const results = [runParseBench(await compiledParser())];
      console.log(summary(results[0]!));
      if (options.source) {
        const r = runParseBench(await sourceParser(), { runs: 5, warmups: 1 });
        console.log(summary(r));
        results.push(r);
      }
      const command = `npm run bench -- parse${options.source ? " --source" : ""}`;
      const first = results[0]!;
      const { runJsonBaseline } = await import("./chevrotain-json.js");
      const baseline = runJsonBaseline(first.bytes, first.files);
      console.log(`baseline [Chevrotain JSON CstParser]: ${baseline.mbps.toFixed(2)} MB/s`);
      return (
        parseBenchMarkdown(results, env, command) +
        `\n\nBaseline in the same run: the JSON grammar of Chevrotain's tutorial, a CstParser with the same lexer settings, ` +
        `on ${(baseline.bytes / 1e6).toFixed(2)} MB of JSON in ${first.files} documents: ` +
        `**${baseline.mbps.toFixed(2)} MB/s** (${Math.round(baseline.tokensPerSecond).toLocaleString("en-US")} tokens/s, median of ${baseline.runs}). ` +
        `Guard's parser runs at ${((first.parseMBps / baseline.mbps) * 100).toFixed(0)}% of Chevrotain's speed on JSON ` +
        `(${((first.tokensPerSecond / baseline.tokensPerSecond) * 100).toFixed(0)}% in tokens per second).`
      );
    },
  },
};

async function main(args: readonly string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith("-"));
  const flags = new Set(args.filter((a) => a.startsWith("-")));
  const unknownFlags = [...flags].filter((f) => f !== "--source" && f !== "--no-build");
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0 || unknownFlags.length > 0) {
    console.error(
      `unknown ${unknown.length > 0 ? `benchmark: ${unknown.join(", ")}` : `option: ${unknownFlags.join(", ")}`}; ` +
        `benchmarks: ${Object.keys(BENCHMARKS).join(", ")}; options: --source, --no-build`,
    );
    return 2;
  }
  const options: Options = { source: flags.has("--source"), noBuild: flags.has("--no-build") };
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  let markdown = existsSync(BENCHMARKS_FILE)
    ? readFileSync(BENCHMARKS_FILE, "utf8")
    : "# Benchmarks\n\nMeasured with `npm run bench` (all) or `npm run bench -- NAME`; each section is rewritten by its benchmark.\n";
  for (const name of selected) {
    console.error(`== ${name}: ${BENCHMARKS[name]!.description}`);
    markdown = updateSection(markdown, name, await BENCHMARKS[name]!.run(options));
  }
  writeFileSync(BENCHMARKS_FILE, markdown);
  console.error(`updated ${BENCHMARKS_FILE}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
