/**
 * Key management services (KMS, HSM, signing services) behind the {@link Signer} interface.
 *
 * A {@link KeyManagementService} holds private keys we never see: it hands out the public key and
 * signs digests (or, for Ed25519, whole messages). {@link KmsSigner} adapts one KMS key to a
 * `Signer`: it hashes the bytes locally with the hash the algorithm fixes, asks the KMS for a
 * signature over the digest, normalises ECDSA signatures to ASN.1 DER (as cosign and
 * securesystemslib write them), and checks the signature against the KMS public key before
 * returning it, so a misbehaving backend cannot hand out a signature that will not verify.
 *
 * - Key id: hex SHA-256 of the public key's DER SubjectPublicKeyInfo (`lib/keys/`).
 * - Algorithm: from the public key (`ecdsa-p256-sha256`, `ecdsa-p384-sha384`, `ed25519`); RSA
 *   keys default to `rsa-pss-sha256` as everywhere in this toolkit, pass `algorithm:
 *   "rsa-pkcs1-sha256"` for PKCS#1 v1.5 KMS keys.
 * - Digests: SHA-256 for P-256 and RSA, SHA-384 for P-384 (RFC 5758 / RFC 8017 pairings).
 *   Ed25519 (RFC 8032 PureEdDSA) signs the message itself, so the KMS must implement
 *   `signMessage`.
 *
 * The working backend shipped here is the sigstore KMS plugin protocol
 * (`kms_plugin_process.ts`).
 *
 * @module
 */

import { DerReader } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { decodePem } from "../encoding/pem.ts";
import { type DigestAlgorithm, digestBytes } from "../digest/digest.ts";
import type { PublicKey } from "../keys/key.ts";
import { importSpki } from "../keys/key_der.ts";
import { p1363ToDer } from "../crypto/ecdsa_signature.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import type { Signer, Verifier } from "../crypto/signer.ts";
import type { SignatureAlgorithm } from "../keys/key.ts";

/**
 * A key management service: public keys and signatures for keys identified by a reference.
 *
 * @example Usage
 * ```ts
 * import { createSigner, exportPublicKeyPem, generateKeyPair } from "@stellaops/provenance";
 * import { type KeyManagementService } from "@stellaops/provenance/kms";
 * import { createKmsSigner } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const inside = createSigner(key); // stands in for the key the KMS holds
 * const kms: KeyManagementService = {
 *   getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
 *   signDigest: () => Promise.reject(new Error("Ed25519 keys sign messages")),
 *   signMessage: (_ref, message) => inside.sign(message),
 * };
 * const data = new TextEncoder().encode("hello");
 * const signer = await createKmsSigner(kms, "test://key-1");
 * assert.deepEqual(await signer.sign(data), await inside.sign(data)); // Ed25519 is deterministic
 * const broken: KeyManagementService = { ...kms, signMessage: () => Promise.resolve(new Uint8Array(64)) };
 * await assert.rejects((await createKmsSigner(broken, "test://key-1")).sign(data), {
 *   message: 'Cannot sign with KMS key "test://key-1": the KMS returned a signature that does ' +
 *     "not verify against its public key",
 * });
 * ```
 */
