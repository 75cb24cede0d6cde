// `guard gateway`: run the identity-aware proxy from a guard.yaml (or the built-in defaults) until SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import { ConfigError, loadConfigFile, normalizeConfig, type GatewayConfig } from "../gateway/config.js";
import { CredentialStore } from "../gateway/credentials.js";
import { Gateway } from "../gateway/server.js";
import { openStore, sessionsFileOf } from "../gateway/store/index.js";

export const GATEWAY_USAGE = `Usage: guard gateway [--config guard.yaml] [--port N]

Runs the gateway: authenticates CI jobs by their OIDC token, decides each request with the policies, forwards
what is allowed with the credentials the gateway holds, and records every decision in the audit log.

Options:
  --config FILE   the configuration (default: ./guard.yaml if it exists, else the built-in defaults: the
                  policies in ./policies, a claude connection to api.anthropic.com with $ANTHROPIC_API_KEY,
                  GitHub Actions tokens for the audience $GUARD_AUDIENCE (default "guard"), SQLite in .guard/)
  --port N        listen on this port instead of the configured one

Exit codes: 0 stopped by a signal, 1 the gateway could not start (bad configuration, policies, or store).
`;

/** The configuration used without a guard.yaml: the shipped pack in front of Anthropic, for GitHub Actions. */
export function defaultConfig(cwd: string, env: NodeJS.ProcessEnv): GatewayConfig {
  return normalizeConfig(
    {
      policies: { dir: "policies" },
      identity: { providers: [{ preset: "github-actions", issuer: "https://token.actions.githubusercontent.com", audience: env.GUARD_AUDIENCE ?? "guard" }] },
      connections: [{ name: "claude", type: "anthropic", upstream: "https://api.anthropic.com", credential: { env: "ANTHROPIC_API_KEY" } }],
    },
    { file: "(built-in defaults)", baseDir: cwd },
  );
}

export async function gatewayCommand(args: string[]): Promise<number> {
  let configFile: string | undefined;
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--config" || a === "-c") configFile = args[++i];
    else if (a === "--port" || a === "-p") port = Number(args[++i]);
    else {
      process.stderr.write(`guard gateway: unknown argument ${a}\n\n${GATEWAY_USAGE}`);
      return 2;
    }
  }
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    process.stderr.write(`guard gateway: --port needs a port number\n`);
    return 2;
  }
  let config: GatewayConfig;
  try {
    if (configFile === undefined && existsSync("guard.yaml")) configFile = "guard.yaml";
    config = configFile === undefined ? defaultConfig(process.cwd(), process.env) : loadConfigFile(configFile);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`guard gateway: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (port !== undefined) config.listen.port = port;

  let store;
  try {
    store = await openStore(config.store);
  } catch (e) {
    process.stderr.write(`guard gateway: cannot open the store: ${(e as Error).message}\n`);
    return 1;
  }
  const gateway = new Gateway(config, { store });
  const first = await gateway.policies.start();
  if (first.outcome === "rejected") {
    process.stderr.write(`guard gateway: the policies in ${gateway.policies.description} cannot be served:\n${first.problems.map((p) => `  ${p.replace(/\n/g, "\n  ")}`).join("\n")}\n`);
    gateway.policies.stop();
    await store.close();
    return 1;
  }
  const address = await gateway.app.listen({ host: config.listen.host, port: config.listen.port });
  process.stdout.write(banner(config, gateway, address));

  return new Promise<number>((done) => {
    const stop = (signal: string) => {
      gateway.app.log.info({ signal }, "stopping: finishing requests in flight");
      void gateway
        .close()
        .then(() => store.close())
        .then(() => done(0));
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

/** A duration as the banner says it: in whole days, else hours, else seconds. */
function durationText(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${ms / 1000} seconds`;
}

function banner(config: GatewayConfig, gateway: Gateway, address: string): string {
  const bundle = gateway.policies.current!;
  const credentials = new CredentialStore();
  const lines = [
    `guard gateway listening on ${address}`,
    `  policies:    ${gateway.policies.description} (revision ${bundle.revision}, ${bundle.tests} tests passed)`,
    `  store:       ${config.store.kind === "sqlite" ? `sqlite ${config.store.path} (sessions: ${sessionsFileOf(config.store.path)})` : "postgres"}`,
    `  audit log:   ${config.audit.maxAgeMs === undefined ? "records kept for ever (audit.max_age removes old ones)" : `records older than ${durationText(config.audit.maxAgeMs)} removed, at start and hourly`}`,
    `  identity:    ${config.providers.map((p) => `${p.issuer} (audience ${p.audience.join(", ")})`).join("; ") || "none: every request is refused"}`,
    ...config.connections.map((c) => {
      const missing = c.credential && credentials.secret(c.credential) === undefined ? `   WARNING: ${c.credential.source} is empty; requests will fail with 502` : "";
      return `  connection:  ${address}/${c.name} → ${c.upstream.href} (${c.type}, decided by data.${c.entrypoint.join(".")})${missing}`;
    }),
  ];
  const claude = config.connections.find((c) => c.type === "anthropic");
  if (claude) {
    const audience = config.providers[0]?.audience[0] ?? "guard";
    lines.push(
      "",
      "Point Claude Code at it from the CI job (GitHub Actions, with `permissions: id-token: write`):",
      `  export ANTHROPIC_BASE_URL=${address}/${claude.name}`,
      `  export ANTHROPIC_AUTH_TOKEN="$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${audience}" | jq -r .value)"`,
    );
  }
  lines.push("", `Health: ${address}/healthz  Readiness: ${address}/readyz  Metrics: ${address}/metrics`, "");
  return lines.join("\n") + "\n";
}
