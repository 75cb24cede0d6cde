// `data.guard.claude.decision` (policies/claude/policy.guard with policies/lib/ci.guard) written by hand in
// TypeScript, as an engineer would write it for speed: the knobs of policies/claude/data.yaml are read once, their
// globs and regular expressions compiled once, and a decision is a few string tests over the gateway's input.
// The limit a compiled policy can approach on the shipped pack.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { repoRoot } from "../rbac/scenario.js";

export const PACK_DATA_FILE = join(repoRoot(), "policies", "claude", "data.yaml");

interface NamedPattern {
  name: string;
  pattern: string;
  /** secret_patterns only: the stream hold-back, carried as the mask entry's maxLength. */
  max_length?: number;
}

/** The parts of data.claude the request decision reads. */
export interface ClaudeData {
  identity_providers: Record<string, { issuer: string }>;
  repositories: string[];
  refs: string[];
  environments: string[];
  allow_no_environment: boolean;
  endpoints: { method: string; path: string }[];
  models: string[];
  max_tokens: number;
  approval: { approvers: string[]; approvals: number; validity: string };
  exfiltration_patterns: NamedPattern[];
  production_patterns: NamedPattern[];
  secret_patterns: NamedPattern[];
}

export interface MaskEntry {
  name: string;
  pattern: string;
  replacement: string;
  maxLength?: number;
}

export interface RequireApproval {
  reason: string;
  approvers: string[];
  approvals: number;
  validity: string;
}

/** The decision document; `deny` holds each reason once, in no particular order. */
export interface PackDecision {
  allow: boolean;
  deny: string[];
  mask: MaskEntry[];
  require_approval?: RequireApproval;
}

/**
 * An RE2 pattern of the pack as a JavaScript RegExp. The pack's patterns use only syntax both engines read alike
 * (ASCII `\b`, `\w`, `\s`, classes, alternation, counted repetition); RE2's leading `(?i)` / `(?s)` become flags,
 * as Node 20 has no inline modifiers. Anything else that looks like a group flag is refused. Known differences,
 * outside the vocabulary of the equivalence check: RE2's `(?i)` folds `ſ` (U+017F) with s and `K` (U+212A) with k,
 * JavaScript's `i` without `u` does not; RE2's `\s` is `[\t\n\f\r ]`, JavaScript's also matches `\v`, no-break and
 * other Unicode spaces. Guard's regex.match keeps RE2's meaning (engine/builtins/re2-to-js.ts).
 */
export function re2ToRegExp(pattern: string): RegExp {
  let flags = "";
  let source = pattern;
  const m = /^\(\?([is]+)\)/.exec(source);
  if (m) {
    flags = [...new Set(m[1]!)].join("");
    source = source.slice(m[0].length);
  }
  if (/\(\?(?!:)/.test(source)) throw new Error(`unsupported group flags in ${JSON.stringify(pattern)}`);
  return new RegExp(source, flags);
}

/** A glob as the pack writes them (`*` within a segment, `**` across, `?` one character) as an anchored RegExp. */
export function globToRegExp(glob: string, delimiter: string): RegExp {
  const notDelim = `[^${delimiter.replace(/[\\\]^-]/g, "\\$&")}]`;
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        src += "[^]*";
        i++;
      } else src += `${notDelim}*`;
    } else if (c === "?") src += notDelim;
    else if ("[]{}\\".includes(c)) throw new Error(`glob ${JSON.stringify(glob)}: classes, alternatives and escapes are not supported here`);
    else src += c.replace(/[.+^$()|]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, "u");
}

/** Go's %q of a string (strconv.Quote) for the characters identities carry. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** Rego's %v of a JSON value (what sprintf prints for the few kinds the messages show). */
function v(x: unknown): string {
  if (typeof x === "string") return x;
  if (x === null) return "null";
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  return JSON.stringify(x);
}

const NO_IDENTITY = "no verified identity: the request carries no valid CI token";
const NOT_ANTHROPIC = "the claude connection must be of type anthropic";

interface Compiled {
  issuers: Map<string, string>;
  repositories: RegExp[];
  refs: RegExp[];
  environments: Set<string>;
  allowNoEnvironment: boolean;
  endpoints: Map<string, Set<string>>;
  models: RegExp[];
  maxTokens: number;
  exfiltration: { name: string; re: RegExp; reason: string }[];
  production: { name: string; re: RegExp }[];
  mask: MaskEntry[];
  approval: ClaudeData["approval"];
}

export function loadClaudeData(file = PACK_DATA_FILE): ClaudeData {
  return yaml.load(readFileSync(file, "utf8"), { schema: yaml.JSON_SCHEMA }) as ClaudeData;
}

