// guard.yaml: every bad field is named, defaults are filled in, and paths resolve against the file's folder.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile, normalizeConfig } from "./config.js";

const minimal = { connections: [{ name: "claude", type: "anthropic", upstream: "https://api.anthropic.com", credential: { env: "ANTHROPIC_API_KEY" } }] };

function problems(doc: unknown): string[] {
  try {
    normalizeConfig(doc, { file: "guard.yaml", baseDir: "/etc/guard" });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("guard.yaml", () => {
  it("fills in every default", () => {
    const c = normalizeConfig(minimal, { file: "guard.yaml", baseDir: "/etc/guard" });
    expect(c.listen).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(c.policies).toEqual({ kind: "dir", dir: "/etc/guard/policies", pollMs: 1000, runTests: true });
    expect(c.store).toEqual({ kind: "sqlite", path: "/etc/guard/.guard/guard.db" });
    expect(c.limits).toEqual({ bodySize: 10 * 1024 * 1024, upstreamTimeoutMs: 120_000, evaluationTimeoutMs: 100, evaluationSteps: 1_000_000 });
    expect(c.sessions).toEqual({ record: true, maxBodyBytes: 256 * 1024, maxAgeMs: 30 * 86_400_000, maxBytes: 1024 ** 3, batchWindowMs: 50 });
    expect(c.audit).toEqual({ maxAgeMs: undefined }); // audit records are kept for ever unless audit.max_age says otherwise
    expect(c.connections[0]).toMatchObject({ name: "claude", entrypoint: ["guard", "claude", "decision"], credential: { scheme: "x-api-key", env: "ANTHROPIC_API_KEY", source: "env ANTHROPIC_API_KEY" } });
  });

  it("reads durations, sizes, git sources, providers and PostgreSQL", () => {
    const c = normalizeConfig(
      {
        ...minimal,
        policies: { git: { url: "https://git.example/policies.git", ref: "prod" }, poll: "2m" },
        identity: { providers: [{ preset: "gitlab-ci", issuer: "https://gitlab.com", audience: ["guard", "other"], clock_skew: "10s" }] },
        store: { type: "postgres", url: "postgres://u@db/guard" },
        limits: { body_size: "1MiB", upstream_timeout: "1.5s", evaluation_timeout: "20ms" },
        sessions: { max_age: "7d", batch_window: "0ms" },
        audit: { max_age: "400d" },
      },
      { file: "guard.yaml", baseDir: "/srv" },
    );
    expect(c.policies).toEqual({ kind: "git", url: "https://git.example/policies.git", ref: "prod", path: "", checkout: "/srv/.guard/policies-git", pollMs: 120_000, runTests: true });
    expect(c.providers[0]).toMatchObject({ name: "gitlab-ci", audience: ["guard", "other"], clockSkewSeconds: 10, algorithms: ["RS256", "ES256"] });
    expect(c.store).toEqual({ kind: "postgres", url: "postgres://u@db/guard", schema: undefined });
    expect(c.limits).toMatchObject({ bodySize: 1024 * 1024, upstreamTimeoutMs: 1500, evaluationTimeoutMs: 20 });
    expect(c.sessions).toMatchObject({ maxAgeMs: 7 * 86_400_000, batchWindowMs: 0 });
    expect(c.audit).toEqual({ maxAgeMs: 400 * 86_400_000 });
  });

  it("names each bad field", () => {
    expect(problems({})).toEqual(["connections: required"]);
    expect(problems({ ...minimal, listen: { port: 99999, hots: "x" } })).toEqual(expect.arrayContaining(["listen.hots: unknown field", "listen.port: must be <= 65535"]));
    expect(problems({ connections: [{ name: "Claude!", type: "grpc", upstream: "ftp://x" }] })).toEqual(
      expect.arrayContaining([
        "connections[0].name: must be lower case letters, digits, - and _, starting with a letter",
        'connections[0].type: must be one of "anthropic", "http"',
        "connections[0].upstream: must be an http:// or https:// URL",
      ]),
    );
    expect(problems({ ...minimal, limits: { upstream_timeout: "soon" } })).toEqual(["limits.upstream_timeout: must be a duration such as 500ms, 30s, 5m, 1h or 30d"]);
    expect(problems({ ...minimal, audit: { max_age: "a year", keep: true } })).toEqual(
      expect.arrayContaining(["audit.max_age: must be a duration such as 500ms, 30s, 5m, 1h or 30d", "audit.keep: unknown field"]),
    );
    expect(problems({ connections: [{ ...minimal.connections[0], credential: { env: "A", file: "b" } }] })).toEqual(["connections[0].credential: give exactly one of `env` or `file`"]);
    expect(problems({ ...minimal, identity: { providers: [{ issuer: "x" }] } })).toEqual(["identity.providers[0].audience: required"]);
  });

  it("rejects what the schema cannot see: duplicate and reserved names, contradictory sources", () => {
    const c = minimal.connections[0]!;
    expect(problems({ connections: [c, c] })).toEqual(["connections[1].name: `claude` is used by an earlier connection"]);
    expect(problems({ connections: [{ ...c, name: "metrics" }] })).toEqual(["connections[0].name: `metrics` is reserved for the gateway's own endpoints"]);
    expect(problems({ ...minimal, policies: { dir: "p", git: { url: "u" } } })).toEqual(["policies: give `dir` or `git`, not both"]);
    expect(problems({ ...minimal, store: { type: "postgres" } })).toEqual(["store.url: required with type `postgres`"]);
    expect(problems({ connections: [{ ...c, credential: { env: "X", scheme: "basic" } }] })).toEqual(["connections[0].credential.username: required with scheme `basic`"]);
  });

  it("accepts the shipped guard.yaml (what npm start runs)", () => {
    const c = loadConfigFile(join(import.meta.dirname, "..", "guard.yaml"));
    expect(c.connections.map((x) => [x.name, x.type, x.upstream.href, x.entrypoint.join(".")])).toEqual([
      ["claude", "anthropic", "https://api.anthropic.com/", "guard.claude.decision"],
      ["github", "http", "https://api.github.com/", "guard.github.decision"],
    ]);
    expect(c.policies).toMatchObject({ kind: "dir", dir: join(import.meta.dirname, "..", "policies") });
  });

  it("reports unreadable files and bad YAML with the file's name", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-config-"));
    expect(() => loadConfigFile(join(dir, "missing.yaml"))).toThrow(/missing\.yaml: invalid configuration:\n {2}- cannot read the file/);
    writeFileSync(join(dir, "bad.yaml"), "connections: [\n");
    expect(() => loadConfigFile(join(dir, "bad.yaml"))).toThrow(/bad\.yaml: invalid configuration:\n {2}- not valid YAML/);
    writeFileSync(join(dir, "ok.yaml"), "connections:\n  - name: api\n    type: http\n    upstream: http://127.0.0.1:9000/v2\n");
    expect(loadConfigFile(join(dir, "ok.yaml")).connections[0]!.upstream.pathname).toBe("/v2");
  });
});
