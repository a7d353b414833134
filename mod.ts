/**
 * StellaOps Provenance: prove container provenance offline.
 *
 * Build services produce signed attestations (DSSE envelopes over in-toto Statements: SLSA
 * Provenance v1 and `stella.ops/promotion@v1`); operators verify them with nothing but the files
 * in front of them. The CLI (`stella`, exported as `./cli`) is a thin adapter over these functions.
 *
 * @example Quick start
 * ```ts
 * import { canonicalize } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(canonicalize({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
 * ```
 *
 * @module
 */

export { ParseError, ValidationError } from "./lib/encoding/errors.ts";
export type { Problem } from "./lib/encoding/errors.ts";
export { canonicalBytes, canonicalize } from "./lib/encoding/canonical_json.ts";
export { parseJson } from "./lib/encoding/strict_json.ts";
export type { ParseJsonOptions } from "./lib/encoding/strict_json.ts";
export { DIGEST_ALGORITHMS, digestBytes } from "./lib/digest/digest.ts";
export type { DigestAlgorithm } from "./lib/digest/digest.ts";
export { formatDigest, parseDigest } from "./lib/digest/digest_set.ts";
export type { DigestSet, ParsedDigest } from "./lib/digest/digest_set.ts";
export { parseEnvelope, serializeEnvelope } from "./lib/model/dsse.ts";
export type {
  DsseEnvelope,
  DsseSignature,
  ParsedEnvelope,
  ParsedSignature,
  ParseEnvelopeOptions,
} from "./lib/model/dsse.ts";
export { parseStatement, validateStatement } from "./lib/model/statement.ts";
export type {
  ParseStatementOptions,
  ResourceDescriptor,
  Statement,
} from "./lib/model/statement.ts";
export { buildProvenance } from "./lib/model/build_provenance.ts";
export type { BuildProvenanceOptions } from "./lib/model/build_provenance.ts";
export { SLSA_PROVENANCE_V1 } from "./lib/model/slsa_provenance.ts";
export type {
  BuildDefinition,
  BuilderInfo,
  BuildMetadata,
  ProvenancePredicate,
  RunDetails,
} from "./lib/model/slsa_provenance.ts";
export { exportSubject, jobSubject, orchestratorSubject } from "./lib/model/subjects.ts";
export type {
  ExportSubjectInput,
  JobSubjectInput,
  OrchestratorRunSubjectInput,
} from "./lib/model/subjects.ts";
export { buildPromotionStatement } from "./lib/model/build_promotion.ts";
export type { BuildPromotionOptions } from "./lib/model/build_promotion.ts";
export {
  MATERIAL_ROLES,
  POLICY_DECISIONS,
  PROMOTION_PREDICATE_TYPE,
} from "./lib/model/promotion.ts";
export type {
  MaterialRole,
  PolicyDecision,
  PolicyDecisionValue,
  PromotionApproval,
  PromotionDetails,
  PromotionImage,
  PromotionMaterial,
  PromotionPredicate,
} from "./lib/model/promotion.ts";
export { buildCustodyStatement } from "./lib/model/custody.ts";
export type {
  BuildCustodyStatementOptions,
  CustodyEvent,
  CustodyPredicate,
} from "./lib/model/custody.ts";
export { computeKeyId, KEY_ALGORITHMS, KEY_TYPES, SIGNATURE_ALGORITHMS } from "./lib/keys/key.ts";
export type {
  AsymmetricKeyType,
  ImportKeyOptions,
  Key,
  KeyAlgorithm,
  KeyType,
  PrivateKey,
  PublicKey,
  SecretKey,
  SignatureAlgorithm,
} from "./lib/keys/key.ts";
export {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  importKeyPem,
  PRIVATE_KEY_PEM_FORMATS,
} from "./lib/keys/key_pem.ts";
export type { PrivateKeyPemFormat } from "./lib/keys/key_pem.ts";
export { importKey, KEY_FORMATS } from "./lib/keys/import_key.ts";
export type { ImportAnyKeyOptions, KeyFormat } from "./lib/keys/import_key.ts";
export { generateKeyPair } from "./lib/keys/generate.ts";
export type { GenerateKeyPairOptions } from "./lib/keys/generate.ts";
export { createSigner, ECDSA_SIGNATURE_FORMATS } from "./lib/crypto/local_signer.ts";
export type { CreateSignerOptions, EcdsaSignatureFormat } from "./lib/crypto/local_signer.ts";
export { signEnvelope } from "./lib/sign/envelope.ts";
export type { EnvelopePayload, SignEnvelopeOptions } from "./lib/sign/envelope.ts";
export { attestPromotion, attestProvenance } from "./lib/sign/attest.ts";
export type {
  Attestation,
  AttestDocument,
  AttestPromotionOptions,
  AttestProvenanceOptions,
} from "./lib/sign/attest.ts";
export { appendCustodyEvent } from "./lib/sign/custody.ts";
export type { AppendCustodyEventOptions, AppendedCustodyEvent } from "./lib/sign/custody.ts";
export { FAILURE_CODES } from "./lib/verify/codes.ts";
export type { FailureCode } from "./lib/verify/codes.ts";
export { summarizeReports, TIME_SOURCES } from "./lib/verify/report.ts";
export type {
  BundleEvidence,
  Check,
  EvidenceCount,
  IdentityMatcher,
  IdentityReport,
  SignatureResult,
  StatementSummary,
  TimeSource,
  VerificationReport,
  VerificationSummary,
} from "./lib/verify/report.ts";
export { formatReport } from "./lib/verify/format.ts";
export type { FormatReportOptions, FormattableReport } from "./lib/verify/format.ts";
export { SIGNATURE_ENCODINGS, validateTrustPolicy } from "./lib/verify/trust_policy.ts";
export type {
  SignatureEncoding,
  TrustedKey,
  TrustedKeyOptions,
  TrustPolicyDocument,
  TrustPolicyKeyEntry,
} from "./lib/verify/trust_policy.ts";
export { loadTrustMaterial } from "./lib/verify/trust_material.ts";
export type { TrustMaterial, TrustSources } from "./lib/verify/trust_material.ts";
export { createTrustPolicy } from "./lib/verify/trust_policy_init.ts";
export type {
  CreateTrustPolicyOptions,
  TrustPolicyKeyInput,
} from "./lib/verify/trust_policy_init.ts";
export { DEFAULT_SKEW_MS, verifyEnvelope } from "./lib/verify/verify_envelope.ts";
export { digestArtifact } from "./lib/verify/subject_check.ts";
export type { ArtifactDigests, SubjectOptions } from "./lib/verify/subject_check.ts";
export { verifyMany } from "./lib/verify/verify_many.ts";
export type {
  VerifyManyItem,
  VerifyManyOptions,
  VerifyManyResult,
} from "./lib/verify/verify_many.ts";
export { verifyTimeline } from "./lib/verify/timeline.ts";
export type { TimelineEntryReport, TimelineReport } from "./lib/verify/timeline.ts";
export { verifyBundle } from "./lib/verify/verify_bundle.ts";
export { buildKit } from "./lib/kit/build_kit.ts";
export type { BuildKitOptions, KitFile } from "./lib/kit/build_kit.ts";
export { verifyKit } from "./lib/kit/verify_kit.ts";
export { createVerifyHandler } from "./lib/serve/handler.ts";
export type {
  VerifyHandlerLimits,
  VerifyHandlerLogEntry,
  VerifyHandlerOptions,
} from "./lib/serve/handler.ts";
export { KIT_FILE_STATUSES } from "./lib/kit/kit_report.ts";
export type {
  KitFileResult,
  KitFileStatus,
  KitVerificationReport,
  VerifyKitOptions,
} from "./lib/kit/kit_report.ts";
export type { Signer, Verifier } from "./lib/crypto/signer.ts";
export type { JsonObject, JsonValue } from "./lib/encoding/json_value.ts";
export type { KitSource } from "./lib/kit/kit_source.ts";
export type { RequiredClaim } from "./lib/model/claim_policy.ts";
export type { RekorInclusionProof, RekorProof } from "./lib/model/rekor_proof.ts";
export type { CertificateIdentityPolicy, VerifyItem, VerifyOptions } from "./lib/verify/options.ts";
