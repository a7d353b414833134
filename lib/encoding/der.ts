/**
 * A small, strict reader and writer for ASN.1 Distinguished Encoding Rules (DER), enough for key
 * containers (SubjectPublicKeyInfo, PKCS#8, SEC1, PKCS#1), ECDSA signatures, X.509 and RFC 3161.
 *
 * Implements ITU-T X.690 (02/2021): §8.1 identifier and length octets with the DER restrictions of
 * §10.1 (definite, minimal lengths), §8.2 BOOLEAN (§11.1: `0x00`/`0xFF`), §8.3 INTEGER (minimal
 * two's complement), §8.6 BIT STRING (§11.2: zero unused bits), §8.7 OCTET STRING, §8.8 NULL,
 * §8.9/§8.11 SEQUENCE and SET (§11.6: SET OF sorted when written), §8.19 OBJECT IDENTIFIER, §8.14
 * context tags, and the DER time forms of §11.7 (GeneralizedTime) and §11.8 (UTCTime) as RFC 5280
 * §4.1.2.5 profiles them.
 *
 * Reading is strict: indefinite or non-minimal lengths, non-minimal integers, constructed string
 * forms, trailing bytes, high tag numbers (≥ 31, unused by the formats above) and non-DER times
 * are all rejected with a {@link ParseError} of code `DER_INVALID` whose `offset` points into the
 * outermost input. SET OF ordering is not checked on read (signatures cover the bytes as sent);
 * {@link encodeDerSet} sorts when writing.
 *
 * @module
 */

import { concatBytes, decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { ParseError } from "./errors.ts";

/** Universal tag bytes (identifier octets) used by the formats this toolkit reads. */
export const DER_TAGS = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Tag classes of X.690 §8.1.2.2. */
export const DER_TAG_CLASSES = ["universal", "application", "context", "private"] as const;

/** One of {@link DER_TAG_CLASSES}. */
export type DerTagClass = typeof DER_TAG_CLASSES[number];

/** One decoded TLV (tag, length, value); byte fields are views into the input, not copies. */
export interface DerElement {
  /** The identifier octet, e.g. `0x30` for SEQUENCE or `0xa0` for `[0]` constructed. */
  readonly tag: number;
  /** Tag class from the top two bits of the identifier. */
  readonly tagClass: DerTagClass;
  /** Whether the constructed bit (0x20) is set. */
  readonly constructed: boolean;
  /** Tag number (0–30). */
  readonly tagNumber: number;
  /** Offset of the identifier octet in the outermost input. */
  readonly offset: number;
  /** Length of the identifier plus length octets. */
  readonly headerLength: number;
  /** The contents octets. */
  readonly contents: Uint8Array;
  /** The whole encoding (identifier, length and contents), e.g. to hash a TBSCertificate. */
  readonly raw: Uint8Array;
}

/** A BIT STRING value: the bytes and how many trailing bits of the last byte are unused. */
export interface DerBitString {
  /** The bit string's bytes (excluding the unused-bits octet). */
  readonly bytes: Uint8Array;
  /** Number of unused bits in the last byte (0–7); those bits are zero. */
  readonly unusedBits: number;
}

/** Options for {@link DerReader}. */
export interface DerReaderOptions {
  /** Name of the input, used in error messages (e.g. a file name). */
  name?: string | undefined;
  /** Offset of `bytes[0]` in the outermost input, for error offsets. Default `0`. */
  offset?: number | undefined;
}

const CLASS_BY_BITS: readonly DerTagClass[] = DER_TAG_CLASSES;
const PRINTABLE_RE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
// deno-lint-ignore no-control-regex
const IA5_RE = /^[\x00-\x7f]*$/;
const VISIBLE_RE = /^[\x20-\x7e]*$/;
const NUMERIC_RE = /^[0-9 ]*$/;
const LATIN1_DECODER = new TextDecoder("latin1");
const UTF16BE_DECODER = new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true });
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function tagName(tag: number): string {
  return `0x${tag.toString(16).padStart(2, "0")}`;
}

/**
 * A cursor over a sequence of DER elements (the contents of a SEQUENCE, SET or explicit tag, or a
 * whole input). Each `read*` method consumes one element and checks its tag and encoding.
 *
 * @example Usage
 * ```ts
 * import {
 *   DerReader,
 *   encodeDerInteger,
 *   encodeDerOid,
 *   encodeDerSequence,
 * } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * const der = encodeDerSequence([encodeDerOid("1.2.840.10045.2.1"), encodeDerInteger(65537n)]);
 * const outer = new DerReader(der);
 * const seq = outer.readSequence();
 * outer.end();
 * assert.equal(seq.readOid(), "1.2.840.10045.2.1");
 * assert.equal(seq.readInteger(), 65537n);
 * seq.end();
 * assert.throws(() => new DerReader(new Uint8Array([0x05, 0x81, 0x00])).readNull(), { code: "DER_INVALID" });
 * ```
 */
