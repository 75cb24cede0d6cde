// The JSON Schema of guard.yaml: the one place the configuration's fields are declared (and documented; the
// configuration reference is generated from these descriptions).

const duration = { type: "string", pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$", "x-message": "must be a duration such as 500ms, 30s, 5m, 1h or 30d", description: "A duration: `500ms`, `30s`, `5m`, `1h`, `30d`." };
const size = { type: ["string", "integer"], pattern: "^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]i?[bB]|[bB])?\\s*$", "x-message": "must be a size such as 512KB or 10MiB", description: "A size in bytes, or with a unit: `512KB`, `10MiB`." };
const name = { type: "string", pattern: "^[a-z][a-z0-9_-]{0,62}$", "x-message": "must be lower case letters, digits, - and _, starting with a letter", description: "Lower case letters, digits, `-` and `_`, starting with a letter." };

const credential = {
  type: "object",
  description: "Where the gateway reads the credential it injects upstream. The job never sees it.",
  additionalProperties: false,
  properties: {
    env: { type: "string", minLength: 1, description: "The name of an environment variable holding the secret." },
    file: { type: "string", minLength: 1, description: "A file holding the secret (trailing newline trimmed)." },
    scheme: { enum: ["x-api-key", "bearer", "basic", "header"], description: "How it is sent: `x-api-key` (the default for anthropic), `bearer` (the default for http), `basic`, or `header` (a header named by `header`)." },
    header: { type: "string", minLength: 1, description: "The header name, with `scheme: header`." },
    username: { type: "string", description: "The user name, with `scheme: basic` (the secret is the password)." },
  },
  oneOf: [{ required: ["env"] }, { required: ["file"] }],
};

const provider = {
  type: "object",
  description: "An OIDC identity provider whose tokens the gateway accepts.",
  additionalProperties: false,
  required: ["issuer", "audience"],
  properties: {
    name: { ...name, description: "A name for logs and `identity.provider` (default: the preset, or `oidc`)." },
    preset: { enum: ["github-actions", "gitlab-ci"], description: "Maps that CI's token claims to `identity` fields (repository, ref, workflow, environment, run_id, actor)." },
    issuer: { type: "string", minLength: 1, description: "The exact `iss` claim expected, e.g. `https://token.actions.githubusercontent.com`." },
    audience: { anyOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }], description: "The `aud` value(s) accepted." },
    jwks_url: { type: "string", format: "uri", description: "Where the signing keys are (default: the issuer's OIDC discovery document's `jwks_uri`). Cached; refetched when a token names an unknown key id." },
    keys: { type: "array", items: { type: "object" }, minItems: 1, description: "Public keys as JWKs, instead of a JWKS URL (air-gapped set-ups, tests)." },
    algorithms: { type: "array", items: { enum: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] }, minItems: 1, description: "Signature algorithms accepted (default `[RS256, ES256]`). Symmetric algorithms and `none` are never accepted." },
    clock_skew: { ...duration, description: "Leeway for `exp`, `nbf` and `iat` (default `30s`)." },
    groups_claim: { type: "string", minLength: 1, description: "A claim holding the subject's groups (a string or a list), copied to `identity.groups`." },
  },
};

const connection = {
  type: "object",
  description: "An upstream the gateway forwards to, reached at `/<name>/…`. Only configured connections are reachable.",
  additionalProperties: false,
  required: ["name", "type", "upstream"],
  properties: {
    name,
    type: { enum: ["anthropic", "http"], description: "`anthropic` (the Messages API: the policy input gets an `llm` view, errors use Anthropic's shape) or `http`." },
    upstream: { type: "string", format: "uri", pattern: "^https?://", "x-message": "must be an http:// or https:// URL", description: "The upstream base URL; `/<name>/v1/messages` goes to `<upstream>/v1/messages`." },
    credential,
    entrypoint: { type: "string", pattern: "^data(\\.[A-Za-z_][A-Za-z0-9_]*)+$", "x-message": "must be a rule path such as data.guard.claude.decision", description: "The decision rule (default `data.guard.<name>.decision`)." },
    tool_entrypoint: {
      type: "string",
      pattern: "^data(\\.[A-Za-z_][A-Za-z0-9_]*)+$",
      "x-message": "must be a rule path such as data.guard.claude.tool_decision",
      description: "The rule deciding each tool call the model makes, for `anthropic` (default `data.guard.<name>.tool_decision`; when the bundle has no such rule, tool calls are not checked).",
    },
  },
};

const secretRef = {
  type: "object",
  additionalProperties: false,
  description: "A secret read from an environment variable or a file.",
  properties: { env: { type: "string", minLength: 1 }, file: { type: "string", minLength: 1 } },
  oneOf: [{ required: ["env"] }, { required: ["file"] }],
};

