/**
 * C2SP signed-note / tlog-checkpoint  vectors (../shared/vectors/signed-note/, transcribed from
 * C2SP/C2SP, golang/mod sumdb/note and transparency-dev/formats; see its SOURCE.md).
 */
import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import { decodeBase64, encodeBase64 } from "../../lib/encoding/mod.ts";
import {
  NoteVerificationError,
  openNote,
  parseCheckpointBody,
  parseVerifierKey,
  signNote,
  verifyCheckpoint,
} from "../../lib/verify/sigstore_mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

interface OpenNoteCase {
  desc: string;
  noteBytesB64: string;
  vkeys: string[];
  expectedOrigin?: string;
  expect:
    | {
      ok: true;
      text?: string;
      verified: string[];
      unverifiedCount: number;
      checkpoint?: { origin: string; size: number; rootHashB64: string };
    }
    | { ok: false; error: string };
}

interface VkeyCase {
  desc: string;
  vkey: string;
  ok: boolean;
  family?: string;
}

interface BodyCase {
  desc: string;
  body: string;
  ok: boolean;
  origin?: string;
  size?: number;
  rootHashB64?: string;
  rest?: string;
}

interface SigningCase {
  skey: string;
  text: string;
  expectedNote: string;
}

const NOTES = vectorSet("signed-note");

/** Upstream (Go) error text for an error of ours. */
function upstreamError(error: unknown): string {
  if (error instanceof ParseError && error.code === "NOTE_MALFORMED") return "malformed note";
  if (error instanceof NoteVerificationError) {
    switch (error.code) {
      case "NOTE_UNVERIFIED":
        return "note has no verifiable signatures";
      case "NOTE_SIGNATURE_INVALID":
        return `invalid signature for key ${error.key}`;
      case "NOTE_KEY_AMBIGUOUS":
        return `ambiguous key ${error.key}`;
    }
  }
  throw error;
}

