/**
 * `stella keys generate --algorithm A --out PREFIX`: makes a new key and writes `PREFIX.key.pem`
 * (PKCS#8 PEM, or for `hmac` the raw secret bytes; mode 0600) and `PREFIX.pub.pem` (SPKI PEM, none
 * for `hmac`), then prints the key id. Adapter over {@link generateKeyPair}.
 *
 * `--out DIR/` (a trailing slash) or an existing directory writes `DIR/stella.key.pem` and
 * `DIR/stella.pub.pem`, never hidden files. `--password-env VAR` writes the private key as an
 * encrypted PKCS#8 `ENCRYPTED PRIVATE KEY` ({@link encryptPkcs8}: PBES2, PBKDF2-HMAC-SHA256,
 * AES-256-CBC) that `openssl pkey -passin env:VAR` reads; the password comes from `$VAR`, or when
 * it is unset and standard input is a terminal, from a prompt (asked twice, without echo).
 *
 * Existing files are never overwritten without `--force`: both targets are checked before either
 * is written. Each file is written atomically (temporary file, then rename), the private key first.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { generateKeyPair } from "../lib/keys/generate.ts";
import { exportHmacSecret } from "../lib/keys/hmac_secret.ts";
import { exportPrivateKeyPem, exportPublicKeyPem } from "../lib/keys/key_pem.ts";
import { encryptPkcs8 } from "../lib/keys/pkcs8_encrypted.ts";
import { readPassword } from "./_password.ts";
import {
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type PrivateKey,
  type SecretKey,
} from "../lib/keys/key.ts";
import { expectPositionals, HELP_FLAG, parseCountFlag, parseStrict } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  algorithm: { type: "string" },
  out: { type: "string" },
  bits: { type: "string" },
  force: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  "password-env": { type: "string" },
} as const;

/** Base name of the key files when `--out` names a directory. */
const DIRECTORY_PREFIX = "stella";

/** File mode of private keys and HMAC secrets (owner read/write only). */
const PRIVATE_MODE = 0o600;
/** File mode of public keys. */
const PUBLIC_MODE = 0o644;

/** `stella keys generate --algorithm A --out PREFIX|DIR/ [--bits N] [--password-env VAR] [--force]`. */
export const keysGenerateCommand: Command = {
  path: ["keys", "generate"],
  summary: "Generate a key pair (PREFIX.key.pem, PREFIX.pub.pem) and print its key id",
  flags: FLAGS,
  help: `Usage: stella keys generate --algorithm ${KEY_ALGORITHMS.join("|")} --out PREFIX|DIR/
       [--bits N] [--password-env VAR] [--force] [--json]

Generates a new key and writes:
  PREFIX.key.pem  the private key as PKCS#8 PEM ("PRIVATE KEY"), file mode 0600; with
                  --password-env an encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY": PBES2,
                  PBKDF2-HMAC-SHA256, AES-256-CBC, as OpenSSL 3 writes); for hmac the raw
                  secret bytes (read it back with --format hmac / --key-format hmac)
  PREFIX.pub.pem  the public key as SubjectPublicKeyInfo PEM ("PUBLIC KEY"), mode 0644;
                  not written for hmac
and prints the key id (hex SHA-256 of the SPKI DER; for hmac a keyed digest of the secret).
When --out ends with "/" or names an existing directory, PREFIX is DIR/stella.

rsa-pss and rsa-pkcs1 make the same kind of RSA key: PKCS#8 does not record the signature
scheme, so pass "stella sign --algorithm rsa-pkcs1-sha256" to sign with PKCS#1 v1.5.

Flags:
  --algorithm A  ${KEY_ALGORITHMS.join(", ")}
  --out PREFIX   Path prefix of the files to write, or a directory (DIR/stella.key.pem)
  --bits N       RSA modulus size (2048-4096, default 3072) or HMAC secret size (default 256)
  --password-env VAR
                 Encrypt the private key with the password in $VAR (when unset and standard
                 input is a terminal, ask for it twice without echo); openssl pkey -passin
                 env:VAR reads the file. Passwords are never taken from argv
  --force        Overwrite existing files
  --json         Print {"algorithm", "keyid", "privateKey", "publicKey"?} (the files written) as
                 RFC 8785 canonical JSON instead of the key id

Exit status: 0 written; 2 could not run (bad flag, unknown algorithm, a file exists without
--force, no password, write error).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "", { min: 0, max: 0 });
    if (values.algorithm === undefined) {
      throw new CliError(`Missing --algorithm: use one of ${KEY_ALGORITHMS.join(", ")}`);
    }
    const algorithm = values.algorithm as KeyAlgorithm;
    if (!KEY_ALGORITHMS.includes(algorithm)) {
      throw new CliError(
        `Unknown --algorithm "${values.algorithm}": use one of ${KEY_ALGORITHMS.join(", ")}`,
      );
    }
    if (values.out === undefined || values.out === "") {
      throw new CliError("Missing --out PREFIX: the path prefix of the key files to write");
    }
    const bits = parseCountFlag("--bits", values.bits, 1, 999_999);
    const passwordEnv = values["password-env"];
    if (passwordEnv !== undefined && algorithm === "hmac") {
      throw new CliError(
        "Cannot encrypt an hmac secret: it is written as raw bytes; omit --password-env",
      );
    }
    const prefix = await outputPrefix(io, values.out);
    const privatePath = `${prefix}.key.pem`;
    const publicPath = `${prefix}.pub.pem`;
    const targets = algorithm === "hmac" ? [privatePath] : [privatePath, publicPath];
    if (!values.force) {
      for (const path of targets) {
        if ((await io.stat(path)) !== undefined) {
          throw new CliError(`Refusing to overwrite "${path}": it exists (pass --force)`);
        }
      }
    }
    const password = passwordEnv === undefined
      ? undefined
      : await readPassword(io, { variable: passwordEnv, path: privatePath, purpose: "encrypt" });
    let key: PrivateKey | SecretKey;
    try {
      key = await generateKeyPair(algorithm, { bits });
    } catch (error) {
      if (error instanceof RangeError) throw new CliError(error.message);
      throw error;
    }
    if (key.kind === "secret") {
      const secret = exportHmacSecret(key);
      try {
        await io.writeFile(privatePath, secret, { mode: PRIVATE_MODE });
      } finally {
        secret.fill(0);
      }
    } else {
      const pem = password === undefined
        ? exportPrivateKeyPem(key)
        : await encryptPkcs8(key, password);
      await io.writeFile(privatePath, pem, { mode: PRIVATE_MODE });
      await io.writeFile(publicPath, exportPublicKeyPem(key), { mode: PUBLIC_MODE });
    }
    io.stdout(
      values.json
        ? canonicalize({
          algorithm,
          keyid: key.keyid,
          privateKey: privatePath,
          ...(key.kind === "secret" ? {} : { publicKey: publicPath }),
        }) + "\n"
        : key.keyid + "\n",
    );
    return 0;
  },
};

/** The path prefix of the key files: `DIR/stella` for `DIR/` or an existing directory. */
async function outputPrefix(io: Io, out: string): Promise<string> {
  if (out.endsWith("/")) return `${out.replace(/\/+$/, "")}/${DIRECTORY_PREFIX}`;
  if ((await io.stat(out))?.isDirectory) return `${out}/${DIRECTORY_PREFIX}`;
  return out;
}
