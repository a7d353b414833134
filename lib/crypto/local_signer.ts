/**
 * Local signers: sign bytes with a private key or HMAC secret held in memory.
 *
 * | algorithm | implementation | output |
 * | --- | --- | --- |
 * | `ed25519` | `node:crypto` (RFC 8032 §5.1.6; deterministic by construction) | 64 bytes |
 * | `ecdsa-p256-sha256`, `ecdsa-p384-sha384` | `@noble/curves` with RFC 6979 §3.2 deterministic nonces, no extra entropy, no low-S normalisation (the pure RFC 6979 output, byte-identical to the RFC 6979 §A.2.5/§A.2.6 vectors) | ASN.1 DER (RFC 3279 §2.2.3), or P1363 `r ‖ s` on request |
 * | `rsa-pss-sha256` | `node:crypto`: RFC 8017 §8.1 RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 bytes | modulus length |
 * | `rsa-pkcs1-sha256` | `node:crypto`: RFC 8017 §8.2 RSASSA-PKCS1-v1_5, SHA-256 | modulus length |
 * | `hmac-sha256` | `node:crypto` HMAC (RFC 2104) | 32 bytes |
 *
 * Why these (`deno bench --cached-only bench/sign_bench.ts`, 1 KiB message, best-case rates on a
 * 2-core x86-64 runner): `node:crypto` (Rust-backed in Deno) signs Ed25519 ~1.6× faster than
 * WebCrypto and ~25× faster than `@noble/curves`, HMAC ~2.5× faster than WebCrypto, and RSA on
 * par with WebCrypto. For ECDSA neither platform API promises deterministic nonces, so
 * `@noble/curves` (audited, constant-time, RFC 6979) signs; it is also ~2× (P-256) and ~4×
 * (P-384) faster than WebCrypto here. Against Node.js/OpenSSL (`bench/sign_compare.ts`) we are
 * faster for Ed25519 and P-384 signing and slower for P-256 (OpenSSL's assembly P-256), RSA and
 * HMAC. RSA private-key operations in Deno use the RustCrypto `rsa` crate (under both WebCrypto
 * and `node:crypto`), which is not constant-time (RUSTSEC-2023-0071, "Marvin"; no fixed release
 * at the time of writing). Local signing on an uncompromised machine is fine; do not expose an RSA
 * signer where an attacker can time many signatures (prefer Ed25519 or ECDSA there).
 *
 * Every signer is deterministic except RSA-PSS (random salt, as RFC 8017 requires).
 *
 * @module
 */

import {
  constants,
  createHmac,
  createPrivateKey,
  type KeyObject,
  sign as nodeSign,
} from "node:crypto";
import { Buffer } from "node:buffer";
import { curveOf, materialOf, pkcs8Of } from "../keys/raw_key.ts";
import type { PrivateKey, SecretKey, SignatureAlgorithm } from "../keys/key.ts";
import { p1363ToDer } from "./ecdsa_signature.ts";
import type { Signer } from "./signer.ts";

/**
 * ECDSA signature encodings: ASN.1 DER (default) or IEEE P1363 `r ‖ s`.
 *
 * @example Usage
 * ```ts
 * import { ECDSA_SIGNATURE_FORMATS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...ECDSA_SIGNATURE_FORMATS], ["der", "p1363"]);
 * ```
 */
export const ECDSA_SIGNATURE_FORMATS = ["der", "p1363"] as const;

/** One of {@link ECDSA_SIGNATURE_FORMATS}. */
export type EcdsaSignatureFormat = typeof ECDSA_SIGNATURE_FORMATS[number];

/** RSA-PSS salt length this toolkit signs with (the SHA-256 output length, as securesystemslib does). */
export const RSA_PSS_SALT_LENGTH = 32;

/** Options of {@link createSigner}. */
export interface CreateSignerOptions {
  /** Signature algorithm; default the key's `algorithm`. RSA keys may pick PSS or PKCS#1 v1.5. */
  algorithm?: SignatureAlgorithm | undefined;
  /** Key id the signer reports (and `signEnvelope` writes); default the key's `keyid`. */
  keyid?: string | undefined;
  /** ECDSA output encoding: `der` (default, as cosign writes) or `p1363`. */
  ecdsaSignatureFormat?: EcdsaSignatureFormat | undefined;
}

