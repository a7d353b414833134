/**
 * The data model of `@stellaops/provenance`: DSSE and PAE, in-toto Statement validators, SLSA
 * Provenance, promotion and custody predicates, Rekor proofs, Sigstore bundles, claim policies.
 *
 * @module
 */

export {
  createEnvelope,
  DEFAULT_ENVELOPE_MAX_BYTES,
  INTOTO_PAYLOAD_TYPE,
  PAE_PREFIX,
  preAuthEncoding,
} from "./dsse.ts";
export type {
  DsseEnvelope,
  DsseSignature,
  EnvelopeSignatureInput,
  ParsedEnvelope,
  ParsedSignature,
  ParseEnvelopeOptions,
} from "./dsse.ts";
export {
  assertStatement,
  STATEMENT_TYPE_V0_1,
  STATEMENT_TYPE_V1,
  STATEMENT_TYPES,
  statementDigest,
  statementDigestString,
  validateResourceDescriptor,
} from "./statement.ts";
export type { ParseStatementOptions, ResourceDescriptor, Statement } from "./statement.ts";
export { validateProvenancePredicate, validateProvenanceStatement } from "./slsa_provenance.ts";
export type {
  BuildDefinition,
  BuilderInfo,
  BuildMetadata,
  ProvenancePredicate,
  RunDetails,
} from "./slsa_provenance.ts";
export type { BuildProvenanceOptions } from "./build_provenance.ts";
export { MERKLE_DIGEST_ALGORITHM, SUBJECT_NAME_PREFIX } from "./subjects.ts";
export type {
  ExportSubjectInput,
  JobSubjectInput,
  OrchestratorRunSubjectInput,
} from "./subjects.ts";
export {
  MATERIAL_ROLES,
  POLICY_DECISIONS,
  validatePromotionPredicate,
  validatePromotionStatement,
} from "./promotion.ts";
export { parseImageReference } from "./image_reference.ts";
export type { BuildPromotionOptions } from "./build_promotion.ts";
export type { ImageReference } from "./image_reference.ts";
export { detectDocumentType, DOCUMENT_KINDS, DOCUMENT_MEDIA_TYPES } from "./document_type.ts";
export type {
  DetectDocumentTypeOptions,
  DocumentKind,
  DocumentRole,
  DocumentType,
} from "./document_type.ts";
export type {
  MaterialRole,
  PolicyDecision,
  PolicyDecisionValue,
  PromotionApproval,
  PromotionDetails,
  PromotionImage,
  PromotionMaterial,
  PromotionPredicate,
} from "./promotion.ts";
export { parseRekorProof, validateRekorProof } from "./rekor_proof.ts";
export type { ParseRekorProofOptions, RekorInclusionProof, RekorProof } from "./rekor_proof.ts";
export {
  CUSTODY_PREDICATE_TYPE,
  parseCustodyEntry,
  timelineMerkleRoot,
  validateCustodyPredicate,
  validateCustodyStatement,
} from "./custody.ts";
export type {
  BuildCustodyStatementOptions,
  CustodyEntry,
  CustodyEvent,
  CustodyPredicate,
} from "./custody.ts";
export { BUNDLE_VERSIONS, parseSigstoreBundle } from "./sigstore_bundle.ts";
export type {
  BundleContent,
  BundleTlogEntry,
  BundleVerificationMaterial,
  BundleVersion,
  ParseSigstoreBundleOptions,
  SigstoreBundle,
} from "./sigstore_bundle.ts";
export { assertPolicy, evaluatePolicy, parsePolicy, validatePolicy } from "./claim_policy.ts";
export type { ClaimPolicy, ParsePolicyOptions, RequiredClaim } from "./claim_policy.ts";
export type { DigestSet } from "../digest/digest_set.ts";
export type { JsonObject } from "../encoding/json_value.ts";
export type { JsonValue } from "../encoding/json_value.ts";
export type { Problem } from "../encoding/errors.ts";
