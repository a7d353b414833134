/**
 * RFC 3161 time-stamp tokens from the Sigstore vectors in ../shared/vectors/:
 *
 * - sigstore-python `assets/tsa/issue1482-timestamp-with-no-cert`: a raw DER `TimeStampResp`
 *   without embedded certificates over SHA-256(`issue1482-message`); it verifies only with the TSA
 *   certificate taken from the staging trust root (sigstore-python/SOURCE.md).
 * - every `verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp` in
 *   the Sigstore bundles, over the bundle's signature bytes (message signature, or the DSSE
 *   signature), against the `timestampAuthorities` of the trust root each source's SOURCE.md names
 *   (sigstore-python `assets/tsa/*` use `assets/tsa/ca.json`). A trust-root TSA's chain is
 *   `certChain.certificates` (TSA first, root last): the last certificate is the root, the others
 *   are intermediates (and the TSA certificate for tokens that embed none); `validFor` bounds
 *   `genTime` (inclusive), as sigstore-go and sigstore-python apply it.
 *
 * Expected verdicts are per token, not per bundle: a `_fail` bundle whose timestamp is fine fails
 * upstream for another reason (checkpoint, DSSE signature, Fulcio certificate lifetime, …),
 * noted in `BUNDLE_LEVEL`.
 */
import assert from "node:assert/strict";
import { digestBytes } from "../../mod.ts";
import type { Certificate } from "../../lib/keys/mod.ts";
import type { TimestampVerification } from "../../lib/verify/sigstore_mod.ts";
import {
  decodeBase64,
  encodeHex,
  encodeUtf8,
  equalBytes,
  parseRfc3339,
} from "../../lib/encoding/mod.ts";
import { parseCertificate } from "../../lib/keys/mod.ts";
import { parseTimestampResponse, verifyTimestamp } from "../../lib/verify/sigstore_mod.ts";
import { VECTORS_URL as VECTORS, vectorSet, vectorTest } from "../_vectors.ts";

const STAGING = "sigstore-python/trust-roots/staging-trusted_root.json";
const TSA_CA = "sigstore-python/assets/tsa/ca.json";

interface TrustRootTsa {
  subject?: unknown;
  certChain: { certificates: { rawBytes: string }[] };
  validFor?: { start?: string; end?: string };
}

interface Authority {
  root: Certificate;
  others: Certificate[];
  start: number;
  end: number;
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await Deno.readTextFile(new URL(path, VECTORS)));
}

/** The TSAs of a trust root (or of a single `CertificateAuthority` such as ca.json). */
async function authorities(path: string): Promise<Authority[]> {
  const json = await readJson(path) as { timestampAuthorities?: TrustRootTsa[] } & TrustRootTsa;
  const list = json.timestampAuthorities ?? [json];
  return list.map((tsa) => {
    const certs = tsa.certChain.certificates.map((c, i) =>
      parseCertificate(decodeBase64(c.rawBytes), { name: `${path} TSA cert ${i}` })
    );
    return {
      root: certs[certs.length - 1]!,
      others: certs.slice(0, -1),
      start: tsa.validFor?.start === undefined ? -Infinity : parseRfc3339(tsa.validFor.start),
      end: tsa.validFor?.end === undefined ? Infinity : parseRfc3339(tsa.validFor.end),
    };
  });
}

/** Verdict of one token against a trust root's TSAs: "verified", a failure code, or "OUTSIDE_VALID_FOR". */
interface Verdict {
  verdict: string;
  result: TimestampVerification;
}

async function verifyAgainst(
  token: Uint8Array,
  data: Uint8Array,
  tsas: Authority[],
): Promise<Verdict> {
  const result = await verifyTimestamp(token, {
    data,
    roots: tsas.map((t) => t.root),
    intermediates: tsas.flatMap((t) => t.others),
  });
  if (!result.verified) {
    return { verdict: result.checks.find((c) => !c.ok)!.code!, result };
  }
  const anchor = result.chain![result.chain!.length - 1]!;
  const tsa = tsas.find((t) => equalBytes(t.root.der, anchor.der))!;
  const inWindow = result.genTime! >= tsa.start && result.genTime! <= tsa.end;
  return { verdict: inWindow ? "verified" : "OUTSIDE_VALID_FOR", result };
}

interface Bundle {
  messageSignature?: { signature: string };
  dsseEnvelope?: { signatures: { sig: string }[] };
  verificationMaterial?: {
    timestampVerificationData?: { rfc3161Timestamps?: { signedTimestamp: string }[] };
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
  };
}

/** The signature bytes a Sigstore timestamp covers: the message signature or the DSSE signature. */
function signatureBytes(bundle: Bundle): Uint8Array {
  const sig = bundle.messageSignature?.signature ?? bundle.dsseEnvelope?.signatures[0]?.sig;
  assert.ok(sig !== undefined);
  return decodeBase64(sig);
}

