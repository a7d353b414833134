/**
 * The closed registry of error and problem codes: every stable UPPER_SNAKE code that a
 * `ParseError`, a validator's `Problem`, or a typed error of this toolkit carries, grouped by the
 * area that raises it. The codes a failed check of a `VerificationReport` carries are
 * `FAILURE_CODES` in `lib/verify/codes.ts`, which re-exports this module; together they are every
 * code used in `lib/`, and `docs/codes.md` documents each one.
 *
 * The registry sits in the lowest layer so that every layer can declare its codes here and type
 * them. A tuple may repeat a code of another area when that area raises it too (a Merkle proof
 * failure is also a report code); `docs/codes.md` documents a code once, where it first appears.
 * `tests/verify/codes_doc_test.ts` keeps the registry, the documentation and the code literals in
 * `lib/` equal. To add a code: insert it next to the related codes of its area here, and add its
 * row at the same place in `docs/codes.md`.
 *
 * Not re-exported from `mod.ts`, except the tuples that were public before (they are re-exported
 * by the module that raises them).
 *
 * @module
 */

/** `ParseError` codes of the encoding layer: strict JSON, UTF-8, hex, base64, PEM, DER, JSON Pointer, RFC 3339 times. */
export const ENCODING_ERROR_CODES = [
  "JSON_SYNTAX",
  "JSON_DUPLICATE_KEY",
  "JSON_INVALID_UTF8",
  "JSON_LONE_SURROGATE",
  "JSON_TOO_DEEP",
  "JSON_TOO_LARGE",
  "JSON_TRAILING_DATA",
  "UTF8_INVALID",
  "HEX_INVALID",
  "BASE64_INVALID",
  "PEM_NOT_FOUND",
  "PEM_INVALID",
  "PEM_LABEL_MISMATCH",
  "DER_INVALID",
  "POINTER_INVALID",
  "TIME_INVALID",
] as const;

/** One of {@link ENCODING_ERROR_CODES}. */
export type EncodingErrorCode = typeof ENCODING_ERROR_CODES[number];

/** `ParseError` and `Problem` codes of digests, digest sets and digest trees. */
export const DIGEST_ERROR_CODES = [
  "DIGEST_INVALID",
  "DIGEST_SET_INVALID",
  "DIGEST_SET_EMPTY",
  "DIGEST_INVALID_ENCODING",
  "DIGEST_INCORRECT_LENGTH",
  "DIGEST_NOT_IN_SET",
] as const;

/** One of {@link DIGEST_ERROR_CODES}. */
export type DigestErrorCode = typeof DIGEST_ERROR_CODES[number];

/** Every failure code a `MerkleVerdict` (`lib/digest/merkle.ts`) may carry. */
export const MERKLE_FAILURE_CODES = [
  "MERKLE_INPUT_INVALID",
  "INCLUSION_PROOF_INVALID",
  "CONSISTENCY_PROOF_INVALID",
] as const;

/**
 * Why a Merkle proof did not verify:
 *
 * - `MERKLE_INPUT_INVALID`: the claim itself is impossible: index not below the tree size, sizes
 *   out of order or above 2^64 − 1, a consistency proof from size 0, a leaf hash or root that is
 *   not 32 bytes.
 * - `INCLUSION_PROOF_INVALID`: the audit path has the wrong length or a hash that is not 32 bytes,
 *   or it does not lead from the leaf to the given root.
 * - `CONSISTENCY_PROOF_INVALID`: the proof has the wrong length, or it does not lead to both roots.
 */
export type MerkleFailureCode = typeof MERKLE_FAILURE_CODES[number];

/**
 * `Problem` and `ParseError` codes of the model validators and builders: in-toto Statement and
 * ResourceDescriptor, SLSA Provenance v1, promotion, custody entries, Rekor proofs.
 */
export const MODEL_PROBLEM_CODES = [
  "FIELD_REQUIRED",
  "TYPE_MISMATCH",
  "VALUE_NOT_JSON",
  "STATEMENT_TYPE_INVALID",
  "SUBJECT_REQUIRED",
  "DIGEST_REQUIRED",
  "RD_REQUIRED_FIELD",
  "RD_CONTENT_INVALID",
  "PREDICATE_TYPE_REQUIRED",
  "PREDICATE_REQUIRED",
  "PREDICATE_TYPE_MISMATCH",
  "SUBJECT_COUNT_INVALID",
  "TIMESTAMP_INVALID",
  "BUILD_DEFINITION_REQUIRED",
  "BUILD_TYPE_REQUIRED",
  "EXTERNAL_PARAMS_REQUIRED",
  "RUN_DETAILS_REQUIRED",
  "BUILDER_REQUIRED",
  "BUILDER_ID_REQUIRED",
  "TIMES_OUT_OF_ORDER",
  "SUBJECT_SHA256_REQUIRED",
  "IMAGE_REFERENCE_INVALID",
  "SHA256_REQUIRED",
  "SUBJECT_IMAGE_MISMATCH",
  "MATERIAL_ROLE_INVALID",
  "MATERIAL_ROLE_MISSING",
  "DOCUMENT_EMPTY",
  "DOCUMENT_NOT_JSON",
  "DOCUMENT_UNRECOGNIZED",
  "DOCUMENT_ROLE_MISMATCH",
  "DECISION_INVALID",
  "ENVIRONMENTS_EQUAL",
  "APPROVER_DUPLICATE",
  "PAYLOAD_TYPE_MISMATCH",
  "SEQUENCE_INVALID",
  "PREVIOUS_INVALID",
  "PREVIOUS_REQUIRED",
  "PREVIOUS_UNEXPECTED",
  "HASH_INVALID",
  "INTEGER_INVALID",
] as const;

