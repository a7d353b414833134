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
