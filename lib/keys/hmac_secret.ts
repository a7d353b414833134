/**
 * Raw HMAC-SHA256 secrets (RFC 2104; keyed with SHA-256 per RFC 4231 / FIPS 198-1).
 *
 * A secret is imported from its raw bytes (what `stella keys generate --algorithm hmac` writes);
 * it must be 16–4096 bytes (RFC 2104 §3 recommends at least the hash output length, 32 bytes,
 * which is what {@link generateKeyPair} makes; 16 is the floor so truncated-output test suites and
 * legacy 128-bit keys still load). Its key id is keyed and domain-separated (see `key.ts`).
 *
 * @module
 */

import { checkHmac } from "./_material.ts";
import { makeSecretKey, materialOf } from "./_store.ts";
import type { SecretKey } from "./key.ts";

/**
 * Imports a raw HMAC-SHA256 secret.
 *
 * @param secret The secret bytes (16–4096 bytes); they are copied.
 * @param options Input name for error messages.
 * @returns The secret key.
 * @throws {ParseError} `KEY_UNSUPPORTED` when the secret is shorter than 16 or longer than 4096 bytes.
 *
 * @example Usage
 * ```ts
 * import { importHmacSecret } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = importHmacSecret(new TextEncoder().encode("0123456789abcdef0123456789abcdef"));
 * assert.equal(key.bits, 256);
 * assert.match(key.keyid, /^[0-9a-f]{64}$/);
 * assert.throws(() => importHmacSecret(new Uint8Array(8)), { code: "KEY_UNSUPPORTED" });
 * ```
 */
export function importHmacSecret(
  secret: Uint8Array,
  options: { name?: string | undefined } = {},
): SecretKey {
  if (!(secret instanceof Uint8Array)) throw new TypeError("Pass the HMAC secret as a Uint8Array");
  return makeSecretKey(checkHmac(secret, options.name));
}

/**
 * Exports the raw bytes of an HMAC secret.
 *
 * @param key A secret key.
 * @returns A copy of the secret bytes (treat them as secret).
 * @throws {TypeError} When `key` is not an HMAC secret made by this toolkit.
 *
 * @example Usage
 * ```ts
 * import { exportHmacSecret, importHmacSecret } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const secret = new Uint8Array(32).fill(1);
 * assert.deepEqual(exportHmacSecret(importHmacSecret(secret)), secret);
 * ```
 */
export function exportHmacSecret(key: SecretKey): Uint8Array<ArrayBuffer> {
  const material = materialOf(key);
  if (material.type !== "hmac") throw new TypeError("Pass an HMAC secret key");
  return material.secret.slice();
}
