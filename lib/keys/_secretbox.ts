/**
 * NaCl `crypto_secretbox` (XSalsa20-Poly1305), the cipher of cosign's encrypted private keys.
 *
 * Neither `@noble/hashes` nor the platform (WebCrypto, `node:crypto` in Deno) offers Salsa20 or
 * Poly1305, so both are implemented here from their specifications:
 * - Salsa20/20 core and stream: D. J. Bernstein, "The Salsa20 family of stream ciphers" (2008),
 *   §2–§4; HSalsa20 and XSalsa20: D. J. Bernstein, "Extending the Salsa20 nonce" (2011), §2.
 * - Poly1305: RFC 8439 §2.5 (radix-2^8 limbs as in TweetNaCl, so the arithmetic is branch-free
 *   and never exceeds 2^32).
 * - secretbox: NaCl `crypto_secretbox`: subkey = HSalsa20(key, nonce[0..16]); the first 32 bytes
 *   of the XSalsa20 stream are the Poly1305 key; the message is XORed with the stream from byte
 *   32; the box is `tag(16) ‖ ciphertext` (libsodium's `crypto_secretbox_easy` layout, which Go's
 *   `golang.org/x/crypto/nacl/secretbox` also uses).
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { timingSafeEqual } from "../encoding/bytes.ts";

/** Key length in bytes. */
export const SECRETBOX_KEY_LENGTH = 32;
/** Nonce length in bytes. */
export const SECRETBOX_NONCE_LENGTH = 24;
/** Authentication tag length in bytes. */
export const SECRETBOX_TAG_LENGTH = 16;

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

function load32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) |
    (bytes[offset + 3]! << 24)) >>> 0;
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** Runs 20 Salsa20 rounds over `x` in place. */
function salsaRounds(x: Uint32Array): void {
  for (let i = 0; i < 20; i += 2) {
    // Column round.
    x[4]! ^= rotl((x[0]! + x[12]!) | 0, 7);
    x[8]! ^= rotl((x[4]! + x[0]!) | 0, 9);
    x[12]! ^= rotl((x[8]! + x[4]!) | 0, 13);
    x[0]! ^= rotl((x[12]! + x[8]!) | 0, 18);
    x[9]! ^= rotl((x[5]! + x[1]!) | 0, 7);
    x[13]! ^= rotl((x[9]! + x[5]!) | 0, 9);
    x[1]! ^= rotl((x[13]! + x[9]!) | 0, 13);
    x[5]! ^= rotl((x[1]! + x[13]!) | 0, 18);
    x[14]! ^= rotl((x[10]! + x[6]!) | 0, 7);
    x[2]! ^= rotl((x[14]! + x[10]!) | 0, 9);
    x[6]! ^= rotl((x[2]! + x[14]!) | 0, 13);
    x[10]! ^= rotl((x[6]! + x[2]!) | 0, 18);
    x[3]! ^= rotl((x[15]! + x[11]!) | 0, 7);
    x[7]! ^= rotl((x[3]! + x[15]!) | 0, 9);
    x[11]! ^= rotl((x[7]! + x[3]!) | 0, 13);
    x[15]! ^= rotl((x[11]! + x[7]!) | 0, 18);
    // Row round.
    x[1]! ^= rotl((x[0]! + x[3]!) | 0, 7);
    x[2]! ^= rotl((x[1]! + x[0]!) | 0, 9);
    x[3]! ^= rotl((x[2]! + x[1]!) | 0, 13);
    x[0]! ^= rotl((x[3]! + x[2]!) | 0, 18);
    x[6]! ^= rotl((x[5]! + x[4]!) | 0, 7);
    x[7]! ^= rotl((x[6]! + x[5]!) | 0, 9);
    x[4]! ^= rotl((x[7]! + x[6]!) | 0, 13);
    x[5]! ^= rotl((x[4]! + x[7]!) | 0, 18);
    x[11]! ^= rotl((x[10]! + x[9]!) | 0, 7);
    x[8]! ^= rotl((x[11]! + x[10]!) | 0, 9);
    x[9]! ^= rotl((x[8]! + x[11]!) | 0, 13);
    x[10]! ^= rotl((x[9]! + x[8]!) | 0, 18);
    x[12]! ^= rotl((x[15]! + x[14]!) | 0, 7);
    x[13]! ^= rotl((x[12]! + x[15]!) | 0, 9);
    x[14]! ^= rotl((x[13]! + x[12]!) | 0, 13);
    x[15]! ^= rotl((x[14]! + x[13]!) | 0, 18);
  }
}

/** The Salsa20 input matrix for a 32-byte key and 16 bytes at words 6–9 (nonce ‖ counter). */
function initialState(key: Uint8Array, input16: Uint8Array): Uint32Array {
  const s = new Uint32Array(16);
  s[0] = SIGMA[0];
  s[5] = SIGMA[1];
  s[10] = SIGMA[2];
  s[15] = SIGMA[3];
  for (let i = 0; i < 4; i++) {
    s[1 + i] = load32(key, 4 * i);
    s[11 + i] = load32(key, 16 + 4 * i);
    s[6 + i] = load32(input16, 4 * i);
  }
  return s;
}

/**
 * HSalsa20: derives a 32-byte subkey from a key and a 16-byte input (XSalsa20 paper §2).
 *
 * @param key 32-byte key.
 * @param input 16-byte input (the first 16 nonce bytes).
 * @returns The 32-byte subkey.
 */
