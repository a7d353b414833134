/**
 * Signature primitives of `@stellaops/provenance`: local signers and verifiers over WebCrypto and
 * node:crypto.
 *
 * @module
 */

export type { Signer, Verifier } from "./signer.ts";
export { ECDSA_SIGNATURE_FORMATS, RSA_PSS_SALT_LENGTH } from "./local_signer.ts";
export type { CreateSignerOptions, EcdsaSignatureFormat } from "./local_signer.ts";
export { createVerifier } from "./local_verifier.ts";
export type { CreateVerifierOptions } from "./local_verifier.ts";
