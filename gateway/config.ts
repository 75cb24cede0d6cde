// guard.yaml: read, validated against CONFIG_SCHEMA (every problem named by its field), and normalized into the
// typed GatewayConfig the gateway runs on, with every default filled in.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import yaml from "js-yaml";
import { Ajv, type ErrorObject } from "ajv";
import { CONFIG_SCHEMA } from "./config-schema.js";
import { parseDuration, parseSize } from "./durations.js";
import type { StoreConfig } from "./store/types.js";

export type CredentialScheme = "x-api-key" | "bearer" | "basic" | "header";

export interface CredentialConfig {
  /** Where the secret is read from, for messages (`env ANTHROPIC_API_KEY`): never the secret itself. */
  source: string;
  env?: string;
  file?: string;
  scheme: CredentialScheme;
  header?: string;
  username?: string;
}

export interface ConnectionConfig {
  name: string;
  type: "anthropic" | "http";
  upstream: URL;
  credential?: CredentialConfig;
  /** The decision document's path below `data`: `["guard", "claude", "decision"]`. */
  entrypoint: string[];
  /** The tool-call decision's path (`["guard", "claude", "tool_decision"]`). */
  toolEntrypoint: string[];
}

export interface ProviderConfig {
  name: string;
  preset?: "github-actions" | "gitlab-ci";
  issuer: string;
  audience: string[];
  jwksUrl?: string;
  keys?: Record<string, unknown>[];
  algorithms: string[];
  clockSkewSeconds: number;
  groupsClaim?: string;
}

export type PolicySourceConfig =
  | { kind: "dir"; dir: string; pollMs: number; runTests: boolean }
  | { kind: "git"; url: string; ref: string; path: string; checkout: string; pollMs: number; runTests: boolean };

export interface SecretRef {
  env?: string;
  file?: string;
}

export interface ApprovalsConfig {
  holdMs: number;
  pendingTtlMs: number;
  publicUrl?: string;
  providers: ProviderConfig[];
  login?: { issuer: string; clientId: string; clientSecret?: SecretRef; redirectUrl: string };
  webhooks: { url: string; kind: "generic" | "slack"; secret?: SecretRef }[];
}

export interface GatewayConfig {
  listen: { host: string; port: number };
  policies: PolicySourceConfig;
  providers: ProviderConfig[];
  connections: ConnectionConfig[];
  store: StoreConfig;
  approvals: ApprovalsConfig;
  sessions: { record: boolean; maxBodyBytes: number; maxAgeMs: number; maxBytes: number; batchWindowMs: number };
  /** Audit retention: records older than maxAgeMs are removed (undefined: kept for ever). */
  audit: { maxAgeMs: number | undefined };
  limits: { bodySize: number; upstreamTimeoutMs: number; evaluationTimeoutMs: number; evaluationSteps: number };
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Paths the gateway answers itself: no connection may take these names. */
export const RESERVED_NAMES = new Set(["healthz", "readyz", "metrics", "approvals", "sessions", "_guard"]);

let validator: ReturnType<Ajv["compile"]> | undefined;

function validate(doc: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true }).compile(CONFIG_SCHEMA);
  if (validator(doc)) return [];
  return explain(validator.errors ?? []);
}

/** `/connections/0/upstream` → `connections[0].upstream`. */
function fieldName(pointer: string, extra?: string): string {
  const parts = pointer.split("/").slice(1);
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "(top level)" : out;
}

function explain(errors: ErrorObject[]): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "additionalProperties":
        out.add(`${fieldName(e.instancePath, String(p.additionalProperty))}: unknown field`);
        break;
      case "required":
        out.add(`${fieldName(e.instancePath, String(p.missingProperty))}: required`);
        break;
      case "enum":
        out.add(`${fieldName(e.instancePath)}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
        break;
      case "oneOf":
        if (e.instancePath.endsWith("/credential")) out.add(`${fieldName(e.instancePath)}: give exactly one of \`env\` or \`file\``);
        else out.add(`${fieldName(e.instancePath)}: ${e.message}`);
        break;
      case "if":
      case "anyOf":
        out.add(`${fieldName(e.instancePath)}: must be a string or a list of strings`);
        break;
      case "pattern": {
        const schema = e.parentSchema as { "x-message"?: string } | undefined;
        out.add(`${fieldName(e.instancePath)}: ${schema?.["x-message"] ?? e.message}`);
        break;
      }
      default:
        out.add(`${fieldName(e.instancePath)}: ${e.message}`);
    }
  }
  // A oneOf or anyOf failure also reports each branch's failure: keep the summary, drop branch noise.
  return [...out].filter((m) => !/: must match exactly one schema|: must have required property/.test(m));
}

