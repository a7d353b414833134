/**
 * The closed enumeration of verification failure codes. Every failed {@link Check} carries one;
 * tests and scripts branch on codes, never on message text. `docs/codes.md` is the table for
 * operators; a test keeps it in step with {@link FAILURE_CODES}.
 *
 * @module
 */

/** Every code a failed check may carry, in documentation order. */
export const FAILURE_CODES = [
  "ENVELOPE_MALFORMED",
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
  "INCLUSION_PROOF_INVALID",
  "CHECKPOINT_MALFORMED",
  "CHECKPOINT_SIGNATURE_INVALID",
  "CHECKPOINT_MISMATCH",
  "SET_INVALID",
  "LOG_KEY_UNTRUSTED",
  "MERKLE_ROOT_MISMATCH",
  "CONSISTENCY_PROOF_INVALID",
] as const;

/** One of {@link FAILURE_CODES}. */
export type FailureCode = typeof FAILURE_CODES[number];