function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.length);
  out.set(data);
  return out;
}

function checkData(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError("Pass the data to sign as a Uint8Array");
}

function resolveAlgorithm(
  key: PrivateKey | SecretKey,
  requested: SignatureAlgorithm | undefined,
): SignatureAlgorithm {
  if (requested === undefined || requested === key.algorithm) return key.algorithm;
  if (key.type === "rsa" && (requested === "rsa-pss-sha256" || requested === "rsa-pkcs1-sha256")) {
    return requested;
  }
  throw new TypeError(`Cannot sign with "${requested}" using a ${key.type} key`);
}

/**
 * Creates a local {@link Signer} for a private key or HMAC secret.
 *
 * @param key A private key or HMAC secret made by this toolkit.
 * @param options Algorithm (RSA: PSS or PKCS#1 v1.5), reported key id, ECDSA output encoding.
 * @returns The signer; `sign(data)` resolves to the signature bytes.
 * @throws {TypeError} When `key` is a public key or not made by this toolkit, or the algorithm
 *   does not fit the key.
 *
 * @example Usage
 * ```ts
 * import { createSigner, generateKeyPair } from "@stellaops/provenance";
 * import { createVerifier } from "@stellaops/provenance/crypto";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * const signer = createSigner(key);
 * const data = new TextEncoder().encode("hello");
 * const signature = await signer.sign(data);
 * assert.equal(signature[0], 0x30); // ASN.1 DER SEQUENCE
 * assert.deepEqual(await signer.sign(data), signature); // RFC 6979: deterministic
 * assert.equal(await createVerifier(key).verify(data, signature), true);
 * ```
 */
export function createSigner(
  key: PrivateKey | SecretKey,
  options: CreateSignerOptions = {},
): Signer {
  if (key?.kind !== "private" && key?.kind !== "secret") {
    throw new TypeError("Pass a private key or an HMAC secret to createSigner");
  }
  const material = materialOf(key);
  const algorithm = resolveAlgorithm(key, options.algorithm);
  const keyid = options.keyid ?? key.keyid;
  if (typeof keyid !== "string") throw new TypeError("Pass options.keyid as a string");
  const format = options.ecdsaSignatureFormat ?? "der";
  if (!ECDSA_SIGNATURE_FORMATS.includes(format)) {
    throw new TypeError(`Cannot sign ECDSA as "${String(format)}": use der or p1363`);
  }
  let sign: (data: Uint8Array) => Uint8Array<ArrayBuffer>;
  switch (material.type) {
    case "hmac": {
      const secret = material.secret;
      sign = (data) => toBytes(createHmac("sha256", secret).update(data).digest());
      break;
    }
    case "ecdsa-p256":
    case "ecdsa-p384": {
      const { curve, size } = curveOf(material.type);
      const scalar = material.scalar!;
      sign = (data) => {
        const compact = curve.sign(data, scalar, {
          prehash: true,
          lowS: false,
          extraEntropy: false,
        });
        return format === "der" ? p1363ToDer(compact, size) : toBytes(compact);
      };
      break;
    }
    default: {
      let keyObject: KeyObject | undefined;
      const object = (): KeyObject => {
        if (keyObject === undefined) {
          const der = pkcs8Of(key as PrivateKey);
          keyObject = createPrivateKey({
            key: Buffer.from(der.buffer, der.byteOffset, der.length),
            format: "der",
            type: "pkcs8",
          });
          der.fill(0);
        }
        return keyObject;
      };
      if (algorithm === "ed25519") {
        sign = (data) => toBytes(nodeSign(null, data, object()));
      } else if (algorithm === "rsa-pss-sha256") {
        sign = (data) =>
          toBytes(nodeSign("sha256", data, {
            key: object(),
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: RSA_PSS_SALT_LENGTH,
          }));
      } else {
        sign = (data) =>
          toBytes(
            nodeSign("sha256", data, { key: object(), padding: constants.RSA_PKCS1_PADDING }),
          );
      }
    }
  }
  return Object.freeze({
    keyid,
    algorithm,
    sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
      try {
        checkData(data);
        return Promise.resolve(sign(data));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  });
}
