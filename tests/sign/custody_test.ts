import assert from "node:assert/strict";
import {
  appendCustodyEvent,
  canonicalize,
  createSigner,
  exportPublicKeyPem,
  importKeyPem,
  ParseError,
  serializeEnvelope,
  signEnvelope,
  type Signer,
  ValidationError,
  verifyTimeline,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeUtf8, splitJsonLines } from "../../lib/encoding/mod.ts";
import { importPkcs8 } from "../../lib/keys/mod.ts";
import { parseCustodyEntry } from "../../lib/model/mod.ts";
import { type KeySource, splitTrust, timelineArgs } from "../verify/_trust.ts";

const SEED_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

/** A deterministic Ed25519 test key whose 32-byte seed is `seedByte` repeated. */
function testKey(seedByte: number): { signer: Signer; trusted: KeySource } {
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(SEED_PREFIX);
  pkcs8.fill(seedByte, 16);
  const key = importPkcs8(pkcs8);
  return { signer: createSigner(key), trusted: { pem: exportPublicKeyPem(key) } };
}

const KEY_A = testKey(1);
const KEY_B = testKey(2);
const A = KEY_A.signer;
const B = KEY_B.signer;
const SUBJECT = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
const event = (at: string, type = "transferred") => ({ type, actor: "custodian", at });

async function first() {
  return await appendCustodyEvent(null, {
    subject: SUBJECT,
    event: event("2026-02-10T09:00:00Z", "collected"),
    signers: [A],
  });
}

Deno.test("appendCustodyEvent() starts a timeline and derives sequence, previous and subject", async () => {
  const e0 = await first();
  assert.equal(e0.statement.predicate.sequence, 0);
  assert.equal(e0.statement.predicate.previous, null);
  assert.deepEqual(e0.statement.subject, [SUBJECT]);
  assert.equal(new TextDecoder().decode(e0.bytes), serializeEnvelope(e0.envelope));
  assert.notEqual(e0.bytes.at(-1), 0x0a); // stored as is: no trailing newline

  const e1 = await appendCustodyEvent(e0.bytes, {
    event: event("2026-02-10T11:30:00Z"),
    evidence: [{ name: "form.pdf", digest: { sha256: "cd".repeat(32) } }],
    signers: [B, A],
  });
  assert.deepEqual(e1.statement.predicate, {
    sequence: 1,
    previous: { sha256: sha256(e0.bytes).toHex() },
    event: event("2026-02-10T11:30:00Z"),
    evidence: [{ name: "form.pdf", digest: { sha256: "cd".repeat(32) } }],
  });
  assert.deepEqual(e1.statement.subject, [SUBJECT]);
  assert.deepEqual(e1.envelope.signatures.map((s) => s.keyid), [B.keyid, A.keyid]);
  assert.equal(
    canonicalize(parseCustodyEntry(e1.bytes).statement),
    canonicalize(e1.statement),
  );

  const e2 = await appendCustodyEvent(e1.bytes, {
    subject: { digest: { sha256: "ab".repeat(32) }, name: "registry.example/app" },
    sequence: 2,
    event: event("2026-02-10T11:30:00Z", "received"), // equal times are fine
    signers: [A],
  });
  assert.equal(e2.statement.predicate.sequence, 2);
});

Deno.test("appendCustodyEvent() is deterministic with deterministic signers", async () => {
  const [a, b] = [await first(), await first()];
  assert.deepEqual(a.bytes, b.bytes);
});

Deno.test("appendCustodyEvent() reproduces the committed fixture entries byte for byte", async () => {
  const dir = new URL("../../fixtures/timeline/", import.meta.url);
  const entries = splitJsonLines(await Deno.readFile(new URL("valid.jsonl", dir)));
  const pem = await Deno.readTextFile(
    new URL("keys/test-only-custodian-b-ecdsa-p256.pem", dir),
  );
  const key = importKeyPem(pem);
  assert.equal(key.kind, "private");
  if (key.kind !== "private") return;
  const e1 = parseCustodyEntry(entries[1]!).statement.predicate;
  const again = await appendCustodyEvent(entries[0]!, {
    event: e1.event,
    evidence: e1.evidence,
    signers: [createSigner(key)],
  });
  assert.deepEqual(again.bytes, entries[1]);
});

