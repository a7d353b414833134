import assert from "node:assert/strict";
import {
  encodeDerBitString,
  encodeDerContext,
  encodeDerInteger,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
  encodeDerTlv,
} from "../../lib/encoding/der.ts";
import { decodeBase64, encodeBase64, encodeHex, encodePem } from "../../lib/encoding/mod.ts";
import { KEY_PURPOSES, parseCertificate, parseCertificatesPem } from "../../lib/keys/mod.ts";
import { buildCert, encodeName, KU, makeKey, T0 } from "./_x509_builder.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const PYTHON = vectorSet("sigstore-python");
const SIGSTORE_GO = vectorSet("sigstore-go");

/** The sigstore-python test TSA chain: leaf, intermediate, root (DER). */
async function tsaChain(): Promise<Uint8Array[]> {
  const ca = await PYTHON.readJson("assets/tsa/ca.json");
  return ca.certChain.certificates.map((c: { rawBytes: string }) => decodeBase64(c.rawBytes));
}

/** A chain of three certificates built here: leaf, intermediate, root (DER). */
function ownChain(): Uint8Array[] {
  const rootKey = makeKey("p256");
  const intermediateKey = makeKey("p256");
  return [
    buildCert({
      subject: "Leaf",
      issuer: "Intermediate",
      key: makeKey("p256"),
      issuerKey: intermediateKey,
    }),
    buildCert({
      subject: "Intermediate",
      issuer: "Root",
      key: intermediateKey,
      issuerKey: rootKey,
      ca: true,
    }),
    buildCert({ subject: "Root", key: rootKey, ca: true }),
  ];
}

vectorTest(
  PYTHON,
  "parseCertificate() reads the sigstore-python test TSA chain (RFC 5280 §4.1)",
  async () => {
    const caChain = await tsaChain();
    const [leaf, intermediate, root] = caChain.map((der) => parseCertificate(der));
    assert.ok(leaf && intermediate && root);
    assert.equal(leaf.version, 3);
    assert.equal(leaf.subject.text, "CN=Test TSA Timestamping,O=local");
    assert.equal(leaf.issuer.text, "CN=Test TSA Intermediate,O=local");
    assert.deepEqual(leaf.subject.attributes.map((a) => [a.type, a.value]), [
      ["O", "local"],
      ["CN", "Test TSA Timestamping"],
    ]);
    assert.equal(leaf.serialNumber.toString(16), "2e4d4f8c8b5988e4a823e987a9d9127dc448612d");
    assert.equal(new Date(leaf.notBefore).toISOString(), "2024-10-31T10:16:42.000Z");
    assert.equal(new Date(leaf.notAfter).toISOString(), "2033-10-31T10:19:42.000Z");
    assert.equal(leaf.signatureAlgorithm.oid, "1.2.840.10045.4.3.2");
    assert.equal(leaf.signatureAlgorithm.parameters, undefined);
    assert.deepEqual(leaf.extensions.extKeyUsage, {
      critical: true,
      purposes: [KEY_PURPOSES.timeStamping],
    });
    assert.deepEqual(leaf.extensions.keyUsage, { critical: true, usages: ["digitalSignature"] });
    assert.equal(leaf.extensions.basicConstraints, undefined);
    // The leaf's authority key identifier is the intermediate's subject key identifier.
    assert.equal(
      encodeHex(leaf.extensions.authorityKeyIdentifier!.keyIdentifier!),
      encodeHex(intermediate.extensions.subjectKeyIdentifier!),
    );
    assert.deepEqual(intermediate.extensions.basicConstraints, { critical: true, ca: true });
    assert.deepEqual(intermediate.extensions.keyUsage?.usages, ["keyCertSign", "cRLSign"]);
    assert.equal(intermediate.extensions.extKeyUsage?.critical, false);
    assert.equal(root.subject.text, root.issuer.text);
    assert.deepEqual(root.subject.der, root.issuer.der);
    assert.deepEqual(leaf.der, caChain[0]);
    assert.deepEqual(leaf.extensions.all.map((e) => e.oid), [
      "2.5.29.15",
      "2.5.29.14",
      "2.5.29.35",
      "2.5.29.37",
    ]);
  },
);

Deno.test("parseCertificate() keeps a private copy of the input", () => {
  const original = buildCert({ subject: "Root", key: makeKey("p256"), ca: true });
  const der = original.slice();
  const cert = parseCertificate(der);
  der.fill(0);
  assert.equal(cert.subject.text, "CN=Root,O=StellaOps Test");
  assert.deepEqual(cert.der, original);
});

