/**
 * Signing infrastructure of `@stellaops/provenance`: policy and audited signers, the audit log, key
 * rings and rotation.
 *
 * @module
 */

export type { EnvelopePayload, SignEnvelopeOptions } from "./envelope.ts";
export { PolicySigner } from "./policy.ts";
export {
  AUDIT_LOG_CODES,
  AuditedSigner,
  describeSignedData,
  MemoryAuditLog,
  planAuditAppend,
  verifyAuditLog,
} from "./audit_log.ts";
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
} from "./audit_log.ts";
export { appendAuditLogFile, FileAuditLog, verifyAuditLogFile } from "./audit_log_file.ts";
export {
  activeKeyAt,
  formatKeyRing,
  KEY_STATUSES,
  keyActiveAt,
  parseKeyRing,
  validateKeyRing,
} from "./key_ring.ts";
export { rotateKeyRing } from "./rotate_key_ring.ts";
export type { KeyRing, KeyRingEntry, KeyStatus, ParseKeyRingOptions } from "./key_ring.ts";
export type { NewRingKey, RotateKeyRingOptions } from "./rotate_key_ring.ts";
export { RotatingSigner } from "./rotating_signer.ts";
export type {
  RotatingSignature,
  RotatingSignerOptions,
  RotationEvent,
  SignerSet,
} from "./rotating_signer.ts";
export type {
  Attestation,
  AttestDocument,
  AttestPromotionOptions,
  AttestProvenanceOptions,
} from "./attest.ts";
export type { CreateTimestampRequestOptions, TimestampRequest } from "./timestamp_request.ts";
export type { AppendCustodyEventOptions, AppendedCustodyEvent } from "./custody.ts";
export { createTimestampRequest } from "./timestamp_request.ts";
export type { CustodyEvent } from "../model/custody.ts";
export type { CustodyPredicate } from "../model/custody.ts";
export type { DsseEnvelope } from "../model/dsse.ts";
export type { JsonObject } from "../encoding/json_value.ts";
export type { ParsedEnvelope } from "../model/dsse.ts";
export type { PolicyDecision } from "../model/promotion.ts";
export type { PolicyDecisionValue } from "../model/promotion.ts";
export type { Problem } from "../encoding/errors.ts";
export type { PromotionApproval } from "../model/promotion.ts";
export type { RekorProof } from "../model/rekor_proof.ts";
export type { ResourceDescriptor } from "../model/statement.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
export type { Signer } from "../crypto/signer.ts";
export type { Statement } from "../model/statement.ts";
export type { DigestSet } from "../digest/digest_set.ts";
export type { DsseSignature } from "../model/dsse.ts";
export type { JsonValue } from "../encoding/json_value.ts";
export { POLICY_DECISIONS } from "../model/promotion.ts";
export type { ParsedSignature } from "../model/dsse.ts";
export type { RekorInclusionProof } from "../model/rekor_proof.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
