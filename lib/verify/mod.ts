/**
 * Verification building blocks of `@stellaops/provenance`: report helpers, trust-policy parsing,
 * subject checks and defaults.
 *
 * @module
 */

export type { FailureCode } from "./codes.ts";
export { buildReport, fail, pass, TIME_SOURCES } from "./report.ts";
export type {
  BundleEvidence,
  Check,
  EvidenceCount,
  IdentityMatcher,
  IdentityReport,
  ReportFields,
  SignatureResult,
  StatementSummary,
  TimeSource,
  VerificationReport,
  VerificationSummary,
} from "./report.ts";
export type {
  FormatLineOptions,
  FormatReportOptions,
  FormatSummaryOptions,
  FormattableReport,
} from "./format.ts";
export { parseTrustPolicy, SIGNATURE_ENCODINGS, trustedKeyFromPem } from "./trust_policy.ts";
export type {
  SignatureEncoding,
  TrustedKey,
  TrustedKeyOptions,
  TrustPolicyDocument,
  TrustPolicyKeyEntry,
} from "./trust_policy.ts";
export type { TrustMaterial, TrustSources } from "./trust_material.ts";
export type { CreateTrustPolicyOptions, TrustPolicyKeyInput } from "./trust_policy_init.ts";
export { DEFAULT_MAX_SIGNATURES } from "./verify_envelope.ts";
export type { CertificateIdentityPolicy, VerifyItem, VerifyOptions } from "./options.ts";
export { assertSubjectOptions, checkSubject } from "./subject_check.ts";
export type { ArtifactDigests, SubjectOptions } from "./subject_check.ts";
export type { VerifyManyItem, VerifyManyOptions, VerifyManyResult } from "./verify_many.ts";
export type { TimelineEntryReport, TimelineReport } from "./timeline.ts";
export type { GithubIdentityOptions } from "./github_identity.ts";
export { formatBatchLine, formatField, formatSummary } from "./format.ts";
export { githubIdentityPolicy } from "./github_identity.ts";
export { FAILURE_CODES } from "./codes.ts";
export type { JsonValue } from "../encoding/json_value.ts";
export type { PublicKey } from "../keys/key.ts";
export type { RequiredClaim } from "../model/claim_policy.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
export type { Verifier } from "../crypto/signer.ts";
export type { AsymmetricKeyType } from "../keys/key.ts";
export type { JsonObject } from "../encoding/json_value.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
export type { KeyType } from "../keys/key.ts";
export { KEY_TYPES } from "../keys/key.ts";