const approvals = {
  type: "object",
  additionalProperties: false,
  description: "Human approval of requests a policy marks `require_approval`: who signs in, how long a request is held, who is told.",
  properties: {
    hold: { ...duration, description: "How long the gateway holds a request waiting for its approval (default `5m`); then 403 with the approval's status URL, and a retry passes once approved." },
    pending_ttl: { ...duration, description: "How long an approval stays open before it expires (default `15m`)." },
    public_url: { type: "string", pattern: "^https?://", "x-message": "must be an http:// or https:// URL", description: "The gateway's public URL, for status links, the approval page and webhooks (default: the listen address)." },
    identity: {
      type: "object",
      additionalProperties: false,
      required: ["providers"],
      description: "The identity providers of approvers (people, not CI jobs): their tokens are accepted by the approval API and page only.",
      properties: { providers: { type: "array", items: provider, minItems: 1 } },
    },
    login: {
      type: "object",
      additionalProperties: false,
      required: ["issuer", "client_id", "redirect_url"],
      description: "Sign-in on the approval page with the authorization-code flow and PKCE (without it, approvers paste a token).",
      properties: {
        issuer: { type: "string", minLength: 1 },
        client_id: { type: "string", minLength: 1 },
        client_secret: secretRef,
        redirect_url: { type: "string", pattern: "^https?://", "x-message": "must be an http:// or https:// URL" },
      },
    },
    webhooks: {
      type: "array",
      description: "Told of each new approval: `generic` JSON (signed with `secret` when given) or `slack` (an incoming webhook).",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["url"],
        properties: { url: { type: "string", pattern: "^https?://", "x-message": "must be an http:// or https:// URL" }, kind: { enum: ["generic", "slack"] }, secret: secretRef },
      },
    },
  },
};

export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "guard.yaml",
  type: "object",
  additionalProperties: false,
  required: ["connections"],
  properties: {
    listen: {
      type: "object",
      additionalProperties: false,
      description: "Where the gateway listens.",
      properties: {
        host: { type: "string", minLength: 1, description: "Default `127.0.0.1`." },
        port: { type: "integer", minimum: 0, maximum: 65535, description: "Default `8080` (0 picks a free port)." },
      },
    },
    policies: {
      type: "object",
      additionalProperties: false,
      description: "The policy bundle: a directory, or a git repository the gateway keeps in sync.",
      properties: {
        dir: { type: "string", minLength: 1, description: "A bundle directory (default `policies`; relative to the config file). Watched: a change is compiled, tested and swapped in." },
        git: {
          type: "object",
          additionalProperties: false,
          required: ["url"],
          description: "A git repository, fetched with the system's git.",
          properties: {
            url: { type: "string", minLength: 1, description: "Anything `git clone` accepts." },
            ref: { type: "string", minLength: 1, description: "Branch or tag (default `main`)." },
            path: { type: "string", description: "The bundle's folder inside the repository (default: its root)." },
            checkout: { type: "string", minLength: 1, description: "Where the clone lives (default `.guard/policies-git`)." },
          },
        },
        poll: { ...duration, description: "How often to look for changes (default `1s` for a directory, `30s` for git)." },
        run_tests: { type: "boolean", description: "Run the bundle's `*_test.guard` tests before swapping it in (default true)." },
      },
    },
    identity: {
      type: "object",
      additionalProperties: false,
      required: ["providers"],
      properties: { providers: { type: "array", items: provider, minItems: 1 } },
    },
    connections: { type: "array", items: connection, minItems: 1 },
    approvals,
    sessions: {
      type: "object",
      additionalProperties: false,
      description: "Session recording: every exchange (masked request and answer, decisions, timings) under its CI run, for `guard sessions` and replay.",
      properties: {
        record: { type: "boolean", description: "Record sessions (default true)." },
        max_body: { ...size, description: "The longest body kept per request or answer (default `256KiB`); longer ones are cut." },
        max_age: { ...duration, description: "Sessions older than this are deleted (default `30d`)." },
        max_size: { ...size, description: "The most the recorded sessions may take; the oldest go first (default `1GiB`)." },
        batch_window: {
          ...duration,
          description: "How long a recorded exchange may wait to be written together with others (default `50ms`; `0ms`: at once). Recording is off the request path; the window only delays when an exchange shows in `guard sessions`.",
        },
      },
    },
    audit: {
      type: "object",
      additionalProperties: false,
      description: "The audit log (in the store).",
      properties: {
        max_age: {
          ...duration,
          description:
            "Records older than this are removed, when the gateway starts and every hour (default: none is removed). The last removed record is kept as a checkpoint, so `guard audit verify` still checks the rest of the chain; records that do not verify are never removed.",
        },
      },
    },
    store: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      description: "Where audit records (and approvals, sessions) are kept.",
      properties: {
        type: { enum: ["sqlite", "postgres"], description: "`sqlite` (embedded, the default) or `postgres` (several instances)." },
        path: { type: "string", minLength: 1, description: "The SQLite file (default `.guard/guard.db`); recorded sessions go to a second file beside it (`guard.sessions.db`)." },
        url: { type: "string", pattern: "^postgres(ql)?://", "x-message": "must be a postgres:// URL", description: "The PostgreSQL URL, with `type: postgres`." },
        schema: { type: "string", pattern: "^[a-z_][a-z0-9_]*$", "x-message": "must be a lower-case SQL name", description: "The PostgreSQL schema (default `guard`)." },
      },
    },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: {
        body_size: { ...size, description: "The largest request body accepted (default `10MiB`); larger: 413." },
        upstream_timeout: { ...duration, description: "Time to the upstream's response headers, and between body chunks (default `120s`); then 504." },
        evaluation_timeout: { ...duration, description: "Time one decision may take (default `100ms`); then denied." },
        evaluation_steps: { type: "integer", minimum: 1, description: "Evaluation steps one decision may take (default 1,000,000); then denied." },
      },
    },
    log: {
      type: "object",
      additionalProperties: false,
      properties: { level: { enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], description: "Default `info`." } },
    },
  },
} as const;
