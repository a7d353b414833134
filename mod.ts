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

// encoding
export { ParseError, ValidationError } from "./lib/encoding/errors.ts";
export type { Problem } from "./lib/encoding/errors.ts";
export {
  concatBytes,
  decodeBase64,
  decodeBase64Any,
  decodeBase64Url,
  decodeHex,
  decodeUtf8,
  encodeBase64,
  encodeBase64Url,
  encodeHex,
  encodeUtf8,
  equalBytes,
  timingSafeEqual,
} from "./lib/encoding/bytes.ts";
export { describeTime, formatRfc3339, parseRfc3339 } from "./lib/encoding/time.ts";
export { splitJsonLines } from "./lib/encoding/json_lines.ts";
export { evaluatePointer, formatPointer, parsePointer } from "./lib/encoding/json_pointer.ts";
export type { JsonObject, JsonValue } from "./lib/encoding/json_value.ts";
export { canonicalBytes, canonicalize, canonicalizeText } from "./lib/encoding/canonical_json.ts";
export {
  DEFAULT_MAX_JSON_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  parseJson,
} from "./lib/encoding/strict_json.ts";
export type { ParseJsonOptions } from "./lib/encoding/strict_json.ts";
export { decodePem, decodePemAll, encodePem } from "./lib/encoding/pem.ts";
export type { DecodePemOptions, PemBlock } from "./lib/encoding/pem.ts";
export {
  decodeDer,
  DER_TAG_CLASSES,
  DER_TAGS,
  DerReader,
  encodeDerBitString,
  encodeDerBoolean,
  encodeDerContext,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
  encodeDerSet,
  encodeDerTime,
  encodeDerTlv,
  encodeDerUtf8String,
} from "./lib/encoding/der.ts";
export type {
  DerBitString,
  DerElement,
  DerReaderOptions,
  DerTagClass,
  EncodeDerTimeOptions,
} from "./lib/encoding/der.ts";

