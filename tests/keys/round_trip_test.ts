/**
 * Every algorithm × every key format: export, import again, same key id, same signatures; and an
 * independent implementation (`node:crypto` / OpenSSL-style DER) derives the same public key
 * from our private-key encodings.
 */
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { Buffer } from "node:buffer";
import {
  createSigner,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  importKey,
  importKeyPem,
  type KeyAlgorithm,
  type PrivateKey,
  type PublicKey,
} from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import {
  decryptCosignKey,
  encryptCosignKey,
  exportHmacSecret,
  exportJwk,
  exportPkcs8,
  exportSpki,
  importHmacSecret,
  importJwk,
  importPkcs8,
  importSpki,
} from "../../lib/keys/mod.ts";

const ASYMMETRIC: readonly Exclude<KeyAlgorithm, "hmac">[] = [
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "rsa-pss",
  "rsa-pkcs1",
];
const data = new TextEncoder().encode("DSSEv1 10 text/plain 2 hi");

async function privateKey(algorithm: Exclude<KeyAlgorithm, "hmac">): Promise<PrivateKey> {
  const key = await generateKeyPair(algorithm, { bits: 2048 });
  assert.equal(key.kind, "private");
  return key as PrivateKey;
}

async function assertSameKey(original: PrivateKey, copy: PrivateKey | PublicKey): Promise<void> {
  assert.equal(copy.keyid, original.keyid);
  assert.equal(copy.type, original.type);
  assert.equal(copy.bits, original.bits);
  assert.deepEqual(exportSpki(copy), exportSpki(original));
  // A signature by one verifies under the other.
  const signature = await createSigner(original).sign(data);
  assert.equal(
    await createVerifier(copy, { algorithm: original.algorithm }).verify(data, signature),
    true,
  );
  if (copy.kind === "private") {
    const back = await createSigner(copy, { algorithm: original.algorithm }).sign(data);
    assert.equal(await createVerifier(original).verify(data, back), true);
  }
}

for (const algorithm of ASYMMETRIC) {
  Deno.test(`${algorithm}: round trips through SPKI, PKCS#8, PEM, JWK and cosign`, async () => {
    const key = await privateKey(algorithm);
    const opts = { algorithm: key.algorithm };
    // DER
    await assertSameKey(key, importSpki(exportSpki(key), opts));
    await assertSameKey(key, importPkcs8(exportPkcs8(key), opts));
    // PEM: SPKI and PKCS#8, plus SEC1 for EC and PKCS#1 for RSA
    const pubPem = exportPublicKeyPem(key);
    assert.match(
      pubPem,
      /^-----BEGIN PUBLIC KEY-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$/,
    );
    await assertSameKey(key, importKeyPem(pubPem, opts) as PublicKey);
    assert.equal(exportPublicKeyPem(importKeyPem(pubPem)), pubPem);
    const pkcs8Pem = exportPrivateKeyPem(key);
    await assertSameKey(key, importKeyPem(pkcs8Pem, opts) as PrivateKey);
    assert.equal(exportPrivateKeyPem(importKeyPem(pkcs8Pem) as PrivateKey), pkcs8Pem);
    if (key.type === "ecdsa-p256" || key.type === "ecdsa-p384") {
      const sec1 = exportPrivateKeyPem(key, { format: "sec1" });
      assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----\n/);
      await assertSameKey(key, importKeyPem(sec1) as PrivateKey);
      assert.throws(() => exportPrivateKeyPem(key, { format: "pkcs1" }), TypeError);
    } else if (key.type === "rsa") {
      const pkcs1 = exportPrivateKeyPem(key, { format: "pkcs1" });
      assert.match(pkcs1, /^-----BEGIN RSA PRIVATE KEY-----\n/);
      await assertSameKey(key, importKeyPem(pkcs1, opts) as PrivateKey);
      assert.throws(() => exportPrivateKeyPem(key, { format: "sec1" }), TypeError);
    } else {
      assert.throws(() => exportPrivateKeyPem(key, { format: "sec1" }), TypeError);
    }
    // JWK (private and public)
    const jwk = exportJwk(key);
    assert.equal(jwk.kid, key.keyid);
    assert.ok(jwk.d !== undefined);
    await assertSameKey(key, importJwk(jwk) as PrivateKey);
    const publicJwk = exportJwk(key.publicKey);
    assert.equal(publicJwk.d, undefined);
    await assertSameKey(key, importJwk(publicJwk) as PublicKey);
    assert.deepEqual(exportJwk(importJwk(jwk)), jwk);
    // Cosign encrypted key (cheap scrypt cost for the test)
    const encrypted = await encryptCosignKey(key, "hello", { scryptN: 1024 });
    await assertSameKey(key, await decryptCosignKey(encrypted, "hello", opts));
    await assert.rejects(decryptCosignKey(encrypted, "hellO"), { code: "KEY_DECRYPTION_FAILED" });
    // importKey detects every format
    for (
      const input of [pubPem, pkcs8Pem, JSON.stringify(jwk), exportSpki(key), exportPkcs8(key)]
    ) {
      assert.equal((await importKey(input, opts)).keyid, key.keyid);
    }
    assert.equal((await importKey(encrypted, { password: "hello" })).keyid, key.keyid);
  });

  Deno.test(`${algorithm}: node:crypto reads our PKCS#8 and derives our SPKI`, async () => {
    const key = await privateKey(algorithm);
    const nodeKey = createPrivateKey({
      key: Buffer.from(exportPkcs8(key)),
      format: "der",
      type: "pkcs8",
    });
    const spki = createPublicKey(nodeKey).export({ format: "der", type: "spki" });
    assert.deepEqual(new Uint8Array(spki), exportSpki(key));
    // And the other way: node's PKCS#8 of the same key imports to the same key id.
    const nodePkcs8 = nodeKey.export({ format: "der", type: "pkcs8" });
    assert.equal(importPkcs8(new Uint8Array(nodePkcs8)).keyid, key.keyid);
    const nodeJwk = nodeKey.export({ format: "jwk" }) as JsonWebKey;
    assert.equal(importJwk(nodeJwk).keyid, key.keyid);
  });
}

Deno.test("hmac: round trips through raw bytes, JWK and importKey", async () => {
  const key = await generateKeyPair("hmac");
  assert.equal(key.kind, "secret");
  if (key.kind !== "secret") return;
  const raw = exportHmacSecret(key);
  assert.equal(raw.length, 32);
  const again = importHmacSecret(raw);
  assert.equal(again.keyid, key.keyid);
  const jwk = exportJwk(key);
  assert.deepEqual(Object.keys(jwk).sort(), ["alg", "k", "kid", "kty"]);
  assert.equal(importJwk(jwk).keyid, key.keyid);
  assert.equal((await importKey(raw, { format: "hmac" })).keyid, key.keyid);
  assert.equal((await importKey(JSON.stringify(jwk))).keyid, key.keyid);
  const tag = await createSigner(key).sign(data);
  assert.equal(await createVerifier(again).verify(data, tag), true);
});
