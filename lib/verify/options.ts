/**
 * The one options type of every verifier ({@link VerifyOptions}): `verifyEnvelope`,
 * `verifyBundle`, `verifyTimeline` and `verifyMany` all take `(input, trust, options)`, where
 * `trust` is the operator's `TrustMaterial` and `options` says when and against what the input is
 * judged. Option names are the CLI flags in camelCase (`--not-after` ⇔ `notAfter`). A field that
 * does not apply to an input kind is ignored by it (e.g. `identity` by envelopes), except where the
 * verifier's documentation says it is misuse.
 *
 * @module
 */

import type { RequiredClaim } from "../model/claim_policy.ts";
import type { TimeSource } from "./report.ts";
import type { SubjectOptions } from "./subject_check.ts";

/**
 * The certificate identity a certificate-signed Sigstore bundle must carry (exact strings or
 * regular expressions).
 *
 * @example Usage
 * ```ts
 * import { type CertificateIdentityPolicy } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const identity: CertificateIdentityPolicy = {
 *   subject: /@example\.com$/,
 *   issuer: "https://accounts.example.com",
 * };
 * assert.ok(identity.subject instanceof RegExp && identity.subject.test("alice@example.com"));
 * ```
 */
export interface CertificateIdentityPolicy {
  /** Expected SAN (email, URI or Fulcio otherName). */
  subject?: string | RegExp | undefined;
  /**
   * Expected OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8 or .1.1). A certificate without
   * the extension (e.g. a GitHub release attestation) has the empty issuer: only a regular
   * expression that matches `""` (such as `.*`) accepts it, never an exact string.
   */
  issuer?: string | RegExp | undefined;
  /** Expected source repository URI (Fulcio extension .1.12); absent extension never matches. */
  sourceRepositoryUri?: string | RegExp | undefined;
  /** Expected source repository owner URI (Fulcio extension .1.16); absent never matches. */
  sourceRepositoryOwnerUri?: string | RegExp | undefined;
}

/**
 * One input to verify: its bytes, a name for messages and reports, and the RFC 3161 tokens that
 * travel with it (e.g. a timeline entry's `.tsr` sidecar).
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, type VerifyItem, verifyTimeline } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const item: VerifyItem = { name: "a.dsse.json", bytes: new TextEncoder().encode("{}") };
 * const report = await verifyTimeline([item], loadTrustMaterial(), { now: Date.UTC(2026, 0, 1) });
 * assert.equal(report.entries[0]?.report.checks[0]?.message?.startsWith('Cannot parse envelope "a.dsse.json"'), true);
 * ```
 */
export interface VerifyItem {
  /** The input's bytes (an envelope or a Sigstore bundle, as JSON), untrusted. */
  bytes: Uint8Array;
  /** Name used in messages and reports (file name, `file.jsonl:3`). */
  name?: string | undefined;
  /** RFC 3161 tokens over this input's signatures, besides the options' `timestamps`. */
  timestamps?: readonly Uint8Array[] | undefined;
}

/**
 * How to judge an input: the evaluation time and its tolerance, what the statement must be about
 * ({@link SubjectOptions}), the thresholds and anchors, and the evidence given with it. Every
 * verifier takes this one type.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyEnvelope, type VerifyOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: VerifyOptions = {
 *   now: Date.UTC(2026, 0, 1),
 *   skew: 0,
 *   notAfter: Date.UTC(2026, 6, 1),
 *   subjectName: "app.tar",
 *   name: "a.dsse.json",
 * };
 * const report = await verifyEnvelope("{}", loadTrustMaterial(), options);
 * assert.deepEqual([report.verified, report.code], [false, "ENVELOPE_MALFORMED"]);
 * ```
 */
export interface VerifyOptions extends SubjectOptions {
  /** Evaluation time, epoch ms (the CLI passes the clock or `--now`; lib never reads the clock). */
  now: number;
  /** Tolerance for every time comparison, ms (default 5 minutes). */
  skew?: number | undefined;
  /** `--signed-at`: claimed signing time, epoch ms (envelopes; default: `now`). */
  signedAt?: number | undefined;
  /** Source of `signedAt` when it came from evidence (default `signed-at`). */
  signedAtSource?: TimeSource | undefined;
  /** `--not-after`: reject signatures made after this time, epoch ms. */
  notAfter?: number | undefined;
  /** Name of the input, used in messages (e.g. the file name). */
  name?: string | undefined;

  /** Envelopes: distinct trusted keys required (overrides the trust's threshold; default 1). */
  threshold?: number | undefined;
  /** Envelopes: allowed predicate types (replaces the trust's list). */
  allowedPredicateTypes?: readonly string[] | undefined;
  /** Envelopes: required claims (replace the trust's). */
  requiredClaims?: readonly RequiredClaim[] | undefined;
  /** Bundles: verified signing times required (SET-signed integrated times, timestamps); default 1. */
  timeThreshold?: number | undefined;
  /** Bundles: transparency-log entries required (default 1 when the trusted root has a log). */
  tlogThreshold?: number | undefined;
  /** Bundles: RFC 3161 timestamps required (default 1 with a TSA and no log required). */
  timestampThreshold?: number | undefined;
  /** Bundles: SCTs from distinct trusted CT logs required (default 1 with a CT log). */
  sctThreshold?: number | undefined;
  /** Bundles signed with a certificate: the identity required. */
  identity?: CertificateIdentityPolicy | undefined;

  /**
   * Envelopes: RFC 3161 tokens (DER `TimeStampResp` or bare `TimeStampToken`) over a signature of
   * the envelope; verified against the trust's TSA roots. Timeline entries carry their own
   * tokens (`VerifyItem.timestamps`).
   */
  timestamps?: readonly Uint8Array[] | undefined;
  /**
   * `--merkle-root` (`sha256:<hex>` or hex). Envelopes: some subject must carry it as its
   * `merkleSha256` digest. Timelines: the RFC 9162 root of the entries' digests.
   */
  merkleRoot?: string | undefined;
  /** Timelines: `--expect-head`, the SHA-256 of the last entry's exact bytes. */
  expectHead?: string | undefined;
  /** Timelines: `--expect-entries`, the anchored number of entries (≥ 1). */
  expectEntries?: number | undefined;
  /** Timelines: keys whose trust entries bind no custodian may sign for any actor. */
  allowUnboundCustodians?: boolean | undefined;
  /** Envelopes: most signatures one may carry (default 64; more is `TOO_MANY_SIGNATURES`). */
  maxSignatures?: number | undefined;
  /** Batches: zero inputs verify (default false: `NO_INPUT`). */
  allowEmpty?: boolean | undefined;
}