/** One of {@link MODEL_PROBLEM_CODES}. */
export type ModelProblemCode = typeof MODEL_PROBLEM_CODES[number];

/**
 * Codes of a malformed required-claims policy (`lib/model/claim_policy.ts`). A policy that is
 * well-formed but not met gives `CLAIM_MISSING` / `CLAIM_MISMATCH` (report codes).
 */
export const CLAIM_POLICY_ERROR_CODES = [
  "POLICY_INVALID",
  "POLICY_FIELD_INVALID",
  "POLICY_FIELD_MISSING",
  "POLICY_FIELD_UNKNOWN",
] as const;

/** One of {@link CLAIM_POLICY_ERROR_CODES}. */
export type ClaimPolicyErrorCode = typeof CLAIM_POLICY_ERROR_CODES[number];

/** `ParseError` codes of key and certificate import. */
export const KEY_ERROR_CODES = [
  "KEY_INVALID",
  "KEY_UNSUPPORTED",
  "KEY_ENCRYPTED",
  "KEY_DECRYPTION_FAILED",
  "CERT_INVALID",
] as const;

/** One of {@link KEY_ERROR_CODES}. */
export type KeyErrorCode = typeof KEY_ERROR_CODES[number];

/** `Problem` and `ParseError` codes of the signing key ring (`lib/sign/key_ring.ts`). */
export const KEY_RING_ERROR_CODES = [
  "KEYRING_INVALID",
  "KEYRING_FIELD_MISSING",
  "KEYRING_FIELD_INVALID",
  "KEYRING_FIELD_UNKNOWN",
  "KEYRING_KEYID_DUPLICATE",
  "KEYRING_KEYID_MISMATCH",
  "KEYRING_WINDOW_INVALID",
  "KEYRING_STATUS_INCONSISTENT",
] as const;

/** One of {@link KEY_RING_ERROR_CODES}. */
export type KeyRingErrorCode = typeof KEY_RING_ERROR_CODES[number];

/** `Problem` codes of the attestation builders' own arguments (`lib/sign/attest.ts`). */
export const ATTEST_PROBLEM_CODES = [
  "SUBJECT_ARGUMENT_INVALID",
  "DEPENDENCY_ARGUMENT_INVALID",
] as const;

/** One of {@link ATTEST_PROBLEM_CODES}. */
export type AttestProblemCode = typeof ATTEST_PROBLEM_CODES[number];

/** Codes `verifyAuditLog` (`lib/sign/audit_verify.ts`) reports. */
export const AUDIT_LOG_CODES = [
  "AUDIT_RECORD_MALFORMED",
  "AUDIT_CHAIN_BROKEN",
  "AUDIT_SEQUENCE_GAP",
  "AUDIT_TRUNCATED",
  "AUDIT_TORN_TAIL",
] as const;

/** One of {@link AUDIT_LOG_CODES}. */
export type AuditLogCode = typeof AUDIT_LOG_CODES[number];

/** Codes of `KmsPluginError` (`lib/sign/kms_plugin.ts`). */
export const KMS_PLUGIN_ERROR_CODES = [
  "KMS_PLUGIN_ERROR",
  "KMS_PLUGIN_NOT_FOUND",
  "KMS_PLUGIN_FAILED",
  "KMS_PLUGIN_TIMEOUT",
] as const;

/** One of {@link KMS_PLUGIN_ERROR_CODES}. */
export type KmsPluginErrorCode = typeof KMS_PLUGIN_ERROR_CODES[number];

/** `ParseError` codes of the KMS plugin protocol: key references and plugin responses. */
export const KMS_PROTOCOL_ERROR_CODES = [
  "KMS_KEY_REF_INVALID",
  "KMS_PLUGIN_RESPONSE_INVALID",
] as const;

/** One of {@link KMS_PROTOCOL_ERROR_CODES}. */
export type KmsProtocolErrorCode = typeof KMS_PROTOCOL_ERROR_CODES[number];

/**
 * `Problem` codes of a trust policy document (`lib/verify/trust_policy.ts`), besides the shared
 * `FIELD_REQUIRED`, `TYPE_MISMATCH`, `TIME_INVALID` and the key import codes.
 */
export const TRUST_POLICY_PROBLEM_CODES = [
  "VERSION_UNSUPPORTED",
  "FIELD_UNKNOWN",
  "THRESHOLD_INVALID",
  "VALIDITY_WINDOW_INVALID",
  "ALGORITHM_UNSUPPORTED",
] as const;

