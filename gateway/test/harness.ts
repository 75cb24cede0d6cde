// A gateway on loopback wired to real test servers, with a policy directory of its own in a temp folder.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { normalizeConfig, type GatewayConfig } from "../config.js";
import { Gateway } from "../server.js";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { AUDIENCE, githubClaims, startAnthropicUpstream, startHttpUpstream, startIssuer, UPSTREAM_KEY, type Issuer, type Upstream } from "./servers.js";

export const CLAUDE_POLICY = `package guard.claude

decision := {"allow": count(deny) == 0, "deny": deny, "headers": {"add": {"x-guard-policy": "test"}}}

deny contains "repository not allowed" if not input.identity.repository in {"acme/app"}

deny contains sprintf("model %s not allowed", [input.llm.model]) if {
  not input.llm.model in {"claude-sonnet-4-5", "claude-haiku-4-5"}
}

deny contains "prompt asks for credentials" if {
  some t in input.llm.texts
  contains(lower(t), "api key")
}
`;

export const API_POLICY = `package guard.api

default decision := {"allow": false, "deny": ["only reads are allowed"]}

decision := {"allow": true, "headers": {"add": {"x-reviewed": "guard"}, "remove": ["x-drop-me"]}} if input.request.method == "GET"
`;

export const BROKEN_POLICY = `package guard.broken

decision := {"allow": 1 / input.request.size}
`;

/** Too much work for the evaluation budget: every request to it must be denied, not hang or pass. */
export const SPIN_POLICY = `package guard.spin

decision := {"allow": count([x | some x in numbers.range(1, 3000000)]) > 0}
`;

export const CLAUDE_TEST = `package guard.claude_test

import data.guard.claude

test_other_repo_denied if {
  "repository not allowed" in claude.deny with input as {"identity": {"repository": "evil/x"}, "llm": {"model": "claude-sonnet-4-5", "texts": []}}
}
`;

export interface Harness {
  gateway: Gateway;
  url: string;
  dir: string;
  policyDir: string;
  config: GatewayConfig;
  store: Store;
  issuer: Issuer;
  anthropic: Upstream;
  http: Upstream;
  token(claims?: Record<string, unknown>): Promise<string>;
  writePolicy(file: string, text: string): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  files?: Record<string, string>;
  /** Extra top-level config fields (merged over the defaults). */
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  upstreamDelayMs?: number;
  /** More connections, given the test upstreams' URLs. */
  connections?: (upstreams: { anthropic: string; http: string }) => Record<string, unknown>[];
  /** Where the gateway's logs go (default: no logs). */
  logStream?: NodeJS.WritableStream;
  /** Runs on the store before the gateway starts (records the gateway should find there). */
  seed?: (store: Store) => Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "guard-gw-"));
  const policyDir = join(dir, "policies");
  const files = options.files ?? { "claude/policy.guard": CLAUDE_POLICY, "claude/policy_test.guard": CLAUDE_TEST, "api/policy.guard": API_POLICY, "broken/policy.guard": BROKEN_POLICY, "spin/policy.guard": SPIN_POLICY };
  const writePolicy = (file: string, text: string) => {
    mkdirSync(dirname(join(policyDir, file)), { recursive: true });
    writeFileSync(join(policyDir, file), text);
  };
  mkdirSync(policyDir, { recursive: true });
  for (const [f, t] of Object.entries(files)) writePolicy(f, t);
  const [issuer, anthropic, http] = await Promise.all([startIssuer(), startAnthropicUpstream({ delayMs: options.upstreamDelayMs }), startHttpUpstream()]);
  const config = normalizeConfig(
    {
      listen: { port: 0 },
      policies: { dir: "policies", poll: "50ms" },
      identity: { providers: [{ preset: "github-actions", issuer: issuer.issuer, audience: AUDIENCE }] },
      connections: [
        { name: "claude", type: "anthropic", upstream: anthropic.url, credential: { env: "TEST_ANTHROPIC_KEY" } },
        { name: "api", type: "http", upstream: `${http.url}/base`, credential: { env: "TEST_API_TOKEN" } },
        { name: "broken", type: "http", upstream: http.url },
        { name: "spin", type: "http", upstream: http.url },
        { name: "slow", type: "anthropic", upstream: anthropic.url, credential: { env: "TEST_ANTHROPIC_KEY" }, entrypoint: "data.guard.claude.decision" },
        ...(options.connections?.({ anthropic: anthropic.url, http: http.url }) ?? []),
      ],
      limits: { upstream_timeout: "500ms", body_size: "64KB" },
      ...options.config,
    },
    { file: "test.yaml", baseDir: dir },
  );
  const store = await openSqliteStore(join(dir, "guard.db"));
  await options.seed?.(store);
  const env = options.env ?? { TEST_ANTHROPIC_KEY: UPSTREAM_KEY, TEST_API_TOKEN: "api-token-secret" };
  const gateway = new Gateway(config, { store, env, logger: options.logStream ? { level: "debug", stream: options.logStream } : false, defaultMetrics: false });
  const url = await gateway.start();
  return {
    gateway,
    url,
    dir,
    policyDir,
    config,
    store,
    issuer,
    anthropic,
    http,
    token: (claims) => issuer.sign(githubClaims(claims)),
    writePolicy,
    async close() {
      await gateway.close();
      await store.close();
      await Promise.all([issuer.close(), anthropic.close(), http.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Messages API request body. */
export function messages(over: Record<string, unknown> = {}, text = "Write a haiku about CI"): string {
  return JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: text }], ...over });
}
