/**
 * The Signer and Verifier abstractions every signing path implements (local keys, KMS,
 * external-process plugins, rotating key rings).
 *
 * DSSE (secure-systems-lab/dsse protocol.md) signs the PAE bytes; a Signer only ever sees bytes.
 *
 * @module
 */

import type { SignatureAlgorithm } from "../keys/key.ts";

// The algorithm vocabulary lives in the keys layer (keys carry a default algorithm); it is
// re-exported here so that signer code can import everything signing-related from one module.
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";

/**
 * Something that signs bytes with one key.
 *
 * @example Usage
 * ```ts
 * import type { Signer } from "@stellaops/provenance";
 * const fake: Signer = {
 *   keyid: "test",
 *   algorithm: "hmac-sha256",
 *   sign: (data) => Promise.resolve(new Uint8Array(data.length)),
 * };
 * console.assert(fake.keyid === "test");
 * ```
 */
export interface Signer {
  /** Stable key id (see the key-id rules in `lib/keys/`). */
  readonly keyid: string;
  /** Signature algorithm the signer uses. */
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (for DSSE: the PAE bytes).
   *
   * @param data Bytes to sign.
   * @returns The signature bytes (ECDSA: ASN.1 DER).
   */
  sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * Something that checks signatures made with one key.
 *
 * @example Usage
 * ```ts
 * import type { Verifier } from "@stellaops/provenance";
 * const fake: Verifier = {
 *   keyid: "test",
 *   algorithm: "hmac-sha256",
 *   verify: (_data, sig) => Promise.resolve(sig.length === 32),
 * };
 * console.assert(fake.algorithm === "hmac-sha256");
 * ```
 */
export interface Verifier {
  /** Stable key id of the key this verifier checks against. */
  readonly keyid: string;
  /** Signature algorithm the verifier accepts. */
  readonly algorithm: SignatureAlgorithm;
  /**
   * Checks `signature` over `data`; never throws on a malformed signature (returns `false`).
   *
   * @param data Signed bytes (for DSSE: the PAE bytes).
   * @param signature Signature bytes.
   * @returns `true` when the signature is valid.
   */
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}
