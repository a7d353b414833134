import assert from "node:assert/strict";
import {
  createSigner,
  generateKeyPair,
  type KeyAlgorithm,
  type PrivateKey,
  type SecretKey,
} from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { importHmacSecret } from "../../lib/keys/mod.ts";

const data = new TextEncoder().encode("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
const KEYS = new Map<KeyAlgorithm, PrivateKey | SecretKey>();
for (
  const algorithm of [
    "ed25519",
    "ecdsa-p256",
    "ecdsa-p384",
    "rsa-pss",
    "rsa-pkcs1",
    "hmac",
  ] as const
) {
  KEYS.set(
    algorithm,
    await generateKeyPair(algorithm, { bits: algorithm === "hmac" ? 256 : 2048 }),
  );
}
const OTHER = new Map<KeyAlgorithm, PrivateKey | SecretKey>();
for (const algorithm of KEYS.keys()) {
  OTHER.set(
    algorithm,
    await generateKeyPair(algorithm, { bits: algorithm === "hmac" ? 256 : 2048 }),
  );
}

function publicOf(key: PrivateKey | SecretKey) {
  return key.kind === "private" ? key.publicKey : key;
}

for (const [algorithm, key] of KEYS) {
  Deno.test(`${algorithm}: tampered, truncated, extended, empty and wrong-key signatures are false`, async () => {
    const signature = await createSigner(key).sign(data);
    const verifier = createVerifier(publicOf(key));
    assert.equal(verifier.keyid, key.keyid);
    assert.equal(await verifier.verify(data, signature), true);
    // Tampered data: one bit anywhere.
    for (const index of [0, 7, data.length - 1]) {
      const tampered = data.slice();
      tampered[index]! ^= 0x01;
      assert.equal(await verifier.verify(tampered, signature), false, `data byte ${index}`);
    }
    // Tampered signature: one bit in every byte position (sampled for long RSA signatures).
    const step = signature.length > 128 ? 17 : 1;
    for (let index = 0; index < signature.length; index += step) {
      const tampered = signature.slice();
      tampered[index]! ^= 0x80;
      assert.equal(await verifier.verify(data, tampered), false, `signature byte ${index}`);
    }
    // Truncated and extended.
    for (let n = 0; n < signature.length; n += Math.max(1, Math.floor(signature.length / 9))) {
      assert.equal(
        await verifier.verify(data, signature.subarray(0, n)),
        false,
        `truncated to ${n}`,
      );
    }
    const extended = new Uint8Array(signature.length + 1);
    extended.set(signature);
    assert.equal(await verifier.verify(data, extended), false, "extended");
    assert.equal(await verifier.verify(data, new Uint8Array()), false, "empty");
    assert.equal(await verifier.verify(data, new Uint8Array(signature.length)), false, "zeros");
    assert.equal(await verifier.verify(data, "sig" as unknown as Uint8Array), false, "not bytes");
    // Wrong key of the same algorithm.
    const other = createVerifier(publicOf(OTHER.get(algorithm)!), { algorithm: key.algorithm });
    assert.equal(await other.verify(data, signature), false, "wrong key");
    // Misuse of the data argument is a TypeError, not a verdict.
    await assert.rejects(verifier.verify("x" as unknown as Uint8Array, signature), TypeError);
  });
}

Deno.test("ECDSA: P1363 only when the option says so, DER never under p1363", async () => {
  const key = KEYS.get("ecdsa-p256") as PrivateKey;
  const der = await createSigner(key).sign(data);
  const p1363 = await createSigner(key, { ecdsaSignatureFormat: "p1363" }).sign(data);
  assert.equal(p1363.length, 64);
  const strict = createVerifier(key.publicKey);
  const p1363Only = createVerifier(key.publicKey, { ecdsaSignatureFormat: "p1363" });
  const either = createVerifier(key.publicKey, { ecdsaSignatureFormat: "der-or-p1363" });
  assert.deepEqual(
    [
      await strict.verify(data, der),
      await strict.verify(data, p1363),
      await p1363Only.verify(data, der),
      await p1363Only.verify(data, p1363),
      await either.verify(data, der),
      await either.verify(data, p1363),
    ],
    [true, false, false, true, true, true],
  );
  assert.throws(
    () => createVerifier(key, { ecdsaSignatureFormat: "raw" as unknown as "der" }),
    TypeError,
  );
});

Deno.test("ECDSA: both s and n - s verify (no low-S rule), r = 0 and s >= n do not", async () => {
  const key = KEYS.get("ecdsa-p256") as PrivateKey;
  const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const p1363 = await createSigner(key, { ecdsaSignatureFormat: "p1363" }).sign(data);
  const r = p1363.subarray(0, 32);
  const s = BigInt("0x" + p1363.subarray(32).toHex());
  const withS = (value: bigint): Uint8Array => {
    const out = new Uint8Array(64);
    out.set(r);
    out.set(Uint8Array.fromHex(value.toString(16).padStart(64, "0")), 32);
    return out;
  };
  const verifier = createVerifier(key, { ecdsaSignatureFormat: "p1363" });
  assert.equal(await verifier.verify(data, withS(n - s)), true);
  assert.equal(await verifier.verify(data, withS(n)), false);
  assert.equal(await verifier.verify(data, withS((1n << 256n) - 1n)), false);
  assert.equal(await verifier.verify(data, withS(0n)), false);
  const zeroR = withS(s);
  zeroR.fill(0, 0, 32);
  assert.equal(await verifier.verify(data, zeroR), false);
});

Deno.test("HMAC: truncated tags only with hmacTagLength, compared in full", async () => {
  const key = importHmacSecret(new Uint8Array(32).fill(3));
  const tag = await createSigner(key).sign(data);
  assert.equal(await createVerifier(key).verify(data, tag.subarray(0, 16)), false);
  const truncated = createVerifier(key, { hmacTagLength: 16 });
  assert.equal(await truncated.verify(data, tag.subarray(0, 16)), true);
  assert.equal(await truncated.verify(data, tag), false);
  const wrong = tag.slice(0, 16);
  wrong[15]! ^= 1;
  assert.equal(await truncated.verify(data, wrong), false);
  assert.throws(() => createVerifier(key, { hmacTagLength: 8 }), RangeError);
  assert.throws(() => createVerifier(key, { hmacTagLength: 33 }), RangeError);
});

Deno.test("createVerifier: algorithm and option misuse throws, private keys verify", async () => {
  const rsa = KEYS.get("rsa-pss") as PrivateKey;
  assert.throws(() => createVerifier(rsa, { algorithm: "ed25519" }), TypeError);
  assert.throws(() => createVerifier(rsa, { rsaPssSaltLength: -1 }), RangeError);
  assert.throws(() => createVerifier(rsa, { rsaPssSaltLength: 1000 }), RangeError);
  assert.throws(() => createVerifier({ ...rsa.publicKey }), TypeError);
  const ed = KEYS.get("ed25519") as PrivateKey;
  const signature = await createSigner(ed).sign(data);
  assert.equal(await createVerifier(ed).verify(data, signature), true);
  assert.equal(createVerifier(ed, { keyid: "k" }).keyid, "k");
});
