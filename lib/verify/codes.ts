/**
 * The closed enumeration of verification failure codes. Every failed {@link Check} carries one;
 * tests and scripts branch on codes, never on message text. `docs/codes.md` is the table for
 * operators; a test keeps it in step with {@link FAILURE_CODES}.
 *
 * This module is also the entry to the whole code registry: it re-exports the error and problem
 * codes of every layer (`lib/encoding/error_codes.ts`: `ParseError`, `Problem` and typed-error
 * codes, grouped by area). Every code string used in `lib/` is declared in one of the two, and
 * `tests/verify/codes_doc_test.ts` checks that, and that `docs/codes.md` documents each code.
 *
 * @module
 */

export * from "../encoding/error_codes.ts";

/**
 * Every code a failed check may carry, in documentation order.
 *
 * @example Usage
 * ```ts
 * import { FAILURE_CODES, loadTrustMaterial, verifyEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const report = await verifyEnvelope("{}", loadTrustMaterial(), { now: 0 });
 * assert.ok(FAILURE_CODES.includes(report.code!));
 * ```
 */
export const FAILURE_CODES = [
  "ENVELOPE_MALFORMED",
  "TOO_MANY_SIGNATURES",
  "SIGNATURE_INVALID",
  "KEY_UNTRUSTED",
  "KEY_NOT_VALID_AT_TIME",
  "KEY_REVOKED",
  "THRESHOLD_NOT_MET",
  "SIGNED_AFTER_NOT_AFTER",
  "SIGNED_IN_FUTURE",
  "PAYLOAD_TYPE_UNSUPPORTED",
  "STATEMENT_INVALID",
  "PREDICATE_TYPE_NOT_ALLOWED",
  "CLAIM_MISSING",
  "CLAIM_MISMATCH",
  "SUBJECT_MISMATCH",
  "NO_INPUT",
  "INCLUSION_PROOF_INVALID",
  "CHECKPOINT_MALFORMED",
  "CHECKPOINT_SIGNATURE_INVALID",
  "CHECKPOINT_MISMATCH",
  "SET_INVALID",
  "LOG_KEY_UNTRUSTED",
  "MERKLE_ROOT_MISMATCH",
  "CONSISTENCY_PROOF_INVALID",
  "TIMESTAMP_MALFORMED",
  "TIMESTAMP_IMPRINT_MISMATCH",
  "TIMESTAMP_SIGNATURE_INVALID",
  "TSA_UNTRUSTED",
  "TSA_EKU_MISSING",
  "TSA_CERT_NOT_VALID_AT_TIME",
  "TIMELINE_EMPTY",
  "TIMELINE_ENTRY_INVALID",
  "TIMELINE_GAP",
  "TIMELINE_LINK_BROKEN",
  "TIMELINE_TIME_REGRESSION",
  "TIMELINE_SUBJECT_MISMATCH",
  "CUSTODY_ACTOR_MISMATCH",
  "CUSTODY_ACTOR_UNBOUND",
  "CUSTODY_TRUNCATED",
  "CUSTODY_ANCHOR_MISMATCH",
  "KIT_MANIFEST_INVALID",
  "KIT_FILE_MISSING",
  "KIT_FILE_ALTERED",
  "KIT_FILE_EXTRA",
  "KIT_FILE_NOT_REGULAR",
  "KIT_PROVENANCE_INVALID",
  "BUNDLE_MALFORMED",
  "BUNDLE_VERSION_UNSUPPORTED",
  "TRUSTED_ROOT_INVALID",
  "CERTIFICATE_CHAIN_INVALID",
  "CERTIFICATE_IDENTITY_MISMATCH",
  "SCT_INVALID",
  "TLOG_ENTRY_MISSING",
  "TLOG_ENTRY_MISMATCH",
  "TLOG_ENTRY_KIND_UNSUPPORTED",
  "SIGNING_TIME_MISSING",
  "ARTIFACT_MISMATCH",
] as const;

/** One of {@link FAILURE_CODES}. */
export type FailureCode = typeof FAILURE_CODES[number];
