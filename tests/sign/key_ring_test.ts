import assert from "node:assert/strict";
import { ParseError, ValidationError } from "../../mod.ts";
import type { KeyRing } from "../../lib/sign/mod.ts";
import {
  activeKeyAt,
  formatKeyRing,
  keyActiveAt,
  parseKeyRing,
  rotateKeyRing,
  validateKeyRing,
} from "../../lib/sign/mod.ts";
import { testEd25519Key } from "./_test_signers.ts";

const [A, B, C] = await Promise.all([1, 2, 3].map((s) => testEd25519Key(s)));

function ringOf(): KeyRing {
  return {
    keys: [
      {
        keyid: A!.keyid,
        algorithm: "ed25519",
        publicKey: A!.publicKeyPem,
        validFrom: "2025-01-01T00:00:00Z",
        validUntil: "2025-02-01T06:00:00Z",
        status: "retired",
      },
      {
        keyid: B!.keyid,
        algorithm: "ed25519",
        publicKey: B!.publicKeyPem,
        validFrom: "2025-02-01T00:00:00Z",
        status: "active",
      },
    ],
  };
}

Deno.test("parseKeyRing() reads a valid ring and formatKeyRing() writes it canonically", () => {
  const ring = ringOf();
  const text = formatKeyRing(ring);
  assert.ok(
    text.startsWith(
      '{"keys":[{"algorithm":"ed25519","keyid":"' + A!.keyid + '","publicKey":"-----BEGIN',
    ),
  );
  assert.ok(text.endsWith('"status":"active","validFrom":"2025-02-01T00:00:00Z"}]}\n'));
  assert.deepEqual(parseKeyRing(text), ring);
  assert.deepEqual(parseKeyRing(new TextEncoder().encode(JSON.stringify(ring, null, 2))), ring);
  assert.equal(formatKeyRing(parseKeyRing(text)), text);
});

Deno.test("parseKeyRing() is strict: JSON errors pass through, shape errors are KEYRING_INVALID", () => {
  assert.throws(
    () => parseKeyRing('{"keys":[],"keys":[]}'),
    (e: unknown) => e instanceof ParseError && e.code.startsWith("JSON_"),
  );
  assert.throws(() => parseKeyRing("[]", { name: "ring.json" }), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.code, "KEYRING_INVALID");
    assert.match(e.message, /^Cannot parse key ring "ring\.json": \(root\): /);
    return true;
  });
  assert.throws(() => parseKeyRing("{}"), {
    code: "KEYRING_INVALID",
    message: /\/keys: Add a "keys" array/,
  });
  assert.throws(
    () => parseKeyRing('{"keys":[]}', { maxBytes: 4 }),
    (e: unknown) => e instanceof ParseError && e.code.startsWith("JSON_"),
  );
});

Deno.test("validateKeyRing() names every problem with its code and path", () => {
  const good = ringOf().keys[1]!;
  const problems = validateKeyRing({
    keys: [
      { ...good, keyid: A!.keyid }, // key id of another key
      { ...good, algorithm: "ecdsa-p256-sha256" }, // algorithm does not fit an Ed25519 key
      { ...good, keyid: C!.keyid, publicKey: "not pem" },
      { ...good, keyid: "x", algorithm: "hmac-sha256" },
      { ...good, validFrom: "2025-02-01" },
      { ...good, validUntil: "2025-01-01T00:00:00Z" },
      { ...good, status: "revoked" },
      { ...good, revokedAt: "2025-03-01T00:00:00Z" },
      { ...good, status: "retired" },
      { ...good, status: "lost" },
      { ...good, extra: 1 },
      { keyid: 7 },
      null,
    ],
    version: 2,
  });
  assert.deepEqual(problems.map((p) => [p.path, p.code]), [
    ["/version", "KEYRING_FIELD_UNKNOWN"],
    ["/keys/0/keyid", "KEYRING_KEYID_MISMATCH"],
    ["/keys/1/algorithm", "KEYRING_FIELD_INVALID"],
    ["/keys/2/publicKey", "KEYRING_FIELD_INVALID"],
    ["/keys/3/algorithm", "KEYRING_FIELD_INVALID"],
    ["/keys/3/keyid", "KEYRING_KEYID_MISMATCH"],
    ["/keys/4/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/4/validFrom", "KEYRING_FIELD_INVALID"],
    ["/keys/5/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/5/validUntil", "KEYRING_WINDOW_INVALID"],
    ["/keys/6/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/6/revokedAt", "KEYRING_STATUS_INCONSISTENT"],
    ["/keys/7/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/7/status", "KEYRING_STATUS_INCONSISTENT"],
    ["/keys/8/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/8/validUntil", "KEYRING_STATUS_INCONSISTENT"],
    ["/keys/9/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/9/status", "KEYRING_FIELD_INVALID"],
    ["/keys/10/extra", "KEYRING_FIELD_UNKNOWN"],
    ["/keys/10/keyid", "KEYRING_KEYID_DUPLICATE"],
    ["/keys/11/keyid", "KEYRING_FIELD_INVALID"],
    ["/keys/11/algorithm", "KEYRING_FIELD_MISSING"],
    ["/keys/11/publicKey", "KEYRING_FIELD_MISSING"],
    ["/keys/11/validFrom", "KEYRING_FIELD_MISSING"],
    ["/keys/11/status", "KEYRING_FIELD_MISSING"],
    ["/keys/12", "KEYRING_FIELD_INVALID"],
  ]);
  assert.deepEqual(validateKeyRing(ringOf()), []);
});

