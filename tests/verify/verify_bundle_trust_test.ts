/**
 * Trust material decides what a bundle must carry, and each chain stays inside one trusted-root
 * entry (sigstore-go's rules), on synthetic PKIs shaped like GitHub's Sigstore instance (no
 * transparency log, no CT log, RFC 3161 timestamps):
 *
 * - thresholds: tlog entries, signed timestamps and SCTs required, with defaults derived from the
 *   trusted root, and the report's `evidence`;
 * - one CA entry per certificate chain, valid at the signing time (a retired intermediate is not
 *   rescued by a current entry sharing its root);
 * - one TSA entry per timestamp, valid at genTime, with that entry's own certificates only;
 * - certificates without the OIDC issuer extension, and the GitHub identity policy.
 */
import assert from "node:assert/strict";
import {
  type CertificateIdentityPolicy,
  type VerificationReport,
  verifyBundle,
} from "../../mod.ts";
import { githubIdentityPolicy } from "../../lib/verify/mod.ts";
import { verifyTimestamp } from "../../lib/verify/sigstore_mod.ts";
import { buildToken } from "./_tsa_builder.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import {
  ARTIFACT,
  bundleJson,
  DAY,
  type Issued,
  type LeafIdentity,
  makeIntermediate,
  makeLeaf,
  makeRoot,
  makeTsaLeaf,
  T_START,
  trustedRootJson,
} from "./_bundle_builder.ts";
import { splitTrust, type TestOptions } from "./_trust.ts";

const GHA = "https://token.actions.githubusercontent.com";
const SAN = "https://github.com/octo-org/app/.github/workflows/release.yml@refs/heads/main";
const IDENTITY: LeafIdentity = {
  san: SAN,
  issuer: GHA,
  sourceRepositoryUri: "https://github.com/octo-org/app",
  sourceRepositoryOwnerUri: "https://github.com/octo-org",
};
/** Signing time of the bundles: after the retirement of the old entries. */
const SIGNED = T_START + 200 * DAY;
/** End of the old entries' validFor, start of the current ones'. */
const ROTATION = T_START + 100 * DAY;
const NOW = T_START + 400 * DAY;

// One PKI for the whole file: a Fulcio root with a retired and a current intermediate of the
// same name, a TSA root with a retired and a current signing certificate of the same name.
const fulcioRoot = makeRoot("Test Fulcio Root", T_START);
const oldIntermediate = makeIntermediate(fulcioRoot, "Test Fulcio Intermediate", 2n);
const newIntermediate = makeIntermediate(fulcioRoot, "Test Fulcio Intermediate", 3n);
const tsaRoot = makeRoot("Test TSA Root", T_START);
const oldTsa = makeTsaLeaf(tsaRoot, "Test TSA", 2n);
const newTsa = makeTsaLeaf(tsaRoot, "Test TSA", 3n);

const ROOT = trustedRootJson(
  [
    { chain: [oldIntermediate.der, fulcioRoot.der], start: T_START, end: ROTATION },
    { chain: [newIntermediate.der, fulcioRoot.der], start: ROTATION },
  ],
  [
    { chain: [oldTsa.der, tsaRoot.der], start: T_START, end: ROTATION },
    { chain: [newTsa.der, tsaRoot.der], start: ROTATION },
  ],
);

const currentLeaf = makeLeaf(newIntermediate, SIGNED - 60_000, IDENTITY);
const CURRENT = bundleJson(currentLeaf, [{ tsa: newTsa, genTime: SIGNED }]);

async function verify(
  bundle: string,
  options: Partial<TestOptions> = {},
): Promise<VerificationReport> {
  return await verifyBundle(
    bundle,
    ...splitTrust({
      trustedRoot: ROOT,
      identity: { subject: SAN, issuer: GHA },
      artifact: ARTIFACT,
      now: NOW,
      ...options,
    }),
  );
}

