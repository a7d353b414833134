/**
 * Sigstore's algorithm registry (`lib/verify/_sigstore_algorithm.ts`): the scheme comes from the
 * key, the digest from the key's default or the one the bundle names when the registry pairs it
 * with the key, and a signature is checked once under exactly that scheme.
 */
import assert from "node:assert/strict";
import { p384, p521 } from "@noble/curves/nist.js";
import { constants, createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import {
  algorithmFor,
  readSigningKey,
  type SigningKey,
  type SigstoreAlgorithm,
  verifySigstoreSignature,
} from "../../lib/verify/_sigstore_algorithm.ts";

const MESSAGE = new TextEncoder().encode("artifact bytes\n");

function pair(
  kind: "P-256" | "P-384" | "P-521" | "ed25519" | { rsa: number },
): { privateKey: KeyObject; spki: Uint8Array } {
  const keys = typeof kind === "object"
    ? generateKeyPairSync("rsa", { modulusLength: kind.rsa })
    : kind === "ed25519"
    ? generateKeyPairSync("ed25519")
    : generateKeyPairSync("ec", { namedCurve: kind });
  return {
    privateKey: keys.privateKey,
    spki: new Uint8Array(keys.publicKey.export({ type: "spki", format: "der" })),
  };
}

function key(spki: Uint8Array): SigningKey {
  const read = readSigningKey(spki);
  if (typeof read === "string") throw new Error(read);
  return read;
}

function algorithm(signing: SigningKey, hash?: "sha256" | "sha384" | "sha512"): SigstoreAlgorithm {
  const found = algorithmFor(signing, hash);
  if (typeof found === "string") throw new Error(found);
  return found;
}

function digest(hash: string, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(hash).update(bytes).digest());
}

Deno.test("registry: each ECDSA curve signs its default digest and verifies over message or digest", async () => {
  for (
    const [curve, hash, details] of [
      ["P-256", "sha256", "PKIX_ECDSA_P256_SHA_256"],
      ["P-384", "sha384", "PKIX_ECDSA_P384_SHA_384"],
      ["P-521", "sha512", "PKIX_ECDSA_P521_SHA_512"],
    ] as const
  ) {
    const { privateKey, spki } = pair(curve);
    const signing = key(spki);
    const chosen = algorithm(signing);
    assert.deepEqual(chosen, { details, hash });
    const signature = new Uint8Array(sign(hash, MESSAGE, privateKey));
    assert.equal(
      await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, signature),
      true,
    );
    assert.equal(
      await verifySigstoreSignature(signing, chosen, { digest: digest(hash, MESSAGE) }, signature),
      true,
      curve,
    );
    // The same signature under another digest of the message does not verify: no retry.
    const other = hash === "sha256" ? "sha384" : "sha256";
    assert.equal(
      await verifySigstoreSignature(signing, chosen, { digest: digest(other, MESSAGE) }, signature),
      false,
    );
  }
});

Deno.test("registry: P-384 and P-521 accept the deprecated SHA-256 pairing only when the bundle names it", async () => {
  for (const curve of ["P-384", "P-521"] as const) {
    const { privateKey, spki } = pair(curve);
    const signing = key(spki);
    const compat = algorithm(signing, "sha256");
    assert.equal(
      compat.details,
      curve === "P-384" ? "PKIX_ECDSA_P384_SHA_256" : "PKIX_ECDSA_P521_SHA_256",
    );
    // node:crypto refuses P-384/P-521 with SHA-256 here; sign the SHA-256 digest with noble.
    const d = Uint8Array.fromBase64(privateKey.export({ format: "jwk" }).d!, {
      alphabet: "base64url",
    });
    const curveImpl = curve === "P-384" ? p384 : p521;
    const signature = curveImpl.sign(digest("sha256", MESSAGE), d, {
      prehash: false,
      format: "der",
    });
    assert.equal(
      await verifySigstoreSignature(signing, compat, { message: MESSAGE }, signature),
      true,
    );
    // Under the key's default (what an unnamed digest means) the SHA-256 signature fails.
    assert.equal(
      await verifySigstoreSignature(signing, algorithm(signing), { message: MESSAGE }, signature),
      false,
    );
  }
  assert.match(
    String(algorithmFor(key(pair("P-384").spki), "sha512")),
    /pairs a P-384 key with SHA2_384 or SHA2_256, not SHA2_512/,
  );
  assert.match(
    String(algorithmFor(key(pair("P-256").spki), "sha384")),
    /pairs a P-256 key with SHA2_256, not SHA2_384/,
  );
});