export class DerReader {
  readonly #bytes: Uint8Array;
  readonly #base: number;
  readonly #name: string | undefined;
  #pos = 0;

  /**
   * Creates a reader over `bytes`.
   *
   * @param bytes DER bytes (one or more consecutive elements).
   * @param options Input name and base offset for error messages.
   */
  constructor(bytes: Uint8Array, options: DerReaderOptions = {}) {
    this.#bytes = bytes;
    this.#base = options.offset ?? 0;
    this.#name = options.name;
  }

  /**
   * Creates a reader over the contents of a constructed element.
   *
   * @param element A constructed element from another reader.
   * @param name Input name for error messages.
   * @returns A reader positioned at the first child.
   * @throws {ParseError} `DER_INVALID` when the element is primitive.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerNull, encodeDerSequence } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const element = new DerReader(encodeDerSequence([encodeDerNull()])).readElement(0x30);
   * const children = DerReader.over(element);
   * children.readNull();
   * assert.equal(children.isEmpty(), true);
   * ```
   */
  static over(element: DerElement, name?: string): DerReader {
    if (!element.constructed) {
      throw derError(
        name,
        `expected a constructed element, found tag ${tagName(element.tag)}`,
        element.offset,
      );
    }
    return new DerReader(element.contents, {
      name,
      offset: element.offset + element.headerLength,
    });
  }

  /**
   * Reports whether every element has been read.
   *
   * @returns `true` when nothing is left.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(new Uint8Array()).isEmpty(), true);
   * ```
   */
  isEmpty(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  /**
   * Returns the identifier octet of the next element without consuming it.
   *
   * @returns The next tag, or `undefined` at the end.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerNull } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(encodeDerNull()).peekTag(), 0x05);
   * ```
   */
  peekTag(): number | undefined {
    return this.#bytes[this.#pos];
  }

  /**
   * Throws unless every element has been read (no trailing bytes).
   *
   * @throws {ParseError} `DER_INVALID` when bytes remain.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(new Uint8Array([0x05, 0x00, 0x00]));
   * reader.readNull();
   * assert.throws(() => reader.end(), { code: "DER_INVALID" });
   * ```
   */
  end(): void {
    if (!this.isEmpty()) {
      throw this.#error("unexpected trailing bytes", this.#base + this.#pos);
    }
  }

  /**
   * Reads the next element of any tag (or of `expectedTag`).
   *
   * @param expectedTag Identifier octet the element must have.
   * @returns The element.
   * @throws {ParseError} `DER_INVALID` on a malformed header, a length past the end, or a tag
   *   other than `expectedTag`.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerOctetString } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const element = new DerReader(encodeDerOctetString(new Uint8Array([7]))).readElement();
   * assert.equal(element.tag, 0x04);
   * assert.deepEqual(element.contents, new Uint8Array([7]));
   * ```
   */
  readElement(expectedTag?: number): DerElement {
    const bytes = this.#bytes;
    const start = this.#pos;
    const tag = bytes[start];
    if (tag === undefined) throw this.#error("unexpected end of input", this.#base + start);
    if (expectedTag !== undefined && tag !== expectedTag) {
      throw this.#error(
        `expected tag ${tagName(expectedTag)}, found ${tagName(tag)}`,
        this.#base + start,
      );
    }
    if ((tag & 0x1f) === 0x1f) {
      throw this.#error("high tag numbers are not supported", this.#base + start);
    }
    const first = bytes[start + 1];
    if (first === undefined) throw this.#error("missing length", this.#base + start + 1);
    let length: number;
    let header: number;
    if (first < 0x80) {
      length = first;
      header = 2;
    } else if (first === 0x80) {
      throw this.#error("indefinite length is not allowed in DER", this.#base + start + 1);
    } else {
      const count = first & 0x7f;
      if (count > 4) throw this.#error("length is too large", this.#base + start + 1);
      if (start + 2 + count > bytes.length) {
        throw this.#error("truncated length", this.#base + start + 1);
      }
      if (bytes[start + 2] === 0) {
        throw this.#error("length is not minimal", this.#base + start + 1);
      }
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[start + 2 + i]!;
      if (length < 0x80) throw this.#error("length is not minimal", this.#base + start + 1);
      header = 2 + count;
    }
    const end = start + header + length;
    if (end > bytes.length) {
      throw this.#error("length runs past the end of input", this.#base + start + 1);
    }
    this.#pos = end;
    return {
      tag,
      tagClass: CLASS_BY_BITS[tag >> 6]!,
      constructed: (tag & 0x20) !== 0,
      tagNumber: tag & 0x1f,
      offset: this.#base + start,
      headerLength: header,
      contents: bytes.subarray(start + header, end),
      raw: bytes.subarray(start, end),
    };
  }

