/**
 * Internal engine of C2SP signed notes (c2sp.org/signed-note "Format", "Signatures"): the strict
 * structural parse of a note and the signature-line verification that `signed_note.ts` (public
 * `openNote`) and `checkpoint.ts` (`verifyCheckpoint`) share. Not re-exported from `mod.ts`.
 *
 * Verification never throws for untrusted input: it returns a {@link NoteOutcome}, and the
 * public callers turn it into an error or a check.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { concatBytes, decodeBase64, decodeUtf8, encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { sha256 } from "../digest/digest.ts";
import { importSpki } from "../keys/key_der.ts";
import type { PublicKey } from "../keys/key.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import type { NoteVerifierKey } from "./signed_note.ts";

/** The em dash and space that open every signature line. */
export const SIGNATURE_PREFIX = "\u2014 ";

/** Most signature lines accepted in one note (as `golang.org/x/mod/sumdb/note`; C2SP asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4); the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Uint8Array.fromHex("302a300506032b6570032100");

/** Control characters other than newline (U+000A), which a note must not contain. */
// deno-lint-ignore no-control-regex
const CONTROL_RE = /[\u0000-\u0009\u000b-\u001f]/;

/** Unicode White_Space: what Go's `unicode.IsSpace` rejects in key names. */
const SPACE_RE = /\p{White_Space}/u;

/** One parsed signature line. */
export interface NoteLine {
  /** Key name as written. */
  name: string;
  /** Key ID: 8 lowercase hex digits (the first four signature bytes). */
  keyId: string;
  /** The signature proper (after the key ID). */
  signature: Uint8Array<ArrayBuffer>;
  /** The whole line without its newline (identical lines are collapsed). */
  line: string;
}

/** A structurally valid note: its text and signature lines, nothing verified yet. */
export interface ParsedNote {
  /** The note text, ending in a newline (not the blank separator line). */
  text: string;
  /** The note text as UTF-8 bytes (what signatures cover). */
  textBytes: Uint8Array<ArrayBuffer>;
  /** Signature lines in order. */
  lines: NoteLine[];
}

