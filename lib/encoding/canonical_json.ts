/**
 * JSON Canonicalization Scheme (RFC 8785): the one byte-exact serialization of a JSON value that
 * we hash and sign.
 *
 * - §3.1 input data: only the I-JSON subset (RFC 7493) is accepted: finite numbers, strings that
 *   are valid Unicode (no lone surrogates), plain objects and arrays.
 * - §3.2.1 whitespace: none.
 * - §3.2.2.1/§3.2.2.2 literals and strings: `JSON.stringify` escaping, which for valid Unicode
 *   emits only `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and lowercase `\u00xx` for the other
 *   control characters; everything else (including `/` and non-ASCII) is literal.
 * - §3.2.2.3 numbers: ECMAScript `Number.prototype.toString` (`-0` becomes `0`).
 * - §3.2.3 sorting: object members ordered by the UTF-16 code units of their names.
 * - §3.2.4 UTF-8 output ({@link canonicalBytes}).
 *
 * Implementation: a fast path validates the value, builds key-sorted copies of the objects whose
 * members are not already in order, and lets `JSON.stringify` write the text (its output equals
 * RFC 8785 once members are sorted and strings are valid Unicode). Anything unusual (an invalid
 * value, integer-like member names that JavaScript would reorder, a lone surrogate, nesting
 * deeper than 512 levels, a cycle) falls back to a careful iterative serializer that names the
 * JSON Pointer path of the first problem.
 *
 * @module
 */

import { formatPointer } from "./json_pointer.ts";
import { parseJson, type ParseJsonOptions } from "./strict_json.ts";

/** Nesting depth beyond which the fast path hands over to the iterative serializer. */
const MAX_FAST_DEPTH = 512;
/** Insertion sort is faster than `Array.prototype.sort` for the small objects of attestations. */
const INSERTION_SORT_MAX = 16;
const OBJECT_PROTOTYPE = Object.prototype;
const UTF8 = new TextEncoder();

/** Thrown inside the fast path to hand over to the checked serializer; never escapes. */
const BAIL = Symbol("bail");

/** Set by the fast path when a reordered copy has a member name JavaScript may reorder. */
let integerLikeKey = false;

/**
 * Serializes a JavaScript value as RFC 8785 canonical JSON.
 *
 * Accepts `null`, booleans, finite numbers, strings, arrays and plain objects (prototype
 * `Object.prototype` or `null`). Object members whose value is `undefined` are omitted, as
 * `JSON.stringify` does, so optional fields can be left unset; own enumerable string-keyed
 * members are serialized (symbol keys and non-enumerable members are ignored). `__proto__` is an
 * ordinary member name. Accessor members are read like data members and must be pure.
 *
 * @param value The value to serialize.
 * @returns The canonical JSON text.
 * @throws {TypeError} When the value (at the JSON Pointer path named in the message) is not JSON:
 *   `undefined` at the root or in an array, a function, symbol or bigint, an object that is not a
 *   plain object or array (`Map`, `Date`, class instances, typed arrays), a string or member name
 *   with a lone surrogate, or a circular reference.
 * @throws {RangeError} When a number is `NaN` or infinite (the message names its path).
 *
 * @example Usage
 * ```ts
 * import { canonicalize } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   canonicalize({ b: [1e21, -0, 0.1], a: "€\n", c: undefined }),
 *   '{"a":"€\\n","b":[1e+21,0,0.1]}',
 * );
 * assert.throws(() => canonicalize({ a: [NaN] }), RangeError);
 * assert.throws(() => canonicalize({ a: new Date(0) }), TypeError);
 * ```
 */
export function canonicalize(value: unknown): string {
  if (!("toJSON" in Array.prototype)) {
    // Saved and restored so that a getter calling canonicalize() cannot clear the outer flag.
    const outer = integerLikeKey;
    integerLikeKey = false;
    let prepared: unknown;
    let reordered: boolean;
    try {
      prepared = prepare(value, 0);
    } catch (error) {
      if (error !== BAIL) throw error;
      return serializeChecked(value);
    } finally {
      reordered = integerLikeKey;
      integerLikeKey = outer;
    }
    if (!reordered) {
      const text = JSON.stringify(prepared);
      if (!hasSurrogateEscape(text)) return text;
    }
  }
  return serializeChecked(value);
}

