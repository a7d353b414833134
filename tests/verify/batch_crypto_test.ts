/**
 * The batch crypto path of verifyMany (`lib/verify/_batch_crypto.ts`, ECDSA through WebCrypto or
 * OpenSSL with many verifications in flight, Ed25519 through the local verifier) gives exactly the local verifier's verdicts: every C2SP/wycheproof
 * ECDSA P-256 / P-384 (DER and P1363) and Ed25519 case, run concurrently, in each signature
 * encoding configuration; counts asserted so nothing is skipped silently.
 */
import assert from "node:assert/strict";
import type { CreateVerifierOptions } from "../../lib/crypto/mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { importSpki } from "../../lib/keys/mod.ts";
import {
  batchEngineOf,
  createBatchVerifier,
  toBatchTrustedKey,
} from "../../lib/verify/_batch_crypto.ts";
import { nativeCryptoAvailable } from "../../lib/verify/_native_crypto.ts";

/** ECDSA runs through both engines; OpenSSL via FFI needs libcrypto 3 and --allow-ffi. */
const ECDSA_ENGINES = nativeCryptoAvailable()
  ? (["webcrypto", "native"] as const)
  : (["webcrypto"] as const);
// deno-lint-ignore no-console
console.log(`batch ECDSA engines under test: ${ECDSA_ENGINES.join(", ")}`);
import { trustedKeyFromPem } from "../../lib/verify/trust_policy.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const WYCHEPROOF = vectorSet("wycheproof");

interface TestCase {
  tcId: number;
  msg: string;
  sig: string;
  result: "valid" | "invalid" | "acceptable";
}
interface Suite {
  numberOfTests: number;
  testGroups: { publicKeyDer: string; tests: TestCase[] }[];
}

