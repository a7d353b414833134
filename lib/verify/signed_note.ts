/**
 * C2SP signed notes (c2sp.org/signed-note@v1.0.0): "Format", "Signatures", "Signature types"
 * (0x01 Ed25519, 0x02 ECDSA; 0x05 RFC 6962 tree-head keys parse only), "Ed25519 signatures" and
 * "Verifier keys", with the semantics of the reference implementation
 * (`golang.org/x/mod/sumdb/note`: `NewVerifier`, `Open`, `NewSigner`, `Sign`) and of
 * transparency-dev/formats for ECDSA keys.
 *
 * - {@link parseVerifierKey} reads a vkey `name+hex(keyID)+base64(type ‖ key)`. Key IDs are
 *   checked: Ed25519 `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]`; ECDSA `SHA-256(DER SPKI)[:4]`;
 *   RFC 6962 `SHA-256(name ‖ 0x0A ‖ 0x05 ‖ SHA-256(DER SPKI))[:4]`.
 * - {@link openNote} verifies a note against trusted keys: lines of unknown keys are ignored,
 *   a failing signature of a known key rejects the note, at least one must verify.
 * - {@link signNote} signs deterministically with an Ed25519 signer key
 *   (`PRIVATE+KEY+name+hex(keyID)+base64(0x01 ‖ seed)`).
 *
 * Stricter than Go, on purpose: base64 must be canonical (zero padding bits), key IDs lowercase
 * hex (as the spec writes them), every signature line is parsed before any is verified (a
 * malformed note is always `NOTE_MALFORMED`), ECDSA keys must be P-256 (the curve the spec
 * recommends; P-384 notes would need SHA-256 with a P-384 key, which the local verifiers do not
 * offer).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { decodeBase64, encodeBase64, encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { sha256 } from "../digest/digest.ts";
import { exportSpki, importPkcs8 } from "../keys/key_der.ts";
import { createSigner } from "../crypto/local_signer.ts";
import {
  ed25519Raw,
  ed25519Spki,
  isValidKeyName,
  keyIdOf,
  noteKeyEntries,
  parseNote,
  SIGNATURE_PREFIX,
  tryImportSpki,
  verifyNote,
} from "./_signed_note.ts";
import type { NoteErrorCode } from "../encoding/error_codes.ts";

export { NOTE_ERROR_CODES } from "../encoding/error_codes.ts";
export type { NoteErrorCode } from "../encoding/error_codes.ts";

/** Signature types of note keys this module reads (c2sp.org/signed-note "Signature types"). */
export const NOTE_KEY_TYPES = ["ed25519", "ecdsa", "rfc6962"] as const;

/** One of {@link NOTE_KEY_TYPES}: `0x01`, `0x02` or `0x05`. */
export type NoteKeyType = typeof NOTE_KEY_TYPES[number];

const TYPE_BYTES: Readonly<Record<NoteKeyType, number>> = {
  ed25519: 0x01,
  ecdsa: 0x02,
  rfc6962: 0x05,
};

/** PKCS#8 prefix of an Ed25519 private key (RFC 8410 §7); the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

const KEY_ID_RE = /^[0-9a-f]{8}$/;

/**
 * A note verifier key (c2sp.org/signed-note "Verifier keys"), as {@link parseVerifierKey}
 * returns it. Plain public data.
 *
 * @example Usage
 * ```ts
 * import { parseVerifierKey } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const key = parseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
 * assert.equal(key.name, "example.com/foo");
 * assert.equal(key.keyId, "530d903a");
 * assert.equal(key.type, "ed25519");
 * assert.equal(key.publicKey.length, 32);
 * ```
 */
