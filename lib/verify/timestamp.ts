/**
 * RFC 3161 time-stamp tokens, verified offline against TSA roots the operator supplies.
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
 * {@link verifyTimestamp} then checks, in order (each check reported):
 * 1. `timestamp.parse` — the token parses (`TIMESTAMP_MALFORMED`);
 * 2. `timestamp.imprint` — the imprint is SHA-256/384/512 of the given data
 *    (`TIMESTAMP_IMPRINT_MISMATCH`); for DSSE, the data is the decoded signature bytes
 *    (Sigstore's convention, docs/architecture.md);
 * 3. `timestamp.signer` — the signer certificate is found among the token's certificates (unless
 *    `useEmbeddedCertificates` is false) and the supplied ones (`TSA_UNTRUSTED`; without it,
 *    checks 4 and 6 are not run and check 5 fails with `TSA_UNTRUSTED` too);
 * 4. `timestamp.signature` — content-type is `id-ct-TSTInfo`, message-digest is the hash of the
 *    TSTInfo, the signing-certificate attributes name the signer certificate, and the signature
 *    over the DER `SET OF` signed attributes verifies (RFC 5652 §5.4, §5.6)
 *    (`TIMESTAMP_SIGNATURE_INVALID`);
 * 5. `timestamp.chain` — the signer certificate chains to a supplied root, every certificate valid
 *    at `genTime` (RFC 3161 §2.3, RFC 5280 §6.1) (`TSA_UNTRUSTED`, `TSA_CERT_NOT_VALID_AT_TIME`);
 * 6. `timestamp.eku` — the TSA certificate has one extended key usage, `id-kp-timeStamping`, marked
 *    critical (RFC 3161 §2.3) and, when it has key usage, digitalSignature or nonRepudiation
 *    (`TSA_EKU_MISSING`);
 * 7. `timestamp.time` (only with `at`) — `genTime − accuracy` is not after `at + skew`
 *    (`SIGNED_IN_FUTURE`).
 *
 * `genTime` is the trusted signing time once every check passed; the caller applies its own time
 * window (`--not-after`) with `accuracyMs` and its skew. Nonces are returned, not checked: an
 * offline verifier has no request to compare with.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { encodeHex, equalBytes } from "../encoding/bytes.ts";
import { DER_TAGS, type DerElement, DerReader, encodeDerTlv } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { type DigestAlgorithm, digestBytes } from "../digest/digest.ts";
import {
  readAlgorithmIdentifier,
  readGeneralName,
  readGeneralNames,
  readName,
} from "../keys/pkix.ts";
import {
  type AlgorithmIdentifier,
  type Certificate,
  type DistinguishedName,
  type GeneralName,
  KEY_PURPOSES,
  parseCertificate,
} from "../keys/x509.ts";
import { digestOf, verifyPkixSignature } from "../crypto/pkix_signature.ts";
import { type Check, fail, pass } from "./report.ts";
import { validateChain } from "./x509_chain.ts";

/** PKIStatus values (RFC 3161 §2.4.2), by their integer value. */
export const TIMESTAMP_STATUSES = [
  "granted",
  "grantedWithMods",
  "rejection",
  "waiting",
  "revocationWarning",
  "revocationNotification",
] as const;

/** One of {@link TIMESTAMP_STATUSES}. */
export type TimestampStatus = typeof TIMESTAMP_STATUSES[number];

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_TST_INFO = "1.2.840.113549.1.9.16.1.4";
const OID_CONTENT_TYPE = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const OID_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12";
const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
const OID_SHA256 = "2.16.840.1.101.3.4.2.1";

/**
 * The message imprint of a TSTInfo: the hash algorithm and the hash of the time-stamped data.
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   encodeUtf8,
 *   type MessageImprint,
 *   parseTimestampResponse,
 *   sha256,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const imprint: MessageImprint = token.tstInfo.messageImprint;
 * assert.deepEqual(imprint, {
 *   hashAlgorithm: { oid: "2.16.840.1.101.3.4.2.1" }, // id-sha256
 *   digestAlgorithm: "sha256",
 *   hashedMessage: sha256(encodeUtf8("signature bytes")),
 * });
 * ```
 */
export interface MessageImprint {
  /** The hash AlgorithmIdentifier as written. */
  readonly hashAlgorithm: AlgorithmIdentifier;
  /** The hash as a digest name, when it is SHA-256, SHA-384 or SHA-512. */
  readonly digestAlgorithm?: DigestAlgorithm;
  /** The hash of the time-stamped data. */
  readonly hashedMessage: Uint8Array;
}

