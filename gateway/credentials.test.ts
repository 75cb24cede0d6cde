// The gateway's credentials: read from env or file (re-read on rotation), injected in the upstream's scheme.
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialStore } from "./credentials.js";

describe("CredentialStore", () => {
  it("injects each scheme as its upstream expects", () => {
    const store = new CredentialStore({ K: "s3cret" });
    const c = { source: "env K", env: "K" };
    expect(store.headers({ ...c, scheme: "x-api-key" })).toEqual({ "x-api-key": "s3cret" });
    expect(store.headers({ ...c, scheme: "bearer" })).toEqual({ authorization: "Bearer s3cret" });
    expect(store.headers({ ...c, scheme: "basic", username: "bot" })).toEqual({ authorization: `Basic ${Buffer.from("bot:s3cret").toString("base64")}` });
    expect(store.headers({ ...c, scheme: "header", header: "X-Token" })).toEqual({ "x-token": "s3cret" });
  });

  it("has nothing to inject when the variable is unset or empty", () => {
    const store = new CredentialStore({ EMPTY: "" });
    expect(store.headers({ source: "env EMPTY", env: "EMPTY", scheme: "bearer" })).toBeUndefined();
    expect(store.headers({ source: "env NONE", env: "NONE", scheme: "bearer" })).toBeUndefined();
  });

  it("reads a file, trims its final newline, and picks up a rotated secret without a restart", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-cred-"));
    const file = join(dir, "token");
    writeFileSync(file, "first\n");
    const store = new CredentialStore({});
    const c = { source: `file ${file}`, file, scheme: "bearer" as const };
    expect(store.secret(c)).toBe("first");
    writeFileSync(file, "second\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(store.secret(c)).toBe("second");
    expect(store.secret({ ...c, file: join(dir, "missing") })).toBeUndefined();
  });
});
