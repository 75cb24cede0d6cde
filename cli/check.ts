// `guard check`: compile bundles and report every error, as `opa check` does; `--strict` adds its strict checks.
import { loadBundles } from "../engine/bundle.js";
import { Policy } from "../engine/engine.js";
import type { CompileError } from "../engine/errors.js";

export const CHECK_USAGE = `Usage: guard check [PATH…] [--strict] [--format pretty|json|github]

Parses and compiles the policies of the bundles (directories or files; default: the current directory) and
reports every error: syntax, unsafe variables, unknown functions and arity, recursion, rule conflicts, built-in
argument types. --strict also reports unused imports, variables and arguments, shadowed input/data,
deprecated built-ins, and references to input that the JSON Schema bound in METADATA does not declare:

    # METADATA
    # schemas:
    #   - input: schema.input     (schemas/input.json, next to the policy or in a folder above it)
    allow if input.usr.name == "ann"
    # p.rego:5:16: rego_type_error: undefined ref: input.usr.name: input has no field "usr" in
    #   schema.input; did you mean "user"?

The schema of a rule comes from its own METADATA, else from its package's; \`- input.user: …\` binds a part of
input, and a schema may be inline (\`- input: {type: object, properties: {…}}\`). A field not in \`properties\`
is an error unless \`additionalProperties\` admits it; so are fields of strings, numbers, booleans and null.
github prints workflow annotations (::error file=…,line=…,col=…::) for pull requests.

Exit codes: 0 no errors, 2 errors (or wrong arguments).
`;

const FORMATS = ["pretty", "json", "github"] as const;
type Format = (typeof FORMATS)[number];

export async function checkCommand(args: string[]): Promise<number> {
  const paths: string[] = [];
  let strict = false;
  let format: Format = "pretty";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--strict" || a === "-S") strict = true;
    else if (a === "--format" || a === "-f") {
      const f = args[++i];
      if (!FORMATS.includes(f as Format)) {
        process.stderr.write(`guard check: unknown format \`${f ?? ""}\`: use ${FORMATS.join(", ")}\n`);
        return 2;
      }
      format = f as Format;
    } else if (a.startsWith("-")) {
      process.stderr.write(`guard check: unknown option ${a}\n\n${CHECK_USAGE}`);
      return 2;
    } else paths.push(a);
  }
  const { sources, data, errors } = loadBundles(paths.length > 0 ? paths : ["."]);
  if (errors.length === 0) errors.push(...Policy.tryCompile(sources, { data, strict }).errors);
  process.stdout.write(render(errors, format, sources.length));
  return errors.length > 0 ? 2 : 0;
}

function render(errors: CompileError[], format: Format, files: number): string {
  switch (format) {
    case "json":
      return JSON.stringify({ errors: errors.map((e) => ({ code: e.code, message: e.message, location: e.loc })) }, null, 2) + "\n";
    case "github":
      return (
        errors
          .map((e) => {
            const where = e.loc ? `file=${escape(e.loc.file)},line=${e.loc.line},col=${e.loc.column}` : "";
            return `::error ${where}::${escape(`${e.code}: ${e.message}`)}`;
          })
          .join("\n") + (errors.length > 0 ? "\n" : "") + `guard check: ${files} file${files === 1 ? "" : "s"}, ${errors.length} error${errors.length === 1 ? "" : "s"}\n`
      );
    default:
      if (errors.length === 0) return "";
      return (
        errors.map((e) => e.rendered ?? (e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : "") + `${e.code}: ${e.message}`).join("\n") +
        `\n\n${errors.length} error${errors.length === 1 ? "" : "s"}\n`
      );
  }
}

/** GitHub workflow command escaping. */
function escape(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/,/g, "%2C").replace(/:/g, "%3A");
}
