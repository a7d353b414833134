/**
 * Strict JSON parsing for untrusted input (RFC 8259), as RFC 8785 and signature verification
 * need it: exactly one reading of every accepted document.
 *
 * - RFC 8259 §2–§7 grammar, exactly: no comments, single quotes, trailing commas, leading zeros,
 *   `NaN`/`Infinity`, unescaped control characters or trailing data.
 * - RFC 8259 §4 / RFC 7493 §2.3: duplicate member names are an error (compared after escape
 *   decoding, so `"a"` and `"\u0061"` are duplicates).
 * - RFC 8259 §8.1 / RFC 7493 §2.1: UTF-8 input is decoded strictly; a byte order mark is an error;
 *   strings must be valid Unicode (no lone surrogates, escaped or raw).
 * - RFC 8259 §6 / RFC 8785 §3.1: numbers become IEEE 754 doubles; a number too large for a double
 *   is an error rather than `Infinity`.
 * - Resource limits: {@link DEFAULT_MAX_JSON_BYTES} and {@link DEFAULT_MAX_JSON_DEPTH}.
 *
 * Objects are ordinary objects whose members are own data properties, so `__proto__` is just a
 * member name and never changes a prototype.
 *
 * @module
 */

import { ParseError } from "./errors.ts";
import type { JsonValue } from "./json_value.ts";
import {
  describeAt,
  findInvalidUtf8,
  lineAndColumn,
  quoteKey,
  utf8Length,
} from "./_json_position.ts";

/**
 * Default input size limit of {@link parseJson}: 64 MiB (67,108,864 bytes of UTF-8), far above
 * any attestation or offline-kit manifest, low enough that a hostile input cannot exhaust memory.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_MAX_JSON_BYTES } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_MAX_JSON_BYTES, 64 * 1024 * 1024);
 * ```
 */
export const DEFAULT_MAX_JSON_BYTES: number = 64 * 1024 * 1024;

/**
 * Default nesting limit of {@link parseJson}: 128 levels of arrays and objects (`[]` is one
 * level), far deeper than any in-toto or Sigstore document, shallow enough for recursive
 * consumers.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_MAX_JSON_DEPTH } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_MAX_JSON_DEPTH, 128);
 * ```
 */
export const DEFAULT_MAX_JSON_DEPTH: number = 128;

/**
 * Options of {@link parseJson} and `canonicalizeText`.
 *
 * @example Usage
 * ```ts
 * import { parseJson, type ParseJsonOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: ParseJsonOptions = { name: "a.dsse.json", maxBytes: 1024, maxDepth: 8 };
 * assert.deepEqual(parseJson('{"a":[1]}', options), { a: [1] });
 * ```
 */
export interface ParseJsonOptions {
  /** Name of the input (usually a file name), quoted in error messages. */
  name?: string | undefined;
  /**
   * Largest accepted input in bytes of UTF-8 (string input is measured as its UTF-8 encoding);
   * default {@link DEFAULT_MAX_JSON_BYTES}; `Infinity` for no limit.
   */
  maxBytes?: number | undefined;
  /**
   * Deepest accepted nesting of arrays and objects; default {@link DEFAULT_MAX_JSON_DEPTH};
   * `Infinity` for no limit (parsing is iterative, so only memory bounds the depth).
   */
  maxDepth?: number | undefined;
}

const UTF8_DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Hex digit values by character code (`-1` for non-hex characters). */
const HEX_VALUES = new Int8Array(128).fill(-1);

for (let i = 0; i < 10; i++) HEX_VALUES[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUES[65 + i] = 10 + i;
  HEX_VALUES[97 + i] = 10 + i;
}

/**
 * Parses untrusted JSON text strictly (RFC 8259 grammar, no duplicate member names, valid
 * Unicode, finite numbers, size and depth limits).
 *
 * Error offsets are character (UTF-16 code unit) offsets for string input and byte offsets for
 * `Uint8Array` input; messages also give the line and column (1-based, in characters). UTF-8 is
 * validated before parsing, so invalid UTF-8 is reported even when a syntax error comes first.
 *
 * @param input JSON text, or its UTF-8 bytes (no byte order mark).
 * @param options Input name for messages and the size and depth limits.
 * @returns The parsed value; objects are ordinary objects with own data properties only.
 * @throws {ParseError} With `code`:
 *   `JSON_SYNTAX` (any grammar error, including a number too large for a double),
 *   `JSON_DUPLICATE_KEY` (offset of the second name), `JSON_LONE_SURROGATE`,
 *   `JSON_TRAILING_DATA` (anything but whitespace after the value), `JSON_TOO_DEEP`,
 *   `JSON_TOO_LARGE` (checked before parsing; offset `-1`), `JSON_INVALID_UTF8`.
 * @throws {RangeError} When `maxBytes` or `maxDepth` is neither a non-negative integer nor
 *   `Infinity` (no limit).
 *
 * @example Usage
 * ```ts
 * import { ParseError, parseJson } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseJson('{"a": [1, 2.5e3, "\\u00e9"]}'), { a: [1, 2500, "é"] });
 * assert.throws(
 *   () => parseJson('{"payload":1,"payload":2}', { name: "a.dsse.json" }),
 *   (error) =>
 *     error instanceof ParseError && error.code === "JSON_DUPLICATE_KEY" && error.offset === 13 &&
 *     error.message === 'Cannot parse JSON "a.dsse.json": duplicate key "payload" at offset 13 (line 1, column 14)',
 * );
 * ```
 */
