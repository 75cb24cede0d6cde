// Authentication: a bearer JWT from a CI runner, verified with jose against its issuer's keys (signature, iss, aud,
// exp/nbf with a bounded clock skew, an algorithm allow-list), then turned into the policy input's `identity`.
import { createHash } from "node:crypto";
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { ProviderConfig } from "./config.js";

/** The verified caller, as policies see it (`input.identity`). */
export interface Identity {
  provider: string;
  issuer: string;
  subject: string;
  audience: string[];
  /** Every verified claim, as signed. */
  claims: JWTPayload;
  /** CI fields lifted out of the provider's claims (null when the token has none). */
  repository: string | null;
  repository_owner: string | null;
  ref: string | null;
  ref_type: string | null;
  sha: string | null;
  workflow: string | null;
  environment: string | null;
  event_name: string | null;
  run_id: string | null;
  run_attempt: string | null;
  actor: string | null;
  groups: string[];
}

export class AuthError extends Error {
  constructor(
    /** For the audit log and metrics; the caller sees only that authentication failed. */
    readonly reason: "missing" | "malformed" | "unknown_issuer" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

const NEVER = new Set(["none", "HS256", "HS384", "HS512"]);

interface Verifier {
  config: ProviderConfig;
  keys: JWTVerifyGetKey;
}

/** Verifies tokens for the configured providers. JWKS are fetched lazily, cached, and refetched on an unknown kid. */
/**
 * Verified tokens, remembered until they expire (at most `ttlMs`): a CI job sends the same token with every request,
 * and verifying an RS256 signature costs more than the whole policy decision. Keyed by the token's SHA-256, so the
 * cache holds no usable token. Bounded: the oldest entries go first.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { identity: Identity; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(key: string, now: number): Identity | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.identity;
  }

  set(key: string, identity: Identity, expSeconds: number | undefined, now: number): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(now + this.ttlMs, expSeconds === undefined ? now : expSeconds * 1000);
    if (until <= now) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { identity, until });
  }
}

export class Authenticator {
  private readonly byIssuer = new Map<string, Verifier>();
  private readonly verified: VerifiedTokens;

  constructor(providers: readonly ProviderConfig[], options: { fetchTimeoutMs?: number; jwksCooldownMs?: number; cacheTtlMs?: number; cacheSize?: number } = {}) {
    const cooldown = options.jwksCooldownMs ?? 30_000;
    this.verified = new VerifiedTokens(options.cacheTtlMs ?? 60_000, options.cacheSize ?? 10_000);
    for (const p of providers) {
      const keys = p.keys
        ? createLocalJWKSet({ keys: p.keys as never })
        : p.jwksUrl !== undefined
          ? createRemoteJWKSet(new URL(p.jwksUrl), { timeoutDuration: options.fetchTimeoutMs ?? 5_000, cooldownDuration: cooldown })
          : discoveredJWKS(p.issuer, options.fetchTimeoutMs ?? 5_000, cooldown);
      this.byIssuer.set(p.issuer, { config: p, keys });
    }
  }

  get configured(): boolean {
    return this.byIssuer.size > 0;
  }

  /** The bearer token of a request: `Authorization: Bearer …`, or `x-api-key` (what an Anthropic SDK sends). */
  static tokenOf(headers: Record<string, string | string[] | undefined>): string | undefined {
    const auth = headers.authorization;
    if (typeof auth === "string") {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      return m ? m[1] : undefined;
    }
    const key = headers["x-api-key"];
    return typeof key === "string" && key.length > 0 ? key : undefined;
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (token === undefined) throw new AuthError("missing", "no bearer token");
    const key = createHash("sha256").update(token).digest("base64");
    const cached = this.verified.get(key, Date.now());
    if (cached !== undefined) return cached;
    const identity = await this.verifyUncached(token);
    this.verified.set(key, identity, identity.claims.exp, Date.now());
    return identity;
  }

  private async verifyUncached(token: string): Promise<Identity> {
    let issuer: string;
    let alg: string;
    try {
      alg = String(decodeProtectedHeader(token).alg);
      const body = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iss?: unknown };
      issuer = String(body.iss);
    } catch {
      throw new AuthError("malformed", "the token is not a JWT");
    }
    const v = this.byIssuer.get(issuer);
    if (!v) throw new AuthError("unknown_issuer", `no identity provider for issuer ${JSON.stringify(issuer).slice(0, 200)}`);
    const algorithms = v.config.algorithms.filter((a) => !NEVER.has(a));
    if (!algorithms.includes(alg)) throw new AuthError("invalid", `algorithm ${alg.slice(0, 20)} is not allowed`);
    try {
      const { payload } = await jwtVerify(token, v.keys, {
        issuer: v.config.issuer,
        audience: v.config.audience,
        algorithms,
        clockTolerance: v.config.clockSkewSeconds,
        requiredClaims: ["exp", "sub"],
      });
      return identityOf(v.config, payload);
    } catch (e) {
      throw new AuthError("invalid", authMessage(e));
    }
  }
}