/**
 * The accuracy of `genTime` (RFC 3161 §2.4.2); absent parts are 0.
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   parseTimestampResponse,
 *   type TimestampAccuracy,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const accuracy: TimestampAccuracy | undefined = token.tstInfo.accuracy;
 * assert.deepEqual(accuracy, { seconds: 1, millis: 500, micros: 0 }); // genTime ± 1.5 s
 * ```
 */
export interface TimestampAccuracy {
  /** Whole seconds. */
  readonly seconds: number;
  /** Milliseconds, 0–999. */
  readonly millis: number;
  /** Microseconds, 0–999. */
  readonly micros: number;
}

/**
 * The signed content of a time-stamp token (RFC 3161 §2.4.2 `TSTInfo`).
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   parseTimestampResponse,
 *   type TstInfo,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const info: TstInfo = token.tstInfo;
 * assert.equal(info.genTime, Date.UTC(2026, 0, 1));
 * assert.deepEqual(
 *   [info.version, info.policy, info.serialNumber, info.nonce, info.ordering, info.hasExtensions],
 *   [1, "1.2.3.4.1", 42n, 7n, false, false],
 * );
 * ```
 */
export interface TstInfo {
  /** Always 1. */
  readonly version: number;
  /** The TSA policy OID. */
  readonly policy: string;
  /** The message imprint. */
  readonly messageImprint: MessageImprint;
  /** The token's serial number. */
  readonly serialNumber: bigint;
  /** Time of the time stamp, epoch milliseconds (sub-millisecond digits truncated). */
  readonly genTime: number;
  /** Accuracy of `genTime`, when given. */
  readonly accuracy?: TimestampAccuracy;
  /** Whether tokens of this TSA are ordered by `genTime` alone. */
  readonly ordering: boolean;
  /** The request's nonce, when given. */
  readonly nonce?: bigint;
  /** The TSA's name, when given. */
  readonly tsa?: GeneralName;
  /** Whether the TSTInfo has extensions (not interpreted). */
  readonly hasExtensions: boolean;
}

/**
 * One ESSCertID or ESSCertIDv2 of a signing-certificate attribute (RFC 2634 §5.4, RFC 5035 §4).
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   encodeHex,
 *   type EssCertId,
 *   parseTimestampResponse,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * // The SigningCertificateV2 attribute names the TSA certificate by its SHA-256.
 * const id: EssCertId | undefined = token.signer.signingCertificateV2?.[0];
 * assert.deepEqual(id?.hashAlgorithm, { oid: "2.16.840.1.101.3.4.2.1" });
 * assert.equal(
 *   encodeHex(id?.certHash ?? new Uint8Array()),
 *   "3f29388e7e29865e3eb6fac6dec750a761a0f20c10d1b00f5af59a85298c9aaa",
 * );
 * assert.equal(id?.issuerSerial, undefined);
 * ```
 */
export interface EssCertId {
  /** Hash algorithm of `certHash` (SHA-1, `1.3.14.3.2.26`, for ESSCertID). */
  readonly hashAlgorithm: AlgorithmIdentifier;
  /** Hash of the whole certificate DER. */
  readonly certHash: Uint8Array;
  /** Issuer names and serial number of the certificate, when given. */
  readonly issuerSerial?: {
    readonly issuer: readonly GeneralName[];
    readonly serialNumber: bigint;
  };
}

/**
 * How a SignerInfo names its certificate (RFC 5652 §5.3 `SignerIdentifier`).
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   encodeHex,
 *   parseTimestampResponse,
 *   type SignerIdentifier,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const sid: SignerIdentifier = token.signer.sid;
 * assert.ok("subjectKeyIdentifier" in sid);
 * assert.equal(encodeHex(sid.subjectKeyIdentifier), "84d9215aae8a4a8237130b1acfd8ff303b40974f");
 * ```
 */
export type SignerIdentifier =
  | { readonly issuer: DistinguishedName; readonly serialNumber: bigint }
  | { readonly subjectKeyIdentifier: Uint8Array };