// digest
export {
  DIGEST_ALGORITHMS,
  digestBytes,
  digestSize,
  digestStream,
  Hasher,
  isDigestAlgorithm,
  sha256,
} from "./lib/digest/digest.ts";
export type { DigestAlgorithm } from "./lib/digest/digest.ts";
export {
  DIGEST_SET_KNOWN_LENGTHS,
  digestSetOf,
  formatDigest,
  parseDigest,
  validateDigestSet,
} from "./lib/digest/digest_set.ts";
export type { DigestSet, ParsedDigest } from "./lib/digest/digest_set.ts";
export {
  consistencyProof,
  inclusionProof,
  merkleRoot,
  merkleRootOfData,
  merkleRootOfDigests,
} from "./lib/digest/merkle_tree.ts";
export {
  EMPTY_ROOT_HEX,
  emptyRoot,
  hashChildren,
  hashLeaf,
  MERKLE_FAILURE_CODES,
  MERKLE_HASH_SIZE,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./lib/digest/merkle.ts";
export type {
  ConsistencyProof,
  InclusionProof,
  MerkleFailureCode,
  MerkleVerdict,
  VerifyConsistencyOptions,
  VerifyInclusionOptions,
} from "./lib/digest/merkle.ts";
export {
  digestTreeLeaves,
  proveDigestInclusion,
  verifyDigestInclusion,
} from "./lib/digest/digest_tree.ts";
export type { DigestInclusionProof } from "./lib/digest/digest_tree.ts";

// model
export {
  createEnvelope,
  DEFAULT_ENVELOPE_MAX_BYTES,
  INTOTO_PAYLOAD_TYPE,
  PAE_PREFIX,
  parseEnvelope,
  preAuthEncoding,
  serializeEnvelope,
} from "./lib/model/dsse.ts";
export type {
  DsseEnvelope,
  DsseSignature,
  EnvelopeSignatureInput,
  ParsedEnvelope,
  ParsedSignature,
  ParseEnvelopeOptions,
} from "./lib/model/dsse.ts";
export {
  assertStatement,
  parseStatement,
  STATEMENT_TYPE_V0_1,
  STATEMENT_TYPE_V1,
  STATEMENT_TYPES,
  statementDigest,
  statementDigestString,
  validateResourceDescriptor,
  validateStatement,
} from "./lib/model/statement.ts";
export type {
  ParseStatementOptions,
  ResourceDescriptor,
  Statement,
} from "./lib/model/statement.ts";
export { buildProvenance } from "./lib/model/build_provenance.ts";
export {
  SLSA_PROVENANCE_V1,
  validateProvenancePredicate,
  validateProvenanceStatement,
} from "./lib/model/slsa_provenance.ts";
export type {
  BuildDefinition,
  BuilderInfo,
  BuildMetadata,
  ProvenancePredicate,
  RunDetails,
} from "./lib/model/slsa_provenance.ts";
export type { BuildProvenanceOptions } from "./lib/model/build_provenance.ts";
export {
  exportSubject,
  jobSubject,
  MERKLE_DIGEST_ALGORITHM,
  orchestratorSubject,
  SUBJECT_NAME_PREFIX,
} from "./lib/model/subjects.ts";
export type {
  ExportSubjectInput,
  JobSubjectInput,
  OrchestratorRunSubjectInput,
} from "./lib/model/subjects.ts";
export { buildPromotionStatement } from "./lib/model/build_promotion.ts";
export {
  MATERIAL_ROLES,
  POLICY_DECISIONS,
  PROMOTION_PREDICATE_TYPE,
  validatePromotionPredicate,
  validatePromotionStatement,
} from "./lib/model/promotion.ts";
export { parseImageReference } from "./lib/model/image_reference.ts";
export type { BuildPromotionOptions } from "./lib/model/build_promotion.ts";
export type { ImageReference } from "./lib/model/image_reference.ts";
export {
  detectDocumentType,
  DOCUMENT_KINDS,
  DOCUMENT_MEDIA_TYPES,
} from "./lib/model/document_type.ts";
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
export { parseRekorProof, validateRekorProof } from "./lib/model/rekor_proof.ts";
export type {
  ParseRekorProofOptions,
  RekorInclusionProof,
  RekorProof,
} from "./lib/model/rekor_proof.ts";
export {
  buildCustodyStatement,
  CUSTODY_PREDICATE_TYPE,
  parseCustodyEntry,
  timelineMerkleRoot,
  validateCustodyPredicate,
  validateCustodyStatement,
} from "./lib/model/custody.ts";
export type {
  BuildCustodyStatementOptions,
  CustodyEntry,
  CustodyEvent,
  CustodyPredicate,
} from "./lib/model/custody.ts";
export { BUNDLE_VERSIONS, parseSigstoreBundle } from "./lib/model/sigstore_bundle.ts";
export type {
  BundleContent,
  BundleTlogEntry,
  BundleVerificationMaterial,
  BundleVersion,
  ParseSigstoreBundleOptions,
  SigstoreBundle,
} from "./lib/model/sigstore_bundle.ts";
export {
  assertPolicy,
  evaluatePolicy,
  parsePolicy,
  validatePolicy,
} from "./lib/model/claim_policy.ts";
export type { ClaimPolicy, ParsePolicyOptions, RequiredClaim } from "./lib/model/claim_policy.ts";

// keys
export { computeKeyId, isSignatureAlgorithm, KEY_ALGORITHMS, KEY_TYPES } from "./lib/keys/key.ts";
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
export { exportPkcs8, exportSpki, importPkcs8, importSpki } from "./lib/keys/key_der.ts";
export {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  importKeyPem,
  KEY_PEM_LABELS,
  PRIVATE_KEY_PEM_FORMATS,
} from "./lib/keys/key_pem.ts";
export type { PrivateKeyPemFormat } from "./lib/keys/key_pem.ts";
export { exportJwk, importJwk } from "./lib/keys/jwk.ts";
export type { Jwk } from "./lib/keys/jwk.ts";
export { exportHmacSecret, importHmacSecret } from "./lib/keys/hmac_secret.ts";
export {
  COSIGN_LEGACY_PRIVATE_KEY_LABEL,
  COSIGN_PRIVATE_KEY_LABEL,
  decryptCosignKey,
  encryptCosignKey,
} from "./lib/keys/cosign_key.ts";
export type { EncryptCosignKeyOptions } from "./lib/keys/cosign_key.ts";
export {
  decryptPkcs8,
  ENCRYPTED_PRIVATE_KEY_LABEL,
  encryptPkcs8,
  encryptPkcs8Der,
  isEncryptedPkcs8,
  PKCS8_CIPHERS,
} from "./lib/keys/pkcs8_encrypted.ts";
export type { EncryptPkcs8Options, Pkcs8Cipher } from "./lib/keys/pkcs8_encrypted.ts";
export { importKey, KEY_FORMATS } from "./lib/keys/import_key.ts";
export type { ImportAnyKeyOptions, KeyFormat } from "./lib/keys/import_key.ts";
export { generateKeyPair } from "./lib/keys/generate.ts";
export type { GenerateKeyPairOptions } from "./lib/keys/generate.ts";
export { EXTENSION_OIDS, KEY_USAGES } from "./lib/keys/x509_extensions.ts";
export {
  GENERAL_NAME_TYPES,
  KEY_PURPOSES,
  parseCertificate,
  parseCertificatesPem,
} from "./lib/keys/x509.ts";
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

// crypto
export { SIGNATURE_ALGORITHMS } from "./lib/keys/key.ts";
export type { SignatureAlgorithm } from "./lib/keys/key.ts";
export type { Signer, Verifier } from "./lib/crypto/signer.ts";
export {
  createSigner,
  ECDSA_SIGNATURE_FORMATS,
  RSA_PSS_SALT_LENGTH,
} from "./lib/crypto/local_signer.ts";
export type { CreateSignerOptions, EcdsaSignatureFormat } from "./lib/crypto/local_signer.ts";
export { createVerifier } from "./lib/crypto/local_verifier.ts";
export type { CreateVerifierOptions } from "./lib/crypto/local_verifier.ts";

// sign
export { signEnvelope } from "./lib/sign/envelope.ts";
export type { EnvelopePayload, SignEnvelopeOptions } from "./lib/sign/envelope.ts";
export { PolicySigner } from "./lib/sign/policy.ts";
export {
  AUDIT_LOG_CODES,
  AuditedSigner,
  describeSignedData,
  MemoryAuditLog,
  planAuditAppend,
  verifyAuditLog,
} from "./lib/sign/audit_log.ts";
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
export { appendAuditLogFile, FileAuditLog, verifyAuditLogFile } from "./lib/sign/audit_log_file.ts";
export {
  activeKeyAt,
  formatKeyRing,
  KEY_STATUSES,
  keyActiveAt,
  parseKeyRing,
  validateKeyRing,
} from "./lib/sign/key_ring.ts";
export { rotateKeyRing } from "./lib/sign/rotate_key_ring.ts";
export type { KeyRing, KeyRingEntry, KeyStatus, ParseKeyRingOptions } from "./lib/sign/key_ring.ts";
export type { NewRingKey, RotateKeyRingOptions } from "./lib/sign/rotate_key_ring.ts";
export { createKmsSigner, KmsSigner } from "./lib/sign/kms.ts";
export type { CreateKmsSignerOptions, KeyManagementService } from "./lib/sign/kms.ts";
export { decodeKmsPluginResponse, encodeKmsPluginRequest } from "./lib/sign/kms_plugin_codec.ts";
export {
  GO_CRYPTO_HASH,
  KMS_PLUGIN_ERROR_CODES,
  KMS_PLUGIN_METHODS,
  KMS_PLUGIN_PREFIX,
  KMS_PLUGIN_PROTOCOL_VERSION,
  KmsPluginError,
  parseKmsPluginKeyRef,
} from "./lib/sign/kms_plugin.ts";
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
export { findKmsPlugin, invokeKmsPlugin, KmsPluginService } from "./lib/sign/kms_plugin_process.ts";
export type { KmsPluginProcessOptions } from "./lib/sign/kms_plugin_process.ts";
export { RotatingSigner } from "./lib/sign/rotating_signer.ts";
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

// verify
export {
  formatVerifierKey,
  NOTE_ERROR_CODES,
  NOTE_KEY_TYPES,
  NoteVerificationError,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKeyFromSpki,
} from "./lib/verify/signed_note.ts";
export type {
  NoteErrorCode,
  NoteKeyType,
  NoteVerifierKey,
  OpenedNote,
  OpenNoteOptions,
} from "./lib/verify/signed_note.ts";
export { parseCheckpointBody, verifyCheckpoint } from "./lib/verify/checkpoint.ts";
export type {
  Checkpoint,
  CheckpointKey,
  CheckpointVerification,
  LogPublicKey,
  ParseCheckpointBodyOptions,
  VerifyCheckpointOptions,
} from "./lib/verify/checkpoint.ts";
export {
  rekorSetPayload,
  verifyMerkleRoot,
  verifyRekorInclusion,
  verifyRekorSet,
  verifyTreeHeadConsistency,
} from "./lib/verify/rekor.ts";
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
export { logKeysFromTrustedRoot } from "./lib/verify/log_keys.ts";
export type { LogKeysFromTrustedRootOptions, TransparencyLogKey } from "./lib/verify/log_keys.ts";
export { FAILURE_CODES } from "./lib/verify/codes.ts";
export type { FailureCode } from "./lib/verify/codes.ts";
export { buildReport, fail, pass, summarizeReports, TIME_SOURCES } from "./lib/verify/report.ts";
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
export {
  parseTrustPolicy,
  SIGNATURE_ENCODINGS,
  trustedKeyFromPem,
  validateTrustPolicy,
} from "./lib/verify/trust_policy.ts";
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
export {
  DEFAULT_MAX_SIGNATURES,
  DEFAULT_SKEW_MS,
  verifyEnvelope,
} from "./lib/verify/verify_envelope.ts";
export type { CertificateIdentityPolicy, VerifyItem, VerifyOptions } from "./lib/verify/options.ts";
export { assertSubjectOptions, checkSubject, digestArtifact } from "./lib/verify/subject_check.ts";
export type { ArtifactDigests, SubjectOptions } from "./lib/verify/subject_check.ts";
export { verifyMany } from "./lib/verify/verify_many.ts";
export type {
  VerifyManyItem,
  VerifyManyOptions,
  VerifyManyResult,
} from "./lib/verify/verify_many.ts";
export { verifyTimeline } from "./lib/verify/timeline.ts";
export type { TimelineEntryReport, TimelineReport } from "./lib/verify/timeline.ts";
export {
  CHAIN_FAILURE_CODES,
  validateChain,
  verifyCertificateSignature,
} from "./lib/verify/x509_chain.ts";
export type {
  ChainFailureCode,
  ChainValidation,
  ValidateChainOptions,
} from "./lib/verify/x509_chain.ts";
export { verifyTimestamp } from "./lib/verify/timestamp.ts";
export type { TimestampVerification, VerifyTimestampOptions } from "./lib/verify/timestamp.ts";
export { parseTimestampResponse } from "./lib/verify/timestamp_parse.ts";
export { TIMESTAMP_STATUSES } from "./lib/verify/timestamp_token.ts";
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
export { isValidAt, parseTrustedRoot } from "./lib/verify/trusted_root.ts";
export type {
  ParseTrustedRootOptions,
  TrustedAuthority,
  TrustedRoot,
} from "./lib/verify/trusted_root.ts";
export {
  evaluateEmbeddedScts,
  FULCIO_OIDS,
  fulcioIdentity,
  verifyEmbeddedScts,
} from "./lib/verify/fulcio.ts";
export type {
  FulcioIdentity,
  SctEvaluation,
  VerifyEmbeddedSctsOptions,
} from "./lib/verify/fulcio.ts";
export { verifyBundle } from "./lib/verify/verify_bundle.ts";
export { githubIdentityPolicy } from "./lib/verify/github_identity.ts";
export type { GithubIdentityOptions } from "./lib/verify/github_identity.ts";

// kit
export { formatChecksums, parseChecksums } from "./lib/kit/checksums.ts";
export type { ChecksumEntry } from "./lib/kit/checksums.ts";
export {
  KIT_FILE_NAMES,
  KIT_FILE_ROLES,
  KIT_MANIFEST_PREDICATE_TYPE,
  validateKitManifest,
} from "./lib/kit/manifest.ts";
export type { KitFileRole, KitManifestFile, KitManifestPredicate } from "./lib/kit/manifest.ts";
export {
  buildKit,
  DEFAULT_KIT_BUILDER_ID,
  DEFAULT_KIT_NAME,
  KIT_BUILD_TYPE,
} from "./lib/kit/build_kit.ts";
export { KIT_FILE_STATUSES } from "./lib/kit/kit_report.ts";
export { verifyKit } from "./lib/kit/verify_kit.ts";
export type { BuildKitOptions, KitFile } from "./lib/kit/build_kit.ts";
export type {
  KitFileResult,
  KitFileStatus,
  KitVerificationReport,
  VerifyKitOptions,
} from "./lib/kit/kit_report.ts";
export type { KitSource } from "./lib/kit/kit_source.ts";
export { OFFLINE_GUIDE } from "./lib/kit/offline_guide.ts";
