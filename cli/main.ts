// The `guard` command line: dispatches to one module per subcommand. Each command is a thin layer over the lang API.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
interface CommandModule {
  usage: string;
  run(args: string[]): Promise<number>;
}

interface Command {
  summary: string;
  /** Loaded on use, so that `guard fmt` does not load the engine, nor `guard --version` anything. */
  load(): Promise<CommandModule>;
}

const COMMANDS: Record<string, Command> = {
  fmt: {
    summary: "format policy files in the canonical style",
    load: async () => import("./fmt.js").then((m) => ({ usage: m.FMT_USAGE, run: m.fmtCommand })),
  },
  parse: {
    summary: "parse a policy file and print its syntax tree",
    load: async () => import("./parse.js").then((m) => ({ usage: m.PARSE_USAGE, run: m.parseCommand })),
  },
  eval: {
    summary: "evaluate a query against policies and data",
    load: async () => import("./eval.js").then((m) => ({ usage: m.EVAL_USAGE, run: m.evalCommand })),
  },
  check: {
    summary: "compile policies and report every error (--strict for more)",
    load: async () => import("./check.js").then((m) => ({ usage: m.CHECK_USAGE, run: m.checkCommand })),
  },
  build: {
    summary: "compile a bundle into a TypeScript module",
    load: async () => import("./build.js").then((m) => ({ usage: m.BUILD_USAGE, run: m.buildCommand })),
  },
  test: {
    summary: "run policy tests",
    load: async () => import("./test.js").then((m) => ({ usage: m.TEST_USAGE, run: m.testCommand })),
  },
  gateway: {
    summary: "run the identity-aware proxy in front of the model API and production services",
    load: async () => import("./gateway.js").then((m) => ({ usage: m.GATEWAY_USAGE, run: m.gatewayCommand })),
  },
  conformance: {
    summary: "run OPA's YAML conformance cases",
    load: async () => import("./conformance.js").then((m) => ({ usage: m.CONFORMANCE_USAGE, run: m.conformanceCommand })),
  },
  audit: {
    summary: "verify the gateway's audit log's hash chain, query it, or remove old records (prune)",
    load: async () => import("./audit.js").then((m) => ({ usage: m.AUDIT_USAGE, run: m.auditCommand })),
  },
  sessions: {
    summary: "list and show recorded gateway sessions; replay their decisions through a candidate bundle",
    load: async () => import("./sessions.js").then((m) => ({ usage: m.SESSIONS_USAGE, run: m.sessionsCommand })),
  },
  approvals: {
    summary: "list, show, approve or deny requests held for human approval (through the gateway)",
    load: async () => import("./approvals.js").then((m) => ({ usage: m.APPROVALS_USAGE, run: (args: string[]) => m.approvalsCommand(args) })),
  },
};

export const USAGE = `Usage: guard <command> [arguments]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(13)}${c.summary}`)
  .join("\n")}
  help         show this help, or a command's: guard help fmt

Options:
  --help, -h     show this help
  --version, -v  print the version
`;

/** Runs the CLI with the arguments after the program name; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(USAGE);
      return 0;
    }
    const c = COMMANDS[topic];
    if (c === undefined) {
      process.stderr.write(`guard: unknown command \`${topic}\`\n\n${USAGE}`);
      return 2;
    }
    process.stdout.write((await c.load()).usage);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(`guard ${version()}\n`);
    return 0;
  }
  const c = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (c === undefined) {
    process.stderr.write(`guard: unknown command \`${command}\`\n\n${USAGE}`);
    return 2;
  }
  const loaded = await c.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(loaded.usage);
    return 0;
  }
  try {
    return await loaded.run(rest);
  } catch (e) {
    process.stderr.write(`guard ${command}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

/** The version in the package's package.json (found from this file, compiled or not). */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "guard" && pkg.version !== undefined) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
