/**
 * JSON Lines (jsonlines.org): one JSON value per line, lines ended by `\n` (a `\r\n` ending is
 * accepted too, as JSON whitespace). Splitting works on bytes so that each line keeps its exact
 * bytes, which custody timelines hash (docs/architecture.md "Custody timeline": an entry stored in a JSON
 * Lines file is the line without its newline).
 *
 * @module
 */

/**
 * Splits JSON Lines bytes into lines, without their newline (`\n`, or `\r\n`).
 *
 * Every line is kept, blank or not, so line `i + 1` of the file is element `i`; only blank lines
 * at the end of the input (e.g. the empty rest after the final newline, or trailing blank lines)
 * are dropped. Lines are views into `bytes` (no copy). Nothing is parsed: callers parse each line
 * (and a blank line in the middle fails there, naming its position).
 *
 * @param bytes The file's bytes.
 * @returns The lines, in order.
 * @throws {TypeError} When `bytes` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { splitJsonLines } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder();
 * const lines = splitJsonLines(text.encode('{"a":1}\n{"b":2}\r\n\n'));
 * assert.deepEqual(lines.map((line) => new TextDecoder().decode(line)), ['{"a":1}', '{"b":2}']);
 * assert.deepEqual(splitJsonLines(text.encode("1\n\n2")).length, 3);
 * ```
 */
export function splitJsonLines(bytes: Uint8Array): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the JSON Lines input as bytes");
  const lines: Uint8Array[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = bytes.length;
    const stop = end > start && bytes[end - 1] === 0x0d && !last ? end - 1 : end;
    lines.push(bytes.subarray(start, stop));
    if (last) break;
    start = end + 1;
  }
  while (lines.length > 0 && isBlankLine(lines[lines.length - 1]!)) lines.pop();
  return lines;
}

/**
 * Whether a JSON Lines line is blank (only spaces, tabs and a carriage return): blank lines are
 * skipped, not inputs.
 *
 * @param line One line's bytes, without its newline.
 * @returns True when the line holds no JSON text.
 *
 * @example Usage
 * ```ts
 * import { isBlankLine } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(isBlankLine(new TextEncoder().encode(" \t\r")), true);
 * assert.equal(isBlankLine(new TextEncoder().encode(" {}")), false);
 * ```
 */
export function isBlankLine(line: Uint8Array): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
