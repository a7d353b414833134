/**
 * Internal helpers shared by the model validators: JSON type tests, JSON Pointer building
 * (RFC 6901) and problem construction. Not re-exported.
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
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
