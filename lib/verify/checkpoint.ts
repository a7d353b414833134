/**
 * Transparency-log checkpoints (c2sp.org/tlog-checkpoint "Note text", "Signatures"): signed
 * notes (c2sp.org/signed-note) whose text is the origin, the tree size and the root hash of an
 * RFC 6962 Merkle tree, then optional extension lines.
 *
 * {@link parseCheckpointBody} follows transparency-dev/formats `log.Checkpoint.Unmarshal` (the
 * reference the vectors come from): at least three newline-terminated lines; a non-empty origin;
 * a decimal uint64 size; a base64 root hash of any length; any following lines are extensions
 * (kept even when empty, as the Go parser does, although C2SP asks for non-empty ones). Stricter
 * than Go: the size has no leading zeros (C2SP), base64 is canonical, and the body ends in a
 * newline.
 *
 * {@link verifyCheckpoint} adds what a verifier needs: the note verifies with a trusted log key,
 * the root hash is 32 bytes (SHA-256), and the origin is the expected one when given. Witness
 * cosignatures and other lines from unknown keys are ignored (c2sp.org/signed-note).
 *
 * ## Log keys
 *
 * A log key is a note verifier key (vkey text or {@link NoteVerifierKey}) or a `{ name, publicKey }`
 * pair (DER SubjectPublicKeyInfo), as `logKeysFromTrustedRoot` returns for each Sigstore log:
 *
 * - Ed25519 (Rekor v2): note key ID `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]`; a signature line
 *   must carry exactly `name` (the host of the log's base URL) and that key ID.
 * - ECDSA P-256 (Rekor v1): note key ID `SHA-256(DER SPKI)[:4]` (the first four bytes of the
 *   log ID); a line matches on the key ID alone, whatever its name. Rekor v1 names its key after
 *   the hostname the server was configured with, which need not be the host of the base URL
 *   (the sigstore-go scaffolding sample signs as `rekor-00001-deployment-…`), and Rekor's own
 *   `SignedNote.Verify` and sigstore-python match on the key hint only.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { decodeBase64, encodeHex } from "../encoding/bytes.ts";
import { sha256 } from "../digest/digest.ts";
import { MERKLE_HASH_SIZE } from "../digest/merkle.ts";
import {
  ed25519Raw,
  keyIdOf,
  noteKeyEntries,
  type NoteKeyEntry,
  noteSignatureCheck,
  type ParsedNote,
  parseNote,
  tryImportSpki,
  verifyNote,
} from "./_signed_note.ts";
import { type NoteVerifierKey, parseVerifierKey } from "./signed_note.ts";
import { type Check, fail, pass } from "./report.ts";

const UINT64_MAX = (1n << 64n) - 1n;
const SIZE_RE = /^(?:0|[1-9][0-9]*)$/;

/** Check id of {@link verifyCheckpoint}. */
const CHECKPOINT_CHECK_ID = "tlog.checkpoint";

/**
 * A checkpoint body (c2sp.org/tlog-checkpoint "Note text").
 *
 * `size` is a `bigint` because the format allows any uint64 (Rekor sizes fit a `number`, but the
 * parser does not assume it).
 *
 * @example Usage
 * ```ts
 * import { parseCheckpointBody } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const checkpoint = parseCheckpointBody("Log\n123\nYmFuYW5hcw==\n");
 * assert.equal(checkpoint.origin, "Log");
 * assert.equal(checkpoint.size, 123n);
 * ```
 */
export interface Checkpoint {
  /** First line: the log's identity. */
  origin: string;
  /** Second line: the number of leaves. */
  size: bigint;
  /** Third line, decoded: the tree's root hash. */
  rootHash: Uint8Array<ArrayBuffer>;
  /** Remaining lines without their newlines (Rekor v1 writes `Timestamp: …` here). */
  extensions: string[];
}

/** Options of {@link parseCheckpointBody}. */
export interface ParseCheckpointBodyOptions {
  /** Name of the input, used in messages. */
  name?: string | undefined;
}

/** A log public key as a name and DER SubjectPublicKeyInfo (see the module doc for matching). */
export interface LogPublicKey {
  /** Note key name: for Sigstore logs, the host of the log's base URL. */
  readonly name: string;
  /** DER SubjectPublicKeyInfo (Ed25519 or ECDSA P-256). */
  readonly publicKey: Uint8Array;
}

/** A trusted log key for checkpoints: vkey text, a parsed vkey, or a name and SPKI. */
export type CheckpointKey = string | NoteVerifierKey | LogPublicKey;

