import assert from "node:assert/strict";
import { signEnvelope, type Signer, ValidationError } from "../../mod.ts";
import type { KeyRing, RotationEvent } from "../../lib/sign/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import { rotateKeyRing, RotatingSigner } from "../../lib/sign/mod.ts";

import { testEd25519Key } from "./_test_signers.ts";

const [A, B, C] = await Promise.all([1, 2, 3].map((s) => testEd25519Key(s)));
const data = new TextEncoder().encode("DSSEv1 10 text/plain 2 hi");

/** A starts 2025-01-01; rotated to B at 2025-02-01 with a 12 h overlap. */
function ring(): KeyRing {
  const initial: KeyRing = {
    keys: [{
      keyid: A!.keyid,
      algorithm: "ed25519",
      publicKey: A!.publicKeyPem,
      validFrom: "2025-01-01T00:00:00Z",
      status: "active",
    }],
  };
  return rotateKeyRing(
    initial,
    { keyid: B!.keyid, algorithm: "ed25519", publicKey: B!.publicKeyPem },
    "2025-02-01T00:00:00Z",
    { overlap: 12 * 3_600_000 },
  );
}

Deno.test("RotatingSigner signs with the key valid at the time each call names", async () => {
  const signer = new RotatingSigner(ring(), [A!.signer, B!.signer]);
  const before = await signer.sign(data, "2025-01-31T23:59:59Z");
  assert.equal(before.keyid, A!.keyid);
  assert.equal(before.algorithm, "ed25519");
  assert.equal(await A!.verify(data, before.signature), true);
  const overlap = await signer.sign(data, "2025-02-01T06:00:00Z");
  assert.equal(overlap.keyid, B!.keyid); // during the overlap the new key signs
  assert.equal(await B!.verify(data, overlap.signature), true);
  assert.equal(await A!.verify(data, overlap.signature), false);
  const later = await signer.sign(data, Date.UTC(2026, 0, 1));
  assert.equal(later.keyid, B!.keyid);
  assert.equal(signer.keyAt("2025-01-15T00:00:00Z").keyid, A!.keyid);
});

Deno.test("RotatingSigner fires onRotate only when the key changes between calls", async () => {
  const events: RotationEvent[] = [];
  const signer = new RotatingSigner(
    ring(),
    new Map([[A!.keyid, A!.signer], [B!.keyid, B!.signer]]),
    {
      onRotate: (event) => void events.push(event),
    },
  );
  await signer.sign(data, "2025-01-10T00:00:00Z"); // first call: nothing to compare with
  await signer.sign(data, "2025-01-20T00:00:00Z");
  assert.deepEqual(events, []);
  await signer.sign(data, "2025-02-01T01:00:00+01:00"); // = 2025-02-01T00:00:00Z, rotation instant
  await signer.sign(data, "2025-02-02T00:00:00Z");
  signer.at("2025-01-05T00:00:00Z"); // a backdated call goes back to the old key
  assert.deepEqual(events, [
    { previousKeyid: A!.keyid, keyid: B!.keyid, time: "2025-02-01T00:00:00Z" },
    { previousKeyid: B!.keyid, keyid: A!.keyid, time: "2025-01-05T00:00:00Z" },
  ]);
});

Deno.test("RotatingSigner: a throwing onRotate aborts the call and the rotation is offered again", async () => {
  let veto = true;
  let calls = 0;
  const signer = new RotatingSigner(ring(), { [A!.keyid]: A!.signer, [B!.keyid]: B!.signer }, {
    onRotate: () => {
      calls++;
      if (veto) throw new Error("rotation not approved");
    },
  });
  await signer.sign(data, "2025-01-10T00:00:00Z");
  await assert.rejects(signer.sign(data, "2025-03-01T00:00:00Z"), /rotation not approved/);
  veto = false;
  assert.equal((await signer.sign(data, "2025-03-01T00:00:00Z")).keyid, B!.keyid);
  assert.equal(calls, 2);
});

Deno.test("RotatingSigner.at() plugs into signEnvelope", async () => {
  const signer = new RotatingSigner(ring(), [A!.signer, B!.signer]);
  const envelope = await signEnvelope(
    { payloadType: "text/plain", payload: new TextEncoder().encode("hi") },
    [signer.at("2025-03-01T00:00:00Z")],
  );
  assert.equal(envelope.signatures[0]!.keyid, B!.keyid);
  const sig = Uint8Array.fromBase64(envelope.signatures[0]!.sig);
  assert.equal(
    await B!.verify(preAuthEncoding("text/plain", new TextEncoder().encode("hi")), sig),
    true,
  );
});

Deno.test("RotatingSigner refuses times without a valid key, missing private keys and mismatches", async () => {
  const signer = new RotatingSigner(ring(), [B!.signer]);
  assert.throws(() => signer.at("2024-12-31T00:00:00Z"), {
    name: "RangeError",
    message: "Cannot sign at 2024-12-31T00:00:00Z: no key of the ring is valid then",
  });
  await assert.rejects(signer.sign(data, "2025-01-15T00:00:00Z"), {
    name: "RangeError",
    message: `Cannot sign at 2025-01-15T00:00:00Z: no private signer for key "${A!.keyid}"`,
  });
  assert.throws(() => signer.at("yesterday"), { code: "TIME_INVALID" });
  const wrongAlgorithm: Signer = { ...B!.signer, algorithm: "ecdsa-p256-sha256" };
  assert.throws(
    () => new RotatingSigner(ring(), [wrongAlgorithm]).at("2025-03-01T00:00:00Z"),
    TypeError,
  );
  assert.throws(() => new RotatingSigner(ring(), { "other-id": B!.signer }), TypeError);
  assert.throws(() => new RotatingSigner(ring(), [B!.signer, B!.signer]), TypeError);
  assert.throws(
    () => new RotatingSigner({ keys: [{}] } as unknown as KeyRing, []),
    ValidationError,
  );
  // A revoked key is never chosen after its revocation instant.
  const revoked = ring();
  revoked.keys[1] = { ...revoked.keys[1]!, status: "revoked", revokedAt: "2025-02-10T00:00:00Z" };
  const r = new RotatingSigner(revoked, [A!.signer, B!.signer, C!.signer]);
  assert.equal(r.keyAt("2025-02-09T00:00:00Z").keyid, B!.keyid);
  assert.throws(() => r.at("2025-02-10T00:00:00Z"), RangeError); // A expired, B revoked
});
