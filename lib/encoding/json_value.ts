/**
 * The JSON data model (RFC 8259 §3) as TypeScript types: what {@link parseJson} returns and what
 * {@link canonicalize} accepts without error.
 *
 * @module
 */

/**
 * Any JSON value (RFC 8259 §3): `null`, a boolean, a finite number, a string, an array or an
 * object.
 *
 * @example Usage
 * ```ts
 * import { canonicalize, type JsonValue, parseJson } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const value: JsonValue = { name: "app", tags: ["a", 1, true, null] };
 * assert.equal(canonicalize(value), '{"name":"app","tags":["a",1,true,null]}');
 * assert.deepEqual(parseJson(canonicalize(value)), value);
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/**
 * A JSON object (RFC 8259 §4): string keys mapped to {@link JsonValue}s.
 *
 * @example Usage
 * ```ts
 * import { canonicalize, type JsonObject } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const digest: JsonObject = { sha512: "cd", sha256: "ab" };
 * assert.equal(canonicalize(digest), '{"sha256":"ab","sha512":"cd"}'); // keys sorted
 * ```
 */
export interface JsonObject {
  /** A member: its name and value. */
  [key: string]: JsonValue;
}

/**
 * Returns `true` for a non-null, non-array object: a JSON object once parsed, a record to check
 * field by field before. The one such test in the library.
 *
 * @param value Any value.
 * @returns Whether `value` is a plain object (not `null`, not an array).
 */
export function isObject(value: JsonValue | undefined): value is JsonObject;
/**
 * Returns `true` for a non-null, non-array object (a value not yet known to be JSON).
 *
 * @param value Any value.
 * @returns Whether `value` is an object (not `null`, not an array).
 */
export function isObject(value: unknown): value is { [key: string]: unknown };
export function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
