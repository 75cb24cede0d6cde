// Hashes and HMACs of strings: crypto.md5, crypto.sha1, crypto.sha256, crypto.hmac.{md5,sha1,sha256,sha512} and
// crypto.hmac.equal. Digests are lower-case hex of the UTF-8 bytes' hash, as OPA returns them.
// (The crypto.x509.* and crypto.parse_private_keys built-ins are not implemented here.)
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Value } from "../value/value.js";
import { str } from "./args.js";
import type { BuiltinRegistry } from "./registry.js";
import { boolean, string } from "./types.js";

export function register(r: BuiltinRegistry): void {
  const hashes: [string, string, string][] = [
    ["md5", "md5", "MD5"],
    ["sha1", "sha1", "SHA1"],
    ["sha256", "sha256", "SHA256"],
  ];
  for (const [name, algorithm, label] of hashes) {
    r.register({
      name: `crypto.${name}`,
      args: [{ name: "x", type: string, description: "input string" }],
      result: { name: "y", type: string, description: `${label}-hash of \`x\`` },
      description: `Returns a string representing the input string hashed with the ${label} function`,
      categories: ["crypto"],
      impl: (args): Value => createHash(algorithm).update(str(args, 0), "utf8").digest("hex"),
    });
  }

  const hmacs: [string, string, string][] = [
    ["md5", "md5", "MD5"],
    ["sha1", "sha1", "SHA1"],
    ["sha256", "sha256", "SHA256"],
    ["sha512", "sha512", "SHA512"],
  ];
  for (const [name, algorithm, label] of hmacs) {
    r.register({
      name: `crypto.hmac.${name}`,
      args: [
        { name: "x", type: string, description: "input string" },
        { name: "key", type: string, description: "key to use" },
      ],
      result: { name: "y", type: string, description: `${label}-HMAC of \`x\`` },
      description: `Returns a string representing the ${label} HMAC of the input message using the input key.`,
      categories: ["crypto"],
      impl: (args): Value => {
        const message = str(args, 0);
        const key = str(args, 1);
        return createHmac(algorithm, Buffer.from(key, "utf8")).update(message, "utf8").digest("hex");
      },
    });
  }

  r.register({
    name: "crypto.hmac.equal",
    args: [
      { name: "mac1", type: string, description: "mac1 to compare" },
      { name: "mac2", type: string, description: "mac2 to compare" },
    ],
    result: { name: "result", type: boolean, description: "`true` if the MACs are equals, `false` otherwise" },
    description:
      "Returns a boolean representing the result of comparing two MACs for equality without leaking timing information.",
    categories: ["crypto"],
    impl: (args): Value => {
      const a = Buffer.from(str(args, 0), "utf8");
      const b = Buffer.from(str(args, 1), "utf8");
      return a.length === b.length && timingSafeEqual(a, b);
    },
  });
}