vectorTest(
  SIGSTORE_GO,
  "parseCertificate() reads Fulcio subjectAltName URIs and otherName (sigstore-go)",
  async () => {
    const bundle = await SIGSTORE_GO.readJson("bundles/othername.sigstore.json");
    const material = bundle.verificationMaterial;
    const raw = material.certificate?.rawBytes ??
      material.x509CertificateChain.certificates[0].rawBytes;
    const cert = parseCertificate(decodeBase64(raw));
    assert.equal(cert.subject.text, "");
    assert.equal(cert.extensions.subjectAltName?.critical, true);
    assert.deepEqual(cert.extensions.subjectAltName?.names, [
      { type: "otherName", value: "foo!oidc.local", typeId: "1.3.6.1.4.1.57264.1.7" },
    ]);
    assert.deepEqual(cert.extensions.extKeyUsage?.purposes, [KEY_PURPOSES.codeSigning]);
    // Fulcio's own extensions are kept raw with their flags.
    assert.ok(cert.extensions.all.some((e) => e.oid === "1.3.6.1.4.1.57264.1.1" && !e.critical));
  },
);

Deno.test("parseCertificate() writes names as RFC 4514 strings with escapes", () => {
  const key = makeKey("p256");
  const subject = encodeName([
    ["2.5.4.6", "DE"],
    ["2.5.4.10", "Acme, Inc."],
    ["2.5.4.3", "#lead+trail "],
    ["2.5.4.11", " <a;b>"],
    ["1.2.3.4", "x"],
  ]);
  const cert = parseCertificate(buildCert({ subject, key }));
  assert.equal(
    cert.subject.text,
    String.raw`1.2.3.4=x,OU=\ \<a\;b\>,CN=\#lead\+trail\ ,O=Acme\, Inc.,C=DE`,
  );
});

Deno.test("parseCertificate() reads basicConstraints pathLen, key usage and EKU flags", () => {
  const key = makeKey("p256");
  const cert = parseCertificate(buildCert({
    subject: "CA",
    key,
    ca: true,
    pathLength: 2,
    keyUsage: [KU.digitalSignature, KU.keyCertSign],
    eku: [KEY_PURPOSES.timeStamping, KEY_PURPOSES.codeSigning],
    ekuCritical: false,
  }));
  assert.deepEqual(cert.extensions.basicConstraints, { critical: true, ca: true, pathLength: 2 });
  assert.deepEqual(cert.extensions.keyUsage?.usages, ["digitalSignature", "keyCertSign"]);
  assert.deepEqual(cert.extensions.extKeyUsage, {
    critical: false,
    purposes: [KEY_PURPOSES.timeStamping, KEY_PURPOSES.codeSigning],
  });
  assert.equal(cert.serialNumber, 1n);
});

Deno.test("parseCertificatesPem() reads every CERTIFICATE block of a bundle", () => {
  const pem = "roots\n" + ownChain().map((der) => encodePem("CERTIFICATE", der)).join("") +
    encodePem("PUBLIC KEY", new Uint8Array([1]));
  const certs = parseCertificatesPem(pem, { name: "roots.pem" });
  assert.deepEqual(certs.map((c) => c.subject.attributes[1]?.value), [
    "Leaf",
    "Intermediate",
    "Root",
  ]);
  assert.throws(() => parseCertificatesPem(encodePem("PUBLIC KEY", new Uint8Array([1]))), {
    code: "PEM_LABEL_MISMATCH",
  });
  assert.throws(
    () => parseCertificatesPem(encodePem("CERTIFICATE", new Uint8Array([0x30, 0]))),
    { code: "CERT_INVALID" },
  );
});

// Negative cases: each is a certificate that must not parse.
const key = makeKey("p256");
const good = buildCert({ subject: "Leaf", key });