  /**
   * Reads the next element if it has tag `tag`, else reads nothing.
   *
   * @param tag Identifier octet of the optional element.
   * @returns The element, or `undefined` when the next element has another tag (or none is left).
   * @throws {ParseError} `DER_INVALID` when the element is malformed.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerNull } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(encodeDerNull());
   * assert.equal(reader.readOptional(0xa0), undefined);
   * assert.equal(reader.readOptional(0x05)?.tag, 0x05);
   * ```
   */
  readOptional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.readElement(tag) : undefined;
  }

  /**
   * Reads a SEQUENCE and returns a reader over its elements.
   *
   * @returns A reader over the SEQUENCE contents.
   * @throws {ParseError} `DER_INVALID` on another tag or a malformed element.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerSequence } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(encodeDerSequence([])).readSequence().isEmpty(), true);
   * ```
   */
  readSequence(): DerReader {
    return this.#children(this.readElement(DER_TAGS.SEQUENCE));
  }

  /**
   * Reads a SET (or SET OF) and returns a reader over its elements.
   *
   * @returns A reader over the SET contents.
   * @throws {ParseError} `DER_INVALID` on another tag or a malformed element.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerNull, encodeDerSet } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const set = new DerReader(encodeDerSet([encodeDerNull()])).readSet();
   * set.readNull();
   * assert.equal(set.isEmpty(), true);
   * ```
   */
  readSet(): DerReader {
    return this.#children(this.readElement(DER_TAGS.SET));
  }

  /**
   * Reads a context-specific tag `[tagNumber]`: constructed (EXPLICIT tagging, or IMPLICIT over a
   * constructed type) returns a reader over its contents.
   *
   * @param tagNumber Context tag number, 0–30.
   * @returns A reader over the tagged contents.
   * @throws {ParseError} `DER_INVALID` when the next element is not `[tagNumber]` constructed.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerContext, encodeDerInteger } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(encodeDerContext(0, encodeDerInteger(2)));
   * assert.equal(reader.readContext(0).readSmallInteger(), 2);
   * ```
   */
  readContext(tagNumber: number): DerReader {
    return this.#children(this.readElement(contextTag(tagNumber, true)));
  }

  /**
   * Reads an optional constructed context tag `[tagNumber]`.
   *
   * @param tagNumber Context tag number, 0–30.
   * @returns A reader over the tagged contents, or `undefined` when the next element has another tag.
   * @throws {ParseError} `DER_INVALID` when the element is malformed.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerInteger } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(encodeDerInteger(1));
   * assert.equal(reader.readOptionalContext(0), undefined);
   * assert.equal(reader.readSmallInteger(), 1);
   * ```
   */
  readOptionalContext(tagNumber: number): DerReader | undefined {
    const element = this.readOptional(contextTag(tagNumber, true));
    return element === undefined ? undefined : this.#children(element);
  }

  /**
   * Reads a BOOLEAN (DER: contents `0x00` or `0xFF`).
   *
   * @returns The value.
   * @throws {ParseError} `DER_INVALID` on another tag or a non-DER value.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerBoolean } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(encodeDerBoolean(true)).readBoolean(), true);
   * assert.throws(() => new DerReader(new Uint8Array([1, 1, 1])).readBoolean(), { code: "DER_INVALID" });
   * ```
   */
  readBoolean(): boolean {
    const element = this.readElement(DER_TAGS.BOOLEAN);
    const value = element.contents[0];
    if (element.contents.length !== 1 || (value !== 0x00 && value !== 0xff)) {
      throw this.#error("BOOLEAN must be one byte 0x00 or 0xff", element.offset);
    }
    return value === 0xff;
  }

  /**
   * Reads a NULL.
   *
   * @throws {ParseError} `DER_INVALID` on another tag or non-empty contents.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerNull } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(encodeDerNull());
   * reader.readNull();
   * assert.equal(reader.isEmpty(), true);
   * ```
   */
  readNull(): void {
    const element = this.readElement(DER_TAGS.NULL);
    if (element.contents.length !== 0) throw this.#error("NULL must be empty", element.offset);
  }

  /**
   * Reads an INTEGER of any size (minimal two's complement).
   *
   * @returns The value.
   * @throws {ParseError} `DER_INVALID` on another tag, empty contents or a non-minimal encoding.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(new Uint8Array([0x02, 0x02, 0x00, 0x80])).readInteger(), 128n);
   * assert.equal(new DerReader(new Uint8Array([0x02, 0x01, 0xff])).readInteger(), -1n);
   * assert.throws(() => new DerReader(new Uint8Array([0x02, 0x02, 0x00, 0x01])).readInteger(), { code: "DER_INVALID" });
   * ```
   */
  readInteger(): bigint {
    const element = this.readElement(DER_TAGS.INTEGER);
    return decodeTwosComplement(this.#checkInteger(element));
  }

  /**
   * Reads an INTEGER that must fit a JavaScript safe integer (versions, counts).
   *
   * @returns The value.
   * @throws {ParseError} `DER_INVALID` on a malformed integer or one outside the safe range.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerInteger } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(encodeDerInteger(3)).readSmallInteger(), 3);
   * ```
   */
  readSmallInteger(): number {
    const element = this.readElement(DER_TAGS.INTEGER);
    const value = decodeTwosComplement(this.#checkInteger(element));
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.#error("INTEGER is out of range", element.offset);
    }
    return Number(value);
  }

  /**
   * Reads a non-negative INTEGER and returns its big-endian magnitude without the sign byte
   * (e.g. an RSA modulus or an ECDSA `r`); zero is returned as one `0x00` byte.
   *
   * @returns A copy of the magnitude bytes.
   * @throws {ParseError} `DER_INVALID` on a malformed or negative integer.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const reader = new DerReader(new Uint8Array([0x02, 0x02, 0x00, 0xff]));
   * assert.deepEqual(reader.readUnsignedIntegerBytes(), new Uint8Array([0xff]));
   * assert.throws(() => new DerReader(new Uint8Array([0x02, 0x01, 0x80])).readUnsignedIntegerBytes(), { code: "DER_INVALID" });
   * ```
   */
  readUnsignedIntegerBytes(): Uint8Array<ArrayBuffer> {
    const element = this.readElement(DER_TAGS.INTEGER);
    const contents = this.#checkInteger(element);
    if ((contents[0]! & 0x80) !== 0) throw this.#error("INTEGER is negative", element.offset);
    return contents.length > 1 && contents[0] === 0 ? contents.slice(1) : contents.slice();
  }

  /**
   * Reads an OBJECT IDENTIFIER as dotted decimal text.
   *
   * @returns The OID, e.g. `1.2.840.113549.1.1.1`.
   * @throws {ParseError} `DER_INVALID` on another tag or a non-minimal or truncated arc.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const der = new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
   * assert.equal(new DerReader(der).readOid(), "1.2.840.10045.3.1.7");
   * ```
   */
  readOid(): string {
    const element = this.readElement(DER_TAGS.OBJECT_IDENTIFIER);
    const contents = element.contents;
    if (contents.length === 0) throw this.#error("OBJECT IDENTIFIER is empty", element.offset);
    const arcs: bigint[] = [];
    let value = 0n;
    let startOfArc = true;
    for (let i = 0; i < contents.length; i++) {
      const byte = contents[i]!;
      if (startOfArc && byte === 0x80) {
        throw this.#error("OBJECT IDENTIFIER arc is not minimal", element.offset);
      }
      value = (value << 7n) | BigInt(byte & 0x7f);
      startOfArc = (byte & 0x80) === 0;
      if (startOfArc) {
        arcs.push(value);
        value = 0n;
      }
    }
    if (!startOfArc) throw this.#error("OBJECT IDENTIFIER is truncated", element.offset);
    const first = arcs[0]!;
    const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
    return [...head, ...arcs.slice(1)].join(".");
  }

  /**
   * Reads an OCTET STRING (primitive form only).
   *
   * @returns A view of the contents.
   * @throws {ParseError} `DER_INVALID` on another tag.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerOctetString } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.deepEqual(new DerReader(encodeDerOctetString(new Uint8Array([1, 2]))).readOctetString(), new Uint8Array([1, 2]));
   * ```
   */
  readOctetString(): Uint8Array {
    return this.readElement(DER_TAGS.OCTET_STRING).contents;
  }

  /**
   * Reads a BIT STRING (primitive form; unused bits must be zero).
   *
   * @returns The bytes and the unused-bit count.
   * @throws {ParseError} `DER_INVALID` on another tag, a bad unused-bit count or non-zero unused bits.
   *
   * @example Usage
   * ```ts
   * import { DerReader } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const bits = new DerReader(new Uint8Array([0x03, 0x02, 0x07, 0x80])).readBitString();
   * assert.equal(bits.unusedBits, 7);
   * assert.deepEqual(bits.bytes, new Uint8Array([0x80]));
   * ```
   */
  readBitString(): DerBitString {
    const element = this.readElement(DER_TAGS.BIT_STRING);
    const contents = element.contents;
    const unusedBits = contents[0];
    if (unusedBits === undefined) throw this.#error("BIT STRING is empty", element.offset);
    if (unusedBits > 7 || (contents.length === 1 && unusedBits !== 0)) {
      throw this.#error("BIT STRING has an invalid unused-bit count", element.offset);
    }
    const bytes = contents.subarray(1);
    if (unusedBits > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
      throw this.#error("BIT STRING unused bits are not zero", element.offset);
    }
    return { bytes, unusedBits };
  }

  /**
   * Reads a BIT STRING that holds whole bytes (a public key, a signature).
   *
   * @returns A view of the bytes.
   * @throws {ParseError} `DER_INVALID` on a malformed BIT STRING or one with unused bits.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerBitString } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.deepEqual(new DerReader(encodeDerBitString(new Uint8Array([4, 5]))).readBitStringBytes(), new Uint8Array([4, 5]));
   * ```
   */
  readBitStringBytes(): Uint8Array {
    const start = this.#base + this.#pos;
    const bits = this.readBitString();
    if (bits.unusedBits !== 0) throw this.#error("BIT STRING has unused bits", start);
    return bits.bytes;
  }

  /**
   * Reads a character string: UTF8String, PrintableString, IA5String, VisibleString,
   * NumericString, TeletexString (as Latin-1), UniversalString or BMPString.
   *
   * @returns The text.
   * @throws {ParseError} `DER_INVALID` on another tag or characters outside the type's alphabet.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerUtf8String } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * assert.equal(new DerReader(encodeDerUtf8String("Grüße")).readString(), "Grüße");
   * ```
   */
  readString(): string {
    const element = this.readElement();
    const contents = element.contents;
    const bad = (): ParseError =>
      this.#error(
        `string has characters outside its type (tag ${tagName(element.tag)})`,
        element.offset,
      );
    switch (element.tag) {
      case DER_TAGS.UTF8_STRING:
        try {
          return decodeUtf8(contents);
        } catch {
          throw bad();
        }
      case DER_TAGS.PRINTABLE_STRING:
      case DER_TAGS.IA5_STRING:
      case DER_TAGS.VISIBLE_STRING:
      case DER_TAGS.NUMERIC_STRING: {
        const text = LATIN1_DECODER.decode(contents);
        const re = element.tag === DER_TAGS.PRINTABLE_STRING
          ? PRINTABLE_RE
          : element.tag === DER_TAGS.IA5_STRING
          ? IA5_RE
          : element.tag === DER_TAGS.VISIBLE_STRING
          ? VISIBLE_RE
          : NUMERIC_RE;
        if (!re.test(text)) throw bad();
        return text;
      }
      case DER_TAGS.TELETEX_STRING:
        return LATIN1_DECODER.decode(contents);
      case DER_TAGS.BMP_STRING:
        if (contents.length % 2 !== 0) throw bad();
        try {
          return UTF16BE_DECODER.decode(contents);
        } catch {
          throw bad();
        }
      case DER_TAGS.UNIVERSAL_STRING: {
        if (contents.length % 4 !== 0) throw bad();
        let text = "";
        for (let i = 0; i < contents.length; i += 4) {
          const cp = ((contents[i]! << 24) | (contents[i + 1]! << 16) | (contents[i + 2]! << 8) |
            contents[i + 3]!) >>> 0;
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw bad();
          text += String.fromCodePoint(cp);
        }
        return text;
      }
      default:
        throw this.#error(
          `expected a string type, found tag ${tagName(element.tag)}`,
          element.offset,
        );
    }
  }

  /**
   * Reads a UTCTime or GeneralizedTime in its DER form (`YYMMDDHHMMSSZ`, or
   * `YYYYMMDDHHMMSS[.fff]Z` without trailing fraction zeros). UTCTime years 50–99 are 1950–1999
   * (RFC 5280 §4.1.2.5.1). Fraction digits beyond milliseconds are truncated.
   *
   * @returns The instant.
   * @throws {ParseError} `DER_INVALID` on another tag or a time that is not in DER form or not a
   *   real calendar instant.
   *
   * @example Usage
   * ```ts
   * import { DerReader, encodeDerTime } from "@stellaops/provenance/der";
   * import assert from "node:assert/strict";
   * const at = new Date("2025-02-28T19:18:11Z");
   * assert.deepEqual(new DerReader(encodeDerTime(at)).readTime(), at);
   * const local = new TextEncoder().encode("250228191811+0100");
   * assert.throws(() => new DerReader(new Uint8Array([0x17, local.length, ...local])).readTime(), { code: "DER_INVALID" });
   * ```
   */
  readTime(): Date {
    const element = this.readElement();
    const text = LATIN1_DECODER.decode(element.contents);
    let match: RegExpExecArray | null;
    let year: number;
    let fraction = "";
    if (element.tag === DER_TAGS.UTC_TIME) {
      match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
      if (match === null) throw this.#error("UTCTime is not YYMMDDHHMMSSZ", element.offset);
      const yy = Number(match[1]);
      year = yy >= 50 ? 1900 + yy : 2000 + yy;
    } else if (element.tag === DER_TAGS.GENERALIZED_TIME) {
      match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/.exec(text);
      if (match === null) {
        throw this.#error("GeneralizedTime is not YYYYMMDDHHMMSS[.f]Z", element.offset);
      }
      year = Number(match[1]);
      fraction = match[7] ?? "";
    } else {
      throw this.#error(`expected a time, found tag ${tagName(element.tag)}`, element.offset);
    }
    const month = Number(match[2]);
    const day = Number(match[3]);
    const hour = Number(match[4]);
    const minute = Number(match[5]);
    const second = Number(match[6]);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
    if (
      days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59
    ) {
      throw this.#error("time is not a valid calendar instant", element.offset);
    }
    const ms = fraction === "" ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, ms);
    return date;
  }

  #children(element: DerElement): DerReader {
    return new DerReader(element.contents, {
      name: this.#name,
      offset: element.offset + element.headerLength,
    });
  }

  #checkInteger(element: DerElement): Uint8Array {
    const c = element.contents;
    if (c.length === 0) throw this.#error("INTEGER is empty", element.offset);
    if (
      c.length > 1 &&
      ((c[0] === 0x00 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) !== 0))
    ) {
      throw this.#error("INTEGER is not minimally encoded", element.offset);
    }
    return c;
  }

  /** An error at `offset`, an absolute offset into the outermost input. */
  #error(reason: string, offset: number): ParseError {
    return derError(this.#name, `${reason} at offset ${offset}`, offset);
  }
}

