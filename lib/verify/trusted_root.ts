/**
 * Sigstore trusted roots (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`,
 * sigstore/protobuf-specs `dev.sigstore.trustroot.v1.TrustedRoot`), read from bytes only: no TUF,
 * no network. `certificateAuthorities[]` and `timestampAuthorities[]` (`CertificateAuthority`:
 * `certChain.certificates[].rawBytes`, leaf first and root last, and `validFor`), `tlogs[]` and
 * `ctlogs[]` (`TransparencyLogInstance`, read by `logKeysFromTrustedRoot`).
 *
 * Validity windows (`TimeRange`) are closed intervals: both `start` and `end` are inclusive. A
 * missing `start` is rejected; a missing `end` means open-ended.
 *
 * @module
 */

import { decodeBase64 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { type Certificate, parseCertificate } from "../keys/x509.ts";
import { logKeysFromTrustedRoot, type TransparencyLogKey } from "./log_keys.ts";
import { isObject } from "../encoding/json_value.ts";
import { validityWindow } from "./_validity.ts";

/**
 * A certificate authority or timestamp authority of a trusted root.
 *
 * @example Usage
 * ```ts
 * import { type TrustedAuthority } from "@stellaops/provenance/sigstore";
 * import { isValidAt, parseTrustedRoot } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // The certificate (DER, base64) of a test TSA, "CN=Example TSA".
 * const tsaCertificate =
 *   "MIIBlzCCATygAwIBAgIBATAKBggqhkjOPQQDAjAvMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEUMBIGA1UEAwwLRX" +
 *   "hhbXBsZSBUU0EwHhcNMjUwMTAxMDAwMDAwWhcNMzAwMTAxMDAwMDAwWjAvMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVz" +
 *   "dDEUMBIGA1UEAwwLRXhhbXBsZSBUU0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ/rbvrFLyeMjSJUfFo9GXfmf" +
 *   "Xp3Qa5BQBvOALrPadeb2VhNEe7Tnt16csCPf8zdFln69shdXPXInXcMNdsPgm+o0kwRzAOBgNVHQ8BAf8EBAMCB4Aw" +
 *   "FgYDVR0lAQH/BAwwCgYIKwYBBQUHAwgwHQYDVR0OBBYEFITZIVquikqCNxMLGs/Y/zA7QJdPMAoGCCqGSM49BAMCA0" +
 *   "kAMEYCIQCfXqs5KO3onyUUyfztMiHc8eD3ecLF3ceTyrAZXEGpiwIhANvPpwBKEnyREUFXFARqKuYGR2Wcyka0b78a" +
 *   "8DpSaYXk";
 * const root = parseTrustedRoot(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
 *   timestampAuthorities: [{
 *     uri: "https://tsa.example",
 *     certChain: { certificates: [{ rawBytes: tsaCertificate }] },
 *     validFor: { start: "2025-01-01T00:00:00Z", end: "2030-01-01T00:00:00Z" },
 *   }],
 * }));
 * const authority: TrustedAuthority | undefined = root.timestampAuthorities[0];
 * assert.ok(authority !== undefined);
 * assert.equal(authority.uri, "https://tsa.example");
 * assert.deepEqual(authority.chain.map((c) => c.subject.text), ["CN=Example TSA,O=StellaOps Test"]);
 * assert.deepEqual([authority.validFrom, authority.validUntil], [Date.UTC(2025, 0, 1), Date.UTC(2030, 0, 1)]);
 * assert.equal(isValidAt(authority, Date.UTC(2030, 0, 1)), true); // closed window
 * assert.equal(isValidAt(authority, Date.UTC(2030, 0, 1) + 1), false);
 * ```
 */
export interface TrustedAuthority {
  /** The authority's URI as written. */
  readonly uri: string;
  /** The certificate chain, leaf (or intermediate) first, root last. */
  readonly chain: readonly Certificate[];
  /** Start of validity, epoch milliseconds (inclusive). */
  readonly validFrom: number;
  /** End of validity, epoch milliseconds (inclusive), when set. */
  readonly validUntil?: number;
}

/**
 * A parsed trusted root.
 *
 * @example Usage
 * ```ts
 * import { type TrustedRoot } from "@stellaops/provenance/sigstore";
 * import { decodeBase64, encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { parseTrustedRoot, verifyTimestamp } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // The certificate (DER, base64) of a test TSA, "CN=Example TSA".
 * const tsaCertificate =
 *   "MIIBlzCCATygAwIBAgIBATAKBggqhkjOPQQDAjAvMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEUMBIGA1UEAwwLRX" +
 *   "hhbXBsZSBUU0EwHhcNMjUwMTAxMDAwMDAwWhcNMzAwMTAxMDAwMDAwWjAvMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVz" +
 *   "dDEUMBIGA1UEAwwLRXhhbXBsZSBUU0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ/rbvrFLyeMjSJUfFo9GXfmf" +
 *   "Xp3Qa5BQBvOALrPadeb2VhNEe7Tnt16csCPf8zdFln69shdXPXInXcMNdsPgm+o0kwRzAOBgNVHQ8BAf8EBAMCB4Aw" +
 *   "FgYDVR0lAQH/BAwwCgYIKwYBBQUHAwgwHQYDVR0OBBYEFITZIVquikqCNxMLGs/Y/zA7QJdPMAoGCCqGSM49BAMCA0" +
 *   "kAMEYCIQCfXqs5KO3onyUUyfztMiHc8eD3ecLF3ceTyrAZXEGpiwIhANvPpwBKEnyREUFXFARqKuYGR2Wcyka0b78a" +
 *   "8DpSaYXk";
 * const root: TrustedRoot = parseTrustedRoot(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
 *   timestampAuthorities: [{
 *     uri: "https://tsa.example",
 *     certChain: { certificates: [{ rawBytes: tsaCertificate }] },
 *     validFor: { start: "2025-01-01T00:00:00Z", end: "2030-01-01T00:00:00Z" },
 *   }],
 * }));
 * assert.deepEqual([root.certificateAuthorities.length, root.tlogs.length, root.ctlogs.length], [0, 0, 0]);
 * // An RFC 3161 token that TSA issued over "signature bytes": it verifies against the root's TSAs.
 * const token = decodeBase64(
 *   "MIIBoAYJKoZIhvcNAQcCoIIBkTCCAY0CAQMxDTALBglghkgBZQMEAgEwbQYLKoZIhvcNAQkQAQSgXgRcMFoCAQEGBC" +
 *   "oDBAEwLzALBglghkgBZQMEAgEEIPTC/uRwcpvMYNkO38aHu1s+N3zTHTnn+tzG2ZeP8Y30AgEqGA8yMDI2MDEwMTAw" +
 *   "MDAwMFowBwIBAYACAfQCAQcxggEIMIIBBAIBA4AUhNkhWq6KSoI3Ewsaz9j/MDtAl08wCwYJYIZIAWUDBAIBoIGGMB" +
 *   "oGCSqGSIb3DQEJAzENBgsqhkiG9w0BCRABBDAvBgkqhkiG9w0BCQQxIgQgZ9QTVb0srDiksOyXEtdi7SAvWN2sZ5JH" +
 *   "c43o7Kf9/Q0wNwYLKoZIhvcNAQkQAi8xKDAmMCQwIgQgPyk4jn4phl4+tvrG3sdQp2Gg8gwQ0bAPWvWahSmMmqowCg" +
 *   "YIKoZIzj0EAwIERzBFAiEA25mWf4+AGEsZuhZd0INobgYeQ+A4MJQBPzap/b8VwWECIAEdoncqIblhQI0Qg9J3Yvp5" +
 *   "zz9u01o4VAiJHDZx7+uy",
 * );
 * const roots = root.timestampAuthorities.map((authority) => authority.chain.at(-1)!.der);
 * const result = await verifyTimestamp(token, { data: encodeUtf8("signature bytes"), roots });
 * assert.equal(result.verified, true);
 * assert.equal(result.genTime, Date.UTC(2026, 0, 1));
 * ```
 */
export interface TrustedRoot {
  /** The media type as written. */
  readonly mediaType: string;
  /** Fulcio certificate authorities. */
  readonly certificateAuthorities: readonly TrustedAuthority[];
  /** Rekor transparency logs. */
  readonly tlogs: readonly TransparencyLogKey[];
  /** Certificate Transparency logs (SCT keys). */
  readonly ctlogs: readonly TransparencyLogKey[];
  /** RFC 3161 timestamp authorities. */
  readonly timestampAuthorities: readonly TrustedAuthority[];
}

/** Options of {@link parseTrustedRoot}. */
export interface ParseTrustedRootOptions {
  /** Name of the input (e.g. the file name), used in error messages. */
  name?: string | undefined;
}

/**
 * Whether `at` lies in the closed validity window of a trusted-root item.
 *
 * @param item Something with `validFrom` and an optional `validUntil` (epoch milliseconds).
 * @param at The time, epoch milliseconds.
 * @returns True when `validFrom ≤ at ≤ validUntil` (no upper bound without `validUntil`).
 *
 * @example Usage
 * ```ts
 * import { isValidAt } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * assert.equal(isValidAt({ validFrom: 0, validUntil: 10 }, 10), true);
 * assert.equal(isValidAt({ validFrom: 0, validUntil: 10 }, 11), false);
 * ```
 */
export function isValidAt(
  item: { validFrom: number; validUntil?: number | undefined },
  at: number,
): boolean {
  return at >= item.validFrom && (item.validUntil === undefined || at <= item.validUntil);
}

/**
 * Reads a Sigstore trusted root.
 *
 * @param input The trusted root JSON (text or UTF-8 bytes).
 * @param options Name of the input for messages.
 * @returns The authorities and log keys, in file order.
 * @throws {ParseError} `TRUSTED_ROOT_INVALID` when an entry is missing a field, has an invalid
 *   certificate or key, or a validity window without a start (the JSON parser's codes when the
 *   text is not strict JSON).
 *
 * @example Usage
 * ```ts
 * import { parseTrustedRoot } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const root = parseTrustedRoot('{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}');
 * assert.equal(root.tlogs.length, 0);
 * assert.equal(root.certificateAuthorities.length, 0);
 * ```
 */
export function parseTrustedRoot(
  input: string | Uint8Array,
  options: ParseTrustedRootOptions = {},
): TrustedRoot {
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  const invalid = (path: string, why: string): ParseError =>
    new ParseError("TRUSTED_ROOT_INVALID", `Cannot read trusted root${label}: ${path} ${why}`);
  const root = parseJson(input, { name });
  if (!isObject(root)) throw invalid("(root)", "is not an object");
  const mediaType = root.mediaType;
  if (
    typeof mediaType !== "string" ||
    !mediaType.startsWith("application/vnd.dev.sigstore.trustedroot")
  ) {
    throw invalid("/mediaType", "is not a Sigstore trusted root media type");
  }
  const tlogs = logKeysFromTrustedRoot(input, { name });
  const ctlogsValue = root.ctlogs;
  if (ctlogsValue !== undefined && ctlogsValue !== null && !Array.isArray(ctlogsValue)) {
    throw invalid("/ctlogs", "is not an array");
  }
  // CT logs share the tlog shape. A CT key this toolkit cannot use (e.g. a bare PKCS#1 RSA key
  // of an old staging log) is skipped: no SCT can verify against it, so skipping fails closed.
  const ctlogs: TransparencyLogKey[] = [];
  for (const entry of ctlogsValue ?? []) {
    try {
      ctlogs.push(...logKeysFromTrustedRoot(JSON.stringify({ tlogs: [entry] }), { name }));
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
  }
  return {
    mediaType,
    certificateAuthorities: authorities(
      root.certificateAuthorities,
      "/certificateAuthorities",
      invalid,
    ),
    tlogs,
    ctlogs,
    timestampAuthorities: authorities(root.timestampAuthorities, "/timestampAuthorities", invalid),
  };
}

function authorities(
  value: JsonValue | undefined,
  path: string,
  invalid: (path: string, why: string) => ParseError,
): TrustedAuthority[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, "is not an array");
  return value.map((item, index) => {
    const at = `${path}/${index}`;
    if (!isObject(item)) throw invalid(at, "is not an object");
    const uri = typeof item.uri === "string" ? item.uri : "";
    const certChain = item.certChain;
    if (
      !isObject(certChain) || !Array.isArray(certChain.certificates) ||
      certChain.certificates.length === 0
    ) {
      throw invalid(`${at}/certChain/certificates`, "is not a non-empty array");
    }
    const chain = certChain.certificates.map((c, i) => {
      const cat = `${at}/certChain/certificates/${i}/rawBytes`;
      if (!isObject(c) || typeof c.rawBytes !== "string") throw invalid(cat, "is missing");
      try {
        return parseCertificate(decodeBase64(c.rawBytes), { name: cat });
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        throw invalid(cat, `is not a certificate (${error.code})`);
      }
    });
    const { validFrom, validUntil } = validityWindow(item.validFor, `${at}/validFor`, invalid);
    const authority: TrustedAuthority = {
      uri,
      chain,
      validFrom,
      ...(validUntil === undefined ? {} : { validUntil }),
    };
    return authority;
  });
}
