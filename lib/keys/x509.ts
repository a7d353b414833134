/**
 * X.509 v3 certificates (RFC 5280): a strict DER reader for what chain building and RFC 3161
 * timestamp verification need.
 *
 * Implements RFC 5280 §4.1 (Certificate, TBSCertificate: version, serial number, signature
 * algorithm, issuer, validity, subject, SubjectPublicKeyInfo, unique IDs, extensions) and the
 * extensions of §4.2.1.1 (authority key identifier), §4.2.1.2 (subject key identifier), §4.2.1.3
 * (key usage), §4.2.1.6 (subject alternative name), §4.2.1.9 (basic constraints) and §4.2.1.12
 * (extended key usage); other extensions are kept as raw bytes with their critical flag. Names
 * are kept as DER (for matching, §7.1 compares them after normalisation; here the bytes must be
 * equal, as Go and sigstore do) and as an RFC 4514 §2 string for messages.
 *
 * Strict: DER only (see `lib/encoding/der.ts`), no trailing bytes, an explicit version only for
 * v2/v3, a non-negative serial number, the inner and outer signature algorithms byte-equal
 * (§4.1.1.2), extensions only in v3 and each at most once (§4.2), well-formed known extensions.
 * Every failure is a {@link ParseError} with code `CERT_INVALID`. Signatures and chains are
 * checked by `verifyCertificateSignature` and `validateChain` in the verify layer.
 *
 * Why our own reader and no ASN.1 dependency (`pkijs`, `@peculiar/x509`): this toolkit needs
 * a few dozen lines of certificate fields, not a general ASN.1 object model; the strict DER
 * reader is already here; sigstore-js takes the same route; and nothing new has to be vendored
 * into an offline build or loaded at start-up.
 *
 * @module
 */

import { decodePemAll } from "../encoding/pem.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { DER_TAGS, DerReader } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { readAlgorithmIdentifier, readName } from "./pkix.ts";
import { certError, type CertificateExtensions, readExtensions } from "./x509_extensions.ts";

/**
 * An AlgorithmIdentifier: the algorithm OID and, when present, the DER of its parameters.
 *
 * @example Usage
 * ```ts
 * import { type AlgorithmIdentifier } from "@stellaops/provenance/keys";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
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
 * const algorithm: AlgorithmIdentifier = cert.signatureAlgorithm;
 * assert.deepEqual(algorithm, { oid: "1.2.840.10045.4.3.2" }); // ecdsa-with-SHA256, no parameters
 * ```
 */
export interface AlgorithmIdentifier {
  /** Dotted-decimal algorithm OID. */
  readonly oid: string;
  /** DER of the parameters (e.g. `05 00` for NULL), when present. */
  readonly parameters?: Uint8Array;
}

/**
 * One attribute of a distinguished name, in DER order.
 *
 * @example Usage
 * ```ts
 * import { type NameAttribute } from "@stellaops/provenance/keys";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
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
 * const attributes: readonly NameAttribute[] = cert.subject.attributes;
 * assert.deepEqual(attributes, [
 *   { oid: "2.5.4.10", type: "O", value: "local" },
 *   { oid: "2.5.4.3", type: "CN", value: "Test TSA Root" },
 * ]);
 * ```
 */
export interface NameAttribute {
  /** Attribute type OID, e.g. `2.5.4.3`. */
  readonly oid: string;
  /** RFC 4514 short name (`CN`, `O`, …) or the dotted OID when there is none. */
  readonly type: string;
  /** The value as text, or `#` and the hex of its DER when it is not a character string. */
  readonly value: string;
}

/**
 * A distinguished name: its exact DER (what name matching compares) and a readable form.
 *
 * @example Usage
 * ```ts
 * import { type DistinguishedName } from "@stellaops/provenance/keys";
 * import { decodeBase64, equalBytes } from "@stellaops/provenance/encoding";
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
 * const subject: DistinguishedName = cert.subject;
 * assert.equal(subject.text, "CN=Test TSA Root,O=local"); // RFC 4514: last RDN first
 * assert.ok(equalBytes(subject.der, cert.issuer.der)); // self-signed: issuer and subject are equal
 * ```
 */
export interface DistinguishedName {
  /** DER of the Name (`SEQUENCE OF RelativeDistinguishedName`). */
  readonly der: Uint8Array;
  /** RFC 4514 string: last RDN first, `,` between RDNs, `+` inside a multi-valued RDN. */
  readonly text: string;
  /** Every attribute, in DER order. */
  readonly attributes: readonly NameAttribute[];
}

/** GeneralName choices (RFC 5280 §4.2.1.6), by their tag number. */
export const GENERAL_NAME_TYPES = [
  "otherName",
  "email",
  "dns",
  "x400Address",
  "directoryName",
  "ediPartyName",
  "uri",
  "ip",
  "registeredId",
] as const;

