// `node --import tsx conformance/opa-conformance.ts [--update] [--format json] [DIR…]`: runs OPA's YAML cases
// (default ../shared/opa-cases) and prints pass / fail / skip per folder and in total, each skip with its reason.
// `--update` rewrites the ratchet file conformance/passing.txt with the cases that pass.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { caseId, runConformance, type Summary } from "./opa-runner.js";

export const SHARED_CASES = fileURLToPath(new URL("../../shared/opa-cases", import.meta.url));
export const RATCHET_FILE = fileURLToPath(new URL("./passing.txt", import.meta.url));

export function readRatchet(): Set<string> {
  if (!existsSync(RATCHET_FILE)) return new Set();
  return new Set(readFileSync(RATCHET_FILE, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
}

export function writeRatchet(summary: Summary): void {
  const ids = summary.results.filter((r) => r.outcome.status === "pass").map(caseId).sort();
  writeFileSync(RATCHET_FILE, `# OPA conformance cases that pass; CI fails when one of them stops passing.\n${ids.join("\n")}\n`);
}

export function formatSummary(summary: Summary): string {
  const lines: string[] = [];
  const width = Math.max(8, ...[...summary.byFolder.keys()].map((k) => k.length));
  lines.push(`${"folder".padEnd(width)}  pass  fail  skip`);
  for (const [folder, r] of [...summary.byFolder].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`${folder.padEnd(width)}  ${String(r.pass).padStart(4)}  ${String(r.fail).padStart(4)}  ${String(r.skip).padStart(4)}`);
  }
  for (const r of summary.results) {
    if (r.outcome.status === "skip") lines.push(`skip: ${caseId(r)}: ${r.outcome.reason}`);
  }
  const total = summary.pass + summary.fail + summary.skip;
  lines.push(`conformance: ${summary.pass} passed, ${summary.fail} failed, ${summary.skip} skipped (${total} cases)`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const update = args.includes("--update");
  const json = args.includes("--format") && args[args.indexOf("--format") + 1] === "json";
  const dirs = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--format");
  const summary = runConformance(dirs.length > 0 ? dirs : [SHARED_CASES]);
  if (json) {
    process.stdout.write(JSON.stringify({ pass: summary.pass, fail: summary.fail, skip: summary.skip, folders: Object.fromEntries(summary.byFolder), cases: summary.results }, null, 2) + "\n");
  } else {
    process.stdout.write(formatSummary(summary) + "\n");
    if (args.includes("-v")) for (const r of summary.results) if (r.outcome.status === "fail") process.stdout.write(`fail: ${caseId(r)}: ${r.outcome.reason}\n`);
  }
  if (update) writeRatchet(summary);
}