Deno.test("appendCustodyEvent() output verifies as a timeline, in files and JSON Lines", async () => {
  const e0 = await first();
  const e1 = await appendCustodyEvent(e0.bytes, {
    event: event("2026-02-11T00:00:00Z"),
    signers: [B],
  });
  const jsonl = encodeUtf8(
    [e0.bytes, e1.bytes].map((b) => new TextDecoder().decode(b) + "\n").join(""),
  );
  const options = {
    now: Date.UTC(2026, 2, 1),
    keys: [KEY_A.trusted, KEY_B.trusted],
    allowUnboundCustodians: true,
  };
  const fromFiles = await verifyTimeline([e0.bytes, e1.bytes], ...splitTrust(options));
  const fromLines = await verifyTimeline(...timelineArgs(splitJsonLines(jsonl), options));
  assert.equal(fromFiles.verified, true);
  assert.equal(canonicalize(fromLines), canonicalize(fromFiles));
  assert.deepEqual(fromFiles.keyids, [A.keyid, B.keyid].sort());
});

Deno.test("appendCustodyEvent() refuses entries the verifier would reject", async () => {
  const e0 = await first();
  await assert.rejects(
    () =>
      appendCustodyEvent(e0.bytes, {
        sequence: 2,
        event: event("2026-02-11T00:00:00Z"),
        signers: [A],
      }),
    RangeError,
  );
  await assert.rejects(
    () =>
      appendCustodyEvent(null, {
        subject: SUBJECT,
        sequence: 1,
        event: event("2026-02-11T00:00:00Z"),
        signers: [A],
      }),
    RangeError,
  );
  await assert.rejects(
    () =>
      appendCustodyEvent(e0.bytes, {
        subject: { ...SUBJECT, digest: { sha256: "ef".repeat(32) } },
        event: event("2026-02-11T00:00:00Z"),
        signers: [A],
      }),
    (error: unknown) => error instanceof RangeError && /timeline's subject/.test(error.message),
  );
  await assert.rejects(
    () => appendCustodyEvent(e0.bytes, { event: event("2026-02-10T08:59:59Z"), signers: [A] }),
    (error: unknown) =>
      error instanceof RangeError && error.message.includes("2026-02-10T09:00:00Z"),
  );
  await assert.rejects(
    () => appendCustodyEvent(e0.bytes, { event: event("yesterday"), signers: [A] }),
    (error: unknown) =>
      error instanceof ValidationError && error.problems[0]?.code === "TIMESTAMP_INVALID",
  );
});

Deno.test("appendCustodyEvent() rejects a previous entry that is not a custody envelope", async () => {
  const options = { event: event("2026-02-11T00:00:00Z"), signers: [A] };
  await assert.rejects(() => appendCustodyEvent(encodeUtf8("{}"), options), ParseError);
  const other = encodeUtf8(serializeEnvelope(
    await signEnvelope({
      _type: "https://in-toto.io/Statement/v1",
      subject: [SUBJECT],
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: {},
    }, [A]),
  ));
  await assert.rejects(
    () => appendCustodyEvent(other, options),
    (error: unknown) =>
      error instanceof ValidationError &&
      error.problems.some((p) => p.code === "PREDICATE_TYPE_MISMATCH"),
  );
});

Deno.test("appendCustodyEvent() rejects misuse with TypeError or RangeError", async () => {
  const e = event("2026-02-11T00:00:00Z");
  await assert.rejects(() => appendCustodyEvent(null, { event: e, signers: [A] }), TypeError);
  await assert.rejects(
    () => appendCustodyEvent(null, { subject: SUBJECT, event: e, signers: [] }),
    RangeError,
  );
  await assert.rejects(
    () => appendCustodyEvent(null, { subject: SUBJECT, event: e, signers: A as never }),
    TypeError,
  );
  await assert.rejects(
    () => appendCustodyEvent("x" as never, { event: e, signers: [A] }),
    TypeError,
  );
  await assert.rejects(() => appendCustodyEvent(null, null as never), TypeError);
  await assert.rejects(
    () => appendCustodyEvent(null, { subject: SUBJECT, sequence: 0.5, event: e, signers: [A] }),
    RangeError,
  );
});
