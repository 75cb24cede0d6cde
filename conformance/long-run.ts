// The long differential run: N generated programs, compiled ≡ reference, with throughput and findings.
//
//   node --import tsx conformance/long-run.ts --runs 100000 [--seed 1] [--loose 10] [--out DIR]
//
// --loose P: P% of the programs are generated in loose mode (wrong types in places, to compare error codes).
// Each disagreement is shrunk (by rules) and written to DIR (default $TMPDIR/guard-long-run) as an OPA YAML
// case whose want is the reference interpreter's answer; move the ones that are real bugs to cases/regressions/.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateProgram, seededRand } from "./arbitraries/programs.js";
import { checkProgram, minimize, regressionYaml } from "./differential.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const runs = arg("runs", 10_000);
const seed = arg("seed", 1);
const loose = arg("loose", 10);
const outIndex = process.argv.indexOf("--out");
const out = outIndex >= 0 ? process.argv[outIndex + 1]! : join(tmpdir(), "guard-long-run");

const start = Date.now();
let compiled = 0;
let defined = 0;
let disagreements = 0;
const errors = new Map<string, number>();
const seen = new Set<string>();
for (let i = 0; i < runs; i++) {
  const r = seededRand(seed * 1_000_003 + i);
  const typed = r.int(0, 99) >= loose;
  const p = generateProgram(r, { typed });
  const v = checkProgram(p);
  if (v.compiled) compiled++;
  if (v.defined) defined++;
  const o = v.compiledOutcome;
  if (o?.kind === "error") errors.set(`${v.compiled ? "eval" : "compile"} ${o.code}`, (errors.get(`${v.compiled ? "eval" : "compile"} ${o.code}`) ?? 0) + 1);
  if (v.disagreement !== undefined) {
    disagreements++;
    const small = minimize(p);
    const again = checkProgram(small);
    const key = (again.disagreement ?? v.disagreement).replace(/[{[].*$/, "");
    console.log(`\n[${i}] ${again.disagreement ?? v.disagreement}\n${small.module}`);
    if (!seen.has(small.module)) {
      seen.add(small.module);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, `finding-${seed}-${i}.yaml`), regressionYaml(small, `long-run seed ${seed} program ${i}: ${key}`, again.referenceOutcome ?? v.referenceOutcome));
    }
  }
  if ((i + 1) % 10_000 === 0) {
    const s = (Date.now() - start) / 1000;
    console.log(`${i + 1} programs, ${((i + 1) / s).toFixed(0)}/s, ${compiled} compiled, ${defined} defined, ${disagreements} disagreements`);
  }
}
const secs = (Date.now() - start) / 1000;
console.log(`\nprograms: ${runs} in ${secs.toFixed(1)} s (${(runs / secs).toFixed(0)} programs/s)`);
console.log(`compiled: ${compiled} (${((100 * compiled) / runs).toFixed(1)}%), defined documents: ${defined} (${((100 * defined) / runs).toFixed(1)}%)`);
console.log(`errors: ${[...errors].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`);
console.log(`disagreements: ${disagreements}`);
process.exitCode = disagreements > 0 ? 1 : 0;
