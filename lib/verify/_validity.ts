/**
 * The `validFor` window of Sigstore trusted-root entries (`{ start, end? }`, RFC 3339), read the
 * same way for certificate authorities, timestamp authorities and transparency-log keys: a
 * missing start, a malformed time or a window that ends before it starts is invalid.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { isObject } from "../encoding/json_value.ts";

/** A validity window in epoch milliseconds; no `validUntil` means open-ended. */
export interface ValidityWindow {
  validFrom: number;
  validUntil?: number;
}

/**
 * Reads a `validFor` member.
 *
 * @param value The member's value.
 * @param at JSON Pointer of the member, for messages.
 * @param invalid Makes the caller's error for a path and a reason.
 * @returns The window.
 */
export function validityWindow(
  value: JsonValue | undefined,
  at: string,
  invalid: (path: string, why: string) => ParseError,
): ValidityWindow {
  if (!isObject(value)) throw invalid(at, "is missing");
  if (typeof value.start !== "string") throw invalid(`${at}/start`, "is missing");
  const validFrom = time(value.start, `${at}/start`, invalid);
  if (value.end === undefined || value.end === null) return { validFrom };
  if (typeof value.end !== "string") throw invalid(`${at}/end`, "is not a string");
  const validUntil = time(value.end, `${at}/end`, invalid);
  if (validUntil < validFrom) throw invalid(at, "ends before it starts");
  return { validFrom, validUntil };
}

function time(
  value: string,
  path: string,
  invalid: (path: string, why: string) => ParseError,
): number {
  try {
    return parseRfc3339(value);
  } catch (error) {
    if (error instanceof ParseError) throw invalid(path, "is not an RFC 3339 time");
    throw error;
  }
}
