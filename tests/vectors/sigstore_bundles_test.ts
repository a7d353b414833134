/**
 * Sigstore bundles of sigstore-js, sigstore-python, sigstore-go, slsa-verifier and cosign
 * (../shared/vectors/<source>/) through `verifyBundle`, offline, with the trust roots and policies
 * their SOURCE.md files name; each row gives the verdict SOURCE.md lists and pins the code of
 * the first failed check. Rows SOURCE.md lists that this verifier cannot express (thresholds of
 * more than one time source) are named in `NOT_EXPRESSIBLE` with the reason.
 */
import assert from "node:assert/strict";
import { type CertificateIdentityPolicy, verifyBundle } from "../../mod.ts";
import { VECTORS_URL as VECTORS, vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust, type TestOptions } from "../verify/_trust.ts";

const PRODUCTION = "sigstore-python/trust-roots/production-trusted_root.json";
const STAGING = "sigstore-python/trust-roots/staging-trusted_root.json";
const NOW = Date.parse("2026-11-26T00:00:00Z");

async function read(path: string): Promise<Uint8Array<ArrayBuffer>> {
  return await Deno.readFile(new URL(path, VECTORS));
}

async function readText(path: string): Promise<string> {
  return await Deno.readTextFile(new URL(path, VECTORS));
}

interface Row {
  /** Source and what the row checks. */
  name: string;
  /** Bundle path under ../shared/vectors/ (or bytes, for mutated bundles). */
  bundle: string | (() => Promise<Uint8Array>);
  /** Trust root path, or bytes for a modified root. */
  root: string | (() => Promise<Uint8Array>);
  identity?: CertificateIdentityPolicy;
  key?: string;
  keyValidity?: TestOptions["keyValidity"];
  timeThreshold?: number;
  artifact?: string | { digest: string };
  /** "pass", or the code of the first failed check. */
  expect: string;
}

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The one JSON line of a slsa-verifier `.jsonl`/`.build.slsa` file. */
function oneLine(path: string): () => Promise<Uint8Array> {
  return async () => new TextEncoder().encode((await readText(path)).trimEnd());
}

/** A bundle with a JSON edit applied. */
function mutated(path: string, edit: (b: Json) => void): () => Promise<Uint8Array> {
  return async () => {
    const bundle = JSON.parse(await readText(path)) as Json;
    edit(bundle);
    return new TextEncoder().encode(JSON.stringify(bundle));
  };
}

/** The staging root with its TSAs replaced by sigstore-python's test TSA (`assets/tsa/ca.json`). */
function tsaRoot(
  edit: (ca: Json) => Json[],
): () => Promise<Uint8Array> {
  return async () => {
    const root = JSON.parse(await readText(STAGING));
    const ca = JSON.parse(await readText("sigstore-python/assets/tsa/ca.json"));
    root.timestampAuthorities = edit(ca);
    return new TextEncoder().encode(JSON.stringify(root));
  };
}

const JS_IDENTITY = { subject: "brian@dehamer.com", issuer: "https://github.com/login/oauth" };
const ANY: CertificateIdentityPolicy = {};
const PY = "sigstore-python/assets/";
const TSA_BUNDLE = `${PY}tsa/bundle.txt.sigstore`;
const GO_PROVENANCE = "sigstore-go/bundles/sigstore.js@2.0.0-provenance.sigstore.json";
const GO_SHA512 =
  "46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c";
const GHA = "https://token.actions.githubusercontent.com";

