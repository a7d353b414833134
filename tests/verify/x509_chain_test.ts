import assert from "node:assert/strict";
import type { Certificate } from "../../lib/keys/mod.ts";
import type { ChainValidation } from "../../lib/verify/sigstore_mod.ts";
import { encodeDerOctetString } from "../../lib/encoding/der.ts";
import { decodeBase64 } from "../../lib/encoding/mod.ts";
import { KEY_PURPOSES, parseCertificate } from "../../lib/keys/mod.ts";
import {
  CHAIN_FAILURE_CODES,
  validateChain,
  verifyCertificateSignature,
} from "../../lib/verify/sigstore_mod.ts";
import { buildCert, type CertSpec, DAY, KU, makeKey, T0 } from "../keys/_x509_builder.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const PYTHON = vectorSet("sigstore-python");

const AT = T0 + 100 * DAY;
const rootKey = makeKey("p384");
const interKey = makeKey("p256");
const leafKey = makeKey("p256");

const cert = (spec: CertSpec): Certificate => parseCertificate(buildCert(spec));

const root = cert({ subject: "Root", key: rootKey, ca: true, hash: "sha384" });
const inter = cert({
  subject: "Intermediate",
  issuer: "Root",
  key: interKey,
  issuerKey: rootKey,
  ca: true,
  pathLength: 0,
  // P-384 issuer signing with SHA-256: a pair the verifier factory does not offer.
  hash: "sha256",
});
const leaf = cert({
  subject: "Leaf",
  issuer: "Intermediate",
  key: leafKey,
  issuerKey: interKey,
  eku: [KEY_PURPOSES.timeStamping],
});

function codeOf(result: ChainValidation): string {
  return result.ok ? "ok" : result.code;
}

function subjects(result: ChainValidation): string[] {
  return result.chain.map((c) => c.subject.attributes[1]!.value);
}

Deno.test("validateChain() builds leaf → intermediate → root (RFC 5280 §6.1)", async () => {
  const result = await validateChain(leaf, { roots: [root], intermediates: [inter], at: AT });
  assert.equal(codeOf(result), "ok");
  assert.deepEqual(subjects(result), ["Leaf", "Intermediate", "Root"]);
  // Order of intermediates and extra unrelated certificates do not matter.
  const other = cert({ subject: "Other", key: makeKey("p256"), ca: true });
  const again = await validateChain(leaf, {
    roots: [other, root],
    intermediates: [other, leaf, inter],
    at: AT,
  });
  assert.deepEqual(subjects(again), ["Leaf", "Intermediate", "Root"]);
});

Deno.test("validateChain() accepts a leaf that is itself a supplied anchor", async () => {
  const result = await validateChain(leaf, { roots: [leaf], at: AT });
  assert.deepEqual(subjects(result), ["Leaf"]);
  // A non-self-signed anchor ends the path: the intermediate is trusted directly.
  const viaInter = await validateChain(leaf, { roots: [inter], at: AT });
  assert.deepEqual(subjects(viaInter), ["Leaf", "Intermediate"]);
});

Deno.test("validateChain() checks validity at `at` for every certificate, bounds inclusive", async () => {
  const shortLeaf = cert({
    subject: "Leaf",
    issuer: "Intermediate",
    key: leafKey,
    issuerKey: interKey,
    notBefore: T0 + 10 * DAY,
    notAfter: T0 + 20 * DAY,
  });
  const opts = { roots: [root], intermediates: [inter] };
  assert.equal(codeOf(await validateChain(shortLeaf, { ...opts, at: T0 + 10 * DAY })), "ok");
  assert.equal(codeOf(await validateChain(shortLeaf, { ...opts, at: T0 + 20 * DAY })), "ok");
  const expired = await validateChain(shortLeaf, { ...opts, at: T0 + 20 * DAY + 1 });
  assert.equal(codeOf(expired), "CERT_NOT_VALID_AT_TIME");
  assert.match(
    expired.ok ? "" : expired.message,
    /"CN=Leaf,O=StellaOps Test".*2025-01-21T00:00:00Z/,
  );
  const early = await validateChain(shortLeaf, { ...opts, at: T0 + 10 * DAY - 1 });
  assert.equal(codeOf(early), "CERT_NOT_VALID_AT_TIME");
  // An expired root fails too.
  const oldRoot = cert({ subject: "Root", key: rootKey, ca: true, notAfter: T0 + DAY });
  const result = await validateChain(leaf, { roots: [oldRoot], intermediates: [inter], at: AT });
  assert.equal(codeOf(result), "CERT_NOT_VALID_AT_TIME");
  assert.match(result.ok ? "" : result.message, /CN=Root/);
});

