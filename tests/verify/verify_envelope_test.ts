import assert from "node:assert/strict";
import { encodeBase64, encodeHex, encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { canonicalBytes } from "../../lib/encoding/canonical_json.ts";
import { decodePem } from "../../lib/encoding/pem.ts";
import { sha256 } from "../../lib/digest/digest.ts";
import { exportPublicKeyPem, importKeyPem } from "../../lib/keys/key_pem.ts";
import type { PrivateKey } from "../../lib/keys/key.ts";
import {
  createEnvelope,
  INTOTO_PAYLOAD_TYPE,
  preAuthEncoding,
  serializeEnvelope,
} from "../../lib/model/dsse.ts";
import { createSigner, type CreateSignerOptions } from "../../lib/crypto/local_signer.ts";
import { FAILURE_CODES } from "../../lib/verify/codes.ts";
import type { VerificationReport } from "../../lib/verify/report.ts";
import type { TrustedKeyOptions } from "../../lib/verify/trust_policy.ts";
import type { VerifyOptions } from "../../lib/verify/options.ts";
import { DEFAULT_SKEW_MS, verifyEnvelope } from "../../lib/verify/verify_envelope.ts";
import { type KeySource, splitTrust, trustOf, type TrustParts } from "./_trust.ts";

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const MINUTE = 60_000;

async function privateKey(name: string): Promise<{ key: PrivateKey; pem: string }> {
  const pem = await Deno.readTextFile(new URL(`test-only-${name}.pem`, KEYS));
  const key = importKeyPem(pem);
  if (key.kind !== "private") throw new Error(`test-only-${name}.pem is not a private key`);
  return { key, pem };
}

const A = await privateKey("ed25519-a");
const B = await privateKey("ed25519-b");
const U = await privateKey("ed25519-untrusted");
const P256 = await privateKey("ecdsa-p256");
const P384 = await privateKey("ecdsa-p384");
const RSA = await privateKey("rsa-2048");

function trusted(k: { key: PrivateKey }, options: TrustedKeyOptions = {}): KeySource {
  return { pem: exportPublicKeyPem(k.key), options };
}

const DIGEST = "c".repeat(64);
function statement(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "registry.example/app", digest: { sha256: DIGEST } }],
    predicateType: "stella.ops/promotion@v1",
    predicate: { promotion: { from: "staging", to: "prod" } },
    ...extra,
  };
}

interface SignWith {
  k: { key: PrivateKey };
  options?: CreateSignerOptions;
  keyid?: string | null;
}

/** Signs payload bytes with each signer in turn; returns the envelope's JSON text. */
async function envelope(
  payload: Uint8Array = canonicalBytes(statement()),
  signers: SignWith[] = [{ k: A }],
  payloadType = INTOTO_PAYLOAD_TYPE,
): Promise<string> {
  const pae = preAuthEncoding(payloadType, payload);
  const signatures = [];
  for (const { k, options, keyid } of signers) {
    const sig = await createSigner(k.key, options).sign(pae);
    signatures.push(keyid === null ? { sig } : { keyid: keyid ?? k.key.keyid, sig });
  }
  return serializeEnvelope(createEnvelope(payloadType, payload, signatures));
}

function verify(
  input: string | Uint8Array,
  options: Partial<VerifyOptions> & TrustParts,
): Promise<VerificationReport> {
  const [trust, rest] = splitTrust(options);
  return verifyEnvelope(input, trust, { now: NOW, ...rest });
}

const ok = (report: VerificationReport) => {
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.equal(report.code, undefined);
};

Deno.test("verifyEnvelope() reports every check in pipeline order with summary, key ids and time", async () => {
  const payload = canonicalBytes(statement());
  const report = await verify(await envelope(payload), { keys: [trusted(A)] });
  assert.deepEqual(report, {
    verified: true,
    checks: [
      { id: "envelope.parse", ok: true },
      { id: "envelope.signatures", ok: true },
      { id: "time.window", ok: true },
      { id: "payload.type", ok: true },
      { id: "statement.parse", ok: true },
    ],
    keyids: [A.key.keyid],
    time: { value: "2026-03-01T12:00:00Z", source: "clock" },
    evaluatedAt: "2026-03-01T12:00:00Z",
    subjectChecked: false,
    payload: { type: INTOTO_PAYLOAD_TYPE, sha256: encodeHex(sha256(payload)) },
    signatures: [{ index: 0, keyidHint: A.key.keyid, verifiedBy: A.key.keyid }],
    statement: {
      type: "https://in-toto.io/Statement/v1",
      predicateType: "stella.ops/promotion@v1",
      subjects: [{ name: "registry.example/app", digest: { sha256: DIGEST } }],
    },
  });
  // Text input gives the same report as bytes.
  assert.deepEqual(
    await verify(encodeUtf8(await envelope(payload)), { keys: [trusted(A)] }),
    report,
  );
});

