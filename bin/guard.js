#!/usr/bin/env node
// The `guard` command: runs the compiled CLI (built by `npm run build`, which `npm install` runs through `prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write("guard: the CLI is not built yet; run `npm run build` in the guard package first\n");
  process.exit(2);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv.slice(2));
