/**
 * Test-only RFC 3161 token builder: TSTInfo, CMS SignedData and TimeStampResp written with the
 * toolkit's DER encoders and signed with `node:crypto`, so unit tests can make the malformed or
 * inconsistent tokens no real TSA writes (wrong content type, missing attributes, two signers, a
 * signing-certificate attribute naming another certificate).
 */
import { createHash } from "node:crypto";
import { digestBytes } from "../../mod.ts";
import {
  decodeDer,
  encodeDerBoolean,
  encodeDerContext,
  encodeDerInteger,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
  encodeDerSet,
  encodeDerTlv,
} from "../../lib/encoding/der.ts";
import { concatBytes, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { parseCertificate } from "../../lib/keys/mod.ts";
import { signWith, type TestKey } from "../keys/_x509_builder.ts";

const OID = {
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  ed25519: "1.3.101.112",
} as const;

/** The SignerInfo signature algorithm for the TSA key (Ed25519 and RSA sign deterministically). */
function signatureOid(key: TestKey): string {
  switch (key.kind) {
    case "ed25519":
      return OID.ed25519;
    case "rsa":
      return OID.sha256WithRsa;
    default:
      return OID.ecdsaSha256;
  }
}

/** What to put in a token. */
export interface TokenSpec {
  key: TestKey;
  /** DER of the TSA certificate (for the signer identifier and ESS attribute). */
  cert: Uint8Array;
  data: Uint8Array;
  /** Certificates to embed; default `[cert]`. */
  certificates?: Uint8Array[];
  imprintHash?: "sha1" | "sha256" | "sha384" | "sha512";
  /** GeneralizedTime text, e.g. `20250102030405.25Z`. */
  genTime?: string;
  accuracy?: { seconds?: number; millis?: number; micros?: number };
  ordering?: boolean;
  nonce?: bigint;
  sid?: "issuerAndSerialNumber" | "subjectKeyIdentifier";
  contentType?: string;
  /** Omit signed attributes altogether. */
  noSignedAttributes?: boolean;
  /** Omit the message-digest attribute. */
  noMessageDigest?: boolean;
  /** Certificate the ESSCertIDv2 names; `null` for no signing-certificate attribute. */
  essV2?: Uint8Array | null;
  /** Certificate the ESSCertID (SHA-1) names. */
  essV1?: Uint8Array;
  /** Add the signer twice. */
  twoSigners?: boolean;
  /** Wrap in a TimeStampResp with this status (default: bare token). */
  status?: number;
  /** Replace the encapsulated content type. */
  eContentType?: string;
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return encodeDerSequence([encodeDerOid(oid), encodeDerSet([value])]);
}

/** Builds a TimeStampToken (or TimeStampResp) per `spec`. */
export function buildToken(spec: TokenSpec): Uint8Array {
  const imprintHash = spec.imprintHash ?? "sha256";
  const hashed = imprintHash === "sha1"
    ? new Uint8Array(createHash("sha1").update(spec.data).digest())
    : digestBytes(imprintHash, spec.data);
  const accuracy = spec.accuracy === undefined ? [] : [
    encodeDerSequence([
      ...(spec.accuracy.seconds === undefined ? [] : [encodeDerInteger(spec.accuracy.seconds)]),
      ...(spec.accuracy.millis === undefined
        ? []
        : [encodeDerTlv(0x80, encodeDerInteger(spec.accuracy.millis).subarray(2))]),
      ...(spec.accuracy.micros === undefined
        ? []
        : [encodeDerTlv(0x81, encodeDerInteger(spec.accuracy.micros).subarray(2))]),
    ]),
  ];
  const tstInfo = encodeDerSequence([
    encodeDerInteger(1),
    encodeDerOid("1.2.3.4.1"),
    encodeDerSequence([
      encodeDerSequence([encodeDerOid(OID[imprintHash])]),
      encodeDerOctetString(hashed),
    ]),
    encodeDerInteger(42),
    encodeDerTlv(0x18, encodeUtf8(spec.genTime ?? "20250102030405.25Z")),
    ...accuracy,
    ...(spec.ordering ? [encodeDerBoolean(true)] : []),
    ...(spec.nonce === undefined ? [] : [encodeDerInteger(spec.nonce)]),
  ]);
  const cert = parseCertificate(spec.cert);
  const sidKind = spec.sid ?? "issuerAndSerialNumber";
  const sid = sidKind === "issuerAndSerialNumber"
    ? encodeDerSequence([cert.issuer.der, encodeDerInteger(cert.serialNumber)])
    : encodeDerTlv(0x80, cert.extensions.subjectKeyIdentifier!);
  const attrs: Uint8Array[] = [
    attribute(OID.contentType, encodeDerOid(spec.contentType ?? OID.tstInfo)),
  ];
  if (!spec.noMessageDigest) {
    attrs.push(attribute(OID.messageDigest, encodeDerOctetString(digestBytes("sha256", tstInfo))));
  }
  const essTarget = spec.essV2 === undefined ? spec.cert : spec.essV2;
  if (essTarget !== null) {
    attrs.push(attribute(
      OID.signingCertificateV2,
      encodeDerSequence([encodeDerSequence([encodeDerSequence([
        encodeDerOctetString(digestBytes("sha256", essTarget)),
      ])])]),
    ));
  }
  if (spec.essV1 !== undefined) {
    attrs.push(attribute(
      OID.signingCertificate,
      encodeDerSequence([encodeDerSequence([encodeDerSequence([
        encodeDerOctetString(new Uint8Array(createHash("sha1").update(spec.essV1).digest())),
      ])])]),
    ));
  }
  const attrSet = encodeDerSet(attrs);
  const toSign = spec.noSignedAttributes ? tstInfo : attrSet;
  const signature = signWith(spec.key, toSign, "sha256");
  // signedAttrs [0] IMPLICIT: the SET OF contents under tag 0xa0.
  const signedAttrs = spec.noSignedAttributes
    ? []
    : [encodeDerTlv(0xa0, decodeDer(attrSet).contents)];
  const signerInfo = encodeDerSequence([
    encodeDerInteger(sidKind === "issuerAndSerialNumber" ? 1 : 3),
    sid,
    encodeDerSequence([encodeDerOid(OID.sha256)]),
    ...signedAttrs,
    encodeDerSequence([encodeDerOid(signatureOid(spec.key))]),
    encodeDerOctetString(signature),
  ]);
  const certificates = spec.certificates ?? [spec.cert];
  const signedData = encodeDerSequence([
    encodeDerInteger(3),
    encodeDerSet([encodeDerSequence([encodeDerOid(OID.sha256)])]),
    encodeDerSequence([
      encodeDerOid(spec.eContentType ?? OID.tstInfo),
      encodeDerContext(0, encodeDerOctetString(tstInfo)),
    ]),
    ...(certificates.length === 0 ? [] : [encodeDerTlv(0xa0, concatBytes(...certificates))]),
    encodeDerTlv(0x31, concatBytes(...(spec.twoSigners ? [signerInfo, signerInfo] : [signerInfo]))),
  ]);
  const token = encodeDerSequence([encodeDerOid(OID.signedData), encodeDerContext(0, signedData)]);
  if (spec.status === undefined) return token;
  return encodeDerSequence([encodeDerSequence([encodeDerInteger(spec.status)]), token]);
}