if (!NOTES.present) {
  vectorTest(NOTES, "C2SP signed-note vectors", () => {});
} else {
  const vectors = JSON.parse(
    await NOTES.readText("signed-note-vectors.json"),
  ) as {
    openNoteCases: OpenNoteCase[];
    vkeyParseCases: VkeyCase[];
    checkpointBodyParseCases: BodyCase[];
    signingCases: SigningCase[];
  };

  vectorTest(NOTES, "signed-note vectors: case counts", () => {
    assert.equal(vectors.openNoteCases.length, 26);
    assert.equal(vectors.vkeyParseCases.length, 13);
    assert.equal(vectors.checkpointBodyParseCases.length, 12);
    assert.equal(vectors.signingCases.length, 1);
    assert.equal(vectors.openNoteCases.filter((c) => c.expect.ok).length, 12);
    assert.equal(vectors.vkeyParseCases.filter((c) => c.ok).length, 5);
    assert.equal(vectors.checkpointBodyParseCases.filter((c) => c.ok).length, 5);
  });

  vectorTest(NOTES, "signed-note vectors: openNoteCases open as upstream says (26)", async (t) => {
    let ran = 0;
    for (const c of vectors.openNoteCases) {
      await t.step(c.desc, async () => {
        const bytes = decodeBase64(c.noteBytesB64);
        const keys = c.vkeys.map(parseVerifierKey);
        if (c.expectedOrigin !== undefined) {
          // Checkpoint-level case: the origin must also match.
          const result = await verifyCheckpoint(bytes, {
            logKeys: c.vkeys,
            expectedOrigin: c.expectedOrigin,
          });
          if (c.expect.ok) {
            assert.deepEqual(result.check, { id: "tlog.checkpoint", ok: true });
            assert.deepEqual(result.verified, c.expect.verified);
          } else {
            assert.equal(result.check.code, "CHECKPOINT_MISMATCH");
            assert.match(c.expect.error, /origin does not match/);
          }
        }
        if (c.expect.ok) {
          const opened = await openNote(bytes, keys);
          assert.deepEqual(opened.verified, c.expect.verified);
          assert.equal(opened.unverifiedCount, c.expect.unverifiedCount);
          if (c.expect.text !== undefined) assert.equal(opened.text, c.expect.text);
          if (c.expect.checkpoint !== undefined) {
            const checkpoint = parseCheckpointBody(opened.text);
            assert.equal(checkpoint.origin, c.expect.checkpoint.origin);
            assert.equal(checkpoint.size, BigInt(c.expect.checkpoint.size));
            assert.equal(encodeBase64(checkpoint.rootHash), c.expect.checkpoint.rootHashB64);
          }
        } else if (c.expectedOrigin === undefined) {
          const error = await openNote(bytes, keys).then(
            () => assert.fail("expected the note to be rejected"),
            (e: unknown) => e,
          );
          assert.equal(upstreamError(error), c.expect.error);
        }
        ran++;
      });
    }
    assert.equal(ran, 26);
    return ran;
  });

  vectorTest(
    NOTES,
    "signed-note vectors: vkeyParseCases parse as upstream says (13, mangle family expanded)",
    async (t) => {
      let literal = 0;
      let mangled = 0;
      for (const c of vectors.vkeyParseCases) {
        await t.step(c.desc, () => {
          if (c.family === "mangle") {
            // Every proper substring and every one-byte-incremented variant must be rejected.
            const bytes = new TextEncoder().encode(c.vkey);
            assert.ok(parseVerifierKey(c.vkey)); // the base key itself is valid
            for (let i = 0; i <= bytes.length; i++) {
              for (let j = i; j <= bytes.length; j++) {
                if (i === 0 && j === bytes.length) continue;
                const variant = new TextDecoder().decode(bytes.subarray(i, j));
                assert.throws(() => parseVerifierKey(variant), ParseError, `substring [${i},${j})`);
                mangled++;
              }
            }
            for (let i = 0; i < bytes.length; i++) {
              const copy = bytes.slice();
              copy[i]!++;
              const variant = new TextDecoder().decode(copy);
              assert.throws(() => parseVerifierKey(variant), ParseError, `increment at ${i}`);
              mangled++;
            }
            return;
          }
          if (c.ok) {
            const key = parseVerifierKey(c.vkey);
            assert.equal(`${key.name}+${key.keyId}`, c.vkey.split("+").slice(0, 2).join("+"));
          } else {
            assert.throws(() => parseVerifierKey(c.vkey), ParseError);
          }
          literal++;
        });
      }
      assert.equal(literal, 12);
      const length = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW".length;
      assert.equal(mangled, ((length + 1) * (length + 2)) / 2 - 1 + length);
    },
  );

  vectorTest(
    NOTES,
    "signed-note vectors: checkpointBodyParseCases parse as upstream says (12)",
    async (t) => {
      let ran = 0;
      for (const c of vectors.checkpointBodyParseCases) {
        await t.step(c.desc, () => {
          if (c.ok) {
            const checkpoint = parseCheckpointBody(c.body);
            assert.equal(checkpoint.origin, c.origin);
            assert.equal(checkpoint.size, BigInt(c.size!));
            assert.equal(encodeBase64(checkpoint.rootHash), c.rootHashB64);
            assert.equal(checkpoint.extensions.map((line) => `${line}\n`).join(""), c.rest);
          } else {
            assert.throws(() => parseCheckpointBody(c.body), { code: "CHECKPOINT_MALFORMED" });
          }
          ran++;
        });
      }
      assert.equal(ran, 12);
      return ran;
    },
  );

  vectorTest(
    NOTES,
    "signed-note vectors: signingCases reproduce the expected note (1)",
    async () => {
      for (const c of vectors.signingCases) {
        assert.equal(await signNote(c.text, c.skey), c.expectedNote);
      }
    },
  );
}
