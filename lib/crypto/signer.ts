/**
 * The Signer and Verifier abstractions every signing path implements (local keys, KMS,
 * external-process plugins, rotating key rings) and every verifier consumes.
 *
 * DSSE (secure-systems-lab/dsse protocol.md) signs the PAE bytes; a Signer only ever sees bytes.
 *
 * @module
 */

import type { SignatureAlgorithm } from "../keys/key.ts";

/**
 * Something that signs bytes with one key.
 *
 * @example Usage
 * ```ts
 * import { signEnvelope, type Signer } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeBase64 } from "@stellaops/provenance/encoding";
 * import { preAuthEncoding } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * // A toy scheme for illustration (an HSM or a signing service goes here): sig = SHA-256(data).
 * const seen: Uint8Array[] = [];
 * const signer: Signer = {
 *   keyid: "toy",
 *   algorithm: "hmac-sha256",
 *   sign: (data) => {
 *     seen.push(data);
 *     return Promise.resolve(sha256(data));
 *   },
 * };
 * const payload = new TextEncoder().encode("hi");
 * const envelope = await signEnvelope({ payloadType: "text/plain", payload }, [signer]);
 * const pae = preAuthEncoding("text/plain", payload);
 * assert.deepEqual(seen, [pae]); // a Signer only ever sees the PAE bytes
 * assert.deepEqual(envelope.signatures, [{ keyid: "toy", sig: encodeBase64(sha256(pae)) }]);
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
 * import { type Verifier } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { equalBytes } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * // A toy scheme for illustration: a signature is valid when it equals SHA-256(data).
 * const verifier: Verifier = {
 *   keyid: "toy",
 *   algorithm: "hmac-sha256",
 *   verify: (data, sig) => Promise.resolve(equalBytes(sig, sha256(data))),
 * };
 * const data = new TextEncoder().encode("hi");
 * assert.equal(await verifier.verify(data, sha256(data)), true);
 * assert.equal(await verifier.verify(data, sha256(new Uint8Array())), false);
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
