import assert from "node:assert/strict";
import { type Check, digestBytes, FAILURE_CODES } from "../../mod.ts";
import type { TimestampVerification } from "../../lib/verify/sigstore_mod.ts";
import { encodeUtf8 } from "../../lib/encoding/mod.ts";
import { KEY_PURPOSES, parseCertificate } from "../../lib/keys/mod.ts";
import {
  parseTimestampResponse,
  TIMESTAMP_STATUSES,
  verifyTimestamp,
} from "../../lib/verify/sigstore_mod.ts";
import { buildCert, DAY, KU, makeKey, T0 } from "../keys/_x509_builder.ts";
import { buildToken, type TokenSpec } from "./_tsa_builder.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const PYTHON = vectorSet("sigstore-python");

const rootKey = makeKey("p256");
const tsaKey = makeKey("p256");
const root = buildCert({ subject: "TSA Root", key: rootKey, ca: true });
const tsaCert = buildCert({
  subject: "TSA",
  issuer: "TSA Root",
  key: tsaKey,
  issuerKey: rootKey,
  serial: 2n,
  eku: [KEY_PURPOSES.timeStamping],
  notBefore: T0,
  notAfter: T0 + 30 * DAY,
});
const data = encodeUtf8("signature bytes");
const base: TokenSpec = { key: tsaKey, cert: tsaCert, data };

function failed(result: TimestampVerification): [string, string | undefined][] {
  return result.checks.filter((c: Check) => !c.ok).map((c) => [c.id, c.code]);
}

const verify = (token: Uint8Array, extra: Partial<Parameters<typeof verifyTimestamp>[1]> = {}) =>
  verifyTimestamp(token, { data, roots: [root], ...extra });

Deno.test("verifyTimestamp() accepts a well-formed token and reports every check in order", async () => {
  const result = await verify(buildToken(base));
  assert.equal(result.verified, true);
  assert.deepEqual(result.checks, [
    { id: "timestamp.parse", ok: true },
    { id: "timestamp.imprint", ok: true },
    { id: "timestamp.signer", ok: true },
    { id: "timestamp.signature", ok: true },
    { id: "timestamp.chain", ok: true },
    { id: "timestamp.eku", ok: true },
  ]);
  assert.equal(result.genTime, Date.parse("2025-01-02T03:04:05.250Z"));
  assert.equal(result.accuracyMs, undefined);
});

Deno.test("parseTimestampResponse() reads TSTInfo fields (RFC 3161 §2.4.2)", () => {
  const token = parseTimestampResponse(buildToken({
    ...base,
    genTime: "20250102030405.123456Z",
    accuracy: { seconds: 2, millis: 5, micros: 999 },
    ordering: true,
    nonce: 0x1234567890abcdefn,
    status: 1,
  }));
  assert.equal(token.status, "grantedWithMods");
  assert.equal(token.tstInfo.version, 1);
  assert.equal(token.tstInfo.policy, "1.2.3.4.1");
  assert.equal(token.tstInfo.serialNumber, 42n);
  // Fractions beyond milliseconds are truncated.
  assert.equal(token.tstInfo.genTime, Date.parse("2025-01-02T03:04:05.123Z"));
  assert.deepEqual(token.tstInfo.accuracy, { seconds: 2, millis: 5, micros: 999 });
  assert.equal(token.tstInfo.ordering, true);
  assert.equal(token.tstInfo.nonce, 0x1234567890abcdefn);
  assert.equal(token.tstInfo.hasExtensions, false);
  assert.equal(token.certificates.length, 1);
  assert.equal(token.signer.contentType, "1.2.840.113549.1.9.16.1.4");
  assert.equal(token.signer.signedAttributes[0], 0x31);
  assert.deepEqual(TIMESTAMP_STATUSES.slice(0, 2), ["granted", "grantedWithMods"]);
});

Deno.test("verifyTimestamp() rounds microsecond accuracy up to milliseconds", async () => {
  const result = await verify(buildToken({ ...base, accuracy: { seconds: 1, micros: 1 } }));
  assert.equal(result.accuracyMs, 1001);
  const millis = await verify(buildToken({ ...base, accuracy: { millis: 250 } }));
  assert.equal(millis.accuracyMs, 250);
});