/** Keys found through the issuer's OIDC discovery document (`jwks_uri`), looked up on first use and retried on failure. */
function discoveredJWKS(issuer: string, timeoutMs: number, cooldownMs: number): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`OIDC discovery for ${issuer} answered ${res.status}`);
    const doc = (await res.json()) as { jwks_uri?: unknown };
    if (typeof doc.jwks_uri !== "string") throw new Error(`OIDC discovery for ${issuer} has no jwks_uri`);
    return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: timeoutMs, cooldownDuration: cooldownMs });
  };
  return async (header, token) => {
    keys ??= discover().catch((e: unknown) => {
      keys = undefined;
      throw e;
    });
    return (await keys)(header, token);
  };
}

function authMessage(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "the token has expired";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `claim ${e.claim} is not valid (${e.reason})`;
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "no key of the issuer matches the token's key id";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "the signature does not verify";
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "the algorithm is not allowed";
  if (e instanceof joseErrors.JWKSTimeout) return "the issuer's keys could not be fetched in time";
  if (e instanceof joseErrors.JOSEError) return `the token is not valid (${e.code})`;
  return "the token is not valid";
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

/** The policy input's identity: verified claims, with the CI fields lifted out as each CI names them. */
export function identityOf(p: ProviderConfig, claims: JWTPayload): Identity {
  const c = claims as Record<string, unknown>;
  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const base = { provider: p.name, issuer: String(claims.iss), subject: String(claims.sub), audience: aud, claims };
  const groupsValue = p.groupsClaim === undefined ? undefined : c[p.groupsClaim];
  const groups = Array.isArray(groupsValue) ? groupsValue.filter((g): g is string => typeof g === "string") : typeof groupsValue === "string" ? [groupsValue] : [];
  if (p.preset === "gitlab-ci") {
    return {
      ...base,
      repository: str(c.project_path),
      repository_owner: str(c.namespace_path),
      ref: str(c.ref_type) === "tag" ? `refs/tags/${str(c.ref)}` : c.ref === undefined ? null : `refs/heads/${str(c.ref)}`,
      ref_type: str(c.ref_type),
      sha: str(c.sha),
      workflow: str(c.ci_config_ref_uri),
      environment: str(c.environment),
      event_name: str(c.pipeline_source),
      run_id: str(c.pipeline_id),
      run_attempt: null,
      actor: str(c.user_login),
      groups,
    };
  }
  // GitHub Actions' claim names, also the fallback for any OIDC provider that uses them.
  return {
    ...base,
    repository: str(c.repository),
    repository_owner: str(c.repository_owner),
    ref: str(c.ref),
    ref_type: str(c.ref_type),
    sha: str(c.sha),
    workflow: str(c.workflow),
    environment: str(c.environment),
    event_name: str(c.event_name),
    run_id: str(c.run_id),
    run_attempt: str(c.run_attempt),
    actor: str(c.actor),
    groups,
  };
}