/** One of {@link GENERAL_NAME_TYPES}. */
export type GeneralNameType = typeof GENERAL_NAME_TYPES[number];

/**
 * A GeneralName, reduced to text: `email`, `dns`, `uri` as written; `ip` in dotted or
 * colon-hex form; `directoryName` as an RFC 4514 string; `registeredId` as a dotted OID;
 * `otherName` as its value text (UTF8String and other character strings) or `#hex` of the DER,
 * with the type OID in `typeId`; `x400Address` and `ediPartyName` as `#hex`.
 *
 * @example Usage
 * ```ts
 * import { type GeneralName } from "@stellaops/provenance/keys";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * // A Fulcio-style test leaf: SAN email alice@example.com (critical, as Fulcio writes it).
 * const leaf = parseCertificate(decodeBase64(
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==",
 * ));
 * const names: readonly GeneralName[] = leaf.extensions.subjectAltName?.names ?? [];
 * assert.deepEqual(names, [{ type: "email", value: "alice@example.com" }]);
 * assert.equal(leaf.extensions.subjectAltName?.critical, true);
 * ```
 */
export interface GeneralName {
  /** Which choice. */
  readonly type: GeneralNameType;
  /** The value as text. */
  readonly value: string;
  /** For `otherName`: the type-id OID. */
  readonly typeId?: string;
}

/** Key purpose OIDs of the extended key usage extension (RFC 5280 §4.2.1.12). */
export const KEY_PURPOSES = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  anyExtendedKeyUsage: "2.5.29.37.0",
} as const;

/**
 * A parsed X.509 certificate. Byte fields are views into a private copy of the input.
 *
 * @example Usage
 * ```ts
 * import { type Certificate } from "@stellaops/provenance/keys";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { importSpki, parseCertificate } from "@stellaops/provenance/keys";
 * import { verifyCertificateSignature } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA (O=local, CN=Test TSA Root).
 * const cert: Certificate = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFj" +
 *   "AUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVs" +
 *   "b2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1Y" +
 *   "pgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQE" +
 *   "AwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHAD" +
 *   "BEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5" +
 *   "wpk=",
 * ));
 * assert.equal(cert.version, 3);
 * assert.equal(cert.serialNumber, 0x7c700ec4946fa4c966462defb7bc9e6e45d26fd2n);
 * assert.equal(new Date(cert.notAfter).toISOString(), "2034-10-31T10:19:42.000Z");
 * assert.equal(importSpki(cert.spki).algorithm, "ecdsa-p256-sha256");
 * assert.equal(await verifyCertificateSignature(cert, cert), true); // signed by its own key
 * ```
 */
export interface Certificate {
  /** The whole certificate DER. */
  readonly der: Uint8Array;
  /** The DER of the TBSCertificate (what the issuer signed). */
  readonly tbs: Uint8Array;
  /** Version: 1, 2 or 3. */
  readonly version: 1 | 2 | 3;
  /** Serial number. */
  readonly serialNumber: bigint;
  /** Signature algorithm of the issuer's signature. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** Issuer name. */
  readonly issuer: DistinguishedName;
  /** Subject name. */
  readonly subject: DistinguishedName;
  /** Start of validity, epoch milliseconds (inclusive). */
  readonly notBefore: number;
  /** End of validity, epoch milliseconds (inclusive, RFC 5280 §4.1.2.5). */
  readonly notAfter: number;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** Extensions (empty `all` for v1/v2). */
  readonly extensions: CertificateExtensions;
  /** The issuer's signature over `tbs`. */
  readonly signature: Uint8Array;
}

/** Options of {@link parseCertificate}. */
export interface ParseCertificateOptions {
  /** Name of the input (e.g. a file name), used in error messages. */
  name?: string | undefined;
}

/**
 * Parses one DER X.509 certificate strictly.
 *
 * @param der The certificate DER (a copy is kept).
 * @param options Input name for error messages.
 * @returns The certificate's fields and decoded extensions.
 * @throws {ParseError} `CERT_INVALID` when the input is not exactly one well-formed certificate.
 * @throws {TypeError} When `der` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA (O=local, CN=Test TSA Root).
 * const der = decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * );
 * const cert = parseCertificate(der);
 * assert.equal(cert.subject.text, "CN=Test TSA Root,O=local");
 * assert.equal(cert.extensions.basicConstraints?.ca, true);
 * assert.equal(new Date(cert.notBefore).toISOString(), "2024-10-31T10:14:42.000Z");
 * assert.throws(() => parseCertificate(der.subarray(0, 100)), { code: "CERT_INVALID" });
 * ```
 */