/**
 * The tokens of a bundle. One conformance token is stored as `base64` wraps it (76-column lines;
 * rekor2-timestamp-with-incorrect-time_fail/README): Go's and Python's base64 decoders skip
 * newlines, so the line breaks are dropped here too.
 */
function tokensOf(bundle: Bundle): Uint8Array[] {
  return (bundle.verificationMaterial?.timestampVerificationData?.rfc3161Timestamps ?? [])
    .map((t) => decodeBase64(t.signedTimestamp.replaceAll("\n", "")));
}

// Per-token expectations for the sigstore-conformance cases that carry timestamps.
const CONFORMANCE_EXPECT: Readonly<Record<string, string>> = {
  "rekor2-timestamp-payload-mismatch_fail": "TIMESTAMP_IMPRINT_MISMATCH",
  "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail": "TSA_UNTRUSTED",
  "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail": "TSA_UNTRUSTED",
  "rekor2-timestamp-outside-tsa-cert-validity_fail": "TSA_CERT_NOT_VALID_AT_TIME",
  "rekor2-timestamp-outside-trust-root-tsa-validity_fail": "OUTSIDE_VALID_FOR",
};

/** `_fail` conformance cases whose timestamp is valid: the bundle fails for this other reason. */
const BUNDLE_LEVEL: Readonly<Record<string, string>> = {
  "intoto-tsa-timestamp-outside-cert-validity_fail": "genTime outside the Fulcio certificate",
  "rekor2-timestamp-with-incorrect-time_fail": "genTime outside the Fulcio certificate",
  "managed-key-no-key_fail": "no key given for a managed-key bundle",
  "managed-key-wrong-key_fail": "wrong managed key",
  "rekor2-checkpoint-missing-log-signature_fail": "checkpoint",
  "rekor2-checkpoint-missing-origin_fail": "checkpoint",
  "rekor2-checkpoint-missing-root-hash_fail": "checkpoint",
  "rekor2-checkpoint-missing-size_fail": "checkpoint",
  "rekor2-checkpoint-no-matching-signature_fail": "checkpoint",
  "rekor2-dsse-invalid-sig_fail": "DSSE signature",
  "rekor2-dsse-mismatch-envelope_fail": "DSSE envelope not the logged one",
  "rekor2-dsse-mismatch-sig_fail": "DSSE signature not the logged one",
  "rekor2-no-inclusion-proof_fail": "no inclusion proof",
  "trust-root-tlog-missing-validity-start_fail": "malformed trust root (tlog validity)",
};

const tally = new Map<string, number>();
function count(verdict: string): void {
  tally.set(verdict, (tally.get(verdict) ?? 0) + 1);
}

async function checkIssue1482(): Promise<void> {
  const token = await Deno.readFile(
    new URL("sigstore-python/assets/tsa/issue1482-timestamp-with-no-cert", VECTORS),
  );
  const message = await Deno.readFile(
    new URL("sigstore-python/assets/tsa/issue1482-message", VECTORS),
  );
  const parsed = parseTimestampResponse(token);
  assert.equal(parsed.status, "granted");
  assert.equal(parsed.certificates.length, 0);
  assert.equal(parsed.tstInfo.policy, "1.3.6.1.4.1.57264.2");
  assert.equal(new Date(parsed.tstInfo.genTime).toISOString(), "2025-07-25T19:53:04.000Z");
  assert.equal(
    encodeHex(parsed.tstInfo.messageImprint.hashedMessage),
    encodeHex(digestBytes("sha256", message)),
  );
  assert.match(encodeHex(parsed.tstInfo.messageImprint.hashedMessage), /^3526603902e1.*6fec68$/);

  const staging = await authorities(STAGING);
  const { verdict, result } = await verifyAgainst(token, message, staging);
  assert.equal(verdict, "verified");
  assert.deepEqual(result.chain?.map((c) => c.subject.text), [
    "CN=sigstore-tsa,O=sigstore.dev",
    "CN=sigstore-tsa-selfsigned,O=sigstore.dev",
  ]);
  count(verdict);
  // Without the TSA certificate (root only), the signer cannot be identified.
  const rootOnly = await verifyTimestamp(token, {
    data: message,
    roots: staging.map((t) => t.root),
  });
  assert.equal(rootOnly.checks.find((c) => !c.ok)?.code, "TSA_UNTRUSTED");
  assert.equal(rootOnly.checks.find((c) => !c.ok)?.id, "timestamp.signer");
  // Other data, or another TSA.
  assert.equal(
    (await verifyAgainst(token, encodeUtf8("other"), staging)).verdict,
    "TIMESTAMP_IMPRINT_MISMATCH",
  );
  assert.equal(
    (await verifyAgainst(token, message, await authorities(TSA_CA))).verdict,
    "TSA_UNTRUSTED",
  );
}

