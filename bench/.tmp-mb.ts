import { measureMasking } from "/work/main/bench/masking.ts";
async function main() {
const r = await measureMasking({ wireBytes: Number(process.argv[2] ?? 10_000_000), rounds: Number(process.argv[3] ?? 3) });
for (const row of r.rows) console.log(row.name.padEnd(60), row.mbps.toFixed(1), row.samples.map((x) => x.toFixed(0)).join(","));
}
void main();
