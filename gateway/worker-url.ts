// The entry of a worker thread: the compiled sibling `.js`, or under the test runner (where the sources run as
// TypeScript through tsx) a small module that registers tsx in the worker and then loads the `.ts` sibling.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export function workerUrl(from: string, name: string): URL {
  if (!from.endsWith(".ts")) return new URL(`./${name}.js`, from);
  // tsx's ESM entry (its `import` export; require.resolve gives the CommonJS one).
  const tsx = pathToFileURL(createRequire(from).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const target = new URL(`./${name}.ts`, from).href;
  const source = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(target)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
