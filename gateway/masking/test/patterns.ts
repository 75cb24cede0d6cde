// Test fixture: realistic secret patterns (the shipped pack lives in policies/claude/data.yaml; these tests do not
// depend on it) and a corpus of fake secrets, each with a distinctive substring that must never leave a masker.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import type { MaskRule } from "../patterns.js";

/** The shipped pack's secret patterns (policies/claude/data.yaml), as the gateway compiles them. */
export function packRules(): MaskRule[] {
  const data = yaml.load(readFileSync(new URL("../../../policies/claude/data.yaml", import.meta.url), "utf8")) as { secret_patterns: { name: string; pattern: string; max_length?: number }[] };
  return data.secret_patterns.map((p) => ({ name: p.name, pattern: p.pattern, replacement: `[MASKED:${p.name}]`, ...(p.max_length !== undefined ? { maxLength: p.max_length } : {}) }));
}

export const RULES: MaskRule[] = [
  { name: "aws_access_key_id", pattern: "\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b" },
  { name: "aws_secret_access_key", pattern: "(?i)\\baws_?secret(?:_?access)?_?key\\b[\"']?\\s{0,4}[:=]\\s{0,4}[\"']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])" },
  { name: "github_token", pattern: "\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b" },
  { name: "github_pat", pattern: "\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b" },
  { name: "anthropic_api_key", pattern: "\\bsk-ant-(?:api|admin|oat)\\d{2}-[A-Za-z0-9_\\-]{32,200}" },
  { name: "openai_api_key", pattern: "\\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\\-]{20,200}" },
  { name: "slack_token", pattern: "\\bxox[abposr]-[0-9A-Za-z\\-]{10,250}" },
  { name: "google_api_key", pattern: "\\bAIza[0-9A-Za-z_\\-]{35}(?![0-9A-Za-z_\\-])" },
  {
    name: "private_key",
    pattern: "-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----",
    replacement: "[MASKED:private_key]",
    maxLength: 16384,
  },
  { name: "jwt", pattern: "\\beyJ[A-Za-z0-9_\\-]{8,1000}\\.eyJ[A-Za-z0-9_\\-]{8,2000}\\.[A-Za-z0-9_\\-]{16,600}" },
  { name: "database_url", pattern: "\\b(?:postgres(?:ql)?|mysql|mongodb(?:\\+srv)?|redis|amqps?)://[^\\s:@/]{1,64}:[^\\s:@/]{1,128}@", replacement: "[MASKED:database_url]@" },
  {
    name: "generic_secret",
    pattern: "(?i)\\b[A-Z0-9_]{0,40}(?:API_?KEY|SECRET|TOKEN|PASSWORD|PASSWD)[A-Z0-9_]{0,20}[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?[A-Za-z0-9/+_\\-.]{16,128}",
  },
];

const rep = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);

export interface Secret {
  name: string;
  /** How it appears in text. */
  text: string;
  /** A substring that must never appear in masked output. */
  leak: string;
}

export const PEM = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEA7bq98L0PEMLEAKxyzzy1234567890abcdefghijklmnopqrst",
  "uvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/abcdefghijklmnopqrstuv",
  "-----END RSA PRIVATE KEY-----",
].join("\n");

export const SECRETS: Secret[] = [
  { name: "aws_access_key_id", text: "AKIAIOSFODNN7EXAMPLE", leak: "IOSFODNN7EXAMPLE" },
  { name: "aws_secret_access_key", text: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", leak: "wJalrXUtnFEMI/K7MDENG" },
  { name: "aws_secret_access_key", text: 'AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', leak: "wJalrXUtnFEMI/K7MDENG" },
  { name: "github_token", text: `ghp_${rep("GhTokenLeak0123456789", 36)}`, leak: "GhTokenLeak" },
  { name: "github_token", text: `gho_${rep("OauthLeakAbc987", 36)}`, leak: "OauthLeakAbc" },
  { name: "github_token", text: `ghs_${rep("ServerLeakXyz55", 40)}`, leak: "ServerLeakXyz" },
  { name: "github_pat", text: `github_pat_11ABCDEFG0${rep("PatLeakQ7", 12)}_${rep("FineGrainedLeak42", 59)}`, leak: "FineGrainedLeak" },
  { name: "anthropic_api_key", text: `sk-ant-api03-${rep("AntKeyLeak_z9-", 93)}AA`, leak: "AntKeyLeak" },
  { name: "openai_api_key", text: `sk-proj-${rep("OpenAiLeak-T3", 64)}`, leak: "OpenAiLeak" },
  { name: "slack_token", text: "xoxb-2741869215-7312908714-SlackLeakTokenR2d2C3po", leak: "SlackLeakToken" },
  { name: "google_api_key", text: `AIzaSyD${rep("GoogleLeak-_9", 32)}`, leak: "GoogleLeak" },
  { name: "private_key", text: PEM, leak: "PEMLEAKxyzzy" },
  {
    name: "jwt",
    text: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJKd3RMZWFrIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    leak: "SflKxwRJSMeKKF2QT4fw",
  },
  { name: "database_url", text: "postgres://admin:DbPassLeak77@db.internal:5432/app", leak: "DbPassLeak77" },
  { name: "database_url", text: "mongodb+srv://svc:MongoLeakPw9@cluster0.example.net/prod", leak: "MongoLeakPw9" },
  { name: "generic_secret", text: 'API_KEY="9f8e7d6c5b4a3GenericLeak1a0"', leak: "GenericLeak" },
  { name: "generic_secret", text: "export STRIPE_SECRET_TOKEN=tokLeakAbcdefghijklmnop", leak: "tokLeakAbc" },
];

/** Surrounding texts a secret is embedded in: prose, code, a shell transcript, non-ASCII. */
export const SURROUNDINGS: [string, string][] = [
  ["Here is the config you asked for: ", " — let me know if it works."],
  ['const config = {\n  region: "eu-west-1",\n  value: "', '",\n};\n'],
  ["$ cat .env\nNODE_ENV=production\n", "\nLOG_LEVEL=debug\n$ "],
  ["Clé trouvée 🔑 (ünïcödé): ", " 😀 fin."],
];

export const BENIGN = [
  "The quick brown fox jumps over the lazy dog. Keys such as AKIA followed by too few characters (AKIA1234) are not keys.",
  'function add(a: number, b: number): number {\n  return a + b;\n}\nconst apiKey = readKey();\nif (!apiKey) throw new Error("missing");\n',
  "In Python, `token = get_token()` reads it; the password: field is optional. See https://example.com/docs?x=1&y=2.",
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUabc\n-----END CERTIFICATE-----\nssh-ed25519 AAAAC3Nza user@host",
  "Unicode: naïve café, 日本語のテキスト, emoji 🚀🔥 and math ∑∫ — sk- alone, ghp_short, xoxb-, eyJhbGci.eyJ.",
  "SELECT id, name FROM users WHERE email = 'a@b.c';\npostgres://localhost/db (no password) and redis://cache:6379",
];