/**
 * Serializes a JavaScript value as RFC 8785 canonical JSON and encodes it as UTF-8 (§3.2.4):
 * the bytes to hash or sign.
 *
 * @param value The value to serialize (see {@link canonicalize}).
 * @returns The UTF-8 bytes of the canonical JSON text.
 * @throws {TypeError} When the value is not JSON (see {@link canonicalize}).
 * @throws {RangeError} When a number is `NaN` or infinite.
 *
 * @example Usage
 * ```ts
 * import { canonicalBytes } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual(canonicalBytes({ b: "é", a: 1 }), new TextEncoder().encode('{"a":1,"b":"é"}'));
 * ```
 */
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return UTF8.encode(canonicalize(value));
}

/**
 * Parses untrusted JSON text strictly (see {@link parseJson}) and returns its RFC 8785 canonical
 * form.
 *
 * @param input JSON text, or its UTF-8 bytes.
 * @param options Input name for messages and the size and depth limits.
 * @returns The canonical JSON text.
 * @throws {ParseError} When the input is not strict JSON (codes as in {@link parseJson}).
 *
 * @example Usage
 * ```ts
 * import { canonicalizeText } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(canonicalizeText('{ "b": 56.0, "a": "\\u20ac" }'), '{"a":"€","b":56}');
 * assert.throws(() => canonicalizeText('{"a":1,"a":2}'), { code: "JSON_DUPLICATE_KEY" });
 * ```
 */
export function canonicalizeText(input: string | Uint8Array, options?: ParseJsonOptions): string {
  return canonicalize(parseJson(input, options));
}

/** Sorts member names in place by UTF-16 code units and returns the same array. */
function sortKeys(keys: string[]): string[] {
  const n = keys.length;
  if (n > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < n; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** Adds a member to a fresh plain object; `__proto__` becomes an own data property. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** Checks a primitive for the fast path; throws {@link BAIL} for anything but JSON. */
function checkPrimitive(value: unknown): void {
  if (typeof value === "number") {
    if (value - value !== 0) throw BAIL;
  } else if (typeof value !== "string" && typeof value !== "boolean" && value !== null) {
    throw BAIL;
  }
}

/**
 * Fast path: validates `value` and returns it, or a copy whose objects list their members in
 * canonical order, ready for `JSON.stringify`. Throws {@link BAIL} on anything unusual.
 */
function prepare(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) {
    checkPrimitive(value);
    return value;
  }
  if (depth > MAX_FAST_DEPTH) throw BAIL;
  if (Array.isArray(value)) {
    const n = value.length;
    let copy: unknown[] | undefined;
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      let result = item;
      if (typeof item === "object" && item !== null) {
        result = prepare(item, depth + 1);
        if (result !== item && copy === undefined) copy = value.slice(0, i);
      } else {
        checkPrimitive(item);
      }
      if (copy !== undefined) copy.push(result);
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== OBJECT_PROTOTYPE && prototype !== null) throw BAIL;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const n = keys.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      break;
    }
  }
  if (!sorted) {
    sortKeys(keys);
    const copy: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const code = key.charCodeAt(0);
      // JavaScript enumerates integer-like names first, whatever their insertion order.
      if (code >= 48 && code <= 57) integerLikeKey = true;
      const item = object[key];
      if (item === undefined) continue;
      if (typeof item === "object" && item !== null) {
        setMember(copy, key, prepare(item, depth + 1));
      } else {
        checkPrimitive(item);
        setMember(copy, key, item);
      }
    }
    return copy;
  }
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const item = object[key];
    let result = item;
    if (typeof item === "object" && item !== null) {
      result = prepare(item, depth + 1);
      if (result !== item && copy === undefined) {
        copy = {};
        for (let j = 0; j < i; j++) setMember(copy, keys[j]!, object[keys[j]!]);
      }
    } else if (item !== undefined) {
      checkPrimitive(item);
    }
    if (copy !== undefined) setMember(copy, key, result);
  }
  return copy ?? value;
}

/**
 * Reports whether `JSON.stringify` output contains a `\ud8xx`–`\udfxx` escape, which it writes
 * only for a lone surrogate (a backslash preceded by an even number of backslashes starts an
 * escape; an odd number means the text was a literal `\` in the data).
 */
function hasSurrogateEscape(text: string): boolean {
  let at = text.indexOf("\\ud");
  while (at !== -1) {
    let backslashes = 0;
    while (at - backslashes - 1 >= 0 && text.charCodeAt(at - backslashes - 1) === 92) {
      backslashes++;
    }
    const next = text.charCodeAt(at + 3);
    // "8"–"9" or "a"–"f" after "\ud": a surrogate escape when the backslash is not escaped.
    if (backslashes % 2 === 0 && ((next >= 56 && next <= 57) || (next >= 97 && next <= 102))) {
      return true;
    }
    at = text.indexOf("\\ud", at + 1);
  }
  return false;
}

