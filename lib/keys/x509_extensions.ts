/**
 * X.509 v3 certificate extensions (RFC 5280 §4.2): the ones chain building and timestamp
 * verification read (§4.2.1.1 authority key identifier, §4.2.1.2 subject key identifier, §4.2.1.3
 * key usage, §4.2.1.6 subject alternative name, §4.2.1.9 basic constraints, §4.2.1.12 extended key
 * usage) decoded strictly; any other kept as raw bytes with its critical flag. Each extension at
 * most once (§4.2). Read by `parseCertificate` (`x509.ts`).
 *
 * @module
 */

import { DER_TAGS, DerReader, encodeDerTlv } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { derRuleError, readGeneralNames } from "./pkix.ts";
import type { GeneralName } from "./x509.ts";

/** Key usage bits in bit order (RFC 5280 §4.2.1.3); `nonRepudiation` is X.509's contentCommitment. */
export const KEY_USAGES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;

/** One of {@link KEY_USAGES}. */
export type KeyUsage = typeof KEY_USAGES[number];

/** Extension OIDs this reader decodes (RFC 5280 §4.2.1). */
export const EXTENSION_OIDS = {
  authorityKeyIdentifier: "2.5.29.35",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
} as const;

/**
 * One certificate extension as written: OID, critical flag and the contents of `extnValue`.
 *
 * @example Usage
 * ```ts
 * import { type CertificateExtension } from "@stellaops/provenance/keys";
 * import { decodeBase64, encodeHex } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA (O=local, CN=Test TSA Root).
 * const cert = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFj" +
 *   "AUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVs" +
 *   "b2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1Y" +
 *   "pgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQE" +
 *   "AwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHAD" +
 *   "BEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5" +
 *   "wpk=",
 * ));
 * const all: readonly CertificateExtension[] = cert.extensions.all;
 * assert.deepEqual(all.map((e) => [e.oid, e.critical, encodeHex(e.value)]), [
 *   ["2.5.29.15", true, "03020106"], // key usage: keyCertSign, cRLSign
 *   ["2.5.29.19", true, "30030101ff"], // basic constraints: cA TRUE
 *   ["2.5.29.14", false, "0414ed24286cc10b3ec475d4ec60172ec29d5581b871"], // subject key identifier
 * ]);
 * ```
 */
export interface CertificateExtension {
  /** Extension OID. */
  readonly oid: string;
  /** The critical flag (absent in DER means false). */
  readonly critical: boolean;
  /** The DER inside `extnValue`. */
  readonly value: Uint8Array;
}

/**
 * The decoded extensions of a certificate; `all` lists every extension in certificate order.
 *
 * @example Usage
 * ```ts
 * import { type CertificateExtensions } from "@stellaops/provenance/keys";
 * import { decodeBase64, encodeHex } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA (O=local, CN=Test TSA Root).
 * const cert = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFj" +
 *   "AUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVs" +
 *   "b2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1Y" +
 *   "pgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQE" +
 *   "AwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHAD" +
 *   "BEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5" +
 *   "wpk=",
 * ));
 * const extensions: CertificateExtensions = cert.extensions;
 * assert.deepEqual(extensions.basicConstraints, { critical: true, ca: true });
 * assert.deepEqual(extensions.keyUsage, { critical: true, usages: ["keyCertSign", "cRLSign"] });
 * assert.equal(encodeHex(extensions.subjectKeyIdentifier ?? new Uint8Array()), "ed24286cc10b3ec475d4ec60172ec29d5581b871");
 * assert.equal(extensions.extKeyUsage, undefined);
 * ```
 */
export interface CertificateExtensions {
  /** Every extension, in order. */
  readonly all: readonly CertificateExtension[];
  /** Basic constraints (§4.2.1.9). */
  readonly basicConstraints?: {
    readonly critical: boolean;
    readonly ca: boolean;
    readonly pathLength?: number;
  };
  /** Key usage (§4.2.1.3): the bits that are set. */
  readonly keyUsage?: { readonly critical: boolean; readonly usages: readonly KeyUsage[] };
  /** Extended key usage (§4.2.1.12): key purpose OIDs. */
  readonly extKeyUsage?: { readonly critical: boolean; readonly purposes: readonly string[] };
  /** Subject key identifier (§4.2.1.2). */
  readonly subjectKeyIdentifier?: Uint8Array;
  /** Authority key identifier (§4.2.1.1). */
  readonly authorityKeyIdentifier?: {
    readonly keyIdentifier?: Uint8Array;
    readonly issuer?: readonly GeneralName[];
    readonly serialNumber?: bigint;
  };
  /** Subject alternative name (§4.2.1.6). */
  readonly subjectAltName?: { readonly critical: boolean; readonly names: readonly GeneralName[] };
}