export interface NoteVerifierKey {
  /** Key name: non-empty, no Unicode spaces, no `+`. */
  readonly name: string;
  /** Key ID: 8 lowercase hex digits. */
  readonly keyId: string;
  /** Signature type. */
  readonly type: NoteKeyType;
  /** Ed25519: the raw 32-byte key; ECDSA and RFC 6962: the DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array<ArrayBuffer>;
}

/** A note that verified: its text and who signed it. */
export interface OpenedNote {
  /** The note text, ending in a newline (without the blank separator line). */
  text: string;
  /** Names of the trusted keys whose signatures verified, in signature-line order. */
  verified: string[];
  /** Number of distinct signature lines from unknown keys (ignored, as the spec requires). */
  unverifiedCount: number;
}

/** Options of {@link openNote}. */
export interface OpenNoteOptions {
  /** Name of the input (e.g. a file name), used in messages. */
  name?: string | undefined;
}

/**
 * Thrown by {@link openNote} when a well-formed note does not verify. The codes carry the
 * meanings of Go's `note.Open` errors:
 *
 * - `NOTE_SIGNATURE_INVALID`: "invalid signature for key NAME+KEYID" (a known key's signature
 *   fails; the whole note is rejected);
 * - `NOTE_UNVERIFIED`: "note has no verifiable signatures";
 * - `NOTE_KEY_AMBIGUOUS`: "ambiguous key NAME+KEYID" (two trusted keys share name and key ID and
 *   the note has a line for them).
 *
 * @example Usage
 * ```ts
 * import {
 *   NoteVerificationError,
 *   openNote,
 *   parseVerifierKey,
 * } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const key = parseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
 * const note = "This is an example message.\n\n\u2014 example.com/foo " +
 *   "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
 * await assert.rejects(openNote(note.replace("This", "That"), [key]), (error) => {
 *   assert.ok(error instanceof NoteVerificationError);
 *   assert.deepEqual([error.code, error.key], ["NOTE_SIGNATURE_INVALID", "example.com/foo+530d903a"]);
 *   return true;
 * });
 * await assert.rejects(openNote(note, []), (error) => {
 *   assert.ok(error instanceof NoteVerificationError);
 *   assert.deepEqual([error.code, error.key], ["NOTE_UNVERIFIED", ""]);
 *   assert.equal(error.message, "Cannot verify signed note: note has no verifiable signatures");
 *   return true;
 * });
 * ```
 */
export class NoteVerificationError extends Error {
  /** Stable code. */
  readonly code: NoteErrorCode;
  /** `name+keyid` of the signature line concerned; empty for `NOTE_UNVERIFIED`. */
  readonly key: string;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param key `name+keyid` of the line concerned, or `""`.
   * @param message Human-readable message.
   */
  constructor(code: NoteErrorCode, key: string, message: string) {
    super(message);
    this.name = "NoteVerificationError";
    this.code = code;
    this.key = key;
  }
}

function keyError(code: string, why: string): ParseError {
  return new ParseError(code, `Cannot parse note verifier key: ${why}`);
}

/**
 * Parses a note verifier key (vkey) `<name>+<hex key ID>+<base64(type ‖ key)>` strictly. The text
 * is split at its first two `+` (base64 may contain `+`).
 *
 * @param vkey The verifier key text.
 * @returns The key.
 * @throws {ParseError} `NOTE_KEY_INVALID` (bad shape, name, hex, base64, key length or key),
 *   `NOTE_KEY_UNSUPPORTED` (signature type other than 0x01, 0x02, 0x05, or an ECDSA curve other
 *   than P-256), `NOTE_KEY_ID_MISMATCH` (the key ID is not the one the key's type defines).
 *
 * @example Usage
 * ```ts
 * import { parseVerifierKey } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const rekor = parseVerifierKey(
 *   "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=",
 * );
 * assert.equal(rekor.type, "ecdsa");
 * assert.throws(() => parseVerifierKey("PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), {
 *   code: "NOTE_KEY_ID_MISMATCH",
 * });
 * ```
 */
export function parseVerifierKey(vkey: string): NoteVerifierKey {
  if (typeof vkey !== "string") throw new TypeError("Pass the verifier key as a string");
  const first = vkey.indexOf("+");
  const second = first < 0 ? -1 : vkey.indexOf("+", first + 1);
  if (second < 0) throw keyError("NOTE_KEY_INVALID", "expected name+keyid+key");
  const name = vkey.slice(0, first);
  const keyId = vkey.slice(first + 1, second);
  const b64 = vkey.slice(second + 1);
  const bytes = keyParts(name, keyId, b64);
  if (bytes.length < 2) throw keyError("NOTE_KEY_INVALID", "key is too short");
  const material = bytes.slice(1);
  let type: NoteKeyType;
  let expected: string;
  switch (bytes[0]) {
    case 0x01:
      type = "ed25519";
      expected = keyIdOf(name, bytes);
      break;
    case 0x02:
      type = "ecdsa";
      expected = encodeHex(sha256(material).subarray(0, 4));
      break;
    case 0x05:
      type = "rfc6962";
      expected = keyIdOf(name, Uint8Array.of(0x05, ...sha256(material)));
      break;
    default:
      throw keyError("NOTE_KEY_UNSUPPORTED", `signature type 0x${encodeHex(bytes.subarray(0, 1))}`);
  }
  if (keyId !== expected) {
    throw keyError("NOTE_KEY_ID_MISMATCH", `key ID ${keyId} does not match the key`);
  }
  checkKeyMaterial(type, material);
  return Object.freeze({ name, keyId, type, publicKey: material });
}

function checkKeyMaterial(type: NoteKeyType, material: Uint8Array): void {
  if (type === "ed25519") {
    if (material.length !== 32) throw keyError("NOTE_KEY_INVALID", "Ed25519 key must be 32 bytes");
    if (tryImportSpki(ed25519Spki(material)) === undefined) {
      throw keyError("NOTE_KEY_INVALID", "not a valid Ed25519 public key");
    }
    return;
  }
  const key = tryImportSpki(material);
  if (key === undefined || (key.type !== "ecdsa-p256" && key.type !== "ecdsa-p384")) {
    throw keyError("NOTE_KEY_INVALID", "key is not an ECDSA SubjectPublicKeyInfo");
  }
  if (type === "ecdsa" && key.type !== "ecdsa-p256") {
    throw keyError("NOTE_KEY_UNSUPPORTED", "ECDSA note keys must be P-256");
  }
}

/**
 * Formats a note verifier key as its vkey text, the inverse of {@link parseVerifierKey}.
 *
 * @param key The key.
 * @returns `<name>+<keyId>+<base64(type ‖ key)>`.
 * @throws {TypeError} When `key` is not a note verifier key.
 *
 * @example Usage
 * ```ts
 * import { formatVerifierKey, parseVerifierKey } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
 * assert.equal(formatVerifierKey(parseVerifierKey(vkey)), vkey);
 * ```
 */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const typeByte = TYPE_BYTES[key?.type];
  if (typeByte === undefined || !(key.publicKey instanceof Uint8Array)) {
    throw new TypeError("Pass a note verifier key");
  }
  return `${key.name}+${key.keyId}+${encodeBase64(Uint8Array.of(typeByte, ...key.publicKey))}`;
}

