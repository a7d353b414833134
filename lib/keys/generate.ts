/**
 * Key generation for every algorithm of {@link KEY_ALGORITHMS}.
 *
 * - Ed25519 (RFC 8032 §5.1.5) and ECDSA P-256/P-384 (FIPS 186-5 §A.2): `@noble/curves` from
 *   `crypto.getRandomValues` (the platform CSPRNG).
 * - RSA (RFC 8017; e = 65537, 2048–4096 bits, default 3072): WebCrypto `generateKey`.
 * - HMAC-SHA256: 32 random bytes (the SHA-256 output length, RFC 2104 §3) unless asked otherwise.
 *
 * Key generation is the one place in `lib/keys/` that uses randomness; everything derived from
 * a key afterwards (key ids, exports, Ed25519 and RFC 6979 ECDSA signatures) is deterministic.
 *
 * @module
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import {
  checkEc,
  checkEd25519,
  checkHmac,
  curveOf,
  parsePkcs8,
  RSA_MAX_BITS,
  RSA_MIN_BITS,
} from "./_material.ts";
import { makePrivateKey, makeSecretKey } from "./_store.ts";
import { KEY_ALGORITHMS, type KeyAlgorithm, type PrivateKey, type SecretKey } from "./key.ts";

/** Options of {@link generateKeyPair}. */
export interface GenerateKeyPairOptions {
  /**
   * RSA modulus size in bits: a multiple of 8 from 2048 to 4096 (default 3072); HMAC secret size
   * in bits: a multiple of 8 from 128 to 32768 (default 256). Ignored by the other algorithms.
   */
  bits?: number | undefined;
}

/**
 * Generates a new key: a private key (its public half is `publicKey`) or, for `hmac`, a secret.
 *
 * @param algorithm One of {@link KEY_ALGORITHMS}; `rsa-pss` and `rsa-pkcs1` make the same kind of
 *   RSA key and differ only in its default signature algorithm.
 * @param options RSA or HMAC size.
 * @returns The new private or secret key.
 * @throws {TypeError} When `algorithm` is unknown.
 * @throws {RangeError} When `options.bits` is out of range.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.equal(key.kind, "private");
 * assert.equal(key.algorithm, "ed25519");
 * const secret = await generateKeyPair("hmac");
 * assert.equal(secret.kind, "secret");
 * assert.equal(secret.bits, 256);
 * ```
 */
export async function generateKeyPair(
  algorithm: KeyAlgorithm,
  options: GenerateKeyPairOptions = {},
): Promise<PrivateKey | SecretKey> {
  switch (algorithm) {
    case "ed25519": {
      const seed = ed25519.utils.randomSecretKey();
      return makePrivateKey(checkEd25519(undefined, seed, undefined));
    }
    case "ecdsa-p256":
    case "ecdsa-p384": {
      const type = algorithm;
      const scalar = curveOf(type).curve.utils.randomSecretKey();
      return makePrivateKey(checkEc(type, undefined, scalar, undefined));
    }
    case "rsa-pss":
    case "rsa-pkcs1": {
      const bits = options.bits ?? 3072;
      if (!Number.isInteger(bits) || bits % 8 !== 0 || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
        throw new RangeError(
          `Cannot generate an RSA key of ${bits} bits: use a multiple of 8 from ${RSA_MIN_BITS} to ${RSA_MAX_BITS}`,
        );
      }
      const pair = await crypto.subtle.generateKey(
        {
          name: algorithm === "rsa-pss" ? "RSA-PSS" : "RSASSA-PKCS1-v1_5",
          modulusLength: bits,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        },
        true,
        ["sign", "verify"],
      );
      const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
      const material = parsePkcs8(pkcs8);
      pkcs8.fill(0);
      return makePrivateKey(
        material,
        algorithm === "rsa-pss" ? "rsa-pss-sha256" : "rsa-pkcs1-sha256",
      );
    }
    case "hmac": {
      const bits = options.bits ?? 256;
      if (!Number.isInteger(bits) || bits % 8 !== 0 || bits < 128 || bits > 32768) {
        throw new RangeError(
          `Cannot generate an HMAC secret of ${bits} bits: use a multiple of 8 from 128 to 32768`,
        );
      }
      const secret = crypto.getRandomValues(new Uint8Array(bits / 8));
      const key = makeSecretKey(checkHmac(secret, undefined));
      secret.fill(0);
      return key;
    }
    default:
      throw new TypeError(
        `Cannot generate a key for "${String(algorithm)}": use one of ${KEY_ALGORITHMS.join(", ")}`,
      );
  }
}