const FILES: {
  file: string;
  tests: number;
  valid: number;
  algorithm: string;
  options: CreateVerifierOptions[];
}[] = [
  {
    file: "ecdsa_secp256r1_sha256_test.json",
    tests: 484,
    valid: 174,
    algorithm: "ecdsa-p256-sha256",
    options: [{}, { ecdsaSignatureFormat: "der-or-p1363" }, { ecdsaSignatureFormat: "p1363" }],
  },
  {
    file: "ecdsa_secp256r1_sha256_p1363_test.json",
    tests: 262,
    valid: 173,
    algorithm: "ecdsa-p256-sha256",
    options: [{ ecdsaSignatureFormat: "p1363" }, { ecdsaSignatureFormat: "der-or-p1363" }, {}],
  },
  {
    file: "ecdsa_secp384r1_sha384_test.json",
    tests: 504,
    valid: 194,
    algorithm: "ecdsa-p384-sha384",
    options: [{}, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  {
    file: "ecdsa_secp384r1_sha384_p1363_test.json",
    tests: 280,
    valid: 193,
    algorithm: "ecdsa-p384-sha384",
    options: [{ ecdsaSignatureFormat: "p1363" }, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  { file: "ed25519_test.json", tests: 151, valid: 88, algorithm: "ed25519", options: [{}] },
];

const hex = (text: string): Uint8Array => Uint8Array.fromHex(text);

for (const expected of FILES) {
  vectorTest(
    WYCHEPROOF,
    `${expected.file} through the batch path: the local verifier's verdicts`,
    async () => {
      const suite: Suite = await WYCHEPROOF.readJson(`testvectors_v1/${expected.file}`);
      const all = suite.testGroups.flatMap((g) => g.tests);
      assert.equal(all.length, expected.tests);
      assert.equal(all.filter((t) => t.result === "acceptable").length, 0);
      // Ed25519 keeps the local verifier (node:crypto, measured fastest); ECDSA has two engines.
      const ed25519 = expected.algorithm === "ed25519";
      const engines = ed25519 ? (["auto"] as const) : ECDSA_ENGINES;
      for (const engine of engines) {
        for (const options of expected.options) {
          const label = `${engine} ${JSON.stringify(options)}`;
          const batch: Promise<boolean>[] = [];
          const local: boolean[] = [];
          for (const group of suite.testGroups) {
            const key = importSpki(hex(group.publicKeyDer));
            const fast = await createBatchVerifier(key, options, engine);
            const slow = createVerifier(key, options);
            assert.equal(fast.algorithm, expected.algorithm);
            assert.equal(fast.keyid, slow.keyid);
            // Every Wycheproof ECDSA key imports into its engine: no group falls back to the local one.
            assert.equal(batchEngineOf(fast), ed25519 ? undefined : engine);
            assert.equal(batchEngineOf(slow), undefined);
            for (const t of group.tests) {
              batch.push(fast.verify(hex(t.msg), hex(t.sig))); // all in flight at once
              local.push(await slow.verify(hex(t.msg), hex(t.sig)));
            }
          }
          const verdicts = await Promise.all(batch);
          assert.deepEqual(verdicts, local, label);
          // With the suite's own encoding, verdicts are the expected ones.
          const native = expected.file.includes("p1363")
            ? options.ecdsaSignatureFormat !== undefined
            : options.ecdsaSignatureFormat !== "p1363";
          if (native) {
            assert.deepEqual(verdicts, all.map((t) => t.result === "valid"), label);
            assert.equal(verdicts.filter(Boolean).length, expected.valid);
          }
        }
      }
      return all.length;
    },
  );
}

Deno.test("batch verifier: non-Uint8Array signature is false, non-Uint8Array data rejects", async () => {
  const key = trustedKeyFromPem(
    await Deno.readTextFile(
      new URL("../../fixtures/negative/keys/test-only-ed25519-a.pub.pem", import.meta.url),
    ),
  );
  const pem = await Deno.readTextFile(
    new URL("../../fixtures/negative/keys/test-only-ed25519-a.pub.pem", import.meta.url),
  );
  const batch = await toBatchTrustedKey(key, pem, {});
  assert.equal(batch.keyid, key.keyid);
  const verifier = batch.verifiers[0]!;
  assert.equal(await verifier.verify(new Uint8Array(1), "x" as unknown as Uint8Array), false);
  assert.equal(await verifier.verify(new Uint8Array(1), new Uint8Array(63)), false);
  await assert.rejects(
    () => verifier.verify("x" as unknown as Uint8Array, new Uint8Array(64)),
    TypeError,
  );
});

Deno.test("toBatchTrustedKey() keeps key id, window and schemes; RSA keeps the local verifiers", async () => {
  const read = (name: string) =>
    Deno.readTextFile(new URL(`../../fixtures/negative/keys/${name}`, import.meta.url));
  const options = {
    keyid: "k1",
    validFrom: "2026-01-01T00:00:00Z",
    revokedAt: "2026-06-01T00:00:00Z",
  };
  for (const name of ["test-only-ecdsa-p256.pub.pem", "test-only-rsa-2048.pub.pem"]) {
    const pem = await read(name);
    const key = trustedKeyFromPem(pem, options);
    const batch = await toBatchTrustedKey(key, pem, options);
    assert.equal(batch.keyid, "k1");
    assert.equal(batch.validFrom, Date.UTC(2026, 0, 1));
    assert.equal(batch.revokedAt, Date.UTC(2026, 5, 1));
    assert.deepEqual(
      batch.verifiers.map((v) => v.algorithm),
      key.verifiers.map((v) => v.algorithm),
    );
    assert.deepEqual(batch.verifiers.map((v) => v.keyid), key.verifiers.map(() => "k1"));
    assert.deepEqual(
      batch.verifiers.map(batchEngineOf),
      key.verifiers.map(() =>
        name.includes("ecdsa") ? (nativeCryptoAvailable() ? "native" : "webcrypto") : undefined
      ),
    );
  }
});
