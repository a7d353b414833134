/**
 * Offline-kit details of `@stellaops/provenance`: checksums, the kit manifest, statuses and the
 * offline guide.
 *
 * @module
 */

export { formatChecksums, parseChecksums } from "./checksums.ts";
export type { ChecksumEntry } from "./checksums.ts";
export {
  KIT_FILE_NAMES,
  KIT_FILE_ROLES,
  KIT_MANIFEST_PREDICATE_TYPE,
  validateKitManifest,
} from "./manifest.ts";
export type { KitFileRole, KitManifestFile, KitManifestPredicate } from "./manifest.ts";
export { DEFAULT_KIT_BUILDER_ID, DEFAULT_KIT_NAME, KIT_BUILD_TYPE } from "./build_kit.ts";
export { KIT_FILE_STATUSES } from "./kit_report.ts";
export type { BuildKitOptions, KitFile } from "./build_kit.ts";
export type {
  KitFileResult,
  KitFileStatus,
  KitVerificationReport,
  VerifyKitOptions,
} from "./kit_report.ts";
export type { KitSource } from "./kit_source.ts";
export { OFFLINE_GUIDE } from "./offline_guide.ts";
export type { Check } from "../verify/report.ts";
export type { FailureCode } from "../verify/codes.ts";
export type { Problem } from "../encoding/errors.ts";
export type { Signer } from "../crypto/signer.ts";
export type { TimeSource } from "../verify/report.ts";
export type { TrustedKey } from "../verify/trust_policy.ts";
export { FAILURE_CODES } from "../verify/codes.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
export { TIME_SOURCES } from "../verify/report.ts";
export type { Verifier } from "../crypto/signer.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
