/**
 * Internal helpers shared by the model validators: JSON type tests, JSON Pointer building
 * (RFC 6901), problem construction (required fields, strings, UTC timestamps) and problem
 * ordering. Not re-exported.
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { isObject, type JsonValue } from "../encoding/json_value.ts";

/** A plain JSON object as seen by a validator (values not yet checked). */
export type UnknownObject = { [key: string]: unknown };

/** Returns `true` for `undefined` and `null` (unset fields; SLSA/in-toto treat both the same). */
export function isUnset(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * Returns `true` for values that count as unset under the in-toto/SLSA parsing rules ("Unset, null,
 * and empty field values MUST be interpreted equivalently"): `undefined`, `null`, `""`, `[]`, `{}`.
 */
export function isEmpty(value: unknown): boolean {
  if (isUnset(value) || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * Returns `true` when none of the recognised `fields` of `object` is set (each is `undefined` or
 * `null`): the object is "missing" even if it holds unrecognised fields.
 */
export function allUnset(object: UnknownObject, fields: readonly string[]): boolean {
  return fields.every((field) => isUnset(object[field]));
}

/** Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901 §3). */
export function pointer(base: string, token: string | number): string {
  return `${base}/${String(token).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/** Describes the JSON type of a value for messages: `a string`, `an array`, `null`, ... */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Builds a `TYPE_MISMATCH` problem: `value` at `path` is not of the `expected` JSON type. */
export function typeMismatch(path: string, expected: string, value: unknown): Problem {
  return {
    path,
    code: "TYPE_MISMATCH",
    message: `Use ${expected} here: got ${describe(value)}`,
  };
}

/** Builds a `FIELD_REQUIRED` problem: `Add <what>`. */
export function required(path: string, what: string): Problem {
  return { path, code: "FIELD_REQUIRED", message: `Add ${what}` };
}

/** Returns `true` when a problem is already reported at exactly `path`. */
export function hasProblemAt(problems: readonly Problem[], path: string): boolean {
  return problems.some((p) => p.path === path);
}

/**
 * Checks a required non-empty string field: pushes `FIELD_REQUIRED` (unset or `""`) or
 * `TYPE_MISMATCH`.
 *
 * @returns The string when valid.
 */
export function requiredString(
  object: UnknownObject,
  field: string,
  path: string,
  what: string,
  problems: Problem[],
): string | undefined {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value) || value === "") {
    problems.push(required(at, what));
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(typeMismatch(at, "a string", value));
    return undefined;
  }
  return value;
}

/**
 * Checks that a set value is an RFC 3339 timestamp in UTC (`Z`): pushes `TYPE_MISMATCH` or
 * `TIMESTAMP_INVALID` naming `field`.
 *
 * @returns Epoch milliseconds when valid.
 */
export function checkUtcTime(
  value: unknown,
  field: string,
  at: string,
  problems: Problem[],
): number | undefined {
  if (typeof value !== "string") {
    problems.push(typeMismatch(at, "an RFC 3339 timestamp string", value));
    return undefined;
  }
  let ms: number | undefined;
  if (value.endsWith("Z")) {
    try {
      ms = parseRfc3339(value);
    } catch {
      ms = undefined;
    }
  }
  if (ms === undefined) {
    problems.push({
      path: at,
      code: "TIMESTAMP_INVALID",
      message: `Write ${field} as an RFC 3339 UTC timestamp like 2025-01-31T12:00:00Z: got ${
        JSON.stringify(value)
      }`,
    });
  }
  return ms;
}

/**
 * Checks a timestamp field: unset or `""` is `FIELD_REQUIRED` when `mandatory` (else fine), any
 * other value must pass {@link checkUtcTime}.
 */
export function checkTimestampField(
  object: UnknownObject,
  field: string,
  path: string,
  mandatory: boolean,
  problems: Problem[],
): void {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value) || value === "") {
    if (mandatory) problems.push(required(at, `${field} (an RFC 3339 UTC time)`));
    return;
  }
  checkUtcTime(value, field, at, problems);
}

/**
 * Returns `required` plus every entry of `optional` that is not empty (`undefined`, `null`, `""`,
 * `[]`, `{}`): the in-toto and SLSA parsing rules make empty and unset equivalent, so builders
 * omit empties.
 */
export function withOptional(
  required: { [key: string]: unknown },
  optional: { [key: string]: unknown },
): { [key: string]: unknown } {
  const out = { ...required };
  for (const [key, value] of Object.entries(optional)) {
    if (!isEmpty(value)) out[key] = value;
  }
  return out;
}

/**
 * Checks an optional string field: pushes `TYPE_MISMATCH` when set to a non-string.
 *
 * @returns `true` when the field holds a non-empty string.
 */
export function checkOptionalString(
  object: UnknownObject,
  field: string,
  path: string,
  problems: Problem[],
): boolean {
  const value = object[field];
  if (isUnset(value)) return false;
  if (typeof value !== "string") {
    problems.push(typeMismatch(pointer(path, field), "a string", value));
    return false;
  }
  return value !== "";
}

/**
 * Deep-copies a caller-supplied value into plain JSON, reporting anything that is not JSON.
 *
 * Object properties whose value is `undefined` are dropped (as `JSON.stringify` does); every
 * other non-JSON value (`undefined` in an array, functions, symbols, bigints, non-finite numbers,
 * class instances such as `Date` or `Uint8Array`) is a `VALUE_NOT_JSON` problem and is left out.
 * Object keys are copied in sorted (UTF-16) order so the copy's iteration order is deterministic.
 */
export function cloneJson(value: unknown, path: string, problems: Problem[]): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    problems.push(notJson(path, `the number ${value}`));
    return null;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => cloneJson(item, pointer(path, i), problems));
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      problems.push(notJson(path, `an instance of ${proto?.constructor?.name ?? "a class"}`));
      return null;
    }
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as UnknownObject)[key];
      if (item === undefined) continue;
      // defineProperty, not assignment: a "__proto__" key must stay an own data property.
      Object.defineProperty(out, key, {
        value: cloneJson(item, pointer(path, key), problems),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  problems.push(notJson(path, describe(value)));
  return null;
}

function notJson(path: string, what: string): Problem {
  return { path, code: "VALUE_NOT_JSON", message: `Pass a JSON value here: got ${what}` };
}