function derError(name: string | undefined, detail: string, offset: number): ParseError {
  const label = name === undefined ? "DER" : `DER "${name}"`;
  return new ParseError("DER_INVALID", `Cannot parse ${label}: ${detail}`, offset);
}

function decodeTwosComplement(contents: Uint8Array): bigint {
  let value = 0n;
  for (const byte of contents) value = (value << 8n) | BigInt(byte);
  if ((contents[0]! & 0x80) !== 0) value -= 1n << BigInt(contents.length * 8);
  return value;
}

function contextTag(tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) {
    throw new RangeError(`Cannot use context tag ${tagNumber}: tag numbers must be 0-30`);
  }
  return 0x80 | (constructed ? 0x20 : 0) | tagNumber;
}

/**
 * Decodes exactly one DER element that spans the whole input (no trailing bytes).
 *
 * @param bytes DER bytes.
 * @param name Input name for error messages.
 * @returns The element.
 * @throws {ParseError} `DER_INVALID` when the input is not exactly one well-formed element.
 *
 * @example Usage
 * ```ts
 * import { decodeDer } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.equal(decodeDer(new Uint8Array([0x30, 0x00])).tag, 0x30);
 * assert.throws(() => decodeDer(new Uint8Array([0x30, 0x00, 0x00])), { code: "DER_INVALID" });
 * ```
 */
