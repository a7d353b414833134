/**
 * RFC 3161 time-stamp tokens: the strict reader (data types in `timestamp_token.ts`, verification
 * in `timestamp.ts`).
 *
 * Reads (strict DER):
 * - RFC 3161 §2.4.2 `TimeStampResp` (`status` must be granted or grantedWithMods and carry a
 *   token), as `openssl ts -reply` writes it, or a bare `TimeStampToken` (§2.4.2: a CMS
 *   `ContentInfo`), as Sigstore bundles and `openssl ts -reply -token_out` hold it;
 * - RFC 5652 §5.1–§5.4 `SignedData` with `id-ct-TSTInfo` content: exactly one `SignerInfo`
 *   (RFC 3161 §2.4.1), identified by issuer and serial number (v1) or subject key identifier
 *   (v3), with signed attributes (§5.3) that hold one content-type and one message-digest;
 *   `certificates` (X.509 only);
 * - RFC 3161 §2.4.2 `TSTInfo`: version 1, policy, message imprint, serial number, `genTime`
 *   (fractional seconds kept to the millisecond), accuracy, ordering, nonce, TSA name;
 * - RFC 2634 §5.4 `SigningCertificate` (ESSCertID, SHA-1) and RFC 5035 §3 `SigningCertificateV2`
 *   (ESSCertIDv2) signed attributes.
 *
 * A token that does not parse throws `ParseError` `TIMESTAMP_INVALID`; verification reports it as
 * `TIMESTAMP_MALFORMED`.
 *
 * @module
 */

import { DER_TAGS, type DerElement, DerReader, encodeDerTlv } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import type { DigestAlgorithm } from "../digest/digest.ts";
import {
  readAlgorithmIdentifier,
  readGeneralName,
  readGeneralNames,
  readName,
} from "../keys/pkix.ts";
import {
  type AlgorithmIdentifier,
  type Certificate,
  type GeneralName,
  parseCertificate,
} from "../keys/x509.ts";
import { digestOf } from "../crypto/pkix_signature.ts";
import type {
  EssCertId,
  MessageImprint,
  ParseTimestampOptions,
  SignerIdentifier,
  TimestampAccuracy,
  TimestampSignerInfo,
  TimestampToken,
  TstInfo,
} from "./timestamp_token.ts";
import { TIMESTAMP_STATUSES } from "./timestamp_token.ts";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
/** `id-ct-TSTInfo` (RFC 3161 §2.4.2), the content type of a time-stamp token. */
export const OID_TST_INFO = "1.2.840.113549.1.9.16.1.4";
const OID_CONTENT_TYPE = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const OID_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12";
const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
const OID_SHA256 = "2.16.840.1.101.3.4.2.1";

function tsError(name: string | undefined, detail: string, offset = -1): ParseError {
  const label = name === undefined ? "" : ` "${name}"`;
  return new ParseError(
    "TIMESTAMP_INVALID",
    `Cannot parse time-stamp token${label}: ${detail}`,
    offset,
  );
}

/** Reads an IMPLICIT-tagged INTEGER (primitive context tag) as a safe integer. */
function implicitSmallInteger(element: DerElement): number {
  return new DerReader(encodeDerTlv(DER_TAGS.INTEGER, element.contents), {
    offset: element.offset,
  }).readSmallInteger();
}

function readAccuracy(reader: DerReader, name: string | undefined): TimestampAccuracy {
  const element = reader.readElement(DER_TAGS.SEQUENCE);
  const seq = DerReader.over(element);
  const seconds = seq.peekTag() === DER_TAGS.INTEGER ? seq.readSmallInteger() : 0;
  const millisElement = seq.readOptional(0x80);
  const microsElement = seq.readOptional(0x81);
  seq.end();
  const millis = millisElement === undefined ? 0 : implicitSmallInteger(millisElement);
  const micros = microsElement === undefined ? 0 : implicitSmallInteger(microsElement);
  if (
    seconds < 0 || (millisElement !== undefined && (millis < 1 || millis > 999)) ||
    (microsElement !== undefined && (micros < 1 || micros > 999))
  ) {
    throw tsError(name, "accuracy is out of range", element.offset);
  }
  return { seconds, millis, micros };
}