/** One of {@link TRUST_POLICY_PROBLEM_CODES}. */
export type TrustPolicyProblemCode = typeof TRUST_POLICY_PROBLEM_CODES[number];

/** `ParseError` codes of C2SP signed notes and their verifier keys (`lib/verify/signed_note.ts`). */
export const NOTE_PARSE_ERROR_CODES = [
  "NOTE_MALFORMED",
  "NOTE_KEY_INVALID",
  "NOTE_KEY_UNSUPPORTED",
  "NOTE_KEY_ID_MISMATCH",
] as const;

/** One of {@link NOTE_PARSE_ERROR_CODES}. */
export type NoteParseErrorCode = typeof NOTE_PARSE_ERROR_CODES[number];

/** Codes of `NoteVerificationError` (`lib/verify/signed_note.ts`). */
export const NOTE_ERROR_CODES = [
  "NOTE_SIGNATURE_INVALID",
  "NOTE_UNVERIFIED",
  "NOTE_KEY_AMBIGUOUS",
] as const;

/** One of {@link NOTE_ERROR_CODES}. */
export type NoteErrorCode = typeof NOTE_ERROR_CODES[number];

/** Every failure code a `ChainValidation` (`lib/verify/x509_chain.ts`) may carry. */
export const CHAIN_FAILURE_CODES = [
  "CHAIN_UNTRUSTED",
  "ISSUER_NOT_CA",
  "CERT_NOT_VALID_AT_TIME",
  "CRITICAL_EXTENSION_UNSUPPORTED",
  "EKU_MISSING",
] as const;

/**
 * Why a chain did not validate:
 *
 * - `CHAIN_UNTRUSTED`: no path from the leaf to a supplied anchor (no issuer by name and key
 *   identifier, a signature that does not verify, a loop, or a path longer than allowed).
 * - `ISSUER_NOT_CA`: the only issuers found are not CAs (no basicConstraints `cA`, no
 *   `keyCertSign`, or their pathLenConstraint is exceeded).
 * - `CERT_NOT_VALID_AT_TIME`: a path exists but a certificate on it is not valid at `at`.
 * - `CRITICAL_EXTENSION_UNSUPPORTED`: a certificate on the path has a critical extension this
 *   module does not process.
 * - `EKU_MISSING`: the leaf's extendedKeyUsage does not name `requireEku`.
 */
export type ChainFailureCode = typeof CHAIN_FAILURE_CODES[number];

/** `Problem` codes of an offline kit manifest (`lib/kit/manifest.ts`). */
export const KIT_MANIFEST_PROBLEM_CODES = [
  "KIT_FIELD_INVALID",
  "KIT_PATH_INVALID",
  "KIT_PATH_RESERVED",
  "KIT_PATH_DUPLICATE",
  "KIT_SUBJECT_MISMATCH",
] as const;

/** One of {@link KIT_MANIFEST_PROBLEM_CODES}. */
export type KitManifestProblemCode = typeof KIT_MANIFEST_PROBLEM_CODES[number];

/** `ParseError` codes of a `SHA256SUMS` file (`lib/kit/checksums.ts`). */
export const CHECKSUMS_ERROR_CODES = [
  "CHECKSUMS_MALFORMED",
  "CHECKSUMS_DUPLICATE",
] as const;

/** One of {@link CHECKSUMS_ERROR_CODES}. */
export type ChecksumsErrorCode = typeof CHECKSUMS_ERROR_CODES[number];

/**
 * Problem codes of the HTTP verification handler (`lib/serve/handler.ts`, `stella serve`): why a
 * request was not evaluated. An evaluated input is answered 200 with its report instead.
 */
export const SERVE_PROBLEM_CODES = [
  "QUERY_INVALID",
  "BODY_UNREADABLE",
  "ROUTE_NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "BODY_TOO_LARGE",
  "MEDIA_TYPE_UNSUPPORTED",
  "SERVER_BUSY",
  "INTERNAL_ERROR",
] as const;

/** One of {@link SERVE_PROBLEM_CODES}. */
export type ServeProblemCode = typeof SERVE_PROBLEM_CODES[number];

/**
 * Every tuple of this registry by name, in documentation order (the order of the sections of
 * `docs/codes.md` after the verification failure codes).
 */
export const ERROR_CODE_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ENCODING_ERROR_CODES,
  DIGEST_ERROR_CODES,
  MERKLE_FAILURE_CODES,
  MODEL_PROBLEM_CODES,
  CLAIM_POLICY_ERROR_CODES,
  KEY_ERROR_CODES,
  KEY_RING_ERROR_CODES,
  ATTEST_PROBLEM_CODES,
  AUDIT_LOG_CODES,
  KMS_PLUGIN_ERROR_CODES,
  KMS_PROTOCOL_ERROR_CODES,
  TRUST_POLICY_PROBLEM_CODES,
  NOTE_PARSE_ERROR_CODES,
  NOTE_ERROR_CODES,
  CHAIN_FAILURE_CODES,
  KIT_MANIFEST_PROBLEM_CODES,
  CHECKSUMS_ERROR_CODES,
  SERVE_PROBLEM_CODES,
});