/**
 * Makes the note verifier key of a public key given as DER SubjectPublicKeyInfo: an Ed25519 key
 * becomes a type 0x01 key (key ID over the name and the raw key), an ECDSA P-256 key a type 0x02
 * key (key ID over the SPKI), as Rekor v2 and Rekor v1 checkpoints use them.
 *
 * @param name Key name (for Sigstore logs: the host of the log's base URL).
 * @param spki DER SubjectPublicKeyInfo.
 * @returns The verifier key.
 * @throws {ParseError} `NOTE_KEY_INVALID` when the SPKI does not import; `NOTE_KEY_UNSUPPORTED`
 *   for other key types.
 * @throws {TypeError} When `name` is not a valid key name.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { verifierKeyFromSpki } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const spki = decodeBase64("MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=");
 * const key = verifierKeyFromSpki("log2025-1.rekor.sigstore.dev", spki);
 * assert.equal(key.type, "ed25519");
 * assert.equal(key.keyId, "cf119915");
 * ```
 */
export function verifierKeyFromSpki(name: string, spki: Uint8Array): NoteVerifierKey {
  if (typeof name !== "string" || !isValidKeyName(name)) {
    throw new TypeError("Pass a key name without spaces or '+'");
  }
  if (!(spki instanceof Uint8Array)) throw new TypeError("Pass the public key as DER bytes");
  const key = tryImportSpki(spki);
  if (key === undefined) throw keyError("NOTE_KEY_INVALID", "the public key does not import");
  if (key.type === "ed25519") {
    const raw = ed25519Raw(spki);
    if (raw === undefined) throw keyError("NOTE_KEY_INVALID", "non-canonical Ed25519 SPKI");
    return Object.freeze({
      name,
      keyId: keyIdOf(name, Uint8Array.of(0x01, ...raw)),
      type: "ed25519",
      publicKey: raw,
    });
  }
  if (key.type === "ecdsa-p256") {
    const der = spki.slice();
    return Object.freeze({
      name,
      keyId: encodeHex(sha256(der).subarray(0, 4)),
      type: "ecdsa",
      publicKey: der,
    });
  }
  throw keyError("NOTE_KEY_UNSUPPORTED", `${key.type} keys cannot sign notes here`);
}

/**
 * Opens a signed note: parses it strictly and verifies its signatures against trusted keys
 * (c2sp.org/signed-note "Signatures"). Signature lines whose name and key ID match no trusted key
 * are ignored; identical lines count once; if a trusted key's signature fails the whole note is
 * rejected; at least one trusted signature must verify.
 *
 * @param note The note bytes (or text).
 * @param keys Trusted verifier keys ({@link parseVerifierKey}).
 * @param options Name of the input for messages.
 * @returns The text, the names that verified and the number of ignored lines.
 * @throws {ParseError} `NOTE_MALFORMED` when the note is not a well-formed signed note.
 * @throws {NoteVerificationError} When it is well formed but does not verify.
 * @throws {RangeError} When a key is an RFC 6962 tree-head key (parse-only here).
 *
 * @example Usage
 * ```ts
 * import { openNote, parseVerifierKey } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const key = parseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
 * const note = "This is an example message.\n\n\u2014 example.com/foo " +
 *   "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
 * const opened = await openNote(new TextEncoder().encode(note), [key]);
 * assert.deepEqual(opened, { text: "This is an example message.\n", verified: ["example.com/foo"], unverifiedCount: 0 });
 * await assert.rejects(openNote(note.replace("This", "That"), [key]), { code: "NOTE_SIGNATURE_INVALID" });
 * await assert.rejects(openNote("no signatures\n", [key]), { code: "NOTE_MALFORMED" });
 * ```
 */
