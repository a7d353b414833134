/**
 * Local signers for the signing layer and its callers: {@link createSigner} and its options,
 * defined with the other signature primitives in `lib/crypto/local_signer.ts`.
 *
 * @module
 */

export {
  createSigner,
  ECDSA_SIGNATURE_FORMATS,
  RSA_PSS_SALT_LENGTH,
} from "../crypto/local_signer.ts";
export type { CreateSignerOptions, EcdsaSignatureFormat } from "../crypto/local_signer.ts";
