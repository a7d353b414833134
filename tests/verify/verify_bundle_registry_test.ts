/**
 * verifyBundle() picks each signature's scheme from Sigstore's algorithm registry and the signing
 * key, and accepts only the entry kinds each Rekor generation writes: sigstore-java's algorithm
 * registry bundles (RSA PKCS#1 v1.5 2048/3072/4096, P-384/SHA-384, P-521/SHA-512) and its DSSE
 * Rekor v2 bundles, read in place from the sigstore-real-world vector set and mutated here.
 */
import assert from "node:assert/strict";
import { digestBytes, type VerificationReport, verifyBundle } from "../../mod.ts";
import { decodeBase64, encodeBase64, encodeHex } from "../../lib/encoding/mod.ts";
import { runCli } from "../cli/_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust, type TestOptions } from "./_trust.ts";

const SET = vectorSet("sigstore-real-world");
const NOW = Date.parse("2026-12-01T00:00:00Z");
const IDENTITY = {
  subject: "untrusted-sa@sigstore-conformance.iam.gserviceaccount.com",
  issuer: "https://accounts.google.com",
};

// deno-lint-ignore no-explicit-any
type Json = any;

async function load(name: string): Promise<Json> {
  return await SET.readJson(`files/sigstore-java/${name}`);
}

async function run(
  bundle: Json,
  options: Partial<TestOptions> = {},
): Promise<VerificationReport> {
  return await verifyBundle(
    JSON.stringify(bundle),
    ...splitTrust({
      trustedRoot: await SET.read("files/trust/public-good.trusted_root.json"),
      identity: IDENTITY,
      artifact: await SET.read("files/sigstore-java/artifact.txt"),
      now: NOW,
      ...options,
    }),
  );
}