/** Options of {@link verifyCheckpoint}. */
export interface VerifyCheckpointOptions {
  /** Trusted log keys; a checkpoint must carry a valid signature by one of them. */
  logKeys: readonly CheckpointKey[];
  /** The origin line the checkpoint must have, when the caller knows it. */
  expectedOrigin?: string | undefined;
  /** Name of the input, used in messages. */
  name?: string | undefined;
}

/** What {@link verifyCheckpoint} found. */
export interface CheckpointVerification {
  /** The `tlog.checkpoint` check. */
  check: Check;
  /** The checkpoint, only when the check passed (unverified text must not be used). */
  checkpoint?: Checkpoint;
  /** Names of the trusted keys whose signatures verified, in line order. */
  verified: string[];
}

function malformed(name: string | undefined, why: string): ParseError {
  const label = name === undefined ? "" : ` "${name}"`;
  return new ParseError("CHECKPOINT_MALFORMED", `Cannot parse checkpoint${label}: ${why}`);
}

/**
 * Parses a checkpoint body (the note text) strictly.
 *
 * @param text The note text: origin, size, root hash and extension lines, each ending in `\n`.
 * @param options Name of the input for messages.
 * @returns The parsed checkpoint.
 * @throws {ParseError} `CHECKPOINT_MALFORMED` when a line is missing or invalid.
 *
 * @example Usage
 * ```ts
 * import { parseCheckpointBody } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const checkpoint = parseCheckpointBody(
 *   "rekor.sigstore.dev - 2605736670972794746\n23083062\n" +
 *     "dauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\nTimestamp: 1689177396617352539\n",
 * );
 * assert.equal(checkpoint.size, 23083062n);
 * assert.equal(checkpoint.rootHash.length, 32);
 * assert.deepEqual(checkpoint.extensions, ["Timestamp: 1689177396617352539"]);
 * assert.throws(() => parseCheckpointBody("Log\n-34\nYmFuYW5hcw==\n"), { code: "CHECKPOINT_MALFORMED" });
 * ```
 */
export function parseCheckpointBody(
  text: string,
  options: ParseCheckpointBodyOptions = {},
): Checkpoint {
  if (typeof text !== "string") throw new TypeError("Pass the checkpoint body as a string");
  const name = options.name;
  const first = text.indexOf("\n");
  const second = first < 0 ? -1 : text.indexOf("\n", first + 1);
  const third = second < 0 ? -1 : text.indexOf("\n", second + 1);
  if (third < 0) throw malformed(name, "expected origin, size and root hash lines");
  const origin = text.slice(0, first);
  const sizeText = text.slice(first + 1, second);
  const hashText = text.slice(second + 1, third);
  const rest = text.slice(third + 1);
  if (origin.length === 0) throw malformed(name, "empty origin");
  if (!SIZE_RE.test(sizeText)) throw malformed(name, "size is not a decimal number");
  const size = BigInt(sizeText);
  if (size > UINT64_MAX) throw malformed(name, "size exceeds 2^64 - 1");
  let rootHash: Uint8Array<ArrayBuffer>;
  try {
    rootHash = decodeBase64(hashText);
  } catch (error) {
    if (error instanceof ParseError) throw malformed(name, "root hash is not base64");
    throw error;
  }
  if (rest.length > 0 && !rest.endsWith("\n")) {
    throw malformed(name, "last extension line does not end in a newline");
  }
  const extensions = rest.length === 0 ? [] : rest.slice(0, -1).split("\n");
  return { origin, size, rootHash, extensions };
}

/**
 * Turns trusted checkpoint keys into note-engine entries.
 *
 * @param keys Log keys as accepted by {@link verifyCheckpoint}.
 * @returns The entries.
 */
function checkpointKeyEntries(keys: readonly CheckpointKey[]): NoteKeyEntry[] {
  if (!Array.isArray(keys)) throw new TypeError("Pass options.logKeys as an array");
  const entries: NoteKeyEntry[] = [];
  for (const key of keys) {
    if (typeof key === "string") {
      entries.push(...noteKeyEntries([parseVerifierKey(key)]));
    } else if (typeof key === "object" && key !== null && "keyId" in key && "type" in key) {
      entries.push(...noteKeyEntries([key]));
    } else if (typeof key === "object" && key !== null && key.publicKey instanceof Uint8Array) {
      entries.push(logKeyEntry(key));
    } else {
      throw new TypeError(
        "Pass each log key as a vkey, a note verifier key or { name, publicKey }",
      );
    }
  }
  return entries;
}

