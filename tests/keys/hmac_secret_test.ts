import assert from "node:assert/strict";
import type { SecretKey } from "../../mod.ts";
import { exportHmacSecret, importHmacSecret } from "../../lib/keys/mod.ts";

Deno.test("importHmacSecret accepts 16-4096 bytes and copies them", () => {
  const secret = new Uint8Array(32).fill(1);
  const key = importHmacSecret(secret);
  secret.fill(2);
  assert.deepEqual(exportHmacSecret(key), new Uint8Array(32).fill(1));
  assert.equal(key.bits, 256);
  assert.equal(key.type, "hmac");
  assert.equal(importHmacSecret(new Uint8Array(16)).bits, 128);
  assert.equal(importHmacSecret(new Uint8Array(4096)).bits, 32768);
});

Deno.test("importHmacSecret refuses short, long and non-byte secrets", () => {
  for (const length of [0, 1, 15, 4097]) {
    assert.throws(() => importHmacSecret(new Uint8Array(length), { name: "s.key" }), (error) => {
      assert.equal((error as { code?: string }).code, "KEY_UNSUPPORTED");
      assert.match(
        (error as Error).message,
        /^Cannot import key "s\.key": HMAC secret must be 16-4096 bytes/,
      );
      return true;
    });
  }
  assert.throws(() => importHmacSecret("secret" as unknown as Uint8Array), TypeError);
  assert.throws(() => exportHmacSecret({ kind: "secret" } as SecretKey), TypeError);
});