/** A key the engine can check signature lines against. */
export interface NoteKeyEntry {
  /** Key name a line must carry, or `undefined` to match any name (Rekor v1 ECDSA log keys). */
  name: string | undefined;
  /** Key ID: 8 lowercase hex digits. */
  keyId: string;
  /** Checks one signature over the note text bytes. */
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** Result of checking a parsed note's signature lines against keys. */
export type NoteOutcome =
  | { ok: true; verified: string[]; unverifiedCount: number }
  | {
    ok: false;
    /** Why: a known key's signature failed, no signature verified, or two keys match a line. */
    code: "NOTE_SIGNATURE_INVALID" | "NOTE_UNVERIFIED" | "NOTE_KEY_AMBIGUOUS";
    /** `name+keyid` of the line concerned (empty for `NOTE_UNVERIFIED`). */
    key: string;
  };

/**
 * Tells whether `name` is a valid key name: non-empty, no Unicode white space, no `+`.
 *
 * @param name Candidate key name.
 * @returns `true` when valid.
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !SPACE_RE.test(name) && !name.includes("+");
}

/**
 * Computes a C2SP key ID: `SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]` as 8 lowercase hex digits.
 *
 * @param name Key name.
 * @param typeAndKey Signature type byte followed by the public key encoding.
 * @returns The key ID.
 */
export function keyIdOf(name: string, typeAndKey: Uint8Array): string {
  return encodeHex(
    sha256(concatBytes(encodeUtf8(name), Uint8Array.of(0x0a), typeAndKey)).subarray(0, 4),
  );
}

/**
 * Builds the DER SubjectPublicKeyInfo of a raw 32-byte Ed25519 public key.
 *
 * @param raw The 32-byte key.
 * @returns The 44-byte SPKI.
 */
export function ed25519Spki(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(ED25519_SPKI_PREFIX, raw);
}

/**
 * Returns the raw 32-byte key of an Ed25519 SPKI, or `undefined` when it is not one.
 *
 * @param spki DER SubjectPublicKeyInfo.
 * @returns The raw key bytes.
 */
export function ed25519Raw(spki: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  if (spki.length !== 44) return undefined;
  for (let i = 0; i < ED25519_SPKI_PREFIX.length; i++) {
    if (spki[i] !== ED25519_SPKI_PREFIX[i]) return undefined;
  }
  return spki.slice(12);
}

/**
 * Imports a public key (strict DER, validated point) or returns `undefined`.
 *
 * @param spki DER SubjectPublicKeyInfo.
 * @returns The key, or `undefined` when it does not import.
 */
export function tryImportSpki(spki: Uint8Array): PublicKey | undefined {
  try {
    return importSpki(spki);
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

/**
 * Makes the signature check of a key: Ed25519 (RFC 8032) over the text, or ECDSA P-256 with
 * SHA-256 over the text and an ASN.1 DER signature (c2sp.org/signed-note type 0x02).
 *
 * @param key An Ed25519 or ECDSA P-256 public key.
 * @returns The check.
 */
export function noteSignatureCheck(
  key: PublicKey,
): (data: Uint8Array, signature: Uint8Array) => Promise<boolean> {
  const verifier = createVerifier(key, { ecdsaSignatureFormat: "der" });
  return (data, signature) => verifier.verify(data, signature);
}

function malformed(name: string | undefined, why: string): ParseError {
  const label = name === undefined ? "" : ` "${name}"`;
  return new ParseError("NOTE_MALFORMED", `Cannot parse signed note${label}: ${why}`);
}

/**
 * Parses the structure of a signed note strictly (c2sp.org/signed-note "Format"): valid UTF-8,
 * no control characters but newline, text split from the signatures at the last blank line, at
 * least one and at most {@link MAX_NOTE_SIGNATURES} well-formed signature lines, final newline.
 *
 * Unlike Go's `note.Open`, every line is parsed before any signature is checked, so a malformed
 * note is reported as malformed whatever its signatures.
 *
 * @param input Note bytes (or text).
 * @param name Optional name of the input for messages.
 * @returns The text and signature lines.
 * @throws {ParseError} `NOTE_MALFORMED`.
 */
export function parseNote(input: Uint8Array | string, name?: string): ParsedNote {
  let all: string;
  if (typeof input === "string") {
    all = input;
    if (!input.isWellFormed()) throw malformed(name, "text has lone surrogates");
  } else if (input instanceof Uint8Array) {
    try {
      all = decodeUtf8(input);
    } catch (error) {
      if (error instanceof ParseError) throw malformed(name, "not valid UTF-8");
      throw error;
    }
  } else {
    throw new TypeError("Pass the note as a Uint8Array or a string");
  }
  const control = CONTROL_RE.exec(all);
  if (control !== null) {
    throw malformed(name, `control character at offset ${control.index}`);
  }
  const split = all.lastIndexOf("\n\n");
  if (split < 0) throw malformed(name, "no blank line before the signatures");
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block.length === 0) throw malformed(name, "no signature lines");
  if (!block.endsWith("\n")) throw malformed(name, "last line does not end in a newline");
  const raw = block.slice(0, -1).split("\n");
  if (raw.length > MAX_NOTE_SIGNATURES) {
    throw malformed(name, `more than ${MAX_NOTE_SIGNATURES} signature lines`);
  }
  const lines = raw.map((line, index): NoteLine => {
    const where = `signature line ${index + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw malformed(name, `${where} does not start with an em dash and a space`);
    }
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(" ");
    const keyName = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? "" : rest.slice(space + 1);
    if (!isValidKeyName(keyName)) throw malformed(name, `${where} has an invalid key name`);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = decodeBase64(b64);
    } catch (error) {
      if (error instanceof ParseError) throw malformed(name, `${where} is not base64`);
      throw error;
    }
    if (bytes.length < 5) throw malformed(name, `${where} is too short`);
    return {
      name: keyName,
      keyId: encodeHex(bytes.subarray(0, 4)),
      signature: bytes.slice(4),
      line,
    };
  });
  return { text, textBytes: encodeUtf8(text), lines };
}

/**
 * Checks the signature lines of a parsed note (c2sp.org/signed-note "Signatures", with the
 * semantics of Go's `note.Open`): lines whose name and key ID match no key are ignored (counted
 * once per distinct line); a line matching two keys is ambiguous; the first line of a key is
 * verified and later lines of the same key are skipped; a failing signature of a known key
 * rejects the note; at least one signature must verify.
 *
 * @param note The parsed note.
 * @param keys The trusted keys.
 * @returns The names that verified (in line order) and the ignored-line count, or why not.
 */
export async function verifyNote(
  note: ParsedNote,
  keys: readonly NoteKeyEntry[],
): Promise<NoteOutcome> {
  const verified: string[] = [];
  const seenKeys = new Set<number>();
  const unverified = new Set<string>();
  for (const line of note.lines) {
    const matches: number[] = [];
    keys.forEach((key, index) => {
      if (key.keyId === line.keyId && (key.name === undefined || key.name === line.name)) {
        matches.push(index);
      }
    });
    const label = `${line.name}+${line.keyId}`;
    if (matches.length === 0) {
      unverified.add(line.line);
      continue;
    }
    if (matches.length > 1) return { ok: false, code: "NOTE_KEY_AMBIGUOUS", key: label };
    const index = matches[0]!;
    if (seenKeys.has(index)) continue;
    seenKeys.add(index);
    if (!(await keys[index]!.verify(note.textBytes, line.signature))) {
      return { ok: false, code: "NOTE_SIGNATURE_INVALID", key: label };
    }
    verified.push(line.name);
  }
  if (verified.length === 0) return { ok: false, code: "NOTE_UNVERIFIED", key: "" };
  return { ok: true, verified, unverifiedCount: unverified.size };
}

/**
 * Turns verifier keys into engine entries (name must match exactly).
 *
 * @param keys Verifier keys.
 * @returns Entries for the engine.
 */
export function noteKeyEntries(keys: readonly NoteVerifierKey[]): NoteKeyEntry[] {
  if (!Array.isArray(keys)) throw new TypeError("Pass the trusted keys as an array");
  return keys.map((key) => {
    if (key?.type === "rfc6962") {
      throw new RangeError(
        `Cannot verify notes with RFC 6962 tree-head key "${key.name}": unsupported`,
      );
    }
    if (key?.type !== "ed25519" && key?.type !== "ecdsa") {
      throw new TypeError("Pass note verifier keys made by parseVerifierKey");
    }
    const spki = key.type === "ed25519" ? ed25519Spki(key.publicKey) : key.publicKey;
    const imported = tryImportSpki(spki);
    if (imported === undefined) throw new TypeError(`Cannot use note key "${key.name}": bad key`);
    if (key.type === "ecdsa" && imported.type !== "ecdsa-p256") {
      throw new RangeError(`Cannot verify notes with ECDSA key "${key.name}": use P-256`);
    }
    return { name: key.name, keyId: key.keyId, verify: noteSignatureCheck(imported) };
  });
}