Deno.test("verifyEnvelope() adds the policy checks after the statement, in order", async () => {
  const report = await verify(await envelope(), {
    keys: [trusted(A)],
    allowedPredicateTypes: ["stella.ops/promotion@v1"],
    requiredClaims: [{ pointer: "/predicate/promotion/to", equals: "prod" }],
  });
  ok(report);
  assert.deepEqual(report.checks.map((c) => c.id), [
    "envelope.parse",
    "envelope.signatures",
    "time.window",
    "payload.type",
    "statement.parse",
    "policy.predicate-type",
    "policy.claims",
  ]);
});

Deno.test("verifyEnvelope() stops after a failed parse: ENVELOPE_MALFORMED and nothing else", async () => {
  for (
    const input of [
      "",
      "{}",
      "[]",
      '{"payloadType":"t","payload":"aGk=","signatures":[]}',
      '{"payloadType":"t","payload":"aGk=","payload":"aGk=","signatures":[{"sig":""}]}',
      '{"payloadType":"t","payload":"%%%","signatures":[{"sig":""}]}',
      '{"payloadType":1,"payload":"","signatures":[{"sig":""}]}',
      '{"payloadType":"t","payload":"","signatures":[{"sig":"", "keyid": 7}]}',
      '\uFEFF{"payloadType":"t","payload":"","signatures":[{"sig":""}]}',
      new Uint8Array([0x7b, 0xff, 0x7d]),
    ]
  ) {
    const report = await verify(input, { keys: [trusted(A)], name: "x.dsse.json" });
    assert.equal(report.verified, false);
    assert.equal(report.code, "ENVELOPE_MALFORMED", String(input));
    assert.deepEqual(report.checks.map((c) => [c.id, c.ok, c.code]), [
      ["envelope.parse", false, "ENVELOPE_MALFORMED"],
    ]);
    assert.equal(report.payload, undefined);
    assert.equal(report.signatures, undefined);
    assert.deepEqual(report.keyids, []);
  }
});

Deno.test("verifyEnvelope() checks signatures over PAE: tampered payload or type is SIGNATURE_INVALID", async () => {
  const good = JSON.parse(await envelope());
  const tampered = {
    ...good,
    payload: encodeBase64(canonicalBytes(statement({ predicateType: "x" }))),
  };
  const retyped = { ...good, payloadType: "application/json" };
  for (const bad of [tampered, retyped]) {
    const report = await verify(JSON.stringify(bad), { keys: [trusted(A)] });
    assert.equal(report.code, "SIGNATURE_INVALID");
    assert.deepEqual(report.signatures, [{
      index: 0,
      keyidHint: A.key.keyid,
      code: "SIGNATURE_INVALID",
    }]);
    assert.deepEqual(report.checks[1], {
      id: "envelope.signatures",
      ok: false,
      code: "SIGNATURE_INVALID",
      message: `Reject envelope: no trusted signature; signature 0 (keyid "${A.key.keyid}") ` +
        "does not verify with any trusted key",
    });
  }
});