Deno.test("verifyTimestamp() supports SHA-256/384/512 imprints, refuses SHA-1", async () => {
  for (const imprintHash of ["sha256", "sha384", "sha512"] as const) {
    const result = await verify(buildToken({ ...base, imprintHash }));
    assert.deepEqual(failed(result), [], imprintHash);
  }
  const sha1 = await verify(buildToken({ ...base, imprintHash: "sha1" }));
  assert.deepEqual(failed(sha1), [["timestamp.imprint", "TIMESTAMP_IMPRINT_MISMATCH"]]);
  assert.match(sha1.checks[1]?.message ?? "", /1\.3\.14\.3\.2\.26 is not supported/);
});

Deno.test("verifyTimestamp() identifies the signer by subjectKeyIdentifier and from supplied certificates", async () => {
  const ski = await verify(buildToken({ ...base, sid: "subjectKeyIdentifier" }));
  assert.deepEqual(failed(ski), []);
  // No certificate in the token: the TSA certificate comes from `intermediates`.
  const bare = buildToken({ ...base, certificates: [] });
  assert.deepEqual(failed(await verify(bare, { intermediates: [tsaCert] })), []);
  const missing = await verify(bare);
  assert.deepEqual(failed(missing), [
    ["timestamp.signer", "TSA_UNTRUSTED"],
    ["timestamp.chain", "TSA_UNTRUSTED"],
  ]);
  assert.deepEqual(missing.checks.map((c) => c.id), [
    "timestamp.parse",
    "timestamp.imprint",
    "timestamp.signer",
    "timestamp.chain",
  ]);
  // Two certificates match the identifier (the same issuer and serial): the one whose key verifies
  // the signature is the signer.
  const twin = buildCert({
    subject: "Twin",
    issuer: "TSA Root",
    key: makeKey("p256"),
    issuerKey: rootKey,
    serial: 2n,
  });
  assert.deepEqual(failed(await verify(bare, { intermediates: [twin, tsaCert] })), []);
  // The TSA certificate itself as the trust anchor.
  assert.deepEqual(failed(await verify(bare, { roots: [tsaCert] })), []);
});

Deno.test("verifyTimestamp() checks the signed attributes (TIMESTAMP_SIGNATURE_INVALID)", async () => {
  const wrongType = await verify(buildToken({ ...base, contentType: "1.2.840.113549.1.7.1" }));
  assert.deepEqual(failed(wrongType), [["timestamp.signature", "TIMESTAMP_SIGNATURE_INVALID"]]);
  assert.match(wrongType.checks[3]?.message ?? "", /content-type/);

  const otherCert = buildCert({ subject: "Other", key: makeKey("p256") });
  const essV2 = await verify(buildToken({ ...base, essV2: otherCert }));
  assert.deepEqual(failed(essV2), [["timestamp.signature", "TIMESTAMP_SIGNATURE_INVALID"]]);
  assert.match(essV2.checks[3]?.message ?? "", /SigningCertificateV2/);

  const essV1 = await verify(buildToken({ ...base, essV2: null, essV1: otherCert }));
  assert.deepEqual(failed(essV1), [["timestamp.signature", "TIMESTAMP_SIGNATURE_INVALID"]]);
  const essV1Ok = await verify(buildToken({ ...base, essV2: null, essV1: tsaCert }));
  assert.deepEqual(failed(essV1Ok), []);
  const noEss = await verify(buildToken({ ...base, essV2: null }));
  assert.deepEqual(failed(noEss), []);

  // Signed by another key than the certificate's.
  const forged = await verify(buildToken({ ...base, key: makeKey("p256") }));
  assert.deepEqual(failed(forged), [["timestamp.signature", "TIMESTAMP_SIGNATURE_INVALID"]]);
});

