/**
 * Test-only keys over fixed Ed25519 seeds, with the toolkit's own signer and verifier
 * (`createSigner` / `createVerifier`), their SPKI, PEM and key id (hex SHA-256 of the SPKI DER).
 * These keys are public test material: never use them elsewhere.
 */
import { createSigner, exportPublicKeyPem, type Signer } from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { exportSpki, importPkcs8 } from "../../lib/keys/mod.ts";

const PKCS8_ED25519_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

export interface TestKey {
  signer: Signer;
  keyid: string;
  spki: Uint8Array<ArrayBuffer>;
  publicKeyPem: string;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** A deterministic Ed25519 test key whose 32-byte seed is `seedByte` repeated. */
export function testEd25519Key(seedByte: number): Promise<TestKey> {
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(PKCS8_ED25519_PREFIX);
  pkcs8.fill(seedByte, 16);
  const key = importPkcs8(pkcs8, { name: `test seed ${seedByte}` });
  const verifier = createVerifier(key.publicKey);
  return Promise.resolve({
    keyid: key.keyid,
    spki: exportSpki(key),
    publicKeyPem: exportPublicKeyPem(key),
    signer: createSigner(key),
    verify: (data, signature) => verifier.verify(data, signature),
  });
}