function failed(report: VerificationReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`);
}

function message(report: VerificationReport, id: string): string {
  return report.checks.find((c) => c.id === id && !c.ok)?.message ?? "";
}

async function digestOf(algorithm: "sha256" | "sha384" | "sha512"): Promise<string> {
  return `${algorithm}:${
    encodeHex(digestBytes(algorithm, await SET.read("files/sigstore-java/artifact.txt")))
  }`;
}

vectorTest(
  SET,
  "verifyBundle(): RSA keyless signatures are PKCS#1 v1.5 over SHA-256, from the artifact or its digest",
  async () => {
    for (const bits of [2048, 3072, 4096]) {
      const bundle = await load(`PKIX_RSA_PKCS1V15_${bits}_SHA256.sigstore.json`);
      assert.equal((await run(bundle)).verified, true, `${bits}: artifact bytes`);
      const byDigest = await run(bundle, { artifact: { digest: await digestOf("sha256") } });
      assert.equal(byDigest.verified, true, `${bits}: artifact digest`);
      // One changed bit of the signature (kept consistent in the tlog body would need the log's
      // key): the body no longer matches and the signature does not verify.
      const tampered = structuredClone(bundle);
      const sig = decodeBase64(tampered.messageSignature.signature);
      sig[7]! ^= 0x10;
      tampered.messageSignature.signature = encodeBase64(sig);
      assert.deepEqual(failed(await run(tampered)), [
        "tlog.body:TLOG_ENTRY_MISMATCH",
        "bundle.signature:SIGNATURE_INVALID",
      ]);
    }
    return 3;
  },
);

vectorTest(
  SET,
  "verifyBundle(): P-384 and P-521 message signatures are over SHA-384 and SHA-512, and an artifact digest must use that algorithm",
  async () => {
    for (
      const [name, hash] of [
        ["PKIX_ECDSA_P384_SHA_384.sigstore.json", "sha384"],
        ["PKIX_ECDSA_P521_SHA_512.sigstore.json", "sha512"],
      ] as const
    ) {
      const bundle = await load(name);
      assert.equal((await run(bundle)).verified, true, name);
      assert.equal(
        (await run(bundle, { artifact: { digest: await digestOf(hash) } })).verified,
        true,
        `${name} by ${hash} digest`,
      );
      const sha256 = await run(bundle, { artifact: { digest: await digestOf("sha256") } });
      // The bundle's own message digest still verifies; the given digest is refused.
      assert.deepEqual(failed(sha256), ["bundle.artifact:ARTIFACT_MISMATCH"]);
      assert.match(
        message(sha256, "bundle.artifact"),
        new RegExp(`is over its ${hash} digest, not sha256`),
      );
    }
    return 2;
  },
);

vectorTest(
  SET,
  "verifyBundle(): a digest the registry does not pair with the key is refused, never tried",
  async () => {
    // The P-384 bundle relabelled as SHA-512 (with the artifact's SHA-512): not a registry pair.
    const bundle = await load("PKIX_ECDSA_P384_SHA_384.sigstore.json");
    bundle.messageSignature.messageDigest = {
      algorithm: "SHA2_512",
      digest: encodeBase64(
        digestBytes("sha512", await SET.read("files/sigstore-java/artifact.txt")),
      ),
    };
    const report = await run(bundle);
    assert.deepEqual(failed(report), [
      "tlog.body:TLOG_ENTRY_MISMATCH",
      "bundle.signature:SIGNATURE_INVALID",
    ]);
    assert.match(
      message(report, "bundle.signature"),
      /pairs a P-384 key with SHA2_384 or SHA2_256, not SHA2_512/,
    );
    // A digest name the registry does not know at all.
    const p256 = await load("PKIX_ECDSA_P256_SHA_256.sigstore.json");
    p256.messageSignature.messageDigest.algorithm = "SHA3_256";
    const unknown = await run(p256);
    assert.equal(unknown.verified, false);
    assert.match(message(unknown, "bundle.signature"), /names the digest algorithm "SHA3_256"/);
    return 2;
  },
);

vectorTest(
  SET,
  "verifyBundle(): Rekor v2 entries must be hashedrekord 0.0.2; dsse 0.0.2 and unknown kinds are refused",
  async () => {
    const staging = await SET.read("files/trust/staging.trusted_root.json");
    const identity = { subject: "aaronlew@google.com", issuer: "https://accounts.google.com" };
    const badKind = await load("bundle.dsse.rekor-v2.bad-entry-type.sigstore");
    const report = await run(badKind, { trustedRoot: staging, identity });
    assert.deepEqual(failed(report), ["tlog.body:TLOG_ENTRY_KIND_UNSUPPORTED"]);
    assert.match(
      message(report, "tlog.body"),
      /dsse 0\.0\.2 is not an entry kind a Rekor log writes/,
    );
    // The DSSE bundle logged as hashedrekord 0.0.2 over its PAE verifies ...
    const good = await load("bundle.dsse.rekor-v2.sigstore");
    assert.equal((await run(good)).verified, true);
    // ... and relabelling its entry as another kind is refused for that reason first.
    for (const [kind, version] of [["dsse", "0.0.2"], ["rekord", "0.0.1"], ["intoto", "0.0.1"]]) {
      const relabelled = structuredClone(good);
      relabelled.verificationMaterial.tlogEntries[0].kindVersion = { kind, version };
      const r = await run(relabelled);
      assert.equal(r.code, "TLOG_ENTRY_KIND_UNSUPPORTED", `${kind} ${version}`);
    }
    return 4;
  },
);

vectorTest(
  SET,
  "stella forensic verify BUNDLE: P-384 needs --artifact-digest sha384 (exit 0), sha256 is rejected (exit 1)",
  async () => {
    const args = [
      "forensic",
      "verify",
      SET.path("files/sigstore-java/PKIX_ECDSA_P384_SHA_384.sigstore.json"),
      "--trusted-root",
      SET.path("files/trust/public-good.trusted_root.json"),
      "--certificate-identity",
      IDENTITY.subject,
      "--certificate-oidc-issuer",
      IDENTITY.issuer,
      "--json",
    ];
    const ok = await runCli([...args, "--artifact-digest", await digestOf("sha384")], {
      now: () => NOW,
    });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const wrong = await runCli([...args, "--artifact-digest", await digestOf("sha256")], {
      now: () => NOW,
    });
    assert.equal(wrong.status, 1);
    assert.equal(JSON.parse(wrong.stdout).code, "ARTIFACT_MISMATCH");
    const rsa = await runCli([
      "forensic",
      "verify",
      SET.path("files/sigstore-java/PKIX_RSA_PKCS1V15_4096_SHA256.sigstore.json"),
      ...args.slice(3, -1),
      "--artifact-digest",
      await digestOf("sha256"),
    ], { now: () => NOW });
    assert.equal(rsa.status, 0, rsa.stdout + rsa.stderr);
    assert.match(rsa.stdout, /^VERIFIED /);
    return 3;
  },
);
