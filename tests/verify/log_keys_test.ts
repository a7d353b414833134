import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import { parseRfc3339 } from "../../lib/encoding/mod.ts";
import { logKeysFromTrustedRoot } from "../../lib/verify/sigstore_mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const PYTHON = vectorSet("sigstore-python");
const CONFORMANCE = vectorSet("sigstore-conformance");

const REKOR_V1 = {
  baseUrl: "https://rekor.sigstore.dev",
  hashAlgorithm: "SHA2_256",
  publicKey: {
    rawBytes:
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==",
    keyDetails: "PKIX_ECDSA_P256_SHA_256",
    validFor: { start: "2021-01-12T11:53:27Z" },
  },
  logId: { keyId: "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=" },
};

function root(tlog: unknown): string {
  return JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [tlog],
  });
}

vectorTest(PYTHON, "logKeysFromTrustedRoot() reads the production root's two logs", async () => {
  const keys = logKeysFromTrustedRoot(
    await PYTHON.read("trust-roots/production-trusted_root.json"),
  );
  assert.equal(keys.length, 2);
  const [v1, v2] = keys;
  assert.equal(v1?.logId, "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
  assert.equal(v1?.name, "rekor.sigstore.dev");
  assert.equal(v1?.keyDetails, "PKIX_ECDSA_P256_SHA_256");
  assert.equal(v1?.publicKey.length, 91);
  assert.equal(v1?.validFrom, parseRfc3339("2021-01-12T11:53:27Z"));
  assert.equal(v1?.validUntil, undefined);
  assert.equal(v2?.name, "log2025-1.rekor.sigstore.dev");
  assert.equal(v2?.keyDetails, "PKIX_ED25519");
  assert.equal(v2?.publicKey.length, 44);
  assert.ok(Object.isFrozen(v1));
});

Deno.test("logKeysFromTrustedRoot() keeps ports in the name and reads validity ends", () => {
  const [key] = logKeysFromTrustedRoot(root({
    ...REKOR_V1,
    baseUrl: "http://localhost:8000",
    publicKey: {
      ...REKOR_V1.publicKey,
      validFor: { start: "2021-01-12T11:53:27.000Z", end: "2023-07-12T15:56:36Z" },
    },
  }));
  assert.equal(key?.name, "localhost:8000");
  assert.equal(key?.validUntil, parseRfc3339("2023-07-12T15:56:36Z"));
  const [open] = logKeysFromTrustedRoot(root({
    ...REKOR_V1,
    publicKey: { ...REKOR_V1.publicKey, validFor: { start: "2021-01-12T11:53:27Z", end: null } },
  }));
  assert.equal(open?.validUntil, undefined);
  assert.ok(!("validUntil" in open!));
});

Deno.test("logKeysFromTrustedRoot() without tlogs returns no keys", () => {
  assert.deepEqual(logKeysFromTrustedRoot("{}"), []);
  assert.deepEqual(logKeysFromTrustedRoot('{"tlogs":[]}'), []);
});

Deno.test("logKeysFromTrustedRoot() named negatives fail with TRUSTED_ROOT_INVALID", () => {
  const pk = REKOR_V1.publicKey;
  const cases: [string, unknown][] = [
    ["tlog not an object", 1],
    ["no baseUrl", { ...REKOR_V1, baseUrl: undefined }],
    ["baseUrl not a URL", { ...REKOR_V1, baseUrl: "rekor.sigstore.dev" }],
    ["other hash algorithm", { ...REKOR_V1, hashAlgorithm: "SHA2_384" }],
    ["no public key", { ...REKOR_V1, publicKey: undefined }],
    ["key not base64", { ...REKOR_V1, publicKey: { ...pk, rawBytes: "***" } }],
    ["key not a key", { ...REKOR_V1, publicKey: { ...pk, rawBytes: "MAMCAQA=" } }],
    ["keyDetails says Ed25519", { ...REKOR_V1, publicKey: { ...pk, keyDetails: "PKIX_ED25519" } }],
    ["no keyDetails", { ...REKOR_V1, publicKey: { ...pk, keyDetails: undefined } }],
    ["no validFor", { ...REKOR_V1, publicKey: { ...pk, validFor: undefined } }],
    ["validFor without start", { ...REKOR_V1, publicKey: { ...pk, validFor: {} } }],
    ["start not RFC 3339", {
      ...REKOR_V1,
      publicKey: { ...pk, validFor: { start: "2021-01-12" } },
    }],
    ["end before start", {
      ...REKOR_V1,
      publicKey: {
        ...pk,
        validFor: { start: "2021-01-12T11:53:27Z", end: "2020-01-01T00:00:00Z" },
      },
    }],
    ["no logId", { ...REKOR_V1, logId: undefined }],
    ["empty logId", { ...REKOR_V1, logId: { keyId: "" } }],
  ];
  for (const [what, tlog] of cases) {
    assert.throws(() => logKeysFromTrustedRoot(root(tlog), { name: "root.json" }), {
      code: "TRUSTED_ROOT_INVALID",
    }, what);
  }
  assert.throws(() => logKeysFromTrustedRoot('{"tlogs":{}}'), { code: "TRUSTED_ROOT_INVALID" });
  assert.throws(() => logKeysFromTrustedRoot("[]"), { code: "TRUSTED_ROOT_INVALID" });
  assert.throws(() => logKeysFromTrustedRoot('{"tlogs":[],"tlogs":[]}'), ParseError);
});

vectorTest(
  CONFORMANCE,
  "logKeysFromTrustedRoot() rejects the conformance root whose tlog lacks a validity start",
  async () => {
    const bytes = await CONFORMANCE.read(
      "assets/bundle-verify/trust-root-tlog-missing-validity-start_fail/trusted_root.json",
    );
    assert.throws(() => logKeysFromTrustedRoot(bytes), {
      code: "TRUSTED_ROOT_INVALID",
      message: /\/tlogs\/1\/publicKey\/validFor\/start is missing/,
    });
  },
);