Deno.test("registry: rsaEncryption keys are PKCS#1 v1.5 with SHA-256; a PSS signature does not verify", async () => {
  const { privateKey, spki } = pair({ rsa: 2048 });
  const signing = key(spki);
  const chosen = algorithm(signing);
  assert.deepEqual(chosen, { details: "PKIX_RSA_PKCS1V15_2048_SHA256", hash: "sha256" });
  assert.match(
    String(algorithmFor(signing, "sha512")),
    /2048-bit RSA key with SHA2_256, not SHA2_512/,
  );
  const pkcs1 = new Uint8Array(sign("sha256", MESSAGE, privateKey));
  assert.equal(await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, pkcs1), true);
  assert.equal(
    await verifySigstoreSignature(signing, chosen, { digest: digest("sha256", MESSAGE) }, pkcs1),
    true,
  );
  const pss = new Uint8Array(
    sign("sha256", MESSAGE, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }),
  );
  assert.equal(await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, pss), false);
  // Tampered, truncated, and a signature not below the modulus.
  const tampered = pkcs1.slice();
  tampered[100]! ^= 1;
  assert.equal(
    await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, tampered),
    false,
  );
  assert.equal(
    await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, pkcs1.subarray(1)),
    false,
  );
  assert.equal(
    await verifySigstoreSignature(
      signing,
      chosen,
      { message: MESSAGE },
      new Uint8Array(256).fill(0xff),
    ),
    false,
  );
});

Deno.test("registry: RSA sizes outside 2048/3072/4096 and other curves are refused", () => {
  assert.match(
    String(readSigningKey(pair({ rsa: 2304 }).spki)),
    /RSA key of 2304 bits is not in Sigstore's algorithm registry/,
  );
  const p224 = new Uint8Array(
    generateKeyPairSync("ec", { namedCurve: "P-224" }).publicKey.export({
      type: "spki",
      format: "der",
    }),
  );
  assert.equal(typeof readSigningKey(p224), "string");
  // A P-521 point that is not on the curve.
  const { spki } = pair("P-521");
  const bad = spki.slice();
  bad[bad.length - 1]! ^= 1;
  assert.equal(readSigningKey(bad), "the P-521 public key is not a point on the curve");
});

Deno.test("registry: Ed25519 signs the message itself, so a digest alone never verifies", async () => {
  const { privateKey, spki } = pair("ed25519");
  const signing = key(spki);
  const chosen = algorithm(signing, "sha256");
  assert.deepEqual(chosen, { details: "PKIX_ED25519", hash: undefined });
  const signature = new Uint8Array(sign(null, MESSAGE, privateKey));
  assert.equal(
    await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, signature),
    true,
  );
  assert.equal(
    await verifySigstoreSignature(
      signing,
      chosen,
      { digest: digest("sha256", MESSAGE) },
      signature,
    ),
    false,
  );
});

Deno.test("registry: ECDSA signatures must be strict DER with in-range r and s", async () => {
  const { privateKey, spki } = pair("P-521");
  const signing = key(spki);
  const chosen = algorithm(signing);
  const der = new Uint8Array(sign("sha512", MESSAGE, privateKey));
  assert.equal(await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, der), true);
  const trailing = new Uint8Array([...der, 0]);
  assert.equal(
    await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, trailing),
    false,
  );
  const p1363 = new Uint8Array(
    sign("sha512", MESSAGE, { key: privateKey, dsaEncoding: "ieee-p1363" }),
  );
  assert.equal(await verifySigstoreSignature(signing, chosen, { message: MESSAGE }, p1363), false);
});
