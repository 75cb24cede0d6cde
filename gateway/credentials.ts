// The credentials the gateway holds for its connections: read from an environment variable or a file (re-read
// when the file changes, so a rotated secret needs no restart), and injected as the upstream expects.
import { readFileSync, statSync } from "node:fs";
import type { CredentialConfig, SecretRef } from "./config.js";

export class CredentialStore {
  private readonly fileCache = new Map<string, { mtimeMs: number; value: string }>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The secret, or undefined when its variable is unset or its file unreadable. */
  secret(c: SecretRef): string | undefined {
    if (c.env !== undefined) {
      const v = this.env[c.env];
      return v === undefined || v === "" ? undefined : v;
    }
    const file = c.file!;
    try {
      const { mtimeMs } = statSync(file);
      const cached = this.fileCache.get(file);
      if (cached && cached.mtimeMs === mtimeMs) return cached.value;
      const value = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      this.fileCache.set(file, { mtimeMs, value });
      return value === "" ? undefined : value;
    } catch {
      return undefined;
    }
  }

  /** The headers that carry the credential upstream (lower-case names). */
  headers(c: CredentialConfig): Record<string, string> | undefined {
    const s = this.secret(c);
    if (s === undefined) return undefined;
    switch (c.scheme) {
      case "x-api-key":
        return { "x-api-key": s };
      case "bearer":
        return { authorization: `Bearer ${s}` };
      case "basic":
        return { authorization: `Basic ${Buffer.from(`${c.username ?? ""}:${s}`).toString("base64")}` };
      case "header":
        return { [c.header!.toLowerCase()]: s };
    }
  }

  /** Every secret value currently held, for scrubbing them out of anything logged. */
  values(credentials: readonly (CredentialConfig | undefined)[]): string[] {
    return credentials.flatMap((c) => (c ? [this.secret(c)].filter((s): s is string => s !== undefined) : []));
  }
}
