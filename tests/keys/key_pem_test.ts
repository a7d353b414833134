import assert from "node:assert/strict";
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  importKeyPem,
  type PrivateKey,
} from "../../mod.ts";
import { encodePem } from "../../lib/encoding/mod.ts";
import { exportSpki, KEY_PEM_LABELS } from "../../lib/keys/mod.ts";

const ed = await generateKeyPair("ed25519") as PrivateKey;
const ec = await generateKeyPair("ecdsa-p256") as PrivateKey;
const code = (expected: string) => ({ code: expected });

Deno.test("importKeyPem reads every supported label", async () => {
  assert.deepEqual([...KEY_PEM_LABELS], [
    "PUBLIC KEY",
    "PRIVATE KEY",
    "EC PRIVATE KEY",
    "RSA PUBLIC KEY",
    "RSA PRIVATE KEY",
  ]);
  const rsa = await generateKeyPair("rsa-pkcs1", { bits: 2048 }) as PrivateKey;
  const cases = [
    exportPublicKeyPem(ec),
    exportPrivateKeyPem(ec),
    exportPrivateKeyPem(ec, { format: "sec1" }),
  ];
  for (const pem of cases) assert.equal(importKeyPem(pem).keyid, ec.keyid);
  assert.equal(importKeyPem(exportPrivateKeyPem(rsa, { format: "pkcs1" })).keyid, rsa.keyid);
  // RSA PUBLIC KEY (PKCS#1) is the RSAPublicKey inside the SPKI bit string.
  const spki = exportSpki(rsa);
  const rsaPublicKey = spki.subarray(spki.length - 270);
  assert.equal(rsaPublicKey[0], 0x30);
  assert.equal(importKeyPem(encodePem("RSA PUBLIC KEY", rsaPublicKey)).keyid, rsa.keyid);
});

Deno.test("importKeyPem skips other blocks and explanatory text, but wants exactly one key", () => {
  const text = "Test key, do not use\n" +
    encodePem("EC PARAMETERS", new Uint8Array([6, 8, 42, 134, 72, 206, 61, 3, 1, 7])) +
    exportPrivateKeyPem(ec, { format: "sec1" }) + "trailing notes\n";
  assert.equal(importKeyPem(text).keyid, ec.keyid);
  assert.throws(
    () => importKeyPem(exportPublicKeyPem(ec) + exportPublicKeyPem(ed)),
    code("PEM_INVALID"),
  );
  assert.throws(() => importKeyPem("no key here"), code("PEM_NOT_FOUND"));
  assert.throws(
    () => importKeyPem(encodePem("CERTIFICATE", new Uint8Array([1]))),
    code("KEY_UNSUPPORTED"),
  );
  assert.throws(
    () => importKeyPem(encodePem("PUBLIC KEY", new Uint8Array([1, 2, 3]))),
    code("KEY_INVALID"),
  );
  // A PRIVATE KEY block holding a public key, and vice versa, are malformed keys.
  assert.throws(() => importKeyPem(encodePem("PRIVATE KEY", exportSpki(ec))), code("KEY_INVALID"));
});

Deno.test("importKeyPem explains encrypted keys instead of misreading them", () => {
  for (
    const label of [
      "ENCRYPTED SIGSTORE PRIVATE KEY",
      "ENCRYPTED COSIGN PRIVATE KEY",
      "ENCRYPTED PRIVATE KEY",
    ]
  ) {
    assert.throws(
      () => importKeyPem(encodePem(label, new Uint8Array([1]))),
      code("KEY_ENCRYPTED"),
      label,
    );
  }
  const legacy =
    "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAQID\n-----END EC PRIVATE KEY-----\n";
  assert.throws(() => importKeyPem(legacy), code("KEY_UNSUPPORTED"));
});

Deno.test("export PEM is canonical: 64-column base64, LF, final newline, stable", () => {
  const pem = exportPrivateKeyPem(ec);
  assert.match(
    pem,
    /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PRIVATE KEY-----\n$/,
  );
  assert.equal(exportPrivateKeyPem(importKeyPem(pem) as PrivateKey), pem);
  assert.equal(exportPublicKeyPem(ed.publicKey), exportPublicKeyPem(ed));
  assert.throws(() => exportPrivateKeyPem(ed.publicKey as unknown as PrivateKey), TypeError);
  assert.throws(() => exportPrivateKeyPem(ec, { format: "pem" as "pkcs8" }), TypeError);
});
