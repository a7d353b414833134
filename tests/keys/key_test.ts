import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { computeKeyId, createSigner, generateKeyPair, type PrivateKey } from "../../mod.ts";
import {
  exportSpki,
  importHmacSecret,
  isSignatureAlgorithm,
  KEY_ALGORITHMS,
  KEY_TYPES,
  SIGNATURE_ALGORITHMS,
} from "../../lib/keys/mod.ts";

Deno.test("vocabularies are closed tuples", () => {
  assert.deepEqual([...KEY_TYPES], ["ed25519", "ecdsa-p256", "ecdsa-p384", "rsa", "hmac"]);
  assert.deepEqual([...KEY_ALGORITHMS], [
    "ed25519",
    "ecdsa-p256",
    "ecdsa-p384",
    "rsa-pss",
    "rsa-pkcs1",
    "hmac",
  ]);
  assert.equal(SIGNATURE_ALGORITHMS.length, 6);
  assert.equal(isSignatureAlgorithm("hmac-sha256"), true);
  assert.equal(isSignatureAlgorithm("ecdsa-p521-sha512"), false);
  assert.equal(isSignatureAlgorithm(undefined), false);
});

Deno.test("asymmetric key ids are the hex sha256 of the SPKI DER; private keys share them", async () => {
  const key = await generateKeyPair("ecdsa-p384") as PrivateKey;
  assert.equal(key.keyid, computeKeyId(exportSpki(key)));
  assert.equal(key.keyid, key.publicKey.keyid);
  assert.match(key.keyid, /^[0-9a-f]{64}$/);
});

Deno.test("HMAC key ids are keyed and domain-separated, never sha256(secret)", () => {
  const secret = new TextEncoder().encode("correct horse battery staple 123");
  const key = importHmacSecret(secret);
  const expected = createHmac("sha256", secret).update("stellaops/hmac-keyid/v1").digest("hex");
  assert.equal(key.keyid, expected);
  assert.notEqual(key.keyid, computeKeyId(secret));
  assert.equal(importHmacSecret(secret).keyid, key.keyid); // stable
});

Deno.test("key objects are frozen metadata; material is not reachable or printable", async () => {
  const key = await generateKeyPair("ed25519") as PrivateKey;
  assert.ok(Object.isFrozen(key));
  assert.ok(Object.isFrozen(key.publicKey));
  assert.deepEqual(Object.keys(key).sort(), [
    "algorithm",
    "bits",
    "keyid",
    "kind",
    "publicKey",
    "type",
  ]);
  const json = JSON.stringify(key);
  assert.deepEqual(Object.keys(JSON.parse(json)).sort(), Object.keys(key).sort());
  assert.ok(!Deno.inspect(key, { showHidden: true, depth: 10 }).includes("seed"));
  // A look-alike object is refused: only imported or generated keys carry material.
  assert.throws(() => createSigner(JSON.parse(json)), TypeError);
});