export function parseJson(input: string | Uint8Array, options?: ParseJsonOptions): JsonValue {
  const name = options?.name;
  const maxBytes = limit("maxBytes", options?.maxBytes, DEFAULT_MAX_JSON_BYTES);
  const maxDepth = limit("maxDepth", options?.maxDepth, DEFAULT_MAX_JSON_DEPTH);
  let text: string;
  let bytes: Uint8Array | undefined;
  if (typeof input === "string") {
    text = input;
    if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
      throw tooLarge(name, maxBytes);
    }
  } else if (input instanceof Uint8Array) {
    bytes = input;
    if (bytes.length > maxBytes) throw tooLarge(name, maxBytes);
    try {
      text = UTF8_DECODER.decode(bytes);
    } catch {
      const offset = findInvalidUtf8(bytes);
      throw new ParseError(
        "JSON_INVALID_UTF8",
        `${prefix(name)}: invalid UTF-8 at byte offset ${offset}`,
        offset,
      );
    }
  } else {
    throw new TypeError("Cannot parse JSON: input must be a string or a Uint8Array");
  }
  const parser = new Parser(text, maxDepth);
  try {
    return parser.parse();
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const offset = bytes === undefined || bytes.length === text.length
      ? error.offset
      : utf8Length(text, error.offset);
    const { line, column } = lineAndColumn(text, error.offset);
    throw new ParseError(
      error.code,
      `${prefix(name)}: ${error.problem} at offset ${offset} (line ${line}, column ${column})`,
      offset,
    );
  }
}

/** Internal failure carrying a character offset; converted to a {@link ParseError} at the API. */
class Failure {
  readonly code: string;
  readonly problem: string;
  readonly offset: number;
  constructor(code: string, problem: string, offset: number) {
    this.code = code;
    this.problem = problem;
    this.offset = offset;
  }
}

function prefix(name: string | undefined): string {
  return name === undefined ? "Cannot parse JSON" : `Cannot parse JSON "${name}"`;
}

function limit(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value !== Infinity && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(
      `Cannot parse JSON: ${option} must be a non-negative integer or Infinity`,
    );
  }
  return value;
}

function tooLarge(name: string | undefined, maxBytes: number): ParseError {
  return new ParseError(
    "JSON_TOO_LARGE",
    `${prefix(name)}: input is larger than the limit of ${maxBytes} bytes`,
    -1,
  );
}

/**
 * Length from which `String.prototype.slice` returns a view into the input rather than a copy
 * (V8's `SlicedString::kMinLength`).
 */
const FLAT_COPY_MIN = 13;

/**
 * Returns `text.slice(start, end)` as an independent flat string. A view into the input would
 * keep the whole input alive as long as any parsed value lives, and makes every later read of
 * the value (hashing, `JSON.stringify`, canonicalization) about twice as slow. Concatenating two
 * pieces and reading a character makes V8 copy them into one new flat string.
 */
function flatSlice(text: string, start: number, end: number): string {
  const copy = text.slice(start, start + 1) + text.slice(start + 1, end);
  copy.charCodeAt(0);
  return copy;
}

type Container = JsonValue[] | { [key: string]: JsonValue };

/** One parse: iterative, so nesting is limited only by `maxDepth`. */
class Parser {
  readonly #text: string;
  readonly #end: number;
  readonly #maxDepth: number;
  #at = 0;

  constructor(text: string, maxDepth: number) {
    this.#text = text;
    this.#end = text.length;
    this.#maxDepth = maxDepth;
  }

