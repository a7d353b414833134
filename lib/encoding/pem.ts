/**
 * PEM armor: textual encoding of DER structures (keys, certificates) per RFC 7468.
 *
 * - §2 general considerations: explanatory text before, between and after blocks is allowed;
 *   line breaks may be LF, CRLF or CR; encapsulation boundaries start a line.
 * - §3 ABNF: the label grammar; `-----BEGIN label-----` and `-----END label-----` must carry the
 *   same label; whitespace may follow a boundary on its line. Generators wrap base64 at 64
 *   characters ({@link encodePem}); the parser accepts any line length but is otherwise strict:
 *   the body is canonical padded base64 (RFC 4648 §4) split only by line breaks.
 * - RFC 1421 §4.4 encapsulated headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`): `Name: value`
 *   lines (folded continuation lines start with whitespace) ended by a blank line, returned in
 *   {@link PemBlock.headers}.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "./bytes.ts";
import { ParseError } from "./errors.ts";

/**
 * One decoded PEM block.
 *
 * @example Usage
 * ```ts
 * import { type PemBlock } from "@stellaops/provenance/encoding";
 * import { decodePem } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const block: PemBlock = decodePem("-----BEGIN DATA-----\nAQID\n-----END DATA-----\n");
 * assert.deepEqual(block, { label: "DATA", bytes: new Uint8Array([1, 2, 3]), headers: {} });
 * ```
 */
export interface PemBlock {
  /** The label of the encapsulation boundaries, e.g. `PUBLIC KEY`. */
  label: string;
  /** The decoded body (usually DER). */
  bytes: Uint8Array<ArrayBuffer>;
  /** RFC 1421 encapsulated headers (e.g. `Proc-Type`), by name; empty when there are none. */
  headers: Record<string, string>;
}

/**
 * Options of {@link decodePem} and {@link decodePemAll}.
 *
 * @example Usage
 * ```ts
 * import { type DecodePemOptions } from "@stellaops/provenance/encoding";
 * import { decodePem } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const options: DecodePemOptions = { label: ["PUBLIC KEY", "CERTIFICATE"], name: "cosign.pub" };
 * assert.throws(() => decodePem("-----BEGIN X-----\n-----END X-----\n", options), {
 *   code: "PEM_LABEL_MISMATCH",
 * });
 * ```
 */
export interface DecodePemOptions {
  /** Accepted label or labels; blocks with other labels are skipped. Default: any label. */
  label?: string | readonly string[] | undefined;
  /** Name of the input (usually a file name), quoted in error messages. */
  name?: string | undefined;
}

/** RFC 7468 §3 `label`: printable ASCII but `-`, single `-` or space between such characters. */
const LABEL_RE = /^(?:[\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*)?$/;
const BEGIN_RE = /^-----BEGIN (.*)-----[ \t]*$/;
const END_RE = /^-----END (.*)-----[ \t]*$/;
/** RFC 822 field name as RFC 1421 uses it: letters, digits and `-`. */
const HEADER_RE = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*?)[ \t]*$/;
const BASE64_LINE_RE = /^[A-Za-z0-9+/=]*$/;
const LINE_RE = /([^\r\n]*)(\r\n|\r|\n|$)/y;

/**
 * Encodes DER bytes as a PEM block (RFC 7468 §2): base64 wrapped at 64 characters, LF line
 * endings, a final line break.
 *
 * @param label The label, e.g. `PUBLIC KEY`, `CERTIFICATE` (RFC 7468 §3 grammar).
 * @param der The bytes to encode.
 * @returns `-----BEGIN label-----\n…\n-----END label-----\n`.
 * @throws {TypeError} When the label does not match the RFC 7468 label grammar.
 *
 * @example Usage
 * ```ts
 * import { encodePem } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   encodePem("DATA", new Uint8Array([1, 2, 3])),
 *   "-----BEGIN DATA-----\nAQID\n-----END DATA-----\n",
 * );
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  if (typeof label !== "string" || !LABEL_RE.test(label)) {
    throw new TypeError(`Cannot encode PEM: invalid label ${JSON.stringify(String(label))}`);
  }
  const body = encodeBase64(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < body.length; i += 64) out += body.slice(i, i + 64) + "\n";
  return out + `-----END ${label}-----\n`;
}

/**
 * Decodes the one PEM block of a text (explanatory text around it is ignored).
 *
 * With `label`, blocks with other labels are skipped (as OpenSSL does for the `EC PARAMETERS`
 * block before an `EC PRIVATE KEY`), but every block must still be well-formed.
 *
 * @param text The PEM text.
 * @param options Accepted labels and the input name for messages.
 * @returns The block.
 * @throws {ParseError} `PEM_NOT_FOUND` when there is no block, `PEM_LABEL_MISMATCH` when no block
 *   has an accepted label, `PEM_INVALID` when a block is malformed (mismatched or missing
 *   boundaries, bad headers, non-canonical base64) or more than one block qualifies.
 *
 * @example Usage
 * ```ts
 * import { decodePem } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const text = "Key for tests\n-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n";
 * assert.deepEqual(decodePem(text, { label: "PUBLIC KEY" }).bytes, new Uint8Array([1, 2, 3]));
 * assert.throws(() => decodePem(text, { label: "PRIVATE KEY" }), { code: "PEM_LABEL_MISMATCH" });
 * assert.throws(() => decodePem("no armor here"), { code: "PEM_NOT_FOUND" });
 * ```
 */
export function decodePem(text: string, options?: DecodePemOptions): PemBlock {
  const blocks = decodePemAll(text, options);
  if (blocks.length !== 1) {
    throw new ParseError(
      "PEM_INVALID",
      `${prefix(options?.name)}: expected one PEM block but found ${blocks.length}`,
      -1,
    );
  }
  return blocks[0]!;
}

