// `guard eval`: evaluate a query against a bundle, as `opa eval` does.
import { readFileSync } from "node:fs";
import { loadBundles } from "../engine/bundle.js";
import { Policy } from "../engine/engine.js";
import { CompileFailure, EvalError } from "../engine/errors.js";
import { fromJSON, stringifyValue, toJSON, type Value } from "../engine/value/value.js";

export const EVAL_USAGE = `Usage: guard eval [-b DIR]… [-d FILE]… [-i INPUT.json] QUERY [--format json|pretty] [--engine compiled|reference]

Evaluates QUERY (such as data.authz.allow) against the policies and data of the bundles.

Options:
  -b, --bundle DIR     a bundle directory (.guard/.rego modules, data.json/data.yaml documents); repeatable
  -d, --data FILE      a single policy or data file; repeatable
  -i, --input FILE     the input document (JSON or YAML)
  --format FORMAT      json (default) or pretty
  --engine ENGINE      compiled (default: policies compiled to JavaScript) or reference (the tree-walking
                       interpreter the compiled engine is tested against)
  --strict-builtin-errors  built-in errors end the query instead of making the expression undefined

Exit codes: 0 evaluated (even to an undefined result), 2 the policies do not compile or the query fails.
`;

export async function evalCommand(args: string[]): Promise<number> {
  const bundles: string[] = [];
  let inputFile: string | undefined;
  let format = "json";
  let query: string | undefined;
  let strict = false;
  let engine: "compiled" | "reference" = "compiled";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "-b" || a === "--bundle" || a === "-d" || a === "--data") bundles.push(value());
      else if (a === "-i" || a === "--input") inputFile = value();
      else if (a === "--format" || a === "-f") format = value();
      else if (a === "--engine") {
        const e = value();
        if (e !== "compiled" && e !== "reference") throw new UsageError(`unknown engine \`${e}\`: use compiled or reference`);
        engine = e;
      } else if (a === "--strict-builtin-errors") strict = true;
      else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
      else if (query === undefined) query = a;
      else throw new UsageError(`one query only; found \`${a}\` after \`${query}\``);
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`guard eval: ${e.message}\n\n${EVAL_USAGE}`);
        return 2;
      }
      throw e;
    }
  }
  if (query === undefined) {
    process.stderr.write(`guard eval: no query\n\n${EVAL_USAGE}`);
    return 2;
  }
  if (format !== "json" && format !== "pretty") {
    process.stderr.write(`guard eval: unknown format \`${format}\`: use json or pretty\n`);
    return 2;
  }

  const { sources, data, errors } = loadBundles(bundles);
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(`${e.message}\n`);
    return 2;
  }
  let input: Value | undefined;
  if (inputFile !== undefined) {
    try {
      input = fromJSON(JSON.parse(readFileSync(inputFile, "utf8")));
    } catch (e) {
      process.stderr.write(`guard eval: cannot read the input ${inputFile}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  try {
    const policy = Policy.compile(sources, { data });
    const results = policy.eval(query, { input, engine, strictBuiltinErrors: strict, print: (m) => process.stderr.write(m + "\n") });
    if (format === "json") {
      const out = {
        result: results.map((r) => ({
          expressions: r.expressions.map((v) => ({ value: toJSON(v), text: query })),
          bindings: Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [k, toJSON(v)])),
        })),
      };
      process.stdout.write(jsonWithBigints(out) + "\n");
    } else {
      if (results.length === 0) process.stdout.write("undefined\n");
      for (const r of results) {
        const parts = [...r.expressions.map((v) => stringifyValue(v)), ...Object.entries(r.bindings).map(([k, v]) => `${k} = ${stringifyValue(v)}`)];
        process.stdout.write((parts.length > 0 ? parts.join("\n") : "true") + "\n");
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof CompileFailure || e instanceof EvalError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

class UsageError extends Error {}

/** JSON text in which big integers are written exactly (JSON.stringify cannot write a bigint). */
export function jsonWithBigints(value: unknown): string {
  const marker = "\u0000bigint:";
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? marker + v.toString() : v), 2);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}
