// Vector suite for secure-systems-lab/dsse (../shared/vectors/dsse/, see its SOURCE.md): the PAE of
// the official test vector and parsing of both published envelopes. Signature verification of
// these envelopes is covered by the sign/verify suites.
import assert from "node:assert/strict";
import { parseEnvelope, serializeEnvelope } from "../../mod.ts";
import { decodeBase64, decodeHex, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

interface SpecExample {
  payloadType: string;
  payloadUtf8: string;
  payloadBase64: string;
  pae: string;
  "paeHex_derived": string;
  signatureBase64: string;
  "envelope_protocol_md": unknown;
  "envelope_signing_spec_doctest": unknown;
}

const DSSE = vectorSet("dsse");

if (!DSSE.present) {
  vectorTest(DSSE, "DSSE spec example: PAE and parsing", () => {});
} else {
  const example: SpecExample = JSON.parse(
    await DSSE.readText("spec-example.json"),
  );

  vectorTest(DSSE, "dsse spec: PAE of the test vector equals `pae` and `paeHex_derived`", () => {
    const pae = preAuthEncoding(example.payloadType, encodeUtf8(example.payloadUtf8));
    assert.deepEqual(pae, encodeUtf8(example.pae));
    assert.deepEqual(pae, decodeHex(example.paeHex_derived));
    assert.equal(example.pae, "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  });

  for (const key of ["envelope_protocol_md", "envelope_signing_spec_doctest"] as const) {
    vectorTest(
      DSSE,
      `dsse spec: ${key} parses with the vector's payload, type and signature`,
      () => {
        const text = JSON.stringify(example[key]);
        const parsed = parseEnvelope(text, { name: key });
        assert.equal(parsed.payloadType, "http://example.com/HelloWorld");
        assert.equal(parsed.payload, example.payloadBase64);
        assert.equal(new TextDecoder().decode(parsed.payloadBytes), example.payloadUtf8);
        assert.equal(parsed.signatures.length, 1);
        assert.equal(parsed.signatures[0]?.sig, example.signatureBase64);
        assert.deepEqual(parsed.signatures[0]?.sigBytes, decodeBase64(example.signatureBase64));
        assert.equal(parsed.signatures[0]?.sigBytes.length, 64);
        assert.equal(
          parsed.signatures[0]?.keyid,
          key === "envelope_signing_spec_doctest" ? "66301bbf" : undefined,
        );
        // The PAE a verifier computes from the parsed envelope is the vector's.
        assert.deepEqual(
          preAuthEncoding(parsed.payloadType, parsed.payloadBytes),
          encodeUtf8(example.pae),
        );
        // Canonical re-serialisation is stable and parses back to the same envelope.
        const canonical = serializeEnvelope(parsed);
        assert.equal(serializeEnvelope(parseEnvelope(canonical)), canonical);
      },
    );
  }

  vectorTest(
    DSSE,
    "dsse spec: the protocol.md envelope text (spaces, newlines) parses as published",
    () => {
      const published =
        '{"payload": "aGVsbG8gd29ybGQ=",\n "payloadType": "http://example.com/HelloWorld",\n' +
        ' "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}';
      const parsed = parseEnvelope(published);
      assert.equal(
        serializeEnvelope(parsed),
        serializeEnvelope(parseEnvelope(JSON.stringify(example.envelope_protocol_md))),
      );
    },
  );
}