async function checkConformance(): Promise<void> {
  const index = await readJson("sigstore-conformance/cases.index.json") as {
    cases: { name: string; bundle: string; trustedRoot: string }[];
  };
  const seen: string[] = [];
  for (const c of index.cases) {
    let bundle: Bundle;
    try {
      bundle = await readJson(`sigstore-conformance/${c.bundle}`) as Bundle;
    } catch (error) {
      if (error instanceof SyntaxError) continue; // bundle-malformed-json_fail
      throw error;
    }
    const tokens = tokensOf(bundle);
    if (tokens.length === 0) continue;
    seen.push(c.name);
    const tsas = await authorities(`sigstore-conformance/${c.trustedRoot}`);
    for (const token of tokens) {
      const { verdict, result } = await verifyAgainst(token, signatureBytes(bundle), tsas);
      count(verdict);
      const want = CONFORMANCE_EXPECT[c.name] ?? "verified";
      assert.equal(verdict, want, `${c.name}: ${JSON.stringify(result.checks)}`);
      if (verdict === "verified" && c.name.endsWith("_fail")) {
        assert.ok(
          BUNDLE_LEVEL[c.name] !== undefined,
          `${c.name} fails upstream for no listed reason`,
        );
      }
      if (c.name === "trust-root-tsa-validity-end-inclusive") {
        // genTime equals validFor.end exactly: the window is closed.
        assert.equal(result.genTime, tsas[0]!.end);
      }
      if (c.name === "rekor2-timestamp-with-expired-cert-chain") {
        // The TSA chain has long expired, but was valid at genTime.
        assert.ok(
          result.chain!.every((cert) => cert.notAfter < Date.parse("2026-01-01T00:00:00Z")),
        );
      }
      if (BUNDLE_LEVEL[c.name]?.startsWith("genTime outside the Fulcio")) {
        const material = bundle.verificationMaterial!;
        const leafB64 = material.certificate?.rawBytes ??
          material.x509CertificateChain!.certificates[0]!.rawBytes;
        const leaf = parseCertificate(decodeBase64(leafB64));
        assert.ok(result.genTime! < leaf.notBefore || result.genTime! > leaf.notAfter, c.name);
      }
    }
  }
  assert.equal(seen.length, 33);
  for (const name of [...Object.keys(CONFORMANCE_EXPECT), ...Object.keys(BUNDLE_LEVEL)]) {
    assert.ok(seen.includes(name), `${name} has no timestamp`);
  }
}

async function checkPythonStaging(): Promise<void> {
  const staging = await authorities(STAGING);
  for (
    const name of [
      "staging-rekor-v2.txt.sigstore.json",
      "a.dsse.staging-rekor-v2.txt.sigstore.json",
    ]
  ) {
    const bundle = await readJson(`sigstore-python/assets/${name}`) as Bundle;
    const tokens = tokensOf(bundle);
    assert.equal(tokens.length, 1);
    const { verdict } = await verifyAgainst(tokens[0]!, signatureBytes(bundle), staging);
    count(verdict);
    assert.equal(verdict, "verified", name);
  }
}

