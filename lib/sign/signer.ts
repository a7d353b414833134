/**
 * Everything signing-related in one import for the signing layer and its callers: the
 * {@link Signer} / {@link Verifier} abstractions (defined with the signature primitives in
 * `lib/crypto/signer.ts`) and the algorithm vocabulary (defined with the keys in `lib/keys/key.ts`,
 * since keys carry a default algorithm).
 *
 * @module
 */

export type { Signer, Verifier } from "../crypto/signer.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
