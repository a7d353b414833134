/**
 * Cosign's password-encrypted private key (`ENCRYPTED SIGSTORE PRIVATE KEY`; the older
 * `ENCRYPTED COSIGN PRIVATE KEY` label is read too), as written by `cosign generate-key-pair`
 * (sigstore/cosign `pkg/cosign/keys.go`, which uses secure-systems-lab/go-securesystemslib
 * `encrypted`):
 *
 * - PEM body = the JSON document
 *   `{"kdf":{"name":"scrypt","params":{"N":…,"r":…,"p":…},"salt":b64},"cipher":{"name":"nacl/secretbox","nonce":b64},"ciphertext":b64}`
 *   (standard padded base64 for the byte fields; unknown members are ignored, as cosign does).
 * - key = scrypt(password, salt, N, r, p, 32) (RFC 7914), via `node:crypto`'s scrypt (measured
 *   ~1.3× faster than `@noble/hashes` here, and it runs off the main thread).
 * - plaintext = NaCl `secretbox.Open` (XSalsa20-Poly1305, `ciphertext = tag ‖ data`;
 *   `@noble/ciphers` through `_secretbox.ts`), which must be a PKCS#8 private key, as cosign
 *   requires: a SEC1 plaintext (cosign's `pemcosigneckey` fixture) is refused like cosign refuses
 *   it.
 *
 * The password is always passed in by the caller (the CLI reads `COSIGN_PASSWORD` or
 * `--password-env`); this module never reads the environment. A wrong password (or a tampered
 * file) fails authentication and throws `KEY_DECRYPTION_FAILED`; messages never contain the
 * password or key material. scrypt parameters are bounded (N a power of two up to 2^20, r ≤ 32,
 * p ≤ 16, at most 256 MiB of memory) so a hostile file cannot exhaust the machine.
 *
 * Encryption writes the current label and cosign's defaults (N = 32768, r = 8, p = 1, 32-byte
 * salt, 24-byte nonce, both random unless given) with the JSON members in cosign's order, so
 * cosign reads the result.
 *
 * @module
 */

import { encodeBase64, encodeUtf8 } from "../encoding/bytes.ts";
import { encodePem } from "../encoding/pem.ts";
import { ParseError } from "../encoding/errors.ts";
import { secretboxSeal } from "./_secretbox.ts";
import { invalidKey, parseEcPrivateKey, parsePkcs8 } from "./_material.ts";
import { makePrivateKey, pkcs8Of } from "./_store.ts";
import {
  COSIGN_PRIVATE_KEY_LABEL,
  decryptCosignKeyBytes,
  deriveKey,
  passwordBytes,
} from "./_cosign_box.ts";
import type { ImportKeyOptions, PrivateKey } from "./key.ts";

export { COSIGN_LEGACY_PRIVATE_KEY_LABEL, COSIGN_PRIVATE_KEY_LABEL } from "./_cosign_box.ts";

/**
 * Decrypts a cosign encrypted private key.
 *
 * @param text The PEM text (`ENCRYPTED SIGSTORE PRIVATE KEY` or `ENCRYPTED COSIGN PRIVATE KEY`).
 * @param password The password (a string is UTF-8 encoded; the empty password is allowed).
 * @param options Input name and default algorithm.
 * @returns The private key.
 * @throws {ParseError} `KEY_DECRYPTION_FAILED` for a wrong password or a tampered file;
 *   `KEY_INVALID` for a malformed document or a plaintext that is not PKCS#8;
 *   `KEY_UNSUPPORTED` for another KDF, cipher, excessive scrypt cost, or an unsupported key;
 *   `PEM_*` for malformed armor.
 * @throws {TypeError} When the password is not a string or bytes.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { decryptCosignKey, encryptCosignKey } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const pem = await encryptCosignKey(key, "hello", { scryptN: 1024 });
 * assert.equal((await decryptCosignKey(pem, "hello")).keyid, key.keyid);
 * await assert.rejects(decryptCosignKey(pem, "wrong"), { code: "KEY_DECRYPTION_FAILED" });
 * ```
 */
export async function decryptCosignKey(
  text: string,
  password: string | Uint8Array,
  options: ImportKeyOptions = {},
): Promise<PrivateKey> {
  const plaintext = await decryptCosignKeyBytes(text, password, options.name);
  try {
    return makePrivateKey(parsePkcs8(plaintext, options.name), options.algorithm);
  } catch (error) {
    if (error instanceof ParseError && error.code === "KEY_INVALID" && isSec1(plaintext)) {
      throw invalidKey(
        options.name,
        "the decrypted key is SEC1 (EC PRIVATE KEY), but cosign keys must hold PKCS#8",
      );
    }
    throw error;
  } finally {
    plaintext.fill(0);
  }
}

function isSec1(der: Uint8Array): boolean {
  try {
    parseEcPrivateKey(der);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link encryptCosignKey}. */
export interface EncryptCosignKeyOptions {
  /** scrypt cost N (a power of two, 2–2^20); default 32768 as cosign. */
  scryptN?: number | undefined;
  /** 32-byte salt; default random. Pass one only for reproducible test fixtures. */
  salt?: Uint8Array | undefined;
  /** 24-byte nonce; default random. Never reuse a nonce with the same password and salt. */
  nonce?: Uint8Array | undefined;
}

/**
 * Encrypts a private key in cosign's format (`ENCRYPTED SIGSTORE PRIVATE KEY`), readable by
 * `cosign sign --key`.
 *
 * @param key The private key (stored as PKCS#8, as cosign expects).
 * @param password The password (a string is UTF-8 encoded).
 * @param options scrypt cost, and a fixed salt and nonce for reproducible fixtures.
 * @returns The PEM text.
 * @throws {TypeError} When `key` is not a private key made by this toolkit.
 * @throws {RangeError} When the scrypt cost, salt or nonce is out of range.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { encryptCosignKey } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const pem = await encryptCosignKey(key, "hello", { scryptN: 1024 });
 * assert.match(pem, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
 * ```
 */
export async function encryptCosignKey(
  key: PrivateKey,
  password: string | Uint8Array,
  options: EncryptCosignKeyOptions = {},
): Promise<string> {
  if (key?.kind !== "private") throw new TypeError("Pass a private key to encryptCosignKey");
  const pass = passwordBytes(password);
  const N = options.scryptN ?? 32768;
  if (!Number.isSafeInteger(N) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0) {
    throw new RangeError(`Cannot use scrypt N=${N}: use a power of two from 2 to 2^20`);
  }
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(32));
  const nonce = options.nonce ?? crypto.getRandomValues(new Uint8Array(24));
  if (salt.length < 16) throw new RangeError("Cannot use a salt shorter than 16 bytes");
  if (nonce.length !== 24) throw new RangeError("Cannot use a nonce that is not 24 bytes");
  const secret = await deriveKey(pass, salt, { N, r: 8, p: 1 });
  const pkcs8 = pkcs8Of(key);
  const box = secretboxSeal(pkcs8, nonce, secret);
  secret.fill(0);
  pkcs8.fill(0);
  const doc = {
    kdf: { name: "scrypt", params: { N, r: 8, p: 1 }, salt: encodeBase64(salt) },
    cipher: { name: "nacl/secretbox", nonce: encodeBase64(nonce) },
    ciphertext: encodeBase64(box),
  };
  return encodePem(COSIGN_PRIVATE_KEY_LABEL, encodeUtf8(JSON.stringify(doc)));
}