export function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array<ArrayBuffer> {
  const x = initialState(key, input);
  salsaRounds(x);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  const words = [x[0]!, x[5]!, x[10]!, x[15]!, x[6]!, x[7]!, x[8]!, x[9]!];
  words.forEach((word, i) => view.setUint32(4 * i, word, true));
  return out;
}

/**
 * XSalsa20 stream XOR: `data` XORed with the keystream for `key` and a 24-byte `nonce`, starting
 * at keystream byte 0.
 *
 * @param key 32-byte key.
 * @param nonce 24-byte nonce.
 * @param data Bytes to encrypt or decrypt.
 * @returns A new array.
 */
export function xsalsa20Xor(
  key: Uint8Array,
  nonce: Uint8Array,
  data: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const subkey = hsalsa20(key, nonce.subarray(0, 16));
  const input = new Uint8Array(16);
  input.set(nonce.subarray(16, 24), 0);
  const state = initialState(subkey, input);
  const x = new Uint32Array(16);
  const block = new Uint8Array(64);
  const blockView = new DataView(block.buffer);
  const out = new Uint8Array(data.length);
  for (let offset = 0; offset < data.length; offset += 64) {
    x.set(state);
    salsaRounds(x);
    for (let i = 0; i < 16; i++) blockView.setUint32(4 * i, (x[i]! + state[i]!) >>> 0, true);
    const n = Math.min(64, data.length - offset);
    for (let i = 0; i < n; i++) out[offset + i] = data[offset + i]! ^ block[i]!;
    // 64-bit little-endian block counter in words 8 and 9.
    state[8] = (state[8]! + 1) >>> 0;
    if (state[8] === 0) state[9] = (state[9]! + 1) >>> 0;
  }
  return out;
}

function add1305(h: Uint32Array, c: ArrayLike<number>): void {
  let u = 0;
  for (let j = 0; j < 17; j++) {
    u += h[j]! + c[j]!;
    h[j] = u & 255;
    u >>>= 8;
  }
}

const MINUS_P = [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 252] as const;

/**
 * Poly1305 one-time authenticator (RFC 8439 §2.5).
 *
 * @param key 32-byte one-time key (r ‖ s).
 * @param message Message to authenticate.
 * @returns The 16-byte tag.
 */
export function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array<ArrayBuffer> {
  const r = new Uint32Array(17);
  const h = new Uint32Array(17);
  const c = new Uint32Array(17);
  const x = new Uint32Array(17);
  const g = new Uint32Array(17);
  for (let j = 0; j < 16; j++) r[j] = key[j]!;
  // Clamp r (RFC 8439 §2.5.1).
  r[3]! &= 15;
  r[4]! &= 252;
  r[7]! &= 15;
  r[8]! &= 252;
  r[11]! &= 15;
  r[12]! &= 252;
  r[15]! &= 15;
  let offset = 0;
  while (offset < message.length) {
    c.fill(0);
    const n = Math.min(16, message.length - offset);
    for (let j = 0; j < n; j++) c[j] = message[offset + j]!;
    c[n] = 1;
    offset += n;
    add1305(h, c);
    // h *= r (mod 2^130 - 5), schoolbook with the 2^136 ≡ 320 (mod p) wrap-around.
    for (let i = 0; i < 17; i++) {
      let sum = 0;
      for (let j = 0; j < 17; j++) sum += h[j]! * (j <= i ? r[i - j]! : 320 * r[i + 17 - j]!);
      x[i] = sum;
    }
    h.set(x);
    let u = 0;
    for (let j = 0; j < 16; j++) {
      u += h[j]!;
      h[j] = u & 255;
      u >>>= 8;
    }
    u += h[16]!;
    h[16] = u & 3;
    u = 5 * (u >>> 2);
    for (let j = 0; j < 16; j++) {
      u += h[j]!;
      h[j] = u & 255;
      u >>>= 8;
    }
    u += h[16]!;
    h[16] = u;
  }
  // Final reduction: subtract p when h >= p, without branching on secret data.
  g.set(h);
  add1305(h, MINUS_P);
  const mask = -((h[16]! >>> 7) & 1);
  for (let j = 0; j < 17; j++) h[j] = h[j]! ^ (mask & (g[j]! ^ h[j]!));
  for (let j = 0; j < 16; j++) c[j] = key[j + 16]!;
  c[16] = 0;
  add1305(h, c);
  const tag = new Uint8Array(16);
  for (let j = 0; j < 16; j++) tag[j] = h[j]!;
  return tag;
}

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
  const padded = new Uint8Array(32 + message.length);
  padded.set(message, 32);
  const stream = xsalsa20Xor(key, nonce, padded);
  const ciphertext = stream.subarray(32);
  const tag = poly1305(stream.subarray(0, 32), ciphertext);
  const out = new Uint8Array(SECRETBOX_TAG_LENGTH + ciphertext.length);
  out.set(tag, 0);
  out.set(ciphertext, SECRETBOX_TAG_LENGTH);
  stream.fill(0, 0, 32);
  return out;
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
  const ciphertext = box.subarray(SECRETBOX_TAG_LENGTH);
  const padded = new Uint8Array(32 + ciphertext.length);
  padded.set(ciphertext, 32);
  const stream = xsalsa20Xor(key, nonce, padded);
  const expected = poly1305(stream.subarray(0, 32), ciphertext);
  if (!timingSafeEqual(expected, box.subarray(0, SECRETBOX_TAG_LENGTH))) {
    stream.fill(0);
    return undefined;
  }
  return stream.slice(32);
}