Deno.test("parseTimestampResponse() rejects structurally invalid tokens (TIMESTAMP_INVALID)", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    [
      "no signed attributes",
      buildToken({ ...base, noSignedAttributes: true }),
      /signed attributes/,
    ],
    ["no message digest", buildToken({ ...base, noMessageDigest: true }), /message-digest/],
    ["two signers", buildToken({ ...base, twoSigners: true }), /exactly one SignerInfo/],
    ["status rejection", buildToken({ ...base, status: 2 }), /status rejection/],
    ["status waiting", buildToken({ ...base, status: 3 }), /status waiting/],
    ["unknown status", buildToken({ ...base, status: 9 }), /unknown status 9/],
    ["not TSTInfo", buildToken({ ...base, eContentType: "1.2.840.113549.1.7.1" }), /id-ct-TSTInfo/],
    ["local time", buildToken({ ...base, genTime: "20250102030405" }), /GeneralizedTime/],
    [
      "trailing zero fraction",
      buildToken({ ...base, genTime: "20250102030405.50Z" }),
      /GeneralizedTime/,
    ],
    ["accuracy millis 0", buildToken({ ...base, accuracy: { millis: 0 } }), /accuracy/],
    ["accuracy micros 1000", buildToken({ ...base, accuracy: { micros: 1000 } }), /accuracy/],
    ["empty", new Uint8Array(), /end of input/],
  ];
  for (const [why, bytes, message] of cases) {
    assert.throws(() => parseTimestampResponse(bytes, { name: "t.tsr" }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, "TIMESTAMP_INVALID", why);
      assert.match((error as Error).message, /^Cannot parse time-stamp token "t\.tsr": /, why);
      assert.match((error as Error).message, message, why);
      return true;
    });
  }
});

Deno.test("verifyTimestamp() checks the TSA certificate's purpose (TSA_EKU_MISSING)", async () => {
  const make = (extra: Partial<Parameters<typeof buildCert>[0]>) =>
    buildCert({
      subject: "TSA",
      issuer: "TSA Root",
      key: tsaKey,
      issuerKey: rootKey,
      serial: 2n,
      ...extra,
    });
  const cases: [string, Uint8Array, RegExp][] = [
    ["no EKU", make({}), /no extended key usage/],
    [
      "EKU not critical",
      make({ eku: [KEY_PURPOSES.timeStamping], ekuCritical: false }),
      /not marked critical/,
    ],
    [
      "extra purpose",
      make({ eku: [KEY_PURPOSES.timeStamping, KEY_PURPOSES.codeSigning] }),
      /besides timeStamping/,
    ],
    [
      "other purpose",
      make({ eku: [KEY_PURPOSES.codeSigning] }),
      /does not include id-kp-timeStamping/,
    ],
    [
      "key usage without signing",
      make({ eku: [KEY_PURPOSES.timeStamping], keyUsage: [KU.cRLSign] }),
      /neither digitalSignature nor nonRepudiation/,
    ],
  ];
  for (const [why, cert, message] of cases) {
    const result = await verify(buildToken({ ...base, cert }));
    assert.deepEqual(failed(result), [["timestamp.eku", "TSA_EKU_MISSING"]], why);
    assert.match(result.checks[5]?.message ?? "", message, why);
  }
  const nonRepudiation = make({ eku: [KEY_PURPOSES.timeStamping], keyUsage: [KU.nonRepudiation] });
  assert.deepEqual(failed(await verify(buildToken({ ...base, cert: nonRepudiation }))), []);
});

