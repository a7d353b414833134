import assert from "node:assert/strict";
import { generateKeyPair, type KeyAlgorithm } from "../../mod.ts";

Deno.test("generateKeyPair makes each key type with its default algorithm and size", async () => {
  const expected: Record<Exclude<KeyAlgorithm, "rsa-pss" | "rsa-pkcs1">, [string, string, number]> =
    {
      "ed25519": ["private", "ed25519", 256],
      "ecdsa-p256": ["private", "ecdsa-p256-sha256", 256],
      "ecdsa-p384": ["private", "ecdsa-p384-sha384", 384],
      "hmac": ["secret", "hmac-sha256", 256],
    };
  for (const [algorithm, [kind, signature, bits]] of Object.entries(expected)) {
    const key = await generateKeyPair(algorithm as KeyAlgorithm);
    assert.deepEqual([key.kind, key.algorithm, key.bits], [kind, signature, bits], algorithm);
  }
  const keys = await Promise.all([generateKeyPair("ed25519"), generateKeyPair("ed25519")]);
  assert.notEqual(keys[0].keyid, keys[1].keyid);
});

Deno.test("generateKeyPair RSA: 3072 by default, 2048-4096 allowed, PSS or PKCS#1 by name", async () => {
  const rsa = await generateKeyPair("rsa-pkcs1");
  assert.deepEqual([rsa.type, rsa.bits, rsa.algorithm], ["rsa", 3072, "rsa-pkcs1-sha256"]);
  const pss = await generateKeyPair("rsa-pss", { bits: 2048 });
  assert.deepEqual([pss.bits, pss.algorithm], [2048, "rsa-pss-sha256"]);
  for (const bits of [1024, 2047, 4104, 8192]) {
    await assert.rejects(generateKeyPair("rsa-pss", { bits }), RangeError, String(bits));
  }
  assert.equal((await generateKeyPair("hmac", { bits: 512 })).bits, 512);
  await assert.rejects(generateKeyPair("hmac", { bits: 64 }), RangeError);
  await assert.rejects(generateKeyPair("dsa" as KeyAlgorithm), TypeError);
});
