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
export type { JsonObject, JsonValue } from "./lib/encoding/json_value.ts";
export { canonicalBytes, canonicalize } from "./lib/encoding/canonical_json.ts";
export { parseJson } from "./lib/encoding/strict_json.ts";
export type { ParseJsonOptions } from "./lib/encoding/strict_json.ts";
export type { DecodePemOptions, PemBlock } from "./lib/encoding/pem.ts";
export type {
  DerBitString,
  DerElement,
  DerReaderOptions,
  DerTagClass,
  EncodeDerTimeOptions,
} from "./lib/encoding/der.ts";
export { digestBytes, digestStream } from "./lib/digest/digest.ts";
export type { DigestAlgorithm } from "./lib/digest/digest.ts";
export { formatDigest, parseDigest } from "./lib/digest/digest_set.ts";
export type { DigestSet, ParsedDigest } from "./lib/digest/digest_set.ts";
export type {
  ConsistencyProof,
  InclusionProof,
  MerkleFailureCode,
  MerkleVerdict,
  VerifyConsistencyOptions,
  VerifyInclusionOptions,
} from "./lib/digest/merkle.ts";
export type { DigestInclusionProof } from "./lib/digest/digest_tree.ts";
export { INTOTO_PAYLOAD_TYPE, parseEnvelope, serializeEnvelope } from "./lib/model/dsse.ts";
export type {
  DsseEnvelope,
  DsseSignature,
  EnvelopeSignatureInput,
  ParsedEnvelope,
  ParsedSignature,
  ParseEnvelopeOptions,
} from "./lib/model/dsse.ts";
export { parseStatement, STATEMENT_TYPE_V1, validateStatement } from "./lib/model/statement.ts";
export type {
  ParseStatementOptions,
  ResourceDescriptor,
  Statement,
} from "./lib/model/statement.ts";
export { buildProvenance } from "./lib/model/build_provenance.ts";
export { SLSA_PROVENANCE_V1 } from "./lib/model/slsa_provenance.ts";
export type {
  BuildDefinition,
  BuilderInfo,
  BuildMetadata,
  ProvenancePredicate,
  RunDetails,
} from "./lib/model/slsa_provenance.ts";
export type { BuildProvenanceOptions } from "./lib/model/build_provenance.ts";
export { exportSubject, jobSubject, orchestratorSubject } from "./lib/model/subjects.ts";
export type {
  ExportSubjectInput,
  JobSubjectInput,
  OrchestratorRunSubjectInput,
} from "./lib/model/subjects.ts";
export { buildPromotionStatement } from "./lib/model/build_promotion.ts";
export { PROMOTION_PREDICATE_TYPE } from "./lib/model/promotion.ts";
export type { BuildPromotionOptions } from "./lib/model/build_promotion.ts";
export type { ImageReference } from "./lib/model/image_reference.ts";
export { detectDocumentType } from "./lib/model/document_type.ts";
export type {
  DetectDocumentTypeOptions,
  DocumentKind,
  DocumentRole,
  DocumentType,
} from "./lib/model/document_type.ts";
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
export type {
  ParseRekorProofOptions,
  RekorInclusionProof,
  RekorProof,
} from "./lib/model/rekor_proof.ts";
export { buildCustodyStatement, CUSTODY_PREDICATE_TYPE } from "./lib/model/custody.ts";
export type {
  BuildCustodyStatementOptions,
  CustodyEntry,
  CustodyEvent,
  CustodyPredicate,
} from "./lib/model/custody.ts";
export type {
  BundleContent,
  BundleTlogEntry,
  BundleVerificationMaterial,
  BundleVersion,
  ParseSigstoreBundleOptions,
  SigstoreBundle,
} from "./lib/model/sigstore_bundle.ts";
export type { ClaimPolicy, ParsePolicyOptions, RequiredClaim } from "./lib/model/claim_policy.ts";
export { computeKeyId } from "./lib/keys/key.ts";
export type {
  AsymmetricKeyType,
  ImportKeyOptions,
  Key,
  KeyAlgorithm,
  KeyType,
  PrivateKey,
  PublicKey,
  SecretKey,
} from "./lib/keys/key.ts";
export { exportPrivateKeyPem, exportPublicKeyPem, importKeyPem } from "./lib/keys/key_pem.ts";
export type { PrivateKeyPemFormat } from "./lib/keys/key_pem.ts";
export type { Jwk } from "./lib/keys/jwk.ts";
export type { EncryptCosignKeyOptions } from "./lib/keys/cosign_key.ts";
export type { EncryptPkcs8Options, Pkcs8Cipher } from "./lib/keys/pkcs8_encrypted.ts";
export { importKey } from "./lib/keys/import_key.ts";
export type { ImportAnyKeyOptions, KeyFormat } from "./lib/keys/import_key.ts";
export { generateKeyPair } from "./lib/keys/generate.ts";
export type { GenerateKeyPairOptions } from "./lib/keys/generate.ts";
export type {
  AlgorithmIdentifier,
  Certificate,
  DistinguishedName,
  GeneralName,
  GeneralNameType,
  NameAttribute,
  ParseCertificateOptions,
} from "./lib/keys/x509.ts";
export type {
  CertificateExtension,
  CertificateExtensions,
  KeyUsage,
} from "./lib/keys/x509_extensions.ts";
export type { SignatureAlgorithm } from "./lib/keys/key.ts";
export type { Signer, Verifier } from "./lib/crypto/signer.ts";
export { createSigner } from "./lib/crypto/local_signer.ts";
export type { CreateSignerOptions, EcdsaSignatureFormat } from "./lib/crypto/local_signer.ts";
export type { CreateVerifierOptions } from "./lib/crypto/local_verifier.ts";
export { signEnvelope } from "./lib/sign/envelope.ts";
export type { EnvelopePayload, SignEnvelopeOptions } from "./lib/sign/envelope.ts";
export type {
  AuditAppendPlan,
  AuditedSignerOptions,
  AuditEntry,
  AuditLogCode,
  AuditLogReport,
  AuditRecord,
  AuditSink,
  PlanAuditAppendOptions,
  VerifyAuditLogOptions,
} from "./lib/sign/audit_log.ts";
export type { KeyRing, KeyRingEntry, KeyStatus, ParseKeyRingOptions } from "./lib/sign/key_ring.ts";
export type { NewRingKey, RotateKeyRingOptions } from "./lib/sign/rotate_key_ring.ts";
export type { CreateKmsSignerOptions, KeyManagementService } from "./lib/sign/kms.ts";
export type {
  KmsPluginCall,
  KmsPluginErrorCode,
  KmsPluginInit,
  KmsPluginInvocation,
  KmsPluginKeyRef,
  KmsPluginMethod,
  KmsPluginResults,
  KmsPluginRpcOptions,
} from "./lib/sign/kms_plugin.ts";
export type { KmsPluginProcessOptions } from "./lib/sign/kms_plugin_process.ts";
export type {
  RotatingSignature,
  RotatingSignerOptions,
  RotationEvent,
  SignerSet,
} from "./lib/sign/rotating_signer.ts";
export { attestPromotion, attestProvenance } from "./lib/sign/attest.ts";
export type {
  Attestation,
  AttestDocument,
  AttestPromotionOptions,
  AttestProvenanceOptions,
} from "./lib/sign/attest.ts";
export { createTimestampRequest } from "./lib/sign/timestamp_request.ts";
export type {
  CreateTimestampRequestOptions,
  TimestampRequest,
} from "./lib/sign/timestamp_request.ts";
export { appendCustodyEvent } from "./lib/sign/custody.ts";
export type { AppendCustodyEventOptions, AppendedCustodyEvent } from "./lib/sign/custody.ts";
export type {
  NoteErrorCode,
  NoteKeyType,
  NoteVerifierKey,
  OpenedNote,
  OpenNoteOptions,
} from "./lib/verify/signed_note.ts";
export type {
  Checkpoint,
  CheckpointKey,
  CheckpointVerification,
  LogPublicKey,
  ParseCheckpointBodyOptions,
  VerifyCheckpointOptions,
} from "./lib/verify/checkpoint.ts";
export type {
  RekorInclusionInput,
  RekorLogKey,
  RekorSetInput,
  RekorSetPayloadInput,
  TlogInteger,
  TreeHead,
  VerifyMerkleRootOptions,
  VerifyRekorInclusionOptions,
} from "./lib/verify/rekor.ts";
export type { LogKeysFromTrustedRootOptions, TransparencyLogKey } from "./lib/verify/log_keys.ts";
export { FAILURE_CODES } from "./lib/verify/codes.ts";
export type { FailureCode } from "./lib/verify/codes.ts";
export { summarizeReports } from "./lib/verify/report.ts";
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
} from "./lib/verify/report.ts";
export { formatBatchLine, formatReport, formatSummary } from "./lib/verify/format.ts";
export type {
  FormatLineOptions,
  FormatReportOptions,
  FormatSummaryOptions,
  FormattableReport,
} from "./lib/verify/format.ts";
export { validateTrustPolicy } from "./lib/verify/trust_policy.ts";
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
export type { CertificateIdentityPolicy, VerifyItem, VerifyOptions } from "./lib/verify/options.ts";
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
export type {
  ChainFailureCode,
  ChainValidation,
  ValidateChainOptions,
} from "./lib/verify/x509_chain.ts";
export type { TimestampVerification, VerifyTimestampOptions } from "./lib/verify/timestamp.ts";
export type {
  EssCertId,
  MessageImprint,
  ParseTimestampOptions,
  SignerIdentifier,
  TimestampAccuracy,
  TimestampSignerInfo,
  TimestampStatus,
  TimestampToken,
  TstInfo,
} from "./lib/verify/timestamp_token.ts";
export type {
  ParseTrustedRootOptions,
  TrustedAuthority,
  TrustedRoot,
} from "./lib/verify/trusted_root.ts";
export type {
  FulcioIdentity,
  SctEvaluation,
  VerifyEmbeddedSctsOptions,
} from "./lib/verify/fulcio.ts";
export { verifyBundle } from "./lib/verify/verify_bundle.ts";
export { githubIdentityPolicy } from "./lib/verify/github_identity.ts";
export type { GithubIdentityOptions } from "./lib/verify/github_identity.ts";
export type { ChecksumEntry } from "./lib/kit/checksums.ts";
export type { KitFileRole, KitManifestFile, KitManifestPredicate } from "./lib/kit/manifest.ts";
export { buildKit } from "./lib/kit/build_kit.ts";
export { verifyKit } from "./lib/kit/verify_kit.ts";
export type { BuildKitOptions, KitFile } from "./lib/kit/build_kit.ts";
export type {
  KitFileResult,
  KitFileStatus,
  KitVerificationReport,
  VerifyKitOptions,
} from "./lib/kit/kit_report.ts";
export type { KitSource } from "./lib/kit/kit_source.ts";

// serve
export { createVerifyHandler } from "./lib/serve/handler.ts";
export type {
  VerifyHandlerLimits,
  VerifyHandlerLogEntry,
  VerifyHandlerOptions,
} from "./lib/serve/handler.ts";