function readTstInfo(bytes: Uint8Array, offset: number, name: string | undefined): TstInfo {
  const outer = new DerReader(bytes, { name, offset });
  const seq = outer.readSequence();
  outer.end();
  const version = seq.readSmallInteger();
  if (version !== 1) throw tsError(name, `TSTInfo version must be 1, got ${version}`, offset);
  const policy = seq.readOid();
  const imprintSeq = seq.readSequence();
  const hashAlgorithm = readAlgorithmIdentifier(imprintSeq);
  const hashedMessage = imprintSeq.readOctetString();
  imprintSeq.end();
  const digest = digestOf(hashAlgorithm);
  const messageImprint: MessageImprint = isDigestName(digest)
    ? { hashAlgorithm, digestAlgorithm: digest, hashedMessage }
    : { hashAlgorithm, hashedMessage };
  const serialNumber = seq.readInteger();
  const genTimeElement = seq.readElement(DER_TAGS.GENERALIZED_TIME);
  const genTime = new DerReader(genTimeElement.raw, { name, offset: genTimeElement.offset })
    .readTime().getTime();
  const accuracy = seq.peekTag() === DER_TAGS.SEQUENCE ? readAccuracy(seq, name) : undefined;
  const ordering = seq.peekTag() === DER_TAGS.BOOLEAN ? seq.readBoolean() : false;
  const nonce = seq.peekTag() === DER_TAGS.INTEGER ? seq.readInteger() : undefined;
  const tsaReader = seq.readOptionalContext(0);
  let tsa: GeneralName | undefined;
  if (tsaReader !== undefined) {
    tsa = readGeneralName(tsaReader);
    tsaReader.end();
  }
  const extensions = seq.readOptional(0xa1);
  seq.end();
  return {
    version,
    policy,
    messageImprint,
    serialNumber,
    genTime,
    ...(accuracy === undefined ? {} : { accuracy }),
    ordering,
    ...(nonce === undefined ? {} : { nonce }),
    ...(tsa === undefined ? {} : { tsa }),
    hasExtensions: extensions !== undefined,
  };
}

/** Whether a digest name is one this toolkit computes. */
export function isDigestName(value: string): value is DigestAlgorithm {
  return value === "sha256" || value === "sha384" || value === "sha512";
}

function readEssCertIds(value: DerReader, v2: boolean): EssCertId[] {
  const outer = value.readSequence();
  const certs = outer.readSequence();
  const ids: EssCertId[] = [];
  while (!certs.isEmpty()) {
    const id = certs.readSequence();
    const hashAlgorithm: AlgorithmIdentifier = v2 && id.peekTag() === DER_TAGS.SEQUENCE
      ? readAlgorithmIdentifier(id)
      : v2
      ? { oid: OID_SHA256 }
      : { oid: "1.3.14.3.2.26" };
    const certHash = id.readOctetString();
    let issuerSerial: EssCertId["issuerSerial"];
    if (!id.isEmpty()) {
      const serialSeq = id.readSequence();
      const namesElement = serialSeq.readElement(DER_TAGS.SEQUENCE);
      const issuer = readGeneralNames(DerReader.over(namesElement), namesElement.offset);
      const serialNumber = serialSeq.readInteger();
      serialSeq.end();
      issuerSerial = { issuer, serialNumber };
    }
    id.end();
    ids.push(
      issuerSerial === undefined ? { hashAlgorithm, certHash } : {
        hashAlgorithm,
        certHash,
        issuerSerial,
      },
    );
  }
  // `policies` (SEQUENCE OF PolicyInformation) may follow; it does not affect verification.
  if (!outer.isEmpty()) outer.readSequence();
  outer.end();
  value.end();
  return ids;
}

