/**
 * Fulcio certificate specifics on top of `lib/keys/x509.ts`:
 *
 * - Identity: the subject alternative name (email, URI, or the Fulcio `otherName`
 *   1.3.6.1.4.1.57264.1.7) and the OIDC issuer extension (1.3.6.1.4.1.57264.1.8, a DER UTF8String;
 *   the deprecated 1.3.6.1.4.1.57264.1.1 holds the raw string), plus the source repository URI
 *   (.1.12) and its owner's URI (.1.16) that GitHub Actions certificates carry — sigstore/fulcio
 *   `docs/oid-info.md`.
 * - Embedded Signed Certificate Timestamps (extension 1.3.6.1.4.1.11129.2.4.2, RFC 6962 §3.3):
 *   each SCT is verified against the CT log keys of a trusted root over the precertificate
 *   `digitally-signed` structure (RFC 6962 §3.2: version, signature type, timestamp, entry type
 *   `precert_entry`, SHA-256 of the issuer's SPKI, the TBSCertificate without the SCT extension,
 *   and the SCT's extensions).
 *
 * @module
 */

import { concatBytes, encodeHex, equalBytes } from "../encoding/bytes.ts";
import { DerReader, encodeDerSequence, encodeDerTlv } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { sha256 } from "../digest/digest.ts";
import { importSpki } from "../keys/key_der.ts";
import type { Certificate } from "../keys/x509.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import type { TransparencyLogKey } from "./log_keys.ts";
import { type Check, fail, pass } from "./report.ts";

/** Fulcio and CT extension OIDs used here. */
export const FULCIO_OIDS = {
  issuerV1: "1.3.6.1.4.1.57264.1.1",
  otherNameSan: "1.3.6.1.4.1.57264.1.7",
  issuerV2: "1.3.6.1.4.1.57264.1.8",
  sourceRepositoryUri: "1.3.6.1.4.1.57264.1.12",
  sourceRepositoryOwnerUri: "1.3.6.1.4.1.57264.1.16",
  sctList: "1.3.6.1.4.1.11129.2.4.2",
} as const;

/**
 * A Fulcio certificate's identity: its SAN values and its OIDC issuer.
 *
 * @example Usage
 * ```ts
 * import { type FulcioIdentity } from "@stellaops/provenance/sigstore";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { fulcioIdentity } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // A Fulcio-style leaf (test issuer): SAN email alice@example.com, OIDC issuer extension .1.8.
 * const leaf = parseCertificate(decodeBase64(
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==",
 * ));
 * const identity: FulcioIdentity = fulcioIdentity(leaf);
 * assert.deepEqual(identity, { subjects: ["alice@example.com"], issuer: "https://accounts.example.com" });
 * ```
 */
export interface FulcioIdentity {
  /** SAN values (email, URI, Fulcio otherName), in certificate order. */
  subjects: string[];
  /** The OIDC issuer (extension .1.8, else .1.1), when present. */
  issuer?: string;
  /** The source repository URI (extension .1.12), when present. */
  sourceRepositoryUri?: string;
  /** The source repository owner URI (extension .1.16), when present. */
  sourceRepositoryOwnerUri?: string;
}

/**
 * Reads the identity of a Fulcio certificate.
 *
 * @param cert The parsed certificate.
 * @returns The SAN values and the issuer.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { fulcioIdentity } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // A CA certificate: no SAN and no Fulcio issuer extension.
 * const ca = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * ));
 * assert.deepEqual(fulcioIdentity(ca), { subjects: [] });
 * ```
 */
export function fulcioIdentity(cert: Certificate): FulcioIdentity {
  const subjects: string[] = [];
  for (const name of cert.extensions.subjectAltName?.names ?? []) {
    if (name.type === "email" || name.type === "uri") subjects.push(name.value);
    else if (name.type === "otherName" && name.typeId === FULCIO_OIDS.otherNameSan) {
      subjects.push(name.value);
    }
  }
  const identity: FulcioIdentity = { subjects };
  const issuer = derString(cert, FULCIO_OIDS.issuerV2);
  if (issuer !== undefined) identity.issuer = issuer;
  if (identity.issuer === undefined) {
    const v1 = cert.extensions.all.find((e) => e.oid === FULCIO_OIDS.issuerV1);
    if (v1 !== undefined) identity.issuer = new TextDecoder().decode(v1.value);
  }
  const repository = derString(cert, FULCIO_OIDS.sourceRepositoryUri);
  if (repository !== undefined) identity.sourceRepositoryUri = repository;
  const owner = derString(cert, FULCIO_OIDS.sourceRepositoryOwnerUri);
  if (owner !== undefined) identity.sourceRepositoryOwnerUri = owner;
  return identity;
}