Deno.test("keyActiveAt() uses half-open windows and revocation instants", () => {
  const ring = ringOf();
  const a = A!.keyid;
  assert.equal(keyActiveAt(ring, a, "2024-12-31T23:59:59.999Z"), false);
  assert.equal(keyActiveAt(ring, a, "2025-01-01T00:00:00Z"), true);
  assert.equal(keyActiveAt(ring, a, "2025-02-01T05:59:59.999Z"), true);
  assert.equal(keyActiveAt(ring, a, "2025-02-01T06:00:00Z"), false);
  assert.equal(keyActiveAt(ring, a, "2025-02-01T07:00:00+01:00"), false);
  assert.equal(keyActiveAt(ring, a, Date.UTC(2025, 0, 15)), true);
  const revoked: KeyRing = {
    keys: [{ ...ring.keys[1]!, status: "revoked", revokedAt: "2025-03-01T00:00:00Z" }],
  };
  assert.equal(keyActiveAt(revoked, B!.keyid, "2025-02-28T23:59:59Z"), true);
  assert.equal(keyActiveAt(revoked, B!.keyid, "2025-03-01T00:00:00Z"), false);
  assert.equal(keyActiveAt(ring, "unknown", "2025-01-15T00:00:00Z"), false);
  assert.throws(() => keyActiveAt(ring, a, "2025-01-15"), { code: "TIME_INVALID" });
  assert.throws(() => keyActiveAt({ keys: [{}] } as unknown as KeyRing, a, 0), ValidationError);
});

Deno.test("activeKeyAt() picks the most recent valid key, skipping expired and revoked ones", () => {
  const ring = ringOf();
  assert.equal(activeKeyAt(ring, "2024-06-01T00:00:00Z"), undefined);
  assert.equal(activeKeyAt(ring, "2025-01-31T23:59:59Z")?.keyid, A!.keyid);
  assert.equal(activeKeyAt(ring, "2025-02-01T00:00:00Z")?.keyid, B!.keyid); // overlap: newest wins
  assert.equal(activeKeyAt(ring, "2030-01-01T00:00:00Z")?.keyid, B!.keyid);
  const revoked: KeyRing = {
    keys: [ring.keys[0]!, {
      ...ring.keys[1]!,
      status: "revoked",
      revokedAt: "2025-02-01T01:00:00Z",
    }],
  };
  assert.equal(activeKeyAt(revoked, "2025-02-01T02:00:00Z")?.keyid, A!.keyid); // still in overlap
  assert.equal(activeKeyAt(revoked, "2025-02-02T00:00:00Z"), undefined);
  // Same validFrom: the smaller key id wins, whatever the order in the file.
  const tie: KeyRing = {
    keys: [
      { ...ring.keys[1]!, keyid: C!.keyid, publicKey: C!.publicKeyPem },
      ring.keys[1]!,
    ],
  };
  const smaller = [B!.keyid, C!.keyid].sort()[0];
  assert.equal(activeKeyAt(tie, "2025-03-01T00:00:00Z")?.keyid, smaller);
  assert.equal(
    activeKeyAt({ keys: [...tie.keys].reverse() }, "2025-03-01T00:00:00Z")?.keyid,
    smaller,
  );
});

