/**
 * The one result type of every verifier: {@link VerificationReport}, made of {@link Check}s in
 * pipeline order. `verified` is true exactly when every check passed. Reports are plain data,
 * serialised by the CLI as RFC 8785 canonical JSON; they never contain key or secret material.
 *
 * @module
 */

import type { FailureCode } from "./codes.ts";

/**
 * Where the time used for the verdict came from, strongest first.
 *
 * @example Usage
 * ```ts
 * import { TIME_SOURCES } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(TIME_SOURCES[0], "rfc3161");
 * ```
 */
export const TIME_SOURCES = ["rfc3161", "rekor", "signed-at", "clock"] as const;

/** One of {@link TIME_SOURCES}. */
export type TimeSource = typeof TIME_SOURCES[number];

/**
 * One step of verification: a stable dotted `id`, whether it passed, and on failure a stable
 * `code` and a human-readable `message`.
 *
 * @example Usage
 * ```ts
 * import { type Check, loadTrustMaterial, verifyEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const report = await verifyEnvelope('{"payloadType":"text/plain"}', loadTrustMaterial(), {
 *   now: Date.UTC(2026, 0, 1),
 *   name: "a.dsse.json",
 * });
 * const check: Check | undefined = report.checks[0];
 * assert.deepEqual(check, {
 *   id: "envelope.parse",
 *   ok: false,
 *   code: "ENVELOPE_MALFORMED",
 *   message: 'Cannot parse envelope "a.dsse.json": field "payload" is missing',
 * });
 * ```
 */
export interface Check {
  /** Stable dotted lowercase id, e.g. `envelope.signatures`. */
  id: string;
  /** Whether the check passed. */
  ok: boolean;
  /** On failure: the stable failure code. */
  code?: FailureCode;
  /** On failure: what went wrong, naming the input. */
  message?: string;
}

/** What one envelope signature verified as (keyid hint as given, key that verified it). */
export interface SignatureResult {
  /** Index of the signature in the envelope. */
  index: number;
  /** The envelope's keyid hint, or `""` when absent. */
  keyidHint: string;
  /** Key id of the trusted key that verified this signature, when one did. */
  verifiedBy?: string;
  /** Why this signature does not count, when it does not. */
  code?: FailureCode;
}

/** Summary of the in-toto payload, when the payload is one. */
export interface StatementSummary {
  /** `_type` of the payload (Statement v1, v0.1, or legacy in-toto `link` / `layout`). */
  type: string;
  /** `predicateType` (empty for legacy links and layouts). */
  predicateType: string;
  /** Subjects as given: name and digest set. */
  subjects: { name: string; digest: Record<string, string> }[];
}

/**
 * How many pieces of one kind of evidence a policy required and how many verified.
 *
 * @example Usage
 * ```ts
 * import { type EvidenceCount, loadTrustMaterial, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // A bundle signed with a Fulcio-style test leaf (alice@example.com, https://accounts.example.com)
 * // that has no signing time and no trusted issuer: it fails, and the report says what was found.
 * const leaf =
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
 * const report = await verifyBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { certificate: { rawBytes: leaf } },
 *   messageSignature: { signature: "AAEC" },
 * }), loadTrustMaterial({
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 * }), {
 *   identity: { subject: "alice@example.com", issuer: "https://accounts.example.com" },
 *   artifact: new Uint8Array(),
 *   now: Date.UTC(2026, 0, 1, 0, 5),
 * });
 * assert.equal(report.code, "SIGNING_TIME_MISSING");
 * const signingTimes: EvidenceCount | undefined = report.evidence?.signingTimes;
 * assert.deepEqual(signingTimes, { required: 1, verified: 0 });
 * ```
 */
export interface EvidenceCount {
  /** How many the policy required (0: none required). */
  required: number;
  /** How many verified. */
  verified: number;
}

