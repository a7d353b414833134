/**
 * Byte, text and JSON helpers of `@stellaops/provenance`: hex and base64, UTF-8, RFC 3339 times,
 * JSON Lines, JSON Pointer, PEM, strict JSON limits.
 *
 * @module
 */

export type { Problem } from "./errors.ts";
export {
  concatBytes,
  decodeBase64,
  decodeBase64Any,
  decodeBase64Url,
  decodeHex,
  decodeUtf8,
  encodeBase64,
  encodeBase64Url,
  encodeHex,
  encodeUtf8,
  equalBytes,
  timingSafeEqual,
} from "./bytes.ts";
export { describeTime, formatRfc3339, parseRfc3339 } from "./time.ts";
export { splitJsonLines } from "./json_lines.ts";
export { evaluatePointer, formatPointer, parsePointer } from "./json_pointer.ts";
export type { JsonObject, JsonValue } from "./json_value.ts";
export { canonicalizeText } from "./canonical_json.ts";
export { DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_JSON_DEPTH } from "./strict_json.ts";
export type { ParseJsonOptions } from "./strict_json.ts";
export { decodePem, decodePemAll, encodePem } from "./pem.ts";
export type { DecodePemOptions, PemBlock } from "./pem.ts";
export { sortProblems } from "./errors.ts";
export { isBlankLine } from "./json_lines.ts";
export { parseDuration } from "./time.ts";