/**
 * The one SignerInfo of a time-stamp token.
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   parseTimestampResponse,
 *   sha256,
 *   type TimestampSignerInfo,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const signer: TimestampSignerInfo = token.signer;
 * assert.equal(signer.contentType, "1.2.840.113549.1.9.16.1.4"); // id-ct-TSTInfo
 * assert.deepEqual(signer.messageDigest, sha256(token.tstInfoDer)); // binds the signature to the TSTInfo
 * assert.deepEqual(signer.signatureAlgorithm, { oid: "1.2.840.10045.4.3.2" }); // ecdsa-with-SHA256
 * assert.equal(signer.signedAttributes[0], 0x31); // the DER SET OF the signature covers
 * ```
 */
export interface TimestampSignerInfo {
  /** The signer's identifier. */
  readonly sid: SignerIdentifier;
  /** Digest algorithm of the message digest (and of the signature for bare key OIDs). */
  readonly digestAlgorithm: AlgorithmIdentifier;
  /** Signature algorithm. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The DER `SET OF Attribute` the signature covers. */
  readonly signedAttributes: Uint8Array;
  /** Value of the content-type attribute. */
  readonly contentType: string;
  /** Value of the message-digest attribute. */
  readonly messageDigest: Uint8Array;
  /** ESSCertIDs of a SigningCertificate attribute, when present. */
  readonly signingCertificate?: readonly EssCertId[];
  /** ESSCertIDv2s of a SigningCertificateV2 attribute, when present. */
  readonly signingCertificateV2?: readonly EssCertId[];
  /** The signature value. */
  readonly signature: Uint8Array;
}

/**
 * A parsed time-stamp token (and the response status, when it came in a `TimeStampResp`).
 * Byte fields are views into a private copy of the input.
 *
 * @example Usage
 * ```ts
 * import {
 *   decodeBase64,
 *   encodeUtf8,
 *   formatRfc3339,
 *   parseTimestampResponse,
 *   type TimestampToken,
 *   verifyTimestamp,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // An RFC 3161 token over "signature bytes" (by the test TSA "CN=Example TSA"; no certificates embedded).
 * const token = parseTimestampResponse(decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * ));
 * const parsed: TimestampToken = token;
 * assert.equal(parsed.status, undefined); // a bare token, not a TimeStampResp
 * assert.equal(parsed.certificates.length, 0);
 * assert.equal(formatRfc3339(parsed.tstInfo.genTime), "2026-01-01T00:00:00Z");
 * // Parsing verifies nothing: verifyTimestamp checks the imprint, signer and chain.
 * const result = await verifyTimestamp(parsed.token, { data: encodeUtf8("other bytes"), roots: [] });
 * assert.equal(result.verified, false);
 * assert.equal(result.checks.find((c) => c.id === "timestamp.imprint")?.code, "TIMESTAMP_IMPRINT_MISMATCH");
 * ```
 */
export interface TimestampToken {
  /** The response status, when the input was a `TimeStampResp`. */
  readonly status?: TimestampStatus;
  /** The DER of the `TimeStampToken` (`ContentInfo`). */
  readonly token: Uint8Array;
  /** The DER of the `TSTInfo` (the encapsulated content the message digest covers). */
  readonly tstInfoDer: Uint8Array;
  /** The decoded TSTInfo. */
  readonly tstInfo: TstInfo;
  /** Certificates carried in the token, in order. */
  readonly certificates: readonly Certificate[];
  /** The signer. */
  readonly signer: TimestampSignerInfo;
}

/** Options of {@link parseTimestampResponse}. */
export interface ParseTimestampOptions {
  /** Name of the input (e.g. a file name), used in error messages. */
  name?: string | undefined;
}

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