Deno.test("validateChain() prefers a valid path over an expired one with the same names", async () => {
  const expiredInter = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: interKey,
    issuerKey: rootKey,
    ca: true,
    notAfter: T0 + DAY,
    serial: 9n,
  });
  const result = await validateChain(leaf, {
    roots: [root],
    intermediates: [expiredInter, inter],
    at: AT,
  });
  assert.equal(codeOf(result), "ok");
  assert.equal(result.chain[1]?.serialNumber, 1n);
});

Deno.test("validateChain() rejects a wrong issuer: same name, other key (CHAIN_UNTRUSTED)", async () => {
  const impostor = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: makeKey("p256"),
    issuerKey: rootKey,
    ca: true,
    ski: null,
  });
  const forged = cert({
    subject: "Leaf",
    issuer: "Intermediate",
    key: leafKey,
    issuerKey: interKey,
    aki: null,
  });
  const result = await validateChain(forged, { roots: [root], intermediates: [impostor], at: AT });
  assert.equal(codeOf(result), "CHAIN_UNTRUSTED");
  assert.match(result.ok ? "" : result.message, /does not verify/);
  // No certificate with the issuer's name at all.
  const orphan = await validateChain(leaf, { roots: [root], at: AT });
  assert.equal(codeOf(orphan), "CHAIN_UNTRUSTED");
  assert.match(orphan.ok ? "" : orphan.message, /issuer "CN=Intermediate,O=StellaOps Test"/);
  // No roots at all.
  assert.equal(
    codeOf(await validateChain(leaf, { roots: [], intermediates: [inter], at: AT })),
    "CHAIN_UNTRUSTED",
  );
});

Deno.test("validateChain() uses AKI/SKI to pick among issuers with the same name", async () => {
  const otherKey = makeKey("p256");
  const sameName = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: otherKey,
    issuerKey: rootKey,
    ca: true,
  });
  const result = await validateChain(leaf, {
    roots: [root],
    intermediates: [sameName, inter],
    at: AT,
  });
  assert.equal(codeOf(result), "ok");
  assert.deepEqual(result.chain[1]?.spki, inter.spki);
});

Deno.test("validateChain() rejects a non-CA issuer (ISSUER_NOT_CA)", async () => {
  const notCa = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: interKey,
    issuerKey: rootKey,
    ca: false,
  });
  const noBasicConstraints = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: interKey,
    issuerKey: rootKey,
    keyUsage: [KU.keyCertSign],
  });
  const noCertSign = cert({
    subject: "Intermediate",
    issuer: "Root",
    key: interKey,
    issuerKey: rootKey,
    ca: true,
    keyUsage: [KU.digitalSignature],
  });
  for (
    const [bad, why] of [
      [notCa, /not a CA/],
      [noBasicConstraints, /not a CA/],
      [noCertSign, /keyCertSign/],
    ] as const
  ) {
    const result = await validateChain(leaf, { roots: [root], intermediates: [bad], at: AT });
    assert.equal(codeOf(result), "ISSUER_NOT_CA");
    assert.match(result.ok ? "" : result.message, why);
  }
});

Deno.test("validateChain() honours pathLenConstraint (ISSUER_NOT_CA)", async () => {
  // inter has pathLen 0, so it may not issue another CA that issues the leaf.
  const subKey = makeKey("p256");
  const sub = cert({
    subject: "Sub",
    issuer: "Intermediate",
    key: subKey,
    issuerKey: interKey,
    ca: true,
  });
  const deepLeaf = cert({ subject: "Deep", issuer: "Sub", key: leafKey, issuerKey: subKey });
  const result = await validateChain(deepLeaf, {
    roots: [root],
    intermediates: [inter, sub],
    at: AT,
  });
  assert.equal(codeOf(result), "ISSUER_NOT_CA");
  assert.match(result.ok ? "" : result.message, /pathLenConstraint 0/);
});

