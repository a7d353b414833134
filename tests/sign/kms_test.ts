import assert from "node:assert/strict";
import { p256, p384 } from "@noble/curves/nist.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";
import { createSigner, exportPublicKeyPem, generateKeyPair, ParseError } from "../../mod.ts";
import type { KeyManagementService } from "../../lib/sign/kms_mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { exportSpki } from "../../lib/keys/mod.ts";
import { createKmsSigner, KmsSigner } from "../../lib/sign/kms_mod.ts";

const enc = new TextEncoder();
const DATA = enc.encode("DSSEv1 10 text/plain 5 hello");
const hex = async (bytes: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice())).toHex();

function spkiOf(prefixHex: string, point: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = Uint8Array.fromHex(prefixHex);
  const out = new Uint8Array(prefix.length + point.length);
  out.set(prefix);
  out.set(point, prefix.length);
  return out;
}

const P256_SK = sha256(enc.encode("kms_test p256"));
const P256_SPKI = spkiOf(
  "3059301306072a8648ce3d020106082a8648ce3d030107034200",
  p256.getPublicKey(P256_SK, false),
);
const P384_SK = sha384(enc.encode("kms_test p384"));
const P384_SPKI = spkiOf(
  "3076301006072a8648ce3d020106052b81040022036200",
  p384.getPublicKey(P384_SK, false),
);

interface Call {
  keyRef: string;
  digest: Uint8Array;
  hash: string;
}

/** An in-process KMS holding one ECDSA key that signs digests (what cloud KMSs do). */
function ecKms(
  curve: typeof p256,
  sk: Uint8Array,
  spki: Uint8Array,
  format: "der" | "compact",
  calls: Call[],
) {
  return {
    getPublicKey: () => Promise.resolve(spki),
    signDigest: (keyRef: string, digest: Uint8Array, hash: string) => {
      calls.push({ keyRef, digest, hash });
      return Promise.resolve(curve.sign(digest, sk, { prehash: false, format }));
    },
  } satisfies KeyManagementService;
}

async function webCryptoVerify(
  spki: Uint8Array,
  namedCurve: string,
  hash: string,
  der: Uint8Array,
  data: Uint8Array,
) {
  const key = await crypto.subtle.importKey(
    "spki",
    spki.slice(),
    { name: "ECDSA", namedCurve },
    false,
    ["verify"],
  );
  const curve = namedCurve === "P-256" ? p256 : p384;
  const p1363 = curve.Signature.fromBytes(der, "der").toBytes("compact");
  return crypto.subtle.verify({ name: "ECDSA", hash }, key, p1363.slice(), data.slice());
}

Deno.test("KmsSigner (P-256): hashes locally with SHA-256, key id is sha256(SPKI), WebCrypto verifies", async () => {
  const calls: Call[] = [];
  const signer = await createKmsSigner(
    ecKms(p256, P256_SK, P256_SPKI, "der", calls),
    "test://p256",
  );
  assert.ok(signer instanceof KmsSigner);
  assert.equal(signer.keyid, await hex(P256_SPKI));
  assert.equal(signer.algorithm, "ecdsa-p256-sha256");
  assert.equal(signer.keyRef, "test://p256");
  const signature = await signer.sign(DATA);
  assert.equal(signature[0], 0x30);
  assert.deepEqual(calls, [{ keyRef: "test://p256", digest: sha256(DATA), hash: "sha256" }]);
  assert.equal(await webCryptoVerify(P256_SPKI, "P-256", "SHA-256", signature, DATA), true);
  assert.equal(
    await webCryptoVerify(P256_SPKI, "P-256", "SHA-256", signature, enc.encode("other")),
    false,
  );
});

Deno.test("KmsSigner (P-384): SHA-384 digest, IEEE P1363 output normalised to DER", async () => {
  const calls: Call[] = [];
  const pem = `-----BEGIN PUBLIC KEY-----\n${P384_SPKI.toBase64()}\n-----END PUBLIC KEY-----\n`;
  const kms = {
    ...ecKms(p384 as unknown as typeof p256, P384_SK, P384_SPKI, "compact", calls),
    getPublicKey: () => Promise.resolve(pem),
  };
  const signer = await createKmsSigner(kms, "test://p384");
  assert.equal(signer.algorithm, "ecdsa-p384-sha384");
  const signature = await signer.sign(DATA);
  assert.equal(calls[0]!.hash, "sha384");
  assert.deepEqual(calls[0]!.digest, sha384(DATA));
  assert.equal(signature[0], 0x30); // DER, not the 96-byte P1363 the KMS returned
  assert.notEqual(signature.length, 96);
  assert.equal(await webCryptoVerify(P384_SPKI, "P-384", "SHA-384", signature, DATA), true);
});