function logKeyEntry(key: LogPublicKey): NoteKeyEntry {
  if (typeof key.name !== "string") throw new TypeError("Pass the log key's name as a string");
  const imported = tryImportSpki(key.publicKey);
  if (imported?.type === "ed25519") {
    const raw = ed25519Raw(key.publicKey);
    if (raw !== undefined) {
      return {
        name: key.name,
        keyId: keyIdOf(key.name, Uint8Array.of(0x01, ...raw)),
        verify: noteSignatureCheck(imported),
      };
    }
  }
  if (imported?.type === "ecdsa-p256") {
    return {
      name: undefined,
      keyId: encodeHex(sha256(key.publicKey).subarray(0, 4)),
      verify: noteSignatureCheck(imported),
    };
  }
  throw new RangeError(
    `Cannot verify checkpoints with log key "${key.name}": use an Ed25519 or ECDSA P-256 key`,
  );
}

/**
 * Verifies a checkpoint: a well-formed signed note whose text is a well-formed checkpoint with a
 * 32-byte root hash, signed by a trusted log key, with the expected origin when one is given.
 *
 * Failure codes of the `tlog.checkpoint` check: `CHECKPOINT_MALFORMED` (the note or its body does
 * not parse, or the root hash is not 32 bytes), `CHECKPOINT_SIGNATURE_INVALID` (no trusted
 * signature verifies, a trusted key's signature fails, or two trusted keys are ambiguous),
 * `CHECKPOINT_MISMATCH` (the origin is not `expectedOrigin`).
 *
 * @param note The checkpoint as a signed note (bytes or text; Sigstore bundles carry it as
 *   `inclusionProof.checkpoint.envelope`).
 * @param options Trusted log keys, expected origin, input name.
 * @returns The check, and the checkpoint when it verified.
 * @throws {TypeError} When the options are malformed.
 * @throws {ParseError} When a log key given as vkey text does not parse.
 * @throws {RangeError} When a log key cannot sign checkpoints (RSA, P-384, RFC 6962 vkey).
 *
 * @example Usage
 * ```ts
 * import { verifyCheckpoint } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const note = "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n" +
 *   "\u2014 sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n";
 * const logKeys = ["sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"];
 * const ok = await verifyCheckpoint(note, { logKeys, expectedOrigin: "go.sum database tree" });
 * assert.deepEqual(ok.check, { id: "tlog.checkpoint", ok: true });
 * assert.equal(ok.checkpoint?.size, 6476701n);
 * const other = await verifyCheckpoint(note, { logKeys, expectedOrigin: "example.com/log" });
 * assert.equal(other.check.code, "CHECKPOINT_MISMATCH");
 * const unsigned = await verifyCheckpoint(note, { logKeys: [] });
 * assert.equal(unsigned.check.code, "CHECKPOINT_SIGNATURE_INVALID");
 * ```
 */
export async function verifyCheckpoint(
  note: Uint8Array | string,
  options: VerifyCheckpointOptions,
): Promise<CheckpointVerification> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass verifyCheckpoint options with logKeys");
  }
  const entries = checkpointKeyEntries(options.logKeys);
  const expectedOrigin = options.expectedOrigin;
  if (expectedOrigin !== undefined && typeof expectedOrigin !== "string") {
    throw new TypeError("Pass options.expectedOrigin as a string");
  }
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  let parsed: ParsedNote;
  let checkpoint: Checkpoint;
  try {
    parsed = parseNote(note, name);
    checkpoint = parseCheckpointBody(parsed.text, { name });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {
      check: fail(CHECKPOINT_CHECK_ID, "CHECKPOINT_MALFORMED", error.message),
      verified: [],
    };
  }
  if (checkpoint.rootHash.length !== MERKLE_HASH_SIZE) {
    const message = `Cannot use checkpoint${label}: root hash has ${checkpoint.rootHash.length} ` +
      `bytes, not ${MERKLE_HASH_SIZE}`;
    return { check: fail(CHECKPOINT_CHECK_ID, "CHECKPOINT_MALFORMED", message), verified: [] };
  }
  const outcome = await verifyNote(parsed, entries);
  if (!outcome.ok) {
    const why = outcome.code === "NOTE_UNVERIFIED"
      ? "no signature by a trusted log key"
      : outcome.code === "NOTE_SIGNATURE_INVALID"
      ? `invalid signature for key ${outcome.key}`
      : `ambiguous key ${outcome.key}`;
    const message = `Cannot verify checkpoint${label}: ${why}`;
    return {
      check: fail(CHECKPOINT_CHECK_ID, "CHECKPOINT_SIGNATURE_INVALID", message),
      verified: [],
    };
  }
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    const message = `Cannot use checkpoint${label}: origin ${JSON.stringify(checkpoint.origin)} ` +
      `is not the expected ${JSON.stringify(expectedOrigin)}`;
    return {
      check: fail(CHECKPOINT_CHECK_ID, "CHECKPOINT_MISMATCH", message),
      verified: outcome.verified,
    };
  }
  return { check: pass(CHECKPOINT_CHECK_ID), checkpoint, verified: outcome.verified };
}
