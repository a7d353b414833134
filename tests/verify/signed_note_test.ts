import assert from "node:assert/strict";
import { generateKeyPair, ParseError } from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { decodeBase64, encodeBase64, encodeHex } from "../../lib/encoding/mod.ts";
import { exportSpki } from "../../lib/keys/mod.ts";
import {
  formatVerifierKey,
  NoteVerificationError,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKeyFromSpki,
} from "../../lib/verify/sigstore_mod.ts";
import { ecdsaNoteKey, ecdsaSignatureLine, ed25519NoteKey } from "./_note_keys.ts";

const alice = ed25519NoteKey("alice.example/log", 1);
const bob = ed25519NoteKey("bob.example", 2);
const TEXT = "hello\nworld\n";

async function rejects(promise: Promise<unknown>, code: string, key?: string): Promise<void> {
  const error = await promise.then(() => assert.fail("expected a rejection"), (e: unknown) => e);
  if (code === "NOTE_MALFORMED") {
    assert.ok(error instanceof ParseError);
    assert.equal(error.code, code);
  } else {
    assert.ok(error instanceof NoteVerificationError);
    assert.equal(error.code, code);
    if (key !== undefined) assert.equal(error.key, key);
  }
}

Deno.test("signNote() is deterministic and openNote() returns the text and signer", async () => {
  const note = await signNote(TEXT, alice.skey);
  assert.equal(await signNote(TEXT, alice.skey), note);
  assert.ok(note.startsWith(`${TEXT}\n\u2014 alice.example/log `));
  assert.deepEqual(await openNote(note, [alice.key]), {
    text: TEXT,
    verified: ["alice.example/log"],
    unverifiedCount: 0,
  });
  assert.deepEqual(await openNote(new TextEncoder().encode(note), [bob.key, alice.key]), {
    text: TEXT,
    verified: ["alice.example/log"],
    unverifiedCount: 0,
  });
});

Deno.test("openNote() splits text and signatures at the last blank line", async () => {
  const text = "first\n\nsecond after a blank line\n";
  const note = await signNote(text, alice.skey);
  assert.equal((await openNote(note, [alice.key])).text, text);
});

Deno.test("openNote() with the wrong key: the signature is ignored, nothing verifies", async () => {
  const note = await signNote(TEXT, alice.skey);
  await rejects(openNote(note, [bob.key]), "NOTE_UNVERIFIED");
  await rejects(openNote(note, []), "NOTE_UNVERIFIED");
  // Same name, other key: another key ID, so still an unknown key.
  await rejects(openNote(note, [ed25519NoteKey("alice.example/log", 9).key]), "NOTE_UNVERIFIED");
});

Deno.test("openNote() rejects a note whose text was changed after signing", async () => {
  const note = await signNote(TEXT, alice.skey);
  await rejects(
    openNote(note.replace("world", "World"), [alice.key]),
    "NOTE_SIGNATURE_INVALID",
    `alice.example/log+${alice.key.keyId}`,
  );
});

Deno.test("openNote() rejects the whole note when one known signature fails", async () => {
  const signedByAlice = await signNote(TEXT, alice.skey);
  const bobLine = (await signNote("other text\n", bob.skey)).split("\n\n")[1]!;
  const note = signedByAlice + bobLine; // Bob's line signs other text
  await rejects(
    openNote(note, [alice.key, bob.key]),
    "NOTE_SIGNATURE_INVALID",
    `bob.example+${bob.key.keyId}`,
  );
  // Without Bob's key the line is ignored.
  assert.deepEqual((await openNote(note, [alice.key])).unverifiedCount, 1);
});

Deno.test("openNote() skips later lines of a key that already verified (as Go's note.Open)", async () => {
  const good = await signNote(TEXT, alice.skey);
  const line = good.split("\n\n")[1]!;
  const sig = decodeBase64(line.trim().split(" ")[2]!);
  sig[10]! ^= 1;
  const bad = `\u2014 alice.example/log ${encodeBase64(sig)}\n`;
  assert.deepEqual(await openNote(good + bad, [alice.key]), {
    text: TEXT,
    verified: ["alice.example/log"],
    unverifiedCount: 0,
  });
  // The first line of a key decides: a bad first line rejects the note.
  await rejects(openNote(`${TEXT}\n${bad}${line}`, [alice.key]), "NOTE_SIGNATURE_INVALID");
});