function failed(report: VerificationReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`);
}

function leafUnder(issuer: Issued, at: number, identity: LeafIdentity = IDENTITY): Issued {
  return makeLeaf(issuer, at - 60_000, identity);
}

// --- Thresholds derived from the trust material ---------------------------------------------

Deno.test("verifyBundle() needs no tlog entry or SCT when the trusted root has no logs, and one timestamp", async () => {
  const report = await verify(CURRENT);
  assert.deepEqual(failed(report), []);
  assert.equal(report.verified, true);
  assert.deepEqual(report.time, { value: "2025-07-20T00:00:00Z", source: "rfc3161" });
  assert.deepEqual(report.evidence, {
    tlogEntries: { required: 0, verified: 0 },
    timestamps: { required: 1, verified: 1 },
    scts: { required: 0, verified: 0 },
    signingTimes: { required: 1, verified: 1 },
  });
});

Deno.test("verifyBundle() rejects a bundle without timestamp when the root has TSAs and no tlog", async () => {
  const report = await verify(bundleJson(currentLeaf, []));
  assert.equal(report.code, "SIGNING_TIME_MISSING");
  assert.deepEqual(failed(report), [
    "timestamp.threshold:SIGNING_TIME_MISSING",
    "time.observer:SIGNING_TIME_MISSING",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
  assert.deepEqual(report.evidence?.timestamps, { required: 1, verified: 0 });
});

Deno.test("verifyBundle() applies explicit tlog, timestamp and SCT thresholds", async () => {
  const tlog = await verify(CURRENT, { tlogThreshold: 1 });
  assert.deepEqual(failed(tlog), ["tlog.entries:TLOG_ENTRY_MISSING"]);
  assert.deepEqual(tlog.evidence?.tlogEntries, { required: 1, verified: 0 });

  const twoTimestamps = await verify(CURRENT, { timestampThreshold: 2 });
  assert.deepEqual(failed(twoTimestamps), ["timestamp.threshold:SIGNING_TIME_MISSING"]);
  assert.deepEqual(twoTimestamps.evidence?.timestamps, { required: 2, verified: 1 });

  const sct = await verify(CURRENT, { sctThreshold: 1 });
  assert.deepEqual(failed(sct), ["cert.sct:SCT_INVALID"]);
  assert.deepEqual(sct.evidence?.scts, { required: 1, verified: 0 });

  // Two timestamps from the current TSA meet a threshold of 2.
  const two = bundleJson(currentLeaf, [
    { tsa: newTsa, genTime: SIGNED },
    { tsa: newTsa, genTime: SIGNED + 1000 },
  ]);
  const ok = await verify(two, { timestampThreshold: 2, timeThreshold: 2 });
  assert.deepEqual(failed(ok), []);
  assert.deepEqual(ok.evidence?.signingTimes, { required: 2, verified: 2 });

  // A threshold of 0 drops the derived timestamp requirement; a signing time is still needed.
  const none = await verify(bundleJson(currentLeaf, []), { timestampThreshold: 0 });
  assert.deepEqual(failed(none), [
    "time.observer:SIGNING_TIME_MISSING",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
});

Deno.test("verifyBundle() rejects thresholds that are not integers ≥ 0", async () => {
  for (const bad of [-1, 1.5, Number.NaN]) {
    await assert.rejects(verify(CURRENT, { tlogThreshold: bad }), RangeError);
    await assert.rejects(verify(CURRENT, { timestampThreshold: bad }), RangeError);
    await assert.rejects(verify(CURRENT, { sctThreshold: bad }), RangeError);
  }
});

// --- One CA entry per chain --------------------------------------------------------------------

Deno.test("verifyBundle() rejects a leaf under a retired intermediate though a current entry shares its root", async () => {
  const report = await verify(
    bundleJson(leafUnder(oldIntermediate, SIGNED), [{ tsa: newTsa, genTime: SIGNED }]),
  );
  assert.equal(report.code, "CERTIFICATE_CHAIN_INVALID");
  assert.deepEqual(failed(report), ["cert.chain:CERTIFICATE_CHAIN_INVALID"]);
  assert.match(
    report.checks.find((c) => c.id === "cert.chain")!.message!,
    /certificate authority .* valid at 2025-07-20T00:00:00Z/,
  );
});

Deno.test("verifyBundle() accepts a leaf under the retired intermediate signed while it was valid", async () => {
  const early = T_START + 50 * DAY;
  const report = await verify(
    bundleJson(leafUnder(oldIntermediate, early), [{ tsa: oldTsa, genTime: early }]),
  );
  assert.deepEqual(failed(report), []);
});

Deno.test("verifyBundle() does not borrow intermediates across CA entries", async () => {
  // Entry A (current) lists only a second-level intermediate; entry B (retired) holds the
  // first-level intermediate that issued it. Pooled, leaf → l2 → l1 → root would validate.
  const l1 = makeIntermediate(fulcioRoot, "Test Fulcio l1", 10n, 1);
  const l2 = makeIntermediate(l1, "Test Fulcio l2", 11n);
  const root = trustedRootJson(
    [
      { chain: [l2.der, fulcioRoot.der], start: ROTATION },
      { chain: [l1.der, fulcioRoot.der], start: T_START, end: ROTATION },
    ],
    [{ chain: [newTsa.der, tsaRoot.der], start: T_START }],
  );
  const report = await verify(
    bundleJson(leafUnder(l2, SIGNED), [{ tsa: newTsa, genTime: SIGNED }]),
    { trustedRoot: root },
  );
  assert.deepEqual(failed(report), ["cert.chain:CERTIFICATE_CHAIN_INVALID"]);
});

// --- One TSA entry per timestamp ---------------------------------------------------------------

Deno.test("verifyBundle() rejects a timestamp by a retired TSA though a current entry shares its root", async () => {
  const report = await verify(bundleJson(currentLeaf, [{ tsa: oldTsa, genTime: SIGNED }]));
  assert.equal(report.code, "TSA_UNTRUSTED");
  assert.deepEqual(failed(report), [
    "bundle.timestamp:TSA_UNTRUSTED",
    "timestamp.threshold:SIGNING_TIME_MISSING",
    "time.observer:SIGNING_TIME_MISSING",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
});

Deno.test("verifyBundle() accepts a timestamp by the retired TSA made while it was valid", async () => {
  const early = T_START + 50 * DAY;
  const report = await verify(
    bundleJson(leafUnder(oldIntermediate, early), [{ tsa: oldTsa, genTime: early }]),
  );
  assert.deepEqual(failed(report), []);
});

Deno.test("verifyBundle() never uses certificates embedded in a timestamp token", async () => {
  // A TSA certificate issued by the trusted TSA root but listed in no entry, carried by the token.
  const rogue = makeTsaLeaf(tsaRoot, "Test TSA", 99n);
  const report = await verify(bundleJson(currentLeaf, [{ tsa: rogue, genTime: SIGNED }]));
  assert.equal(report.code, "TSA_UNTRUSTED");
  assert.equal(failed(report)[0], "bundle.timestamp:TSA_UNTRUSTED");
  // The current entry's certificate verifies with or without being embedded.
  const bare = await verify(
    bundleJson(currentLeaf, [{ tsa: newTsa, genTime: SIGNED, embedded: [] }]),
  );
  assert.deepEqual(failed(bare), []);
});

Deno.test("verifyTimestamp() with useEmbeddedCertificates false ignores the token's certificates", async () => {
  const rogue = makeTsaLeaf(tsaRoot, "Test TSA", 98n);
  const data = new TextEncoder().encode("signature bytes");
  const token = buildToken({ key: rogue.key, cert: rogue.der, data, genTime: "20250720000000Z" });
  const options = { data, roots: [tsaRoot.der], intermediates: [newTsa.der], at: NOW };
  assert.equal((await verifyTimestamp(token, options)).verified, true);
  const strict = await verifyTimestamp(token, { ...options, useEmbeddedCertificates: false });
  assert.deepEqual(strict.checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`), [
    "timestamp.signer:TSA_UNTRUSTED",
    "timestamp.chain:TSA_UNTRUSTED",
  ]);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    verifyTimestamp(token, { ...options, useEmbeddedCertificates: "no" as any }),
    TypeError,
  );
});