Deno.test("verifyEnvelope() treats keyid as a hint only", async () => {
  // A wrong hint with a valid signature verifies; so does no hint.
  ok(
    await verify(await envelope(undefined, [{ k: A, keyid: "someone-else" }]), {
      keys: [trusted(A)],
    }),
  );
  ok(await verify(await envelope(undefined, [{ k: A, keyid: null }]), { keys: [trusted(A)] }));
  ok(
    await verify(await envelope(undefined, [{ k: A, keyid: U.key.keyid }]), { keys: [trusted(A)] }),
  );
  // A trusted key's id on an untrusted signature does not make it count.
  const claimed = await verify(await envelope(undefined, [{ k: U, keyid: A.key.keyid }]), {
    keys: [trusted(A)],
  });
  assert.equal(claimed.code, "SIGNATURE_INVALID");
  // A hint that names no trusted key, on a signature no trusted key verifies, is KEY_UNTRUSTED.
  const untrusted = await verify(await envelope(undefined, [{ k: U }]), { keys: [trusted(A)] });
  assert.equal(untrusted.code, "KEY_UNTRUSTED");
  assert.deepEqual(untrusted.signatures, [{
    index: 0,
    keyidHint: U.key.keyid,
    code: "KEY_UNTRUSTED",
  }]);
  // With no trusted keys at all nothing verifies.
  assert.equal(
    (await verify(await envelope(undefined, [{ k: A, keyid: null }]), { keys: [] })).code,
    "SIGNATURE_INVALID",
  );
});

Deno.test("verifyEnvelope() counts a key once, even with two signatures or two key ids", async () => {
  const twice = await envelope(undefined, [{ k: A }, { k: A, keyid: B.key.keyid }]);
  const report = await verify(twice, { keys: [trusted(A), trusted(B)], threshold: 2 });
  assert.equal(report.code, "THRESHOLD_NOT_MET");
  assert.deepEqual(report.keyids, [A.key.keyid]);
  assert.deepEqual(report.signatures?.map((s) => s.verifiedBy), [A.key.keyid, A.key.keyid]);
  assert.match(report.checks[1]!.message!, /1 of 2 required trusted keys signed/);
  // ECDSA: two different valid signatures by one key still count once.
  const ecdsa = await envelope(undefined, [
    { k: P256 },
    { k: P256, options: { ecdsaSignatureFormat: "p1363" } },
  ]);
  const any = trusted(P256, { signatureEncoding: "any" });
  assert.equal((await verify(ecdsa, { keys: [any], threshold: 2 })).code, "THRESHOLD_NOT_MET");
  // The same key material listed under two key ids (policy entry + --key) counts once.
  const aliased = await envelope(undefined, [{ k: A, keyid: "build-2026" }, { k: A }]);
  const aliasReport = await verify(aliased, {
    trust: { keys: [trusted(A, { keyid: "build-2026" }), trusted(B)], threshold: 2 },
    keys: [trusted(A)],
  });
  assert.equal(aliasReport.code, "THRESHOLD_NOT_MET");
  assert.deepEqual(aliasReport.keyids, ["build-2026"]);
  // Two distinct keys meet the threshold; the key ids are sorted.
  const both = await verify(await envelope(undefined, [{ k: B }, { k: A }]), {
    trust: { keys: [trusted(A), trusted(B)], threshold: 2 },
  });
  ok(both);
  assert.deepEqual(both.keyids, [A.key.keyid, B.key.keyid].sort());
});

Deno.test("verifyEnvelope() threshold: the option overrides the policy; untrusted signatures do not help", async () => {
  const one = await envelope(undefined, [{ k: A }, { k: U }]);
  const trust = { keys: [trusted(A), trusted(B)], threshold: 2 };
  const report = await verify(one, { trust });
  assert.equal(report.code, "THRESHOLD_NOT_MET");
  assert.deepEqual(report.signatures?.map((s) => s.code), [undefined, "KEY_UNTRUSTED"]);
  ok(await verify(one, { trust, threshold: 1 }));
  assert.equal((await verify(one, { keys: [trusted(A)], threshold: 3 })).code, "THRESHOLD_NOT_MET");
});

Deno.test("verifyEnvelope() RSA keys accept PSS and PKCS#1 v1.5 unless the entry pins one", async () => {
  const pss = await envelope(undefined, [{ k: RSA, options: { algorithm: "rsa-pss-sha256" } }]);
  const pkcs1 = await envelope(undefined, [{ k: RSA, options: { algorithm: "rsa-pkcs1-sha256" } }]);
  ok(await verify(pss, { keys: [trusted(RSA)] }));
  ok(await verify(pkcs1, { keys: [trusted(RSA)] }));
  const pssOnly = trusted(RSA, { algorithm: "rsa-pss-sha256" });
  const pkcs1Only = trusted(RSA, { algorithm: "rsa-pkcs1-sha256" });
  ok(await verify(pss, { keys: [pssOnly] }));
  assert.equal((await verify(pkcs1, { keys: [pssOnly] })).code, "SIGNATURE_INVALID");
  ok(await verify(pkcs1, { keys: [pkcs1Only] }));
  assert.equal((await verify(pss, { keys: [pkcs1Only] })).code, "SIGNATURE_INVALID");
});

