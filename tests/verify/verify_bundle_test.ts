import assert from "node:assert/strict";
import { type VerificationReport, verifyBundle } from "../../mod.ts";
import { decodeBase64, encodeBase64 } from "../../lib/encoding/mod.ts";
import { parseSigstoreBundle } from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust, type TestOptions } from "./_trust.ts";

const CONFORMANCE = vectorSet("sigstore-conformance");
const PYTHON = vectorSet("sigstore-python");
const SETS = [CONFORMANCE, PYTHON];
const CASES = CONFORMANCE.path("assets/bundle-verify/");
const PRODUCTION = PYTHON.path("trust-roots/production-trusted_root.json");
const IDENTITY = {
  subject:
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
  issuer: "https://token.actions.githubusercontent.com",
};
const NOW = Date.parse("2026-11-26T00:00:00Z");
// Read only where the sets are present, so this module loads without ../shared.
const ARTIFACT = CONFORMANCE.present ? await Deno.readFile(`${CASES}a.txt`) : new Uint8Array();
const PRODUCTION_ROOT: Uint8Array | undefined = PYTHON.present
  ? await Deno.readFile(PRODUCTION)
  : undefined;

// deno-lint-ignore no-explicit-any
type Json = any;

async function load(name: string): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(`${CASES}${name}/bundle.sigstore.json`));
}

async function rootOf(name: string): Promise<Uint8Array> {
  return await Deno.readFile(`${CASES}${name}/trusted_root.json`);
}

function flip(b64: string, index: number): string {
  const bytes = decodeBase64(b64);
  const i = index < 0 ? bytes.length + index : index;
  bytes[i]! ^= 0x01;
  return encodeBase64(bytes);
}

async function run(
  bundle: Json,
  options: Partial<TestOptions> = {},
): Promise<VerificationReport> {
  return await verifyBundle(
    JSON.stringify(bundle),
    ...splitTrust({
      trustedRoot: PRODUCTION_ROOT!,
      identity: IDENTITY,
      artifact: ARTIFACT,
      now: NOW,
      ...options,
    }),
  );
}

