/**
 * Sigstore and transparency primitives of `@stellaops/provenance`: signed notes, checkpoints, Rekor
 * proofs, trusted roots, X.509 chains, Fulcio identities and SCTs, RFC 3161 timestamps.
 *
 * @module
 */

export {
  formatVerifierKey,
  NOTE_ERROR_CODES,
  NOTE_KEY_TYPES,
  NoteVerificationError,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKeyFromSpki,
} from "./signed_note.ts";
export type {
  NoteErrorCode,
  NoteKeyType,
  NoteVerifierKey,
  OpenedNote,
  OpenNoteOptions,
} from "./signed_note.ts";
export { parseCheckpointBody, verifyCheckpoint } from "./checkpoint.ts";
export type {
  Checkpoint,
  CheckpointKey,
  CheckpointVerification,
  LogPublicKey,
  ParseCheckpointBodyOptions,
  VerifyCheckpointOptions,
} from "./checkpoint.ts";
export {
  rekorSetPayload,
  verifyMerkleRoot,
  verifyRekorInclusion,
  verifyRekorSet,
  verifyTreeHeadConsistency,
} from "./rekor.ts";
export type {
  RekorInclusionInput,
  RekorLogKey,
  RekorSetInput,
  RekorSetPayloadInput,
  TlogInteger,
  TreeHead,
  VerifyMerkleRootOptions,
  VerifyRekorInclusionOptions,
} from "./rekor.ts";
export { logKeysFromTrustedRoot } from "./log_keys.ts";
export type { LogKeysFromTrustedRootOptions, TransparencyLogKey } from "./log_keys.ts";
export { CHAIN_FAILURE_CODES, validateChain, verifyCertificateSignature } from "./x509_chain.ts";
export type { ChainFailureCode, ChainValidation, ValidateChainOptions } from "./x509_chain.ts";
export { verifyTimestamp } from "./timestamp.ts";
export type { TimestampVerification, VerifyTimestampOptions } from "./timestamp.ts";
export { parseTimestampResponse } from "./timestamp_parse.ts";
export { TIMESTAMP_STATUSES } from "./timestamp_token.ts";
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
} from "./timestamp_token.ts";
export { isValidAt, parseTrustedRoot } from "./trusted_root.ts";
export type { ParseTrustedRootOptions, TrustedAuthority, TrustedRoot } from "./trusted_root.ts";
export { evaluateEmbeddedScts, FULCIO_OIDS, fulcioIdentity, verifyEmbeddedScts } from "./fulcio.ts";
export type { FulcioIdentity, SctEvaluation, VerifyEmbeddedSctsOptions } from "./fulcio.ts";
export type { AlgorithmIdentifier } from "../keys/x509.ts";
export type { Certificate } from "../keys/x509.ts";
export type { Check } from "./report.ts";
export type { DigestAlgorithm } from "../digest/digest.ts";
export type { DistinguishedName } from "../keys/x509.ts";
export type { GeneralName } from "../keys/x509.ts";
export type { CertificateExtensions } from "../keys/x509_extensions.ts";
export { DIGEST_ALGORITHMS } from "../digest/digest.ts";
export type { FailureCode } from "./codes.ts";
export type { GeneralNameType } from "../keys/x509.ts";
export type { NameAttribute } from "../keys/x509.ts";
export type { CertificateExtension } from "../keys/x509_extensions.ts";
export { FAILURE_CODES } from "./codes.ts";
export { GENERAL_NAME_TYPES } from "../keys/x509.ts";
export type { KeyUsage } from "../keys/x509_extensions.ts";
export { KEY_USAGES } from "../keys/x509_extensions.ts";
