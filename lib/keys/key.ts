/**
 * The key model: public, private and secret (HMAC) keys, their types, default signature
 * algorithms and key ids.
 *
 * Key objects are frozen plain objects. Their key material is not a property: it lives in a
 * module-private table and is reachable only through the `export*` functions of `lib/keys/` and
 * the signers of `lib/sign/`, so `console.log`, `JSON.stringify` or a report that embeds a key
 * never prints a secret. Only keys made by this module's import and generate functions are valid;
 * a copied or hand-made object is rejected with a `TypeError`.
 *
 * ## Key ids
 *
 * - Asymmetric keys (private keys report their public key's id): the lowercase hex SHA-256 of the
 *   DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) in its canonical encoding (the encoding this
 *   module writes; for any strictly valid DER input it equals the input bytes). This is the key
 *   id docs/architecture.md fixes. Cosign key files and cosign-written envelopes carry no key id (cosign
 *   leaves DSSE `keyid` empty), so there is nothing to match there; securesystemslib / in-toto
 *   key ids (a hash over a JSON key object, e.g. in the in-toto-golang vectors) are a different
 *   scheme and are treated as opaque hints by verifiers.
 * - HMAC secrets: `hex(HMAC-SHA256(secret, "stellaops/hmac-keyid/v1"))`. A plain
 *   `sha256(secret)` would publish an unkeyed hash of the secret, reusable as a check value
 *   against any other system that hashes the same secret. The keyed, domain-separated form
 *   reveals nothing beyond what any single signature already reveals (a MAC of a known message),
 *   and stays stable across runs. Callers may still pass their own `keyid` to a signer.
 *
 * @module
 */

import { encodeHex } from "../encoding/bytes.ts";
import { sha256 } from "../digest/digest.ts";

/**
 * Signature algorithms this toolkit signs and verifies with.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, SIGNATURE_ALGORITHMS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(SIGNATURE_ALGORITHMS.includes(key.algorithm));
 * ```
 */
export const SIGNATURE_ALGORITHMS = [
  "ed25519",
  "ecdsa-p256-sha256",
  "ecdsa-p384-sha384",
  "rsa-pss-sha256",
  "rsa-pkcs1-sha256",
  "hmac-sha256",
] as const;

/** One of {@link SIGNATURE_ALGORITHMS}. */
export type SignatureAlgorithm = typeof SIGNATURE_ALGORITHMS[number];

/**
 * Key types: what the key material is (RSA keys serve both RSA signature schemes).
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, KEY_TYPES } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(KEY_TYPES.includes(key.type));
 * ```
 */
export const KEY_TYPES = ["ed25519", "ecdsa-p256", "ecdsa-p384", "rsa", "hmac"] as const;

/** One of {@link KEY_TYPES}. */
export type KeyType = typeof KEY_TYPES[number];

/** Asymmetric key types (those with a public key). */
export type AsymmetricKeyType = Exclude<KeyType, "hmac">;

/**
 * Algorithms {@link generateKeyPair} (and `stella keys generate --algorithm`) accept: a key type,
 * with RSA split by the signature scheme the key is meant for.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, KEY_ALGORITHMS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.ok(KEY_ALGORITHMS.includes("ecdsa-p256"));
 * const key = await generateKeyPair("ecdsa-p256");
 * assert.equal(key.type, "ecdsa-p256");
 * ```
 */
export const KEY_ALGORITHMS = [
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "rsa-pss",
  "rsa-pkcs1",
  "hmac",
] as const;

/** One of {@link KEY_ALGORITHMS}. */
export type KeyAlgorithm = typeof KEY_ALGORITHMS[number];

/**
 * A public key (Ed25519, ECDSA P-256/P-384 or RSA 2048–4096 bits).
 *
 * @example Usage
 * ```ts
 * import { importKeyPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = importKeyPem(`-----BEGIN PUBLIC KEY-----
 * MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
 * -----END PUBLIC KEY-----`);
 * assert.equal(key.kind, "public");
 * assert.equal(key.type, "ed25519");
 * assert.match(key.keyid, /^[0-9a-f]{64}$/);
 * ```
 */
export interface PublicKey {
  /** Discriminator. */
  readonly kind: "public";
  /** Key type. */
  readonly type: AsymmetricKeyType;
  /** Key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly keyid: string;
  /** Default signature algorithm (RSA: chosen at import, default `rsa-pss-sha256`). */
  readonly algorithm: SignatureAlgorithm;
  /** Key size in bits (curve size, or the RSA modulus length). */
  readonly bits: number;
}

/**
 * A private key; `publicKey` is its public half and `keyid` is the public key's id.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * assert.equal(key.kind, "private");
 * if (key.kind === "private") assert.equal(key.keyid, key.publicKey.keyid);
 * // Only metadata is enumerable; the key material never shows up in logs or JSON.
 * assert.deepEqual(Object.keys(key).sort(), ["algorithm", "bits", "keyid", "kind", "publicKey", "type"]);
 * ```
 */
