import assert from "node:assert/strict";
import { generateKeyPair, ParseError } from "../../mod.ts";
import { concatBytes, decodeBase64, encodeBase64 } from "../../lib/encoding/mod.ts";
import { exportSpki } from "../../lib/keys/mod.ts";
import {
  parseCheckpointBody,
  signNote,
  verifierKeyFromSpki,
  verifyCheckpoint,
} from "../../lib/verify/sigstore_mod.ts";
import { ecdsaNoteKey, ecdsaSignatureLine, ed25519NoteKey } from "./_note_keys.ts";

const log = ed25519NoteKey("log.example", 11);
const witness = ed25519NoteKey("witness.example", 12);
const ROOT = encodeBase64(new Uint8Array(32).fill(0xab));
const BODY = `log.example\n42\n${ROOT}\n`;

Deno.test("parseCheckpointBody() reads origin, size, root and extension lines", () => {
  const checkpoint = parseCheckpointBody(`${BODY}Timestamp: 1\nsecond\n`);
  assert.equal(checkpoint.origin, "log.example");
  assert.equal(checkpoint.size, 42n);
  assert.deepEqual(checkpoint.rootHash, new Uint8Array(32).fill(0xab));
  assert.deepEqual(checkpoint.extensions, ["Timestamp: 1", "second"]);
  assert.equal(parseCheckpointBody(`o\n0\n${ROOT}\n`).size, 0n);
  assert.equal(parseCheckpointBody(`o\n18446744073709551615\n${ROOT}\n`).size, (1n << 64n) - 1n);
  assert.deepEqual(parseCheckpointBody("o\n1\n\n").rootHash, new Uint8Array(0));
});

Deno.test("parseCheckpointBody() named negatives", () => {
  const cases: [string, string][] = [
    ["too few lines", "o\n1\n"],
    ["empty origin", `\n1\n${ROOT}\n`],
    ["leading zero size", `o\n042\n${ROOT}\n`],
    ["plus sign", `o\n+42\n${ROOT}\n`],
    ["size with spaces", `o\n 42\n${ROOT}\n`],
    ["size above 2^64 - 1", `o\n18446744073709551616\n${ROOT}\n`],
    ["root hash without padding", `o\n1\n${ROOT.slice(0, -1)}\n`],
    ["root hash with padding bits", "o\n1\nYmFuYW5hcx==\n"],
    ["extension without final newline", `${BODY}ext`],
  ];
  for (const [what, body] of cases) {
    assert.throws(() => parseCheckpointBody(body), { code: "CHECKPOINT_MALFORMED" }, what);
  }
  assert.throws(() => parseCheckpointBody(undefined as never), TypeError);
});

Deno.test("verifyCheckpoint() accepts log keys as vkey text, parsed vkey or { name, publicKey }", async () => {
  const note = await signNote(BODY, log.skey);
  for (const logKeys of [[log.vkey], [log.key], [{ name: "log.example", publicKey: log.spki }]]) {
    const result = await verifyCheckpoint(note, { logKeys });
    assert.deepEqual(result.check, { id: "tlog.checkpoint", ok: true });
    assert.deepEqual(result.verified, ["log.example"]);
    assert.equal(result.checkpoint?.size, 42n);
  }
});

Deno.test("verifyCheckpoint() wrong key and wrong key name fail with CHECKPOINT_SIGNATURE_INVALID", async () => {
  const note = await signNote(BODY, log.skey);
  const cases = [
    [witness.vkey],
    [{ name: "other.example", publicKey: log.spki }], // Ed25519 log keys match by name too
    [],
  ];
  for (const logKeys of cases) {
    const result = await verifyCheckpoint(note, { logKeys });
    assert.equal(result.check.code, "CHECKPOINT_SIGNATURE_INVALID");
    assert.equal(result.checkpoint, undefined);
    assert.deepEqual(result.verified, []);
  }
});

Deno.test("verifyCheckpoint() wrong origin fails with CHECKPOINT_MISMATCH", async () => {
  const note = await signNote(BODY, log.skey);
  const result = await verifyCheckpoint(note, {
    logKeys: [log.vkey],
    expectedOrigin: "log.example/v2",
  });
  assert.equal(result.check.code, "CHECKPOINT_MISMATCH");
  assert.equal(result.checkpoint, undefined);
  const ok = await verifyCheckpoint(note, { logKeys: [log.vkey], expectedOrigin: "log.example" });
  assert.equal(ok.check.ok, true);
});

