import assert from "node:assert/strict";
import { ParseError, type Problem, ValidationError } from "../../lib/encoding/errors.ts";
import { exportPublicKeyPem, importKeyPem } from "../../lib/keys/key_pem.ts";
import {
  parseTrustPolicy,
  trustedKeyFromPem,
  validateTrustPolicy,
} from "../../lib/verify/trust_policy.ts";
import {
  compileTrust,
  loadTrustMaterial,
  type TrustSources,
} from "../../lib/verify/trust_material.ts";

/** The trust policy, loaded and compiled as every verifier uses it. */
const loadTrustPolicy = (trustPolicy: TrustSources["trustPolicy"]) =>
  compileTrust(loadTrustMaterial({ trustPolicy }));

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const pemOf = (name: string) => Deno.readTextFileSync(new URL(`test-only-${name}.pub.pem`, KEYS));
const ED = pemOf("ed25519-a");
const RSA = pemOf("rsa-2048");
const P256 = pemOf("ecdsa-p256");

const problemsOf = (value: unknown) =>
  validateTrustPolicy(value).map((p: Problem) => [p.path, p.code]);

function validationProblems(fn: () => unknown): [string, string][] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.problems.map((p) => [p.path, p.code]);
  }
  assert.fail("expected a ValidationError");
}

Deno.test("parseTrustPolicy() accepts the documented format", () => {
  const doc = {
    version: 1,
    keys: [
      {
        publicKey: ED,
        keyid: "build-2026",
        name: "build service",
        algorithm: "ed25519",
        validFrom: "2026-01-01T00:00:00Z",
        validUntil: "2026-12-31T23:59:59Z",
        revokedAt: "2026-06-01T00:00:00+02:00",
      },
      { publicKey: P256, signatureEncoding: "any" },
      { publicKey: RSA, algorithm: "rsa-pss-sha256" },
    ],
    threshold: 2,
    allowedPredicateTypes: ["stella.ops/promotion@v1"],
    requiredClaims: [{ pointer: "/predicate/promotion/to", equals: "prod" }],
    tsaRoots: [],
    transparencyLogs: [{ publicKey: P256, origin: "rekor.example" }],
  };
  assert.deepEqual(parseTrustPolicy(JSON.stringify(doc)), doc);
  assert.deepEqual(validateTrustPolicy({ keys: [] }), []);
  const policy = loadTrustPolicy(parseTrustPolicy(new TextEncoder().encode(JSON.stringify(doc))));
  assert.equal(policy.threshold, 2);
  assert.deepEqual(policy.allowedPredicateTypes, ["stella.ops/promotion@v1"]);
  assert.deepEqual(policy.requiredClaims, doc.requiredClaims);
  assert.deepEqual(policy.keys.map((k) => k.keyid), [
    "build-2026",
    importKeyPem(P256).keyid,
    importKeyPem(RSA).keyid,
  ]);
  const [ed, p256, rsa] = policy.keys;
  assert.equal(ed!.validFrom, Date.UTC(2026, 0, 1));
  assert.equal(ed!.validUntil, Date.UTC(2026, 11, 31, 23, 59, 59));
  assert.equal(ed!.revokedAt, Date.UTC(2026, 4, 31, 22));
  assert.deepEqual(ed!.verifiers.map((v) => v.algorithm), ["ed25519"]);
  assert.deepEqual(p256!.verifiers.map((v) => v.algorithm), ["ecdsa-p256-sha256"]);
  assert.deepEqual(rsa!.verifiers.map((v) => v.algorithm), ["rsa-pss-sha256"]);
  // Without a pin an RSA key gets both schemes; a key entry without windows has none.
  const both = loadTrustPolicy(parseTrustPolicy(JSON.stringify({ keys: [{ publicKey: RSA }] })));
  assert.deepEqual(both.keys[0]!.verifiers.map((v) => v.algorithm), [
    "rsa-pss-sha256",
    "rsa-pkcs1-sha256",
  ]);
  assert.equal(both.threshold, undefined);
  assert.equal(both.keys[0]!.validFrom, undefined);
  assert.equal(both.keys[0]!.revokedAt, undefined);
});