Deno.test("verifyEnvelope() ECDSA accepts P1363 only when the key entry says so", async () => {
  const der = await envelope(undefined, [{ k: P256 }]);
  const p1363 = await envelope(undefined, [{
    k: P256,
    options: { ecdsaSignatureFormat: "p1363" },
  }]);
  ok(await verify(der, { keys: [trusted(P256)] }));
  assert.equal((await verify(p1363, { keys: [trusted(P256)] })).code, "SIGNATURE_INVALID");
  const onlyP1363 = trusted(P256, { signatureEncoding: "p1363" });
  ok(await verify(p1363, { keys: [onlyP1363] }));
  assert.equal((await verify(der, { keys: [onlyP1363] })).code, "SIGNATURE_INVALID");
  const any = trusted(P256, { signatureEncoding: "any" });
  ok(await verify(der, { keys: [any] }));
  ok(await verify(p1363, { keys: [any] }));
  // P-384 with SHA-384, both encodings.
  ok(await verify(await envelope(undefined, [{ k: P384 }]), { keys: [trusted(P384)] }));
  const p384raw = await envelope(undefined, [{
    k: P384,
    options: { ecdsaSignatureFormat: "p1363" },
  }]);
  ok(await verify(p384raw, { keys: [trusted(P384, { signatureEncoding: "p1363" })] }));
  // A P-256 signature never verifies under a P-384 key (its keyid names no trusted key).
  assert.equal((await verify(der, { keys: [trusted(P384)] })).code, "KEY_UNTRUSTED");
});

Deno.test("verifyEnvelope() broken signatures: truncated, random, empty, raw payload, base64 PAE", async () => {
  const good = JSON.parse(await envelope());
  const sig = Uint8Array.fromBase64(good.signatures[0].sig);
  const payload = Uint8Array.fromBase64(good.payload);
  const rawSig = await createSigner(A.key).sign(payload);
  const b64Sig = await createSigner(A.key).sign(
    preAuthEncoding(INTOTO_PAYLOAD_TYPE, encodeUtf8(good.payload)),
  );
  for (
    const bytes of [
      sig.subarray(0, 63),
      new Uint8Array([...sig, 0]),
      new Uint8Array(64),
      new Uint8Array(),
      rawSig,
      b64Sig,
    ]
  ) {
    const report = await verify(
      JSON.stringify({ ...good, signatures: [{ sig: encodeBase64(bytes) }] }),
      { keys: [trusted(A)] },
    );
    assert.equal(report.code, "SIGNATURE_INVALID");
  }
});