export async function openNote(
  note: Uint8Array | string,
  keys: readonly NoteVerifierKey[],
  options: OpenNoteOptions = {},
): Promise<OpenedNote> {
  const entries = noteKeyEntries(keys);
  const parsed = parseNote(note, options.name);
  const outcome = await verifyNote(parsed, entries);
  if (outcome.ok) {
    return {
      text: parsed.text,
      verified: outcome.verified,
      unverifiedCount: outcome.unverifiedCount,
    };
  }
  const label = options.name === undefined ? "" : ` "${options.name}"`;
  const messages: Record<NoteErrorCode, string> = {
    NOTE_SIGNATURE_INVALID:
      `Cannot verify signed note${label}: invalid signature for key ${outcome.key}`,
    NOTE_UNVERIFIED: `Cannot verify signed note${label}: note has no verifiable signatures`,
    NOTE_KEY_AMBIGUOUS: `Cannot verify signed note${label}: ambiguous key ${outcome.key}`,
  };
  throw new NoteVerificationError(outcome.code, outcome.key, messages[outcome.code]);
}

/**
 * Signs note text with an Ed25519 note signer key
 * (`PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>`, as Go's `note.NewSigner`
 * reads it). Ed25519 is deterministic, so the same text and key always give the same note.
 *
 * @param text Note text: valid, ends in a newline, no control characters but newline.
 * @param signerKey The signer key text (secret: it is never echoed in errors).
 * @returns The signed note: text, blank line, one signature line.
 * @throws {ParseError} `NOTE_KEY_INVALID` / `NOTE_KEY_UNSUPPORTED` / `NOTE_KEY_ID_MISMATCH` when
 *   the signer key is malformed, not Ed25519, or its key ID does not match its public key.
 * @throws {TypeError} When `text` is not valid note text.
 *
 * @example Usage
 * ```ts
 * import { openNote, parseVerifierKey, signNote } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
 * const vkey = parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
 * const note = await signNote("hello\n", skey);
 * assert.ok(note.startsWith("hello\n\n\u2014 PeterNeumann "));
 * assert.equal((await openNote(note, [vkey])).text, "hello\n");
 * ```
 */
export async function signNote(text: string, signerKey: string): Promise<string> {
  if (typeof text !== "string" || !text.isWellFormed()) {
    throw new TypeError("Pass the note text as a well-formed string");
  }
  // deno-lint-ignore no-control-regex
  if (!text.endsWith("\n") || /[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw new TypeError("Note text must end in a newline and contain no other control characters");
  }
  if (typeof signerKey !== "string") throw new TypeError("Pass the signer key as a string");
  const parts = signerKey.split("+");
  if (parts.length < 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
    throw keyError("NOTE_KEY_INVALID", "expected PRIVATE+KEY+name+keyid+key");
  }
  const name = parts[2]!;
  const keyId = parts[3]!;
  const b64 = parts.slice(4).join("+");
  const bytes = keyParts(name, keyId, b64);
  if (bytes[0] !== 0x01) throw keyError("NOTE_KEY_UNSUPPORTED", "only Ed25519 signer keys");
  if (bytes.length !== 33) throw keyError("NOTE_KEY_INVALID", "Ed25519 seed must be 32 bytes");
  const privateKey = importPkcs8(Uint8Array.of(...ED25519_PKCS8_PREFIX, ...bytes.subarray(1)));
  const raw = ed25519Raw(exportSpki(privateKey));
  if (raw === undefined || keyIdOf(name, Uint8Array.of(0x01, ...raw)) !== keyId) {
    throw keyError("NOTE_KEY_ID_MISMATCH", `key ID ${keyId} does not match the key`);
  }
  const signature = await createSigner(privateKey).sign(encodeUtf8(text));
  const line = encodeBase64(Uint8Array.of(...Uint8Array.fromHex(keyId), ...signature));
  return `${text}\n${SIGNATURE_PREFIX}${name} ${line}\n`;
}

/** Checks a key's name and key ID and decodes its base64 body (verifier and signer keys alike). */
function keyParts(name: string, keyId: string, b64: string): Uint8Array<ArrayBuffer> {
  if (!isValidKeyName(name)) throw keyError("NOTE_KEY_INVALID", "invalid key name");
  if (!KEY_ID_RE.test(keyId)) {
    throw keyError("NOTE_KEY_INVALID", "key ID must be 8 lowercase hex digits");
  }
  try {
    return decodeBase64(b64);
  } catch (error) {
    if (error instanceof ParseError) throw keyError("NOTE_KEY_INVALID", "key is not base64");
    throw error;
  }
}