/**
 * The evidence a Sigstore bundle verification required and found: transparency-log entries,
 * RFC 3161 timestamps, SCTs of the signing certificate, and verified signing times (integrated
 * times with a verified SET plus verified timestamps).
 *
 * @example Usage
 * ```ts
 * import { type BundleEvidence, loadTrustMaterial, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // A bundle signed with a Fulcio-style test leaf (alice@example.com, https://accounts.example.com)
 * // that has no signing time and no trusted issuer: it fails, and the report says what was found.
 * const leaf =
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
 * const report = await verifyBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { certificate: { rawBytes: leaf } },
 *   messageSignature: { signature: "AAEC" },
 * }), loadTrustMaterial({
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 * }), {
 *   identity: { subject: "alice@example.com", issuer: "https://accounts.example.com" },
 *   artifact: new Uint8Array(),
 *   now: Date.UTC(2026, 0, 1, 0, 5),
 * });
 * assert.equal(report.code, "SIGNING_TIME_MISSING");
 * const evidence: BundleEvidence | undefined = report.evidence;
 * assert.deepEqual(evidence, {
 *   tlogEntries: { required: 0, verified: 0 },
 *   timestamps: { required: 0, verified: 0 },
 *   scts: { required: 0, verified: 0 },
 *   signingTimes: { required: 1, verified: 0 },
 * });
 * ```
 */
export interface BundleEvidence {
  /** Transparency-log entries (each one present must also verify). */
  tlogEntries: EvidenceCount;
  /** RFC 3161 timestamps from trusted TSAs. */
  timestamps: EvidenceCount;
  /** Signed certificate timestamps from distinct trusted CT logs. */
  scts: EvidenceCount;
  /** Verified signing times of any kind. */
  signingTimes: EvidenceCount;
}

/**
 * How an identity field was required: an exact string, or a regular expression (its `source`
 * and `flags`).
 *
 * @example Usage
 * ```ts
 * import { type IdentityMatcher, loadTrustMaterial, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // A bundle signed with a Fulcio-style test leaf (alice@example.com, https://accounts.example.com)
 * // that has no signing time and no trusted issuer: it fails, and the report says what was found.
 * const leaf =
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
 * const report = await verifyBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { certificate: { rawBytes: leaf } },
 *   messageSignature: { signature: "AAEC" },
 * }), loadTrustMaterial({
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 * }), {
 *   identity: { subject: /@example\.org$/i, issuer: "https://accounts.example.com" },
 *   artifact: new Uint8Array(),
 *   now: Date.UTC(2026, 0, 1, 0, 5),
 * });
 * assert.equal(report.code, "SIGNING_TIME_MISSING");
 * const subject: IdentityMatcher | undefined = report.identity?.expected.subject;
 * assert.deepEqual(subject, { pattern: "@example\\.org$", flags: "i" }); // a RegExp, as source and flags
 * assert.deepEqual(report.identity?.expected.issuer, { equals: "https://accounts.example.com" });
 * assert.equal(report.checks.find((c) => c.id === "cert.identity")?.code, "CERTIFICATE_IDENTITY_MISMATCH");
 * ```
 */
export type IdentityMatcher = { equals: string } | { pattern: string; flags?: string };

/**
 * The certificate identity a bundle verification required and the one the certificate holds.
 *
 * @example Usage
 * ```ts
 * import { type IdentityReport, loadTrustMaterial, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // A bundle signed with a Fulcio-style test leaf (alice@example.com, https://accounts.example.com)
 * // that has no signing time and no trusted issuer: it fails, and the report says what was found.
 * const leaf =
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
 * const report = await verifyBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { certificate: { rawBytes: leaf } },
 *   messageSignature: { signature: "AAEC" },
 * }), loadTrustMaterial({
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 * }), {
 *   identity: { subject: "alice@example.com", issuer: "https://accounts.example.com" },
 *   artifact: new Uint8Array(),
 *   now: Date.UTC(2026, 0, 1, 0, 5),
 * });
 * assert.equal(report.code, "SIGNING_TIME_MISSING");
 * const identity: IdentityReport | undefined = report.identity;
 * assert.deepEqual(identity, {
 *   expected: { subject: { equals: "alice@example.com" }, issuer: { equals: "https://accounts.example.com" } },
 *   certificate: { subjects: ["alice@example.com"], issuer: "https://accounts.example.com" },
 * });
 * ```
 */
export interface IdentityReport {
  /** The expected values (absent fields were not constrained). */
  expected: {
    subject?: IdentityMatcher;
    issuer?: IdentityMatcher;
    sourceRepositoryUri?: IdentityMatcher;
    sourceRepositoryOwnerUri?: IdentityMatcher;
  };
  /** What the signing certificate holds (absent fields: the extension is absent). */
  certificate: {
    subjects: string[];
    issuer?: string;
    sourceRepositoryUri?: string;
    sourceRepositoryOwnerUri?: string;
  };
}