Deno.test("verifyEnvelope() key validity window and revocation are checked at the signing time", async () => {
  const env = await envelope();
  const at = (iso: string) => Date.parse(iso);
  const windowed = trusted(A, {
    validFrom: "2026-02-01T00:00:00Z",
    validUntil: "2026-02-28T00:00:00Z",
  });
  const revoked = trusted(A, { revokedAt: "2026-02-15T00:00:00Z" });
  const cases: [KeySource, string, string | undefined][] = [
    [windowed, "2026-02-10T00:00:00Z", undefined],
    [windowed, "2026-01-31T23:55:00Z", undefined],
    [windowed, "2026-01-31T23:54:59.999Z", "KEY_NOT_VALID_AT_TIME"],
    [windowed, "2026-02-28T00:05:00Z", undefined],
    [windowed, "2026-02-28T00:05:00.001Z", "KEY_NOT_VALID_AT_TIME"],
    // Skew never widens a revocation in the signer's favour: it counts against the signer.
    [revoked, "2026-02-14T23:54:59.999Z", undefined],
    [revoked, "2026-02-14T23:55:00Z", "KEY_REVOKED"],
    [revoked, "2026-02-20T00:00:00Z", "KEY_REVOKED"],
  ];
  for (const [key, signedAt, code] of cases) {
    const report = await verify(env, { keys: [key], signedAt: at(signedAt) });
    assert.equal(report.code, code, signedAt);
    assert.deepEqual(report.time, {
      value: signedAt.replace(".000Z", "Z"),
      source: "signed-at",
    });
    if (code !== undefined) {
      assert.deepEqual(report.signatures?.[0], {
        index: 0,
        keyidHint: A.key.keyid,
        verifiedBy: A.key.keyid,
        code,
      });
      assert.deepEqual(report.keyids, []);
    }
  }
  // Without signedAt the window is checked at now.
  assert.equal((await verify(env, { keys: [revoked] })).code, "KEY_REVOKED");
  // skew 0 makes the bounds exact.
  const skew0 = { keys: [windowed], skew: 0 };
  ok(await verify(env, { ...skew0, signedAt: at("2026-02-28T00:00:00Z") }));
  assert.equal(
    (await verify(env, { ...skew0, signedAt: at("2026-02-28T00:00:00.001Z") })).code,
    "KEY_NOT_VALID_AT_TIME",
  );
  // A revoked key outranks an untrusted signature when explaining why nothing counted.
  const mixed = await envelope(undefined, [{ k: U }, { k: A }]);
  assert.equal((await verify(mixed, { keys: [revoked] })).code, "KEY_REVOKED");
  assert.equal(
    (await verify(mixed, { keys: [windowed], signedAt: 0 })).code,
    "KEY_NOT_VALID_AT_TIME",
  );
});

Deno.test("verifyEnvelope() time window: --not-after and claimed times in the future, with skew", async () => {
  const env = await envelope();
  const keys = [trusted(A)];
  const notAfter = Date.UTC(2026, 1, 20);
  assert.equal(DEFAULT_SKEW_MS, 5 * MINUTE);
  ok(await verify(env, { keys, notAfter, signedAt: notAfter + 5 * MINUTE }));
  const late = await verify(env, { keys, notAfter, signedAt: notAfter + 5 * MINUTE + 1 });
  assert.equal(late.code, "SIGNED_AFTER_NOT_AFTER");
  assert.deepEqual(late.checks.map((c) => c.ok), [true, true, false, true, true]);
  assert.equal(late.checks[2]?.id, "time.window");
  ok(await verify(env, { keys, notAfter, signedAt: notAfter + 30_000, skew: 30_000 }));
  assert.equal(
    (await verify(env, { keys, notAfter, signedAt: notAfter + 30_001, skew: 30_000 })).code,
    "SIGNED_AFTER_NOT_AFTER",
  );
  // Without signedAt the signing time is now (source "clock").
  const clock = await verify(env, { keys, notAfter });
  assert.equal(clock.code, "SIGNED_AFTER_NOT_AFTER");
  assert.equal(clock.time.source, "clock");
  // A claimed signing time after now (beyond skew) is rejected.
  ok(await verify(env, { keys, signedAt: NOW + 5 * MINUTE }));
  assert.equal(
    (await verify(env, { keys, signedAt: NOW + 5 * MINUTE + 1 })).code,
    "SIGNED_IN_FUTURE",
  );
  // Evidence-backed times keep their source.
  const tsa = await verify(env, { keys, signedAt: notAfter, signedAtSource: "rfc3161" });
  assert.deepEqual(tsa.time, { value: "2026-02-20T00:00:00Z", source: "rfc3161" });
});

Deno.test("verifyEnvelope() content: any payload type verifies unless the policy constrains content", async () => {
  const text = encodeUtf8("hello");
  const env = await envelope(text, [{ k: A }], "text/plain");
  const plain = await verify(env, { keys: [trusted(A)] });
  ok(plain);
  assert.equal(plain.statement, undefined);
  assert.deepEqual(plain.payload, { type: "text/plain", sha256: encodeHex(sha256(text)) });
  for (
    const options of [
      { allowedPredicateTypes: ["stella.ops/promotion@v1"] },
      { requiredClaims: [{ pointer: "/predicateType" }] },
    ]
  ) {
    const report = await verify(env, { keys: [trusted(A)], ...options });
    assert.equal(report.code, "PAYLOAD_TYPE_UNSUPPORTED");
    assert.deepEqual(report.checks.map((c) => c.id), [
      "envelope.parse",
      "envelope.signatures",
      "time.window",
      "payload.type",
    ]);
  }
});