export function decodeDer(bytes: Uint8Array, name?: string): DerElement {
  const reader = new DerReader(bytes, { name });
  const element = reader.readElement();
  reader.end();
  return element;
}

/**
 * Encodes one TLV with a minimal definite length.
 *
 * @param tag Identifier octet (low tag numbers only).
 * @param contents Contents octets.
 * @returns The encoding.
 * @throws {RangeError} When `tag` is not a byte or uses the high-tag-number form.
 *
 * @example Usage
 * ```ts
 * import { encodeDerTlv } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerTlv(0x04, new Uint8Array(200)).subarray(0, 3), new Uint8Array([0x04, 0x81, 200]));
 * ```
 */
export function encodeDerTlv(tag: number, contents: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`Cannot encode DER tag ${tag}: use a single identifier octet`);
  }
  const n = contents.length;
  const lengthBytes: number[] = [];
  if (n < 0x80) {
    lengthBytes.push(n);
  } else {
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + n);
  out[0] = tag;
  out.set(lengthBytes, 1);
  out.set(contents, 1 + lengthBytes.length);
  return out;
}

/**
 * Encodes a SEQUENCE of already-encoded elements.
 *
 * @param children Encoded elements, in order.
 * @returns The SEQUENCE encoding.
 *
 * @example Usage
 * ```ts
 * import { encodeDerNull, encodeDerSequence } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerSequence([encodeDerNull()]), new Uint8Array([0x30, 0x02, 0x05, 0x00]));
 * ```
 */
