/**
 * PKIX building blocks shared by the X.509 reader, the RFC 3161 / CMS reader
 * (`lib/verify/timestamp.ts`) and the PKIX signature check (`lib/crypto/pkix_signature.ts`):
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2), Name (§4.1.2.4) with an RFC 4514 string form, and
 * GeneralName (§4.2.1.6).
 *
 * Not re-exported from `mod.ts`. Readers throw the `DER_INVALID` errors of
 * {@link DerReader}; callers turn them into their own codes.
 *
 * @module
 */

import { encodeHex } from "../encoding/bytes.ts";
import { DER_TAGS, type DerElement, DerReader, encodeDerTlv } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import type { AlgorithmIdentifier, DistinguishedName, GeneralName, NameAttribute } from "./x509.ts";

const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "2.5.4.9": "STREET",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
  "2.5.4.5": "serialNumber",
  "1.2.840.113549.1.9.1": "emailAddress",
};

const STRING_TAGS: ReadonlySet<number> = new Set([
  DER_TAGS.UTF8_STRING,
  DER_TAGS.PRINTABLE_STRING,
  DER_TAGS.TELETEX_STRING,
  DER_TAGS.IA5_STRING,
  DER_TAGS.VISIBLE_STRING,
  DER_TAGS.NUMERIC_STRING,
  DER_TAGS.UNIVERSAL_STRING,
  DER_TAGS.BMP_STRING,
]);

/** A `DER_INVALID` error at `offset` (absolute), for structural rules the DER reader cannot see. */
export function derRuleError(detail: string, offset: number): ParseError {
  return new ParseError("DER_INVALID", `Cannot parse DER: ${detail} at offset ${offset}`, offset);
}

/** Reads an AlgorithmIdentifier `SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`. */
export function readAlgorithmIdentifier(reader: DerReader): AlgorithmIdentifier {
  const seq = reader.readSequence();
  const oid = seq.readOid();
  if (seq.isEmpty()) return { oid };
  const parameters = seq.readElement().raw;
  seq.end();
  return { oid, parameters };
}

/** Escapes one attribute value per RFC 4514 §2.4. */
function escapeValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\0") out += "\\00";
    else if (',+"\\<>;'.includes(ch)) out += "\\" + ch;
    else if ((i === 0 && (ch === " " || ch === "#")) || (i === value.length - 1 && ch === " ")) {
      out += "\\" + ch;
    } else out += ch;
  }
  return out;
}

/** Reads an AttributeValue: text for the character-string types, else `#` + hex of the DER. */
function readAttributeValue(reader: DerReader): { text: string; isString: boolean } {
  const tag = reader.peekTag();
  if (tag !== undefined && STRING_TAGS.has(tag)) {
    return { text: reader.readString(), isString: true };
  }
  return { text: "#" + encodeHex(reader.readElement().raw), isString: false };
}

/** Reads a Name (`SEQUENCE OF SET SIZE (1..MAX) OF AttributeTypeAndValue`). */
export function readName(reader: DerReader): DistinguishedName {
  const element = reader.readElement(DER_TAGS.SEQUENCE);
  return nameFromElement(element);
}

/** Reads a Name from an already-read SEQUENCE element. */
export function nameFromElement(element: DerElement): DistinguishedName {
  const rdns = DerReader.over(element);
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  while (!rdns.isEmpty()) {
    const setElement = rdns.readElement(DER_TAGS.SET);
    const set = DerReader.over(setElement);
    if (set.isEmpty()) throw derRuleError("RelativeDistinguishedName is empty", setElement.offset);
    const parts: string[] = [];
    while (!set.isEmpty()) {
      const atv = set.readSequence();
      const oid = atv.readOid();
      const value = readAttributeValue(atv);
      atv.end();
      const short = SHORT_NAMES[oid];
      const type = short ?? oid;
      attributes.push({ oid, type, value: value.text });
      parts.push(`${type}=${value.isString ? escapeValue(value.text) : value.text}`);
    }
    rdnTexts.push(parts.join("+"));
  }
  return { der: element.raw, text: rdnTexts.reverse().join(","), attributes };
}

function formatIp(bytes: Uint8Array, offset: number): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return groups.join(":");
  }
  throw derRuleError("iPAddress must be 4 or 16 bytes", offset);
}

function ascii(bytes: Uint8Array, offset: number, what: string): string {
  let text = "";
  for (const byte of bytes) {
    if (byte > 0x7e || byte < 0x20) throw derRuleError(`${what} is not printable ASCII`, offset);
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Reads one GeneralName (RFC 5280 §4.2.1.6; IMPLICIT tags except the CHOICE `directoryName`). */
export function readGeneralName(reader: DerReader): GeneralName {
  const element = reader.readElement();
  if (element.tagClass !== "context") {
    throw derRuleError("GeneralName must use a context tag", element.offset);
  }
  const n = element.tagNumber;
  const constructed = element.constructed;
  const wantConstructed = n === 0 || n === 3 || n === 4 || n === 5;
  if (n > 8 || constructed !== wantConstructed) {
    throw derRuleError(`GeneralName has an unexpected tag`, element.offset);
  }
  switch (n) {
    case 0: {
      const inner = DerReader.over(element);
      const typeId = inner.readOid();
      const value = inner.readContext(0);
      inner.end();
      const tag = value.peekTag();
      const text = tag !== undefined && STRING_TAGS.has(tag)
        ? value.readString()
        : "#" + encodeHex(value.readElement().raw);
      value.end();
      return { type: "otherName", value: text, typeId };
    }
    case 1:
      return { type: "email", value: ascii(element.contents, element.offset, "rfc822Name") };
    case 2:
      return { type: "dns", value: ascii(element.contents, element.offset, "dNSName") };
    case 3:
      return { type: "x400Address", value: "#" + encodeHex(element.raw) };
    case 4: {
      const inner = DerReader.over(element);
      const name = readName(inner);
      inner.end();
      return { type: "directoryName", value: name.text };
    }
    case 5:
      return { type: "ediPartyName", value: "#" + encodeHex(element.raw) };
    case 6:
      return {
        type: "uri",
        value: ascii(element.contents, element.offset, "uniformResourceIdentifier"),
      };
    case 7:
      return { type: "ip", value: formatIp(element.contents, element.offset) };
    default: {
      // registeredID [8] IMPLICIT OBJECT IDENTIFIER: re-read the contents as an OID.
      const oid = new DerReader(encodeDerTlv(DER_TAGS.OBJECT_IDENTIFIER, element.contents), {
        offset: element.offset,
      });
      return { type: "registeredId", value: oid.readOid() };
    }
  }
}

/** Reads GeneralNames (`SEQUENCE SIZE (1..MAX) OF GeneralName`) from a reader over its contents. */
export function readGeneralNames(reader: DerReader, offset: number): GeneralName[] {
  const names: GeneralName[] = [];
  while (!reader.isEmpty()) names.push(readGeneralName(reader));
  if (names.length === 0) throw derRuleError("GeneralNames is empty", offset);
  return names;
}
