/**
 * sigstore/cosign key fixtures (../shared/vectors/cosign/keys, see SOURCE.md and manifest.json) and
 * the real cosign-signed DSSE signature of the OCI attestation bundle.
 *
 * Deliberate differences from cosign (documented here and in lib/keys):
 * - `import/validecp521.pem` (P-521) loads in cosign but is refused here with KEY_UNSUPPORTED:
 *   the toolkit signs and verifies only P-256 and P-384.
 * - `import/invalidrsawithpubkey.pem` is a valid PUBLIC KEY; our generic PEM import loads it as a
 *   public key, so "import a private key" fails exactly as in cosign (the test checks `kind`).
 * - Every other case gives cosign's verdict.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { exportPublicKeyPem, importKeyPem, type PrivateKey } from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { DerReader } from "../../lib/encoding/der.ts";
import { decodeBase64, decodePem } from "../../lib/encoding/mod.ts";
import { decryptCosignKey, importSpki } from "../../lib/keys/mod.ts";
import { decryptCosignKeyBytes } from "../../lib/keys/_cosign_box.ts";
import { preAuthEncoding } from "../../lib/model/dsse.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const COSIGN = vectorSet("cosign");
const manifest = COSIGN.present ? await COSIGN.readJson("keys/manifest.json") : {};
const read = (file: string): Promise<string> => COSIGN.readText(`keys/${file}`);

interface ImportCase {
  file: string;
  expect: "ok" | "error";
}
interface EncryptedCase {
  file: string;
  password: string;
  wrongPassword: string;
  expect: "ok" | "error";
  "decryptedPlaintextFormat_derived": string;
  "decryptedPlaintextLength_derived": number;
  "publicKeyPem_derived": string;
}

/** Our verdict per import fixture: `ok` with the key type and size, or the error code. */
const IMPORT_VERDICTS: Record<
  string,
  { type: string; bits: number } | { code: string } | "public"
> = {
  "import/validrsa.pem": { type: "rsa", bits: 2048 },
  "import/validrsapkcs1.pem": { type: "rsa", bits: 2048 },
  "import/validrsapkcs8.pem": { type: "rsa", bits: 2048 },
  "import/invalidrsawithpubkey.pem": "public",
  "import/invalidrsasmallkey.pem": { code: "KEY_UNSUPPORTED" },
  "import/invalidrsalargekey.pem": { code: "KEY_UNSUPPORTED" },
  "import/validecp256.pem": { type: "ecdsa-p256", bits: 256 },
  "import/validecp384.pem": { type: "ecdsa-p384", bits: 384 },
  "import/validecp521.pem": { code: "KEY_UNSUPPORTED" }, // deliberate: no P-521 support
  "import/validecpkcs8.pem": { type: "ecdsa-p256", bits: 256 },
  "import/invalidecp224.pem": { code: "KEY_UNSUPPORTED" },
  "import/invalidecunsupported.pem": { code: "KEY_UNSUPPORTED" },
  "import/ed25519key.pem": { type: "ed25519", bits: 256 },
  // PGP armor is not PEM: its "=checksum" line makes the body invalid base64.
  "import/invalidkey.pem": { code: "PEM_INVALID" },
};

vectorTest(COSIGN, "cosign import fixtures load or fail as listed (14 cases)", async () => {
  const cases: ImportCase[] = manifest.importCases;
  assert.equal(cases.length, 14);
  assert.deepEqual(cases.map((c) => c.file).sort(), Object.keys(IMPORT_VERDICTS).sort());
  let agree = 0;
  for (const c of cases) {
    const verdict = IMPORT_VERDICTS[c.file]!;
    const text = await read(c.file);
    if (typeof verdict === "object" && "code" in verdict) {
      assert.throws(() => importKeyPem(text, { name: c.file }), { code: verdict.code }, c.file);
      if (c.expect === "error") agree++;
    } else if (verdict === "public") {
      const key = importKeyPem(text, { name: c.file });
      assert.equal(key.kind, "public", c.file);
      assert.equal(c.expect, "error"); // cosign wants a private key here
      agree++;
    } else {
      const key = importKeyPem(text, { name: c.file });
      assert.equal(key.kind, "private", c.file);
      assert.equal(key.type, verdict.type, c.file);
      assert.equal(key.bits, verdict.bits, c.file);
      assert.equal(c.expect, "ok", c.file);
      agree++;
    }
  }
  // 13 of 14 agree with cosign; the P-521 key is the one deliberate difference.
  assert.equal(agree, 13);
  return cases.length;
});