// --- Certificates without the OIDC issuer extension -------------------------------------------

Deno.test("verifyBundle() matches a missing OIDC issuer extension as the empty string", async () => {
  const release = { san: "https://dotcom.releases.github.com" };
  const bundle = bundleJson(leafUnder(newIntermediate, SIGNED, release), [
    { tsa: newTsa, genTime: SIGNED },
  ]);
  const any = await verify(bundle, { identity: { subject: release.san, issuer: /.*/ } });
  assert.deepEqual(failed(any), []);
  assert.deepEqual(any.identity?.certificate, { subjects: [release.san] });
  for (const issuer of [GHA, /^https:/, ""]) {
    const report = await verify(bundle, { identity: { subject: release.san, issuer } });
    assert.deepEqual(
      failed(report),
      ["cert.identity:CERTIFICATE_IDENTITY_MISMATCH"],
      String(issuer),
    );
  }
});

// --- GitHub identity policy --------------------------------------------------------------------

Deno.test("githubIdentityPolicy() expands a repository like gh attestation verify --repo", () => {
  const policy = githubIdentityPolicy({ repo: "octo-org/app" });
  assert.deepEqual(policy, {
    subject: /^https:\/\/github\.com\/octo-org\/app\//i,
    issuer: GHA,
    sourceRepositoryUri: /^https:\/\/github\.com\/octo-org\/app$/i,
    sourceRepositoryOwnerUri: /^https:\/\/github\.com\/octo-org$/i,
  });
});

