// `guard conformance`: run test cases in OPA's YAML format and report pass / fail / skip per folder.
import { existsSync } from "node:fs";
import { formatSummary, SHARED_CASES } from "../conformance/opa-conformance.js";
import { caseId, runConformance } from "../conformance/opa-runner.js";

export const CONFORMANCE_USAGE = `Usage: guard conformance [DIR…] [--format pretty|json] [-v]

Runs every case of OPA's YAML test format found under the directories (default: ../shared/opa-cases) with
Guard's engine, and prints pass / fail / skip per folder and in total, with the reason for each skip.
-v also lists each failure with its reason. Exit code 1 when a case fails.
`;

export async function conformanceCommand(args: string[]): Promise<number> {
  let format = "pretty";
  let verbose = false;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--format") format = args[++i] ?? "";
    else if (a === "-v" || a === "--verbose") verbose = true;
    else if (a.startsWith("-")) {
      process.stderr.write(`guard conformance: unknown option ${a}\n\n${CONFORMANCE_USAGE}`);
      return 2;
    } else dirs.push(a);
  }
  if (format !== "pretty" && format !== "json") {
    process.stderr.write(`guard conformance: unknown format \`${format}\`: use pretty or json\n`);
    return 2;
  }
  if (dirs.length === 0) dirs.push(SHARED_CASES);
  const missing = dirs.filter((d) => !existsSync(d));
  if (missing.length > 0) {
    process.stderr.write(`guard conformance: no such directory: ${missing.join(", ")}\n`);
    return 2;
  }
  const summary = runConformance(dirs);
  if (format === "json") {
    const out = {
      pass: summary.pass,
      fail: summary.fail,
      skip: summary.skip,
      folders: Object.fromEntries(summary.byFolder),
      cases: summary.results.map((r) => ({ id: caseId(r), ...r.outcome })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    process.stdout.write(formatSummary(summary) + "\n");
    if (verbose) {
      for (const r of summary.results) if (r.outcome.status === "fail") process.stdout.write(`fail: ${caseId(r)}: ${r.outcome.reason}\n`);
    }
  }
  return summary.fail > 0 ? 1 : 0;
}