Deno.test("verifyEnvelope() statement: strict JSON, Statement v1/v0.1, well-formed digests", async () => {
  const keys = [trusted(A)];
  const invalid = [
    encodeUtf8('{"_type":"https://in-toto.io/Statement/v1","_type":"x"}'),
    encodeUtf8("not json"),
    canonicalBytes(statement({ subject: [{ name: "a", digest: { sha256: "xyz" } }] })),
    canonicalBytes(statement({ subject: [{ name: "a", digest: { sha256: "ab" } }] })),
    canonicalBytes(statement({ subject: [] })),
    canonicalBytes(statement({ _type: "https://in-toto.io/Statement/v2" })),
    canonicalBytes(statement({ predicate: "x" })),
    canonicalBytes([1, 2]),
  ];
  for (const payload of invalid) {
    const report = await verify(await envelope(payload), { keys });
    assert.equal(report.code, "STATEMENT_INVALID", new TextDecoder().decode(payload));
    assert.equal(report.checks.at(-1)?.id, "statement.parse");
    assert.equal(report.statement, undefined);
    // The signature itself was fine: only the content check failed.
    assert.deepEqual(report.keyids, [A.key.keyid]);
  }
  const v01 = await verify(
    await envelope(canonicalBytes(statement({ _type: "https://in-toto.io/Statement/v0.1" }))),
    { keys },
  );
  ok(v01);
  assert.equal(v01.statement?.type, "https://in-toto.io/Statement/v0.1");
});

Deno.test("verifyEnvelope() legacy in-toto links and layouts are summarised, never allow-listed", async () => {
  const keys = [trusted(A)];
  const link = canonicalBytes({
    _type: "link",
    name: "build",
    products: { "b.tar": { sha256: DIGEST }, "a.tar": { sha256: DIGEST } },
  });
  const linkReport = await verify(await envelope(link), { keys });
  ok(linkReport);
  assert.deepEqual(linkReport.statement, {
    type: "link",
    predicateType: "",
    subjects: [
      { name: "a.tar", digest: { sha256: DIGEST } },
      { name: "b.tar", digest: { sha256: DIGEST } },
    ],
  });
  const layout = canonicalBytes({
    _type: "layout",
    steps: [],
    keys: {},
    expires: "2030-01-01T00:00:00Z",
  });
  const layoutReport = await verify(await envelope(layout), { keys });
  ok(layoutReport);
  assert.deepEqual(layoutReport.statement, { type: "layout", predicateType: "", subjects: [] });
  for (const payload of [link, layout]) {
    const report = await verify(await envelope(payload), {
      keys,
      allowedPredicateTypes: ["stella.ops/promotion@v1"],
    });
    assert.equal(report.code, "PREDICATE_TYPE_NOT_ALLOWED");
  }
});

Deno.test("verifyEnvelope() policy: allowed predicate types and required claims; options override the policy", async () => {
  const env = await envelope();
  const keys = [trusted(A)];
  const allow = await verify(env, {
    keys,
    allowedPredicateTypes: ["https://slsa.dev/provenance/v1"],
  });
  assert.equal(allow.code, "PREDICATE_TYPE_NOT_ALLOWED");
  assert.equal(allow.checks.at(-1)?.id, "policy.predicate-type");
  const trust = { keys, allowedPredicateTypes: ["https://slsa.dev/provenance/v1"] };
  assert.equal((await verify(env, { trust })).code, "PREDICATE_TYPE_NOT_ALLOWED");
  ok(await verify(env, { trust, allowedPredicateTypes: ["stella.ops/promotion@v1"] }));

  const missing = await verify(env, {
    keys,
    requiredClaims: [
      { pointer: "/predicate/promotion/approvals" },
      { pointer: "/predicate/promotion/to", equals: "dev" },
    ],
  });
  assert.equal(missing.code, "CLAIM_MISSING");
  assert.match(missing.checks.at(-1)!.message!, /approvals.*; .*promotion\/to/);
  const mismatch = await verify(env, {
    keys,
    requiredClaims: [{ pointer: "/predicate/promotion/to", oneOf: ["dev", "test"] }],
  });
  assert.equal(mismatch.code, "CLAIM_MISMATCH");
  ok(
    await verify(env, {
      keys,
      requiredClaims: [{ pointer: "/predicate/promotion/to", pattern: "pr.d" }],
    }),
  );
  const policyClaims = { keys, requiredClaims: [{ pointer: "/nope" }] };
  assert.equal((await verify(env, { trust: policyClaims })).code, "CLAIM_MISSING");
  ok(await verify(env, { trust: policyClaims, requiredClaims: [] }));
});

