/**
 * Which time judges a signature (issue 13, items 1 and 2): an RFC 3161 token counts only for a
 * signature that verified under a trusted key; each signature's key window and revocation are
 * judged at its own trusted time; revocation follows the key material, never a trust entry or a
 * keyid hint; skew never widens a revocation in the signer's favour.
 */
import assert from "node:assert/strict";
import { encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { canonicalBytes } from "../../lib/encoding/canonical_json.ts";
import { decodePemAll } from "../../lib/encoding/pem.ts";
import { sha512 } from "@noble/hashes/sha2.js";
import { exportPublicKeyPem, importKeyPem } from "../../lib/keys/key_pem.ts";
import type { PrivateKey } from "../../lib/keys/key.ts";
import {
  createEnvelope,
  INTOTO_PAYLOAD_TYPE,
  preAuthEncoding,
  serializeEnvelope,
} from "../../lib/model/dsse.ts";
import { createSigner } from "../../lib/crypto/local_signer.ts";
import type { VerificationReport } from "../../lib/verify/report.ts";
import type { TrustedKeyOptions } from "../../lib/verify/trust_policy.ts";
import { verifyEnvelope } from "../../lib/verify/verify_envelope.ts";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { type KeySource, splitTrust, type TestOptions } from "./_trust.ts";

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const REVOKED_AT = "2026-02-15T00:00:00Z";
const tsa = fixtureTsa();
const tsaRoots = decodePemAll(tsa.rootPem, { label: "CERTIFICATE" }).map((b) => b.bytes);

async function privateKey(name: string): Promise<PrivateKey> {
  const key = importKeyPem(await Deno.readTextFile(new URL(`test-only-${name}.pem`, KEYS)));
  if (key.kind !== "private") throw new Error(`test-only-${name}.pem is not a private key`);
  return key;
}
const A = await privateKey("ed25519-a");
const B = await privateKey("ed25519-b");
const U = await privateKey("ed25519-untrusted");

function trusted(key: PrivateKey, options: TrustedKeyOptions = {}): KeySource {
  return { pem: exportPublicKeyPem(key), options: options };
}

const payload = canonicalBytes({
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: "registry.example/app", digest: { sha256: "c".repeat(64) } }],
  predicateType: "stella.ops/promotion@v1",
  predicate: { promotion: { from: "staging", to: "prod" } },
});
const pae = preAuthEncoding(INTOTO_PAYLOAD_TYPE, payload);
const sigA = await createSigner(A).sign(pae);
const sigB = await createSigner(B).sign(pae);
const sigU = await createSigner(U).sign(pae);
/** 64 random-looking bytes: no signature at all, but a TSA will happily stamp them. */
const R = sha512(encodeUtf8("issue 13: bytes an attacker had stamped before the revocation"));

function envelope(signatures: { keyid?: string; sig: Uint8Array }[]): string {
  return serializeEnvelope(createEnvelope(INTOTO_PAYLOAD_TYPE, payload, signatures));
}

function verify(
  input: string,
  options: Partial<TestOptions>,
): Promise<VerificationReport> {
  return verifyEnvelope(input, ...splitTrust({ now: NOW, tsaRoots, ...options }));
}

const revokedA = () => trusted(A, { revokedAt: REVOKED_AT });

Deno.test("verifyEnvelope() ignores a token over a signature that does not verify (issue 13 repro)", async () => {
  // Sign with a key revoked at T; append {"sig": R} where a TSA stamped R before T.
  const evil = envelope([{ keyid: A.keyid, sig: sigA }, { sig: R }]);
  const report = await verify(evil, {
    trust: { keys: [revokedA()] },
    timestamps: [tsa.stamp(R, "2026-02-01T00:00:00Z")],
  });
  assert.equal(report.verified, false);
  assert.equal(report.code, "KEY_REVOKED");
  assert.deepEqual(report.time, { value: "2026-03-01T12:00:00Z", source: "clock" });
  const stamp = report.checks.find((c) => c.id === "timestamp.rfc3161")!;
  assert.equal(stamp.ok, true);
  assert.match(stamp.message!, /^Ignored \(not a time source\): .*signature 1.*does not verify/);
  assert.deepEqual(report.signatures?.map((s) => s.code), ["KEY_REVOKED", "SIGNATURE_INVALID"]);
  assert.match(report.checks.find((c) => c.id === "envelope.signatures")!.message!, /2026-02-15/);
});

Deno.test("verifyEnvelope() ignores a token over a signature by an untrusted key", async () => {
  const report = await verify(envelope([{ sig: sigA }, { sig: sigU }]), {
    keys: [revokedA()],
    timestamps: [tsa.stamp(sigU, "2026-02-01T00:00:00Z")],
  });
  assert.equal(report.code, "KEY_REVOKED");
  const stamp = report.checks.find((c) => c.id === "timestamp.rfc3161")!;
  assert.equal(stamp.ok, true);
  assert.match(stamp.message!, /^Ignored/);
});

Deno.test("verifyEnvelope() a token over the trusted signature gives that signature its time", async () => {
  const env = envelope([{ keyid: A.keyid, sig: sigA }]);
  const before = await verify(env, {
    keys: [revokedA()],
    timestamps: [tsa.stamp(sigA, "2026-02-10T00:00:00Z")],
  });
  assert.equal(before.verified, true, JSON.stringify(before.checks));
  assert.deepEqual(before.time, { value: "2026-02-10T00:00:00Z", source: "rfc3161" });
  assert.deepEqual(before.checks.slice(0, 2), [
    { id: "envelope.parse", ok: true },
    { id: "timestamp.rfc3161", ok: true },
  ]);
  const after = await verify(env, {
    keys: [revokedA()],
    timestamps: [tsa.stamp(sigA, "2026-02-16T00:00:00Z")],
  });
  assert.equal(after.code, "KEY_REVOKED");
  assert.deepEqual(after.time, { value: "2026-02-16T00:00:00Z", source: "rfc3161" });
  const message = after.checks.find((c) => c.id === "envelope.signatures")!.message!;
  assert.match(message, /revoked at 2026-02-15T00:00:00Z/);
  assert.match(message, /2026-02-16T00:00:00Z \(rfc3161\)/);
});