Deno.test("validateChain() stops at loops (CHAIN_UNTRUSTED)", async () => {
  const aKey = makeKey("p256");
  const bKey = makeKey("p256");
  const a = cert({ subject: "A", issuer: "B", key: aKey, issuerKey: bKey, ca: true });
  const b = cert({ subject: "B", issuer: "A", key: bKey, issuerKey: aKey, ca: true });
  const looped = cert({ subject: "L", issuer: "A", key: leafKey, issuerKey: aKey });
  const result = await validateChain(looped, { roots: [root], intermediates: [a, b], at: AT });
  assert.equal(codeOf(result), "CHAIN_UNTRUSTED");
  assert.match(result.ok ? "" : result.message, /loops/);
  // A self-issued intermediate that is not an anchor also ends as untrusted.
  const self = cert({ subject: "Self", key: aKey, ca: true });
  const selfLeaf = cert({ subject: "S", issuer: "Self", key: leafKey, issuerKey: aKey });
  const alone = await validateChain(selfLeaf, { roots: [root], intermediates: [self], at: AT });
  assert.equal(codeOf(alone), "CHAIN_UNTRUSTED");
});

Deno.test("validateChain() bounds the path length (maxLength)", async () => {
  const keys = Array.from({ length: 12 }, () => makeKey("p256"));
  const certs: Certificate[] = [];
  certs.push(cert({ subject: "C0", key: keys[0]!, ca: true }));
  for (let i = 1; i < 12; i++) {
    certs.push(cert({
      subject: `C${i}`,
      issuer: `C${i - 1}`,
      key: keys[i]!,
      issuerKey: keys[i - 1]!,
      ca: i < 11,
    }));
  }
  const bottom = certs[11]!;
  const opts = { roots: [certs[0]!], intermediates: certs.slice(1, 11), at: AT };
  const tooLong = await validateChain(bottom, opts);
  assert.equal(codeOf(tooLong), "CHAIN_UNTRUSTED");
  assert.match(tooLong.ok ? "" : tooLong.message, /within 10 certificates/);
  const ok = await validateChain(bottom, { ...opts, maxLength: 12 });
  assert.equal(ok.chain.length, 12);
  assert.equal(codeOf(ok), "ok");
});

Deno.test("validateChain() refuses unknown critical extensions (CRITICAL_EXTENSION_UNSUPPORTED)", async () => {
  const odd = cert({
    subject: "Leaf",
    issuer: "Intermediate",
    key: leafKey,
    issuerKey: interKey,
    extra: [{ oid: "1.2.3.4.5", critical: true, value: encodeDerOctetString(new Uint8Array()) }],
  });
  const result = await validateChain(odd, { roots: [root], intermediates: [inter], at: AT });
  assert.equal(codeOf(result), "CRITICAL_EXTENSION_UNSUPPORTED");
  const fine = cert({
    subject: "Leaf",
    issuer: "Intermediate",
    key: leafKey,
    issuerKey: interKey,
    extra: [{ oid: "1.2.3.4.5", critical: false, value: encodeDerOctetString(new Uint8Array()) }],
  });
  assert.equal(
    codeOf(await validateChain(fine, { roots: [root], intermediates: [inter], at: AT })),
    "ok",
  );
});

Deno.test("validateChain() requireEku checks the leaf's extended key usage (EKU_MISSING)", async () => {
  const opts = { roots: [root], intermediates: [inter], at: AT };
  assert.equal(
    codeOf(await validateChain(leaf, { ...opts, requireEku: KEY_PURPOSES.timeStamping })),
    "ok",
  );
  assert.equal(
    codeOf(await validateChain(leaf, { ...opts, requireEku: KEY_PURPOSES.codeSigning })),
    "EKU_MISSING",
  );
  const plain = cert({
    subject: "Leaf",
    issuer: "Intermediate",
    key: leafKey,
    issuerKey: interKey,
  });
  assert.equal(
    codeOf(await validateChain(plain, { ...opts, requireEku: KEY_PURPOSES.timeStamping })),
    "EKU_MISSING",
  );
});

