import assert from "node:assert/strict";
import { exportPrivateKeyPem, generateKeyPair, importKey, type PrivateKey } from "../../mod.ts";
import { encryptCosignKey, exportJwk, exportPkcs8, exportSpki } from "../../lib/keys/mod.ts";

const key = await generateKeyPair("ecdsa-p256") as PrivateKey;

Deno.test("importKey detects PEM, JWK and DER from text or bytes", async () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const inputs: [string | Uint8Array, string][] = [
    [exportPrivateKeyPem(key), "private"],
    [utf8(exportPrivateKeyPem(key)), "private"],
    ["\n  " + JSON.stringify(exportJwk(key.publicKey)), "public"],
    [utf8(JSON.stringify(exportJwk(key))), "private"],
    [exportSpki(key), "public"],
    [exportPkcs8(key), "private"],
  ];
  for (const [input, kind] of inputs) {
    const imported = await importKey(input);
    assert.deepEqual([imported.kind, imported.keyid], [kind, key.keyid]);
  }
  assert.equal((await importKey(exportSpki(key), { format: "der" })).kind, "public");
});

Deno.test("importKey needs a password for cosign keys and format hmac for raw secrets", async () => {
  const pem = await encryptCosignKey(key, "pw", { scryptN: 1024 });
  await assert.rejects(importKey(pem), TypeError);
  assert.equal((await importKey(pem, { password: "pw" })).keyid, key.keyid);
  await assert.rejects(importKey(pem, { password: "nope", name: "cosign.key" }), {
    code: "KEY_DECRYPTION_FAILED",
    message: 'Cannot decrypt key "cosign.key": wrong password or corrupted key file',
  });
  const raw = crypto.getRandomValues(new Uint8Array(32));
  raw[0] = 0x31; // not a DER SEQUENCE
  await assert.rejects(importKey(raw), { code: "KEY_UNSUPPORTED" });
  assert.equal((await importKey(raw, { format: "hmac" })).kind, "secret");
});

Deno.test("importKey rejects unknown formats and malformed inputs with codes", async () => {
  await assert.rejects(importKey("hello"), { code: "KEY_UNSUPPORTED" });
  await assert.rejects(importKey("{not json"), { code: "KEY_INVALID" });
  // The file is named once, before what is wrong with it.
  await assert.rejects(importKey("{not json", { name: "k.jwk" }), {
    code: "KEY_INVALID",
    message: /^Cannot import key "k\.jwk": Cannot parse JSON: expected a member name/,
  });
  await assert.rejects(importKey("[1]", { format: "jwk" }), { code: "KEY_INVALID" });
  await assert.rejects(importKey(new Uint8Array([0x30, 0x03, 0x05, 0x00, 0x00])), {
    code: "KEY_UNSUPPORTED",
  });
  await assert.rejects(importKey(new Uint8Array([0x30, 0x00]), { format: "der" }), {
    code: "KEY_INVALID",
  });
  await assert.rejects(importKey("x", { format: "xml" as "pem" }), TypeError);
  await assert.rejects(importKey(42 as unknown as string), TypeError);
});
