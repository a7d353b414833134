/**
 * Batch-oriented signature verifiers for {@link verifyMany} (internal, not re-exported): the same
 * verdicts as `createVerifier` (lib/crypto/local_verifier.ts), with engines that let many
 * verifications run in parallel from one JavaScript thread:
 *
 * | algorithm | engine | why |
 * | --- | --- | --- |
 * | ECDSA P-256 / P-384 (FIPS 186-5 §6.4.2) | OpenSSL `EVP_DigestVerify` via FFI (`_native_crypto.ts`) when libcrypto is present and `--allow-ffi` granted, else WebCrypto | fastest measured |
 * | Ed25519, RSA, HMAC | the local verifier (`node:crypto`, one synchronous call) | fastest measured |
 *
 * Measured in this Deno 2.9.6 on 2 (busy) cores with 2.5 KB messages (`bench/crypto_engines_bench.ts`):
 * Ed25519 through the synchronous `node:crypto` call costs about 36 µs, against about 51 µs with
 * every WebCrypto verification in flight at once and 72 µs one at a time: Deno's WebCrypto
 * Ed25519 verifies on the calling thread and adds a promise per call, so it gains nothing from
 * being in flight. ECDSA P-256 through OpenSSL-through-FFI runs ~6,700–8,800/s, WebCrypto
 * ~1,700–3,700/s, `node:crypto` in Deno ~400–650/s (pure Rust without precomputed tables),
 * `@noble/curves` slower still; there the engines do run beside the calling thread.
 *
 * Identical verdicts: ECDSA signatures go through the same strict DER → P1363 conversion and
 * `0 < r, s < n` range check as the local verifier before any engine sees them (OpenSSL gets the
 * canonical DER re-encoding), and a key an engine refuses keeps the local verifier. The Wycheproof ECDSA P-256 / P-384 (DER and P1363) suites run through
 * both ECDSA engines (and the Ed25519 suite through the batch entry point) in
 * `tests/verify/batch_crypto_test.ts`.
 *
 * @module
 */

import { curveOf, spkiOf } from "../keys/raw_key.ts";
import type { PrivateKey, PublicKey } from "../keys/key.ts";
import { importKeyPem } from "../keys/key_pem.ts";
import { checkP1363, derToP1363, p1363ToDer } from "../crypto/ecdsa_signature.ts";
import { createVerifier, type CreateVerifierOptions } from "../crypto/local_verifier.ts";
import type { Verifier } from "../crypto/signer.ts";
import { createNativeEcdsaVerify } from "./_native_crypto.ts";
import type { TrustedKey, TrustedKeyOptions } from "./trust_policy.ts";

/** Engines of the batch path: WebCrypto, or OpenSSL through FFI (`_native_crypto.ts`). */
export type BatchEngine = "webcrypto" | "native";

const ENGINES = new WeakMap<Verifier, BatchEngine>();

/** The engine behind a verifier made by {@link createBatchVerifier} (undefined: the local one). */
export function batchEngineOf(verifier: Verifier): BatchEngine | undefined {
  return ENGINES.get(verifier);
}

/**
 * Creates a verifier with the verdicts of `createVerifier(key, options)`, backed by OpenSSL through
 * FFI or WebCrypto for ECDSA P-256 / P-384 so that many calls in flight run in parallel; other
 * algorithms keep the local verifier.
 */
export async function createBatchVerifier(
  key: PublicKey | PrivateKey,
  options: CreateVerifierOptions = {},
  engine: "auto" | BatchEngine = "auto",
): Promise<Verifier> {
  const local = createVerifier(key, options);
  const algorithm = local.algorithm;
  const keyid = local.keyid;
  let used: BatchEngine = "webcrypto";
  let check: ((data: Uint8Array, signature: Uint8Array) => Promise<boolean>) | undefined;
  try {
    if (algorithm === "ecdsa-p256-sha256" || algorithm === "ecdsa-p384-sha384") {
      const type = algorithm === "ecdsa-p256-sha256" ? "ecdsa-p256" : "ecdsa-p384";
      const { curve, size, name } = curveOf(type);
      const order = curve.Point.Fn.ORDER;
      const params = { name: "ECDSA", hash: type === "ecdsa-p256" ? "SHA-256" : "SHA-384" };
      const native = engine === "webcrypto"
        ? undefined
        : createNativeEcdsaVerify(spkiOf(key), type === "ecdsa-p256" ? "sha256" : "sha384");
      if (engine === "native" && native === undefined) {
        throw new Error("Cannot use the native engine here: libcrypto or --allow-ffi is missing");
      }
      const webKey = native !== undefined ? undefined : await crypto.subtle.importKey(
        "spki",
        spkiOf(key),
        { name: "ECDSA", namedCurve: name },
        false,
        ["verify"],
      );
      if (native !== undefined) used = "native";
      const format = options.ecdsaSignatureFormat ?? "der";
      const verifyP1363 = (data: Uint8Array, p1363: Uint8Array): Promise<boolean> =>
        !checkP1363(p1363, size, order)
          ? Promise.resolve(false)
          : native !== undefined
          ? native(data, p1363ToDer(p1363, size))
          : crypto.subtle.verify(params, webKey!, p1363 as BufferSource, data as BufferSource);
      check = async (data, signature) => {
        if (format !== "p1363") {
          const p1363 = derToP1363(signature, size, order);
          if (p1363 !== undefined && await verifyP1363(data, p1363)) return true;
          if (format === "der") return false;
        }
        return signature.length === 2 * size && await verifyP1363(data, signature);
      };
    }
  } catch (error) {
    if (engine === "native") throw error;
    check = undefined; // WebCrypto refused the key: keep the local verifier's verdicts.
  }
  if (check === undefined) return local;
  const run = check;
  const verifier: Verifier = Object.freeze({
    keyid,
    algorithm,
    async verify(data: Uint8Array, signature: Uint8Array): Promise<boolean> {
      if (!(data instanceof Uint8Array)) {
        throw new TypeError("Pass the signed data as a Uint8Array");
      }
      if (!(signature instanceof Uint8Array)) return false;
      try {
        return await run(data, signature);
      } catch {
        return false;
      }
    },
  });
  ENGINES.set(verifier, used);
  return verifier;
}

/**
 * Rebuilds a trusted key made by `trustedKeyFromPem(pem, options)` with batch verifiers: same key
 * id, validity window and accepted schemes.
 */
export async function toBatchTrustedKey(
  trusted: TrustedKey,
  pem: string,
  options: TrustedKeyOptions,
  engine: "auto" | BatchEngine = "auto",
): Promise<TrustedKey> {
  const imported = importKeyPem(pem, { name: options.name });
  const publicKey = imported.kind === "private" ? imported.publicKey : imported;
  const encoding = options.signatureEncoding ?? "der";
  const verifiers = await Promise.all(
    trusted.verifiers.map((v) =>
      createBatchVerifier(publicKey, {
        algorithm: v.algorithm,
        keyid: v.keyid,
        ecdsaSignatureFormat: encoding === "any" ? "der-or-p1363" : encoding,
        rsaPssSaltLength: "auto",
      }, engine)
    ),
  );
  return { ...trusted, verifiers };
}