Deno.test("verifyEnvelope() runs every check and reports the first failure's code", async () => {
  const env = await envelope(canonicalBytes(statement({ predicateType: "x" })), [{ k: U }]);
  const report = await verify(env, {
    keys: [trusted(A)],
    notAfter: 0,
    allowedPredicateTypes: ["stella.ops/promotion@v1"],
  });
  assert.equal(report.code, "KEY_UNTRUSTED");
  assert.deepEqual(report.checks.map((c) => c.code ?? "ok"), [
    "ok",
    "KEY_UNTRUSTED",
    "SIGNED_AFTER_NOT_AFTER",
    "ok",
    "ok",
    "PREDICATE_TYPE_NOT_ALLOWED",
  ]);
  for (const check of report.checks) {
    assert.match(check.id, /^[a-z]+(\.[a-z-]+)+$/);
    if (!check.ok) {
      assert.ok(FAILURE_CODES.includes(check.code!));
      assert.match(check.message!, /^[A-Z]/);
      assert.doesNotMatch(check.message!, /\.$/);
    }
  }
});

Deno.test("verifyEnvelope() rejects misuse with RangeError", async () => {
  const env = await envelope();
  const keys = [trusted(A)];
  await assert.rejects(verifyEnvelope(env, trustOf({ keys }), { now: Number.NaN }), RangeError);
  await assert.rejects(verify(env, { keys, skew: -1 }), RangeError);
  await assert.rejects(verify(env, { keys, skew: Number.POSITIVE_INFINITY }), RangeError);
  await assert.rejects(verify(env, { keys, threshold: 0 }), RangeError);
  await assert.rejects(verify(env, { keys, threshold: 1.5 }), RangeError);
  // A trust policy's threshold is checked when the trust material is loaded.
  assert.throws(() => trustOf({ trust: { keys, threshold: -2 } }), { name: "ValidationError" });
});

Deno.test("verifyEnvelope() reports never contain key material", async () => {
  const all = [A, B, U, P256, P384, RSA];
  const secrets: string[] = [];
  for (const k of all) {
    const spki = decodePem(exportPublicKeyPem(k.key)).bytes;
    const pkcs8 = decodePem(k.pem).bytes;
    secrets.push(encodeBase64(spki), encodeHex(spki), encodeBase64(pkcs8), encodeHex(pkcs8));
    // Every 24-character window of the PEM bodies (one PEM line is 64).
    for (const b64 of [encodeBase64(spki), encodeBase64(pkcs8)]) {
      for (let i = 0; i + 24 <= b64.length; i += 12) secrets.push(b64.slice(i, i + 24));
    }
  }
  const keys = all.map((k) => trusted(k, { signatureEncoding: "any" }));
  const reports: VerificationReport[] = [];
  const env = await envelope(undefined, all.map((k) => ({ k })));
  reports.push(await verify(env, { keys, threshold: 6 }));
  reports.push(await verify(env, { keys: [trusted(A, { revokedAt: "2026-01-01T00:00:00Z" })] }));
  reports.push(await verify(env, { keys: [trusted(A)], threshold: 7, notAfter: 0 }));
  reports.push(await verify("{", { keys }));
  reports.push(
    await verify(await envelope(undefined, [{ k: U }]), {
      keys,
      requiredClaims: [{ pointer: "/x" }],
      allowedPredicateTypes: ["y"],
    }),
  );
  assert.equal(reports[0]!.verified, true);
  for (const report of reports) {
    const text = JSON.stringify(report);
    assert.doesNotMatch(text, /BEGIN|PRIVATE|PUBLIC KEY/);
    for (const secret of secrets) assert.ok(!text.includes(secret), "report leaks key material");
  }
});