Deno.test("KmsSigner (Ed25519): the KMS signs the whole message, WebCrypto verifies", async () => {
  const seed = sha256(enc.encode("kms_test ed25519"));
  const spki = spkiOf("302a300506032b6570032100", ed25519.getPublicKey(seed));
  const messages: Uint8Array[] = [];
  const kms: KeyManagementService = {
    getPublicKey: () => Promise.resolve(spki),
    signDigest: () => Promise.reject(new Error("not for Ed25519")),
    signMessage: (
      _ref,
      message,
    ) => (messages.push(message), Promise.resolve(ed25519.sign(message, seed))),
  };
  const signer = await createKmsSigner(kms, "test://ed");
  assert.equal(signer.algorithm, "ed25519");
  const signature = await signer.sign(DATA);
  assert.deepEqual(messages, [DATA]);
  const key = await crypto.subtle.importKey("spki", spki, "Ed25519", false, ["verify"]);
  assert.equal(await crypto.subtle.verify("Ed25519", key, signature, DATA), true);
  const noMessage = { getPublicKey: kms.getPublicKey, signDigest: kms.signDigest };
  await assert.rejects(createKmsSigner(noMessage, "test://ed"), {
    name: "TypeError",
    message: /signMessage/,
  });
});

Deno.test("KmsSigner (RSA): the algorithm option picks PKCS#1 v1.5 or PSS", async () => {
  const key = await generateKeyPair("rsa-pkcs1");
  if (key.kind !== "private") throw new Error("unreachable");
  for (const algorithm of ["rsa-pkcs1-sha256", "rsa-pss-sha256"] as const) {
    const local = createSigner(key, { algorithm });
    const pending = DATA; // the only message this stand-in is asked to sign
    const kms: KeyManagementService = {
      getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
      // A stand-in: a real KMS signs the digest; here the local key signs the message it came from.
      signDigest: (_ref, digest, hash) => {
        assert.equal(hash, "sha256");
        assert.deepEqual(digest, sha256(pending));
        return local.sign(pending);
      },
    };
    const signer = await createKmsSigner(kms, "test://rsa", { algorithm });
    assert.equal(signer.algorithm, algorithm);
    assert.equal(signer.keyid, await hex(exportSpki(key)));
    const signature = await signer.sign(DATA);
    assert.equal(await createVerifier(key.publicKey, { algorithm }).verify(DATA, signature), true);
  }
  await assert.rejects(
    createKmsSigner(
      {
        getPublicKey: () => Promise.resolve(exportPublicKeyPem(key)),
        signDigest: () => Promise.resolve(new Uint8Array()),
      },
      "test://rsa",
      {
        algorithm: "ecdsa-p256-sha256",
      },
    ),
    TypeError,
  );
});

Deno.test("KmsSigner refuses a signature that does not verify against the KMS public key", async () => {
  const other = sha256(enc.encode("another key"));
  const kms: KeyManagementService = {
    getPublicKey: () => Promise.resolve(P256_SPKI),
    signDigest: (_ref, digest) =>
      Promise.resolve(p256.sign(digest, other, { prehash: false, format: "der" })),
  };
  const signer = await createKmsSigner(kms, "test://bad");
  await assert.rejects(signer.sign(DATA), {
    message:
      'Cannot sign with KMS key "test://bad": the KMS returned a signature that does not verify against its public key',
  });
  // Verification can be switched off (e.g. for a KMS that verifies remotely); the bytes pass through.
  const unchecked = await createKmsSigner(kms, "test://bad", { verifySignatures: false });
  assert.equal((await unchecked.sign(DATA))[0], 0x30);
});

Deno.test("KmsSigner passes KMS errors through and rejects unreadable public keys", async () => {
  const kms: KeyManagementService = {
    getPublicKey: () => Promise.resolve(P256_SPKI),
    signDigest: () => Promise.reject(new Error("quota exceeded")),
  };
  await assert.rejects((await createKmsSigner(kms, "test://k")).sign(DATA), {
    message: "quota exceeded",
  });
  const garbage = { ...kms, getPublicKey: () => Promise.resolve(new Uint8Array([1, 2, 3])) };
  await assert.rejects(
    createKmsSigner(garbage, "test://k"),
    (e: unknown) => e instanceof ParseError && e.code === "KEY_INVALID",
  );
  const notPem = { ...kms, getPublicKey: () => Promise.resolve("hello") };
  await assert.rejects(createKmsSigner(notPem, "test://k"), ParseError);
  const weird = { ...kms, getPublicKey: () => Promise.resolve(42 as unknown as string) };
  await assert.rejects(createKmsSigner(weird, "test://k"), { code: "KEY_INVALID" });
  assert.throws(() => new KmsSigner({} as KeyManagementService, "x", {} as never), TypeError);
});