Deno.test("githubIdentityPolicy() expands a workflow relative to the repository or in another one", () => {
  assert.deepEqual(
    githubIdentityPolicy({ repo: "octo-org/app", workflow: ".github/workflows/release.yml" })
      .subject,
    /^https:\/\/github\.com\/octo-org\/app\/\.github\/workflows\/release\.yml@/,
  );
  assert.equal(
    githubIdentityPolicy({
      repo: "octo-org/app",
      workflow: ".github/workflows/release.yml@refs/heads/main",
    }).subject,
    SAN,
  );
  assert.deepEqual(
    githubIdentityPolicy({
      repo: "octo-org/app",
      workflow: "github.com/shared-org/workflows/.github/workflows/attest.yml",
    }).subject,
    /^https:\/\/github\.com\/shared-org\/workflows\/\.github\/workflows\/attest\.yml@/,
  );
});

Deno.test("githubIdentityPolicy() rejects malformed repositories and workflows", () => {
  for (const repo of ["octo-org", "octo-org/app/extra", "octo org/app", "/app", "octo-org/"]) {
    assert.throws(() => githubIdentityPolicy({ repo }), RangeError, repo);
  }
  for (
    const workflow of [
      "release.yml",
      "octo-org/app/release.yml",
      "gitlab.com/octo-org/app/.github/workflows/release.yml",
      ".github/workflows/",
      ".github/workflows/release.yml@",
    ]
  ) {
    assert.throws(() => githubIdentityPolicy({ repo: "octo-org/app", workflow }), RangeError);
  }
});

Deno.test("verifyBundle() with the GitHub policy checks SAN, issuer, source repository and owner", async () => {
  const ok = await verify(CURRENT, { identity: githubIdentityPolicy({ repo: "octo-org/app" }) });
  assert.deepEqual(failed(ok), []);
  assert.deepEqual(ok.identity, {
    expected: {
      subject: { pattern: "^https:\\/\\/github\\.com\\/octo-org\\/app\\/", flags: "i" },
      issuer: { equals: GHA },
      sourceRepositoryUri: { pattern: "^https:\\/\\/github\\.com\\/octo-org\\/app$", flags: "i" },
      sourceRepositoryOwnerUri: { pattern: "^https:\\/\\/github\\.com\\/octo-org$", flags: "i" },
    },
    certificate: {
      subjects: [SAN],
      issuer: GHA,
      sourceRepositoryUri: "https://github.com/octo-org/app",
      sourceRepositoryOwnerUri: "https://github.com/octo-org",
    },
  });
  const upper = await verify(CURRENT, { identity: githubIdentityPolicy({ repo: "Octo-Org/App" }) });
  assert.deepEqual(failed(upper), []);
  const workflow = await verify(CURRENT, {
    identity: githubIdentityPolicy({
      repo: "octo-org/app",
      workflow: ".github/workflows/release.yml@refs/heads/main",
    }),
  });
  assert.deepEqual(failed(workflow), []);
  for (
    const identity of [
      githubIdentityPolicy({ repo: "octo-org/other" }),
      githubIdentityPolicy({ repo: "octo-org/app", workflow: ".github/workflows/deploy.yml" }),
      githubIdentityPolicy({
        repo: "octo-org/app",
        workflow: ".github/workflows/release.yml@refs/heads/dev",
      }),
    ]
  ) {
    const report = await verify(CURRENT, { identity });
    assert.deepEqual(failed(report), ["cert.identity:CERTIFICATE_IDENTITY_MISMATCH"]);
  }
});