/**
 * Decodes every PEM block of a text, in order (certificate chains, key bundles).
 *
 * @param text The PEM text.
 * @param options Accepted labels (blocks with other labels are skipped) and the input name.
 * @returns The blocks, at least one.
 * @throws {ParseError} `PEM_NOT_FOUND` when there is no block, `PEM_LABEL_MISMATCH` when no block
 *   has an accepted label, `PEM_INVALID` when any block is malformed.
 *
 * @example Usage
 * ```ts
 * import { decodePemAll, encodePem } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const chain = encodePem("CERTIFICATE", new Uint8Array([1])) + encodePem("CERTIFICATE", new Uint8Array([2]));
 * const blocks = decodePemAll(chain, { label: "CERTIFICATE" });
 * assert.deepEqual(blocks.map((block) => block.bytes[0]), [1, 2]);
 * ```
 */
export function decodePemAll(text: string, options?: DecodePemOptions): PemBlock[] {
  const name = options?.name;
  if (typeof text !== "string") throw new TypeError("Cannot decode PEM: text must be a string");
  const accepted = options?.label === undefined
    ? undefined
    : typeof options.label === "string"
    ? [options.label]
    : options.label;
  const lines = splitLines(text);
  const blocks: PemBlock[] = [];
  const found: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.text.startsWith("-----BEGIN ")) {
      if (line.text.startsWith("-----END ")) {
        throw invalid(name, "END line without a BEGIN line", line.offset);
      }
      i++;
      continue;
    }
    const begin = BEGIN_RE.exec(line.text);
    const label = begin?.[1];
    if (label === undefined || !LABEL_RE.test(label)) {
      throw invalid(name, "malformed BEGIN line", line.offset);
    }
    const block = readBlock(lines, i, label, name);
    i = block.next;
    found.push(label);
    if (accepted === undefined || accepted.includes(label)) blocks.push(block.block);
  }
  if (found.length === 0) {
    throw new ParseError("PEM_NOT_FOUND", `${prefix(name)}: no PEM block found`, -1);
  }
  if (blocks.length === 0) {
    const want = accepted!.map((label) => JSON.stringify(label)).join(" or ");
    const got = found.map((label) => JSON.stringify(label)).join(", ");
    throw new ParseError(
      "PEM_LABEL_MISMATCH",
      `${prefix(name)}: expected a ${want} block but found ${got}`,
      lines.find((line) => line.text.startsWith("-----BEGIN "))!.offset,
    );
  }
  return blocks;
}

interface Line {
  text: string;
  offset: number;
}

function prefix(name: string | undefined): string {
  return name === undefined ? "Cannot decode PEM" : `Cannot decode PEM "${name}"`;
}

function invalid(name: string | undefined, problem: string, offset: number): ParseError {
  return new ParseError("PEM_INVALID", `${prefix(name)}: ${problem} at offset ${offset}`, offset);
}

/** Splits text into lines at LF, CRLF or CR, keeping each line's character offset. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  LINE_RE.lastIndex = 0;
  while (LINE_RE.lastIndex < text.length) {
    const offset = LINE_RE.lastIndex;
    const match = LINE_RE.exec(text)!;
    lines.push({ text: match[1]!, offset });
  }
  return lines;
}

/** Reads the block whose BEGIN line is `lines[start]`: headers, body and END line. */
function readBlock(
  lines: Line[],
  start: number,
  label: string,
  name: string | undefined,
): { block: PemBlock; next: number } {
  const headers: Record<string, string> = {};
  let i = start + 1;
  // RFC 1421 headers: the first body line contains ':' (base64 never does).
  if (i < lines.length && lines[i]!.text.includes(":")) {
    let last: string | undefined;
    for (;; i++) {
      const line = lines[i];
      if (line === undefined) {
        throw invalid(name, "missing blank line after headers", lines[start]!.offset);
      }
      if (line.text === "") {
        i++;
        break;
      }
      if ((line.text.startsWith(" ") || line.text.startsWith("\t")) && last !== undefined) {
        headers[last] = (headers[last] + line.text).trimEnd(); // RFC 822 §3.1.1 unfolding
        continue;
      }
      const header = HEADER_RE.exec(line.text);
      if (header === null) throw invalid(name, "malformed header line", line.offset);
      const key = header[1]!;
      if (Object.hasOwn(headers, key)) {
        throw invalid(name, `duplicate header ${JSON.stringify(key)}`, line.offset);
      }
      headers[key] = header[2]!;
      last = key;
    }
  }
  let body = "";
  for (;; i++) {
    const line = lines[i];
    if (line === undefined) {
      throw invalid(name, `missing END line for ${JSON.stringify(label)}`, lines[start]!.offset);
    }
    if (line.text.startsWith("-----BEGIN ")) {
      throw invalid(name, `missing END line for ${JSON.stringify(label)}`, line.offset);
    }
    if (line.text.startsWith("-----")) {
      const end = END_RE.exec(line.text);
      if (end === null) throw invalid(name, "malformed END line", line.offset);
      if (end[1] !== label) {
        throw invalid(
          name,
          `END label ${JSON.stringify(end[1])} does not match BEGIN label ${JSON.stringify(label)}`,
          line.offset,
        );
      }
      break;
    }
    if (!BASE64_LINE_RE.test(line.text)) {
      const bad = line.text.search(/[^A-Za-z0-9+/=]/);
      throw invalid(name, "invalid character in base64 body", line.offset + bad);
    }
    body += line.text;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = decodeBase64(body);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw invalid(name, "malformed base64 body", lines[start]!.offset);
  }
  return { block: { label, bytes, headers }, next: i + 1 };
}