Deno.test("verifyCheckpoint() ignores witness cosignatures, before or after the log's line", async () => {
  const logNote = await signNote(BODY, log.skey);
  const witnessLine = (await signNote(BODY, witness.skey)).split("\n\n")[1]!;
  const logLine = logNote.split("\n\n")[1]!;
  for (const note of [logNote + witnessLine, `${BODY}\n${witnessLine}${logLine}`]) {
    const result = await verifyCheckpoint(note, { logKeys: [log.vkey] });
    assert.equal(result.check.ok, true);
    assert.deepEqual(result.verified, ["log.example"]);
  }
  // Trusting the witness as well reports both.
  const both = await verifyCheckpoint(logNote + witnessLine, { logKeys: [log.vkey, witness.vkey] });
  assert.deepEqual(both.verified, ["log.example", "witness.example"]);
});

Deno.test("verifyCheckpoint() ECDSA log keys match by key ID whatever the line's name (Rekor v1)", async () => {
  const ec = ecdsaNoteKey(7);
  const body = `rekor.example - 1234\n42\n${ROOT}\nTimestamp: 1\n`;
  const note = `${body}\n${await ecdsaSignatureLine(body, "rekor-pod-0", ec)}`;
  const result = await verifyCheckpoint(note, {
    logKeys: [{ name: "rekor.example", publicKey: ec.spki }],
  });
  assert.deepEqual(result.check, { id: "tlog.checkpoint", ok: true });
  assert.deepEqual(result.verified, ["rekor-pod-0"]);
  assert.deepEqual(result.checkpoint?.extensions, ["Timestamp: 1"]);
  // As a vkey the name must match exactly (c2sp.org/signed-note).
  const strict = await verifyCheckpoint(note, {
    logKeys: [verifierKeyFromSpki("rekor.example", ec.spki)],
  });
  assert.equal(strict.check.code, "CHECKPOINT_SIGNATURE_INVALID");
  // A line with the key's ID but a bad signature rejects the checkpoint.
  const other = ecdsaNoteKey(8);
  const otherLine = await ecdsaSignatureLine(body, "x", other);
  const otherSignature = decodeBase64(otherLine.trim().split(" ")[2]!).slice(4);
  const forged = `\u2014 x ${
    encodeBase64(concatBytes(Uint8Array.fromHex(ec.keyId), otherSignature))
  }\n`;
  const bad = await verifyCheckpoint(`${body}\n${forged}`, {
    logKeys: [{ name: "rekor.example", publicKey: ec.spki }],
  });
  assert.equal(bad.check.code, "CHECKPOINT_SIGNATURE_INVALID");
});

Deno.test("verifyCheckpoint() malformed notes and bodies fail with CHECKPOINT_MALFORMED", async () => {
  const note = await signNote(BODY, log.skey);
  const shortRoot = await signNote("log.example\n42\nYmFuYW5hcw==\n", log.skey);
  const noSize = await signNote(`log.example\n${ROOT}\n`, log.skey);
  const cases: [string, string][] = [
    ["truncated note", note.slice(0, -1)],
    ["no signatures", `${BODY}\n`],
    ["root hash of 7 bytes", shortRoot],
    ["missing size line", noSize],
  ];
  for (const [what, input] of cases) {
    const result = await verifyCheckpoint(input, { logKeys: [log.vkey] });
    assert.equal(result.check.code, "CHECKPOINT_MALFORMED", what);
  }
});

Deno.test("verifyCheckpoint() tampered size fails with CHECKPOINT_SIGNATURE_INVALID", async () => {
  const note = await signNote(BODY, log.skey);
  const result = await verifyCheckpoint(note.replace("\n42\n", "\n43\n"), { logKeys: [log.vkey] });
  assert.equal(result.check.code, "CHECKPOINT_SIGNATURE_INVALID");
  assert.match(result.check.message!, /invalid signature for key log\.example\+/);
});

Deno.test("verifyCheckpoint() misuse throws", async () => {
  const note = await signNote(BODY, log.skey);
  await assert.rejects(verifyCheckpoint(note, undefined as never), TypeError);
  await assert.rejects(verifyCheckpoint(note, { logKeys: "x" as never }), TypeError);
  await assert.rejects(verifyCheckpoint(note, { logKeys: ["not a vkey"] }), ParseError);
  await assert.rejects(
    verifyCheckpoint(note, { logKeys: [log.vkey], expectedOrigin: 1 as never }),
    TypeError,
  );
  const p384 = await generateKeyPair("ecdsa-p384");
  if (p384.kind !== "private") throw new Error("unreachable");
  await assert.rejects(
    verifyCheckpoint(note, { logKeys: [{ name: "p384", publicKey: exportSpki(p384.publicKey) }] }),
    RangeError,
  );
});