function compile(d: ClaudeData): Compiled {
  const endpoints = new Map<string, Set<string>>();
  for (const e of d.endpoints) {
    let paths = endpoints.get(e.method);
    if (!paths) endpoints.set(e.method, (paths = new Set()));
    paths.add(e.path);
  }
  return {
    issuers: new Map(Object.entries(d.identity_providers).map(([k, p]) => [k, p.issuer])),
    repositories: d.repositories.map((p) => globToRegExp(p.toLowerCase(), "/")),
    refs: d.refs.map((p) => globToRegExp(p, "/")),
    environments: new Set(d.environments),
    allowNoEnvironment: d.allow_no_environment === true,
    endpoints,
    models: d.models.map((p) => globToRegExp(p, ".")),
    maxTokens: d.max_tokens,
    exfiltration: d.exfiltration_patterns.map((p) => ({ name: p.name, re: re2ToRegExp(p.pattern), reason: `the request ${p.name}` })),
    production: d.production_patterns.map((p) => ({ name: p.name, re: re2ToRegExp(p.pattern) })),
    mask: d.secret_patterns.map((p) => ({ name: p.name, pattern: p.pattern, replacement: `[MASKED:${p.name}]`, ...(p.max_length !== undefined ? { maxLength: p.max_length } : {}) })),
    approval: d.approval,
  };
}

const anyMatch = (res: RegExp[], s: string): boolean => {
  for (const re of res) if (re.test(s)) return true;
  return false;
};

const trimSlash = (p: string): string => (p.endsWith("/") ? p.slice(0, -1) : p);

// The input as the gateway builds it (gateway/input.ts); read loosely, as anything may be missing.
type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

/** The decision function over data.claude (compiled once): input → decision document. */
export function claudeDecider(data: ClaudeData = loadClaudeData()): (input: Json) => PackDecision {
  const c = compile(data);

  const identityProblems = (id: unknown, deny: string[]): void => {
    if (!isObj(id) || typeof id.issuer !== "string" || id.issuer === "" || typeof id.provider !== "string" || id.provider === "") {
      deny.push(NO_IDENTITY);
      return;
    }
    if (c.issuers.get(id.provider) !== id.issuer) deny.push(`identity provider ${goQuote(id.provider)} (issuer ${goQuote(id.issuer)}) is not trusted`);
    const repo = id.repository;
    if (!(typeof repo === "string" && repo !== "" && anyMatch(c.repositories, repo.toLowerCase()))) deny.push(`repository ${v(repo)} is not allowed`);
    const ref = id.ref;
    if (!(typeof ref === "string" && ref !== "" && anyMatch(c.refs, ref))) deny.push(`ref ${v(ref)} is not allowed`);
    const env = id.environment;
    if (!(env === null ? c.allowNoEnvironment : typeof env === "string" && c.environments.has(env))) deny.push(`environment ${v(env)} is not allowed`);
  };

  return (input) => {
    const deny: string[] = [];
    identityProblems(input.identity ?? null, deny);
    const connection = input.connection;
    if (!(isObj(connection) && connection.type === "anthropic")) deny.push(NOT_ANTHROPIC);
    const request = isObj(input.request) ? input.request : {};
    const method = request.method;
    const path = request.path;
    const trimmed = typeof path === "string" ? trimSlash(path) : undefined;
    if (!(typeof method === "string" && trimmed !== undefined && c.endpoints.get(method)?.has(trimmed) === true)) {
      deny.push(`${v(method)} ${v(path)} is not an allowed endpoint`);
    }
    const llm = isObj(input.llm) ? input.llm : {};
    const model = llm.model;
    if (trimmed === "/v1/messages" && !(typeof model === "string" && anyMatch(c.models, model))) deny.push(`model ${v(model ?? null)} is not allowed`);
    const maxTokens = llm.max_tokens;
    if (typeof maxTokens === "number" && maxTokens > c.maxTokens) deny.push(`max_tokens ${v(maxTokens)} is above the limit of ${c.maxTokens}`);
    const texts = Array.isArray(llm.texts) ? llm.texts : [];
    for (const p of c.exfiltration) {
      for (const t of texts) {
        if (typeof t === "string" && p.re.test(t)) {
          deny.push(p.reason);
          break;
        }
      }
    }
    const decision: PackDecision = { allow: deny.length === 0, deny, mask: c.mask };
    if (deny.length === 0) {
      // what the user and the system asked for: the system prompt and the users' messages (not tool results)
      const prompts: string[] = [];
      if (typeof llm.system === "string") prompts.push(llm.system);
      if (Array.isArray(llm.messages)) for (const m of llm.messages) if (isObj(m) && m.role === "user" && typeof m.text === "string") prompts.push(m.text);
      let names: string[] | undefined;
      for (const p of c.production) {
        for (const t of prompts) {
          if (p.re.test(t)) {
            (names ??= []).push(p.name);
            break;
          }
        }
      }
      if (names) {
        decision.require_approval = {
          reason: `touches production: ${names.sort().join(", ")}`,
          approvers: c.approval.approvers,
          approvals: c.approval.approvals,
          validity: c.approval.validity,
        };
      }
    }
    return decision;
  };
}
