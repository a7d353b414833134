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
