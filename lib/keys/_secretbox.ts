/**
 * NaCl `crypto_secretbox` (XSalsa20-Poly1305), the cipher of cosign's encrypted private keys.
 *
 * Neither `@noble/hashes` nor the platform (WebCrypto, `node:crypto` in Deno) offers Salsa20 or
 * Poly1305, so the cipher comes from `@noble/ciphers` (audited, constant-time, by the author of
 * our other `@noble` dependencies): `xsalsa20poly1305` is NaCl `crypto_secretbox` (subkey =
 * HSalsa20(key, nonce[0..16]); the first 32 bytes of the XSalsa20 stream are the Poly1305 key),
 * and its output is `tag(16) ‖ ciphertext`, libsodium's `crypto_secretbox_easy` layout, which
 * Go's `golang.org/x/crypto/nacl/secretbox` also uses. This module pins the lengths and turns an
 * authentication failure into `undefined`.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";

/** Key length in bytes. */
export const SECRETBOX_KEY_LENGTH = 32;
/** Nonce length in bytes. */
export const SECRETBOX_NONCE_LENGTH = 24;
/** Authentication tag length in bytes. */
export const SECRETBOX_TAG_LENGTH = 16;

function checkLengths(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== SECRETBOX_KEY_LENGTH) {
    throw new RangeError(`Cannot use secretbox key: expected 32 bytes, got ${key.length}`);
  }
  if (nonce.length !== SECRETBOX_NONCE_LENGTH) {
    throw new RangeError(`Cannot use secretbox nonce: expected 24 bytes, got ${nonce.length}`);
  }
}

/**
 * Encrypts and authenticates `message` (NaCl `crypto_secretbox_easy`).
 *
 * @param message Plaintext.
 * @param nonce 24-byte nonce, never reused with the same key.
 * @param key 32-byte key.
 * @returns `tag(16) ‖ ciphertext`.
 * @throws {RangeError} When the key or nonce has the wrong length.
 */
export function secretboxSeal(
  message: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array<ArrayBuffer> {
  checkLengths(key, nonce);
  return Uint8Array.from(xsalsa20poly1305(key, nonce).encrypt(message));
}

/**
 * Verifies and decrypts a box made by {@link secretboxSeal} (NaCl `crypto_secretbox_open_easy`).
 *
 * @param box `tag(16) ‖ ciphertext`.
 * @param nonce 24-byte nonce.
 * @param key 32-byte key.
 * @returns The plaintext, or `undefined` when authentication fails (wrong key or tampered box).
 * @throws {RangeError} When the key or nonce has the wrong length.
 */
export function secretboxOpen(
  box: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  checkLengths(key, nonce);
  if (box.length < SECRETBOX_TAG_LENGTH) return undefined;
  let plaintext: Uint8Array;
  try {
    // The lengths are checked above, so the only failure left is the tag comparison
    // (constant-time in @noble/ciphers).
    plaintext = xsalsa20poly1305(key, nonce).decrypt(box);
  } catch {
    return undefined;
  }
  return Uint8Array.from(plaintext);
}