/** The DER string value of a Fulcio v2 extension; absent (or not a string) reads as undefined. */
function derString(cert: Certificate, oid: string): string | undefined {
  const ext = cert.extensions.all.find((e) => e.oid === oid);
  if (ext === undefined) return undefined;
  try {
    const reader = new DerReader(ext.value);
    const value = reader.readString();
    reader.end();
    return value;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return undefined;
  }
}

/** One embedded SCT. */
interface Sct {
  logId: Uint8Array;
  timestamp: bigint;
  extensions: Uint8Array;
  hashAlgorithm: number;
  signatureAlgorithm: number;
  signature: Uint8Array;
}

function parseSctList(bytes: Uint8Array): Sct[] {
  let pos = 0;
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new RangeError("truncated SCT list");
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u16 = (): number => {
    const b = take(2);
    return (b[0]! << 8) | b[1]!;
  };
  const total = u16();
  if (total !== bytes.length - 2) throw new RangeError("SCT list length mismatch");
  const out: Sct[] = [];
  while (pos < bytes.length) {
    const len = u16();
    const end = pos + len;
    const version = take(1)[0];
    if (version !== 0) throw new RangeError(`unsupported SCT version ${version}`);
    const logId = take(32);
    const ts = take(8);
    let timestamp = 0n;
    for (const b of ts) timestamp = (timestamp << 8n) | BigInt(b);
    const extensions = take(u16());
    const hashAlgorithm = take(1)[0]!;
    const signatureAlgorithm = take(1)[0]!;
    const signature = take(u16());
    if (pos !== end) throw new RangeError("SCT length mismatch");
    out.push({ logId, timestamp, extensions, hashAlgorithm, signatureAlgorithm, signature });
  }
  return out;
}

/** The TBSCertificate DER with the SCT-list extension removed (RFC 6962 §3.2). */
function precertTbs(cert: Certificate): Uint8Array {
  const tbs = new DerReader(cert.tbs).readSequence();
  const parts: Uint8Array[] = [];
  while (!tbs.isEmpty()) {
    const element = tbs.readElement();
    if (element.tag !== 0xa3) {
      parts.push(element.raw);
      continue;
    }
    const list = new DerReader(element.contents).readSequence();
    const kept: Uint8Array[] = [];
    while (!list.isEmpty()) {
      const ext = list.readElement();
      const oid = new DerReader(ext.contents).readOid();
      if (oid !== FULCIO_OIDS.sctList) kept.push(ext.raw);
    }
    parts.push(encodeDerTlv(0xa3, encodeDerSequence(kept)));
  }
  return encodeDerSequence(parts);
}

function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

function lengthPrefixed(bytes: Uint8Array, size: 2 | 3): Uint8Array {
  const n = bytes.length;
  const head = size === 2 ? [n >> 8 & 0xff, n & 0xff] : [n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff];
  return concatBytes(new Uint8Array(head), bytes);
}

/** Options of {@link verifyEmbeddedScts}. */
export interface VerifyEmbeddedSctsOptions {
  /** The certificate that issued `cert` (its SPKI hash is part of the signed data). */
  issuer: Certificate;
  /** Trusted CT log keys (a trusted root's `ctlogs`). */
  ctlogs: readonly TransparencyLogKey[];
  /** How many SCTs from distinct trusted logs must verify; default 1. */
  threshold?: number | undefined;
}

/**
 * The outcome of {@link evaluateEmbeddedScts}: the `cert.sct` check and how many distinct trusted
 * CT logs have a verifying SCT in the certificate.
 *
 * @example Usage
 * ```ts
 * import { type SctEvaluation } from "@stellaops/provenance/sigstore";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { evaluateEmbeddedScts } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA: a certificate without embedded SCTs.
 * const cert = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFj" +
 *   "AUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVs" +
 *   "b2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1Y" +
 *   "pgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQE" +
 *   "AwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHAD" +
 *   "BEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5" +
 *   "wpk=",
 * ));
 * const optional: SctEvaluation = await evaluateEmbeddedScts(cert, { issuer: cert, ctlogs: [], threshold: 0 });
 * assert.deepEqual(optional, {
 *   check: { id: "cert.sct", ok: true, message: "Not required: it has no embedded SCT" },
 *   verified: 0,
 * });
 * const required: SctEvaluation = await evaluateEmbeddedScts(cert, { issuer: cert, ctlogs: [] });
 * assert.deepEqual(required.check, {
 *   id: "cert.sct",
 *   ok: false,
 *   code: "SCT_INVALID",
 *   message: 'Reject certificate "CN=Test TSA Root,O=local": it has no embedded SCT',
 * });
 * ```
 */
