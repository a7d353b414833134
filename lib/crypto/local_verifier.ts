/**
 * Local verifiers: check signatures with a public key (or HMAC secret) held in memory.
 *
 * | algorithm | implementation | accepted signatures |
 * | --- | --- | --- |
 * | `ed25519` | `node:crypto` (RFC 8032 §5.1.7; rejects non-canonical `S` and point encodings) | 64 bytes |
 * | `ecdsa-p256-sha256`, `ecdsa-p384-sha384` | strict DER → P1363 here, then `node:crypto` (FIPS 186-5 §6.4.2) | DER; P1363 only with `ecdsaSignatureFormat: "p1363"` or `"der-or-p1363"` |
 * | `rsa-pss-sha256` | `node:crypto`, SHA-256, MGF1-SHA-256 | salt 32 bytes (default), a fixed length, or any (`"auto"`) |
 * | `rsa-pkcs1-sha256` | `node:crypto` RSASSA-PKCS1-v1_5 with SHA-256 (DigestInfo with the NULL parameter only) | modulus length |
 * | `hmac-sha256` | `node:crypto` HMAC, compared with `timingSafeEqual` | 32 bytes, or a truncated length from `hmacTagLength` |
 *
 * Why these (`deno bench --cached-only bench/sign_bench.ts`): `node:crypto` verifies Ed25519
 * ~1.3× faster than WebCrypto and ~12× faster than `@noble/curves`, P-384 ~2× faster than
 * WebCrypto and ~1.3× faster than noble, P-256 on par with WebCrypto and ~2× faster than noble,
 * RSA on par with or faster than WebCrypto, HMAC ~2.5× faster than WebCrypto. The Wycheproof
 * suites (`tests/vectors/wycheproof_test.ts`) give every expected verdict through these paths.
 *
 * A verifier never throws on a malformed, truncated or oversized signature: it returns `false`.
 *
 * @module
 */

import {
  constants,
  createHmac,
  createPublicKey,
  type KeyObject,
  verify as nodeVerify,
} from "node:crypto";
import { Buffer } from "node:buffer";
import { timingSafeEqual } from "../encoding/bytes.ts";
import { curveOf, materialOf, spkiOf } from "../keys/raw_key.ts";
import type { PrivateKey, PublicKey, SecretKey, SignatureAlgorithm } from "../keys/key.ts";
import { checkP1363, derToP1363 } from "./ecdsa_signature.ts";
import { RSA_PSS_SALT_LENGTH } from "./local_signer.ts";
import type { Verifier } from "./signer.ts";

/** Options of {@link createVerifier}. */
export interface CreateVerifierOptions {
  /** Signature algorithm; default the key's `algorithm`. RSA keys may pick PSS or PKCS#1 v1.5. */
  algorithm?: SignatureAlgorithm | undefined;
  /** Key id the verifier reports; default the key's `keyid`. */
  keyid?: string | undefined;
  /**
   * ECDSA signature encodings to accept: `der` (default), `p1363`, or `der-or-p1363` (a
   * signature that fails as DER is retried as `r ‖ s` when its length fits).
   */
  ecdsaSignatureFormat?: "der" | "p1363" | "der-or-p1363" | undefined;
  /** RSA-PSS salt length in bytes, or `"auto"` to accept any; default 32. */
  rsaPssSaltLength?: number | "auto" | undefined;
  /** HMAC tag length in bytes to require, 16–32 (truncated HMAC, RFC 2104 §5); default 32. */
  hmacTagLength?: number | undefined;
}

function resolveAlgorithm(
  key: PublicKey | PrivateKey | SecretKey,
  requested: SignatureAlgorithm | undefined,
): SignatureAlgorithm {
  if (requested === undefined || requested === key.algorithm) return key.algorithm;
  if (key.type === "rsa" && (requested === "rsa-pss-sha256" || requested === "rsa-pkcs1-sha256")) {
    return requested;
  }
  throw new TypeError(`Cannot verify "${requested}" signatures with a ${key.type} key`);
}

/**
 * Creates a local {@link Verifier} for a public key (a private key verifies with its public
 * half) or an HMAC secret.
 *
 * @param key A key made by this toolkit.
 * @param options Algorithm, reported key id, and which signature encodings to accept.
 * @returns The verifier; `verify(data, signature)` resolves to `true` or `false` and never rejects
 *   because of the signature's content.
 * @throws {TypeError} When `key` is not made by this toolkit or the algorithm does not fit it.
 * @throws {RangeError} When `rsaPssSaltLength` or `hmacTagLength` is out of range.
 *
 * @example Usage
 * ```ts
 * import { createSigner, generateKeyPair } from "@stellaops/provenance";
 * import { createVerifier } from "@stellaops/provenance/crypto";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * const data = new TextEncoder().encode("hello");
 * const signature = await createSigner(key).sign(data);
 * if (key.kind !== "private") throw new Error("unreachable");
 * const verifier = createVerifier(key.publicKey);
 * assert.equal(await verifier.verify(data, signature), true);
 * assert.equal(await verifier.verify(new TextEncoder().encode("hellO"), signature), false);
 * assert.equal(await verifier.verify(data, signature.subarray(1)), false);
 * ```
 */
