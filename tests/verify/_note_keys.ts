/**
 * Test-only note keys made from fixed seeds, so every note in the tests is reproducible.
 */
import { createSigner, type PrivateKey } from "../../mod.ts";
import type { NoteVerifierKey } from "../../lib/verify/sigstore_mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { concatBytes, encodeBase64, encodeHex } from "../../lib/encoding/mod.ts";
import { exportSpki, importPkcs8 } from "../../lib/keys/mod.ts";
import { formatVerifierKey, verifierKeyFromSpki } from "../../lib/verify/sigstore_mod.ts";

const ED25519_PKCS8_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

/** A test Ed25519 note key: signer key text, verifier key and SPKI. */
export interface TestEd25519NoteKey {
  name: string;
  skey: string;
  vkey: string;
  key: NoteVerifierKey;
  spki: Uint8Array<ArrayBuffer>;
}

/**
 * Makes an Ed25519 note key from a seed filled with `fill`.
 *
 * @param name Key name.
 * @param fill Seed byte.
 * @returns The key in every form the tests need.
 */
export function ed25519NoteKey(name: string, fill: number): TestEd25519NoteKey {
  const seed = new Uint8Array(32).fill(fill);
  const privateKey = importPkcs8(concatBytes(ED25519_PKCS8_PREFIX, seed));
  const spki = exportSpki(privateKey);
  const key = verifierKeyFromSpki(name, spki);
  const skey = `PRIVATE+KEY+${name}+${key.keyId}+${
    encodeBase64(concatBytes(Uint8Array.of(1), seed))
  }`;
  return { name, skey, vkey: formatVerifierKey(key), key, spki };
}

/** A test ECDSA P-256 key with its SPKI and note key ID (`SHA-256(SPKI)[:4]`). */
export interface TestEcdsaNoteKey {
  privateKey: PrivateKey;
  spki: Uint8Array<ArrayBuffer>;
  keyId: string;
}

/** P-256 private key with scalar 1 + `fill` (a valid scalar for any small fill). */
export function ecdsaNoteKey(fill: number): TestEcdsaNoteKey {
  // PKCS#8 of an EC P-256 key without the optional public key (RFC 5915, RFC 5208).
  const scalar = new Uint8Array(32);
  scalar[31] = fill + 1;
  const der = concatBytes(
    Uint8Array.fromHex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"),
    scalar,
  );
  const privateKey = importPkcs8(der);
  const spki = exportSpki(privateKey);
  return { privateKey, spki, keyId: encodeHex(sha256(spki).subarray(0, 4)) };
}

/**
 * Appends an ECDSA (type 0x02) signature line to a note's text: `— name base64(keyId ‖ DER sig)`.
 *
 * @param text Note text (ends in a newline).
 * @param name Key name to write on the line.
 * @param key The ECDSA key.
 * @returns The signature line with its newline.
 */
export async function ecdsaSignatureLine(
  text: string,
  name: string,
  key: TestEcdsaNoteKey,
): Promise<string> {
  const signature = await createSigner(key.privateKey).sign(new TextEncoder().encode(text));
  return `\u2014 ${name} ${encodeBase64(concatBytes(Uint8Array.fromHex(key.keyId), signature))}\n`;
}
