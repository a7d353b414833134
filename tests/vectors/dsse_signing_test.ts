/**
 * The DSSE spec's test vector (../shared/vectors/dsse/spec-example.json, see SOURCE.md): our
 * deterministic RFC 6979 ECDSA P-256 signer reproduces the published signature byte for byte,
 * and both published envelopes verify with a P1363-accepting verifier.
 */
import assert from "node:assert/strict";
import {
  createSigner,
  type DsseEnvelope,
  exportPublicKeyPem,
  importKeyPem,
  type PrivateKey,
  type PublicKey,
  signEnvelope,
} from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { decodeBase64Any, encodeBase64Url } from "../../lib/encoding/mod.ts";
import { exportJwk, importJwk } from "../../lib/keys/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const DSSE = vectorSet("dsse");

if (!DSSE.present) {
  vectorTest(DSSE, "DSSE spec example: signing and verification", () => {});
} else {
  const vector = JSON.parse(
    await DSSE.readText("spec-example.json"),
  );
  const payload = new TextEncoder().encode(vector.payloadUtf8);
  const pae = preAuthEncoding(vector.payloadType, payload);
  const key = importKeyPem(vector.key.privateKeyPkcs8Pem_derived) as PrivateKey;
  const fromDecimal = (decimal: string): string =>
    encodeBase64Url(Uint8Array.fromHex(BigInt(decimal).toString(16).padStart(64, "0")));

  vectorTest(DSSE, "the spec key's encodings (decimal, PKCS#8, SPKI, JWK) are one key", () => {
    assert.equal(new TextDecoder().decode(pae), vector.pae);
    assert.equal(pae.toHex(), vector.paeHex_derived);
    assert.equal(key.type, "ecdsa-p256");
    const jwk = exportJwk(key);
    assert.deepEqual(
      { x: jwk.x, y: jwk.y, d: jwk.d },
      {
        x: fromDecimal(vector.key.x_decimal),
        y: fromDecimal(vector.key.y_decimal),
        d: fromDecimal(vector.key.d_decimal),
      },
    );
    assert.equal(importJwk(vector.key.jwk_derived).keyid, key.keyid);
    const spki = importKeyPem(vector.key.publicKeySpkiPem_derived) as PublicKey;
    assert.equal(spki.keyid, key.keyid);
    assert.equal(exportPublicKeyPem(key), vector.key.publicKeySpkiPem_derived);
  });

  vectorTest(
    DSSE,
    "our RFC 6979 signer reproduces the spec signature (DER and P1363) byte for byte",
    async () => {
      const der = await createSigner(key).sign(pae);
      assert.equal(der.toHex(), vector.signatureDerHex_derived);
      const p1363 = await createSigner(key, { ecdsaSignatureFormat: "p1363" }).sign(pae);
      assert.equal(p1363.toBase64(), vector.signatureBase64);
      // signEnvelope with the spec's demo keyid reproduces the doctest envelope exactly.
      const envelope = await signEnvelope({ payloadType: vector.payloadType, payload }, [
        createSigner(key, { ecdsaSignatureFormat: "p1363", keyid: "66301bbf" }),
      ]);
      assert.deepEqual(envelope, vector.envelope_signing_spec_doctest);
    },
  );

  vectorTest(DSSE, "both spec envelopes verify with the P1363 option, and not as DER", async () => {
    const p1363 = createVerifier(key.publicKey, { ecdsaSignatureFormat: "p1363" });
    const either = createVerifier(key.publicKey, { ecdsaSignatureFormat: "der-or-p1363" });
    const derOnly = createVerifier(key.publicKey);
    for (const name of ["envelope_protocol_md", "envelope_signing_spec_doctest"]) {
      const envelope: DsseEnvelope = vector[name];
      const body = decodeBase64Any(envelope.payload);
      assert.equal(new TextDecoder().decode(body), vector.expect.verifiedPayload);
      const envelopePae = preAuthEncoding(envelope.payloadType, body);
      const sig = decodeBase64Any(envelope.signatures[0]!.sig);
      assert.equal(await p1363.verify(envelopePae, sig), true, name);
      assert.equal(await either.verify(envelopePae, sig), true, name);
      assert.equal(await derOnly.verify(envelopePae, sig), false, name);
    }
  });

  vectorTest(DSSE, "standard mutations of the spec envelope fail", async () => {
    const verifier = createVerifier(key.publicKey, { ecdsaSignatureFormat: "der-or-p1363" });
    const sig = decodeBase64Any(vector.signatureBase64);
    const flipped = payload.slice();
    flipped[0]! ^= 1;
    assert.equal(await verifier.verify(preAuthEncoding(vector.payloadType, flipped), sig), false);
    assert.equal(
      await verifier.verify(preAuthEncoding("http://example.com/HelloWorlD", payload), sig),
      false,
    );
    assert.equal(await verifier.verify(pae, sig.subarray(0, 63)), false);
    assert.equal(await verifier.verify(payload, sig), false); // signature is over PAE, not the payload
    const der = Uint8Array.fromHex(vector.signatureDerHex_derived);
    assert.equal(await verifier.verify(pae, der), true);
    assert.equal(await verifier.verify(pae, der.subarray(0, der.length - 1)), false);
  });
}
