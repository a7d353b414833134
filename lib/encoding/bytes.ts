/**
 * Byte helpers over the platform built-ins (`Uint8Array.prototype.toHex/toBase64`,
 * `Uint8Array.fromHex/fromBase64`, `TextEncoder`/`TextDecoder`).
 *
 * Decoders are strict: they reject whitespace, wrong alphabets, bad padding and non-zero padding
 * bits (RFC 4648 §3.5 canonical encoding) with a {@link ParseError} naming the input.
 *
 * @module
 */

import { ParseError } from "./errors.ts";

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]*={0,2}$/;
const UTF8_DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

/**
 * Encodes bytes as lowercase hex.
 *
 * @param bytes Bytes to encode.
 * @returns Lowercase hex string, two characters per byte.
 *
 * @example Usage
 * ```ts
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(encodeHex(new Uint8Array([0, 171, 255])), "00abff");
 * ```
 */
export function encodeHex(bytes: Uint8Array): string {
  return bytes.toHex();
}

/**
 * Decodes hex (either case) strictly.
 *
 * @param text Hex text with an even number of digits and nothing else.
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded bytes.
 * @throws {ParseError} `HEX_INVALID` when the text is not hex.
 *
 * @example Usage
 * ```ts
 * import { decodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeHex("00abFF"), new Uint8Array([0, 171, 255]));
 * assert.throws(() => decodeHex("abc"), { code: "HEX_INVALID" });
 * ```
 */
export function decodeHex(text: string, name?: string): Uint8Array<ArrayBuffer> {
  if (!HEX_RE.test(text)) {
    throw new ParseError(
      "HEX_INVALID",
      `Cannot decode hex${label(name)}: not an even-length hex string`,
    );
  }
  return Uint8Array.fromHex(text);
}

/**
 * Encodes bytes as standard, padded base64 (RFC 4648 §4).
 *
 * @param bytes Bytes to encode.
 * @returns Padded base64 text.
 *
 * @example Usage
 * ```ts
 * import { encodeBase64 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(encodeBase64(new TextEncoder().encode("hello world")), "aGVsbG8gd29ybGQ=");
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  return bytes.toBase64();
}

/**
 * Decodes standard, padded base64 strictly: no whitespace, correct padding, zero padding bits.
 *
 * @param text Base64 text.
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded bytes.
 * @throws {ParseError} `BASE64_INVALID` when the text is not canonical standard base64.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(new TextDecoder().decode(decodeBase64("aGVsbG8gd29ybGQ=")), "hello world");
 * assert.throws(() => decodeBase64("aGVsbG8gd29ybGQ"), { code: "BASE64_INVALID" });
 * ```
 */
export function decodeBase64(text: string, name?: string): Uint8Array<ArrayBuffer> {
  const bytes = decodeCanonicalBase64(text);
  if (bytes !== undefined) return bytes;
  throw new ParseError(
    "BASE64_INVALID",
    BASE64_RE.test(text)
      ? `Cannot decode base64${label(name)}: non-zero padding bits`
      : `Cannot decode base64${label(name)}: not padded standard base64`,
  );
}

/**
 * The bytes of canonical padded standard base64, else undefined. The platform decoder in strict
 * mode checks the alphabet, the padding and the padding bits but skips ASCII whitespace; canonical
 * text has exactly 4 characters per started 3 bytes, so any skipped character shows in the length.
 * (One native pass: the regular expression only words the error.)
 */
function decodeCanonicalBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.fromBase64(text, { lastChunkHandling: "strict" });
  } catch {
    return undefined;
  }
  return text.length === 4 * Math.ceil(bytes.length / 3) ? bytes : undefined;
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5), as JWK and JWS use it.
 *
 * @param bytes Bytes to encode.
 * @returns Unpadded base64url text.
 *
 * @example Usage
 * ```ts
 * import { encodeBase64Url } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(encodeBase64Url(new Uint8Array([251, 255])), "-_8");
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

/**
 * Decodes base64url strictly; padding is optional but must be correct when present.
 *
 * @param text Base64url text.
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded bytes.
 * @throws {ParseError} `BASE64_INVALID` when the text is not canonical base64url.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64Url } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeBase64Url("-_8"), new Uint8Array([251, 255]));
 * assert.throws(() => decodeBase64Url("+/8="), { code: "BASE64_INVALID" });
 * ```
 */
