import assert from "node:assert/strict";
import {
  createTrustPolicy,
  generateKeyPair,
  loadTrustMaterial,
  type PublicKey,
} from "../../mod.ts";
import { parseTrustPolicy } from "../../lib/verify/mod.ts";
import { canonicalize } from "../../mod.ts";

async function publicKey(algorithm: "ed25519" | "ecdsa-p256"): Promise<PublicKey> {
  const key = await generateKeyPair(algorithm);
  if (key.kind !== "private") throw new Error("unreachable");
  return key.publicKey;
}

Deno.test("createTrustPolicy() lists each key with name, keyid and PEM, and the threshold and predicate types", async () => {
  const a = await publicKey("ed25519");
  const b = await publicKey("ecdsa-p256");
  const doc = createTrustPolicy([{ publicKey: a, name: "a.pub.pem" }, { publicKey: b }], {
    threshold: 2,
    predicateType: ["stella.ops/promotion@v1", "https://slsa.dev/provenance/v1"],
  });
  assert.deepEqual(Object.keys(doc), ["version", "keys", "threshold", "allowedPredicateTypes"]);
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.keys.map((k) => [k.name, k.keyid]), [["a.pub.pem", a.keyid], [
    undefined,
    b.keyid,
  ]]);
  assert.match(doc.keys[0]!.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
  const reparsed = parseTrustPolicy(canonicalize(doc));
  const policy = loadTrustMaterial({ trustPolicy: reparsed });
  assert.deepEqual(policy.keys.map((k) => k.keyid), [a.keyid, b.keyid]);
  assert.equal(policy.threshold, 2);
  assert.deepEqual(policy.allowedPredicateTypes, [
    "stella.ops/promotion@v1",
    "https://slsa.dev/provenance/v1",
  ]);
  // Without options: only version and keys.
  assert.deepEqual(Object.keys(createTrustPolicy([{ publicKey: a }])), ["version", "keys"]);
});

Deno.test("createTrustPolicy() refuses no keys, a key twice, an impossible threshold and bad predicate types", async () => {
  const a = await publicKey("ed25519");
  assert.throws(() => createTrustPolicy([]), {
    name: "RangeError",
    message: "Cannot make a trust policy without keys: give at least one public key",
  });
  assert.throws(
    () => createTrustPolicy([{ publicKey: a, name: "a.pem" }, { publicKey: a, name: "b.pem" }]),
    { name: "RangeError", message: "Cannot list the same public key twice: a.pem and b.pem" },
  );
  for (const threshold of [0, 2, 1.5, -1]) {
    assert.throws(() => createTrustPolicy([{ publicKey: a }], { threshold }), RangeError);
  }
  assert.throws(() => createTrustPolicy([{ publicKey: a }], { threshold: 2 }), {
    message: "Cannot require 2 signatures from 1 key: use a threshold from 1 to 1",
  });
  assert.throws(() => createTrustPolicy([{ publicKey: a }], { predicateType: [""] }), RangeError);
  assert.throws(
    () => createTrustPolicy([{ publicKey: a }], { predicateType: ["x", "x"] }),
    { message: 'Cannot list predicate type "x" twice' },
  );
  const pair = await generateKeyPair("ed25519");
  assert.throws(() => createTrustPolicy([{ publicKey: pair as never }]), TypeError);
});
