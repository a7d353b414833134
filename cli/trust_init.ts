/**
 * `stella trust init --key PUB... [--threshold N] [--predicate-type T]... [--out trust.json]`:
 * writes a starting trust policy (docs/trust-policy.md) naming the given public keys. Adapter
 * over {@link createTrustPolicy}; the document is RFC 8785 canonical JSON plus one newline,
 * printed to stdout or written atomically to `--out` (never over an existing file without
 * `--force`). Each key entry is named after its file's base name.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { importKey } from "../lib/keys/import_key.ts";
import type { PublicKey } from "../lib/keys/key.ts";
import { createTrustPolicy, type TrustPolicyKeyInput } from "../lib/verify/trust_policy_init.ts";
import { expectPositionals, HELP_FLAG, parseCountFlag, parseStrict } from "./_args.ts";
import { baseName } from "./_attest.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  key: { type: "string", multiple: true },
  threshold: { type: "string" },
  "predicate-type": { type: "string", multiple: true },
  out: { type: "string" },
  force: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
} as const;

/** `stella trust init`. */
export const trustInitCommand: Command = {
  path: ["trust", "init"],
  flags: FLAGS,
  summary: "Write a starting trust policy (trust.json) that trusts the given public keys",
  help: `Usage: stella trust init --key PUB... [--threshold N] [--predicate-type T]...
       [--out trust.json] [--force] [--json]

Writes a starting trust policy for "stella forensic verify --trust": version 1, one entry per
--key (name = the file's base name, keyid = hex SHA-256 of the SubjectPublicKeyInfo DER,
publicKey = the PEM), the threshold and the allowed predicate types when given. The output is
RFC 8785 canonical JSON plus one newline, valid against docs/schemas/trust-policy.schema.json.
Add validity windows (validFrom, validUntil, revokedAt), custodians, requiredClaims and
tsaRoots by editing the file: docs/trust-policy.md describes every field.

Flags:
  --key PUB           Public key file to trust (PEM, JWK or DER SubjectPublicKeyInfo);
                      repeatable, at least one, each key once
  --threshold N       Distinct trusted keys that must sign (1 to the number of keys;
                      default: the field is left out, which means 1)
  --predicate-type T  Allowed in-toto predicate type, e.g. stella.ops/promotion@v1;
                      repeatable (default: any payload)
  --out FILE          Write the policy to FILE atomically instead of stdout
  --force             Overwrite an existing --out file
  --json              Print the policy on stdout also when --out is given

Exit status: 0 written; 2 could not run (no --key, a key file that is missing, not a public
key or listed twice, a threshold out of range, --out exists without --force, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "", { min: 0, max: 0 });
    const paths = values.key ?? [];
    if (paths.length === 0) {
      throw new CliError("Missing --key PUB: the public key file(s) to trust");
    }
    const threshold = parseCountFlag("--threshold", values.threshold, 1, 999_999);
    const out = values.out;
    await refuseOverwritingInput(io, "--out", out, paths);
    if (out !== undefined && !values.force && (await io.stat(out)) !== undefined) {
      throw new CliError(`Refusing to overwrite "${out}": it exists (pass --force)`);
    }
    const inputs: TrustPolicyKeyInput[] = [];
    for (const path of paths) {
      inputs.push({ publicKey: await readPublicKey(io, path), name: baseName(path) });
    }
    let text: string;
    try {
      text = canonicalize(
        createTrustPolicy(inputs, { threshold, predicateType: values["predicate-type"] }),
      ) + "\n";
    } catch (error) {
      if (error instanceof RangeError) throw new CliError(error.message);
      throw error;
    }
    if (out === undefined) {
      io.stdout(text);
      return 0;
    }
    await io.writeFile(out, text);
    if (values.json) io.stdout(text);
    return 0;
  },
};

async function readPublicKey(io: Io, path: string): Promise<PublicKey> {
  const bytes = await io.readFile(path);
  let key;
  try {
    key = await importKey(bytes, { name: path });
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    if (error instanceof TypeError) {
      throw new CliError(
        `Cannot trust "${path}": it is an encrypted private key; pass the public key`,
      );
    }
    throw error;
  }
  if (key.kind !== "public") {
    throw new CliError(
      `Cannot trust "${path}": it is a${
        key.kind === "private" ? " private key" : "n hmac secret"
      }; pass the public key (the .pub.pem file)`,
    );
  }
  return key;
}