export function parseCertificate(
  der: Uint8Array,
  options: ParseCertificateOptions = {},
): Certificate {
  if (!(der instanceof Uint8Array)) throw new TypeError("Pass the certificate as DER bytes");
  const name = options.name;
  const bytes = der.slice();
  try {
    const outer = new DerReader(bytes, { name });
    const certElement = outer.readElement(DER_TAGS.SEQUENCE);
    outer.end();
    const cert = DerReader.over(certElement, name);
    const tbsElement = cert.readElement(DER_TAGS.SEQUENCE);
    const algorithmElement = cert.readElement(DER_TAGS.SEQUENCE);
    const signatureAlgorithm = readAlgorithmIdentifier(
      new DerReader(algorithmElement.raw, { name, offset: algorithmElement.offset }),
    );
    const signatureElement = cert.readElement(DER_TAGS.BIT_STRING);
    cert.end();
    const signature = new DerReader(signatureElement.raw, { name, offset: signatureElement.offset })
      .readBitStringBytes();

    const tbs = DerReader.over(tbsElement, name);
    let version: 1 | 2 | 3 = 1;
    const versionReader = tbs.readOptionalContext(0);
    if (versionReader !== undefined) {
      const v = versionReader.readSmallInteger();
      versionReader.end();
      if (v !== 1 && v !== 2) {
        throw certError(name, `version must be v2 or v3 when written (got ${v + 1})`);
      }
      version = (v + 1) as 2 | 3;
    }
    const serialElement = tbs.readElement(DER_TAGS.INTEGER);
    const serialNumber = new DerReader(serialElement.raw, { name, offset: serialElement.offset })
      .readInteger();
    if (serialNumber < 0n) throw certError(name, "serial number is negative", serialElement.offset);
    const innerAlgorithm = tbs.readElement(DER_TAGS.SEQUENCE);
    if (!equalBytes(innerAlgorithm.raw, algorithmElement.raw)) {
      throw certError(
        name,
        "the TBSCertificate signature algorithm differs from the outer one",
        innerAlgorithm.offset,
      );
    }
    const issuer = readName(tbs);
    const validity = tbs.readSequence();
    const notBefore = validity.readTime().getTime();
    const notAfter = validity.readTime().getTime();
    validity.end();
    const subject = readName(tbs);
    const spkiElement = tbs.readElement(DER_TAGS.SEQUENCE);
    const spkiReader = DerReader.over(spkiElement, name);
    readAlgorithmIdentifier(spkiReader);
    spkiReader.readBitString();
    spkiReader.end();
    for (const tag of [0x81, 0x82]) {
      const unique = tbs.readOptional(tag);
      if (unique !== undefined && version === 1) {
        throw certError(name, "unique identifiers need v2 or v3", unique.offset);
      }
    }
    let extensions: CertificateExtensions = { all: [] };
    const extElement = tbs.readOptional(0xa3);
    if (extElement !== undefined) {
      if (version !== 3) throw certError(name, "extensions need v3", extElement.offset);
      const extReader = DerReader.over(extElement, name);
      extensions = readExtensions(extReader, extElement.offset);
      extReader.end();
    }
    tbs.end();
    return {
      der: bytes,
      tbs: tbsElement.raw,
      version,
      serialNumber,
      signatureAlgorithm,
      issuer,
      subject,
      notBefore,
      notAfter,
      spki: spkiElement.raw,
      extensions,
      signature,
    };
  } catch (error) {
    if (error instanceof ParseError && error.code === "DER_INVALID") {
      throw certError(name, error.message.replace(/^[^:]*: /, ""), error.offset);
    }
    throw error;
  }
}

/**
 * Parses every `CERTIFICATE` block of a PEM text (a certificate bundle such as `roots.pem`).
 *
 * @param text PEM text; other blocks are skipped.
 * @param options Input name for error messages.
 * @returns The certificates, in file order.
 * @throws {ParseError} `CERT_INVALID` when a certificate does not parse; `PEM_NOT_FOUND`,
 *   `PEM_LABEL_MISMATCH` (no `CERTIFICATE` block) or `PEM_INVALID` from `decodePemAll`.
 *
 * @example Usage
 * ```ts
 * import { parseCertificatesPem } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseCertificatesPem("no certificates here", { name: "roots.pem" }), { code: "PEM_NOT_FOUND" });
 * ```
 */
export function parseCertificatesPem(
  text: string,
  options: ParseCertificateOptions = {},
): Certificate[] {
  if (typeof text !== "string") throw new TypeError("Pass the PEM text as a string");
  const blocks = decodePemAll(text, { label: "CERTIFICATE", name: options.name });
  return blocks.map((block, i) =>
    parseCertificate(block.bytes, {
      name: options.name === undefined ? `certificate ${i}` : `${options.name} #${i}`,
    })
  );
}
