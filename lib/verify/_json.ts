/**
 * The one JSON object test of `lib/verify` (internal): readers of trusted roots, log keys and
 * Sigstore bundle bodies walk parsed JSON with it.
 *
 * @module
 */

import type { JsonObject, JsonValue } from "../encoding/json_value.ts";

/**
 * Whether a parsed JSON value is an object (not `null`, not an array).
 *
 * @param value A parsed JSON value.
 * @returns True for an object.
 */
export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