vectorTest(
  COSIGN,
  "cosign encrypted keys decrypt with the listed password to the listed public keys",
  async () => {
    const cases: EncryptedCase[] = manifest.encryptedCases;
    assert.equal(cases.length, 3);
    let ok = 0;
    for (const c of cases) {
      const text = await read(c.file);
      if (c.expect === "ok") {
        const key: PrivateKey = await decryptCosignKey(text, c.password, { name: c.file });
        assert.equal(exportPublicKeyPem(key.publicKey), c["publicKeyPem_derived"], c.file);
        assert.equal(key.type, "ecdsa-p256");
        // Key id: sha256 of the SPKI DER, computed independently from the listed public key.
        const spki = decodePem(c["publicKeyPem_derived"], { label: "PUBLIC KEY" }).bytes;
        assert.equal(key.keyid, createHash("sha256").update(spki).digest("hex"));
        ok++;
      } else {
        // The SEC1 plaintext: cosign refuses it, and so do we (KEY_INVALID, not a decryption error).
        await assert.rejects(decryptCosignKey(text, c.password, { name: c.file }), {
          code: "KEY_INVALID",
          message: /SEC1/,
        });
      }
      // The decryption itself works for all three: the plaintext has the listed size and format.
      const plaintext = await decryptCosignKeyBytes(text, c.password, c.file);
      assert.equal(plaintext.length, c["decryptedPlaintextLength_derived"], c.file);
      const der = c["decryptedPlaintextFormat_derived"] === "SEC1"
        ? importKeyPem(
          `-----BEGIN EC PRIVATE KEY-----\n${plaintext.toBase64()}\n-----END EC PRIVATE KEY-----\n`,
        )
        : importKeyPem(
          `-----BEGIN PRIVATE KEY-----\n${plaintext.toBase64()}\n-----END PRIVATE KEY-----\n`,
        );
      assert.equal(exportPublicKeyPem(der), c["publicKeyPem_derived"], c.file);
      // A wrong password fails authentication, with no secret in the message.
      await assert.rejects(decryptCosignKey(text, c.wrongPassword, { name: c.file }), (error) => {
        assert.equal((error as { code?: string }).code, "KEY_DECRYPTION_FAILED");
        const message = (error as Error).message;
        assert.equal(
          message,
          `Cannot decrypt key "${c.file}": wrong password or corrupted key file`,
        );
        assert.ok(!message.includes(c.password));
        return true;
      });
    }
    assert.equal(ok, 2);
    return cases.length;
  },
);

vectorTest(COSIGN, "a tampered cosign key fails authentication", async () => {
  const text = await read("encrypted/pemsigstorekey.pem");
  const doc = JSON.parse(new TextDecoder().decode(decodePem(text).bytes));
  const ciphertext = decodeBase64(doc.ciphertext);
  ciphertext[20]! ^= 1;
  doc.ciphertext = ciphertext.toBase64();
  const tampered = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${
    new TextEncoder().encode(JSON.stringify(doc)).toBase64()
  }\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
  await assert.rejects(decryptCosignKey(tampered, "hello"), { code: "KEY_DECRYPTION_FAILED" });
});

/** The SubjectPublicKeyInfo and signature parts of an X.509 certificate (RFC 5280 §4.1). */
function certificateParts(
  der: Uint8Array,
): { tbs: Uint8Array; spki: Uint8Array; signature: Uint8Array } {
  const cert = new DerReader(der).readSequence();
  const tbsElement = cert.readElement(0x30);
  cert.readSequence(); // signatureAlgorithm
  const signature = cert.readBitStringBytes();
  cert.end();
  const tbs = DerReader.over(tbsElement);
  tbs.readOptionalContext(0); // version
  tbs.readInteger(); // serialNumber
  tbs.readSequence(); // signature
  tbs.readSequence(); // issuer
  tbs.readSequence(); // validity
  tbs.readSequence(); // subject
  const spki = tbs.readElement(0x30).raw;
  return { tbs: tbsElement.raw, spki, signature };
}

vectorTest(
  COSIGN,
  "the cosign-signed OCI attestation verifies with our ECDSA verifiers",
  async () => {
    const bundle = JSON.parse(
      await COSIGN.readText("oci-attestation/oci-attestation.sigstore.json"),
    );
    const root = JSON.parse(
      await COSIGN.readText("oci-attestation/trusted_root_pgi.json"),
    );
    const leaf = certificateParts(decodeBase64(bundle.verificationMaterial.certificate.rawBytes));
    // The DSSE signature (ECDSA P-256, ASN.1 DER, as cosign writes it) over PAE.
    const envelope = bundle.dsseEnvelope;
    const pae = preAuthEncoding(envelope.payloadType, decodeBase64(envelope.payload));
    const signature = decodeBase64(envelope.signatures[0].sig);
    const leafKey = importSpki(leaf.spki);
    assert.equal(leafKey.type, "ecdsa-p256");
    const verifier = createVerifier(leafKey);
    assert.equal(await verifier.verify(pae, signature), true);
    const tampered = pae.slice();
    tampered[tampered.length - 2]! ^= 1;
    assert.equal(await verifier.verify(tampered, signature), false);
    // The leaf certificate's signature (ECDSA P-384 / SHA-384) by the Fulcio intermediate.
    const chain = root.certificateAuthorities[1].certChain.certificates;
    const intermediate = certificateParts(decodeBase64(chain[0].rawBytes));
    const caKey = importSpki(intermediate.spki);
    assert.equal(caKey.type, "ecdsa-p384");
    assert.equal(await createVerifier(caKey).verify(leaf.tbs, leaf.signature), true);
    assert.equal(await createVerifier(caKey).verify(leaf.tbs.subarray(1), leaf.signature), false);
  },
);