function readSignerInfo(element: DerElement, name: string | undefined): TimestampSignerInfo {
  const seq = DerReader.over(element, name);
  const version = seq.readSmallInteger();
  let sid: SignerIdentifier;
  const sidTag = seq.peekTag();
  if (sidTag === 0x80) {
    const ski = seq.readElement(0x80);
    sid = { subjectKeyIdentifier: ski.contents };
    if (version !== 3) {
      throw tsError(name, "a SignerInfo with a subjectKeyIdentifier must be version 3", ski.offset);
    }
  } else {
    const ias = seq.readSequence();
    const issuer = readName(ias);
    const serialNumber = ias.readInteger();
    ias.end();
    sid = { issuer, serialNumber };
    if (version !== 1) {
      throw tsError(
        name,
        "a SignerInfo with issuerAndSerialNumber must be version 1",
        element.offset,
      );
    }
  }
  const digestAlgorithm = readAlgorithmIdentifier(seq);
  const attrsElement = seq.readOptional(0xa0);
  if (attrsElement === undefined) {
    throw tsError(
      name,
      "the SignerInfo has no signed attributes (RFC 3161 requires them)",
      element.offset,
    );
  }
  const signatureAlgorithm = readAlgorithmIdentifier(seq);
  const signature = seq.readOctetString();
  seq.readOptional(0xa1);
  seq.end();

  // The signature covers the DER of the attributes with the SET OF tag (RFC 5652 §5.4).
  const signedAttributes = attrsElement.raw.slice();
  signedAttributes[0] = DER_TAGS.SET;
  const attrs = DerReader.over(attrsElement, name);
  const seen = new Set<string>();
  let contentType: string | undefined;
  let messageDigest: Uint8Array | undefined;
  let signingCertificate: EssCertId[] | undefined;
  let signingCertificateV2: EssCertId[] | undefined;
  while (!attrs.isEmpty()) {
    const attrElement = attrs.readElement(DER_TAGS.SEQUENCE);
    const attr = DerReader.over(attrElement, name);
    const type = attr.readOid();
    const values = attr.readSet();
    attr.end();
    if (seen.has(type)) {
      throw tsError(name, `signed attribute ${type} appears more than once`, attrElement.offset);
    }
    seen.add(type);
    const single = (): DerReader => {
      const first = values.readElement();
      if (!values.isEmpty()) {
        throw tsError(name, `signed attribute ${type} must have one value`, attrElement.offset);
      }
      return new DerReader(first.raw, { name, offset: first.offset });
    };
    switch (type) {
      case OID_CONTENT_TYPE: {
        const value = single();
        contentType = value.readOid();
        value.end();
        break;
      }
      case OID_MESSAGE_DIGEST: {
        const value = single();
        messageDigest = value.readOctetString();
        value.end();
        break;
      }
      case OID_SIGNING_CERTIFICATE:
        signingCertificate = readEssCertIds(single(), false);
        break;
      case OID_SIGNING_CERTIFICATE_V2:
        signingCertificateV2 = readEssCertIds(single(), true);
        break;
      default:
        break;
    }
  }
  if (contentType === undefined || messageDigest === undefined) {
    throw tsError(
      name,
      "signed attributes must include content-type and message-digest",
      attrsElement.offset,
    );
  }
  return {
    sid,
    digestAlgorithm,
    signatureAlgorithm,
    signedAttributes,
    contentType,
    messageDigest,
    ...(signingCertificate === undefined ? {} : { signingCertificate }),
    ...(signingCertificateV2 === undefined ? {} : { signingCertificateV2 }),
    signature,
  };
}