function failedCodes(report: VerificationReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`);
}

vectorTest(
  SETS,
  "verifyBundle() verifies a v0.1 message-signature bundle and reports the Rekor time",
  async () => {
    const report = await run(await load("happy-path-v0.1"));
    assert.equal(report.verified, true);
    assert.deepEqual(report.time, { value: "2023-07-12T15:56:36Z", source: "rekor" });
    assert.deepEqual(report.checks.map((c) => c.id), [
      "bundle.parse",
      "root.parse",
      "bundle.material",
      "tlog.entries",
      "tlog.log",
      "tlog.body",
      "tlog.inclusion",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
      "tlog.set",
      "tlog.time",
      "time.observer",
      "cert.chain",
      "cert.sct",
      "cert.identity",
      "bundle.signature",
      "bundle.artifact",
    ]);
  },
);

vectorTest(
  SETS,
  "verifyBundle() takes its time from the RFC 3161 timestamp for Rekor v2 entries",
  async () => {
    const report = await run(await load("rekor2-happy-path"), {
      trustedRoot: await rootOf("rekor2-happy-path"),
    });
    assert.equal(report.verified, true);
    assert.equal(report.time.source, "rfc3161");
  },
);

vectorTest(SETS, "verifyBundle() rejects a changed byte in the DSSE envelope payload", async () => {
  const bundle = await load("happy-path-intoto-in-dsse-v3");
  const payload = new TextDecoder().decode(decodeBase64(bundle.dsseEnvelope.payload)).replace(
    "predicateType",
    "predicateTypf",
  );
  bundle.dsseEnvelope.payload = encodeBase64(new TextEncoder().encode(payload));
  const report = await run(bundle);
  assert.equal(report.code, "TLOG_ENTRY_MISMATCH");
  assert.deepEqual(failedCodes(report), [
    "tlog.body:TLOG_ENTRY_MISMATCH",
    "bundle.signature:SIGNATURE_INVALID",
  ]);
});

vectorTest(SETS, "verifyBundle() rejects a changed byte in the certificate", async () => {
  const bundle = await load("happy-path-v0.3");
  bundle.verificationMaterial.certificate.rawBytes = flip(
    bundle.verificationMaterial.certificate.rawBytes,
    -1,
  );
  const report = await run(bundle);
  assert.equal(report.code, "TLOG_ENTRY_MISMATCH");
  assert.deepEqual(failedCodes(report), [
    "tlog.body:TLOG_ENTRY_MISMATCH",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
});

vectorTest(SETS, "verifyBundle() rejects a changed byte in the inclusion proof", async () => {
  const bundle = await load("happy-path-v0.3");
  const proof = bundle.verificationMaterial.tlogEntries[0].inclusionProof;
  proof.hashes[0] = flip(proof.hashes[0], 5);
  const report = await run(bundle);
  assert.deepEqual(failedCodes(report), ["tlog.inclusion:INCLUSION_PROOF_INVALID"]);
});

vectorTest(SETS, "verifyBundle() rejects a changed byte in the checkpoint", async () => {
  const bundle = await load("happy-path-v0.3");
  const proof = bundle.verificationMaterial.tlogEntries[0].inclusionProof;
  const lines = proof.checkpoint.envelope.split("\n");
  lines[1] = String(BigInt(lines[1]) + 1n);
  proof.checkpoint.envelope = lines.join("\n");
  const report = await run(bundle);
  assert.deepEqual(failedCodes(report), ["tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID"]);
});

vectorTest(
  SETS,
  "verifyBundle() rejects a changed byte in the signed entry timestamp",
  async () => {
    const bundle = await load("happy-path-v0.3");
    const promise = bundle.verificationMaterial.tlogEntries[0].inclusionPromise;
    promise.signedEntryTimestamp = flip(promise.signedEntryTimestamp, 20);
    const report = await run(bundle);
    assert.equal(report.code, "SET_INVALID");
    assert.deepEqual(failedCodes(report), [
      "tlog.set:SET_INVALID",
      "time.observer:SIGNING_TIME_MISSING",
      "cert.chain:CERTIFICATE_CHAIN_INVALID",
    ]);
  },
);

vectorTest(SETS, "verifyBundle() rejects a changed byte in the RFC 3161 timestamp", async () => {
  const bundle = await load("rekor2-happy-path");
  const ts = bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0];
  ts.signedTimestamp = flip(ts.signedTimestamp, -10);
  const report = await run(bundle, { trustedRoot: await rootOf("rekor2-happy-path") });
  assert.equal(report.code, "TIMESTAMP_SIGNATURE_INVALID");
  assert.deepEqual(failedCodes(report), [
    "bundle.timestamp:TIMESTAMP_SIGNATURE_INVALID",
    "time.observer:SIGNING_TIME_MISSING",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
});

vectorTest(SETS, "verifyBundle() checks the identity: exact, regexp, wrong issuer", async () => {
  const bundle = await load("happy-path-v0.1");
  assert.equal(
    (await run(bundle, { identity: { subject: /^https:\/\/github\.com\/sigstore-conformance\// } }))
      .verified,
    true,
  );
  const wrong = await run(bundle, {
    identity: { ...IDENTITY, issuer: "https://accounts.google.com" },
  });
  assert.deepEqual(failedCodes(wrong), ["cert.identity:CERTIFICATE_IDENTITY_MISMATCH"]);
});

vectorTest(SETS, "verifyBundle() applies --not-after to the verified signing time", async () => {
  const bundle = await load("happy-path-v0.1");
  const late = await run(bundle, { notAfter: Date.parse("2023-07-01T00:00:00Z") });
  assert.deepEqual(failedCodes(late), ["time.window:SIGNED_AFTER_NOT_AFTER"]);
  assert.equal(
    (await run(bundle, { notAfter: Date.parse("2023-08-01T00:00:00Z") })).verified,
    true,
  );
});

vectorTest(SETS, "verifyBundle() rejects a bundle whose integrated time is after now", async () => {
  const report = await run(await load("happy-path-v0.1"), {
    now: Date.parse("2023-01-01T00:00:00Z"),
  });
  assert.deepEqual(failedCodes(report), [
    "tlog.time:SIGNED_IN_FUTURE",
    "time.observer:SIGNING_TIME_MISSING",
    "cert.chain:CERTIFICATE_CHAIN_INVALID",
  ]);
});

vectorTest(SETS, "verifyBundle() matches an artifact digest instead of the bytes", async () => {
  const bundle = await load("happy-path-v0.1");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", ARTIFACT)).toHex();
  assert.equal((await run(bundle, { artifact: { digest: `sha256:${digest}` } })).verified, true);
  const other = await run(bundle, { artifact: { digest: `sha256:${"0".repeat(64)}` } });
  assert.equal(other.verified, false);
  assert.equal(other.code, "TLOG_ENTRY_MISMATCH");
});

vectorTest(SETS, "verifyBundle() verifies key-based bundles only with the key", async () => {
  const key = await Deno.readTextFile(`${CASES}managed-key-happy-path/key.pub`);
  const bundle = await load("managed-key-happy-path");
  assert.equal((await run(bundle, { identity: undefined, key })).verified, true);
  const certBundle = await load("happy-path-v0.1");
  assert.deepEqual(failedCodes(await run(certBundle, { identity: undefined, key })).slice(0, 1), [
    "bundle.material:KEY_UNTRUSTED",
  ]);
});

vectorTest(SETS, "verifyBundle() reports an invalid trusted root and rejects misuse", async () => {
  const bundle = await load("happy-path-v0.1");
  const report = await run(bundle, { trustedRoot: "{}" });
  assert.deepEqual(failedCodes(report), ["root.parse:TRUSTED_ROOT_INVALID"]);
  await assert.rejects(
    () => verifyBundle("{}", ...splitTrust({ trustedRoot: PRODUCTION_ROOT!, now: NOW })),
    TypeError,
  );
  await assert.rejects(
    () =>
      verifyBundle(
        "{}",
        ...splitTrust({ trustedRoot: PRODUCTION_ROOT!, identity: {}, now: Number.NaN }),
      ),
    RangeError,
  );
});

vectorTest(SETS, "parseSigstoreBundle() applies the version rules", async () => {
  const v01 = await load("happy-path-v0.1");
  delete v01.verificationMaterial.tlogEntries[0].inclusionPromise;
  assert.throws(() => parseSigstoreBundle(JSON.stringify(v01)), { code: "BUNDLE_MALFORMED" });
  const v03 = await load("happy-path-v0.3");
  v03.verificationMaterial.x509CertificateChain = {
    certificates: [v03.verificationMaterial.certificate],
  };
  delete v03.verificationMaterial.certificate;
  assert.throws(() => parseSigstoreBundle(JSON.stringify(v03)), { code: "BUNDLE_MALFORMED" });
  const v02 = await load("happy-path-v0.2");
  delete v02.verificationMaterial.tlogEntries[0].inclusionProof;
  assert.throws(() => parseSigstoreBundle(JSON.stringify(v02)), { code: "BUNDLE_MALFORMED" });
  const parsed = parseSigstoreBundle(JSON.stringify(await load("happy-path-v0.3-new-mediaType")));
  assert.equal(parsed.version, "0.3");
  assert.equal(parsed.verificationMaterial.kind, "certificate");
});

vectorTest(
  SETS,
  "cli/conformance.ts verify-bundle runs under --deny-net with read permission only",
  async () => {
    const dir = `${CASES}happy-path-v0.3/`;
    const command = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--cached-only",
        "--allow-read",
        "--deny-net",
        "--deny-env",
        new URL("../../cli/conformance.ts", import.meta.url).pathname,
        "verify-bundle",
        "--bundle",
        `${dir}bundle.sigstore.json`,
        "--certificate-identity",
        IDENTITY.subject,
        "--certificate-oidc-issuer",
        IDENTITY.issuer,
        "--trusted-root",
        PRODUCTION,
        `${CASES}a.txt`,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    });
    const { code, stdout, stderr } = await command.output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, out + new TextDecoder().decode(stderr));
    assert.match(out, /^VERIFIED /);
  },
);