/**
 * The result of verifying one artifact.
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   serializeEnvelope,
 *   signEnvelope,
 *   type VerificationReport,
 *   verifyEnvelope,
 * } from "@stellaops/provenance";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const envelope = await signEnvelope({ payloadType: "text/plain", payload: encodeUtf8("hi") }, [
 *   createSigner(key),
 * ]);
 * const trust = loadTrustMaterial({ keys: [{ pem: exportPublicKeyPem(key) }] });
 * const report: VerificationReport = await verifyEnvelope(serializeEnvelope(envelope), trust, {
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.deepEqual(report, {
 *   verified: true,
 *   checks: [
 *     { id: "envelope.parse", ok: true },
 *     { id: "envelope.signatures", ok: true },
 *     { id: "time.window", ok: true },
 *     { id: "payload.type", ok: true },
 *   ],
 *   payload: {
 *     type: "text/plain",
 *     sha256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4", // SHA-256("hi")
 *   },
 *   signatures: [{ index: 0, keyidHint: key.keyid, verifiedBy: key.keyid }],
 *   keyids: [key.keyid],
 *   time: { value: "2026-01-01T00:00:00Z", source: "clock" },
 *   evaluatedAt: "2026-01-01T00:00:00Z",
 *   subjectChecked: false,
 * });
 * ```
 */
export interface VerificationReport {
  /** True exactly when every check passed. */
  verified: boolean;
  /** The code of the first failed check, when any failed. */
  code?: FailureCode;
  /** Every check, in pipeline order. */
  checks: Check[];
  /** Payload type and sha256 of the payload bytes (absent when the envelope did not parse). */
  payload?: { type: string; sha256: string };
  /** Per-signature results (absent when the envelope did not parse). */
  signatures?: SignatureResult[];
  /** In-toto statement summary, when the payload is an in-toto statement or link. */
  statement?: StatementSummary;
  /** Key ids of the trusted keys that verified a signature, sorted. */
  keyids: string[];
  /**
   * The time the verdict used and where it came from: the signing time when evidence
   * established one (`rfc3161`, `rekor`) or the operator gave one (`signed-at`), else the
   * verification time (`clock`).
   */
  time: { value: string; source: TimeSource };
  /** When the verification ran (the caller's `now`, RFC 3339 UTC), apart from the signing time. */
  evaluatedAt?: string;
  /** Sigstore bundles: the evidence required and verified. */
  evidence?: BundleEvidence;
  /** Sigstore bundles signed with a certificate: the identity required and found. */
  identity?: IdentityReport;
  /**
   * Envelopes: whether a `statement.subject` check bound the statement to the artifact, image or
   * subject name the caller gave; `false` means the subject was not checked (any statement
   * signed by a trusted key verifies, whatever it is about).
   */
  subjectChecked?: boolean;
}

/**
 * The fields of a {@link VerificationReport} other than the verdict (see {@link buildReport}).
 *
 * @example Usage
 * ```ts
 * import { type ReportFields } from "@stellaops/provenance/verify";
 * import { buildReport, pass } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const fields: ReportFields = { time: { value: "2026-01-01T00:00:00Z", source: "clock" }, keyids: ["k1"] };
 * assert.deepEqual(buildReport([pass("envelope.parse")], fields), {
 *   verified: true,
 *   checks: [{ id: "envelope.parse", ok: true }],
 *   keyids: ["k1"],
 *   time: { value: "2026-01-01T00:00:00Z", source: "clock" },
 * });
 * ```
 */
export interface ReportFields {
  /** The time the verdict used and where it came from. */
  time: VerificationReport["time"];
  /** When the verification ran. */
  evaluatedAt?: string | undefined;
  /** Key ids of the trusted keys that verified a signature (default none). */
  keyids?: string[] | undefined;
  /** Payload type and sha256. */
  payload?: VerificationReport["payload"] | undefined;
  /** Per-signature results. */
  signatures?: SignatureResult[] | undefined;
  /** In-toto statement summary. */
  statement?: StatementSummary | undefined;
  /** Sigstore bundles: evidence. */
  evidence?: BundleEvidence | undefined;
  /** Sigstore bundles: identity. */
  identity?: IdentityReport | undefined;
  /** Whether the subject was bound to what the caller holds. */
  subjectChecked?: boolean | undefined;
}

