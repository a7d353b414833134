/**
 * Issue 13 item 6: a verified statement is bound to what the operator holds (`artifact`,
 * `artifactDigest`, `image`, `subjectName`) and to the predicate types they accept
 * (`predicateType`), through `verifyEnvelope` and `verifyMany` alike.
 */

import assert from "node:assert/strict";
import {
  canonicalBytes,
  createSigner,
  digestArtifact,
  digestBytes,
  exportPublicKeyPem,
  importKeyPem,
  serializeEnvelope,
  type SubjectOptions,
  type VerificationReport,
  verifyEnvelope,
  verifyMany,
} from "../../mod.ts";
import { INTOTO_PAYLOAD_TYPE } from "../../lib/model/mod.ts";
import { encodeHex, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { createEnvelope, preAuthEncoding } from "../../lib/model/mod.ts";
import { splitTrust, type TestOptions } from "./_trust.ts";

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const PEM = await Deno.readTextFile(new URL("test-only-ed25519-a.pem", KEYS));
const KEY = (() => {
  const key = importKeyPem(PEM);
  if (key.kind !== "private") throw new Error("expected a private key");
  return key;
})();
const PUBLIC_PEM = exportPublicKeyPem(KEY);
const TRUSTED = { pem: PUBLIC_PEM };

const ARTIFACT = encodeUtf8("app.tar: the bytes the operator holds\n");
const D256 = encodeHex(digestBytes("sha256", ARTIFACT));
const D384 = encodeHex(digestBytes("sha384", ARTIFACT));
const D512 = encodeHex(digestBytes("sha512", ARTIFACT));
const IMAGE = "e".repeat(64);
const IMAGE_NAME = "registry.example/app";
const SLSA = "https://slsa.dev/provenance/v1";

function statement(
  subject: unknown = [
    { name: "app.tar", digest: { sha256: D256 } },
    { name: IMAGE_NAME, digest: { sha256: IMAGE } },
  ],
  predicateType = SLSA,
): Uint8Array {
  return canonicalBytes({
    _type: "https://in-toto.io/Statement/v1",
    subject,
    predicateType,
    predicate: {},
  });
}

async function envelope(payload = statement(), type = INTOTO_PAYLOAD_TYPE): Promise<string> {
  const sig = await createSigner(KEY).sign(preAuthEncoding(type, payload));
  return serializeEnvelope(createEnvelope(type, payload, [{ keyid: KEY.keyid, sig }]));
}

function verify(
  input: string,
  options: Partial<TestOptions> = {},
): Promise<VerificationReport> {
  return verifyEnvelope(input, ...splitTrust({ now: NOW, keys: [TRUSTED], ...options }));
}

function failed(report: VerificationReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`);
}

const ENVELOPE = await envelope();

Deno.test("verifyEnvelope() without subject options verifies and says the subject was not checked", async () => {
  const report = await verify(ENVELOPE);
  assert.equal(report.verified, true);
  assert.equal(report.subjectChecked, false);
  assert.deepEqual(report.checks.map((c) => c.id), [
    "envelope.parse",
    "envelope.signatures",
    "time.window",
    "payload.type",
    "statement.parse",
  ]);
  // Every report says it, also one that failed to parse.
  assert.equal((await verify("{}")).subjectChecked, false);
});

Deno.test("verifyEnvelope() artifact: matches a subject by sha256 and adds statement.subject", async () => {
  const report = await verify(ENVELOPE, { artifact: ARTIFACT });
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.equal(report.subjectChecked, true);
  assert.deepEqual(report.checks.slice(-2), [
    { id: "statement.parse", ok: true },
    { id: "statement.subject", ok: true },
  ]);
});

Deno.test("verifyEnvelope() artifact: matches by sha384 or sha512 when that is what the subject carries", async () => {
  for (const digest of [{ sha384: D384 }, { sha512: D512 }, { sha256: D256, sha512: D512 }]) {
    const env = await envelope(statement([{ name: "app.tar", digest }]));
    const report = await verify(env, { artifact: ARTIFACT });
    assert.equal(report.verified, true, JSON.stringify(digest));
  }
  // Upper-case hex in the statement is the same digest.
  const upper = await envelope(statement([{ name: "a", digest: { sha256: D256.toUpperCase() } }]));
  assert.equal((await verify(upper, { artifact: ARTIFACT })).verified, true);
});

Deno.test("verifyEnvelope() artifact: SUBJECT_MISMATCH when no subject carries it, or one digest disagrees", async () => {
  const other = encodeUtf8("another artifact\n");
  const report = await verify(ENVELOPE, { artifact: other });
  assert.equal(report.verified, false);
  assert.equal(report.code, "SUBJECT_MISMATCH");
  assert.equal(report.subjectChecked, true);
  assert.deepEqual(failed(report), ["statement.subject:SUBJECT_MISMATCH"]);
  assert.match(
    report.checks.at(-1)!.message!,
    new RegExp(`sha256:${encodeHex(digestBytes("sha256", other))}`),
  );
  // Fail closed: a subject whose sha256 matches but whose sha512 names other bytes is not a match.
  const split = await envelope(
    statement([{ name: "app.tar", digest: { sha256: D256, sha512: "0".repeat(128) } }]),
  );
  assert.deepEqual(failed(await verify(split, { artifact: ARTIFACT })), [
    "statement.subject:SUBJECT_MISMATCH",
  ]);
  // A subject carrying none of sha256/sha384/sha512 cannot bind the artifact.
  const gitOnly = await envelope(
    statement([{ name: "src", digest: { gitCommit: "a".repeat(40) } }]),
  );
  assert.equal((await verify(gitOnly, { artifact: ARTIFACT })).code, "SUBJECT_MISMATCH");
});

Deno.test("digestArtifact() hashes bytes or a stream once into sha256, sha384 and sha512", async () => {
  const expected = { sha256: D256, sha384: D384, sha512: D512 };
  assert.deepEqual(await digestArtifact(ARTIFACT), expected);
  const chunks = [ARTIFACT.subarray(0, 5), ARTIFACT.subarray(5, 6), ARTIFACT.subarray(6)];
  assert.deepEqual(await digestArtifact(ReadableStream.from(chunks)), expected);
  // Digests stand for the bytes: same report.
  assert.deepEqual(
    await verify(ENVELOPE, { artifact: expected }),
    await verify(ENVELOPE, { artifact: ARTIFACT }),
  );
});

Deno.test("verifyEnvelope() artifactDigest: every digest given must be carried by a subject", async () => {
  assert.equal((await verify(ENVELOPE, { artifactDigest: [`sha256:${D256}`] })).verified, true);
  assert.equal(
    (await verify(ENVELOPE, { artifactDigest: [`sha256:${D256}`, `sha256:${IMAGE}`] })).verified,
    true,
  );
  for (
    const digests of [
      [`sha256:${"0".repeat(64)}`],
      [`sha256:${D256}`, `sha256:${"0".repeat(64)}`],
      // The subject carries no sha512: nothing binds it to this digest.
      [`sha512:${D512}`],
    ]
  ) {
    const report = await verify(ENVELOPE, { artifactDigest: digests });
    assert.deepEqual(failed(report), ["statement.subject:SUBJECT_MISMATCH"], digests.join(" "));
  }
});

Deno.test("verifyEnvelope() image: the subject's name and sha256 must both match", async () => {
  const ok = await verify(ENVELOPE, { image: `${IMAGE_NAME}@sha256:${IMAGE}` });
  assert.equal(ok.verified, true);
  assert.equal(ok.subjectChecked, true);
  for (
    const image of [
      `${IMAGE_NAME}@sha256:${D256}`, // another subject's digest
      `registry.example/other@sha256:${IMAGE}`,
      `${IMAGE_NAME}:1.0@sha256:${IMAGE}`, // names compare exactly
    ]
  ) {
    assert.equal((await verify(ENVELOPE, { image })).code, "SUBJECT_MISMATCH", image);
  }
});

Deno.test("verifyEnvelope() subjectName: a subject of that name, carrying every digest given", async () => {
  assert.equal((await verify(ENVELOPE, { subjectName: "app.tar" })).verified, true);
  assert.equal((await verify(ENVELOPE, { subjectName: "other" })).code, "SUBJECT_MISMATCH");
  assert.equal(
    (await verify(ENVELOPE, { subjectName: "app.tar", artifact: ARTIFACT })).verified,
    true,
  );
  // The artifact is a subject, but not the one named: no match.
  const report = await verify(ENVELOPE, { subjectName: IMAGE_NAME, artifact: ARTIFACT });
  assert.deepEqual(failed(report), ["statement.subject:SUBJECT_MISMATCH"]);
  assert.equal(
    (await verify(ENVELOPE, { subjectName: "app.tar", image: `${IMAGE_NAME}@sha256:${IMAGE}` }))
      .code,
    "SUBJECT_MISMATCH",
  );
});

Deno.test("verifyEnvelope() predicateType: an allow-list checked as statement.predicate-type", async () => {
  const ok = await verify(ENVELOPE, { predicateType: ["stella.ops/promotion@v1", SLSA] });
  assert.equal(ok.verified, true);
  assert.deepEqual(ok.checks.at(-1), { id: "statement.predicate-type", ok: true });
  // Content checks do not count as a subject check.
  assert.equal(ok.subjectChecked, false);
  const bad = await verify(ENVELOPE, { predicateType: ["stella.ops/promotion@v1"] });
  assert.deepEqual(failed(bad), ["statement.predicate-type:PREDICATE_TYPE_NOT_ALLOWED"]);
  // Both the policy's list and the operator's apply.
  const both = await verify(ENVELOPE, {
    allowedPredicateTypes: ["stella.ops/promotion@v1"],
    predicateType: [SLSA],
  });
  assert.deepEqual(failed(both), ["policy.predicate-type:PREDICATE_TYPE_NOT_ALLOWED"]);
  // Subject, then predicate type.
  const order = await verify(ENVELOPE, { predicateType: [SLSA], subjectName: "app.tar" });
  assert.deepEqual(order.checks.slice(-2).map((c) => c.id), [
    "statement.subject",
    "statement.predicate-type",
  ]);
});

Deno.test("verifyEnvelope() fails closed when the payload is no statement to bind", async () => {
  const text = await envelope(encodeUtf8("hello"), "text/plain");
  assert.equal((await verify(text)).verified, true);
  assert.deepEqual(failed(await verify(text, { artifactDigest: [`sha256:${D256}`] })), [
    "statement.subject:SUBJECT_MISMATCH",
  ]);
  assert.deepEqual(failed(await verify(text, { predicateType: [SLSA] })), [
    "statement.predicate-type:PREDICATE_TYPE_NOT_ALLOWED",
  ]);
  // A legacy in-toto link: its products are its subjects; it has no predicate type.
  const link = await envelope(
    canonicalBytes({ _type: "link", name: "build", products: { "app.tar": { sha256: D256 } } }),
  );
  assert.equal((await verify(link, { artifact: ARTIFACT })).verified, true);
  assert.equal((await verify(link, { predicateType: [SLSA] })).code, "PREDICATE_TYPE_NOT_ALLOWED");
  // An invalid statement: its own code first, the subject check still reported.
  const invalid = await envelope(canonicalBytes({ _type: "https://in-toto.io/Statement/v1" }));
  assert.deepEqual(failed(await verify(invalid, { subjectName: "app.tar" })), [
    "statement.parse:STATEMENT_INVALID",
    "statement.subject:SUBJECT_MISMATCH",
  ]);
  // A signature that does not verify: every check still runs and is reported.
  const forged = await verify(ENVELOPE, { keys: [], subjectName: "app.tar" });
  assert.equal(forged.code, "KEY_UNTRUSTED");
  assert.deepEqual(forged.checks.at(-1), { id: "statement.subject", ok: true });
});

Deno.test("verifyEnvelope() rejects malformed subject options as misuse (TypeError)", async () => {
  const bad: Partial<TestOptions>[] = [
    { artifactDigest: ["sha256:XYZ"] },
    { artifactDigest: [`md5:${"0".repeat(32)}`] },
    { artifactDigest: `sha256:${D256}` as unknown as string[] },
    { artifact: { sha256: D256 } as unknown as Uint8Array },
    { artifact: "app.tar" as unknown as Uint8Array },
    { image: IMAGE_NAME },
    { image: `${IMAGE_NAME}@sha512:${D512}` },
    { image: `@sha256:${IMAGE}` },
    { subjectName: "" },
    { predicateType: SLSA as unknown as string[] },
    { predicateType: [] },
  ];
  for (const options of bad) {
    await assert.rejects(() => verify(ENVELOPE, options), TypeError, JSON.stringify(options));
  }
});

Deno.test("verifyMany() applies the subject options to every envelope, as verifyEnvelope does", async () => {
  const other = await envelope(statement([{ name: "other", digest: { sha256: "1".repeat(64) } }]));
  const items = [ENVELOPE, other, ENVELOPE].map((text, i) => ({
    name: `e${i}`,
    bytes: encodeUtf8(text),
  }));
  const variants: SubjectOptions[] = [
    {},
    { artifact: ARTIFACT },
    { artifactDigest: [`sha256:${D256}`], predicateType: [SLSA] },
    { image: `${IMAGE_NAME}@sha256:${IMAGE}`, subjectName: IMAGE_NAME },
  ];
  for (const [v, subject] of variants.entries()) {
    // Workers receive the options as data: the artifact's digests cross the boundary (bytes are
    // hashed once in the calling thread).
    for (const workers of v === 1 ? [false, true] : [false]) {
      const result = await verifyMany(
        items,
        ...splitTrust({
          now: NOW,
          keys: [{ pem: PUBLIC_PEM }],
          workers,
          concurrency: 2,
          ...subject,
        }),
      );
      for (const [i, item] of items.entries()) {
        const alone = await verifyEnvelope(
          item.bytes,
          ...splitTrust({
            now: NOW,
            keys: [TRUSTED],
            name: item.name,
            ...subject,
          }),
        );
        assert.deepEqual(result.reports[i]!.report, alone, `${JSON.stringify(subject)} ${i}`);
      }
      const codes = result.reports.map((r) => r.report.code ?? null);
      assert.deepEqual(
        codes,
        Object.keys(subject).length === 0 ? [null, null, null] : [null, "SUBJECT_MISMATCH", null],
      );
    }
  }
  await assert.rejects(
    () => verifyMany(items, ...splitTrust({ now: NOW, artifactDigest: ["sha256:nothex"] })),
    TypeError,
  );
});