Deno.test("parseTrustPolicy() rejects malformed JSON and duplicate keys with ParseError", () => {
  assert.throws(() => parseTrustPolicy('{"keys":[]'), ParseError);
  assert.throws(() => parseTrustPolicy('{"keys":[],"keys":[]}'), { code: "JSON_DUPLICATE_KEY" });
  assert.throws(
    () => parseTrustPolicy(`{"keys":[{"publicKey":"x","revokedAt":"a","revokedAt":"b"}]}`),
    { code: "JSON_DUPLICATE_KEY" },
  );
  assert.throws(() => parseTrustPolicy("\uFEFF{}", { name: "trust.json" }), /trust\.json/);
});

Deno.test("validateTrustPolicy() names unknown fields at every level", () => {
  assert.deepEqual(
    problemsOf({ keys: [{ publicKey: ED, validUntill: "2026-01-01T00:00:00Z" }], treshold: 2 }),
    [["/treshold", "FIELD_UNKNOWN"], ["/keys/0/validUntill", "FIELD_UNKNOWN"]],
  );
  assert.deepEqual(problemsOf({ keys: [], transparencyLogs: [{ publicKey: P256, url: "x" }] }), [
    ["/transparencyLogs/0/url", "FIELD_UNKNOWN"],
  ]);
});