Deno.test("verifyBundle() with the GitHub policy rejects a workflow run from another repository", async () => {
  // The SAN names octo-org/app's workflow, but the run (source repository) is a fork's: the
  // SAN prefix alone would accept it; the source repository extension does not.
  const fork = bundleJson(
    leafUnder(newIntermediate, SIGNED, {
      ...IDENTITY,
      sourceRepositoryUri: "https://github.com/evil/app",
      sourceRepositoryOwnerUri: "https://github.com/evil",
    }),
    [{ tsa: newTsa, genTime: SIGNED }],
  );
  const report = await verify(fork, { identity: githubIdentityPolicy({ repo: "octo-org/app" }) });
  assert.deepEqual(failed(report), ["cert.identity:CERTIFICATE_IDENTITY_MISMATCH"]);
  assert.match(
    report.checks.find((c) => c.id === "cert.identity")?.message ?? "",
    /source repository/,
  );
  // A reusable workflow in another repository, run from octo-org/app.
  const shared = "https://github.com/shared-org/workflows/.github/workflows/attest.yml@v1";
  const reusable = bundleJson(
    leafUnder(newIntermediate, SIGNED, { ...IDENTITY, san: shared }),
    [{ tsa: newTsa, genTime: SIGNED }],
  );
  const accepted = await verify(reusable, {
    identity: githubIdentityPolicy({
      repo: "octo-org/app",
      workflow: "shared-org/workflows/.github/workflows/attest.yml@v1",
    }),
  });
  assert.deepEqual(failed(accepted), []);
});

// --- Real bundles, read in place -----------------------------------------------------------------

const REAL = vectorSet("sigstore-real-world");
const GO = vectorSet("sigstore-go");
const DECEMBER = Date.parse("2026-12-01T00:00:00Z");

vectorTest(
  REAL,
  "verifyBundle() verifies the GitHub-instance bundles with the root's derived policy",
  async () => {
    const github = await REAL.read("files/trust/github.trusted_root.json");
    const rows: [string, CertificateIdentityPolicy, string, string][] = [
      [
        "files/cli-cli/github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl",
        githubIdentityPolicy({ repo: "actions/attest-demo" }),
        "ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b",
        "2024-04-22T17:33:26Z",
      ],
      [
        "files/sigstore-java/github-private-no-tlog/attestation.sigstore.json",
        githubIdentityPolicy({
          repo: "neverendingsupport/nes-java-test-lib-a",
          workflow: "neverendingsupport/slsa-attestations/.github/workflows/attest.yml",
        }),
        "caa015ef69e9bc31a41322d6c71563ed9600c75bb988e4d639b1edc578580551",
        "2026-07-24T15:30:27Z",
      ],
      [
        "files/sigstore-rust/github-private-attestation.sigstore.json",
        { subject: "https://dotcom.releases.github.com", issuer: /.*/ },
        "76f1fe8593bf227cca2c089e3c16dc95014a8d3e89c5dd220530469ca043c428",
        "2026-03-02T09:52:15Z",
      ],
    ];
    for (const [file, identity, digest, time] of rows) {
      const report = await verifyBundle(
        await REAL.read(file),
        ...splitTrust({
          trustedRoot: github,
          identity,
          artifact: { digest: `sha256:${digest}` },
          now: DECEMBER,
        }),
      );
      assert.deepEqual(failed(report), [], file);
      assert.equal(report.time.source, "rfc3161");
      assert.ok(report.time.value.startsWith(time), `${file}: ${report.time.value}`);
      assert.deepEqual(report.evidence, {
        tlogEntries: { required: 0, verified: 0 },
        timestamps: { required: 1, verified: 1 },
        scts: { required: 0, verified: 0 },
        signingTimes: { required: 1, verified: 1 },
      });
    }
    return rows.length;
  },
);

vectorTest(
  GO,
  "verifyBundle() thresholds reproduce sigstore-go's tlog and timestamp policy rows",
  async () => {
    const bundle = await GO.read("bundles/sigstore.js@2.0.0-provenance.sigstore.json");
    const trustedRoot = await GO.read("trusted-roots/public-good.json");
    const run = (options: Partial<TestOptions>) =>
      verifyBundle(bundle, ...splitTrust({ trustedRoot, identity: {}, now: DECEMBER, ...options }));
    // The root lists a tlog and a TSA: one entry is required, no timestamp.
    const defaults = await run({});
    assert.deepEqual(failed(defaults), []);
    assert.deepEqual(defaults.evidence, {
      tlogEntries: { required: 1, verified: 1 },
      timestamps: { required: 0, verified: 0 },
      scts: { required: 1, verified: 1 },
      signingTimes: { required: 1, verified: 1 },
    });
    // "require 2 tlog entries" → FAIL; "require 1 RFC 3161 signed timestamp" → FAIL.
    assert.deepEqual(failed(await run({ tlogThreshold: 2 })), ["tlog.entries:TLOG_ENTRY_MISSING"]);
    assert.deepEqual(failed(await run({ timestampThreshold: 1 })), [
      "timestamp.threshold:SIGNING_TIME_MISSING",
    ]);
    return 3;
  },
);
