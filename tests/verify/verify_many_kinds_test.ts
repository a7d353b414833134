/**
 * `verifyMany` is a scheduler over the one-input verifiers for any input kind (issue 16): DSSE
 * envelopes and Sigstore bundles in one batch, told apart per item, with RFC 3161 tokens from the
 * options and from each item, and the Merkle anchor; every report equals the one the one-input
 * verifier gives.
 */
import assert from "node:assert/strict";
import { encodeHex, encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { formatRfc3339 } from "../../lib/encoding/time.ts";
import { sha256 } from "../../lib/digest/digest.ts";
import { generateKeyPair } from "../../lib/keys/generate.ts";
import { exportPublicKeyPem } from "../../lib/keys/key_pem.ts";
import { createSigner } from "../../lib/crypto/local_signer.ts";
import { parseEnvelope, serializeEnvelope } from "../../lib/model/dsse.ts";
import { signEnvelope } from "../../lib/sign/envelope.ts";
import { digestArtifact } from "../../lib/verify/subject_check.ts";
import { loadTrustMaterial } from "../../lib/verify/trust_material.ts";
import type { VerifyOptions } from "../../lib/verify/options.ts";
import { verifyBundle } from "../../lib/verify/verify_bundle.ts";
import { verifyEnvelope } from "../../lib/verify/verify_envelope.ts";
import { verifyMany } from "../../lib/verify/verify_many.ts";
import {
  ARTIFACT,
  bundleJson,
  DAY,
  type LeafIdentity,
  makeIntermediate,
  makeLeaf,
  makeRoot,
  makeTsaLeaf,
  T_START,
  trustedRootJson,
} from "./_bundle_builder.ts";
import { buildToken } from "./_tsa_builder.ts";

const GHA = "https://token.actions.githubusercontent.com";
const SAN = "https://github.com/octo-org/app/.github/workflows/release.yml@refs/heads/main";
const IDENTITY: LeafIdentity = { san: SAN, issuer: GHA };
const SIGNED = T_START + 200 * DAY;
const NOW = T_START + 400 * DAY;

const fulcioRoot = makeRoot("Kinds Fulcio Root", T_START);
const intermediate = makeIntermediate(fulcioRoot, "Kinds Fulcio Intermediate", 2n);
const tsaRoot = makeRoot("Kinds TSA Root", T_START);
const tsa = makeTsaLeaf(tsaRoot, "Kinds TSA", 2n);
const ROOT = trustedRootJson(
  [{ chain: [intermediate.der, fulcioRoot.der], start: T_START }],
  [{ chain: [tsa.der, tsaRoot.der], start: T_START }],
);
const BUNDLE = encodeUtf8(
  bundleJson(makeLeaf(intermediate, SIGNED - 60_000, IDENTITY), [{ tsa, genTime: SIGNED }]),
);

const key = await generateKeyPair("ed25519");
if (key.kind !== "private") throw new Error("unreachable");
const ENVELOPE = encodeUtf8(serializeEnvelope(
  await signEnvelope({
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "artifact.txt", digest: { sha256: encodeHex(sha256(ARTIFACT)) } }],
    predicateType: "https://example.com/predicate/v1",
    predicate: {},
  }, [createSigner(key)]),
));
const SIGNATURE = parseEnvelope(ENVELOPE).signatures[0]!.sigBytes;
const genTime = (ms: number) => formatRfc3339(ms).replace(/[-:T]/g, "");
const TOKEN = buildToken({
  key: tsa.key,
  cert: tsa.der,
  data: SIGNATURE,
  genTime: genTime(SIGNED),
});

const TRUST = loadTrustMaterial({
  keys: [{ pem: exportPublicKeyPem(key) }],
  trustedRoot: ROOT,
  tsaRoots: [tsaRoot.der],
});

Deno.test("verifyMany() verifies envelopes and bundles in one batch, each as its own verifier does", async () => {
  const options: VerifyOptions = {
    now: NOW,
    identity: { subject: SAN, issuer: GHA },
    artifact: ARTIFACT,
  };
  const items = [
    { name: "a.dsse.json", bytes: ENVELOPE },
    { name: "b.sigstore.json", bytes: BUNDLE },
    { name: "c.dsse.json", bytes: ENVELOPE, timestamps: [TOKEN] },
  ];
  for (const workers of [false, true]) {
    const result = await verifyMany(items, TRUST, { ...options, workers, concurrency: 2 });
    assert.deepEqual(result.summary, { total: 3, verified: 3, failed: 0, codes: {} });
    // The one-input verifiers, given the artifact's digests as verifyMany hashes it once.
    const one = { ...options, artifact: await digestArtifact(ARTIFACT) };
    const { identity: _, ...envelopeOptions } = one;
    assert.deepEqual(result.reports, [
      {
        name: "a.dsse.json",
        report: await verifyEnvelope(ENVELOPE, TRUST, { ...envelopeOptions, name: "a.dsse.json" }),
      },
      {
        name: "b.sigstore.json",
        report: await verifyBundle(BUNDLE, TRUST, { ...one, name: "b.sigstore.json" }),
      },
      {
        name: "c.dsse.json",
        report: await verifyEnvelope(ENVELOPE, TRUST, {
          ...envelopeOptions,
          name: "c.dsse.json",
          timestamps: [TOKEN],
        }),
      },
    ]);
    // The bundle is judged as a bundle; the item's own token is the envelope's signing time.
    assert.equal(result.reports[1]!.report.checks[0]!.id, "bundle.parse");
    assert.deepEqual(result.reports[0]!.report.time, {
      value: formatRfc3339(NOW),
      source: "clock",
    });
    assert.deepEqual(result.reports[2]!.report.time, {
      value: formatRfc3339(SIGNED),
      source: "rfc3161",
    });
  }
});

Deno.test("verifyMany() applies the options' tokens and the Merkle anchor to every envelope", async () => {
  const items = [{ name: "a", bytes: ENVELOPE }, { name: "b", bytes: ENVELOPE }];
  const stamped = await verifyMany(items, TRUST, { now: NOW, timestamps: [TOKEN] });
  assert.deepEqual(
    stamped.reports.map((r) => r.report.time.source),
    ["rfc3161", "rfc3161"],
  );
  const anchored = await verifyMany(items, TRUST, { now: NOW, merkleRoot: "ab".repeat(32) });
  assert.deepEqual(anchored.summary.codes, { MERKLE_ROOT_MISMATCH: 2 });
});

Deno.test("verifyMany() refuses a bundle without a trusted root as misuse", async () => {
  const trust = loadTrustMaterial({ keys: [{ pem: exportPublicKeyPem(key) }] });
  await assert.rejects(
    () => verifyMany([{ name: "b", bytes: BUNDLE }], trust, { now: NOW, workers: false }),
    { name: "TypeError", message: /trusted root/ },
  );
});