Deno.test("verifyTimestamp() evaluates the chain at genTime (TSA_CERT_NOT_VALID_AT_TIME)", async () => {
  const late = await verify(buildToken({ ...base, genTime: "20250201000000Z" }));
  assert.deepEqual(failed(late), [["timestamp.chain", "TSA_CERT_NOT_VALID_AT_TIME"]]);
  const early = await verify(buildToken({ ...base, genTime: "20241231235959Z" }));
  assert.deepEqual(failed(early), [["timestamp.chain", "TSA_CERT_NOT_VALID_AT_TIME"]]);
  // Bounds are inclusive (RFC 5280 §4.1.2.5).
  assert.deepEqual(failed(await verify(buildToken({ ...base, genTime: "20250131000000Z" }))), []);
  // A CA certificate (not a TSA) in the middle must be a CA.
  const notCaKey = makeKey("p256");
  const notCa = buildCert({
    subject: "Mid",
    issuer: "TSA Root",
    key: notCaKey,
    issuerKey: rootKey,
  });
  const under = buildCert({
    subject: "TSA",
    issuer: "Mid",
    key: tsaKey,
    issuerKey: notCaKey,
    eku: [KEY_PURPOSES.timeStamping],
  });
  const result = await verify(buildToken({ ...base, cert: under, certificates: [under, notCa] }));
  assert.deepEqual(failed(result), [["timestamp.chain", "TSA_UNTRUSTED"]]);
  assert.match(result.checks[4]?.message ?? "", /not a CA/);
});

Deno.test("verifyTimestamp() compares genTime − accuracy with `at` + skew (SIGNED_IN_FUTURE)", async () => {
  const token = buildToken({ ...base, accuracy: { seconds: 1 } });
  const genTime = Date.parse("2025-01-02T03:04:05.250Z");
  assert.deepEqual(failed(await verify(token, { at: genTime - 1000 })), []);
  assert.deepEqual(failed(await verify(token, { at: genTime - 1001 })), [[
    "timestamp.time",
    "SIGNED_IN_FUTURE",
  ]]);
  assert.deepEqual(failed(await verify(token, { at: genTime - 5000, skew: 4000 })), []);
});

vectorTest(PYTHON, "verifyTimestamp() parses the issue1482 vector without openssl", async () => {
  const bytes = await PYTHON.read("assets/tsa/issue1482-timestamp-with-no-cert");
  const token = parseTimestampResponse(bytes);
  assert.equal(token.signer.signatureAlgorithm.oid, "1.2.840.10045.4.3.2");
  assert.ok("issuer" in token.signer.sid);
  assert.equal(token.tstInfo.tsa?.type, "directoryName");
  assert.equal(token.signer.signingCertificateV2?.length, 1);
  // The message-digest attribute is the SHA-256 of the encapsulated TSTInfo DER.
  assert.equal(token.tstInfoDer[0], 0x30);
  assert.deepEqual(token.signer.messageDigest, digestBytes("sha256", token.tstInfoDer));
});

Deno.test("verifyTimestamp() misuse throws TypeError / RangeError; roots as DER must parse", async () => {
  const token = buildToken(base);
  await assert.rejects(
    () => verifyTimestamp("x" as unknown as Uint8Array, { data, roots: [] }),
    TypeError,
  );
  await assert.rejects(
    () => verifyTimestamp(token, { data: "x" as unknown as Uint8Array, roots: [] }),
    TypeError,
  );
  await assert.rejects(
    () => verifyTimestamp(token, { data, roots: "x" as unknown as [] }),
    TypeError,
  );
  await assert.rejects(
    () => verifyTimestamp(token, { data, roots: [root], at: Number.NaN }),
    RangeError,
  );
  await assert.rejects(() => verifyTimestamp(token, { data, roots: [root], skew: -1 }), RangeError);
  await assert.rejects(
    () => verifyTimestamp(token, { data, roots: [new Uint8Array([0x30, 0])] }),
    { code: "CERT_INVALID" },
  );
  assert.throws(() => parseTimestampResponse([] as unknown as Uint8Array), TypeError);
  // Parsed and DER roots are interchangeable.
  assert.deepEqual(failed(await verify(token, { roots: [parseCertificate(root)] })), []);
  for (
    const code of [
      "TIMESTAMP_MALFORMED",
      "TIMESTAMP_IMPRINT_MISMATCH",
      "TIMESTAMP_SIGNATURE_INVALID",
      "TSA_UNTRUSTED",
      "TSA_EKU_MISSING",
      "TSA_CERT_NOT_VALID_AT_TIME",
    ]
  ) {
    assert.ok((FAILURE_CODES as readonly string[]).includes(code), code);
  }
});