const ROWS: Row[] = [
  // sigstore-js: all nine valid upstream; the full-chain one carries the root CA, which
  // sigstore-conformance (bundle-with-root-cert_fail) rejects: we follow sigstore-conformance.
  ...[
    "bundleV01-dsse-no-proof",
    "bundleV01-dsse-with-proof",
    "bundleV01-intoto-no-proof",
    "bundleV01-intoto-with-proof",
    "bundleV02-dsse",
    "bundleV02-intoto",
    "bundleV03-dsse",
    "bundleV03-intoto",
  ].map((f): Row => ({
    name: `sigstore-js ${f}`,
    bundle: `sigstore-js/tests/bundles/${f}.sigstore`,
    root: PRODUCTION,
    identity: JS_IDENTITY,
    artifact: {
      digest:
        "sha512:7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36",
    },
    expect: "pass",
  })),
  {
    name: "sigstore-js bundleV01-full-cert-chain (root CA in chain: conformance rule)",
    bundle: "sigstore-js/tests/bundles/bundleV01-full-cert-chain.sigstore",
    root: PRODUCTION,
    identity: JS_IDENTITY,
    expect: "CERTIFICATE_CHAIN_INVALID",
  },
  // sigstore-python (staging root, no identity policy).
  {
    name: "sigstore-python bundle.txt",
    bundle: `${PY}bundle.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python bundle_v3.txt",
    bundle: `${PY}bundle_v3.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_v3.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python bundle_v3_alt.txt",
    bundle: `${PY}bundle_v3_alt.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_v3_alt.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python staging-rekor-v2.txt",
    bundle: `${PY}staging-rekor-v2.txt.sigstore.json`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}staging-rekor-v2.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python a.dsse.staging-rekor-v2 (envelope only)",
    bundle: `${PY}a.dsse.staging-rekor-v2.txt.sigstore.json`,
    root: STAGING,
    identity: ANY,
    expect: "pass",
  },
  {
    name: "sigstore-python bundle_cve_2022_36056",
    bundle: `${PY}bundle_cve_2022_36056.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_cve_2022_36056.txt`,
    expect: "TLOG_ENTRY_MISMATCH",
  },
  {
    name: "sigstore-python bundle_invalid_version",
    bundle: `${PY}bundle_invalid_version.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_invalid_version.txt`,
    expect: "BUNDLE_VERSION_UNSUPPORTED",
  },
  {
    name: "sigstore-python bundle_no_cert_v1",
    bundle: `${PY}bundle_no_cert_v1.txt.sigstore`,
    root: PRODUCTION,
    identity: ANY,
    artifact: `${PY}bundle_no_cert_v1.txt`,
    expect: "BUNDLE_MALFORMED",
  },
  {
    name: "sigstore-python bundle_no_log_entry",
    bundle: `${PY}bundle_no_log_entry.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_no_log_entry.txt`,
    expect: "TLOG_ENTRY_MISSING",
  },
  {
    name: "sigstore-python bundle_no_checkpoint",
    bundle: `${PY}bundle_no_checkpoint.txt.sigstore`,
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle_no_checkpoint.txt`,
    expect: "CHECKPOINT_MALFORMED",
  },
  {
    name: "sigstore-python bundle_v3_no_signed_time",
    bundle: `${PY}bundle_v3_no_signed_time.txt.sigstore.json`,
    root: PRODUCTION,
    identity: ANY,
    artifact: `${PY}bundle_v3_no_signed_time.txt`,
    expect: "SIGNING_TIME_MISSING",
  },
  {
    name: "sigstore-python bundle.txt with an empty message digest",
    bundle: mutated(
      `${PY}bundle.txt.sigstore`,
      (b) => void (b.messageSignature.messageDigest.digest = ""),
    ),
    root: STAGING,
    identity: ANY,
    artifact: `${PY}bundle.txt`,
    expect: "BUNDLE_MALFORMED",
  },
  // sigstore-python RFC 3161 cases: staging root with the test TSA.
  {
    name: "sigstore-python tsa/bundle.txt",
    bundle: TSA_BUNDLE,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python tsa/bundle.txt, threshold 2",
    bundle: TSA_BUNDLE,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    timeThreshold: 2,
    expect: "pass",
  },
  {
    name: "sigstore-python tsa/bundle.txt, threshold 3",
    bundle: TSA_BUNDLE,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    timeThreshold: 3,
    expect: "SIGNING_TIME_MISSING",
  },
  {
    name: "sigstore-python tsa/bundle.txt, TSA without validFor.end",
    bundle: TSA_BUNDLE,
    root: tsaRoot((ca) => [{ ...ca, validFor: { start: ca.validFor.start } }]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python tsa/bundle.txt without inclusionPromise",
    bundle: mutated(
      TSA_BUNDLE,
      (b) => void delete b.verificationMaterial.tlogEntries[0].inclusionPromise,
    ),
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python tsa/bundle.txt without inclusionPromise and integratedTime",
    bundle: mutated(TSA_BUNDLE, (b) => {
      delete b.verificationMaterial.tlogEntries[0].inclusionPromise;
      delete b.verificationMaterial.tlogEntries[0].integratedTime;
    }),
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "pass",
  },
  {
    name: "sigstore-python tsa/bundle.txt without integratedTime (SET kept)",
    bundle: mutated(
      TSA_BUNDLE,
      (b) => void delete b.verificationMaterial.tlogEntries[0].integratedTime,
    ),
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "SET_INVALID",
  },
  {
    // The window starts at 10:16:42Z and ends before both timestamps (10:23:39Z, 13:31:44Z). (A
    // window that ends before it starts makes the trusted root invalid: trust_material_test.ts.)
    name: "sigstore-python tsa/bundle.txt, TSA validFor ends 2024-10-31T10:20:00Z, threshold 2",
    bundle: TSA_BUNDLE,
    root: tsaRoot((ca) => [{ ...ca, validFor: { ...ca.validFor, end: "2024-10-31T10:20:00Z" } }]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    timeThreshold: 2,
    expect: "SIGNING_TIME_MISSING",
  },
  {
    name: "sigstore-python tsa/bundle.txt, no TSA in the root",
    bundle: TSA_BUNDLE,
    root: tsaRoot(() => []),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "TSA_UNTRUSTED",
  },
  {
    name: "sigstore-python tsa late timestamp, threshold 2",
    bundle: `${PY}tsa/bundle.txt.late_timestamp.sigstore`,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    timeThreshold: 2,
    expect: "SIGNING_TIME_MISSING",
  },
  {
    name: "sigstore-python tsa 33 timestamps",
    bundle: `${PY}tsa/bundle.many_timestamp.sigstore`,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "TIMESTAMP_MALFORMED",
  },
  {
    name: "sigstore-python tsa duplicate timestamp",
    bundle: `${PY}tsa/bundle.duplicate.sigstore`,
    root: tsaRoot((ca) => [ca]),
    identity: ANY,
    artifact: `${PY}tsa/bundle.txt`,
    expect: "TIMESTAMP_MALFORMED",
  },
  // sigstore-go.
  {
    name: "sigstore-go provenance, no policy",
    bundle: GO_PROVENANCE,
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: ANY,
    expect: "pass",
  },
  {
    name: "sigstore-go provenance, 2 verified times required",
    bundle: GO_PROVENANCE,
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: ANY,
    timeThreshold: 2,
    expect: "SIGNING_TIME_MISSING",
  },
  {
    name: "sigstore-go provenance, sha512 digest + SAN regexp + issuer",
    bundle: GO_PROVENANCE,
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: { subject: /^https:\/\/github.com\/sigstore\/sigstore-js\//, issuer: GHA },
    artifact: { digest: `sha512:${GO_SHA512}` },
    expect: "pass",
  },
  {
    name: "sigstore-go provenance, SAN BadSANValue",
    bundle: GO_PROVENANCE,
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: { subject: "BadSANValue", issuer: GHA },
    artifact: { digest: `sha512:${GO_SHA512}` },
    expect: "CERTIFICATE_IDENTITY_MISMATCH",
  },
  {
    name: "sigstore-go provenance, digest with first byte changed",
    bundle: GO_PROVENANCE,
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: { subject: /^https:\/\/github.com\/sigstore\/sigstore-js\//, issuer: GHA },
    artifact: { digest: `sha512:56${GO_SHA512.slice(2)}` },
    expect: "ARTIFACT_MISMATCH",
  },
  {
    name: "sigstore-go dsse-2sigs",
    bundle: "sigstore-go/bundles/dsse-2sigs.sigstore.json",
    root: "sigstore-go/trusted-roots/public-good.json",
    identity: ANY,
    expect: "BUNDLE_MALFORMED",
  },
  {
    name: "sigstore-go othername SAN",
    bundle: "sigstore-go/bundles/othername.sigstore.json",
    root: "sigstore-go/trusted-roots/scaffolding.json",
    identity: { subject: "foo!oidc.local", issuer: "http://oidc.local:8080" },
    artifact: { digest: "sha256:bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b" },
    expect: "pass",
  },
  {
    name: "sigstore-go othername SAN does not match an email",
    bundle: "sigstore-go/bundles/othername.sigstore.json",
    root: "sigstore-go/trusted-roots/scaffolding.json",
    identity: { subject: "foo@oidc.local", issuer: "http://oidc.local:8080" },
    artifact: { digest: "sha256:bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b" },
    expect: "CERTIFICATE_IDENTITY_MISMATCH",
  },
  {
    name:
      "sigstore-go public-key-validity, key valid only in [0, 1 s] (TSA-only root: no tlog entry required)",
    bundle: "sigstore-go/bundles/public-key-validity.sigstore.json",
    root: "sigstore-go/trusted-roots/public-key-validity.json",
    key: "sigstore-go/public-keys/public-key-validity.pem",
    keyValidity: { validFrom: 0, validUntil: 1000 },
    artifact: { digest: "sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72" },
    expect: "KEY_NOT_VALID_AT_TIME",
  },
  // slsa-verifier (production root).
  // Disagreement: slsa-verifier accepts it, but its chain carries the root CA, which
  // sigstore-conformance (bundle-with-root-cert_fail) rejects; we follow sigstore-conformance.
  {
    name: "slsa-verifier gha valid.intoto (root CA in chain: conformance rule)",
    bundle: "slsa-verifier/gha-bundle/valid.intoto.sigstore",
    root: PRODUCTION,
    identity: ANY,
    expect: "CERTIFICATE_CHAIN_INVALID",
  },
  {
    name: "slsa-verifier gha valid-v0.3.intoto",
    bundle: "slsa-verifier/gha-bundle/valid-v0.3.intoto.sigstore",
    root: PRODUCTION,
    identity: ANY,
    expect: "pass",
  },
  // Rejected first for the root CA in its chain; its tlog body also mismatches (TLOG_ENTRY_MISMATCH).
  {
    name: "slsa-verifier gha mismatch-tlog",
    bundle: "slsa-verifier/gha-bundle/mismatch-tlog.intoto.sigstore",
    root: PRODUCTION,
    identity: ANY,
    expect: "CERTIFICATE_CHAIN_INVALID",
  },
  // The tampered last character leaves non-zero padding bits: strict base64 rejects it at parse time.
  {
    name: "slsa-verifier gha invalid-set",
    bundle: "slsa-verifier/gha-bundle/invalid-set.intoto.sigstore",
    root: PRODUCTION,
    identity: ANY,
    expect: "BUNDLE_MALFORMED",
  },
  {
    name: "slsa-verifier gha invalid-dsse-sig",
    bundle: "slsa-verifier/gha-bundle/invalid-dsse-sig.intoto.sigstore",
    root: PRODUCTION,
    identity: ANY,
    expect: "BUNDLE_MALFORMED",
  },
  {
    name: "slsa-verifier bcr MODULE.bazel, publish-to-bcr builder",
    bundle: oneLine("slsa-verifier/bcr/MODULE.bazel.intoto.jsonl"),
    root: PRODUCTION,
    identity: {
      subject:
        /^https:\/\/github\.com\/bazel-contrib\/publish-to-bcr\/\.github\/workflows\/publish\.yaml@/,
      issuer: GHA,
    },
    artifact: "slsa-verifier/bcr/MODULE.bazel",
    expect: "pass",
  },
  {
    name: "slsa-verifier bcr rules_lint tarball, release_ruleset builder",
    bundle: oneLine("slsa-verifier/bcr/rules_lint-v1.3.1.tar.gz.intoto.jsonl"),
    root: PRODUCTION,
    identity: {
      subject:
        /^https:\/\/github\.com\/bazel-contrib\/\.github\/\.github\/workflows\/release_ruleset\.yaml@/,
      issuer: GHA,
    },
    artifact: "slsa-verifier/bcr/rules_lint-v1.3.1.tar.gz",
    expect: "pass",
  },
  {
    name: "slsa-verifier bcr wrong signer",
    bundle: oneLine("slsa-verifier/bcr/MODULE-wrong-signer.bazel.intoto.jsonl"),
    root: PRODUCTION,
    identity: {
      subject:
        /^https:\/\/github\.com\/bazel-contrib\/publish-to-bcr\/\.github\/workflows\/publish\.yaml@/,
      issuer: GHA,
    },
    artifact: "slsa-verifier/bcr/MODULE-wrong-signer.bazel",
    expect: "CERTIFICATE_IDENTITY_MISMATCH",
  },
  ...[
    [
      "gha_delegator-v2.1.0-binary-linux-amd64-workflow_dispatch.build.slsa",
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
    ],
    [
      "gha_maven-v2.1.0-binary-linux-amd64-workflow_dispatch.build.slsa",
      "4e313a4cd3a7ffa7ef270dd8f65a98cce9c6286c25f5898998feaed73f3ffe92",
    ],
    [
      "gha_gradle-v2.1.0-binary-linux-amd64-workflow_dispatch.build.slsa",
      "adcaa9e6a70f00167630b1fd03279b5a0514c9645e02956907231be1732a0a14",
    ],
    [
      "gha_container-based-v2.1.0-binary-linux-amd64-workflow_dispatch.intoto.build.slsa",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ],
  ].map(([file, sha]): Row => ({
    name: `slsa-verifier ${file}`,
    bundle: oneLine(`slsa-verifier/slsa-v1-provenance/${file}`),
    root: PRODUCTION,
    identity: { issuer: GHA },
    artifact: { digest: `sha256:${sha}` },
    expect: "pass",
  })),
  // cosign.
  {
    name: "cosign oci-attestation, image digest",
    bundle: "cosign/oci-attestation/oci-attestation.sigstore.json",
    root: "cosign/oci-attestation/trusted_root_pgi.json",
    identity: { subject: /.*/, issuer: /.*/ },
    artifact: { digest: "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4" },
    expect: "pass",
  },
  {
    name: "cosign oci-attestation, other digest",
    bundle: "cosign/oci-attestation/oci-attestation.sigstore.json",
    root: "cosign/oci-attestation/trusted_root_pgi.json",
    identity: { subject: /.*/, issuer: /.*/ },
    artifact: { digest: `sha256:${"ab".repeat(32)}` },
    expect: "ARTIFACT_MISMATCH",
  },
  {
    name: "cosign oci-attestation, subject regexp wrong",
    bundle: "cosign/oci-attestation/oci-attestation.sigstore.json",
    root: "cosign/oci-attestation/trusted_root_pgi.json",
    identity: { subject: /wrong/, issuer: /.*/ },
    artifact: { digest: "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4" },
    expect: "CERTIFICATE_IDENTITY_MISMATCH",
  },
];

/** SOURCE.md rows this verifier's options cannot express, with the reason. */
const NOT_EXPRESSIBLE: Readonly<Record<string, string>> = {
  "sigstore-go: require 2 tlog entries / 1 RFC 3161 timestamp / no timestamps":
    "verifyBundle counts verified times of any kind (timeThreshold), not per kind; one tlog entry is required",
  "sigstore-python: issue1482 raw TimeStampResp":
    "not a bundle; covered by verifyTimestamp (tests/vectors/rfc3161_sigstore_test.ts)",
};

async function runRow(row: Row): Promise<{ verified: boolean; code: string | undefined }> {
  const bundle = typeof row.bundle === "string" ? await read(row.bundle) : await row.bundle();
  const trustedRoot = typeof row.root === "string" ? await read(row.root) : await row.root();
  const report = await verifyBundle(
    bundle,
    ...splitTrust({
      trustedRoot,
      identity: row.identity,
      key: row.key === undefined ? undefined : await readText(row.key),
      keyValidity: row.keyValidity,
      timeThreshold: row.timeThreshold,
      artifact: typeof row.artifact === "string" ? await read(row.artifact) : row.artifact,
      now: NOW,
    }),
  );
  return { verified: report.verified, code: report.code };
}

const SETS = ["sigstore-python", "sigstore-go", "sigstore-js", "slsa-verifier", "cosign"].map(
  vectorSet,
);

if (SETS.some((set) => !set.present)) {
  vectorTest(SETS, "Sigstore bundles of five suites", () => {});
} else {
  vectorTest(
    SETS,
    "sigstore bundles of five suites give the verdicts their SOURCE.md files list",
    async () => {
      const actual: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const row of ROWS) {
        const result = await runRow(row);
        actual[row.name] = result.verified ? "pass" : result.code ?? "(no code)";
        expected[row.name] = row.expect;
      }
      // deno-lint-ignore no-console
      console.log(Object.entries(actual).map(([k, v]) => `${v.padEnd(30)} ${k}`).join("\n"));
      assert.deepEqual(actual, expected);
      assert.equal(ROWS.length, 57);
      assert.equal(ROWS.filter((r) => r.expect === "pass").length, 29);
      assert.equal(Object.keys(NOT_EXPRESSIBLE).length, 2);
      return ROWS.length;
    },
  );
  vectorTest(
    SETS,
    "one trust material judges every key-signed bundle by its own key and window, call after call",
    async () => {
      // The bundle key is read once per trust entry: alternating two trust objects over the same
      // bundle must still give each its own verdict.
      const bundle = await read("sigstore-go/bundles/public-key-validity.sigstore.json");
      const parts = {
        trustedRoot: await read("sigstore-go/trusted-roots/public-key-validity.json"),
        key: await readText("sigstore-go/public-keys/public-key-validity.pem"),
        artifact: {
          digest: "sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72",
        },
        now: NOW,
      };
      const [bounded, options] = splitTrust({
        ...parts,
        keyValidity: { validFrom: 0, validUntil: 1000 },
      });
      const [open] = splitTrust(parts);
      const verdicts: string[] = [];
      for (const trust of [bounded, open, bounded, open]) {
        const report = await verifyBundle(bundle, trust, options);
        verdicts.push(report.verified ? "pass" : report.code ?? "(no code)");
      }
      assert.deepEqual(verdicts, [
        "KEY_NOT_VALID_AT_TIME",
        "pass",
        "KEY_NOT_VALID_AT_TIME",
        "pass",
      ]);
      return verdicts.length;
    },
  );
}