export function certError(name: string | undefined, detail: string, offset = -1): ParseError {
  const label = name === undefined ? "" : ` "${name}"`;
  return new ParseError("CERT_INVALID", `Cannot parse certificate${label}: ${detail}`, offset);
}

function readKeyUsage(reader: DerReader): KeyUsage[] {
  const bits = reader.readBitString();
  const usages: KeyUsage[] = [];
  const total = bits.bytes.length * 8 - bits.unusedBits;
  for (let i = 0; i < total && i < KEY_USAGES.length; i++) {
    if ((bits.bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0) usages.push(KEY_USAGES[i]!);
  }
  return usages;
}

type MutableExtensions = { -readonly [K in keyof CertificateExtensions]: CertificateExtensions[K] };

function decodeExtension(out: MutableExtensions, ext: CertificateExtension, offset: number): void {
  const reader = new DerReader(ext.value, { offset });
  switch (ext.oid) {
    case EXTENSION_OIDS.basicConstraints: {
      const seq = reader.readSequence();
      const ca = seq.peekTag() === DER_TAGS.BOOLEAN ? seq.readBoolean() : false;
      let pathLength: number | undefined;
      if (!seq.isEmpty()) {
        pathLength = seq.readSmallInteger();
        if (pathLength < 0) throw derRuleError("pathLenConstraint is negative", offset);
      }
      seq.end();
      out.basicConstraints = pathLength === undefined
        ? { critical: ext.critical, ca }
        : { critical: ext.critical, ca, pathLength };
      break;
    }
    case EXTENSION_OIDS.keyUsage:
      out.keyUsage = { critical: ext.critical, usages: readKeyUsage(reader) };
      break;
    case EXTENSION_OIDS.extKeyUsage: {
      const seq = reader.readSequence();
      const purposes: string[] = [];
      while (!seq.isEmpty()) purposes.push(seq.readOid());
      if (purposes.length === 0) throw derRuleError("extKeyUsage is empty", offset);
      out.extKeyUsage = { critical: ext.critical, purposes };
      break;
    }
    case EXTENSION_OIDS.subjectKeyIdentifier:
      out.subjectKeyIdentifier = reader.readOctetString();
      break;
    case EXTENSION_OIDS.authorityKeyIdentifier: {
      const seq = reader.readSequence();
      const aki: {
        keyIdentifier?: Uint8Array;
        issuer?: GeneralName[];
        serialNumber?: bigint;
      } = {};
      const keyId = seq.readOptional(0x80);
      if (keyId !== undefined) aki.keyIdentifier = keyId.contents;
      const issuer = seq.readOptional(0xa1);
      if (issuer !== undefined) {
        aki.issuer = readGeneralNames(DerReader.over(issuer), issuer.offset);
      }
      const serial = seq.readOptional(0x82);
      if (serial !== undefined) {
        // authorityCertSerialNumber [2] IMPLICIT INTEGER: re-read the contents as an INTEGER.
        aki.serialNumber = new DerReader(encodeDerTlv(DER_TAGS.INTEGER, serial.contents), {
          offset: serial.offset,
        }).readInteger();
      }
      seq.end();
      out.authorityKeyIdentifier = aki;
      break;
    }
    case EXTENSION_OIDS.subjectAltName: {
      const element = reader.readElement(DER_TAGS.SEQUENCE);
      out.subjectAltName = {
        critical: ext.critical,
        names: readGeneralNames(DerReader.over(element), element.offset),
      };
      break;
    }
    default:
      return;
  }
  reader.end();
}

export function readExtensions(reader: DerReader, offset: number): CertificateExtensions {
  const list = reader.readSequence();
  const out: MutableExtensions = { all: [] };
  const all: CertificateExtension[] = [];
  const seen = new Set<string>();
  if (list.isEmpty()) throw derRuleError("extensions must not be empty", offset);
  while (!list.isEmpty()) {
    const element = list.readElement(DER_TAGS.SEQUENCE);
    const ext = DerReader.over(element);
    const oid = ext.readOid();
    const critical = ext.peekTag() === DER_TAGS.BOOLEAN ? ext.readBoolean() : false;
    const valueElement = ext.readElement(DER_TAGS.OCTET_STRING);
    ext.end();
    if (seen.has(oid)) {
      throw derRuleError(`extension ${oid} appears more than once`, element.offset);
    }
    seen.add(oid);
    const extension = { oid, critical, value: valueElement.contents };
    all.push(extension);
    decodeExtension(out, extension, valueElement.offset + valueElement.headerLength);
  }
  out.all = all;
  return out;
}