export function encodeDerSequence(children: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return encodeDerTlv(DER_TAGS.SEQUENCE, concatBytes(...children));
}

/**
 * Encodes a SET OF already-encoded elements, sorted by their encodings as DER requires (X.690 §11.6).
 *
 * @param children Encoded elements (any order).
 * @returns The SET encoding.
 *
 * @example Usage
 * ```ts
 * import { encodeDerInteger, encodeDerSet } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerSet([encodeDerInteger(2), encodeDerInteger(1)]), new Uint8Array([0x31, 6, 2, 1, 1, 2, 1, 2]));
 * ```
 */
export function encodeDerSet(children: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const sorted = [...children].sort(compareBytes);
  return encodeDerTlv(DER_TAGS.SET, concatBytes(...sorted));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Encodes a constructed context tag `[tagNumber]` around already-encoded contents (EXPLICIT
 * tagging, or IMPLICIT tagging of a constructed type's contents).
 *
 * @param tagNumber Context tag number, 0–30.
 * @param contents Encoded contents.
 * @returns The tagged encoding.
 * @throws {RangeError} When `tagNumber` is out of range.
 *
 * @example Usage
 * ```ts
 * import { encodeDerContext, encodeDerNull } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerContext(1, encodeDerNull()), new Uint8Array([0xa1, 2, 5, 0]));
 * ```
 */
export function encodeDerContext(tagNumber: number, contents: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDerTlv(contextTag(tagNumber, true), contents);
}

/**
 * Encodes a BOOLEAN (`0xFF` for true, as DER requires).
 *
 * @param value The value.
 * @returns The encoding.
 *
 * @example Usage
 * ```ts
 * import { encodeDerBoolean } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerBoolean(true), new Uint8Array([1, 1, 0xff]));
 * ```
 */
export function encodeDerBoolean(value: boolean): Uint8Array<ArrayBuffer> {
  return encodeDerTlv(DER_TAGS.BOOLEAN, new Uint8Array([value ? 0xff : 0x00]));
}

/**
 * Encodes a NULL.
 *
 * @returns `05 00`.
 *
 * @example Usage
 * ```ts
 * import { encodeDerNull } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerNull(), new Uint8Array([5, 0]));
 * ```
 */
export function encodeDerNull(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([DER_TAGS.NULL, 0]);
}

/**
 * Encodes an INTEGER minimally. A `Uint8Array` is read as an unsigned big-endian magnitude (leading
 * zeros are dropped and a sign byte is added when needed), as RSA and ECDSA values are stored.
 *
 * @param value A bigint, a safe integer, or unsigned big-endian bytes.
 * @returns The encoding.
 * @throws {RangeError} When a number is not a safe integer.
 *
 * @example Usage
 * ```ts
 * import { encodeDerInteger } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerInteger(128), new Uint8Array([2, 2, 0, 0x80]));
 * assert.deepEqual(encodeDerInteger(-1n), new Uint8Array([2, 1, 0xff]));
 * assert.deepEqual(encodeDerInteger(new Uint8Array([0, 0, 0xff])), new Uint8Array([2, 2, 0, 0xff]));
 * ```
 */
export function encodeDerInteger(value: bigint | number | Uint8Array): Uint8Array<ArrayBuffer> {
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    const magnitude = value.length === 0 ? new Uint8Array([0]) : value.subarray(start);
    const contents = (magnitude[0]! & 0x80) !== 0
      ? concatBytes(new Uint8Array([0]), magnitude)
      : magnitude;
    return encodeDerTlv(DER_TAGS.INTEGER, contents);
  }
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new RangeError(`Cannot encode DER INTEGER ${value}: not a safe integer`);
  }
  const big = BigInt(value);
  const bytes: number[] = [];
  let rest = big;
  // Emit bytes until the remaining value is pure sign extension of the last byte's top bit.
  do {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (
    !((rest === 0n && (bytes[0]! & 0x80) === 0) || (rest === -1n && (bytes[0]! & 0x80) !== 0))
  );
  return encodeDerTlv(DER_TAGS.INTEGER, new Uint8Array(bytes));
}

/**
 * Encodes an OBJECT IDENTIFIER from dotted decimal text.
 *
 * @param oid Dotted decimal OID with at least two arcs, e.g. `1.3.101.112`.
 * @returns The encoding.
 * @throws {RangeError} When the text is not a valid OID.
 *
 * @example Usage
 * ```ts
 * import { encodeDerOid } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerOid("1.3.101.112"), new Uint8Array([6, 3, 0x2b, 0x65, 0x70]));
 * ```
 */
export function encodeDerOid(oid: string): Uint8Array<ArrayBuffer> {
  if (!/^[0-2](?:\.(?:0|[1-9]\d*))+$/.test(oid)) {
    throw new RangeError(`Cannot encode OID "${oid}": not dotted decimal with two or more arcs`);
  }
  const arcs = oid.split(".").map(BigInt);
  const [first, second] = [arcs[0]!, arcs[1]!];
  if (first < 2n && second >= 40n) {
    throw new RangeError(`Cannot encode OID "${oid}": second arc must be below 40`);
  }
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) chunk.unshift(Number(rest & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return encodeDerTlv(DER_TAGS.OBJECT_IDENTIFIER, new Uint8Array(out));
}

/**
 * Encodes an OCTET STRING.
 *
 * @param bytes Contents.
 * @returns The encoding.
 *
 * @example Usage
 * ```ts
 * import { encodeDerOctetString } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerOctetString(new Uint8Array([9])), new Uint8Array([4, 1, 9]));
 * ```
 */
export function encodeDerOctetString(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDerTlv(DER_TAGS.OCTET_STRING, bytes);
}

/**
 * Encodes a BIT STRING; the unused low bits of the last byte are cleared.
 *
 * @param bytes The bits, most significant first.
 * @param unusedBits How many low bits of the last byte are unused (0–7; 0 when `bytes` is empty).
 * @returns The encoding.
 * @throws {RangeError} When `unusedBits` is out of range.
 *
 * @example Usage
 * ```ts
 * import { encodeDerBitString } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerBitString(new Uint8Array([0xff]), 7), new Uint8Array([3, 2, 7, 0x80]));
 * ```
 */
export function encodeDerBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array<ArrayBuffer> {
  if (
    !Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 ||
    (bytes.length === 0 && unusedBits !== 0)
  ) {
    throw new RangeError(`Cannot encode BIT STRING with ${unusedBits} unused bits`);
  }
  const contents = new Uint8Array(bytes.length + 1);
  contents[0] = unusedBits;
  contents.set(bytes, 1);
  if (bytes.length > 0) contents[bytes.length] = contents[bytes.length]! & (0xff << unusedBits);
  return encodeDerTlv(DER_TAGS.BIT_STRING, contents);
}

/**
 * Encodes a UTF8String.
 *
 * @param text The text.
 * @returns The encoding.
 *
 * @example Usage
 * ```ts
 * import { encodeDerUtf8String } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeDerUtf8String("a"), new Uint8Array([0x0c, 1, 0x61]));
 * ```
 */
export function encodeDerUtf8String(text: string): Uint8Array<ArrayBuffer> {
  return encodeDerTlv(DER_TAGS.UTF8_STRING, encodeUtf8(text));
}

/** Options for {@link encodeDerTime}. */
export interface EncodeDerTimeOptions {
  /**
   * `"utc"` (UTCTime, years 1950–2049, whole seconds), `"generalized"` (GeneralizedTime), or
   * `"auto"` (default: the RFC 5280 §4.1.2.5 rule, UTCTime for 1950–2049 unless the instant has
   * milliseconds).
   */
  form?: "auto" | "utc" | "generalized" | undefined;
}

/**
 * Encodes an instant as a DER UTCTime or GeneralizedTime (`Z`, seconds always present, fraction
 * without trailing zeros).
 *
 * @param date The instant (UTC).
 * @param options Which time type to write.
 * @returns The encoding.
 * @throws {RangeError} When the date is invalid or outside years 0–9999, or UTCTime is forced for
 *   an instant it cannot represent.
 *
 * @example Usage
 * ```ts
 * import { encodeDerTime } from "@stellaops/provenance/der";
 * import assert from "node:assert/strict";
 * const der = encodeDerTime(new Date("2030-01-02T03:04:05Z"));
 * assert.equal(new TextDecoder().decode(der.subarray(2)), "300102030405Z");
 * const gen = encodeDerTime(new Date("2030-01-02T03:04:05.120Z"), { form: "generalized" });
 * assert.equal(new TextDecoder().decode(gen.subarray(2)), "20300102030405.12Z");
 * ```
 */
export function encodeDerTime(
  date: Date,
  options: EncodeDerTimeOptions = {},
): Uint8Array<ArrayBuffer> {
  const time = date.getTime();
  const year = date.getUTCFullYear();
  if (Number.isNaN(time) || year < 0 || year > 9999) {
    throw new RangeError("Cannot encode DER time: the date is invalid or out of range");
  }
  const two = (n: number): string => String(n).padStart(2, "0");
  const rest = two(date.getUTCMonth() + 1) + two(date.getUTCDate()) + two(date.getUTCHours()) +
    two(date.getUTCMinutes()) + two(date.getUTCSeconds());
  const ms = date.getUTCMilliseconds();
  const utcFits = year >= 1950 && year <= 2049 && ms === 0;
  const form = options.form ?? "auto";
  if (form === "utc" && !utcFits) {
    throw new RangeError("Cannot encode DER UTCTime: only whole seconds in 1950-2049 fit");
  }
  if (form === "utc" || (form === "auto" && utcFits)) {
    return encodeDerTlv(DER_TAGS.UTC_TIME, encodeUtf8(two(year % 100) + rest + "Z"));
  }
  const fraction = ms === 0 ? "" : "." + String(ms).padStart(3, "0").replace(/0+$/, "");
  return encodeDerTlv(
    DER_TAGS.GENERALIZED_TIME,
    encodeUtf8(String(year).padStart(4, "0") + rest + fraction + "Z"),
  );
}