/**
 * Builds a report from its checks: the one place where `verified` and `code` are derived
 * (`verified` exactly when every check passed; `code` the first failed check's). Fields that are
 * `undefined` are left out, so the canonical JSON of a report has no `null`s.
 *
 * @param checks Every check, in pipeline order.
 * @param fields Time, evaluation time, key ids and what the input holds.
 * @returns The report.
 *
 * @example Usage
 * ```ts
 * import { buildReport, fail, pass } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const report = buildReport(
 *   [pass("envelope.parse"), fail("envelope.signatures", "SIGNATURE_INVALID", "No signature verified")],
 *   { time: { value: "2026-01-01T00:00:00Z", source: "clock" }, evaluatedAt: "2026-01-01T00:00:00Z" },
 * );
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "SIGNATURE_INVALID");
 * assert.deepEqual(report.keyids, []);
 * ```
 */
export function buildReport(checks: Check[], fields: ReportFields): VerificationReport {
  const failed = checks.find((c) => !c.ok);
  const report: VerificationReport = {
    verified: failed === undefined,
    checks,
    keyids: fields.keyids ?? [],
    time: fields.time,
  };
  if (failed?.code !== undefined) report.code = failed.code;
  if (fields.evaluatedAt !== undefined) report.evaluatedAt = fields.evaluatedAt;
  if (fields.payload !== undefined) report.payload = fields.payload;
  if (fields.signatures !== undefined) report.signatures = fields.signatures;
  if (fields.statement !== undefined) report.statement = fields.statement;
  if (fields.evidence !== undefined) report.evidence = fields.evidence;
  if (fields.identity !== undefined) report.identity = fields.identity;
  if (fields.subjectChecked !== undefined) report.subjectChecked = fields.subjectChecked;
  return report;
}

/**
 * Makes a passing check.
 *
 * @param id Stable dotted check id.
 * @returns `{ id, ok: true }`.
 *
 * @example Usage
 * ```ts
 * import { pass } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pass("time.window"), { id: "time.window", ok: true });
 * ```
 */
export function pass(id: string): Check {
  return { id, ok: true };
}

/**
 * Makes a failing check.
 *
 * @param id Stable dotted check id.
 * @param code Stable failure code.
 * @param message What went wrong, naming the input; no key material.
 * @returns `{ id, ok: false, code, message }`.
 *
 * @example Usage
 * ```ts
 * import { fail } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assert.equal(fail("time.window", "SIGNED_AFTER_NOT_AFTER", "Signed too late").code, "SIGNED_AFTER_NOT_AFTER");
 * ```
 */
export function fail(id: string, code: FailureCode, message: string): Check {
  return { id, ok: false, code, message };
}

/**
 * Counts of a batch of reports: how many verified, how many failed, and failures per code.
 *
 * @example Usage
 * ```ts
 * import {
 *   loadTrustMaterial,
 *   summarizeReports,
 *   type VerificationSummary,
 *   verifyEnvelope,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const now = Date.UTC(2026, 0, 1);
 * const trust = loadTrustMaterial();
 * const reports = [
 *   await verifyEnvelope("{}", trust, { now }),
 *   await verifyEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"AA=="}]}', trust, {
 *     now,
 *   }),
 * ];
 * const summary: VerificationSummary = summarizeReports(reports);
 * assert.deepEqual(summary, {
 *   total: 2,
 *   verified: 0,
 *   failed: 2,
 *   codes: { ENVELOPE_MALFORMED: 1, SIGNATURE_INVALID: 1 },
 * });
 * ```
 */
export interface VerificationSummary {
  /** Number of artifacts. */
  total: number;
  /** How many verified. */
  verified: number;
  /** How many did not. */
  failed: number;
  /** Failed artifacts per first failure code. */
  codes: Partial<Record<FailureCode, number>>;
}

/**
 * Summarises a batch of reports (used by directory and JSON Lines verification).
 *
 * @param reports The reports, in input order.
 * @returns Totals and failures per code.
 *
 * @example Usage
 * ```ts
 * import { summarizeReports } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const time = { value: "2026-01-01T00:00:00Z", source: "clock" as const };
 * const summary = summarizeReports([
 *   { verified: true, checks: [], keyids: [], time },
 *   { verified: false, code: "SIGNATURE_INVALID", checks: [], keyids: [], time },
 * ]);
 * assert.deepEqual(summary, { total: 2, verified: 1, failed: 1, codes: { SIGNATURE_INVALID: 1 } });
 * ```
 */
export function summarizeReports(reports: readonly VerificationReport[]): VerificationSummary {
  const codes: Partial<Record<FailureCode, number>> = {};
  let verified = 0;
  for (const report of reports) {
    if (report.verified) verified++;
    else if (report.code !== undefined) codes[report.code] = (codes[report.code] ?? 0) + 1;
  }
  return { total: reports.length, verified, failed: reports.length - verified, codes };
}