function reencode(tbsEdit: (parts: Uint8Array[]) => Uint8Array[]): Uint8Array {
  // Split a built certificate into its TBS children, edit them, and re-assemble (unsigned).
  const cert = parseCertificate(good);
  const tbs = cert.tbs;
  const children: Uint8Array[] = [];
  let offset = tbs[1]! & 0x80 ? 2 + (tbs[1]! & 0x7f) : 2;
  while (offset < tbs.length) {
    const lenByte = tbs[offset + 1]!;
    const header = lenByte & 0x80 ? 2 + (lenByte & 0x7f) : 2;
    let length = lenByte & 0x80 ? 0 : lenByte;
    if (lenByte & 0x80) {
      for (let i = 0; i < (lenByte & 0x7f); i++) length = length * 256 + tbs[offset + 2 + i]!;
    }
    children.push(tbs.subarray(offset, offset + header + length));
    offset += header + length;
  }
  const algorithm = encodeDerSequence([encodeDerOid("1.2.840.10045.4.3.2")]);
  return encodeDerSequence([
    encodeDerSequence(tbsEdit(children)),
    algorithm,
    encodeDerBitString(cert.signature),
  ]);
}

const NEGATIVES: [string, () => Uint8Array][] = [
  ["truncated", () => good.subarray(0, good.length - 1)],
  ["trailing byte", () => new Uint8Array([...good, 0])],
  ["empty", () => new Uint8Array()],
  ["not a sequence", () => encodeDerOctetString(good)],
  [
    "inner and outer signature algorithms differ",
    () =>
      buildCert({
        subject: "Leaf",
        key,
        innerAlgorithm: encodeDerSequence([encodeDerOid("1.2.840.10045.4.3.3")]),
      }),
  ],
  ["explicit v1 version", () => buildCert({ subject: "Leaf", key, version: 0 })],
  ["version 4", () => buildCert({ subject: "Leaf", key, version: 3 })],
  ["extensions in a v1 certificate", () => buildCert({ subject: "Leaf", key, version: null })],
  [
    "duplicate extension",
    () =>
      buildCert({
        subject: "Leaf",
        key,
        extra: [{ oid: "2.5.29.15", value: encodeDerBitString(new Uint8Array([0x80]), 7) }],
      }),
  ],
  [
    "empty extKeyUsage",
    () => buildCert({ subject: "Leaf", key, eku: [] }),
  ],
  [
    "malformed basicConstraints",
    () =>
      buildCert({
        subject: "Leaf",
        key,
        extra: [{ oid: "2.5.29.19", value: encodeDerSequence([encodeDerInteger(-1)]) }],
      }),
  ],
  [
    "negative serial number",
    () => reencode((parts) => [parts[0]!, encodeDerInteger(-5n), ...parts.slice(2)]),
  ],
  [
    "non-minimal serial number",
    () =>
      reencode((
        parts,
      ) => [parts[0]!, encodeDerTlv(0x02, new Uint8Array([0, 1])), ...parts.slice(2)]),
  ],
  [
    "time with an offset",
    () =>
      reencode((parts) => [
        ...parts.slice(0, 4),
        encodeDerSequence([
          encodeDerTlv(0x17, new TextEncoder().encode("250101000000+0100")),
          encodeDerTlv(0x17, new TextEncoder().encode("350101000000Z")),
        ]),
        ...parts.slice(5),
      ]),
  ],
  [
    "signature BIT STRING with unused bits",
    () => {
      const cert = parseCertificate(good);
      return encodeDerSequence([
        cert.tbs,
        encodeDerSequence([encodeDerOid("1.2.840.10045.4.3.2")]),
        encodeDerBitString(cert.signature, 1),
      ]);
    },
  ],
  [
    "empty extensions",
    () => reencode((parts) => [...parts.slice(0, 7), encodeDerContext(3, encodeDerSequence([]))]),
  ],
];

for (const [why, make] of NEGATIVES) {
  Deno.test(`parseCertificate() rejects a certificate: ${why} (CERT_INVALID)`, () => {
    assert.throws(() => parseCertificate(make(), { name: "leaf.der" }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, "CERT_INVALID");
      assert.match((error as Error).message, /^Cannot parse certificate "leaf\.der": /);
      return true;
    });
  });
}

Deno.test("parseCertificate() refuses non-bytes with a TypeError", () => {
  assert.throws(() => parseCertificate(encodeBase64(good) as unknown as Uint8Array), TypeError);
});

Deno.test("parseCertificate() accepts a certificate valid from far past to 2050+ (GeneralizedTime)", () => {
  const cert = parseCertificate(
    buildCert({ subject: "Long", key, notBefore: T0, notAfter: Date.UTC(2060, 5, 1) }),
  );
  assert.equal(new Date(cert.notAfter).toISOString(), "2060-06-01T00:00:00.000Z");
});
