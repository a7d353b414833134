/**
 * RFC 3161 time-stamp tokens: the data a token holds, as this toolkit reads it (RFC 3161 §2.4.2
 * `TimeStampResp` and `TSTInfo`; RFC 5652 §5.3 `SignerInfo`; RFC 2634 §5.4 / RFC 5035 §3 ESS
 * signing-certificate attributes). The strict reader is `timestamp_parse.ts`, verification
 * `timestamp.ts`.
 *
 * @module
 */

import type { DigestAlgorithm } from "../digest/digest.ts";
import type {
  AlgorithmIdentifier,
  Certificate,
  DistinguishedName,
  GeneralName,
} from "../keys/x509.ts";
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

/**
 * The message imprint of a TSTInfo: the hash algorithm and the hash of the time-stamped data.
 *
 * @example Usage
 * ```ts
 * import { type MessageImprint } from "@stellaops/provenance/sigstore";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { decodeBase64, encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type TimestampAccuracy } from "@stellaops/provenance/sigstore";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type TstInfo } from "@stellaops/provenance/sigstore";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type EssCertId } from "@stellaops/provenance/sigstore";
 * import { decodeBase64, encodeHex } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type SignerIdentifier } from "@stellaops/provenance/sigstore";
 * import { decodeBase64, encodeHex } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type TimestampSignerInfo } from "@stellaops/provenance/sigstore";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse } from "@stellaops/provenance/sigstore";
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
 * import { type TimestampToken } from "@stellaops/provenance/sigstore";
 * import { decodeBase64, encodeUtf8, formatRfc3339 } from "@stellaops/provenance/encoding";
 * import { parseTimestampResponse, verifyTimestamp } from "@stellaops/provenance/sigstore";
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