export interface KeyManagementService {
  /**
   * Returns the public key of `keyRef`.
   *
   * @param keyRef The key reference (backend-specific, e.g. `hsm://slot-1`).
   * @returns PEM `PUBLIC KEY` text or DER SubjectPublicKeyInfo bytes.
   */
  getPublicKey(keyRef: string): Promise<string | Uint8Array>;
  /**
   * Signs a precomputed digest.
   *
   * @param keyRef The key reference.
   * @param digest The digest bytes.
   * @param hashAlgorithm The hash that produced `digest`.
   * @returns The signature (ECDSA: DER or IEEE P1363; RSA: the raw signature).
   */
  signDigest(
    keyRef: string,
    digest: Uint8Array,
    hashAlgorithm: DigestAlgorithm,
  ): Promise<Uint8Array>;
  /**
   * Signs a whole message (needed for Ed25519, which is never pre-hashed).
   *
   * @param keyRef The key reference.
   * @param message The message bytes.
   * @returns The signature.
   */
  signMessage?(keyRef: string, message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Options of {@link createKmsSigner}.
 *
 * @example Usage
 * ```ts
 * import { exportPublicKeyPem, generateKeyPair } from "@stellaops/provenance";
 * import {
 *   type CreateKmsSignerOptions,
 *   type KeyManagementService,
 * } from "@stellaops/provenance/kms";
 * import { createKmsSigner } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const kms: KeyManagementService = {
 *   getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
 *   signDigest: () => Promise.reject(new Error("Ed25519 keys sign messages")),
 *   signMessage: () => Promise.resolve(new Uint8Array(64)), // not a valid signature
 * };
 * const options: CreateKmsSignerOptions = { keyid: "kms-key-1", verifySignatures: false };
 * const signer = await createKmsSigner(kms, "test://key-1", options);
 * assert.equal(signer.keyid, "kms-key-1");
 * assert.deepEqual(await signer.sign(new Uint8Array([1])), new Uint8Array(64)); // returned unchecked
 * await assert.rejects(createKmsSigner(kms, "test://key-1", { algorithm: "rsa-pkcs1-sha256" }), {
 *   name: "TypeError",
 *   message: 'Cannot use algorithm "rsa-pkcs1-sha256" with a ed25519 key: use ed25519',
 * });
 * ```
 */
export interface CreateKmsSignerOptions {
  /** Signature algorithm; default the public key's (RSA: `rsa-pss-sha256`). */
  algorithm?: SignatureAlgorithm | undefined;
  /** Key id to report; default the hex SHA-256 of the SPKI DER. */
  keyid?: string | undefined;
  /** Check every signature against the KMS public key before returning it (default `true`). */
  verifySignatures?: boolean | undefined;
}

const HASH_OF: Readonly<Record<SignatureAlgorithm, DigestAlgorithm | null>> = {
  "ed25519": null,
  "ecdsa-p256-sha256": "sha256",
  "ecdsa-p384-sha384": "sha384",
  "rsa-pss-sha256": "sha256",
  "rsa-pkcs1-sha256": "sha256",
  "hmac-sha256": "sha256",
};

function isDerSignature(bytes: Uint8Array): boolean {
  try {
    const outer = new DerReader(bytes);
    const seq = outer.readSequence();
    outer.end();
    seq.readInteger();
    seq.readInteger();
    seq.end();
    return true;
  } catch {
    return false;
  }
}

const EC_SIZE: Partial<Record<SignatureAlgorithm, number>> = {
  "ecdsa-p256-sha256": 32,
  "ecdsa-p384-sha384": 48,
};

/**
 * A {@link Signer} whose private key stays in a {@link KeyManagementService}. Create it with
 * {@link createKmsSigner}.
 *
 * @example Usage
 * ```ts
 * import { createSigner, exportPublicKeyPem, generateKeyPair } from "@stellaops/provenance";
 * import { createKmsSigner, KmsSigner } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const inside = createSigner(key); // stands in for the key held by the KMS
 * const signer = await createKmsSigner({
 *   getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
 *   signDigest: () => Promise.reject(new Error("Ed25519 keys sign messages")),
 *   signMessage: (_ref, message) => inside.sign(message),
 * }, "test://key-1");
 * assert.ok(signer instanceof KmsSigner);
 * assert.equal(signer.keyRef, "test://key-1");
 * assert.equal(signer.publicKey.keyid, key.keyid);
 * ```
 */
export class KmsSigner implements Signer {
  /** Key id (hex SHA-256 of the SPKI DER unless overridden). */
  readonly keyid: string;
  /** Signature algorithm. */
  readonly algorithm: SignatureAlgorithm;
  /** The KMS key reference. */
  readonly keyRef: string;
  /** The KMS public key. */
  readonly publicKey: PublicKey;
  readonly #kms: KeyManagementService;
  readonly #verifier: Verifier | undefined;

  /**
   * Wraps a KMS key whose public key is already known (prefer {@link createKmsSigner}).
   *
   * @param kms The service.
   * @param keyRef The key reference.
   * @param publicKey The key's public key.
   * @param options Algorithm, key id and verification.
   * @throws {TypeError} When the algorithm does not fit the key, or an Ed25519 key's KMS lacks
   *   `signMessage`.
   */
  constructor(
    kms: KeyManagementService,
    keyRef: string,
    publicKey: PublicKey,
    options: CreateKmsSignerOptions = {},
  ) {
    if (typeof kms?.signDigest !== "function" || typeof kms.getPublicKey !== "function") {
      throw new TypeError("Pass a KeyManagementService (getPublicKey, signDigest)");
    }
    if (typeof keyRef !== "string") throw new TypeError("Pass the key reference as a string");
    const algorithm = options.algorithm ?? publicKey.algorithm;
    if (algorithm === "hmac-sha256") {
      throw new TypeError("Cannot use hmac-sha256 with a KMS public key");
    }
    const verifier = createVerifier(publicKey, { algorithm });
    if (algorithm === "ed25519" && typeof kms.signMessage !== "function") {
      throw new TypeError(
        "Cannot sign with an Ed25519 KMS key: the KMS must implement signMessage",
      );
    }
    this.#kms = kms;
    this.#verifier = options.verifySignatures === false ? undefined : verifier;
    this.keyRef = keyRef;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
    this.keyid = options.keyid ?? publicKey.keyid;
  }

  /**
   * Hashes `data` locally, has the KMS sign the digest (Ed25519: the message), normalises an
   * ECDSA signature to DER and checks it against the public key.
   *
   * @param data Bytes to sign (for DSSE: the PAE bytes).
   * @returns The signature (ECDSA: ASN.1 DER).
   * @throws {Error} When the KMS fails (its error, unchanged) or returns a signature that does not
   *   verify against the key's public key.
   */
  async sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const hash = HASH_OF[this.algorithm];
    const raw = hash === null
      ? await this.#kms.signMessage!(this.keyRef, data)
      : await this.#kms.signDigest(this.keyRef, digestBytes(hash, data), hash);
    if (!(raw instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot sign with KMS key "${this.keyRef}": the KMS returned no signature bytes`,
      );
    }
    let signature: Uint8Array<ArrayBuffer> = raw.slice();
    const size = EC_SIZE[this.algorithm];
    if (size !== undefined && signature.length === 2 * size && !isDerSignature(signature)) {
      signature = p1363ToDer(signature, size);
    }
    if (this.#verifier !== undefined && !(await this.#verifier.verify(data, signature))) {
      throw new Error(
        `Cannot sign with KMS key "${this.keyRef}": the KMS returned a signature that does not verify against its public key`,
      );
    }
    return signature;
  }
}

/**
 * Creates a {@link KmsSigner}: fetches the public key, derives the key id and algorithm.
 *
 * @param kms The service.
 * @param keyRef The key reference, e.g. `hsm://slot-1` for the plugin backend.
 * @param options Algorithm (RSA scheme), key id override, verification switch.
 * @returns The signer.
 * @throws {ParseError} `KEY_INVALID` / `KEY_UNSUPPORTED` / `PEM_INVALID` when the KMS public key
 *   cannot be read.
 * @throws {TypeError} When the algorithm does not fit the key.
 *
 * @example Usage
 * ```ts
 * import { createSigner, exportPublicKeyPem, generateKeyPair } from "@stellaops/provenance";
 * import { type KeyManagementService } from "@stellaops/provenance/kms";
 * import { createVerifier } from "@stellaops/provenance/crypto";
 * import { createKmsSigner } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * // A stand-in KMS holding an Ed25519 key (Ed25519 KMS keys sign whole messages).
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const inside = createSigner(key);
 * const kms: KeyManagementService = {
 *   getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
 *   signDigest: () => Promise.reject(new Error("Ed25519 keys sign messages")),
 *   signMessage: (_ref, message) => inside.sign(message),
 * };
 * const signer = await createKmsSigner(kms, "test://key-1");
 * assert.equal(signer.keyid, key.keyid);
 * assert.equal(signer.algorithm, "ed25519");
 * const data = new TextEncoder().encode("hello");
 * assert.equal(await createVerifier(key.publicKey).verify(data, await signer.sign(data)), true);
 * ```
 */
export async function createKmsSigner(
  kms: KeyManagementService,
  keyRef: string,
  options: CreateKmsSignerOptions = {},
): Promise<KmsSigner> {
  if (typeof kms?.getPublicKey !== "function") throw new TypeError("Pass a KeyManagementService");
  const material = await kms.getPublicKey(keyRef);
  let der: Uint8Array;
  if (typeof material === "string") {
    der = decodePem(material, { label: "PUBLIC KEY", name: `public key of ${keyRef}` }).bytes;
  } else if (material instanceof Uint8Array) {
    der = material;
  } else {
    throw new ParseError(
      "KEY_INVALID",
      `Cannot read the public key of KMS key "${keyRef}": expected PEM text or DER bytes`,
    );
  }
  const publicKey = importSpki(der, {
    name: `public key of ${keyRef}`,
    ...(options.algorithm === undefined || options.algorithm === "hmac-sha256"
      ? {}
      : { algorithm: options.algorithm }),
  });
  return new KmsSigner(kms, keyRef, publicKey, options);
}
