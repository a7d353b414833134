/**
 * in-toto-golang's DSSE envelopes (../shared/vectors/in-toto-golang, see SOURCE.md): RSASSA-PSS with
 * SHA-256, MGF1-SHA-256 and salt 32 over PAE, with alice's 2048-bit key and two 3072-bit keys
 * published inside the root layout.
 */
import assert from "node:assert/strict";
import { importKeyPem, type PublicKey, type Verifier } from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { decodeBase64Any } from "../../lib/encoding/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const INTOTO = vectorSet("in-toto-golang");

const readJson = (file: string) => INTOTO.readJson(`test/data/${file}`);

async function verifyEnvelope(file: string, verifier: Verifier): Promise<boolean> {
  const envelope = await readJson(file);
  assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
  assert.equal(envelope.signatures.length, 1);
  const pae = preAuthEncoding(envelope.payloadType, decodeBase64Any(envelope.payload));
  return verifier.verify(pae, decodeBase64Any(envelope.signatures[0].sig));
}

if (!INTOTO.present) {
  vectorTest(INTOTO, "in-toto-golang RSA-PSS envelopes", () => {});
} else {
  const alice = importKeyPem(await INTOTO.readText("test/data/alice.pub"), {
    algorithm: "rsa-pss-sha256",
  }) as PublicKey;
  const root = await readJson("dsse-only.root.layout");
  const layout = JSON.parse(new TextDecoder().decode(decodeBase64Any(root.payload)));
  const layoutKey = (keyid: string): PublicKey =>
    importKeyPem(layout.keys[keyid].keyval.public, { algorithm: "rsa-pss-sha256" }) as PublicKey;
  const CLONE_KEY = "776a00e29f3559e0141b3b096f696abc6cfb0c657ab40f441132b345b08453f5";
  const PACKAGE_KEY = "2f89b9272acfc8f4a0a0f094d789fdb0ba798b0fe41f2f5f417c12f0085ff498";

  const CASES: [file: string, key: () => PublicKey, bits: number][] = [
    ["demo.dsse.layout", () => alice, 2048],
    ["dsse-only.root.layout", () => alice, 2048],
    ["clone-dsse.776a00e2.link", () => layoutKey(CLONE_KEY), 3072],
    ["update-version-dsse.776a00e2.link", () => layoutKey(CLONE_KEY), 3072],
    ["package-dsse.2f89b927.link", () => layoutKey(PACKAGE_KEY), 3072],
  ];

  vectorTest(
    INTOTO,
    "in-toto-golang RSA-PSS envelopes verify with salt 32 and with any salt (5 envelopes)",
    async () => {
      let verified = 0;
      for (const [file, key, bits] of CASES) {
        assert.equal(key().bits, bits, file);
        assert.equal(await verifyEnvelope(file, createVerifier(key())), true, file);
        assert.equal(
          await verifyEnvelope(file, createVerifier(key(), { rsaPssSaltLength: "auto" })),
          true,
          file,
        );
        verified++;
      }
      assert.equal(verified, 5);
      // deno-lint-ignore no-console
      console.log(`in-toto-golang: ${verified} RSA-PSS envelopes verified`);
    },
  );

  vectorTest(
    INTOTO,
    "in-toto-golang envelopes fail with other salt lengths, schemes and keys",
    async () => {
      for (const salt of [0, 20, 64, 222]) {
        assert.equal(
          await verifyEnvelope(
            "demo.dsse.layout",
            createVerifier(alice, { rsaPssSaltLength: salt }),
          ),
          false,
          `salt ${salt}`,
        );
      }
      assert.equal(
        await verifyEnvelope(
          "demo.dsse.layout",
          createVerifier(alice, { algorithm: "rsa-pkcs1-sha256" }),
        ),
        false,
      );
      for (const [file, key] of CASES) {
        for (const other of [alice, layoutKey(CLONE_KEY), layoutKey(PACKAGE_KEY)]) {
          if (other.keyid === key().keyid) continue;
          assert.equal(
            await verifyEnvelope(file, createVerifier(other)),
            false,
            `${file} with another key`,
          );
        }
      }
    },
  );
}