Deno.test("verifyEnvelope() judges each signature at its own trusted time", async () => {
  const env = envelope([{ sig: sigA }, { sig: sigB }]);
  const trust = { keys: [revokedA(), trusted(B)], threshold: 2 };
  // A's token proves A signed before its revocation; B (no token) is judged at now, still valid.
  const both = await verify(env, { trust, timestamps: [tsa.stamp(sigA, "2026-02-10T00:00:00Z")] });
  assert.equal(both.verified, true, JSON.stringify(both.checks));
  // The envelope's time is when the threshold was met: B's signature, known only by now.
  assert.deepEqual(both.time, { value: "2026-03-01T12:00:00Z", source: "clock" });
  // B's token does not lend its time to A's signature.
  const onlyB = await verify(env, { trust, timestamps: [tsa.stamp(sigB, "2026-02-10T00:00:00Z")] });
  assert.equal(onlyB.code, "THRESHOLD_NOT_MET");
  assert.deepEqual(onlyB.signatures?.map((s) => s.code), ["KEY_REVOKED", undefined]);
  // Threshold 1 with two tokens: the earliest moment a trusted signature provably existed.
  const early = await verify(env, {
    trust: { keys: [trusted(A), trusted(B)] },
    timestamps: [tsa.stamp(sigB, "2026-02-12T00:00:00Z"), tsa.stamp(sigA, "2026-02-11T00:00:00Z")],
  });
  assert.deepEqual(early.time, { value: "2026-02-11T00:00:00Z", source: "rfc3161" });
});

Deno.test("verifyEnvelope() a token that does not verify still fails; one that binds wins over it", async () => {
  const env = envelope([{ sig: sigA }]);
  const other = tsa.stamp(encodeUtf8("other bytes"), "2026-02-10T00:00:00Z");
  const alone = await verify(env, { keys: [trusted(A)], timestamps: [other] });
  assert.equal(alone.code, "TIMESTAMP_IMPRINT_MISMATCH");
  const bound = await verify(env, {
    keys: [trusted(A)],
    timestamps: [other, tsa.stamp(sigA, "2026-02-10T00:00:00Z")],
  });
  assert.equal(bound.verified, true, JSON.stringify(bound.checks));
  const stamps = bound.checks.filter((c) => c.id === "timestamp.rfc3161");
  assert.equal(stamps.length, 2);
  assert.match(stamps[0]!.message!, /^Ignored \(not a time source\)/);
  assert.deepEqual(stamps[1], { id: "timestamp.rfc3161", ok: true });
});

Deno.test("verifyEnvelope() revocation follows the key material, whatever --key or a keyid adds", async () => {
  const env = envelope([{ keyid: A.keyid, sig: sigA }]);
  // --trust revokes A; --key A adds an unrevoked entry for the same key.
  const added = await verify(env, { trust: { keys: [revokedA()] }, keys: [trusted(A)] });
  assert.equal(added.code, "KEY_REVOKED");
  // Two entries for A under different key ids; the hint names the unrevoked one.
  const aliased = await verify(envelope([{ keyid: "a-current", sig: sigA }]), {
    trust: {
      keys: [
        trusted(A, { keyid: "a-old", revokedAt: REVOKED_AT }),
        trusted(A, { keyid: "a-current" }),
      ],
    },
  });
  assert.equal(aliased.code, "KEY_REVOKED");
  assert.match(aliased.checks[1]!.message!, /revoked at 2026-02-15T00:00:00Z/);
  // Windows of every entry for the key apply too: an added entry does not extend an expiry.
  const expired = await verify(env, {
    trust: { keys: [trusted(A, { keyid: "a-old", validUntil: "2026-02-01T00:00:00Z" })] },
    keys: [trusted(A)],
  });
  assert.equal(expired.code, "KEY_NOT_VALID_AT_TIME");
  // A revocation before the signing time of an unrelated key does not touch A.
  const unrelated = await verify(env, {
    keys: [trusted(A), trusted(B, { revokedAt: REVOKED_AT })],
  });
  assert.equal(unrelated.verified, true);
});

Deno.test("verifyEnvelope() skew never widens a revocation in the signer's favour", async () => {
  const env = envelope([{ sig: sigA }]);
  const revokedMs = Date.parse(REVOKED_AT);
  const at = async (signedAt: number, skew?: number) =>
    (await verify(env, { keys: [revokedA()], signedAt, skew })).code;
  assert.equal(await at(revokedMs - 5 * 60_000 - 1), undefined);
  assert.equal(await at(revokedMs - 5 * 60_000), "KEY_REVOKED");
  assert.equal(await at(revokedMs - 4 * 60_000), "KEY_REVOKED");
  assert.equal(await at(revokedMs + 4 * 60_000), "KEY_REVOKED");
  assert.equal(await at(revokedMs - 1, 0), undefined);
  assert.equal(await at(revokedMs, 0), "KEY_REVOKED");
  // A token one second before the revocation (no accuracy stated) counts with skew 0.
  const report = await verify(env, {
    keys: [revokedA()],
    skew: 0,
    timestamps: [tsa.stamp(sigA, "2026-02-14T23:59:59Z")],
  });
  assert.equal(report.verified, true);
});
