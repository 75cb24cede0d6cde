// Chevrotain, loaded from its single-file bundle. The package's entry point is its unbundled sources, hundreds
// of ES modules that take half a second to load; the bundle it ships beside them (same code, same version) loads
// in a tenth of that, which every `guard` command and every gateway start pays. Everything in lang/ imports
// Chevrotain's values from here, so one copy is in use (its classes are compared by identity).
import type * as Chevrotain from "chevrotain";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const entry = createRequire(import.meta.url).resolve("chevrotain"); // …/chevrotain/lib/src/api.js
const bundle = join(dirname(entry), "..", "chevrotain.mjs");
const chevrotain = (await import(existsSync(bundle) ? pathToFileURL(bundle).href : "chevrotain")) as typeof Chevrotain;

export const { createToken, CstParser, EOF, Lexer } = chevrotain;
export type CstParser = Chevrotain.CstParser;