function isDigestName(value: string): value is DigestAlgorithm {
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
 * import { parseTimestampResponse } from "@stellaops/provenance";
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

/** Options of {@link verifyTimestamp}. */
export interface VerifyTimestampOptions {
  /**
   * The time-stamped bytes: the imprint must be their hash. For DSSE, the decoded signature bytes
   * (Sigstore's convention); for a Sigstore message signature, the signature bytes.
   */
  data: Uint8Array;
  /** Trusted TSA roots (DER or parsed); the signer's chain must end in one. */
  roots: readonly (Uint8Array | Certificate)[];
  /**
   * Untrusted certificates that may complete the chain, and the TSA certificate itself when the
   * token carries none (a Sigstore trusted root's `certChain` minus its last certificate).
   */
  intermediates?: readonly (Uint8Array | Certificate)[] | undefined;
  /**
   * Whether the certificates carried in the token may supply the signer certificate and the
   * chain; default true. Sigstore bundle verification passes false: a TSA of a trusted root is
   * trusted with the certificates that root lists for it, never with ones the token brings.
   */
  useEmbeddedCertificates?: boolean | undefined;
  /** The verifier's "now", epoch milliseconds: `genTime` must not be later (see `skew`). */
  at?: number | undefined;
  /** Allowed clock difference for `at`, in milliseconds; default 0. */
  skew?: number | undefined;
  /** Name of the token input (e.g. a file name), used in messages. */
  name?: string | undefined;
}

/**
 * The outcome of {@link verifyTimestamp}. `genTime` and `accuracyMs` are present whenever the
 * token parsed; trust them only when `verified` is true.
 */
export interface TimestampVerification {
  /** True exactly when every check passed. */
  verified: boolean;
  /** The checks, in the order of the module documentation. */
  checks: Check[];
  /** `genTime`, epoch milliseconds. */
  genTime?: number;
  /** The accuracy in milliseconds (micros rounded up), when the token states one. */
  accuracyMs?: number;
  /** The parsed token. */
  token?: TimestampToken;
  /** The TSA certificate path (signer first, root last), when it validated. */
  chain?: Certificate[];
}

function toCertificates(
  list: readonly (Uint8Array | Certificate)[] | undefined,
  what: string,
): Certificate[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError(`Pass options.${what} as a list of certificates`);
  return list.map((item, i) => {
    if (item instanceof Uint8Array) return parseCertificate(item, { name: `${what} ${i}` });
    if (typeof item === "object" && item !== null && item.der instanceof Uint8Array) return item;
    throw new TypeError(`Pass options.${what} as DER bytes or parsed certificates`);
  });
}

function findSigners(sid: SignerIdentifier, pool: readonly Certificate[]): Certificate[] {
  const found: Certificate[] = [];
  for (const cert of pool) {
    const matches = "subjectKeyIdentifier" in sid
      ? cert.extensions.subjectKeyIdentifier !== undefined &&
        equalBytes(cert.extensions.subjectKeyIdentifier, sid.subjectKeyIdentifier)
      : cert.serialNumber === sid.serialNumber && equalBytes(cert.issuer.der, sid.issuer.der);
    if (matches && !found.some((c) => equalBytes(c.der, cert.der))) found.push(cert);
  }
  return found;
}

function describeSid(sid: SignerIdentifier): string {
  return "subjectKeyIdentifier" in sid
    ? `subject key identifier ${encodeHex(sid.subjectKeyIdentifier)}`
    : `issuer "${sid.issuer.text}" serial ${sid.serialNumber.toString(16)}`;
}

/** Why the signing-certificate attribute does not name `cert`, if it does not. */
function essMismatch(
  ids: readonly EssCertId[],
  cert: Certificate,
  v2: boolean,
): string | undefined {
  const label = v2 ? "SigningCertificateV2" : "SigningCertificate";
  const first = ids[0];
  if (first === undefined) return `the ${label} attribute lists no certificate`;
  let hash: Uint8Array;
  if (!v2) {
    hash = createHash("sha1").update(cert.der).digest();
  } else {
    const digest = digestOf(first.hashAlgorithm);
    if (!isDigestName(digest)) return `the ${label} attribute uses an unsupported hash: ${digest}`;
    hash = digestBytes(digest, cert.der);
  }
  if (!equalBytes(hash, first.certHash)) {
    return `the ${label} attribute names another certificate than the signer's`;
  }
  const issuerSerial = first.issuerSerial;
  if (issuerSerial !== undefined) {
    const nameMatches = issuerSerial.issuer.some((n) =>
      n.type === "directoryName" && n.value === cert.issuer.text
    );
    if (!nameMatches || issuerSerial.serialNumber !== cert.serialNumber) {
      return `the ${label} attribute's issuer and serial number are not the signer certificate's`;
    }
  }
  return undefined;
}

async function checkSignature(
  token: TimestampToken,
  signerCert: Certificate,
): Promise<string | undefined> {
  const signer = token.signer;
  if (signer.contentType !== OID_TST_INFO) {
    return `the content-type attribute is ${signer.contentType}, not id-ct-TSTInfo`;
  }
  const digest = digestOf(signer.digestAlgorithm);
  if (!isDigestName(digest)) return digest;
  if (!equalBytes(digestBytes(digest, token.tstInfoDer), signer.messageDigest)) {
    return "the message-digest attribute does not match the TSTInfo";
  }
  if (signer.signingCertificate !== undefined) {
    const why = essMismatch(signer.signingCertificate, signerCert, false);
    if (why !== undefined) return why;
  }
  if (signer.signingCertificateV2 !== undefined) {
    const why = essMismatch(signer.signingCertificateV2, signerCert, true);
    if (why !== undefined) return why;
  }
  const verdict = await verifyPkixSignature(
    signerCert.spki,
    signer.signatureAlgorithm,
    signer.signedAttributes,
    signer.signature,
    digest,
  );
  return verdict.ok ? undefined : verdict.reason;
}

function checkEku(cert: Certificate): string | undefined {
  const eku = cert.extensions.extKeyUsage;
  if (eku === undefined) return "it has no extended key usage";
  if (!eku.purposes.includes(KEY_PURPOSES.timeStamping)) {
    return "its extended key usage does not include id-kp-timeStamping";
  }
  if (eku.purposes.length !== 1) return "its extended key usage has purposes besides timeStamping";
  if (!eku.critical) return "its extended key usage is not marked critical";
  const ku = cert.extensions.keyUsage;
  if (
    ku !== undefined && !ku.usages.includes("digitalSignature") &&
    !ku.usages.includes("nonRepudiation")
  ) {
    return "its key usage allows neither digitalSignature nor nonRepudiation";
  }
  return undefined;
}

/**
 * Verifies an RFC 3161 time-stamp token over `options.data` against trusted TSA roots.
 *
 * @param bytes A DER `TimeStampResp` or bare `TimeStampToken`.
 * @param options The time-stamped data, TSA roots, extra certificates, the current time and skew.
 * @returns Every check (see the module documentation), `genTime` and the accuracy.
 * @throws {TypeError} When an option has the wrong type.
 * @throws {RangeError} When `at` or `skew` is not a finite number (or `skew` is negative).
 * @throws {ParseError} `CERT_INVALID` when a root or intermediate given as DER does not parse.
 *
 * @example Usage
 * ```ts
 * import { verifyTimestamp } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const result = await verifyTimestamp(new Uint8Array([0x30, 0x00]), {
 *   data: new TextEncoder().encode("signature bytes"),
 *   roots: [],
 * });
 * assert.equal(result.verified, false);
 * assert.deepEqual(result.checks.map((check) => check.code), ["TIMESTAMP_MALFORMED"]);
 * ```
 */
export async function verifyTimestamp(
  bytes: Uint8Array,
  options: VerifyTimestampOptions,
): Promise<TimestampVerification> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the time-stamp token as bytes");
  if (typeof options !== "object" || options === null) throw new TypeError("Pass the options");
  if (!(options.data instanceof Uint8Array)) {
    throw new TypeError("Pass options.data as the time-stamped bytes");
  }
  if (!Array.isArray(options.roots)) throw new TypeError("Pass options.roots as certificates");
  const at = options.at;
  if (at !== undefined && (typeof at !== "number" || !Number.isFinite(at))) {
    throw new RangeError("Pass options.at as epoch milliseconds");
  }
  const skew = options.skew ?? 0;
  if (typeof skew !== "number" || !Number.isFinite(skew) || skew < 0) {
    throw new RangeError("Pass options.skew as non-negative milliseconds");
  }
  const roots = toCertificates(options.roots, "roots");
  const intermediates = toCertificates(options.intermediates, "intermediates");
  const useEmbedded = options.useEmbeddedCertificates ?? true;
  if (typeof useEmbedded !== "boolean") {
    throw new TypeError("Pass options.useEmbeddedCertificates as a boolean");
  }
  const label = options.name === undefined
    ? "time-stamp token"
    : `time-stamp token "${options.name}"`;

  let token: TimestampToken;
  try {
    token = parseTimestampResponse(bytes, { name: options.name });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const check = fail("timestamp.parse", "TIMESTAMP_MALFORMED", error.message);
    return { verified: false, checks: [check] };
  }
  const checks: Check[] = [pass("timestamp.parse")];
  const info = token.tstInfo;
  const accuracyMs = info.accuracy === undefined
    ? undefined
    : info.accuracy.seconds * 1000 + info.accuracy.millis + Math.ceil(info.accuracy.micros / 1000);

  // 2. Imprint.
  const imprint = info.messageImprint;
  if (imprint.digestAlgorithm === undefined) {
    checks.push(fail(
      "timestamp.imprint",
      "TIMESTAMP_IMPRINT_MISMATCH",
      `Cannot check the imprint of the ${label}: hash algorithm ${imprint.hashAlgorithm.oid} is not supported`,
    ));
  } else if (
    !equalBytes(digestBytes(imprint.digestAlgorithm, options.data), imprint.hashedMessage)
  ) {
    checks.push(fail(
      "timestamp.imprint",
      "TIMESTAMP_IMPRINT_MISMATCH",
      `Cannot match the ${label} to the data: its ${imprint.digestAlgorithm} imprint is of other bytes`,
    ));
  } else {
    checks.push(pass("timestamp.imprint"));
  }

  // 3. Signer certificate.
  const embedded = useEmbedded ? token.certificates : [];
  const signers = findSigners(token.signer.sid, [...embedded, ...intermediates, ...roots]);
  if (signers.length === 0) {
    const why = `no certificate ${
      useEmbedded ? "in the token or the supplied ones" : "supplied for this TSA"
    } matches its signer (${describeSid(token.signer.sid)})`;
    checks.push(
      fail("timestamp.signer", "TSA_UNTRUSTED", `Cannot identify the TSA of the ${label}: ${why}`),
    );
    // Without the signer certificate neither the signature nor the purpose can be checked; the
    // chain check fails for the same reason.
    checks.push(
      fail(
        "timestamp.chain",
        "TSA_UNTRUSTED",
        `Cannot trust the ${label}: its TSA certificate was not found`,
      ),
    );
  } else {
    checks.push(pass("timestamp.signer"));
    // 4. CMS signature. Several certificates may match the identifier (a reused serial number, a
    // shared key identifier): the first one whose key verifies the signature is the signer.
    let signerCert = signers[0]!;
    let why = await checkSignature(token, signerCert);
    for (const candidate of signers.slice(1)) {
      if (why === undefined) break;
      const candidateWhy = await checkSignature(token, candidate);
      if (candidateWhy === undefined) {
        signerCert = candidate;
        why = undefined;
      }
    }
    checks.push(
      why === undefined ? pass("timestamp.signature") : fail(
        "timestamp.signature",
        "TIMESTAMP_SIGNATURE_INVALID",
        `Cannot verify the ${label}: ${why}`,
      ),
    );
    // 5. Chain at genTime.
    const result = await validateChain(signerCert, {
      roots,
      intermediates: [...embedded, ...intermediates],
      at: info.genTime,
    });
    if (result.ok) {
      checks.push(pass("timestamp.chain"));
    } else {
      const code = result.code === "CERT_NOT_VALID_AT_TIME"
        ? "TSA_CERT_NOT_VALID_AT_TIME"
        : "TSA_UNTRUSTED";
      checks.push(fail("timestamp.chain", code, `${result.message} (TSA of the ${label})`));
    }
    // 6. TSA certificate purpose.
    const ekuWhy = checkEku(signerCert);
    checks.push(
      ekuWhy === undefined ? pass("timestamp.eku") : fail(
        "timestamp.eku",
        "TSA_EKU_MISSING",
        `Cannot accept certificate "${signerCert.subject.text}" as a TSA: ${ekuWhy}`,
      ),
    );
    if (result.ok) {
      return finish(checks, token, accuracyMs, at, skew, label, result.chain);
    }
  }
  return finish(checks, token, accuracyMs, at, skew, label, undefined);
}

function finish(
  checks: Check[],
  token: TimestampToken,
  accuracyMs: number | undefined,
  at: number | undefined,
  skew: number,
  label: string,
  chain: Certificate[] | undefined,
): TimestampVerification {
  const genTime = token.tstInfo.genTime;
  if (at !== undefined) {
    if (genTime - (accuracyMs ?? 0) > at + skew) {
      checks.push(fail(
        "timestamp.time",
        "SIGNED_IN_FUTURE",
        `Cannot accept the ${label}: its time ${formatRfc3339(genTime)} is after ${
          formatRfc3339(Math.trunc(at))
        } plus the allowed skew`,
      ));
    } else {
      checks.push(pass("timestamp.time"));
    }
  }
  return {
    verified: checks.every((check) => check.ok),
    checks,
    genTime,
    ...(accuracyMs === undefined ? {} : { accuracyMs }),
    token,
    ...(chain === undefined ? {} : { chain }),
  };
}