Deno.test("validateChain() misuse throws TypeError / RangeError", async () => {
  await assert.rejects(() => validateChain({} as Certificate, { roots: [], at: AT }), TypeError);
  await assert.rejects(
    () => validateChain(leaf, { roots: [new Uint8Array()] as unknown as Certificate[], at: AT }),
    TypeError,
  );
  await assert.rejects(() => validateChain(leaf, { roots: [root], at: Number.NaN }), RangeError);
  await assert.rejects(
    () => validateChain(leaf, { roots: [root], at: AT, maxLength: 0 }),
    RangeError,
  );
  assert.deepEqual([...CHAIN_FAILURE_CODES].sort(), [
    "CERT_NOT_VALID_AT_TIME",
    "CHAIN_UNTRUSTED",
    "CRITICAL_EXTENSION_UNSUPPORTED",
    "EKU_MISSING",
    "ISSUER_NOT_CA",
  ]);
});

Deno.test("verifyCertificateSignature() covers ECDSA, RSA PKCS#1 / PSS with SHA-2 and Ed25519", async () => {
  const cases: [string, CertSpec["key"], "sha256" | "sha384" | "sha512", boolean][] = [
    ["P-256 SHA-256", makeKey("p256"), "sha256", false],
    ["P-256 SHA-384", makeKey("p256"), "sha384", false],
    ["P-256 SHA-512", makeKey("p256"), "sha512", false],
    ["P-384 SHA-384", makeKey("p384"), "sha384", false],
    ["P-384 SHA-256", makeKey("p384"), "sha256", false],
    ["RSA SHA-256", makeKey("rsa"), "sha256", false],
    ["RSA SHA-512", makeKey("rsa"), "sha512", false],
    ["RSA-PSS SHA-256", makeKey("rsa"), "sha256", true],
    ["RSA-PSS SHA-384", makeKey("rsa"), "sha384", true],
    ["Ed25519", makeKey("ed25519"), "sha256", false],
  ];
  for (const [name, issuerKey, hash, pss] of cases) {
    const issuer = cert({ subject: "I", key: issuerKey, ca: true, hash, pss });
    const child = cert({ subject: "C", issuer: "I", key: leafKey, issuerKey, hash, pss });
    assert.equal(await verifyCertificateSignature(child, issuer), true, name);
    assert.equal(await verifyCertificateSignature(issuer, issuer), true, `${name} self-signed`);
    assert.equal(await verifyCertificateSignature(child, root), false, `${name} wrong key`);
    // Flip one bit of the signature.
    const der = buildCert({ subject: "C", issuer: "I", key: leafKey, issuerKey, hash, pss });
    der[der.length - 1]! ^= 1;
    assert.equal(
      await verifyCertificateSignature(parseCertificate(der), issuer),
      false,
      `${name} tampered`,
    );
  }
  await assert.rejects(
    () => verifyCertificateSignature(leaf, null as unknown as Certificate),
    TypeError,
  );
});

vectorTest(
  PYTHON,
  "validateChain() validates the sigstore-python test TSA chain from its trust root",
  async () => {
    const ca = await PYTHON.readJson("assets/tsa/ca.json");
    const [tsa, intermediate, tsaRoot] = ca.certChain.certificates.map((c: { rawBytes: string }) =>
      parseCertificate(decodeBase64(c.rawBytes))
    ) as Certificate[];
    const at = Date.parse("2024-10-31T10:23:39Z");
    const result = await validateChain(tsa!, {
      roots: [tsaRoot!],
      intermediates: [intermediate!],
      at,
      requireEku: KEY_PURPOSES.timeStamping,
    });
    assert.equal(codeOf(result), "ok");
    assert.deepEqual(result.chain.map((c) => c.subject.text), [
      "CN=Test TSA Timestamping,O=local",
      "CN=Test TSA Intermediate,O=local",
      "CN=Test TSA Root,O=local",
    ]);
    const before = await validateChain(tsa!, {
      roots: [tsaRoot!],
      intermediates: [intermediate!],
      at: Date.parse("2024-10-31T10:16:41Z"),
    });
    assert.equal(codeOf(before), "CERT_NOT_VALID_AT_TIME");
  },
);