/** Describes a non-plain object for an error message (`Map`, `Date`, a class name, …). */
function describeObject(value: object): string {
  try {
    const prototype: unknown = Object.getPrototypeOf(value);
    const ctor: unknown = typeof prototype === "object" && prototype !== null
      ? Object.getOwnPropertyDescriptor(prototype, "constructor")?.value
      : undefined;
    if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "") {
      return `a ${ctor.name}`;
    }
  } catch {
    // Fall through to the generic description (exotic objects such as revoked proxies).
  }
  return "an object with a custom prototype";
}

/**
 * The checked serializer: iterative (any depth), detects cycles and names the JSON Pointer path
 * of the first problem. Produces exactly the fast path's output.
 */
function serializeChecked(root: unknown): string {
  const containers: object[] = [];
  const keyLists: (string[] | null)[] = [];
  const positions: number[] = [];
  const written: number[] = [];
  const onPath = new Set<object>();

  const fail = (
    ErrorClass: TypeErrorConstructor | RangeErrorConstructor,
    problem: string,
  ): never => {
    const tokens: (string | number)[] = [];
    for (let i = 0; i < containers.length; i++) {
      const keys = keyLists[i];
      const at = positions[i]! - 1;
      tokens.push(keys === null || keys === undefined ? at : keys[at]!);
    }
    const pointer = formatPointer(tokens);
    const where = pointer === "" ? "the root" : JSON.stringify(pointer);
    throw new ErrorClass(`Cannot canonicalize value at ${where}: ${problem}`);
  };

  let out = "";
  let value: unknown = root;
  for (;;) {
    // Write `value`: a primitive completely, a container's opening bracket.
    switch (typeof value) {
      case "string":
        if (!value.isWellFormed()) fail(TypeError, "string contains a lone surrogate");
        out += JSON.stringify(value);
        break;
      case "number":
        if (!Number.isFinite(value)) fail(RangeError, `${value} is not a JSON number`);
        out += String(value);
        break;
      case "boolean":
        out += value ? "true" : "false";
        break;
      case "undefined":
        fail(TypeError, "undefined is not JSON");
        break;
      case "function":
        fail(TypeError, "a function is not JSON");
        break;
      case "symbol":
        fail(TypeError, "a symbol is not JSON");
        break;
      case "bigint":
        fail(TypeError, "a bigint is not JSON (convert it to a number or string first)");
        break;
      case "object": {
        if (value === null) {
          out += "null";
          break;
        }
        if (onPath.has(value)) fail(TypeError, "circular reference");
        let keys: string[] | null = null;
        if (Array.isArray(value)) {
          out += "[";
        } else {
          const prototype: unknown = Object.getPrototypeOf(value);
          if (prototype !== OBJECT_PROTOTYPE && prototype !== null) {
            fail(TypeError, `${describeObject(value)} is not a plain object or array`);
          }
          keys = sortKeys(Object.keys(value));
          for (const key of keys) {
            if (!key.isWellFormed()) fail(TypeError, "a member name contains a lone surrogate");
          }
          out += "{";
        }
        onPath.add(value);
        containers.push(value);
        keyLists.push(keys);
        positions.push(0);
        written.push(0);
        break;
      }
    }
    // Find the next value to write, closing finished containers.
    let found = false;
    while (containers.length > 0) {
      const top = containers.length - 1;
      const container = containers[top]!;
      const keys = keyLists[top] as string[] | null;
      if (keys === null) {
        const array = container as unknown[];
        const at = positions[top]!;
        if (at < array.length) {
          positions[top] = at + 1;
          if (at > 0) out += ",";
          value = array[at];
          if (value === undefined) fail(TypeError, "undefined is not allowed in arrays");
          found = true;
          break;
        }
        out += "]";
      } else {
        const object = container as Record<string, unknown>;
        let at = positions[top]!;
        while (at < keys.length) {
          const key = keys[at]!;
          at++;
          const item = object[key];
          if (item === undefined) continue;
          positions[top] = at;
          if (written[top]! > 0) out += ",";
          written[top] = written[top]! + 1;
          out += JSON.stringify(key) + ":";
          value = item;
          found = true;
          break;
        }
        if (found) break;
        out += "}";
      }
      onPath.delete(container);
      containers.pop();
      keyLists.pop();
      positions.pop();
      written.pop();
    }
    if (!found) return out;
  }
}