function readToken(
  tokenElement: DerElement,
  name: string | undefined,
): Omit<TimestampToken, "status"> {
  const contentInfo = DerReader.over(tokenElement, name);
  const contentType = contentInfo.readOid();
  if (contentType !== OID_SIGNED_DATA) {
    throw tsError(name, `content type must be signedData, got ${contentType}`, tokenElement.offset);
  }
  const explicit = contentInfo.readContext(0);
  contentInfo.end();
  const signedDataElement = explicit.readElement(DER_TAGS.SEQUENCE);
  explicit.end();
  const sd = DerReader.over(signedDataElement, name);
  const version = sd.readSmallInteger();
  if (version < 1 || version > 5) {
    throw tsError(name, `SignedData version ${version} is not valid`, signedDataElement.offset);
  }
  const digestAlgorithms = sd.readSet();
  while (!digestAlgorithms.isEmpty()) readAlgorithmIdentifier(digestAlgorithms);
  const encap = sd.readSequence();
  const eContentType = encap.readOid();
  if (eContentType !== OID_TST_INFO) {
    throw tsError(
      name,
      `encapsulated content type must be id-ct-TSTInfo, got ${eContentType}`,
      signedDataElement.offset,
    );
  }
  const eContentReader = encap.readOptionalContext(0);
  if (eContentReader === undefined) {
    throw tsError(name, "the TSTInfo is not encapsulated", signedDataElement.offset);
  }
  const eContent = eContentReader.readElement(DER_TAGS.OCTET_STRING);
  eContentReader.end();
  encap.end();
  const tstInfoDer = eContent.contents;
  const tstInfo = readTstInfo(tstInfoDer, eContent.offset + eContent.headerLength, name);

  const certificates: Certificate[] = [];
  const certsElement = sd.readOptional(0xa0);
  if (certsElement !== undefined) {
    const certs = DerReader.over(certsElement, name);
    while (!certs.isEmpty()) {
      const certElement = certs.readElement();
      if (certElement.tag !== DER_TAGS.SEQUENCE) {
        throw tsError(
          name,
          "only X.509 certificates are supported in the token",
          certElement.offset,
        );
      }
      try {
        certificates.push(parseCertificate(certElement.raw, {
          name: `${name ?? "time-stamp token"} certificate ${certificates.length}`,
        }));
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        throw tsError(name, error.message, certElement.offset + Math.max(error.offset, 0));
      }
    }
  }
  sd.readOptional(0xa1);
  const signerInfos = sd.readSet();
  sd.end();
  const signerElement = signerInfos.isEmpty()
    ? undefined
    : signerInfos.readElement(DER_TAGS.SEQUENCE);
  if (signerElement === undefined || !signerInfos.isEmpty()) {
    throw tsError(
      name,
      "a time-stamp token must have exactly one SignerInfo",
      signedDataElement.offset,
    );
  }
  const signer = readSignerInfo(signerElement, name);
  return { token: tokenElement.raw, tstInfoDer, tstInfo, certificates, signer };
}

/**
 * Parses an RFC 3161 `TimeStampResp` (status granted or grantedWithMods) or a bare
 * `TimeStampToken`.
 *
 * @param bytes DER bytes (a copy is kept).
 * @param options Input name for error messages.
 * @returns The token: TSTInfo, certificates and signer information (nothing is verified).
 * @throws {ParseError} `TIMESTAMP_INVALID` when the input is malformed, is not a time-stamp token,
 *   or is a response whose status is not granted.
 * @throws {TypeError} When `bytes` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // A TimeStampResp with status "rejection" (2) and no token.
 * const rejected = new Uint8Array([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]);
 * assert.throws(() => parseTimestampResponse(rejected, { name: "token.tsr" }), { code: "TIMESTAMP_INVALID" });
 * ```
 */
export function parseTimestampResponse(
  bytes: Uint8Array,
  options: ParseTimestampOptions = {},
): TimestampToken {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the time-stamp token as bytes");
  const name = options.name;
  const copy = bytes.slice();
  try {
    const outer = new DerReader(copy, { name });
    const top = outer.readElement(DER_TAGS.SEQUENCE);
    outer.end();
    const first = DerReader.over(top, name).peekTag();
    if (first === DER_TAGS.OBJECT_IDENTIFIER) return readToken(top, name);
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
    const resp = DerReader.over(top, name);
    const statusInfo = resp.readSequence();
    const statusValue = statusInfo.readSmallInteger();
    const texts: string[] = [];
    if (statusInfo.peekTag() === DER_TAGS.SEQUENCE) {
      const free = statusInfo.readSequence();
      while (!free.isEmpty()) texts.push(free.readString());
    }
    if (statusInfo.peekTag() === DER_TAGS.BIT_STRING) statusInfo.readBitString();
    statusInfo.end();
    const status = TIMESTAMP_STATUSES[statusValue];
    if (status === undefined) throw tsError(name, `unknown status ${statusValue}`, top.offset);
    if (status !== "granted" && status !== "grantedWithMods") {
      const detail = texts.length === 0 ? "" : `: ${texts.join("; ")}`;
      throw tsError(name, `the TSA did not grant the request (status ${status})${detail}`);
    }
    if (resp.isEmpty()) throw tsError(name, `status ${status} but no token`, top.offset);
    const tokenElement = resp.readElement(DER_TAGS.SEQUENCE);
    resp.end();
    return { status, ...readToken(tokenElement, name) };
  } catch (error) {
    if (error instanceof ParseError && error.code === "DER_INVALID") {
      throw tsError(name, error.message.replace(/^[^:]*: /, ""), error.offset);
    }
    throw error;
  }
}