export function createVerifier(
  key: PublicKey | PrivateKey | SecretKey,
  options: CreateVerifierOptions = {},
): Verifier {
  const material = materialOf(key);
  const algorithm = resolveAlgorithm(key, options.algorithm);
  const keyid = options.keyid ?? key.keyid;
  if (typeof keyid !== "string") throw new TypeError("Pass options.keyid as a string");
  let check: (data: Uint8Array, signature: Uint8Array) => boolean;
  switch (material.type) {
    case "hmac": {
      const length = options.hmacTagLength ?? 32;
      if (!Number.isInteger(length) || length < 16 || length > 32) {
        throw new RangeError(`Cannot verify HMAC tags of ${length} bytes: use 16-32`);
      }
      const secret = material.secret;
      check = (data, signature) => {
        if (signature.length !== length) return false;
        const tag = createHmac("sha256", secret).update(data).digest().subarray(0, length);
        return timingSafeEqual(tag, signature);
      };
      break;
    }
    case "ecdsa-p256":
    case "ecdsa-p384": {
      const format = options.ecdsaSignatureFormat ?? "der";
      if (format !== "der" && format !== "p1363" && format !== "der-or-p1363") {
        throw new TypeError(
          `Cannot verify ECDSA as "${String(format)}": use der, p1363 or der-or-p1363`,
        );
      }
      const { curve, size } = curveOf(material.type);
      const order = curve.Point.Fn.ORDER;
      const hash = material.type === "ecdsa-p256" ? "sha256" : "sha384";
      const object = publicKeyObject(key as PublicKey | PrivateKey);
      const verifyP1363 = (data: Uint8Array, p1363: Uint8Array): boolean =>
        checkP1363(p1363, size, order) &&
        nodeVerify(hash, data, { key: object, dsaEncoding: "ieee-p1363" }, p1363);
      check = (data, signature) => {
        if (format !== "p1363") {
          const p1363 = derToP1363(signature, size, order);
          if (p1363 !== undefined && verifyP1363(data, p1363)) return true;
          if (format === "der") return false;
        }
        return signature.length === 2 * size && verifyP1363(data, signature);
      };
      break;
    }
    case "ed25519": {
      const object = publicKeyObject(key as PublicKey | PrivateKey);
      check = (data, signature) =>
        signature.length === 64 && nodeVerify(null, data, object, signature);
      break;
    }
    case "rsa": {
      const object = publicKeyObject(key as PublicKey | PrivateKey);
      const modulusBytes = Math.ceil(key.bits / 8);
      if (algorithm === "rsa-pss-sha256") {
        const salt = options.rsaPssSaltLength ?? RSA_PSS_SALT_LENGTH;
        if (salt !== "auto" && (!Number.isInteger(salt) || salt < 0 || salt > modulusBytes - 34)) {
          throw new RangeError(`Cannot verify RSA-PSS with salt length ${String(salt)}`);
        }
        const saltLength = salt === "auto" ? constants.RSA_PSS_SALTLEN_AUTO : salt;
        check = (data, signature) =>
          signature.length === modulusBytes &&
          nodeVerify(
            "sha256",
            data,
            { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
            signature,
          );
      } else {
        check = (data, signature) =>
          signature.length === modulusBytes &&
          nodeVerify(
            "sha256",
            data,
            { key: object, padding: constants.RSA_PKCS1_PADDING },
            signature,
          );
      }
    }
  }
  return Object.freeze({
    keyid,
    algorithm,
    verify(data: Uint8Array, signature: Uint8Array): Promise<boolean> {
      if (!(data instanceof Uint8Array)) {
        return Promise.reject(new TypeError("Pass the signed data as a Uint8Array"));
      }
      if (!(signature instanceof Uint8Array)) return Promise.resolve(false);
      try {
        return Promise.resolve(check(data, signature));
      } catch {
        return Promise.resolve(false);
      }
    },
  });
}

function publicKeyObject(key: PublicKey | PrivateKey): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiOf(key)), format: "der", type: "spki" });
}