/** Reads and validates a config file. Throws ConfigError naming every bad field. */
export function loadConfigFile(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: path });
  } catch (e) {
    throw new ConfigError(path, [`not valid YAML: ${(e as Error).message}`]);
  }
  return normalizeConfig(doc ?? {}, { file: path, baseDir: dirname(resolve(path)) });
}

interface RawCredential {
  env?: string;
  file?: string;
  scheme?: CredentialScheme;
  header?: string;
  username?: string;
}

interface RawConfig {
  listen?: { host?: string; port?: number };
  policies?: { dir?: string; git?: { url: string; ref?: string; path?: string; checkout?: string }; poll?: string; run_tests?: boolean };
  identity?: { providers: RawProvider[] };
  connections: RawConnection[];
  store?: { type: "sqlite" | "postgres"; path?: string; url?: string; schema?: string };
  sessions?: { record?: boolean; max_body?: string | number; max_age?: string; max_size?: string | number; batch_window?: string };
  audit?: { max_age?: string };
  approvals?: {
    hold?: string;
    pending_ttl?: string;
    public_url?: string;
    identity?: { providers: RawProvider[] };
    login?: { issuer: string; client_id: string; client_secret?: SecretRef; redirect_url: string };
    webhooks?: { url: string; kind?: "generic" | "slack"; secret?: SecretRef }[];
  };
  limits?: { body_size?: string | number; upstream_timeout?: string; evaluation_timeout?: string; evaluation_steps?: number };
  log?: { level?: string };
}

interface RawProvider {
  name?: string;
  preset?: "github-actions" | "gitlab-ci";
  issuer: string;
  audience: string | string[];
  jwks_url?: string;
  keys?: Record<string, unknown>[];
  algorithms?: string[];
  clock_skew?: string;
  groups_claim?: string;
}

interface RawConnection {
  name: string;
  type: "anthropic" | "http";
  upstream: string;
  credential?: RawCredential;
  entrypoint?: string;
  tool_entrypoint?: string;
}

