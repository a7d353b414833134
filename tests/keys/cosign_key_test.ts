import assert from "node:assert/strict";
import { generateKeyPair, type PrivateKey } from "../../mod.ts";
import { decodePem, encodePem } from "../../lib/encoding/mod.ts";
import {
  COSIGN_PRIVATE_KEY_LABEL,
  decryptCosignKey,
  encryptCosignKey,
} from "../../lib/keys/mod.ts";

const key = await generateKeyPair("ecdsa-p256") as PrivateKey;
const FAST = { scryptN: 1024 };
const rewrap = (label: string, doc: unknown): string =>
  encodePem(label, new TextEncoder().encode(JSON.stringify(doc)));
const documentOf = (pem: string) => JSON.parse(new TextDecoder().decode(decodePem(pem).bytes));

Deno.test("encryptCosignKey writes cosign's JSON document, reproducibly with a fixed salt and nonce", async () => {
  const salt = new Uint8Array(32).fill(1);
  const nonce = new Uint8Array(24).fill(2);
  const pem = await encryptCosignKey(key, "hello", { ...FAST, salt, nonce });
  assert.equal(pem, await encryptCosignKey(key, "hello", { ...FAST, salt, nonce }));
  assert.equal(decodePem(pem).label, COSIGN_PRIVATE_KEY_LABEL);
  const text = new TextDecoder().decode(decodePem(pem).bytes);
  assert.match(
    text,
    /^\{"kdf":\{"name":"scrypt","params":\{"N":1024,"r":8,"p":1\},"salt":"(?:AQEB){10}AQE="\},"cipher":\{"name":"nacl\/secretbox","nonce":"(?:AgIC){8}"\},"ciphertext":"[A-Za-z0-9+/=]+"\}$/,
  );
  // Default: random salt and nonce, cosign's N.
  const random = documentOf(await encryptCosignKey(key, "hello"));
  assert.deepEqual(random.kdf.params, { N: 32768, r: 8, p: 1 });
  assert.notEqual(random.kdf.salt, documentOf(pem).kdf.salt);
});

Deno.test("decryptCosignKey: right password, empty password, bytes password, legacy label", async () => {
  const pem = await encryptCosignKey(key, "", FAST);
  assert.equal((await decryptCosignKey(pem, "")).keyid, key.keyid);
  assert.equal((await decryptCosignKey(pem, new Uint8Array())).keyid, key.keyid);
  await assert.rejects(decryptCosignKey(pem, " "), { code: "KEY_DECRYPTION_FAILED" });
  const legacy = rewrap("ENCRYPTED COSIGN PRIVATE KEY", documentOf(pem));
  assert.equal((await decryptCosignKey(legacy, "")).keyid, key.keyid);
  await assert.rejects(decryptCosignKey(pem, 1 as unknown as string), TypeError);
});

Deno.test("decryptCosignKey refuses malformed, unsupported and over-expensive documents", async () => {
  const doc = documentOf(await encryptCosignKey(key, "pw", FAST));
  const cases: [unknown, string][] = [
    [{ ...doc, kdf: { ...doc.kdf, name: "argon2" } }, "KEY_UNSUPPORTED"],
    [{ ...doc, cipher: { ...doc.cipher, name: "aes-gcm" } }, "KEY_UNSUPPORTED"],
    [{ ...doc, kdf: { ...doc.kdf, params: { N: 1000, r: 8, p: 1 } } }, "KEY_INVALID"],
    [{ ...doc, kdf: { ...doc.kdf, params: { N: 1 << 22, r: 8, p: 1 } } }, "KEY_UNSUPPORTED"],
    [{ ...doc, kdf: { ...doc.kdf, params: { N: 1 << 20, r: 32, p: 1 } } }, "KEY_UNSUPPORTED"],
    [{ ...doc, kdf: { ...doc.kdf, params: { N: "1024", r: 8, p: 1 } } }, "KEY_INVALID"],
    [{ ...doc, cipher: { ...doc.cipher, nonce: "AAAA" } }, "KEY_INVALID"],
    [{ ...doc, ciphertext: "not base64" }, "KEY_INVALID"],
    [{ ...doc, kdf: undefined }, "KEY_INVALID"],
    [[doc], "KEY_INVALID"],
  ];
  for (const [bad, expected] of cases) {
    await assert.rejects(decryptCosignKey(rewrap(COSIGN_PRIVATE_KEY_LABEL, bad), "pw"), {
      code: expected,
    }, JSON.stringify(bad).slice(0, 80));
  }
  await assert.rejects(
    decryptCosignKey(encodePem(COSIGN_PRIVATE_KEY_LABEL, new TextEncoder().encode("{")), "pw"),
    { code: "KEY_INVALID" },
  );
  await assert.rejects(decryptCosignKey(encodePem("PRIVATE KEY", new Uint8Array([1])), "pw"), {
    code: "KEY_UNSUPPORTED",
  });
});
