/**
 * Envelopes produced by other tools verify through `stella forensic verify` (in-process) and
 * `verifyEnvelope`: the DSSE spec example (ECDSA P-256, P1363 signature), in-toto-golang's
 * RSA-PSS layouts and links, and the DSSE envelopes of Sigstore bundles (sigstore-js and
 * sigstore-conformance) taken out as bare envelopes and checked with the signing certificate's
 * public key. Counts are asserted so that nothing is skipped silently.
 */

import assert from "node:assert/strict";
import { encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { decodeBase64 } from "../../lib/encoding/bytes.ts";
import { DerReader } from "../../lib/encoding/der.ts";
import { encodePem } from "../../lib/encoding/pem.ts";
import type { VerificationReport } from "../../lib/verify/report.ts";
import { verifyEnvelope } from "../../lib/verify/verify_envelope.ts";
import { runCli } from "../cli/_io.ts";
import { VECTORS_URL as VECTORS, vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust } from "../verify/_trust.ts";

const NOW = "2026-03-01T12:00:00Z";
const NOW_MS = Date.UTC(2026, 2, 1, 12);

/** A bare envelope plus the PEM public key that must verify it. */
interface InteropCase {
  name: string;
  envelope: Uint8Array;
  publicKeyPem: string;
}

async function readText(relative: string): Promise<string> {
  return await Deno.readTextFile(new URL(relative, VECTORS));
}

/** Certificate → tbsCertificate → subjectPublicKeyInfo (RFC 5280 §4.1), as DER. */
function spkiOfCertificate(der: Uint8Array): Uint8Array {
  const outer = new DerReader(der);
  const certificate = outer.readSequence();
  outer.end();
  const tbs = certificate.readSequence();
  tbs.readOptionalContext(0); // version
  tbs.readElement(0x02); // serialNumber
  tbs.readElement(0x30); // signature AlgorithmIdentifier
  tbs.readElement(0x30); // issuer
  tbs.readElement(0x30); // validity
  tbs.readElement(0x30); // subject
  return tbs.readElement(0x30).raw;
}

/** Takes the DSSE envelope out of a Sigstore bundle, with its signing certificate's key. */
function fromBundle(name: string, text: string): InteropCase {
  const bundle = JSON.parse(text);
  const dsse = bundle.dsseEnvelope;
  assert.ok(dsse !== undefined, `${name} has a dsseEnvelope`);
  const envelope = {
    payloadType: dsse.payloadType,
    payload: dsse.payload,
    signatures: dsse.signatures.map((s: { sig: string; keyid?: string }) => ({
      sig: s.sig,
      keyid: s.keyid ?? "",
    })),
  };
  const material = bundle.verificationMaterial;
  const raw: string | undefined = material.certificate?.rawBytes ??
    material.x509CertificateChain?.certificates?.[0]?.rawBytes;
  assert.ok(raw !== undefined, `${name} has a signing certificate`);
  return {
    name,
    envelope: encodeUtf8(JSON.stringify(envelope)),
    publicKeyPem: encodePem("PUBLIC KEY", spkiOfCertificate(decodeBase64(raw))),
  };
}

async function dsseSpecCases(): Promise<InteropCase[]> {
  const spec = JSON.parse(await readText("dsse/spec-example.json"));
  return ["envelope_protocol_md", "envelope_signing_spec_doctest"].map((field) => ({
    name: `dsse/spec-example.json ${field}`,
    envelope: encodeUtf8(JSON.stringify(spec[field])),
    publicKeyPem: spec.key.publicKeySpkiPem_derived,
  }));
}

async function inTotoGolangCases(): Promise<InteropCase[]> {
  const dir = "in-toto-golang/test/data/";
  const alice = await readText(`${dir}alice.pub`);
  const root = JSON.parse(await readText(`${dir}dsse-only.root.layout`));
  const layout = JSON.parse(new TextDecoder().decode(decodeBase64(root.payload)));
  const out: InteropCase[] = [];
  for (const file of ["demo.dsse.layout", "dsse-only.root.layout"]) {
    out.push({
      name: dir + file,
      envelope: encodeUtf8(await readText(dir + file)),
      publicKeyPem: alice,
    });
  }
  for (
    const file of [
      "clone-dsse.776a00e2.link",
      "update-version-dsse.776a00e2.link",
      "package-dsse.2f89b927.link",
    ]
  ) {
    const text = await readText(dir + file);
    const keyid: string = JSON.parse(text).signatures[0].keyid;
    const publicKeyPem: string = layout.keys[keyid].keyval.public;
    out.push({ name: dir + file, envelope: encodeUtf8(text), publicKeyPem });
  }
  return out;
}

async function sigstoreJsCases(): Promise<InteropCase[]> {
  const dir = "sigstore-js/tests/bundles/";
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL(dir, VECTORS))) {
    if (entry.name.endsWith(".sigstore")) names.push(entry.name);
  }
  names.sort();
  return await Promise.all(names.map(async (n) => fromBundle(dir + n, await readText(dir + n))));
}