export interface SctEvaluation {
  /** The `cert.sct` check (with `threshold` 0 it passes and says what was found). */
  check: Check;
  /** Distinct trusted CT logs whose SCT verified. */
  verified: number;
}

/**
 * Verifies the SCTs embedded in a certificate against trusted CT log keys (check `cert.sct`).
 *
 * @param cert The end-entity certificate carrying the SCT-list extension.
 * @param options Its issuer, the CT log keys, the threshold.
 * @returns The `cert.sct` check: `SCT_INVALID` when the extension is missing or malformed, or
 *   fewer than `threshold` SCTs verify with a trusted log whose window covers the SCT time.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { verifyEmbeddedScts } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const ca = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * ));
 * // A certificate without the SCT extension fails the check.
 * const check = await verifyEmbeddedScts(ca, { issuer: ca, ctlogs: [] });
 * assert.equal(check.code, "SCT_INVALID");
 * ```
 */
export async function verifyEmbeddedScts(
  cert: Certificate,
  options: VerifyEmbeddedSctsOptions,
): Promise<Check> {
  return (await evaluateEmbeddedScts(cert, options)).check;
}

/**
 * Verifies the SCTs embedded in a certificate like {@link verifyEmbeddedScts} and also counts the
 * distinct trusted CT logs whose SCT verified. With `threshold` 0 nothing is required: the check
 * passes and its message says what was found.
 *
 * @param cert The end-entity certificate.
 * @param options Its issuer, the CT log keys, the threshold (default 1).
 * @returns The check and the count.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { evaluateEmbeddedScts } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const ca = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * ));
 * const optional = await evaluateEmbeddedScts(ca, { issuer: ca, ctlogs: [], threshold: 0 });
 * assert.equal(optional.check.ok, true);
 * assert.equal(optional.verified, 0);
 * ```
 */
export async function evaluateEmbeddedScts(
  cert: Certificate,
  options: VerifyEmbeddedSctsOptions,
): Promise<SctEvaluation> {
  const id = "cert.sct";
  const threshold = options.threshold ?? 1;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new RangeError("Pass options.threshold as an integer ≥ 0");
  }
  const outcome = (verified: number, why: string): SctEvaluation => ({
    verified,
    check: verified >= threshold
      ? threshold === 0 ? { id, ok: true, message: `Not required: ${why}` } : pass(id)
      : fail(id, "SCT_INVALID", `Reject certificate "${cert.subject.text}": ${why}`),
  });
  const ext = cert.extensions.all.find((e) => e.oid === FULCIO_OIDS.sctList);
  if (ext === undefined) return outcome(0, "it has no embedded SCT");
  let scts: Sct[];
  let tbs: Uint8Array;
  try {
    scts = parseSctList(new DerReader(ext.value).readOctetString());
    tbs = precertTbs(cert);
  } catch (error) {
    if (!(error instanceof RangeError) && !(error instanceof ParseError)) throw error;
    if (threshold === 0) return outcome(0, `its SCTs cannot be read: ${error.message}`);
    return {
      verified: 0,
      check: fail(id, "SCT_INVALID", `Cannot read the SCTs of the certificate: ${error.message}`),
    };
  }
  const issuerKeyHash = sha256(options.issuer.spki);
  const verifiedLogs = new Set<string>();
  const problems: string[] = [];
  for (const sct of scts) {
    const logId = encodeHex(sct.logId);
    const log = options.ctlogs.find((k) =>
      equalBytes(sha256(k.publicKey), sct.logId) || k.logId === logId
    );
    if (log === undefined) {
      problems.push(`SCT from log ${logId} is not from a trusted CT log`);
      continue;
    }
    const time = Number(sct.timestamp);
    if (time < log.validFrom || (log.validUntil !== undefined && time > log.validUntil)) {
      problems.push(`SCT from log ${logId} is outside the log key's validity`);
      continue;
    }
    const signed = concatBytes(
      new Uint8Array([0, 0]),
      u64(sct.timestamp),
      new Uint8Array([0, 1]),
      issuerKeyHash,
      lengthPrefixed(tbs, 3),
      lengthPrefixed(sct.extensions, 2),
    );
    let ok = false;
    try {
      const verifier = createVerifier(importSpki(log.publicKey), { ecdsaSignatureFormat: "der" });
      ok = await verifier.verify(signed, sct.signature);
    } catch (error) {
      if (!(error instanceof TypeError) && !(error instanceof ParseError)) throw error;
    }
    if (ok) verifiedLogs.add(logId);
    else problems.push(`SCT from log ${logId} has an invalid signature`);
  }
  return outcome(
    verifiedLogs.size,
    `${verifiedLogs.size} of ${threshold} required SCTs verify` +
      (problems.length > 0 ? `; ${problems.join("; ")}` : ""),
  );
}
