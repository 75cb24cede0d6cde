// The secret corpus the pack's masking is tested against: realistic (made-up) samples of every kind of secret the
// pack masks, and ordinary text that must pass unchanged.
/** A deterministic string of `n` characters from `alphabet`. */
function chars(n: number, alphabet = "A1b2C3d4E5f6G7h8J9kLmNpQrStUvWxYz0"): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[(i * 7 + 3) % alphabet.length];
  return s;
}

const pem = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
  "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
  "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
  "-----END RSA PRIVATE KEY-----",
].join("\n");

/** A 4096-bit RSA key's size: 51 lines of base64 between the markers (3.2 KB, over the default stream hold-back). */
const longPem = ["-----BEGIN RSA PRIVATE KEY-----", ...Array.from({ length: 51 }, (_, i) => chars(64, `${i % 10}A1b2C3d4E5f6G7h8J9kLmNpQrStUvWxYz0+/`)), "-----END RSA PRIVATE KEY-----"].join("\n");

/** An OIDC-sized JWT (1.1 KB): a header, a long claims segment, a signature; one run of [\w.-] from end to end. */
const longJwt = `eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJ${chars(800, "A1b2C3d4E5f6G7h8J9kLmNpQrStUvWxYz0_-")}.${chars(342, "Zz9Yy8Xx7_-Ww6")}`;

/** Realistic (made-up) samples of every kind of secret, each with the name of the pattern that must mask it. */
export const SECRETS: [name: string, sample: string][] = [
  ["private_key", pem],
  ["private_key", `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----`],
  ["private_key", `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj`],
  ["aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"],
  ["aws_access_key_id", "ASIAY34FZKBOKMUTVV7A"],
  ["aws_secret_access_key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
  ["aws_secret_access_key", 'AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'],
  ["github_token", `ghp_${chars(36)}`],
  ["github_token", `gho_${chars(36)}`],
  ["github_token", `ghs_${chars(36)}`],
  ["github_pat", `github_pat_11ABCDEFG0${chars(12)}_${chars(59)}`],
  ["anthropic_api_key", `sk-ant-api03-${chars(93, "abcXYZ012_-")}AA`],
  ["anthropic_api_key", `sk-ant-admin01-${chars(93)}AA`],
  ["openai_api_key", `sk-proj-${chars(156, "aB3_-xY9zQ")}`],
  ["openai_api_key", `sk-${chars(20)}T3BlbkFJ${chars(20)}`],
  ["slack_token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
  ["slack_token", "xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef"],
  ["google_api_key", `AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY`],
  ["stripe_secret_key", `sk_live_${chars(24)}`],
  ["npm_token", `npm_${chars(36)}`],
  ["private_key", longPem],
  ["jwt", longJwt],
  ["jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
  ["database_url", "postgres://app_user:s3cr3t-P4ss@db.internal.acme.com:5432/orders"],
  ["database_url", "postgresql://admin:hunter22@10.0.0.5/app?sslmode=require"],
  ["database_url", "mongodb+srv://svc:Zx9!pL2q@cluster0.ab1cd.mongodb.net/prod"],
  ["database_url", "redis://default:9f8e7d6c5b4a@cache.acme.internal:6379/0"],
  ["secret_assignment", 'password = "correct-horse-battery"'],
  ["secret_assignment", "client_secret: 'Q2x1ZW50U2VjcmV0VmFsdWU'"],
  ["secret_assignment", '"api_key": "a1b2c3d4e5f6a7b8c9d0"'],
  ["secret_assignment", `api_key = "${chars(1000)}"`],
  ["secret_env_assignment", "SECRET_KEY=django-insecure-8f3k2l9x0q7w"],
  ["secret_env_assignment", "DB_PASSWORD=Tr0ub4dor&3"],
  ["secret_env_assignment", "export GITLAB_API_TOKEN=glpat-abcdefghij0123456789"],
];

/** Ordinary text: code, prose and configuration that must not be masked. */
export const BENIGN: string[] = [
  // long runs of word characters, as a streamed answer carries them (a hex digest list, base64url, a dotted name)
  `sha256 digests: ${chars(1200, "0123456789abcdef")} (concatenated)`,
  `data:image/png;base64url,${chars(2000, "A1b2C3d4E5f6G7h8J9kLmNpQrStUvWxYz0_-")} end`,
  `${Array.from({ length: 60 }, (_, i) => `module${i}`).join(".")}.run()`,
  `${chars(700, "ABCDEFGHJKLMNOPQRUVWXYZ_0123456789")}=1`,
  `import { readFile } from "node:fs/promises";

export async function loadConfig(path: string): Promise<Config> {
  const password = await getPassword(process.env.VAULT_PATH);
  const token = req.headers["authorization"]?.slice("Bearer ".length);
  if (!token) throw new Error("missing token");
  return { password, token, retries: 3 };
}`,
  `SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}
api_key = settings.API_KEY`,
  `Our deploy pipeline reads the API key from the secret store at start-up. Rotate the token every 90 days,
and never paste credentials into an issue. See docs/security.md for how to request access.`,
  `env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-credentials
        key: password
  - name: DATABASE_URL
    value: postgres://db.internal:5432/orders`,
  "export PASSWORD=$(vault read -field=pw secret/db)",
  "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixes the sklearn (scikit-learn) pipeline; see #1234",
  "The request id 123e4567-e89b-12d3-a456-426614174000 failed with HTTP 403 at 2025-11-21T10:00:00Z.",
  "const ACCESS_KEY_HEADER = 'x-amz-access-key'; // never log it",
  "Use sk-learn style estimators and the AKIA prefix check described in the AWS docs.",
];