interface ConformanceEntry {
  name: string;
  expect: "pass" | "fail";
  bundle: string;
}

/** Conformance cases whose bundle content is a DSSE envelope, split by expected outcome. */
async function conformanceCases(): Promise<{ pass: InteropCase[]; fail: InteropCase[] }> {
  const index = JSON.parse(await readText("sigstore-conformance/cases.index.json"));
  const out = { pass: [] as InteropCase[], fail: [] as InteropCase[] };
  for (const entry of index.cases as ConformanceEntry[]) {
    const text = await readText(`sigstore-conformance/${entry.bundle}`);
    let bundle;
    try {
      bundle = JSON.parse(text);
    } catch {
      continue; // bundle-malformed-json_fail: not a DSSE bundle at all
    }
    if (bundle.dsseEnvelope === undefined) continue;
    out[entry.expect].push(fromBundle(`sigstore-conformance/${entry.name}`, text));
  }
  return out;
}

async function verifyBoth(
  c: InteropCase,
  dir: string,
  index: number,
): Promise<{ library: VerificationReport; cli: { status: number; report: VerificationReport } }> {
  const library = await verifyEnvelope(
    c.envelope,
    ...splitTrust({
      now: NOW_MS,
      keys: [{ pem: c.publicKeyPem, options: { name: c.name, signatureEncoding: "any" } }],
    }),
  );
  const envelopeFile = `${dir}/${index}.dsse.json`;
  const keyFile = `${dir}/${index}.pub.pem`;
  await Deno.writeFile(envelopeFile, c.envelope);
  await Deno.writeTextFile(keyFile, c.publicKeyPem);
  const result = await runCli([
    "forensic",
    "verify",
    envelopeFile,
    "--key",
    keyFile,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(result.stderr, "", c.name);
  return { library, cli: { status: result.status, report: JSON.parse(result.stdout) } };
}

/** Verifies every case; returns the ones that did not verify, with the reason. */
async function failures(cases: InteropCase[]): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const { library, cli } = await verifyBoth(c, dir, i);
      if (!library.verified) out.push(`${c.name}: library ${library.code}`);
      if (cli.status !== 0 || !cli.report.verified) {
        out.push(`${c.name}: cli exit ${cli.status} ${cli.report.code}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return out;
}

const SETS = ["dsse", "in-toto-golang", "sigstore-js", "sigstore-conformance"].map(vectorSet);

if (SETS.some((set) => !set.present)) {
  vectorTest(SETS, "verifyEnvelope over other projects' envelopes", () => {});
} else {
  vectorTest(
    SETS,
    "dsse spec example: both envelopes verify (ECDSA P-256, P1363 signature)",
    async () => {
      const cases = await dsseSpecCases();
      assert.equal(cases.length, 2);
      assert.deepEqual(await failures(cases), []);
      // The spec key is a P1363 signer: a trust-policy entry that accepts DER only rejects it.
      const strict = await verifyEnvelope(
        cases[0]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[0]!.publicKeyPem }],
        }),
      );
      assert.equal(strict.code, "SIGNATURE_INVALID");
      const p1363 = await verifyEnvelope(
        cases[1]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[1]!.publicKeyPem, options: { signatureEncoding: "p1363" } }],
        }),
      );
      assert.equal(p1363.verified, true);
      assert.equal(p1363.signatures?.[0]?.keyidHint, "66301bbf");
    },
  );

  vectorTest(
    SETS,
    "in-toto-golang: 2 RSA-PSS layouts and 3 links verify; their legacy metadata is summarised",
    async () => {
      const cases = await inTotoGolangCases();
      assert.equal(cases.length, 5);
      assert.deepEqual(await failures(cases), []);
      const link = await verifyEnvelope(
        cases[2]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[2]!.publicKeyPem, options: { algorithm: "rsa-pss-sha256" } }],
        }),
      );
      assert.equal(link.verified, true);
      assert.deepEqual(link.statement, {
        type: "link",
        predicateType: "",
        subjects: [{
          name: "demo-project/foo.py",
          digest: { sha256: "ebebf8778035e0e842a4f1aeb92a601be8ea8e621195f3b972316c60c9e12235" },
        }],
      });
      const layout = await verifyEnvelope(
        cases[0]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[0]!.publicKeyPem }],
        }),
      );
      assert.deepEqual(layout.statement, { type: "layout", predicateType: "", subjects: [] });
      // Negative: a link checked with alice's key (its keyid names a key we do not trust).
      const wrong = await verifyEnvelope(
        cases[2]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[0]!.publicKeyPem }],
        }),
      );
      assert.equal(wrong.code, "KEY_UNTRUSTED");
      // Pinned to PKCS#1 v1.5 (under alice's securesystemslib keyid, so the hint names a trusted
      // key), a PSS signature does not count.
      const keyid = "70ca5750c2eda80b18f41f4ec5f92146789b5d68dd09577be422a0159bd13680";
      const pinned = await verifyEnvelope(
        cases[0]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{
            pem: cases[0]!.publicKeyPem,
            options: { keyid, algorithm: "rsa-pkcs1-sha256" },
          }],
        }),
      );
      assert.equal(pinned.code, "SIGNATURE_INVALID");
      const named = await verifyEnvelope(
        cases[0]!.envelope,
        ...splitTrust({
          now: NOW_MS,
          keys: [{ pem: cases[0]!.publicKeyPem, options: { keyid } }],
        }),
      );
      assert.deepEqual(named.keyids, [keyid]);
    },
  );

  vectorTest(
    SETS,
    "sigstore-js: the DSSE envelopes of all 9 bundles verify with the certificate key",
    async () => {
      const cases = await sigstoreJsCases();
      assert.equal(cases.length, 9);
      assert.deepEqual(await failures(cases), []);
      const statement = JSON.parse(await readText("sigstore-js/tests/bundles/statement.json"));
      for (const c of cases) {
        const report = await verifyEnvelope(
          c.envelope,
          ...splitTrust({
            now: NOW_MS,
            keys: [{ pem: c.publicKeyPem }],
          }),
        );
        assert.equal(report.verified, true, c.name);
        assert.equal(report.statement?.predicateType, statement.predicateType, c.name);
        assert.deepEqual(report.statement?.subjects, statement.subject, c.name);
      }
    },
  );

  vectorTest(
    SETS,
    "sigstore-conformance: the 3 passing DSSE bundles verify; bad envelope signatures do not",
    async () => {
      const { pass, fail } = await conformanceCases();
      assert.deepEqual(pass.map((c) => c.name), [
        "sigstore-conformance/happy-path-intoto-in-dsse-v3",
        "sigstore-conformance/intoto-with-custom-trust-root",
        "sigstore-conformance/rekor2-dsse-happy-path",
      ]);
      assert.deepEqual(await failures(pass), []);
      // The failing DSSE bundles: only those whose envelope signature is bad fail as bare envelopes;
      // the others fail upstream for log, certificate or timestamp reasons outside the envelope.
      assert.equal(fail.length, 11);
      const rejected = (await failures(fail)).filter((line) => line.includes(": library "));
      assert.deepEqual(rejected, [
        "sigstore-conformance/dsse-invalid-sig_fail: library SIGNATURE_INVALID",
        "sigstore-conformance/rekor2-dsse-invalid-sig_fail: library SIGNATURE_INVALID",
      ]);
    },
  );
}