/** Validates a parsed config document and fills in defaults; paths are relative to `baseDir`. */
export function normalizeConfig(doc: unknown, where: { file: string; baseDir: string }): GatewayConfig {
  const problems = validate(doc);
  if (problems.length > 0) throw new ConfigError(where.file, problems);
  const raw = doc as RawConfig;
  const at = (p: string) => resolve(where.baseDir, p);

  const names = new Set<string>();
  raw.connections.forEach((c, i) => {
    if (names.has(c.name)) problems.push(`connections[${i}].name: \`${c.name}\` is used by an earlier connection`);
    if (RESERVED_NAMES.has(c.name)) problems.push(`connections[${i}].name: \`${c.name}\` is reserved for the gateway's own endpoints`);
    names.add(c.name);
    const cred = c.credential;
    if (cred?.scheme === "header" && cred.header === undefined) problems.push(`connections[${i}].credential.header: required with scheme \`header\``);
    if (cred?.scheme === "basic" && cred.username === undefined) problems.push(`connections[${i}].credential.username: required with scheme \`basic\``);
  });
  if (raw.policies?.dir !== undefined && raw.policies.git !== undefined) problems.push("policies: give `dir` or `git`, not both");
  if (raw.store?.type === "postgres" && raw.store.url === undefined) problems.push("store.url: required with type `postgres`");
  if (raw.store?.type === "sqlite" && raw.store.url !== undefined) problems.push("store.url: only with type `postgres`");
  if (problems.length > 0) throw new ConfigError(where.file, problems);

  const pol = raw.policies ?? {};
  const runTests = pol.run_tests ?? true;
  const policies: PolicySourceConfig = pol.git
    ? {
        kind: "git",
        url: pol.git.url,
        ref: pol.git.ref ?? "main",
        path: pol.git.path ?? "",
        checkout: at(pol.git.checkout ?? ".guard/policies-git"),
        pollMs: parseDuration(pol.poll ?? "30s")!,
        runTests,
      }
    : { kind: "dir", dir: at(pol.dir ?? "policies"), pollMs: parseDuration(pol.poll ?? "1s")!, runTests };

  const providerOf = (p: RawProvider): ProviderConfig => ({
    name: p.name ?? p.preset ?? "oidc",
    preset: p.preset,
    issuer: p.issuer,
    audience: typeof p.audience === "string" ? [p.audience] : p.audience,
    jwksUrl: p.jwks_url,
    keys: p.keys,
    algorithms: p.algorithms ?? ["RS256", "ES256"],
    clockSkewSeconds: parseDuration(p.clock_skew ?? "30s")! / 1000,
    groupsClaim: p.groups_claim,
  });
  const providers = (raw.identity?.providers ?? []).map(providerOf);
  const ap = raw.approvals ?? {};
  const secretAt = (r: SecretRef | undefined) => r && (r.file !== undefined ? { file: at(r.file) } : { env: r.env });
  const approvals: ApprovalsConfig = {
    holdMs: parseDuration(ap.hold ?? "5m")!,
    pendingTtlMs: parseDuration(ap.pending_ttl ?? "15m")!,
    publicUrl: ap.public_url?.replace(/\/$/, ""),
    providers: (ap.identity?.providers ?? []).map(providerOf),
    login: ap.login && { issuer: ap.login.issuer, clientId: ap.login.client_id, clientSecret: secretAt(ap.login.client_secret), redirectUrl: ap.login.redirect_url },
    webhooks: (ap.webhooks ?? []).map((w) => ({ url: w.url, kind: w.kind ?? "generic", secret: secretAt(w.secret) })),
  };

  const connections: ConnectionConfig[] = raw.connections.map((c) => ({
    name: c.name,
    type: c.type,
    upstream: new URL(c.upstream),
    credential: c.credential && credentialConfig(c.credential, c.type, at),
    entrypoint: (c.entrypoint ?? `data.guard.${c.name.replace(/-/g, "_")}.decision`).split(".").slice(1),
    toolEntrypoint: (c.tool_entrypoint ?? `data.guard.${c.name.replace(/-/g, "_")}.tool_decision`).split(".").slice(1),
  }));

  const store: StoreConfig =
    raw.store?.type === "postgres"
      ? { kind: "postgres", url: raw.store.url!, schema: raw.store.schema }
      : { kind: "sqlite", path: at(raw.store?.path ?? ".guard/guard.db") };

  const limits = raw.limits ?? {};
  return {
    listen: { host: raw.listen?.host ?? "127.0.0.1", port: raw.listen?.port ?? 8080 },
    policies,
    providers,
    connections,
    store,
    approvals,
    sessions: {
      record: raw.sessions?.record ?? true,
      maxBodyBytes: sizeOf(raw.sessions?.max_body, 256 * 1024),
      maxAgeMs: parseDuration(raw.sessions?.max_age ?? "30d")!,
      maxBytes: sizeOf(raw.sessions?.max_size, 1024 ** 3),
      batchWindowMs: parseDuration(raw.sessions?.batch_window ?? "50ms")!,
    },
    audit: { maxAgeMs: raw.audit?.max_age === undefined ? undefined : parseDuration(raw.audit.max_age)! },
    limits: {
      bodySize: limits.body_size === undefined ? 10 * 1024 * 1024 : typeof limits.body_size === "number" ? limits.body_size : parseSize(limits.body_size)!,
      upstreamTimeoutMs: parseDuration(limits.upstream_timeout ?? "120s")!,
      evaluationTimeoutMs: parseDuration(limits.evaluation_timeout ?? "100ms")!,
      evaluationSteps: limits.evaluation_steps ?? 1_000_000,
    },
    logLevel: raw.log?.level ?? "info",
  };
}

function sizeOf(v: string | number | undefined, fallback: number): number {
  return v === undefined ? fallback : typeof v === "number" ? v : parseSize(v)!;
}

function credentialConfig(c: RawCredential, type: "anthropic" | "http", at: (p: string) => string): CredentialConfig {
  const scheme = c.scheme ?? (type === "anthropic" ? "x-api-key" : "bearer");
  return {
    source: c.env !== undefined ? `env ${c.env}` : `file ${c.file}`,
    env: c.env,
    file: c.file === undefined ? undefined : at(c.file),
    scheme,
    header: c.header,
    username: c.username,
  };
}
