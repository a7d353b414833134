/**
 * C2SP/wycheproof signature and MAC vectors (../shared/vectors/wycheproof, see SOURCE.md) through our
 * public importers and Verifiers: `valid` must verify, `invalid` must not, `acceptable` may do
 * either (ours is strict: the two `MissingNull` PKCS#1 cases are rejected, asserted below).
 * Per-file counts are asserted so that no case is skipped silently.
 */
import assert from "node:assert/strict";
import type { Verifier } from "../../mod.ts";
import type { CreateVerifierOptions } from "../../lib/crypto/mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { importHmacSecret, importJwk, importSpki } from "../../lib/keys/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const WYCHEPROOF = vectorSet("wycheproof");

interface TestCase {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig?: string;
  tag?: string;
  key?: string;
  result: "valid" | "invalid" | "acceptable";
}
interface TestGroup {
  publicKeyDer?: string;
  publicKeyJwk?: JsonWebKey;
  tagSize?: number;
  tests: TestCase[];
}
interface Suite {
  numberOfTests: number;
  testGroups: TestGroup[];
}

interface Expected {
  file: string;
  tests: number;
  valid: number;
  invalid: number;
  acceptable: number;
  options: CreateVerifierOptions[];
}

/** Counts from SOURCE.md; every file runs under each listed verifier configuration. */
const FILES: Expected[] = [
  {
    file: "ecdsa_secp256r1_sha256_test.json",
    tests: 484,
    valid: 174,
    invalid: 310,
    acceptable: 0,
    options: [{}, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  {
    file: "ecdsa_secp256r1_sha256_p1363_test.json",
    tests: 262,
    valid: 173,
    invalid: 89,
    acceptable: 0,
    options: [{ ecdsaSignatureFormat: "p1363" }, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  {
    file: "ecdsa_secp384r1_sha384_test.json",
    tests: 504,
    valid: 194,
    invalid: 310,
    acceptable: 0,
    options: [{}, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  {
    file: "ecdsa_secp384r1_sha384_p1363_test.json",
    tests: 280,
    valid: 193,
    invalid: 87,
    acceptable: 0,
    options: [{ ecdsaSignatureFormat: "p1363" }, { ecdsaSignatureFormat: "der-or-p1363" }],
  },
  { file: "ed25519_test.json", tests: 151, valid: 88, invalid: 63, acceptable: 0, options: [{}] },
  {
    file: "rsa_pss_2048_sha256_mgf1_32_test.json",
    tests: 108,
    valid: 63,
    invalid: 45,
    acceptable: 0,
    options: [{ algorithm: "rsa-pss-sha256" }],
  },
  {
    file: "rsa_signature_2048_sha256_test.json",
    tests: 259,
    valid: 9,
    invalid: 249,
    acceptable: 1,
    options: [{ algorithm: "rsa-pkcs1-sha256" }],
  },
  {
    file: "rsa_signature_4096_sha256_test.json",
    tests: 258,
    valid: 7,
    invalid: 250,
    acceptable: 1,
    options: [{ algorithm: "rsa-pkcs1-sha256" }],
  },
  {
    file: "hmac_sha256_test.json",
    tests: 174,
    valid: 66,
    invalid: 108,
    acceptable: 0,
    options: [{}],
  },
];

const hex = (text: string | undefined): Uint8Array => Uint8Array.fromHex(text ?? "");

for (const expected of FILES) {
  vectorTest(WYCHEPROOF, `wycheproof ${expected.file}: every verdict as expected`, async () => {
    const suite: Suite = JSON.parse(await WYCHEPROOF.readText(`testvectors_v1/${expected.file}`));
    const all = suite.testGroups.flatMap((g) => g.tests);
    assert.equal(suite.numberOfTests, expected.tests);
    assert.equal(all.length, expected.tests);
    assert.equal(all.filter((t) => t.result === "valid").length, expected.valid);
    assert.equal(all.filter((t) => t.result === "invalid").length, expected.invalid);
    assert.equal(all.filter((t) => t.result === "acceptable").length, expected.acceptable);
    const isMac = expected.file.startsWith("hmac");
    let checked = 0;
    for (const options of expected.options) {
      const counts = { valid: 0, invalid: 0, acceptableRejected: 0 };
      for (const group of suite.testGroups) {
        let verifier: Verifier | undefined;
        if (!isMac) {
          const key = importSpki(hex(group.publicKeyDer), { algorithm: options.algorithm });
          // The JWK form, where given, is the same key.
          if (group.publicKeyJwk !== undefined) {
            assert.equal(
              importJwk(group.publicKeyJwk, { algorithm: options.algorithm }).keyid,
              key.keyid,
            );
          }
          verifier = createVerifier(key, options);
        }
        for (const t of group.tests) {
          const label = `tcId ${t.tcId} (${t.comment}; ${t.flags.join(",")})`;
          let ok: boolean;
          if (isMac) {
            const mac = createVerifier(importHmacSecret(hex(t.key)), {
              hmacTagLength: group.tagSize! / 8,
            });
            ok = await mac.verify(hex(t.msg), hex(t.tag));
          } else {
            ok = await verifier!.verify(hex(t.msg), hex(t.sig));
          }
          if (t.result === "valid") {
            assert.equal(ok, true, `valid ${label} must verify`);
            counts.valid++;
          } else if (t.result === "invalid") {
            assert.equal(ok, false, `invalid ${label} must not verify`);
            counts.invalid++;
          } else {
            // Acceptable (MissingNull DigestInfo): either is allowed; we are strict.
            assert.deepEqual(t.flags, ["MissingNull"]);
            assert.equal(ok, false, `acceptable ${label}: strict verifier rejects`);
            counts.acceptableRejected++;
          }
          checked++;
        }
      }
      assert.deepEqual(counts, {
        valid: expected.valid,
        invalid: expected.invalid,
        acceptableRejected: expected.acceptable,
      });
      // deno-lint-ignore no-console
      console.log(
        `${expected.file} ${JSON.stringify(options)}: ${counts.valid} valid verified, ` +
          `${counts.invalid} invalid rejected, ${counts.acceptableRejected} acceptable rejected`,
      );
    }
    assert.equal(checked, expected.tests * expected.options.length);
    return expected.tests;
  });
}
