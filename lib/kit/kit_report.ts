/**
 * What `verifyKit` takes and returns: {@link VerifyKitOptions}, and the
 * {@link KitVerificationReport} with one {@link KitFileResult} per file.
 *
 * @module
 */

import type { FailureCode } from "../verify/codes.ts";
import type { Check, TimeSource } from "../verify/report.ts";
import type { TrustedKey } from "../verify/trust_policy.ts";

/**
 * Options of {@link verifyKit}.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildKit,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   verifyKit,
 *   type VerifyKitOptions,
 * } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 * });
 * const options: VerifyKitOptions = {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * };
 * assert.equal((await verifyKit(kit, options)).verified, true);
 * const untrusted = await verifyKit(kit, { ...options, keys: [] });
 * assert.deepEqual(untrusted.checks.map((c) => [c.id, c.code]), [
 *   ["kit.manifest", "KEY_UNTRUSTED"],
 *   ["kit.files", undefined],
 *   ["kit.provenance", "KEY_UNTRUSTED"],
 * ]);
 * ```
 */
export interface VerifyKitOptions {
  /** Keys trusted to sign the manifest and the provenance (one must verify each). */
  keys: readonly TrustedKey[];
  /** Evaluation time, epoch ms (key validity windows are checked at it). */
  now: number;
}

/**
 * What became of one file: as listed, not there, changed, not listed, not judged, or not a
 * regular file (never read).
 *
 * @example Usage
 * ```ts
 * import { KIT_FILE_STATUSES } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.ok(KIT_FILE_STATUSES.includes("missing"));
 * ```
 */
export const KIT_FILE_STATUSES = [
  "ok",
  "missing",
  "altered",
  "extra",
  "unchecked",
  "not-regular",
] as const;

/** One of {@link KIT_FILE_STATUSES}. */
export type KitFileStatus = typeof KIT_FILE_STATUSES[number];

/**
 * One file of a verified kit: its path, status and (when present) its digest and size.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildKit,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type KitFileResult,
 *   verifyKit,
 * } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 * });
 * const files = new Map(kit.map((f) => [f.path, f.bytes]));
 * files.delete("stella.js");
 * files.set("notes.txt", new Uint8Array([1]));
 * const report = await verifyKit(files, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * const problems: KitFileResult[] = report.files.filter((f) => f.status !== "ok");
 * assert.deepEqual(problems, [
 *   {
 *     path: "notes.txt",
 *     status: "extra",
 *     sha256: "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a", // SHA-256 of 0x01
 *     size: 1,
 *   },
 *   { path: "stella.js", status: "missing" },
 * ]);
 * ```
 */
export interface KitFileResult {
  /** Relative path inside the kit. */
  path: string;
  /**
   * `ok`, `missing`, `altered`, `extra`, `unchecked` when no file list could be used, or
   * `not-regular` for a symbolic link, device, pipe or socket (never read).
   */
  status: KitFileStatus;
  /**
   * Lowercase hex SHA-256 of the file as found (absent when missing, not regular, or larger than
   * listed so that reading stopped).
   */
  sha256?: string;
  /** Size in bytes as found (absent when the digest is). */
  size?: number;
}

/**
 * The result of {@link verifyKit}: the checks in pipeline order, every file by name, and the keys
 * that verified the manifest and the provenance.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildKit,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type KitVerificationReport,
 *   verifyKit,
 * } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 *   version: "0.1.0",
 *   sourceDate: Date.UTC(2025, 0, 31, 12),
 * });
 * const report: KitVerificationReport = await verifyKit(kit, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.deepEqual({ ...report, files: report.files.map((f) => [f.path, f.status]) }, {
 *   verified: true,
 *   checks: [
 *     { id: "kit.manifest", ok: true },
 *     { id: "kit.files", ok: true },
 *     { id: "kit.provenance", ok: true },
 *   ],
 *   files: [
 *     ["OFFLINE.md", "ok"],
 *     ["SHA256SUMS", "ok"],
 *     ["manifest.dsse.json", "ok"],
 *     ["provenance.dsse.json", "ok"],
 *     ["stella.js", "ok"],
 *   ],
 *   kit: { name: "stella-offline-kit", version: "0.1.0", created: "2025-01-31T12:00:00Z" },
 *   keyids: [key.keyid],
 *   time: { value: "2026-01-01T00:00:00Z", source: "clock" },
 * });
 * ```
 */
export interface KitVerificationReport {
  /** True exactly when every check passed. */
  verified: boolean;
  /** The code of the first failed check, when any failed. */
  code?: FailureCode;
  /** `kit.manifest`, then `kit.files` (one failed check per file problem), then `kit.provenance`. */
  checks: Check[];
  /** Every file found or expected, sorted by path (UTF-16 order). */
  files: KitFileResult[];
  /** Name, version and creation time from the manifest, when its payload is a valid manifest. */
  kit?: { name: string; version: string; created: string };
  /** Key ids of the trusted keys that verified the manifest or the provenance, sorted. */
  keyids: string[];
  /** The evaluation time. */
  time: { value: string; source: TimeSource };
}
