import assert from "node:assert/strict";
import { createSigner, generateKeyPair, type PrivateKey } from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { decodeBase64, encodeBase64Url } from "../../lib/encoding/mod.ts";
import { importHmacSecret, importJwk } from "../../lib/keys/mod.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64u = (hex: string): string => encodeBase64Url(Uint8Array.fromHex(hex));

function ecKey(crv: "P-256" | "P-384", d: string, x: string, y: string): PrivateKey {
  const key = importJwk({ kty: "EC", crv, d: b64u(d), x: b64u(x), y: b64u(y) });
  assert.equal(key.kind, "private");
  return key as PrivateKey;
}

// RFC 6979 §A.2.5 (P-256) and §A.2.6 (P-384) key pairs.
const P256 = ecKey(
  "P-256",
  "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
  "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6",
  "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
);
const P384 = ecKey(
  "P-384",
  "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5",
  "ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc13",
  "8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720",
);

Deno.test("ECDSA P-256 signs the RFC 6979 §A.2.5 SHA-256 vectors byte for byte", async () => {
  const p1363 = createSigner(P256, { ecdsaSignatureFormat: "p1363" });
  assert.equal(p1363.algorithm, "ecdsa-p256-sha256");
  assert.equal(
    (await p1363.sign(text("sample"))).toHex(),
    "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716" +
      "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
  );
  assert.equal(
    (await p1363.sign(text("test"))).toHex(),
    "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367" +
      "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083",
  );
  // Default DER: s of "sample" is high (> n/2) and is not normalised (pure RFC 6979).
  assert.equal(
    (await createSigner(P256).sign(text("sample"))).toHex(),
    "3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716" +
      "022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
  );
  // "test": s has a leading zero nibble, so the DER INTEGER is 32 bytes without a sign byte.
  assert.equal(
    (await createSigner(P256).sign(text("test"))).toHex(),
    "3045022100f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367" +
      "0220019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083",
  );
});

Deno.test("ECDSA P-384 signs the RFC 6979 §A.2.6 SHA-384 vectors byte for byte", async () => {
  const signer = createSigner(P384, { ecdsaSignatureFormat: "p1363" });
  assert.equal(signer.algorithm, "ecdsa-p384-sha384");
  assert.equal(
    (await signer.sign(text("sample"))).toHex(),
    "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46" +
      "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8",
  );
  assert.equal(
    (await signer.sign(text("test"))).toHex(),
    "8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023db" +
      "ddd0760448d42d8a43af45af836fce4de8be06b485e9b61b827c2f13173923e06a739f040649a667bf3b828246baa5a5",
  );
  const der = await createSigner(P384).sign(text("sample"));
  assert.equal(der.toHex().slice(0, 10), "3066023100");
  assert.equal(await createVerifier(P384).verify(text("sample"), der), true);
});

Deno.test("Ed25519 signs RFC 8032 §7.1 TEST 1", async () => {
  const key = importJwk({
    kty: "OKP",
    crv: "Ed25519",
    d: b64u("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
    x: b64u("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
  }) as PrivateKey;
  const signature = await createSigner(key).sign(new Uint8Array());
  assert.equal(
    signature.toHex(),
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  );
});

Deno.test("HMAC-SHA256 signs RFC 4231 test case 1", async () => {
  const key = importHmacSecret(new Uint8Array(20).fill(0x0b));
  const tag = await createSigner(key).sign(text("Hi There"));
  assert.equal(tag.toHex(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
});

Deno.test("RSA signers: PKCS#1 v1.5 is deterministic, PSS uses a fresh 32-byte salt", async () => {
  const pss = await generateKeyPair("rsa-pss", { bits: 2048 }) as PrivateKey;
  assert.equal(pss.algorithm, "rsa-pss-sha256");
  const data = text("payload");
  const pssSigner = createSigner(pss);
  const [a, b] = [await pssSigner.sign(data), await pssSigner.sign(data)];
  assert.equal(a.length, 256);
  assert.notDeepEqual(a, b);
  for (const sig of [a, b]) {
    assert.equal(await createVerifier(pss).verify(data, sig), true);
    assert.equal(await createVerifier(pss, { rsaPssSaltLength: 32 }).verify(data, sig), true);
    assert.equal(await createVerifier(pss, { rsaPssSaltLength: 20 }).verify(data, sig), false);
    assert.equal(await createVerifier(pss, { rsaPssSaltLength: "auto" }).verify(data, sig), true);
    assert.equal(
      await createVerifier(pss, { algorithm: "rsa-pkcs1-sha256" }).verify(data, sig),
      false,
    );
  }
  const pkcs1 = createSigner(pss, { algorithm: "rsa-pkcs1-sha256" });
  assert.equal(pkcs1.algorithm, "rsa-pkcs1-sha256");
  const c = await pkcs1.sign(data);
  assert.deepEqual(await pkcs1.sign(data), c);
  assert.equal(await createVerifier(pss, { algorithm: "rsa-pkcs1-sha256" }).verify(data, c), true);
  assert.equal(await createVerifier(pss).verify(data, c), false);
});

Deno.test("every generated key signs and its public key verifies; signatures are deterministic", async () => {
  for (const algorithm of ["ed25519", "ecdsa-p256", "ecdsa-p384", "rsa-pkcs1", "hmac"] as const) {
    const key = await generateKeyPair(algorithm, { bits: algorithm === "hmac" ? 256 : 2048 });
    const signer = createSigner(key);
    assert.equal(signer.keyid, key.keyid);
    assert.equal(signer.algorithm, key.algorithm);
    const data = text(`data for ${algorithm}`);
    const signature = await signer.sign(data);
    assert.deepEqual(await signer.sign(data), signature, algorithm);
    const verifier = createVerifier(key.kind === "private" ? key.publicKey : key);
    assert.equal(await verifier.verify(data, signature), true, algorithm);
    assert.equal(
      await verifier.verify(text(`data for ${algorithm}!`), signature),
      false,
      algorithm,
    );
  }
});

Deno.test("createSigner options: keyid override, ECDSA format, and misuse errors", async () => {
  const signer = createSigner(P256, { keyid: "custom" });
  assert.equal(signer.keyid, "custom");
  assert.ok(Object.isFrozen(signer));
  assert.throws(() => createSigner(P256, { algorithm: "ed25519" }), TypeError);
  assert.throws(() => createSigner(P256, { algorithm: "rsa-pss-sha256" }), TypeError);
  assert.throws(
    () => createSigner(P256, { ecdsaSignatureFormat: "raw" as unknown as "der" }),
    TypeError,
  );
  assert.throws(() => createSigner(P256.publicKey as unknown as PrivateKey), TypeError);
  assert.throws(() => createSigner({ ...P256 }), TypeError);
  await assert.rejects(signer.sign("text" as unknown as Uint8Array), TypeError);
  const hmac = importHmacSecret(decodeBase64("AAAAAAAAAAAAAAAAAAAAAA=="));
  assert.throws(() => createSigner(hmac, { algorithm: "ed25519" }), TypeError);
});