  parse(): JsonValue {
    const text = this.#text;
    const containers: Container[] = [];
    /** Pending member name per open container; `null` for arrays. */
    const names: (string | null)[] = [];
    let value: JsonValue;
    let afterComma = false;
    if (text.charCodeAt(0) === 0xfeff) {
      throw new Failure("JSON_SYNTAX", "byte order mark (U+FEFF) is not allowed", 0);
    }
    for (;;) {
      // Read one value; an opened container continues the loop with its first element.
      this.#skipWhitespace();
      const start = this.#at;
      const c = text.charCodeAt(start);
      if (c === 34) {
        value = this.#readString();
      } else if (c === 123 || c === 91) {
        if (containers.length >= this.#maxDepth) {
          throw new Failure(
            "JSON_TOO_DEEP",
            `nesting deeper than the limit of ${this.#maxDepth}`,
            start,
          );
        }
        this.#at++;
        this.#skipWhitespace();
        if (c === 123) {
          if (text.charCodeAt(this.#at) === 125) {
            this.#at++;
            value = {};
          } else {
            containers.push({});
            names.push(this.#readName());
            afterComma = false;
            continue;
          }
        } else if (text.charCodeAt(this.#at) === 93) {
          this.#at++;
          value = [];
        } else {
          containers.push([]);
          names.push(null);
          afterComma = false;
          continue;
        }
      } else if (c === 116) {
        value = this.#readLiteral("true", true);
      } else if (c === 102) {
        value = this.#readLiteral("false", false);
      } else if (c === 110) {
        value = this.#readLiteral("null", null);
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        value = this.#readNumber();
      } else if (afterComma && (c === 93 || c === 125)) {
        throw new Failure("JSON_SYNTAX", "trailing comma", start);
      } else {
        throw this.#unexpected(start, "a value");
      }
      // Attach the value to its container and move on, closing finished containers.
      for (;;) {
        const top = containers.length - 1;
        if (top < 0) {
          this.#skipWhitespace();
          if (this.#at < this.#end) {
            throw new Failure(
              "JSON_TRAILING_DATA",
              `unexpected ${describeAt(text, this.#at)} after the JSON value`,
              this.#at,
            );
          }
          return value;
        }
        const container = containers[top]!;
        const name = names[top] as string | null;
        if (name === null) {
          (container as JsonValue[]).push(value);
        } else if (name === "__proto__") {
          Object.defineProperty(container, name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          (container as { [key: string]: JsonValue })[name] = value;
        }
        this.#skipWhitespace();
        const d = text.charCodeAt(this.#at);
        if (d === 44) {
          this.#at++;
          if (name !== null) {
            this.#skipWhitespace();
            if (text.charCodeAt(this.#at) === 125) {
              throw new Failure("JSON_SYNTAX", "trailing comma", this.#at);
            }
            const nameStart = this.#at;
            const next = this.#readName();
            if (Object.hasOwn(container, next)) {
              throw new Failure(
                "JSON_DUPLICATE_KEY",
                `duplicate key ${quoteKey(next)}`,
                nameStart,
              );
            }
            names[top] = next;
          }
          afterComma = true;
          break;
        }
        if (d === (name === null ? 93 : 125)) {
          this.#at++;
          value = containers.pop()!;
          names.pop();
          continue;
        }
        throw this.#unexpected(this.#at, name === null ? "',' or ']'" : "',' or '}'");
      }
    }
  }

  #unexpected(offset: number, expected: string): Failure {
    const text = this.#text;
    const c = text.charCodeAt(offset);
    let hint = "";
    if (c === 39) hint = " (strings use double quotes)";
    else if (c === 47) hint = " (comments are not allowed)";
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(offset + 1);
      if (!(c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff)) {
        return new Failure("JSON_LONE_SURROGATE", "lone surrogate", offset);
      }
    }
    return new Failure(
      "JSON_SYNTAX",
      `expected ${expected} but found ${describeAt(text, offset)}${hint}`,
      offset,
    );
  }

  #skipWhitespace(): void {
    const text = this.#text;
    let at = this.#at;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 32 || c === 10 || c === 13 || c === 9) at++;
      else break;
    }
    this.#at = at;
  }

  #readLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.#text.startsWith(word, this.#at)) throw this.#unexpected(this.#at, "a value");
    this.#at += word.length;
    return value;
  }

  /** Reads `"name"` and the `:` after it (whitespace allowed around the colon). */
  #readName(): string {
    if (this.#text.charCodeAt(this.#at) !== 34) {
      throw this.#unexpected(this.#at, "a member name in double quotes");
    }
    const name = this.#readString();
    this.#skipWhitespace();
    if (this.#text.charCodeAt(this.#at) !== 58) {
      throw this.#unexpected(this.#at, "':' after the member name");
    }
    this.#at++;
    return name;
  }

  /** Reads a string token starting at its opening quote. */
  #readString(): string {
    const text = this.#text;
    const end = this.#end;
    const start = this.#at + 1;
    let at = start;
    for (;;) {
      if (at >= end) throw new Failure("JSON_SYNTAX", "unterminated string", at);
      const c = text.charCodeAt(at);
      if (c === 34) {
        this.#at = at + 1;
        return at - start < FLAT_COPY_MIN ? text.slice(start, at) : flatSlice(text, start, at);
      }
      if (c === 92) break;
      if (c < 32) throw this.#controlCharacter(at);
      if (c >= 0xd800 && c <= 0xdfff) at = this.#rawSurrogate(at);
      else at++;
    }
    // Slow path: the string has escapes.
    let out = text.slice(start, at);
    for (;;) {
      if (at >= end) throw new Failure("JSON_SYNTAX", "unterminated string", at);
      const c = text.charCodeAt(at);
      if (c === 34) {
        this.#at = at + 1;
        out.charCodeAt(0); // Flattens the rope of pieces, which may point into the input.
        return out;
      }
      if (c !== 92) {
        const run = at;
        for (;;) {
          const d = text.charCodeAt(at);
          if (d === 34 || d === 92 || at >= end) break;
          if (d < 32) throw this.#controlCharacter(at);
          if (d >= 0xd800 && d <= 0xdfff) at = this.#rawSurrogate(at);
          else at++;
        }
        out += text.slice(run, at);
        continue;
      }
      const e = text.charCodeAt(at + 1);
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += "\\";
          break;
        case 47:
          out += "/";
          break;
        case 98:
          out += "\b";
          break;
        case 102:
          out += "\f";
          break;
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 117: {
          const unit = this.#readHex4(at + 2);
          if (unit >= 0xdc00 && unit <= 0xdfff) {
            throw new Failure("JSON_LONE_SURROGATE", "lone low surrogate escape", at);
          }
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text.charCodeAt(at + 6) !== 92 || text.charCodeAt(at + 7) !== 117) {
              throw new Failure("JSON_LONE_SURROGATE", "lone high surrogate escape", at);
            }
            const low = this.#readHex4(at + 8);
            if (low < 0xdc00 || low > 0xdfff) {
              throw new Failure("JSON_LONE_SURROGATE", "lone high surrogate escape", at);
            }
            out += String.fromCharCode(unit, low);
            at += 12;
          } else {
            out += String.fromCharCode(unit);
            at += 6;
          }
          continue;
        }
        default:
          throw new Failure(
            "JSON_SYNTAX",
            at + 1 >= end
              ? "unterminated string"
              : `invalid escape '\\${String.fromCharCode(e)}' in string`,
            at,
          );
      }
      at += 2;
    }
  }

  /** Checks a raw surrogate inside a string: a valid pair is skipped, a lone one is an error. */
  #rawSurrogate(at: number): number {
    const c = this.#text.charCodeAt(at);
    const d = this.#text.charCodeAt(at + 1);
    if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) return at + 2;
    throw new Failure("JSON_LONE_SURROGATE", "lone surrogate in string", at);
  }

  #controlCharacter(at: number): Failure {
    const code = this.#text.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0");
    return new Failure("JSON_SYNTAX", `unescaped control character U+${code} in string`, at);
  }

  #readHex4(at: number): number {
    const text = this.#text;
    let value = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(at + k);
      const digit = c < 128 ? HEX_VALUES[c]! : -1;
      if (digit < 0) {
        throw new Failure("JSON_SYNTAX", "invalid \\u escape (needs 4 hex digits)", at - 2);
      }
      value = value * 16 + digit;
    }
    return value;
  }

  /** Reads a number token (RFC 8259 §6) as an IEEE 754 double. */
  #readNumber(): number {
    const text = this.#text;
    const start = this.#at;
    let at = start;
    let c = text.charCodeAt(at);
    if (c === 45) c = text.charCodeAt(++at);
    if (c === 48) {
      c = text.charCodeAt(++at);
      if (c >= 48 && c <= 57) {
        throw new Failure("JSON_SYNTAX", "leading zeros are not allowed in numbers", start);
      }
    } else if (c >= 49 && c <= 57) {
      do c = text.charCodeAt(++at); while (c >= 48 && c <= 57);
    } else {
      throw this.#unexpected(at, "a digit");
    }
    let integer = true;
    if (c === 46) {
      integer = false;
      c = text.charCodeAt(++at);
      if (!(c >= 48 && c <= 57)) throw this.#unexpected(at, "a digit after '.'");
      do c = text.charCodeAt(++at); while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      integer = false;
      c = text.charCodeAt(++at);
      if (c === 43 || c === 45) c = text.charCodeAt(++at);
      if (!(c >= 48 && c <= 57)) throw this.#unexpected(at, "a digit in the exponent");
      do c = text.charCodeAt(++at); while (c >= 48 && c <= 57);
    }
    this.#at = at;
    const token = text.slice(start, at);
    const value = Number(token);
    if (!integer || token.length > 300) {
      if (!Number.isFinite(value)) {
        throw new Failure("JSON_SYNTAX", `number ${token} is too large for a double`, start);
      }
    }
    return value;
  }
}
