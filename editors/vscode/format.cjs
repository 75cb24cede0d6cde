// Formatting through `guard fmt`: the document's text goes to a temporary file (`guard fmt` reads files, not
// standard input), `guard fmt FILE` prints the canonical text, and the file is removed. No VS Code API here, so
// that editors/vscode/format.test.ts can run it.
"use strict";
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- VS Code loads extensions as CommonJS */
const { execFile } = require("node:child_process");
const { mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, extname, join } = require("node:path");

/**
 * Formats `text` with `guard fmt`.
 * @param {string} text the document's text
 * @param {{ command?: string, fileName?: string, cwd?: string, timeoutMs?: number }} [options]
 *   command: `guard` (default), a path to it, or a path to bin/guard.js (run with node);
 *   fileName: the document's name (its extension, .guard or .rego, is kept; names appear in error messages)
 * @returns {Promise<{ ok: true, formatted: string } | { ok: false, message: string }>}
 */
function formatWithGuard(text, options = {}) {
  const command = options.command || "guard";
  const ext = extname(options.fileName || "") === ".rego" ? ".rego" : ".guard";
  const name = options.fileName ? basename(options.fileName, extname(options.fileName)) + ext : "document" + ext;
  const dir = mkdtempSync(join(tmpdir(), "guard-fmt-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  const [program, args] = command.endsWith(".js") ? ["node", [command, "fmt", file]] : [command, ["fmt", file]];
  return new Promise((resolve) => {
    execFile(program, args, { cwd: options.cwd || dir, timeout: options.timeoutMs || 10000, maxBuffer: 64 << 20, encoding: "utf8" }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (!error) return resolve({ ok: true, formatted: stdout });
      const detail = String(stderr || error.message).split(file).join(options.fileName || name);
      if (error.code === "ENOENT") return resolve({ ok: false, message: `cannot run \`${command}\`: set guard.path to the guard command` });
      resolve({ ok: false, message: error.code === 2 ? `not formatted: the document has syntax errors\n${detail}` : `guard fmt failed: ${detail}` });
    });
  });
}

module.exports = { formatWithGuard };