async function checkPythonTsaRows(): Promise<void> {
  const ca = await authorities(TSA_CA);
  const load = async (name: string) => {
    const bundle = await readJson(`sigstore-python/assets/tsa/${name}`) as Bundle;
    return { bundle, tokens: tokensOf(bundle), data: signatureBytes(bundle) };
  };
  const hello = encodeUtf8("hello");

  // bundle.txt.sigstore: PASS at threshold 1 and 2 = the SET plus one verified timestamp. Its first
  // token is over the signature; the second is a SHA-512 token over "hello" (a test token), which
  // verifies only over those bytes.
  const main = await load("bundle.txt.sigstore");
  assert.equal(main.tokens.length, 2);
  const first = await verifyAgainst(main.tokens[0]!, main.data, ca);
  assert.equal(first.verdict, "verified");
  assert.equal(new Date(first.result.genTime!).toISOString(), "2024-10-31T10:23:39.000Z");
  const second = await verifyAgainst(main.tokens[1]!, main.data, ca);
  assert.equal(second.verdict, "TIMESTAMP_IMPRINT_MISMATCH");
  assert.equal((await verifyAgainst(main.tokens[1]!, hello, ca)).verdict, "verified");
  count(first.verdict);
  count(second.verdict);
  // With validFor.end = 2024-10-31T00:00:00Z the verified token falls outside the window: only
  // the SET is left, so threshold 2 fails.
  const ended = ca.map((t) => ({ ...t, end: Date.parse("2024-10-31T00:00:00Z") }));
  assert.equal(
    (await verifyAgainst(main.tokens[0]!, main.data, ended)).verdict,
    "OUTSIDE_VALID_FOR",
  );
  // Without validFor.end it still verifies.
  const open = ca.map((t) => ({ ...t, end: Infinity }));
  assert.equal((await verifyAgainst(main.tokens[0]!, main.data, open)).verdict, "verified");
  // No timestamp authorities at all.
  assert.equal((await verifyAgainst(main.tokens[0]!, main.data, [])).verdict, "TSA_UNTRUSTED");

  // late_timestamp: the token comes from the staging TSA, not the test TSA of ca.json; with the
  // staging TSA it verifies, but genTime is after the 10-minute Fulcio certificate expired.
  const late = await load("bundle.txt.late_timestamp.sigstore");
  assert.equal(late.tokens.length, 1);
  const lateCa = await verifyAgainst(late.tokens[0]!, late.data, ca);
  assert.equal(lateCa.verdict, "TSA_UNTRUSTED");
  count(lateCa.verdict);
  const lateStaging = await verifyAgainst(late.tokens[0]!, late.data, await authorities(STAGING));
  assert.equal(lateStaging.verdict, "verified");
  const fulcio = parseCertificate(
    decodeBase64(late.bundle.verificationMaterial!.certificate!.rawBytes),
  );
  assert.ok(lateStaging.result.genTime! > fulcio.notAfter);
  assert.equal(lateStaging.result.genTime! - fulcio.notBefore, 12 * 60_000 + 1_000);

  // many_timestamp: 33 tokens, above sigstore-python's limit of 32; duplicate: three tokens, one
  // of them twice. Both are bundle-level rejections; each token here is the test token over "hello".
  for (
    const [name, n] of [["bundle.many_timestamp.sigstore", 33], [
      "bundle.duplicate.sigstore",
      3,
    ]] as const
  ) {
    const { tokens, data } = await load(name);
    assert.equal(tokens.length, n, name);
    for (const token of tokens) {
      const { verdict } = await verifyAgainst(token, data, ca);
      count(verdict);
      assert.equal(verdict, "TIMESTAMP_IMPRINT_MISMATCH", name);
      assert.equal((await verifyAgainst(token, hello, ca)).verdict, "verified", name);
    }
    if (name === "bundle.duplicate.sigstore") {
      // Tokens 0 and 2 are byte-for-byte the same.
      assert.ok(equalBytes(tokens[0]!, tokens[2]!));
      assert.ok(!equalBytes(tokens[0]!, tokens[1]!));
    }
  }
}

async function checkGoPublicKeyValidity(): Promise<void> {
  const bundle = await readJson("sigstore-go/bundles/public-key-validity.sigstore.json") as Bundle;
  const tokens = tokensOf(bundle);
  assert.equal(tokens.length, 1);
  const tsas = await authorities("sigstore-go/trusted-roots/public-key-validity.json");
  const { verdict, result } = await verifyAgainst(tokens[0]!, signatureBytes(bundle), tsas);
  count(verdict);
  assert.equal(verdict, "verified");
  // sigstore-go's FAIL row declares the key valid only for unix time [0, 1]: genTime is later.
  assert.ok(result.genTime! > 1000);
}

function checkCounts(): void {
  const summary = Object.fromEntries([...tally].sort());
  // deno-lint-ignore no-console
  console.log(`rfc3161 vectors: ${[...tally.values()].reduce((a, b) => a + b, 0)} tokens`, summary);
  assert.deepEqual(summary, {
    OUTSIDE_VALID_FOR: 1,
    TIMESTAMP_IMPRINT_MISMATCH: 38,
    TSA_CERT_NOT_VALID_AT_TIME: 1,
    TSA_UNTRUSTED: 3,
    verified: 33,
  });
}

const SETS = ["sigstore-conformance", "sigstore-python", "sigstore-go"].map(vectorSet);

if (SETS.some((set) => !set.present)) {
  vectorTest(SETS, "RFC 3161 tokens in Sigstore vectors", () => {});
} else {
  vectorTest(SETS, "rfc3161 vectors: Sigstore time-stamp tokens", async (t) => {
    await t.step(
      "issue1482 response without certificates verifies with the staging TSA",
      checkIssue1482,
    );
    await t.step("sigstore-conformance bundle timestamps", checkConformance);
    await t.step("sigstore-python staging bundles", checkPythonStaging);
    await t.step("sigstore-python assets/tsa rows (SOURCE.md)", checkPythonTsaRows);
    await t.step("sigstore-go public-key-validity bundle", checkGoPublicKeyValidity);
    await t.step("counts", checkCounts);
  });
}
