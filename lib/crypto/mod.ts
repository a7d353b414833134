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
export type { PrivateKey } from "../keys/key.ts";
export type { PublicKey } from "../keys/key.ts";
export type { SecretKey } from "../keys/key.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
export type { AsymmetricKeyType } from "../keys/key.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
export type { KeyType } from "../keys/key.ts";
export { KEY_TYPES } from "../keys/key.ts";
