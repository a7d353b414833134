/**
 * `SHA256SUMS` files in the GNU coreutils format that `sha256sum -c` checks (coreutils manual,
 * "md5sum invocation" / "sha2 utilities"): one line per file, `<64 lowercase hex>  <path>\n` (two
 * spaces: text mode, which is byte-for-byte identical to binary mode on POSIX systems).
 *
 * Written lines are sorted by path in UTF-16 code-unit order, so the same files always give the
 * same bytes. Parsing is strict: lowercase or uppercase hex of exactly 64 digits, one space and a
 * mode character (` ` or `*`), a path without backslashes or control characters (coreutils would
 * escape those), no duplicate paths, and every line ending in `\n`.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { decodeUtf8 } from "../encoding/bytes.ts";
import { compareUtf16, isKitPath } from "./_path.ts";

/**
 * One line of a `SHA256SUMS` file: a file's path and the lowercase hex of its SHA-256.
 *
 * @example Usage
 * ```ts
 * import { type ChecksumEntry } from "@stellaops/provenance/kit";
 * import { formatChecksums, parseChecksums } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; // SHA-256 of nothing
 * const entry: ChecksumEntry = { path: "docs/empty.txt", sha256: empty };
 * assert.equal(formatChecksums([entry]), `${empty}  docs/empty.txt\n`);
 * assert.deepEqual(parseChecksums(`${empty.toUpperCase()} *docs/empty.txt\n`), [entry]);
 * ```
 */
export interface ChecksumEntry {
  /** Relative, `/`-separated path of the file. */
  path: string;
  /** Lowercase hex SHA-256 of the file's bytes (64 digits). */
  sha256: string;
}

const LINE = /^([0-9a-fA-F]{64}) ([ *])(.*)$/s;

/**
 * Writes entries as a `SHA256SUMS` file that `sha256sum -c` accepts.
 *
 * @param entries The files and their digests, in any order.
 * @returns `<hex>  <path>\n` lines sorted by path (UTF-16 code units); empty for no entries.
 * @throws {RangeError} When a path is not a plain relative path (see the module doc), a digest is
 *   not 64 hex digits, or a path appears twice.
 *
 * @example Usage
 * ```ts
 * import { formatChecksums } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * const text = formatChecksums([
 *   { path: "b.txt", sha256: "bb".repeat(32) },
 *   { path: "a.txt", sha256: "AA".repeat(32) },
 * ]);
 * assert.equal(text, `${"aa".repeat(32)}  a.txt\n${"bb".repeat(32)}  b.txt\n`);
 * ```
 */
export function formatChecksums(entries: readonly ChecksumEntry[]): string {
  const seen = new Set<string>();
  const lines: [string, string][] = [];
  for (const entry of entries) {
    if (!isKitPath(entry.path)) {
      throw new RangeError(
        `Cannot write SHA256SUMS: use a relative path without "..", backslashes or control characters, got ${
          JSON.stringify(entry.path)
        }`,
      );
    }
    if (!/^[0-9a-fA-F]{64}$/.test(entry.sha256)) {
      throw new RangeError(`Cannot write SHA256SUMS: give "${entry.path}" a 64-digit hex sha256`);
    }
    if (seen.has(entry.path)) {
      throw new RangeError(`Cannot write SHA256SUMS: "${entry.path}" is listed twice`);
    }
    seen.add(entry.path);
    lines.push([entry.path, `${entry.sha256.toLowerCase()}  ${entry.path}\n`]);
  }
  lines.sort((a, b) => compareUtf16(a[0], b[0]));
  return lines.map((line) => line[1]).join("");
}

/**
 * Parses a `SHA256SUMS` file strictly (untrusted input).
 *
 * @param input The file's bytes (UTF-8) or text.
 * @param name Name of the input, used in error messages (default `SHA256SUMS`).
 * @returns The entries in file order, digests lowercased.
 * @throws {ParseError} `CHECKSUMS_MALFORMED` (with the text offset of the offending line) when a
 *   line is not `<64 hex> <space|*><path>`, a path is not a plain relative path, the last line has
 *   no newline, or the bytes are not UTF-8; `CHECKSUMS_DUPLICATE` when a path appears twice.
 *
 * @example Usage
 * ```ts
 * import { ParseError } from "@stellaops/provenance";
 * import { parseChecksums } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseChecksums(`${"ab".repeat(32)}  stella.js\n`), [
 *   { path: "stella.js", sha256: "ab".repeat(32) },
 * ]);
 * assert.throws(() => parseChecksums("abc  stella.js\n"), ParseError);
 * ```
 */
export function parseChecksums(input: Uint8Array | string, name = "SHA256SUMS"): ChecksumEntry[] {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = decodeUtf8(input, name);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      throw new ParseError("CHECKSUMS_MALFORMED", error.message, error.offset);
    }
  }
  const entries: ChecksumEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  let line = 1;
  while (offset < text.length) {
    const end = text.indexOf("\n", offset);
    if (end === -1) {
      throw new ParseError(
        "CHECKSUMS_MALFORMED",
        `Cannot parse ${name}: line ${line} does not end with a newline`,
        offset,
      );
    }
    const match = LINE.exec(text.slice(offset, end));
    const path = match?.[3];
    if (match === null || path === undefined || !isKitPath(path)) {
      throw new ParseError(
        "CHECKSUMS_MALFORMED",
        `Cannot parse ${name}: line ${line} is not "<64 hex digits>  <relative path>"`,
        offset,
      );
    }
    if (seen.has(path)) {
      throw new ParseError(
        "CHECKSUMS_DUPLICATE",
        `Cannot parse ${name}: line ${line} lists "${path}" again`,
        offset,
      );
    }
    seen.add(path);
    entries.push({ path, sha256: match[1]!.toLowerCase() });
    offset = end + 1;
    line++;
  }
  return entries;
}