Deno.test("rotateKeyRing() retires the active key with an overlap and activates the new one", () => {
  const ring: KeyRing = { keys: [{ ...ringOf().keys[1]!, validFrom: "2025-01-01T00:00:00Z" }] };
  const before = structuredClone(ring);
  const next = rotateKeyRing(
    ring,
    { keyid: C!.keyid, algorithm: "ed25519", publicKey: C!.publicKeyPem },
    "2025-06-01T02:00:00+02:00",
    { overlap: 86_400_000 },
  );
  assert.deepEqual(ring, before); // pure
  assert.deepEqual(next, {
    keys: [
      { ...ring.keys[0]!, status: "retired", validUntil: "2025-06-02T00:00:00Z" },
      {
        keyid: C!.keyid,
        algorithm: "ed25519",
        publicKey: C!.publicKeyPem,
        validFrom: "2025-06-01T00:00:00Z",
        status: "active",
      },
    ],
  });
  assert.deepEqual(validateKeyRing(next), []);
  assert.equal(activeKeyAt(next, "2025-06-01T00:00:00Z")?.keyid, C!.keyid);
  assert.equal(keyActiveAt(next, B!.keyid, "2025-06-01T23:59:59Z"), true);
  assert.equal(keyActiveAt(next, B!.keyid, "2025-06-02T00:00:00Z"), false);
  // Same inputs, same bytes.
  const again = rotateKeyRing(
    ring,
    { keyid: C!.keyid, algorithm: "ed25519", publicKey: C!.publicKeyPem },
    Date.UTC(2025, 5, 1),
    {
      overlap: 86_400_000,
    },
  );
  assert.equal(formatKeyRing(again), formatKeyRing(next));
});

Deno.test("rotateKeyRing() keeps order deterministic and earlier expiries, leaves revoked keys alone", async () => {
  const ring = ringOf(); // A retired, B active
  const revokedC = {
    keyid: C!.keyid,
    algorithm: "ed25519" as const,
    publicKey: C!.publicKeyPem,
    validFrom: "2024-06-01T00:00:00Z",
    revokedAt: "2024-07-01T00:00:00Z",
    status: "revoked" as const,
  };
  const withRevoked: KeyRing = { keys: [...ring.keys, revokedC] };
  const d = await testEd25519Key(4);
  const D = { keyid: d.keyid, algorithm: "ed25519" as const, publicKey: d.publicKeyPem };
  const next = rotateKeyRing(withRevoked, D, "2025-03-01T00:00:00Z");
  assert.deepEqual(next.keys.map((k) => [k.keyid, k.status, k.validUntil ?? null]), [
    [C!.keyid, "revoked", null],
    [A!.keyid, "retired", "2025-02-01T06:00:00Z"],
    [B!.keyid, "retired", "2025-03-01T00:00:00Z"], // overlap defaults to 0
    [D.keyid, "active", null],
  ]);
  // An active key that already expires earlier keeps its earlier validUntil.
  const bounded: KeyRing = { keys: [{ ...ring.keys[1]!, validUntil: "2025-02-15T00:00:00Z" }] };
  const rotated = rotateKeyRing(bounded, D, "2025-02-10T00:00:00Z", { overlap: 30 * 86_400_000 });
  assert.equal(rotated.keys[0]!.validUntil, "2025-02-15T00:00:00Z");
  assert.equal(rotated.keys[0]!.status, "retired");
});

Deno.test("rotateKeyRing() rejects misuse", () => {
  const ring = ringOf();
  const cKey = { keyid: C!.keyid, algorithm: "ed25519" as const, publicKey: C!.publicKeyPem };
  assert.throws(
    () =>
      rotateKeyRing(
        ring,
        { ...cKey, keyid: B!.keyid, publicKey: B!.publicKeyPem },
        "2025-03-01T00:00:00Z",
      ),
    {
      name: "RangeError",
      message: /already in the ring/,
    },
  );
  assert.throws(
    () => rotateKeyRing(ring, cKey, "2025-03-01T00:00:00Z", { overlap: -1 }),
    RangeError,
  );
  assert.throws(
    () => rotateKeyRing(ring, cKey, "2025-03-01T00:00:00Z", { overlap: 1.5 }),
    RangeError,
  );
  assert.throws(() => rotateKeyRing(ring, cKey, "2025-01-15T00:00:00Z"), {
    name: "RangeError",
    message: /is valid only from 2025-02-01T00:00:00Z/,
  });
  assert.throws(
    () => rotateKeyRing(ring, { ...cKey, keyid: "wrong" }, "2025-03-01T00:00:00Z"),
    (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.problems.map((p) => [p.path, p.code]), [[
        "/keyid",
        "KEYRING_KEYID_MISMATCH",
      ]]);
      return true;
    },
  );
  assert.throws(() => rotateKeyRing(ring, cKey, "March 1st"), { code: "TIME_INVALID" });
});