Deno.test("openNote() counts distinct lines of unknown keys once", async () => {
  const note = await signNote(TEXT, alice.skey);
  const witness = "\u2014 witness.example AAAAAQID\n";
  const other = "\u2014 witness.example AAAAAgID\n";
  const opened = await openNote(note + witness + witness + other, [alice.key]);
  assert.equal(opened.unverifiedCount, 2);
});

Deno.test("openNote() reports an ambiguous key when two trusted keys share name and key ID", async () => {
  const note = await signNote(TEXT, alice.skey);
  await rejects(
    openNote(note, [alice.key, parseVerifierKey(alice.vkey)]),
    "NOTE_KEY_AMBIGUOUS",
    `alice.example/log+${alice.key.keyId}`,
  );
});

Deno.test("openNote() verifies ECDSA P-256 (type 0x02) lines by name and key ID", async () => {
  const ec = ecdsaNoteKey(3);
  const key = verifierKeyFromSpki("ec.example", ec.spki);
  assert.equal(key.type, "ecdsa");
  assert.equal(key.keyId, ec.keyId);
  const note = `${TEXT}\n${await ecdsaSignatureLine(TEXT, "ec.example", ec)}`;
  assert.deepEqual((await openNote(note, [key])).verified, ["ec.example"]);
  // Another name on the line: not this key's line.
  const renamed = `${TEXT}\n${await ecdsaSignatureLine(TEXT, "other.example", ec)}`;
  await rejects(openNote(renamed, [key]), "NOTE_UNVERIFIED");
  assert.equal(formatVerifierKey(parseVerifierKey(formatVerifierKey(key))), formatVerifierKey(key));
});

Deno.test("openNote() malformed notes: truncated, control characters, bad lines", async () => {
  const note = await signNote(TEXT, alice.skey);
  const cases: [string, string | Uint8Array][] = [
    ["truncated: no final newline", note.slice(0, -1)],
    ["truncated: signature cut short", note.slice(0, note.indexOf("\u2014") + 30) + "\n"],
    ["no blank line", TEXT],
    ["blank line but no signatures", `${TEXT}\n`],
    ["carriage return", note.replace("hello", "hel\rlo")],
    ["tab", note.replace("hello", "hel\tlo")],
    ["NUL", note.replace("hello", "hel\u0000lo")],
    ["invalid UTF-8", Uint8Array.of(0xc3, 0x28, ...new TextEncoder().encode(note))],
    ["lone surrogate in a string", note.replace("hello", "hel\ud800lo")],
    ["line without em dash", `${note}- alice.example/log AAAAAAA=\n`],
    ["hyphen instead of em dash", note.replace("\u2014", "-")],
    ["key name with a no-break space", note.replace("alice.example/log", "alice\u00a0example")],
    ["key name with a plus", note.replace("alice.example/log", "alice+example")],
    ["empty key name", note.replace("\u2014 alice.example/log ", "\u2014  ")],
    ["signature without base64", note.replace(/ [A-Za-z0-9+/=]+\n$/, "\n")],
    ["non-canonical base64 (padding bits)", `${note}\u2014 w AAAAAAB=\n`],
    ["signature of four bytes", `${note}\u2014 w AAAAAA==\n`],
  ];
  for (const [what, input] of cases) {
    await assert.rejects(openNote(input, [alice.key]), { code: "NOTE_MALFORMED" }, what);
  }
  // A blank line after the signatures makes them text: the split is at the last blank line.
  await rejects(openNote(`${note}\n\u2014 w AAAAAAA=\n`, [alice.key]), "NOTE_UNVERIFIED");
});

Deno.test("openNote() accepts 100 signature lines and rejects 101", async () => {
  const note = await signNote(TEXT, alice.skey);
  const line = note.split("\n\n")[1]!;
  const hundred = TEXT + "\n" + line.repeat(100);
  assert.deepEqual((await openNote(hundred, [alice.key])).verified, ["alice.example/log"]);
  await assert.rejects(openNote(hundred + line, [alice.key]), { code: "NOTE_MALFORMED" });
});

Deno.test("openNote() allows DEL and non-ASCII text (only C0 controls but newline are banned)", async () => {
  const text = "caf\u00e9 \u007f \u{1F600}\n";
  assert.equal((await openNote(await signNote(text, alice.skey), [alice.key])).text, text);
});

Deno.test("openNote() refuses RFC 6962 tree-head keys and foreign key objects", async () => {
  const ct = parseVerifierKey(
    "ct.googleapis.com/logs/us1/argon2024+7deb49d0+BTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABB25bKnLaZTFXOa2pgO70rjcVEMXKJkMBgFQHZ1kwFlGK9zIAx0FtC2oCfeZQe0E++VXuiYE9hFSzhRlOy92K8A=",
  );
  assert.equal(ct.type, "rfc6962");
  await assert.rejects(openNote(await signNote(TEXT, alice.skey), [ct]), RangeError);
  await assert.rejects(openNote("x\n\n\u2014 a AAAAAAA=\n", [{ name: "a" } as never]), TypeError);
});

