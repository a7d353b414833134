import assert from "node:assert/strict";
import {
  canonicalBytes,
  createSigner,
  generateKeyPair,
  type PrivateKey,
  signEnvelope,
  type Signer,
  ValidationError,
} from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { decodeBase64 } from "../../lib/encoding/mod.ts";
import { importHmacSecret } from "../../lib/keys/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";

const statement = {
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: "registry.example/app", digest: { sha256: "ab".repeat(32) } }],
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: { buildDefinition: { buildType: "https://example.com/build/v1" }, z: 1, a: [true] },
};
const ed = await generateKeyPair("ed25519") as PrivateKey;
const ec = await generateKeyPair("ecdsa-p256") as PrivateKey;
const hmac = importHmacSecret(new Uint8Array(32).fill(5));

Deno.test("signEnvelope signs a Statement as RFC 8785 bytes with the in-toto payloadType", async () => {
  const envelope = await signEnvelope(statement, [createSigner(ed)]);
  assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
  const payload = decodeBase64(envelope.payload);
  assert.deepEqual(payload, canonicalBytes(statement));
  assert.ok(
    new TextDecoder().decode(payload).startsWith(
      '{"_type":"https://in-toto.io/Statement/v1","predicate":{"a":[true],',
    ),
  );
  assert.equal(envelope.signatures.length, 1);
  assert.equal(envelope.signatures[0]!.keyid, ed.keyid);
  const pae = preAuthEncoding(envelope.payloadType, payload);
  assert.equal(
    await createVerifier(ed.publicKey).verify(pae, decodeBase64(envelope.signatures[0]!.sig)),
    true,
  );
  // Key order of the input does not matter, and deterministic signers give identical envelopes.
  const reordered = {
    predicate: statement.predicate,
    predicateType: statement.predicateType,
    subject: statement.subject,
    _type: statement._type,
  };
  assert.deepEqual(await signEnvelope(reordered, [createSigner(ed)]), envelope);
});

Deno.test("signEnvelope: several signers give signatures in signer order with their key ids", async () => {
  const signers = [
    createSigner(ec),
    createSigner(hmac),
    createSigner(ed, { keyid: "release-2025" }),
  ];
  const envelope = await signEnvelope({
    payloadType: "text/plain",
    payload: new TextEncoder().encode("hi"),
  }, signers);
  assert.equal(envelope.payloadType, "text/plain");
  assert.equal(envelope.payload, "aGk=");
  assert.deepEqual(envelope.signatures.map((s) => s.keyid), [ec.keyid, hmac.keyid, "release-2025"]);
  const pae = preAuthEncoding("text/plain", new TextEncoder().encode("hi"));
  const verifiers = [createVerifier(ec), createVerifier(hmac), createVerifier(ed)];
  for (const [i, verifier] of verifiers.entries()) {
    const sig = decodeBase64(envelope.signatures[i]!.sig);
    assert.equal(await verifier.verify(pae, sig), true, `signature ${i}`);
    // Each signature is bound to its own key only.
    assert.equal(await verifiers[(i + 1) % 3]!.verify(pae, sig), false);
  }
});

Deno.test("signEnvelope signs sequentially, in order", async () => {
  const calls: string[] = [];
  const slow = (name: string, delay: number): Signer => ({
    keyid: name,
    algorithm: "hmac-sha256",
    sign: async () => {
      calls.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      calls.push(`end ${name}`);
      return new Uint8Array([1]);
    },
  });
  await signEnvelope({ payloadType: "t", payload: new Uint8Array() }, [
    slow("a", 20),
    slow("b", 0),
  ]);
  assert.deepEqual(calls, ["start a", "end a", "start b", "end b"]);
});

Deno.test("signEnvelope refuses invalid statements, no signers and malformed input", async () => {
  await assert.rejects(
    signEnvelope({ ...statement, subject: [{ name: "x" }] }, [createSigner(ed)]),
    (error) => error instanceof ValidationError && error.problems[0]?.code === "DIGEST_REQUIRED",
  );
  // validate: false signs whatever JSON it is given.
  const unchecked = await signEnvelope({ ...statement, subject: [] }, [createSigner(ed)], {
    validate: false,
  });
  assert.equal(unchecked.payloadType, "application/vnd.in-toto+json");
  await assert.rejects(signEnvelope(statement, []), RangeError);
  await assert.rejects(signEnvelope(statement, [{} as Signer]), TypeError);
  await assert.rejects(
    signEnvelope(null as unknown as typeof statement, [createSigner(ed)]),
    TypeError,
  );
  // A failing signer fails the whole call: no partial envelope.
  const failing: Signer = {
    keyid: "x",
    algorithm: "ed25519",
    sign: () => Promise.reject(new Error("HSM offline")),
  };
  await assert.rejects(signEnvelope(statement, [createSigner(ed), failing]), {
    message: "HSM offline",
  });
});
