/**
 * Which engine the batch path should use per algorithm (`lib/verify/_batch_crypto.ts`): 256
 * verifications of distinct 2.5 KB messages per iteration, through each engine Deno offers.
 *
 * `deno bench --cached-only --allow-ffi bench/crypto_engines_bench.ts`
 *
 * - Ed25519: `node:crypto` one synchronous call each, WebCrypto one awaited call at a time, and
 *   WebCrypto with all 256 in flight (Deno verifies WebCrypto Ed25519 on the calling thread, so
 *   being in flight only adds promises).
 * - ECDSA P-256 (SHA-256): WebCrypto all in flight, and OpenSSL's `EVP_DigestVerify` through FFI
 *   (the batch path's `_native_crypto.ts`) when `libcrypto` and `--allow-ffi` are present.
 *
 * Every verification is checked to be `true`, so an engine that stopped verifying would fail the
 * bench rather than look fast.
 */

import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { Buffer } from "node:buffer";
import { createNativeEcdsaVerify } from "../lib/verify/_native_crypto.ts";
import { p1363ToDer } from "../lib/crypto/ecdsa_signature.ts";

const COUNT = 256;
const messages = Array.from({ length: COUNT }, () => crypto.getRandomValues(new Uint8Array(2500)));

function expectAll(verdicts: boolean[]): void {
  if (verdicts.length !== COUNT || verdicts.some((v) => v !== true)) {
    throw new Error("an engine did not verify a valid signature");
  }
}

const ed = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
  "sign",
  "verify",
]) as CryptoKeyPair;
const edSignatures = await Promise.all(
  messages.map(async (m) =>
    new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, ed.privateKey, m))
  ),
);
const edSpki = new Uint8Array(await crypto.subtle.exportKey("spki", ed.publicKey));
const edNode = createPublicKey({ key: Buffer.from(edSpki), format: "der", type: "spki" });

Deno.bench("Ed25519: node:crypto, synchronous", { group: "ed25519", baseline: true }, () => {
  expectAll(messages.map((m, i) => nodeVerify(null, m, edNode, edSignatures[i]!)));
});

Deno.bench("Ed25519: WebCrypto, one at a time", { group: "ed25519" }, async () => {
  const verdicts: boolean[] = [];
  for (let i = 0; i < COUNT; i++) {
    verdicts.push(
      await crypto.subtle.verify({ name: "Ed25519" }, ed.publicKey, edSignatures[i]!, messages[i]!),
    );
  }
  expectAll(verdicts);
});

Deno.bench("Ed25519: WebCrypto, all in flight", { group: "ed25519" }, async () => {
  expectAll(
    await Promise.all(
      messages.map((m, i) =>
        crypto.subtle.verify({ name: "Ed25519" }, ed.publicKey, edSignatures[i]!, m)
      ),
    ),
  );
});

const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
  "sign",
  "verify",
]);
const ecParams = { name: "ECDSA", hash: "SHA-256" };
const ecP1363 = await Promise.all(
  messages.map(async (m) => new Uint8Array(await crypto.subtle.sign(ecParams, ec.privateKey, m))),
);
const ecSpki = new Uint8Array(await crypto.subtle.exportKey("spki", ec.publicKey));
const native = createNativeEcdsaVerify(ecSpki, "sha256");
const ecDer = ecP1363.map((s) => p1363ToDer(s, 32));

Deno.bench("ECDSA P-256: WebCrypto, all in flight", { group: "p256", baseline: true }, async () => {
  expectAll(
    await Promise.all(
      messages.map((m, i) => crypto.subtle.verify(ecParams, ec.publicKey, ecP1363[i]!, m)),
    ),
  );
});

Deno.bench({
  name: "ECDSA P-256: OpenSSL through FFI, all in flight",
  group: "p256",
  ignore: native === undefined,
  async fn() {
    expectAll(await Promise.all(messages.map((m, i) => native!(m, ecDer[i]!))));
  },
});