Deno.test("validateTrustPolicy() names bad times, thresholds and types", () => {
  for (const time of ["2026-01-01", "2026-02-30T00:00:00Z", "yesterday", 1767225600000, null]) {
    assert.deepEqual(problemsOf({ keys: [{ publicKey: ED, validFrom: time }] }), [
      ["/keys/0/validFrom", "TIME_INVALID"],
    ]);
  }
  assert.deepEqual(problemsOf({ keys: [{ publicKey: ED, revokedAt: "2026-13-01T00:00:00Z" }] }), [
    ["/keys/0/revokedAt", "TIME_INVALID"],
  ]);
  for (const threshold of [0, -1, 1.5, "2", null, 2 ** 53]) {
    assert.deepEqual(problemsOf({ keys: [], threshold }), [["/threshold", "THRESHOLD_INVALID"]]);
  }
  assert.deepEqual(problemsOf({ keys: [], version: 2 }), [["/version", "VERSION_UNSUPPORTED"]]);
  assert.deepEqual(problemsOf({}), [["/keys", "FIELD_REQUIRED"]]);
  assert.deepEqual(problemsOf({ keys: {} }), [["/keys", "FIELD_REQUIRED"]]);
  assert.deepEqual(problemsOf([]), [["", "TYPE_MISMATCH"]]);
  assert.deepEqual(problemsOf({ keys: ["pem"] }), [["/keys/0", "TYPE_MISMATCH"]]);
  assert.deepEqual(problemsOf({ keys: [{}] }), [["/keys/0/publicKey", "FIELD_REQUIRED"]]);
  assert.deepEqual(
    problemsOf({
      keys: [{ publicKey: ED, keyid: 1, name: [], algorithm: "md5", signatureEncoding: "pem" }],
    }),
    [
      ["/keys/0/keyid", "TYPE_MISMATCH"],
      ["/keys/0/name", "TYPE_MISMATCH"],
      ["/keys/0/algorithm", "ALGORITHM_UNSUPPORTED"],
      ["/keys/0/signatureEncoding", "TYPE_MISMATCH"],
    ],
  );
  assert.deepEqual(problemsOf({ keys: [], allowedPredicateTypes: "stella.ops/promotion@v1" }), [
    ["/allowedPredicateTypes", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(problemsOf({ keys: [], tsaRoots: [1] }), [["/tsaRoots", "TYPE_MISMATCH"]]);
  assert.deepEqual(problemsOf({ keys: [], transparencyLogs: {} }), [
    ["/transparencyLogs", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(problemsOf({ keys: [], transparencyLogs: [{ publicKey: "x", origin: 1 }] }), [
    ["/transparencyLogs/0/origin", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(
    problemsOf({ keys: [], requiredClaims: [{ pointer: "no-slash", equals: 1 }] }).map((p) => p[0]),
    ["/requiredClaims/0/pointer"],
  );
});

Deno.test("parseTrustPolicy() reports every problem at once, naming the file", () => {
  const text = JSON.stringify({
    keys: [{ publicKey: ED, validFrom: "soon" }, { publicKey: 7 }],
    threshold: 0,
    extra: true,
  });
  assert.deepEqual(validationProblems(() => parseTrustPolicy(text)), [
    ["/extra", "FIELD_UNKNOWN"],
    ["/keys/0/validFrom", "TIME_INVALID"],
    ["/keys/1/publicKey", "FIELD_REQUIRED"],
    ["/threshold", "THRESHOLD_INVALID"],
  ]);
  assert.throws(() => parseTrustPolicy(text, { name: "site/trust.json" }), {
    name: "ValidationError",
    message: /site\/trust\.json/,
  });
});

Deno.test("loadTrustMaterial() names the trust policy key entry /keys/i whose PEM is bad", () => {
  const bad = [
    "not a pem",
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n",
    ED + P256,
  ];
  for (const publicKey of bad) {
    const doc = parseTrustPolicy(JSON.stringify({ keys: [{ publicKey: ED }, { publicKey }] }));
    assert.throws(() => loadTrustPolicy(doc), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.match(error.message, /"\/keys\/1"/);
      return true;
    });
    // A labelled entry is named by both its position and its label.
    const named = parseTrustPolicy(
      JSON.stringify({ keys: [{ publicKey: ED }, { publicKey, name: "release key" }] }),
    );
    assert.throws(() => loadTrustPolicy(named), /"\/keys\/1 \(release key\)"/);
  }
  // A pin that does not fit the key is misuse.
  const pinned = parseTrustPolicy(
    JSON.stringify({ keys: [{ publicKey: ED, algorithm: "rsa-pss-sha256" }] }),
  );
  assert.throws(() => loadTrustPolicy(pinned), TypeError);
});

Deno.test("trustedKeyFromPem() keyid defaults to the SPKI sha256, windows parse to epoch ms", () => {
  const key = trustedKeyFromPem(ED);
  assert.equal(key.keyid, importKeyPem(ED).keyid);
  assert.match(key.keyid, /^[0-9a-f]{64}$/);
  assert.equal(trustedKeyFromPem(ED, { keyid: "k1" }).keyid, "k1");
  assert.equal(
    trustedKeyFromPem(ED, { validFrom: "2026-01-01T00:00:00.5Z" }).validFrom,
    Date.UTC(2026, 0, 1) + 500,
  );
  assert.throws(() => trustedKeyFromPem(ED, { validUntil: "later" }), { code: "TIME_INVALID" });
  // Exported public PEM of a private key gives the same key id.
  const priv = Deno.readTextFileSync(new URL("test-only-ed25519-a.pem", KEYS));
  const imported = importKeyPem(priv);
  assert.equal(imported.kind, "private");
  if (imported.kind === "private") {
    assert.equal(trustedKeyFromPem(exportPublicKeyPem(imported)).keyid, key.keyid);
  }
});

Deno.test("trust.json key entries may bind custodians; the key material is named whatever the keyid", () => {
  const doc = parseTrustPolicy(JSON.stringify({
    version: 1,
    keys: [{ publicKey: ED, keyid: "courier-2026", custodians: ["courier@example.org"] }],
  }));
  const [key] = loadTrustPolicy(doc).keys;
  assert.deepEqual(key?.custodians, ["courier@example.org"]);
  assert.equal(key?.keyid, "courier-2026");
  assert.equal(key?.spkiSha256, importKeyPem(ED).keyid);
  assert.equal(trustedKeyFromPem(ED).custodians, undefined);
  for (const custodians of ["courier", [1], [""], {}]) {
    assert.deepEqual(problemsOf({ keys: [{ publicKey: ED, custodians }] }), [
      ["/keys/0/custodians", "TYPE_MISMATCH"],
    ]);
  }
  assert.deepEqual(problemsOf({ keys: [{ publicKey: ED, custodians: [] }] }), []);
});