export interface PrivateKey {
  /** Discriminator. */
  readonly kind: "private";
  /** Key type. */
  readonly type: AsymmetricKeyType;
  /** Key id of the public half. */
  readonly keyid: string;
  /** Default signature algorithm. */
  readonly algorithm: SignatureAlgorithm;
  /** Key size in bits. */
  readonly bits: number;
  /** The matching public key. */
  readonly publicKey: PublicKey;
}

/**
 * A symmetric HMAC-SHA256 secret.
 *
 * @example Usage
 * ```ts
 * import { importHmacSecret } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = importHmacSecret(new Uint8Array(32).fill(7));
 * assert.equal(key.kind, "secret");
 * assert.equal(key.algorithm, "hmac-sha256");
 * ```
 */
export interface SecretKey {
  /** Discriminator. */
  readonly kind: "secret";
  /** Key type. */
  readonly type: "hmac";
  /** Key id: `hex(HMAC-SHA256(secret, "stellaops/hmac-keyid/v1"))`. */
  readonly keyid: string;
  /** Always `hmac-sha256`. */
  readonly algorithm: "hmac-sha256";
  /** Secret length in bits. */
  readonly bits: number;
}

/** Any key this toolkit handles. */
export type Key = PublicKey | PrivateKey | SecretKey;

/**
 * Computes the key id of a public key from its DER SubjectPublicKeyInfo.
 *
 * @param spki DER SubjectPublicKeyInfo bytes.
 * @returns Lowercase hex SHA-256 of `spki`.
 *
 * @example Usage
 * ```ts
 * import { computeKeyId, importKeyPem } from "@stellaops/provenance";
 * import { exportSpki } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = importKeyPem(`-----BEGIN PUBLIC KEY-----
 * MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
 * -----END PUBLIC KEY-----`);
 * assert.equal(computeKeyId(exportSpki(key)), key.keyid);
 * ```
 */
export function computeKeyId(spki: Uint8Array): string {
  return encodeHex(sha256(spki));
}

/**
 * Tells whether `value` is one of {@link SIGNATURE_ALGORITHMS}.
 *
 * @param value Any value.
 * @returns `true` for a supported signature algorithm name.
 *
 * @example Usage
 * ```ts
 * import { isSignatureAlgorithm } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * assert.equal(isSignatureAlgorithm("ed25519"), true);
 * assert.equal(isSignatureAlgorithm("rsa-sha1"), false);
 * ```
 */
export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly unknown[]).includes(value);
}

/**
 * Options shared by the key import functions.
 *
 * @example Usage
 * ```ts
 * import { type ImportKeyOptions, importKeyPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const pem = `-----BEGIN PUBLIC KEY-----
 * MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxAn6cnFIORvdlA0K5Zrn
 * BiF6pdqlBTlL8brU5TEFUME1+TaRT03rPuGVq9aiGDE3HMJbf1BfpAgejyvht/t7
 * 2HqEbQEK5vYt39pyr1KcJJcjGQLE71IlWG0YpITQJtV/RQ0OJNeYtDbgGBCgBj9c
 * VuhG+1WewTgZifmOKBcDO02xEo633eCPLSoD0NXUzF/fiNu4cifd2JrPoIgJG9Tg
 * THu3u7iwuGln6TthMoxTUDW76dwmHYYXPkyXis6Q3wMyIPUheyIg3raYtGuPazA0
 * JZaiXTNgDv+bwc8GpmyQ75G/I6GimegwrSgzbe1VLG2zNsF4K+ElN3vraLVnTJGV
 * SwIDAQAB
 * -----END PUBLIC KEY-----
 * `;
 * const options: ImportKeyOptions = { name: "cosign.pub", algorithm: "rsa-pkcs1-sha256" };
 * assert.equal(importKeyPem(pem).algorithm, "rsa-pss-sha256"); // the RSA default
 * assert.equal(importKeyPem(pem, options).algorithm, "rsa-pkcs1-sha256");
 * assert.throws(() => importKeyPem(pem.replace("MIIB", "MIIC"), options), {
 *   code: "KEY_INVALID",
 *   message: /^Cannot import key "cosign\.pub": /,
 * });
 * ```
 */
export interface ImportKeyOptions {
  /** Name of the input (e.g. a file name), used in error messages. */
  name?: string | undefined;
  /**
   * Default signature algorithm of the key. Only RSA keys have a choice (`rsa-pss-sha256`, the
   * default, or `rsa-pkcs1-sha256`); for other keys it must match the key type.
   */
  algorithm?: SignatureAlgorithm | undefined;
}
