/**
 * JSON Pointer (RFC 6901): parse, format and evaluate.
 *
 * - §3 syntax: `""` is the whole document; otherwise `/`-prefixed reference tokens where `~1`
 *   stands for `/` and `~0` for `~` (decoded in that order, §4).
 * - §4 evaluation: object members by exact name (own members only, so `__proto__` or
 *   `constructor` never reach the prototype); array elements by a decimal index without leading
 *   zeros; `-` (the element after the last) and anything else that does not exist evaluate to
 *   "absent" (`undefined`), never to an exception.
 *
 * @module
 */

import { ParseError } from "./errors.ts";

const TOKEN_ESCAPE_RE = /~(?![01])/;
const ARRAY_INDEX_RE = /^(?:0|[1-9][0-9]*)$/;

/**
 * Splits a JSON Pointer into its decoded reference tokens (RFC 6901 §3–§4).
 *
 * @param pointer The pointer text, e.g. `/predicate/builder~1id`.
 * @param name Optional name of the input, used in the error message.
 * @returns The decoded tokens; `[]` for `""` (the whole document).
 * @throws {ParseError} `POINTER_INVALID` when the text does not start with `/` (and is not empty)
 *   or contains `~` not followed by `0` or `1`.
 *
 * @example Usage
 * ```ts
 * import { parsePointer } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePointer("/a~1b/m~0n/0"), ["a/b", "m~n", "0"]);
 * assert.deepEqual(parsePointer(""), []);
 * assert.throws(() => parsePointer("a/b"), { code: "POINTER_INVALID" });
 * ```
 */
export function parsePointer(pointer: string, name?: string): string[] {
  const label = name === undefined ? "" : ` "${name}"`;
  if (typeof pointer !== "string") {
    throw new ParseError("POINTER_INVALID", `Cannot parse JSON Pointer${label}: expected a string`);
  }
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new ParseError(
      "POINTER_INVALID",
      `Cannot parse JSON Pointer${label}: must be empty or start with "/"`,
      0,
    );
  }
  const bad = TOKEN_ESCAPE_RE.exec(pointer);
  if (bad !== null) {
    throw new ParseError(
      "POINTER_INVALID",
      `Cannot parse JSON Pointer${label}: "~" at offset ${bad.index} must be followed by 0 or 1`,
      bad.index,
    );
  }
  return pointer.slice(1).split("/").map((token) =>
    token.replaceAll("~1", "/").replaceAll("~0", "~")
  );
}

/**
 * Builds a JSON Pointer from unescaped reference tokens (the inverse of {@link parsePointer}).
 *
 * @param tokens Member names or array indices, unescaped.
 * @returns The pointer text; `""` for no tokens.
 *
 * @example Usage
 * ```ts
 * import { formatPointer } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(formatPointer(["a/b", "m~n", 0]), "/a~1b/m~0n/0");
 * assert.equal(formatPointer([]), "");
 * ```
 */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => "/" + String(t).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/**
 * Evaluates a JSON Pointer against a parsed JSON value (RFC 6901 §4).
 *
 * @param value The document (as returned by a JSON parser).
 * @param pointer The pointer text, e.g. `/predicate/buildDefinition/buildType`.
 * @returns The referenced value, or `undefined` when nothing exists there (missing member,
 *   index out of range, `-`, leading-zero index, or a step into a string, number, boolean or
 *   `null`).
 * @throws {ParseError} `POINTER_INVALID` when the pointer text itself is malformed.
 *
 * @example Usage
 * ```ts
 * import { evaluatePointer } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const doc = { subject: [{ name: "app", digest: { sha256: "ab" } }], "a/b": 1 };
 * assert.equal(evaluatePointer(doc, "/subject/0/digest/sha256"), "ab");
 * assert.equal(evaluatePointer(doc, "/a~1b"), 1);
 * assert.equal(evaluatePointer(doc, "/subject/1"), undefined);
 * assert.equal(evaluatePointer(doc, ""), doc);
 * ```
 */
export function evaluatePointer(value: unknown, pointer: string): unknown {
  let current: unknown = value;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX_RE.test(token)) return undefined;
      const index = Number(token);
      if (index >= current.length) return undefined;
      current = current[index];
    } else if (current !== null && typeof current === "object") {
      if (!Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
