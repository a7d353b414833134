/**
 * Key-file loading shared by the commands that sign (`sign`, `attest *`, `kit build`) or name keys
 * (`keys id`, `forensic verify --key`). Passwords of encrypted keys (cosign's `ENCRYPTED SIGSTORE
 * PRIVATE KEY` and PKCS#8 `ENCRYPTED PRIVATE KEY`, PEM or DER) come from an environment variable
 * (`--password-env NAME`, default `COSIGN_PASSWORD`) or, when it is unset and standard input is a
 * terminal, from a prompt without echo; never from argv. A wrong password is exit 2.
 *
 * @module
 */

import { ParseError } from "../lib/encoding/errors.ts";
import type { Key, SignatureAlgorithm } from "../lib/keys/key.ts";
import { importKey, type KeyFormat } from "../lib/keys/import_key.ts";
import { createSigner } from "../lib/crypto/local_signer.ts";
import type { Signer } from "../lib/crypto/signer.ts";
import { type TrustedKey, trustedKeyFromPem } from "../lib/verify/trust_policy.ts";
import { isEncryptedPkcs8 } from "../lib/keys/pkcs8_encrypted.ts";
import { CliError, type Io } from "./_io.ts";
import { readTrustedKeyPem } from "./_trusted_key.ts";
import { readPassword } from "./_password.ts";

/** Default environment variable holding the password of a cosign encrypted key. */
export const DEFAULT_PASSWORD_ENV = "COSIGN_PASSWORD";

/** Options for {@link loadKey}. */
export interface LoadKeyOptions {
  /** Environment variable with the password of an encrypted key. */
  passwordEnv?: string | undefined;
  /** Key file format (default auto-detect; raw HMAC secrets need `hmac`). */
  format?: KeyFormat | undefined;
}

function isEncryptedKey(bytes: Uint8Array, format: KeyFormat | undefined): boolean {
  if (format === "hmac") return false;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /-----BEGIN ENCRYPTED (SIGSTORE |COSIGN )?PRIVATE KEY-----/.test(head) ||
    (format !== "pem" && format !== "jwk" && isEncryptedPkcs8(bytes));
}

/**
 * Reads and imports a key file. Malformed keys surface as the library's `ParseError` (the caller
 * decides between exit 1 and 2); a missing or wrong password is a CliError (exit 2).
 */
export async function loadKey(io: Io, path: string, options: LoadKeyOptions = {}): Promise<Key> {
  const bytes = await io.readFile(path);
  let password: string | undefined;
  if (isEncryptedKey(bytes, options.format)) {
    const variable = options.passwordEnv ?? DEFAULT_PASSWORD_ENV;
    password = await readPassword(io, { variable, path, purpose: "decrypt" });
  }
  try {
    return await importKey(bytes, { name: path, password, format: options.format });
  } catch (error) {
    if (error instanceof ParseError && error.code === "KEY_DECRYPTION_FAILED") {
      throw new CliError(error.message);
    }
    throw error;
  }
}

/**
 * Loads a private key or HMAC secret and makes a {@link Signer} of it. Every problem with the key
 * (malformed, wrong password, a public key, an algorithm it cannot sign with) is a CliError: the
 * key is configuration (exit 2).
 */
export async function loadSigner(
  io: Io,
  path: string,
  options: LoadKeyOptions & { algorithm?: SignatureAlgorithm | undefined } = {},
): Promise<Signer> {
  let key: Key;
  try {
    key = await loadKey(io, path, options);
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    throw error;
  }
  if (key.kind === "public") {
    throw new CliError(`Cannot sign with "${path}": it is a public key; pass the private key`);
  }
  try {
    return createSigner(key, { algorithm: options.algorithm });
  } catch (error) {
    // The message names the algorithm and the key type ("Cannot sign with ... using a ... key").
    if (error instanceof TypeError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Loads `--key` files as trusted keys (the CLI's one-entry trust policy per key): ECDSA accepts
 * DER and P1363 signatures, RSA accepts PSS and PKCS#1 v1.5.
 */
export async function loadTrustedKeys(io: Io, paths: readonly string[]): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const path of paths) {
    const text = await readTrustedKeyPem(io, path);
    keys.push(trustedKeyFromPem(text, { name: path, signatureEncoding: "any" }));
  }
  return keys;
}
