/**
 * Every bundle-verify case of sigstore-conformance (../shared/vectors/sigstore-conformance/
 * cases.index.json) through the conformance client adapter `cli/conformance.ts`, in process,
 * offline: the case's trusted root (or sigstore-python's production snapshot when the case ships
 * none), its key or identity, its artifact. The verdict must be the case's `expect`; the first
 * failing check's code must stay what it is today (so a case cannot start failing for another
 * reason unnoticed).
 */
import assert from "node:assert/strict";
import { runConformance } from "../../cli/conformance.ts";
import { denoIo, type Io } from "../../cli/_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

interface Case {
  name: string;
  expect: "pass" | "fail";
  bundle: string;
  artifact: string;
  trustedRoot: string;
  verifyWith: "key" | "certificate-identity";
  identity?: string;
  issuer?: string;
  key?: string;
}

const CONFORMANCE = vectorSet("sigstore-conformance");

/** A fixed evaluation time, so results do not depend on the clock. */
const NOW = "2026-11-26T00:00:00Z";

function path(relative: string): string {
  return CONFORMANCE.path(relative);
}

/** Runs the adapter in process; the first failed check is read from the human output. */
async function runCase(c: Case): Promise<{ exit: number; firstFailure: string }> {
  const args = ["verify-bundle", "--bundle", path(c.bundle)];
  if (c.verifyWith === "key") args.push("--key", path(c.key!));
  else args.push("--certificate-identity", c.identity!, "--certificate-oidc-issuer", c.issuer!);
  args.push("--trusted-root", path(c.trustedRoot), path(c.artifact));
  let out = "";
  let err = "";
  const io: Io = {
    ...denoIo(),
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    now: () => Date.parse(NOW),
  };
  const exit = await runConformance(args, io);
  const failure = /^ {2}✗ [a-z.0-9-]+: ([A-Z0-9_]+)/m.exec(out)?.[1];
  return {
    exit,
    firstFailure: exit === 2 ? "(exit 2)" : failure ?? (err === "" ? "" : "(stderr)"),
  };
}