Deno.test("parseVerifierKey() error codes", () => {
  const ok = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  const cases: [string, string][] = [
    ["", "NOTE_KEY_INVALID"],
    ["PeterNeumann+c74f20a3", "NOTE_KEY_INVALID"],
    ["Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_INVALID"],
    ["PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_INVALID"],
    ["PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_INVALID"],
    ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "NOTE_KEY_INVALID"],
    ["PeterNeumann+c74f20a3+AQ==", "NOTE_KEY_INVALID"],
    [
      "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
      "NOTE_KEY_INVALID",
    ],
    ["PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_UNSUPPORTED"],
    ["rekor.sigstore.dev+12345678+AwEB", "NOTE_KEY_UNSUPPORTED"],
    ["PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_ID_MISMATCH"],
    ["Peter+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "NOTE_KEY_ID_MISMATCH"],
  ];
  assert.equal(parseVerifierKey(ok).keyId, "c74f20a3");
  for (const [vkey, code] of cases) {
    assert.throws(() => parseVerifierKey(vkey), { code }, vkey);
  }
  assert.throws(() => parseVerifierKey(42 as never), TypeError);
});

Deno.test("parseVerifierKey() rejects ECDSA keys other than P-256 and bad SPKIs", async () => {
  const p384 = await generateKeyPair("ecdsa-p384");
  if (p384.kind !== "private") throw new Error("unreachable");
  const spki = exportSpki(p384.publicKey);
  const keyId = encodeHex(sha256(spki).subarray(0, 4));
  const vkey = `p384.example+${keyId}+${encodeBase64(Uint8Array.of(2, ...spki))}`;
  assert.throws(() => parseVerifierKey(vkey), { code: "NOTE_KEY_UNSUPPORTED" });
  assert.throws(() => verifierKeyFromSpki("p384.example", spki), { code: "NOTE_KEY_UNSUPPORTED" });
  // A hand-made key object cannot smuggle a P-384 key past the check.
  const handMade = { name: "p384.example", keyId, type: "ecdsa" as const, publicKey: spki };
  await assert.rejects(openNote(await signNote(TEXT, alice.skey), [handMade]), RangeError);
  const garbage = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00);
  const garbageId = encodeHex(sha256(garbage).subarray(0, 4));
  assert.throws(
    () => parseVerifierKey(`x+${garbageId}+${encodeBase64(Uint8Array.of(2, ...garbage))}`),
    { code: "NOTE_KEY_INVALID" },
  );
  assert.throws(() => verifierKeyFromSpki("x", garbage), { code: "NOTE_KEY_INVALID" });
  assert.throws(() => verifierKeyFromSpki("bad name", alice.spki), TypeError);
});

Deno.test("signNote() rejects bad text and bad signer keys", async () => {
  await assert.rejects(signNote("no newline", alice.skey), TypeError);
  await assert.rejects(signNote("tab\there\n", alice.skey), TypeError);
  await assert.rejects(signNote("lone \ud800\n", alice.skey), TypeError);
  const cases: [string, string][] = [
    [alice.skey.replace("PRIVATE+KEY", "PUBLIC+KEY"), "NOTE_KEY_INVALID"],
    [alice.skey.replace("alice.example/log", "alice example"), "NOTE_KEY_INVALID"],
    [alice.skey.replace(alice.key.keyId, "00000000"), "NOTE_KEY_ID_MISMATCH"],
    [alice.skey.replace("alice.example/log", "mallory.example"), "NOTE_KEY_ID_MISMATCH"],
    [alice.skey.replace(/\+AQ/, "+Ag"), "NOTE_KEY_UNSUPPORTED"],
    [alice.skey.slice(0, -4), "NOTE_KEY_INVALID"],
    ["PRIVATE+KEY+x", "NOTE_KEY_INVALID"],
  ];
  for (const [skey, code] of cases) {
    await assert.rejects(signNote(TEXT, skey), { code }, skey);
  }
  // The secret never appears in the error message.
  const error = await signNote(TEXT, alice.skey.replace(alice.key.keyId, "00000000")).catch((e) =>
    e
  );
  assert.ok(!String(error.message).includes(alice.skey.split("+").at(-1)!));
});