export function decodeBase64Url(text: string, name?: string): Uint8Array<ArrayBuffer> {
  if (!BASE64URL_RE.test(text)) {
    throw new ParseError(
      "BASE64_INVALID",
      `Cannot decode base64url${label(name)}: invalid character`,
    );
  }
  const unpadded = text.replace(/=+$/, "");
  if (text.length !== unpadded.length && text.length % 4 !== 0) {
    throw new ParseError("BASE64_INVALID", `Cannot decode base64url${label(name)}: wrong padding`);
  }
  try {
    return Uint8Array.fromBase64(unpadded, { alphabet: "base64url", lastChunkHandling: "strict" });
  } catch {
    try {
      // Unpadded input: "strict" requires padding, so re-check with explicit padding added.
      const padded = unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4);
      return Uint8Array.fromBase64(padded, { alphabet: "base64url", lastChunkHandling: "strict" });
    } catch {
      throw new ParseError("BASE64_INVALID", `Cannot decode base64url${label(name)}: malformed`);
    }
  }
}

/**
 * Decodes either standard or URL-safe base64, as the DSSE envelope spec requires of parsers.
 *
 * @param text Base64 or base64url text (padding optional for base64url).
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded bytes.
 * @throws {ParseError} `BASE64_INVALID` when the text is neither.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64Any } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeBase64Any("+/8="), decodeBase64Any("-_8"));
 * ```
 */
export function decodeBase64Any(text: string, name?: string): Uint8Array<ArrayBuffer> {
  // Canonical standard base64 has no "-" or "_" and is padded: the branch below would take it too.
  const bytes = decodeCanonicalBase64(text);
  if (bytes !== undefined) return bytes;
  if (/[-_]/.test(text) || !/=$|^(?:.{4})*$/s.test(text)) return decodeBase64Url(text, name);
  return decodeBase64(text, name);
}

/**
 * Encodes a string as UTF-8.
 *
 * @param text Text to encode.
 * @returns UTF-8 bytes.
 *
 * @example Usage
 * ```ts
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeUtf8("é"), new Uint8Array([0xc3, 0xa9]));
 * ```
 */
export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  return UTF8_ENCODER.encode(text);
}

/**
 * Decodes UTF-8 strictly (invalid sequences are an error, a BOM is kept as U+FEFF).
 *
 * @param bytes UTF-8 bytes.
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded text.
 * @throws {ParseError} `UTF8_INVALID` on malformed UTF-8.
 *
 * @example Usage
 * ```ts
 * import { decodeUtf8 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(decodeUtf8(new Uint8Array([0xc3, 0xa9])), "é");
 * assert.throws(() => decodeUtf8(new Uint8Array([0xc3])), { code: "UTF8_INVALID" });
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, name?: string): string {
  try {
    return UTF8_DECODER.decode(bytes);
  } catch {
    throw new ParseError(
      "UTF8_INVALID",
      `Cannot decode UTF-8${label(name)}: malformed byte sequence`,
    );
  }
}

/**
 * Concatenates byte arrays into one new array.
 *
 * @param parts Arrays to join, in order.
 * @returns A new array holding every byte of `parts`.
 *
 * @example Usage
 * ```ts
 * import { concatBytes } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths (for MACs and secrets).
 *
 * @param a First array.
 * @param b Second array.
 * @returns `true` when both have the same length and the same bytes.
 *
 * @example Usage
 * ```ts
 * import { timingSafeEqual } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Compares two byte arrays for equality (not constant time; use {@link timingSafeEqual} for secrets).
 *
 * @param a First array.
 * @param b Second array.
 * @returns `true` when both hold the same bytes.
 *
 * @example Usage
 * ```ts
 * import { equalBytes } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(equalBytes(new Uint8Array([1]), new Uint8Array([1])), true);
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