if (!CONFORMANCE.present) {
  vectorTest(CONFORMANCE, "sigstore-conformance bundle-verify cases", () => {});
} else {
  const CASES = (JSON.parse(await CONFORMANCE.readText("cases.index.json")) as {
    cases: Case[];
  }).cases;

  /** Cases whose verdict is not the expected one, with the reason. None today. */
  const KNOWN_NON_PASSING: Readonly<Record<string, string>> = {};

  /**
   * Cases that fail as expected but with exit status 2 ("could not run") rather than 1: the input
   * the harness gives is unusable before any bundle check.
   */
  const EXIT_2: Readonly<Record<string, string>> = {
    "managed-key-wrong-key_fail":
      'key.pub is not a valid public key (its base64 ends in "wrongkey==")',
    "trust-root-tlog-missing-validity-start_fail":
      "the trusted root is rejected (tlog validFor has no start)",
  };

  /** The code of the first failed check of each failing case (what rejects it). */
  const FIRST_FAILURE: Readonly<Record<string, string>> = {
    "bundle-empty-certificate-chain_fail": "BUNDLE_MALFORMED",
    "bundle-from-wrong-instance_fail": "LOG_KEY_UNTRUSTED",
    "bundle-invalid-base64-signature_fail": "BUNDLE_MALFORMED",
    "bundle-malformed-json_fail": "BUNDLE_MALFORMED",
    "bundle-negative-log-index_fail": "BUNDLE_MALFORMED",
    "bundle-unknown-version_fail": "BUNDLE_VERSION_UNSUPPORTED",
    "bundle-with-root-cert_fail": "CERTIFICATE_CHAIN_INVALID",
    "checkpoint-bad-keyhint_fail": "CHECKPOINT_SIGNATURE_INVALID",
    "checkpoint-wrong-roothash_fail": "CHECKPOINT_MISMATCH",
    "dsse-invalid-sig_fail": "TLOG_ENTRY_MISMATCH",
    "dsse-mismatch-envelope_fail": "TLOG_ENTRY_MISMATCH",
    "dsse-mismatch-sig_fail": "TLOG_ENTRY_MISMATCH",
    "inclusion-proof-corrupted-hash_fail": "INCLUSION_PROOF_INVALID",
    "incorrect-public-key_fail": "TLOG_ENTRY_MISMATCH",
    "integrated-time-in-future_fail": "CERTIFICATE_CHAIN_INVALID",
    "intoto-expired-certificate_fail": "CERTIFICATE_CHAIN_INVALID",
    "intoto-log-entry-mismatch_fail": "TLOG_ENTRY_MISMATCH",
    "intoto-missing-inclusion-proof_fail": "BUNDLE_MALFORMED",
    "intoto-set-outside-signing-cert-validity_fail": "CERTIFICATE_CHAIN_INVALID",
    "intoto-tsa-timestamp-outside-cert-validity_fail": "CERTIFICATE_CHAIN_INVALID",
    "invalid-checkpoint-signature_fail": "CHECKPOINT_SIGNATURE_INVALID",
    "invalid-ct-key_fail": "SCT_INVALID",
    "invalid-inclusion-proof_fail": "INCLUSION_PROOF_INVALID",
    "managed-key-no-key_fail": "KEY_UNTRUSTED",
    "managed-key-wrong-key_fail": "(exit 2)",
    "message-digest-mismatch_fail": "ARTIFACT_MISMATCH",
    "rekor2-checkpoint-missing-log-signature_fail": "CHECKPOINT_MALFORMED",
    "rekor2-checkpoint-missing-origin_fail": "CHECKPOINT_MALFORMED",
    "rekor2-checkpoint-missing-root-hash_fail": "CHECKPOINT_MALFORMED",
    "rekor2-checkpoint-missing-size_fail": "CHECKPOINT_MALFORMED",
    "rekor2-checkpoint-no-matching-signature_fail": "CHECKPOINT_SIGNATURE_INVALID",
    "rekor2-dsse-invalid-sig_fail": "TLOG_ENTRY_MISMATCH",
    "rekor2-dsse-mismatch-envelope_fail": "TLOG_ENTRY_MISMATCH",
    "rekor2-dsse-mismatch-sig_fail": "TLOG_ENTRY_MISMATCH",
    "rekor2-no-inclusion-proof_fail": "BUNDLE_MALFORMED",
    "rekor2-no-timestamp_fail": "SIGNING_TIME_MISSING",
    "rekor2-timestamp-outside-trust-root-tsa-validity_fail": "TSA_UNTRUSTED",
    "rekor2-timestamp-outside-tsa-cert-validity_fail": "TSA_CERT_NOT_VALID_AT_TIME",
    "rekor2-timestamp-payload-mismatch_fail": "TIMESTAMP_IMPRINT_MISMATCH",
    "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail": "TSA_UNTRUSTED",
    "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail": "TSA_UNTRUSTED",
    "rekor2-timestamp-with-incorrect-time_fail": "CERTIFICATE_CHAIN_INVALID",
    "set-invalid-signature_fail": "SET_INVALID",
    "signature-mismatch_fail": "TLOG_ENTRY_MISMATCH",
    "trust-root-tlog-missing-validity-start_fail": "(exit 2)",
    "wrong-hashedrekord-artifact_fail": "TLOG_ENTRY_MISMATCH",
    "wrong-hashedrekord-cert-and-sig_fail": "TLOG_ENTRY_MISMATCH",
    "wrong-hashedrekord-entry_fail": "TLOG_ENTRY_MISMATCH",
    "wrong-material_fail": "TLOG_ENTRY_MISMATCH",
  };

  const results: { c: Case; exit: number; firstFailure: string; ok: boolean }[] = [];
  for (const c of CASES) {
    const { exit, firstFailure } = await runCase(c);
    const verdict = exit === 0 ? "pass" : "fail";
    results.push({ c, exit, firstFailure, ok: verdict === c.expect });
  }

  vectorTest(
    CONFORMANCE,
    "sigstore-conformance: the index lists 70 bundle-verify cases (21 pass, 49 fail)",
    () => {
      assert.equal(CASES.length, 70);
      assert.equal(CASES.filter((c) => c.expect === "pass").length, 21);
    },
  );

  vectorTest(CONFORMANCE, "sigstore-conformance: 70 of 70 cases give the expected verdict", () => {
    const table = results.map((r) =>
      `${r.ok ? "ok  " : "FAIL"} ${
        r.c.expect.padEnd(4)
      } exit=${r.exit} ${r.c.name} ${r.firstFailure}`
    );
    // deno-lint-ignore no-console
    console.log(table.join("\n"));
    const wrong = Object.fromEntries(
      results.filter((r) => !r.ok).map((
        r,
      ) => [r.c.name, KNOWN_NON_PASSING[r.c.name] ?? "unexpected"]),
    );
    assert.deepEqual(wrong, KNOWN_NON_PASSING);
    assert.equal(results.filter((r) => r.ok).length, 70);
    return results.length;
  });

  vectorTest(
    CONFORMANCE,
    "sigstore-conformance: failing cases are rejected by the expected check",
    () => {
      const actual = Object.fromEntries(
        results.filter((r) => r.c.expect === "fail").map((r) => [r.c.name, r.firstFailure]),
      );
      assert.deepEqual(actual, FIRST_FAILURE);
    },
  );

  vectorTest(
    CONFORMANCE,
    "sigstore-conformance: exit status is 0 for pass, 1 for fail, 2 only where listed",
    () => {
      for (const r of results) {
        const expected = r.c.expect === "pass" ? 0 : EXIT_2[r.c.name] !== undefined ? 2 : 1;
        assert.equal(r.exit, expected, r.c.name);
      }
    },
  );

  vectorTest(
    CONFORMANCE,
    "sigstore-conformance: a digest argument (sha256:HEX) verifies like the artifact file",
    async () => {
      const c = CASES.find((x) => x.name === "happy-path-v0.3")!;
      const digest = new Uint8Array(
        await crypto.subtle.digest("SHA-256", await Deno.readFile(path(c.artifact))),
      ).toHex();
      let out = "";
      const io: Io = {
        ...denoIo(),
        stdout: (t: string) => void (out += t),
        stderr: () => {},
        now: () => Date.parse(NOW),
      };
      const exit = await runConformance([
        "verify-bundle",
        "--bundle",
        path(c.bundle),
        "--certificate-identity",
        c.identity!,
        "--certificate-oidc-issuer",
        c.issuer!,
        "--trusted-root",
        path(c.trustedRoot),
        `sha256:${digest}`,
      ], io);
      assert.equal(exit, 0, out);
      const wrong = await runConformance([
        "verify-bundle",
        "--bundle",
        path(c.bundle),
        "--certificate-identity",
        c.identity!,
        "--certificate-oidc-issuer",
        c.issuer!,
        "--trusted-root",
        path(c.trustedRoot),
        `sha256:${"00".repeat(32)}`,
      ], io);
      assert.equal(wrong, 1);
    },
  );

  vectorTest(
    CONFORMANCE,
    "sigstore-conformance: without --trusted-root the offline client exits 2",
    async () => {
      let err = "";
      const io: Io = { ...denoIo(), stdout: () => {}, stderr: (t: string) => void (err += t) };
      const c = CASES[0]!;
      const exit = await runConformance([
        "verify-bundle",
        "--bundle",
        path(c.bundle),
        "--certificate-identity",
        "x",
        "--certificate-oidc-issuer",
        "y",
        path(c.artifact),
      ], io);
      assert.equal(exit, 2);
      assert.match(err, /--trusted-root/);
    },
  );
}
