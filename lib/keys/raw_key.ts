/**
 * The raw material behind an opaque key object, for the code that computes with it: the
 * signature primitives in `lib/crypto/` and the batch verifier in `lib/verify/`. Key objects made
 * by this layer (`PublicKey`, `PrivateKey`, `SecretKey`) carry no key bytes; the material lives in
 * a module-private store (`_store.ts`) and is reached only through these functions.
 *
 * This module is the keys layer's interface to the layers above it: they import from here, never
 * from the layer's `_private` files. Not re-exported from `mod.ts`.
 *
 * @module
 */

export { bigintToBytes, bytesToBigint, curveOf } from "./_material.ts";
export type { EcMaterial, KeyMaterial, RsaMaterial } from "./_material.ts";
export { materialOf, pkcs8Of, spkiOf } from "./_store.ts";
