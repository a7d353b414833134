/**
 * XSalsa20-Poly1305 (lib/keys/_secretbox.ts over the vendored @noble/ciphers) against published
 * vectors: RFC 8439 §2.5.2 and §A.3 #1 for Poly1305, NaCl's HSalsa20 "firstkey" derivation
 * (libsodium test/default/core1.c) and libsodium's secretbox_easy known answer
 * (test/default/secretbox_easy.c / .exp). The primitives are the dependency's; the vectors pin it.
 */
import assert from "node:assert/strict";
import { poly1305 as noblePoly1305 } from "@noble/ciphers/_poly1305.js";
import { hsalsa, xsalsa20 } from "@noble/ciphers/salsa.js";
import { secretboxOpen, secretboxSeal } from "../../lib/keys/_secretbox.ts";

/** HSalsa20 over bytes (noble's `hsalsa` works on little-endian 32-bit words). */
function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const words = (bytes: Uint8Array): Uint32Array =>
    Uint32Array.from(
      { length: bytes.length / 4 },
      (_, i) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 * i, true),
    );
  const sigma = words(new TextEncoder().encode("expand 32-byte k"));
  const out = new Uint32Array(8);
  hsalsa(sigma, words(key), words(input), out);
  const bytes = new Uint8Array(32);
  out.forEach((word, i) => new DataView(bytes.buffer).setUint32(4 * i, word, true));
  return bytes;
}

const poly1305 = (key: Uint8Array, message: Uint8Array): Uint8Array => noblePoly1305(message, key);

const xsalsa20Xor = (key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Uint8Array =>
  xsalsa20(key, nonce, data);

const hex = (text: string): Uint8Array => Uint8Array.fromHex(text);
const FIRSTKEY = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
const NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
const MESSAGE = hex(
  "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c6129" +
    "6cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde" +
    "048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705",
);
const BOX = hex(
  "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186a" +
    "c0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae" +
    "90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74" +
    "e355a5",
);

Deno.test("Poly1305 matches RFC 8439 §2.5.2 and §A.3 test vector #1", () => {
  const key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
  const tag = poly1305(key, new TextEncoder().encode("Cryptographic Forum Research Group"));
  assert.equal(tag.toHex(), "a8061dc1305136c6c22b8baf0c0127a9");
  assert.equal(poly1305(new Uint8Array(32), new Uint8Array(64)).toHex(), "00".repeat(16));
});

Deno.test("HSalsa20 derives NaCl's firstkey from the X25519 shared secret", () => {
  const shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  assert.deepEqual(hsalsa20(shared, new Uint8Array(16)), FIRSTKEY);
});

Deno.test("secretbox reproduces libsodium's secretbox_easy known answer (131-byte message)", () => {
  assert.deepEqual(secretboxSeal(MESSAGE, NONCE, FIRSTKEY), BOX);
  assert.deepEqual(secretboxOpen(BOX, NONCE, FIRSTKEY), MESSAGE);
  // The stream is its own inverse and crosses 64-byte block boundaries correctly at any length.
  for (const length of [0, 1, 63, 64, 65, 127, 128, 129, 300]) {
    const data = new Uint8Array(length).map((_, i) => i * 7);
    assert.deepEqual(xsalsa20Xor(FIRSTKEY, NONCE, xsalsa20Xor(FIRSTKEY, NONCE, data)), data);
    assert.deepEqual(secretboxOpen(secretboxSeal(data, NONCE, FIRSTKEY), NONCE, FIRSTKEY), data);
  }
});

Deno.test("secretboxOpen rejects every single-bit change, a wrong key or nonce, and short boxes", () => {
  for (let i = 0; i < BOX.length; i++) {
    const tampered = BOX.slice();
    tampered[i]! ^= 1 << (i % 8);
    assert.equal(secretboxOpen(tampered, NONCE, FIRSTKEY), undefined, `byte ${i}`);
  }
  const key = FIRSTKEY.slice();
  key[31]! ^= 1;
  assert.equal(secretboxOpen(BOX, NONCE, key), undefined);
  const nonce = NONCE.slice();
  nonce[23]! ^= 1;
  assert.equal(secretboxOpen(BOX, nonce, FIRSTKEY), undefined);
  assert.equal(secretboxOpen(BOX.subarray(0, 15), NONCE, FIRSTKEY), undefined);
  assert.equal(secretboxOpen(BOX.subarray(0, BOX.length - 1), NONCE, FIRSTKEY), undefined);
  assert.throws(() => secretboxOpen(BOX, NONCE.subarray(1), FIRSTKEY), RangeError);
  assert.throws(() => secretboxSeal(MESSAGE, NONCE, FIRSTKEY.subarray(1)), RangeError);
});
