/**
 * The offline kit: what operators carry into an air-gapped site, and how they check it.
 *
 * A kit is a flat set of files:
 * - the artifacts (the single-file bundle `stella.js`, compiled `stella-<target>` binaries);
 * - `OFFLINE.md`, the operator guide;
 * - `provenance.dsse.json`: a DSSE-signed in-toto Statement v1 with a SLSA Provenance v1 predicate
 *   (slsa.dev/provenance/v1) whose subjects are the artifacts, recording the builder, the source
 *   commit, the lockfile digest (`resolvedDependencies`) and the Deno version
 *   (`builderDependencies`);
 * - `manifest.dsse.json`: a DSSE-signed `stella.ops/kit-manifest@v1` statement listing every file
 *   above with its SHA-256, size and role (see `manifest.ts`);
 * - `SHA256SUMS`: GNU coreutils checksums of every other file, so `sha256sum -c SHA256SUMS` checks
 *   the kit with nothing but coreutils (see `checksums.ts`).
 *
 * {@link buildKit} is deterministic: no clock (the source date is an input, like
 * `SOURCE_DATE_EPOCH`), every list sorted by path in UTF-16 order, RFC 8785 canonical JSON, so the
 * same inputs and key (Ed25519 or ECDSA, whose signatures are deterministic) give byte-identical
 * files.
 *
 * {@link verifyKit} runs three checks, in this order, and reports each file by name:
 * 1. `kit.manifest`: `manifest.dsse.json` is present (`KIT_FILE_MISSING`), its signature verifies
 *    with a trusted key (the envelope codes of `verifyEnvelope`) and its payload is a valid kit
 *    manifest (`KIT_MANIFEST_INVALID`).
 * 2. `kit.files`: one failed check per file that is missing (`KIT_FILE_MISSING`), altered
 *    (`KIT_FILE_ALTERED`: digest or size differs), extra (`KIT_FILE_EXTRA`: not listed) or not a
 *    regular file (`KIT_FILE_NOT_REGULAR`: a symbolic link, device, pipe or socket, named by the
 *    source's `notRegular` and never read; listed or not). Files are
 *    judged against the verified manifest; `SHA256SUMS` must be exactly the checksums the manifest
 *    implies, and `manifest.dsse.json` must be exactly its canonical form (RFC 8785 JSON plus a
 *    newline, as written), so a rewritten manifest is blamed, not `SHA256SUMS`. When the manifest
 *    cannot be trusted, files are judged against `SHA256SUMS` (as `sha256sum -c` does) so the
 *    report still names what changed, and `manifest.dsse.json` itself is altered when its digest
 *    differs from its `SHA256SUMS` line.
 * 3. `kit.provenance`: `provenance.dsse.json` is present, verifies with a trusted key, is SLSA
 *    Provenance v1, and its subjects are exactly the manifest's artifacts with the kit's digests
 *    (`KIT_PROVENANCE_INVALID`).
 *
 * Bounded reading: the manifest is read and verified first; every file a verified manifest lists
 * is then hashed with its listed size as `maxBytes`, so a source may stop one byte past it (a
 * file that grew, or never ends, is altered without being read to its end).
 *
 * @module
 */

import { encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonObject } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import { type DsseEnvelope, parseEnvelope, serializeEnvelope } from "../model/dsse.ts";
import {
  buildProvenance,
  SLSA_PROVENANCE_V1,
  validateProvenanceStatement,
} from "../model/slsa_provenance.ts";
import { type ResourceDescriptor, type Statement, STATEMENT_TYPE_V1 } from "../model/statement.ts";
import { signEnvelope } from "../sign/envelope.ts";
import type { Signer } from "../sign/signer.ts";
import type { FailureCode } from "../verify/codes.ts";
import { type Check, fail, pass, type TimeSource } from "../verify/report.ts";
import type { TrustedKey } from "../verify/trust_policy.ts";
import { verifyEnvelopeWith } from "../verify/verify_envelope.ts";
import { trustOfKeys } from "../verify/trust_material.ts";
import { type ChecksumEntry, formatChecksums, parseChecksums } from "./checksums.ts";
import {
  KIT_FILE_NAMES,
  KIT_MANIFEST_PREDICATE_TYPE,
  type KitFileRole,
  type KitManifestFile,
  type KitManifestPredicate,
  validateKitManifest,
} from "./manifest.ts";
import { OFFLINE_GUIDE } from "./offline_guide.ts";
import { compareUtf16, isKitPath } from "./_path.ts";

/** `buildType` of the kit's SLSA provenance. */
export const KIT_BUILD_TYPE = "https://stella-ops.org/build-types/offline-kit/v1";

/** Builder id recorded when the caller names none. */
export const DEFAULT_KIT_BUILDER_ID = "https://stella-ops.org/builders/stella-kit-build@v1";

/** Kit name recorded in the manifest when the caller names none. */
export const DEFAULT_KIT_NAME = "stella-offline-kit";

/**
 * One file of a kit: its relative path and bytes.
 *
 * @example Usage
 * ```ts
 * import { buildKit, createSigner, generateKeyPair, type KitFile } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signers = [createSigner(await generateKeyPair("ed25519"))];
 * const artifact: KitFile = { path: "stella.js", bytes: new Uint8Array([1, 2, 3]) };
 * const kit: KitFile[] = await buildKit([artifact], { signers });
 * assert.deepEqual(kit.find((f) => f.path === "stella.js")?.bytes, artifact.bytes); // shipped as is
 * const sums = new TextDecoder().decode(kit.find((f) => f.path === "SHA256SUMS")?.bytes);
 * assert.match(sums, /^039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81 {2}stella\.js$/m);
 * await assert.rejects(buildKit([{ ...artifact, path: "../stella.js" }], { signers }), RangeError);
 * ```
 */
export interface KitFile {
  /** Relative, `/`-separated path inside the kit. */
  path: string;
  /** The file's bytes. */
  bytes: Uint8Array;
}

/**
 * Options of {@link buildKit}. Fields the CLI may leave unset are optional and documented with
 * their defaults.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildKit,
 *   type BuildKitOptions,
 *   createSigner,
 *   evaluatePointer,
 *   generateKeyPair,
 *   parseEnvelope,
 *   parseStatement,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const artifacts = [{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }];
 * const options: BuildKitOptions = {
 *   signers: [createSigner(await generateKeyPair("ed25519"))],
 *   version: "0.1.0",
 *   sourceCommit: "ab".repeat(20),
 *   sourceDate: Date.UTC(2025, 0, 31, 12),
 * };
 * const kit = await buildKit(artifacts, options);
 * const statementOf = (path: string) =>
 *   parseStatement(parseEnvelope(kit.find((f) => f.path === path)?.bytes ?? "").payloadBytes);
 * const manifest = statementOf("manifest.dsse.json");
 * assert.deepEqual(evaluatePointer(manifest, "/predicate/kit"), { name: "stella-offline-kit", version: "0.1.0" });
 * assert.equal(evaluatePointer(manifest, "/predicate/created"), "2025-01-31T12:00:00Z");
 * const provenance = statementOf("provenance.dsse.json");
 * assert.deepEqual(evaluatePointer(provenance, "/predicate/buildDefinition/resolvedDependencies"), [
 *   { name: "source", digest: { gitCommit: "ab".repeat(20) } },
 * ]);
 * assert.deepEqual(await buildKit(artifacts, options), kit); // same inputs, same bytes
 * ```
 */
export interface BuildKitOptions {
  /** Signers of the manifest and the provenance (one signature each, in this order). */
  signers: readonly Signer[];
  /** Source commit the artifacts were built from (default `unknown`); hex commits are recorded as `gitCommit` digests. */
  sourceCommit?: string | undefined;
  /** Lowercase hex SHA-256 of the lockfile (`deno.lock`) the artifacts were built with. */
  lockfileDigest?: string | undefined;
  /** Version of Deno that built the artifacts, e.g. `2.9.6` (recorded as a builder dependency). */
  denoVersion?: string | undefined;
  /** Source date, epoch milliseconds (default 0): the manifest's `created` and the build times. */
  sourceDate?: number | undefined;
  /** Builder id (default {@link DEFAULT_KIT_BUILDER_ID}). */
  builderId?: string | undefined;
  /** Kit name (default {@link DEFAULT_KIT_NAME}). */
  name?: string | undefined;
  /** Version of what the kit ships (default `unknown`). */
  version?: string | undefined;
  /** Text of `OFFLINE.md` (default {@link OFFLINE_GUIDE}). */
  guide?: string | undefined;
}

/**
 * Builds a kit from its artifacts: the artifacts unchanged, `OFFLINE.md`, the signed provenance,
 * the signed manifest and `SHA256SUMS`. Pure and deterministic (see the module doc).
 *
 * @param artifacts The files to ship (e.g. `stella.js`, `stella-x86_64-unknown-linux-gnu`); paths
 *   are relative and must not be one of the kit's own file names.
 * @param options Signers and the build facts to record.
 * @returns Every file of the kit, sorted by path (UTF-16 order).
 * @throws {RangeError} When there are no artifacts or no signers, a path is not a plain relative
 *   path, is reserved or repeated, the lockfile digest is not 64 lowercase hex digits, a text
 *   option is empty or the source date is out of range.
 * @throws {TypeError} When an argument has the wrong type.
 *
 * @example Usage
 * ```ts
 * import { buildKit, createSigner, generateKeyPair, verifyKit } from "@stellaops/provenance";
 * import { exportPublicKeyPem, trustedKeyFromPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const artifacts = [{ path: "stella.js", bytes: new TextEncoder().encode("console.log(1);\n") }];
 * const kit = await buildKit(artifacts, { signers: [createSigner(key)], version: "0.1.0" });
 * assert.deepEqual(kit.map((f) => f.path), [
 *   "OFFLINE.md",
 *   "SHA256SUMS",
 *   "manifest.dsse.json",
 *   "provenance.dsse.json",
 *   "stella.js",
 * ]);
 * const report = await verifyKit(kit, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(report.verified, true);
 * ```
 */
export async function buildKit(
  artifacts: readonly KitFile[],
  options: BuildKitOptions,
): Promise<KitFile[]> {
  if (!Array.isArray(artifacts)) throw new TypeError("Pass the kit's artifacts as an array");
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass buildKit options as an object");
  }
  if (artifacts.length === 0) throw new RangeError("Pass at least one artifact to put in the kit");
  if (!Array.isArray(options.signers) || options.signers.length === 0) {
    throw new RangeError("Pass at least one signer for the kit's manifest and provenance");
  }
  const reserved = new Set<string>(Object.values(KIT_FILE_NAMES));
  const seen = new Set<string>();
  for (const [i, artifact] of artifacts.entries()) {
    if (!(artifact?.bytes instanceof Uint8Array)) {
      throw new TypeError(`Pass artifacts[${i}].bytes as a Uint8Array`);
    }
    if (!isKitPath(artifact.path)) {
      throw new RangeError(
        `Cannot put artifacts[${i}] in the kit: use a relative path without empty, . or .. segments, backslashes or control characters`,
      );
    }
    if (reserved.has(artifact.path)) {
      throw new RangeError(`Cannot put "${artifact.path}" in the kit: the kit writes that file`);
    }
    if (seen.has(artifact.path)) {
      throw new RangeError(`Cannot put "${artifact.path}" in the kit twice`);
    }
    seen.add(artifact.path);
  }
  const lockfileDigest = options.lockfileDigest;
  if (lockfileDigest !== undefined && !/^[0-9a-f]{64}$/.test(lockfileDigest)) {
    throw new RangeError(
      "Give lockfileDigest as 64 lowercase hex digits (the sha256 of deno.lock)",
    );
  }
  const sourceCommit = text("sourceCommit", options.sourceCommit, "unknown");
  const builderId = text("builderId", options.builderId, DEFAULT_KIT_BUILDER_ID);
  const name = text("name", options.name, DEFAULT_KIT_NAME);
  const version = text("version", options.version, "unknown");
  const denoVersion = options.denoVersion === undefined
    ? undefined
    : text("denoVersion", options.denoVersion, "");
  const sourceDate = options.sourceDate ?? 0;
  const created = formatRfc3339(sourceDate);
  const guide = encodeUtf8(options.guide ?? OFFLINE_GUIDE);

  const sorted = [...artifacts].sort((a, b) => compareUtf16(a.path, b.path));
  const subjects: ResourceDescriptor[] = sorted.map((artifact) => ({
    name: artifact.path,
    digest: { sha256: encodeHex(sha256(artifact.bytes)) },
  }));

  const resolvedDependencies: ResourceDescriptor[] = [];
  if (/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sourceCommit)) {
    resolvedDependencies.push({ name: "source", digest: { gitCommit: sourceCommit } });
  }
  if (lockfileDigest !== undefined) {
    resolvedDependencies.push({ name: "deno.lock", digest: { sha256: lockfileDigest } });
  }
  const provenance = buildProvenance({
    subjects,
    buildType: KIT_BUILD_TYPE,
    builder: {
      id: builderId,
      version: denoVersion === undefined
        ? { stella: version }
        : { stella: version, deno: denoVersion },
      builderDependencies: denoVersion === undefined
        ? []
        : [{ name: "deno", uri: `pkg:generic/deno@${denoVersion}` }],
    },
    externalParameters: { source: { commit: sourceCommit }, kit: { name, version } },
    internalParameters: { sourceDateEpoch: Math.floor(sourceDate / 1000) },
    resolvedDependencies,
    startedOn: created,
    finishedOn: created,
  });
  const provenanceBytes = envelopeBytes(await signEnvelope(provenance, options.signers));

  const listed: KitManifestFile[] = [
    ...sorted.map((artifact) => describe(artifact.path, artifact.bytes, "artifact")),
    describe(KIT_FILE_NAMES.guide, guide, "guide"),
    describe(KIT_FILE_NAMES.provenance, provenanceBytes, "provenance"),
  ].sort((a, b) => compareUtf16(a.path, b.path));
  const predicate: KitManifestPredicate = { kit: { name, version }, created, files: listed };
  const manifest: Statement<KitManifestPredicate> = {
    _type: STATEMENT_TYPE_V1,
    subject: listed.map((file) => ({ name: file.path, digest: { sha256: file.sha256 } })),
    predicateType: KIT_MANIFEST_PREDICATE_TYPE,
    predicate,
  };
  const manifestBytes = envelopeBytes(await signEnvelope(manifest, options.signers));
  const sums = formatChecksums([
    ...listed,
    { path: KIT_FILE_NAMES.manifest, sha256: encodeHex(sha256(manifestBytes)) },
  ]);

  return [
    ...sorted.map((artifact) => ({ path: artifact.path, bytes: artifact.bytes })),
    { path: KIT_FILE_NAMES.guide, bytes: guide },
    { path: KIT_FILE_NAMES.provenance, bytes: provenanceBytes },
    { path: KIT_FILE_NAMES.manifest, bytes: manifestBytes },
    { path: KIT_FILE_NAMES.checksums, bytes: encodeUtf8(sums) },
  ].sort((a, b) => compareUtf16(a.path, b.path));
}

/**
 * A kit on disk (or anywhere): its file paths, a reader for the small files the verifier parses
 * (`SHA256SUMS`, `manifest.dsse.json`, `provenance.dsse.json`) and a digester for every file, so
 * large binaries can be hashed as streams.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildKit,
 *   createSigner,
 *   encodeHex,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type KitSource,
 *   sha256,
 *   trustedKeyFromPem,
 *   verifyKit,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 * });
 * const files = new Map(kit.map((f) => [f.path, f.bytes]));
 * const bytesOf = (path: string): Uint8Array => files.get(path) ?? new Uint8Array();
 * const read: string[] = [];
 * const source: KitSource = { // stands in for a directory: only small files are read whole
 *   paths: [...files.keys()],
 *   read: (path) => {
 *     read.push(path);
 *     return Promise.resolve(bytesOf(path));
 *   },
 *   digest: (path) => Promise.resolve({ sha256: encodeHex(sha256(bytesOf(path))), size: bytesOf(path).length }),
 * };
 * const report = await verifyKit(source, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(report.verified, true);
 * assert.deepEqual(read.sort(), ["SHA256SUMS", "manifest.dsse.json", "provenance.dsse.json"]);
 * ```
 */
export interface KitSource {
  /** Every regular file in the kit: relative, `/`-separated paths (any order). */
  readonly paths: readonly string[];
  /**
   * Entries of the kit that are not regular files (symbolic links, devices, pipes, sockets):
   * never read or hashed, each `KIT_FILE_NOT_REGULAR`.
   */
  readonly notRegular?: readonly string[] | undefined;
  /** Reads one file's bytes. */
  read(path: string): Promise<Uint8Array>;
  /**
   * Hashes one file: lowercase hex SHA-256 and size in bytes. With `maxBytes` (the size a
   * verified manifest lists), the source may stop after `maxBytes + 1` bytes and return that
   * count as `size`: the file is then judged larger than listed and its digest is not used.
   */
  digest(
    path: string,
    options?: { maxBytes?: number | undefined },
  ): Promise<{ sha256: string; size: number }>;
}

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
 *   trustedKeyFromPem,
 *   verifyKit,
 *   type VerifyKitOptions,
 * } from "@stellaops/provenance";
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
 *   trustedKeyFromPem,
 *   verifyKit,
 * } from "@stellaops/provenance";
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
 *   trustedKeyFromPem,
 *   verifyKit,
 * } from "@stellaops/provenance";
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

/** What a file is expected to be, and by which list. */
interface Expectation {
  sha256: string;
  size?: number;
}

/**
 * Verifies a kit: every file against the signed manifest and `SHA256SUMS`, the manifest's and
 * the provenance's signatures, and the provenance's subjects (see the module doc). Never throws
 * for a broken kit; errors of the source's `read`/`digest` are passed on.
 *
 * @param kit The kit's files (as {@link buildKit} returns them), a map of path to bytes, or a
 *   {@link KitSource}.
 * @param options Trusted keys and the evaluation time.
 * @returns The report; extra, missing and altered files are named in `files` and in `checks`.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `now` is not an integer time.
 *
 * @example Usage
 * ```ts
 * import { buildKit, createSigner, generateKeyPair, verifyKit } from "@stellaops/provenance";
 * import { exportPublicKeyPem, trustedKeyFromPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 * });
 * const files = new Map(kit.map((f) => [f.path, f.bytes]));
 * files.set("stella.js", new Uint8Array([1, 2, 4]));
 * const report = await verifyKit(files, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "KIT_FILE_ALTERED");
 * assert.deepEqual(report.files.filter((f) => f.status !== "ok").map((f) => f.path), ["stella.js"]);
 * ```
 */
export async function verifyKit(
  kit: readonly KitFile[] | ReadonlyMap<string, Uint8Array> | KitSource,
  options: VerifyKitOptions,
): Promise<KitVerificationReport> {
  if (typeof options !== "object" || options === null || !Array.isArray(options.keys)) {
    throw new TypeError("Pass verifyKit options with keys (an array) and now");
  }
  const time = formatRfc3339(options.now);
  const source = toSource(kit);
  const special = new Set(source.notRegular ?? []);
  const paths = [...new Set(source.paths)].filter((p) => !special.has(p)).sort(compareUtf16);
  const present = new Set(paths);
  const found = new Map<string, { sha256: string; size: number }>();
  /** Files hashed no further than their listed size: path → listed size. */
  const stopped = new Map<string, number>();
  const keyids = new Set<string>();
  const M = KIT_FILE_NAMES.manifest;
  const S = KIT_FILE_NAMES.checksums;

  // 1. The manifest: signature, then content.
  let manifestCheck: Check;
  let manifest: KitManifestPredicate | undefined;
  let manifestTrusted = false;
  /** sha256 of the manifest as `buildKit` writes it (canonical JSON + newline), when trusted. */
  let manifestCanonical: string | undefined;
  if (special.has(M)) {
    manifestCheck = fail("kit.manifest", "KIT_FILE_NOT_REGULAR", notRegularMessage(M));
  } else if (!present.has(M)) {
    manifestCheck = fail("kit.manifest", "KIT_FILE_MISSING", `Kit file "${M}" is missing`);
  } else {
    const bytes = await source.read(M);
    const { report } = await verifyEnvelopeWith(bytes, trustOfKeys(options.keys), {
      now: options.now,
      name: M,
    });
    const statement = decodeStatement(bytes);
    const problems = statement === undefined ? undefined : validateKitManifest(statement);
    if (statement !== undefined && problems?.length === 0) {
      manifest = (statement as unknown as Statement<KitManifestPredicate>).predicate;
    }
    if (!report.verified) {
      manifestCheck = fail(
        "kit.manifest",
        report.code!,
        `Cannot verify ${M}: ${firstFailure(report.checks)}`,
      );
    } else if (manifest === undefined) {
      const first = problems?.[0];
      manifestCheck = fail(
        "kit.manifest",
        "KIT_MANIFEST_INVALID",
        first === undefined
          ? `Cannot use ${M}: its payload is not a kit manifest`
          : `Cannot use ${M}: ${
            first.path === "" ? "(root)" : first.path
          }: ${first.code}: ${first.message}${
            problems!.length > 1 ? ` (and ${problems!.length - 1} more)` : ""
          }`,
      );
    } else {
      manifestCheck = pass("kit.manifest");
      manifestTrusted = true;
      manifestCanonical = encodeHex(sha256(envelopeBytes(parseEnvelope(bytes))));
      for (const keyid of report.keyids) keyids.add(keyid);
    }
  }

  // Every regular file, hashed once; a file the verified manifest lists no further than its size.
  const listedSizes = new Map(
    manifestTrusted && manifest !== undefined ? manifest.files.map((f) => [f.path, f.size]) : [],
  );
  for (const path of paths) {
    const maxBytes = listedSizes.get(path);
    const digest = await source.digest(path, maxBytes === undefined ? undefined : { maxBytes });
    if (maxBytes !== undefined && digest.size > maxBytes) stopped.set(path, maxBytes);
    else found.set(path, digest);
  }

  // 2. SHA256SUMS, parsed strictly.
  let sums: ChecksumEntry[] | undefined;
  let sumsText = "";
  let sumsProblem: string | undefined;
  if (present.has(S)) {
    const bytes = await source.read(S);
    try {
      sums = parseChecksums(bytes, S);
      sumsText = new TextDecoder().decode(bytes);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      sumsProblem = error.message;
    }
  }
  const sumsByPath = new Map((sums ?? []).map((entry) => [entry.path, entry.sha256]));

  // 3. Every file against the trusted manifest, else against SHA256SUMS, else the untrusted list.
  const expected = new Map<string, Expectation>();
  let listName: string;
  if (manifestTrusted && manifest !== undefined) {
    listName = "the manifest";
    for (const file of manifest.files) expected.set(file.path, file);
  } else if (sums !== undefined) {
    listName = S;
    for (const entry of sums) {
      if (entry.path !== M && entry.path !== S) expected.set(entry.path, entry);
    }
  } else if (manifest !== undefined) {
    listName = "the manifest";
    for (const file of manifest.files) expected.set(file.path, file);
  } else {
    listName = "";
  }
  const results = new Map<string, { status: KitFileStatus; detail?: string }>();
  for (const [path, expectation] of expected) {
    const actual = found.get(path);
    const listed = stopped.get(path);
    if (special.has(path)) {
      results.set(path, { status: "not-regular" });
    } else if (listed !== undefined) {
      results.set(path, {
        status: "altered",
        detail: `larger than the ${listed} bytes ${listName} lists (reading stopped after ${
          listed + 1
        } bytes)`,
      });
    } else if (actual === undefined) {
      results.set(path, { status: "missing" });
    } else if (
      actual.sha256 !== expectation.sha256 ||
      (expectation.size !== undefined && actual.size !== expectation.size)
    ) {
      results.set(path, {
        status: "altered",
        detail:
          `sha256 ${actual.sha256} (${actual.size} bytes), ${listName} says ${expectation.sha256}${
            expectation.size === undefined ? "" : ` (${expectation.size} bytes)`
          }`,
      });
    } else {
      results.set(path, { status: "ok" });
    }
  }
  // The manifest, when it cannot be trusted: altered when its digest is not the one SHA256SUMS
  // lists or, without such a line, when it is malformed or its signature is invalid. (A manifest
  // that matches SHA256SUMS but is signed by an untrusted key is intact: kit.manifest says why it
  // does not count.)
  if (special.has(M)) {
    results.set(M, { status: "not-regular" });
  } else if (!present.has(M)) {
    results.set(M, { status: "missing" });
  } else if (manifestTrusted) {
    // Signed content intact, but the bytes must be exactly what buildKit wrote, else the file
    // was rewritten (whitespace, key order) and SHA256SUMS cannot match it.
    const actual = found.get(M)!.sha256;
    results.set(
      M,
      actual === manifestCanonical ? { status: "ok" } : {
        status: "altered",
        detail:
          `sha256 ${actual}, not its canonical form (RFC 8785 JSON plus a newline), ${manifestCanonical}`,
      },
    );
  } else {
    const listed = sumsByPath.get(M);
    const actual = found.get(M)!.sha256;
    if (listed !== undefined && listed !== actual) {
      results.set(M, { status: "altered", detail: `sha256 ${actual}, ${S} says ${listed}` });
    } else if (
      listed === undefined &&
      (manifestCheck.code === "ENVELOPE_MALFORMED" || manifestCheck.code === "SIGNATURE_INVALID")
    ) {
      results.set(M, { status: "altered", detail: `${manifestCheck.code}` });
    } else {
      results.set(M, { status: "ok" });
    }
  }
  // SHA256SUMS: well-formed, and exactly what the trusted manifest implies.
  if (special.has(S)) {
    results.set(S, { status: "not-regular" });
  } else if (!present.has(S)) {
    results.set(S, { status: "missing" });
  } else if (sumsProblem !== undefined) {
    results.set(S, { status: "altered", detail: sumsProblem });
  } else if (manifestTrusted && manifest !== undefined) {
    const implied = formatChecksums([
      ...manifest.files,
      { path: M, sha256: manifestCanonical! },
    ]);
    results.set(
      S,
      implied === sumsText ? { status: "ok" } : {
        status: "altered",
        detail: `its lines differ from the manifest${describeSumsDifference(implied, sumsText)}`,
      },
    );
  } else {
    results.set(S, { status: "ok" });
  }
  for (const path of paths) {
    if (!results.has(path)) {
      results.set(path, listName === "" ? { status: "unchecked" } : { status: "extra" });
    }
  }
  for (const path of special) results.set(path, { status: "not-regular" });

  const files: KitFileResult[] = [...results.keys()].sort(compareUtf16).map((path) => {
    const actual = found.get(path);
    const result: KitFileResult = { path, status: results.get(path)!.status };
    if (actual !== undefined) {
      result.sha256 = actual.sha256;
      result.size = actual.size;
    }
    return result;
  });
  const fileChecks: Check[] = [];
  for (const file of files) {
    const detail = results.get(file.path)!.detail;
    if (file.status === "missing") {
      fileChecks.push(fail("kit.files", "KIT_FILE_MISSING", `Kit file "${file.path}" is missing`));
    } else if (file.status === "altered") {
      fileChecks.push(
        fail(
          "kit.files",
          "KIT_FILE_ALTERED",
          `Kit file "${file.path}" is altered${detail === undefined ? "" : `: ${detail}`}`,
        ),
      );
    } else if (file.status === "extra") {
      fileChecks.push(
        fail("kit.files", "KIT_FILE_EXTRA", `Kit file "${file.path}" is not listed in ${listName}`),
      );
    } else if (file.status === "not-regular") {
      fileChecks.push(fail("kit.files", "KIT_FILE_NOT_REGULAR", notRegularMessage(file.path)));
    }
  }
  if (fileChecks.length === 0) {
    fileChecks.push(
      listName === ""
        ? fail(
          "kit.files",
          "KIT_MANIFEST_INVALID",
          `Cannot check the files: no usable ${M} or ${S}`,
        )
        : pass("kit.files"),
    );
  }

  // 4. The provenance: signature, SLSA v1, subjects = the artifacts as found.
  const provenanceCheck = await checkProvenance(
    source,
    present,
    special,
    new Set([...special, ...stopped.keys()]),
    found,
    manifestTrusted ? manifest : undefined,
    options,
    keyids,
  );

  const checks = [manifestCheck, ...fileChecks, provenanceCheck];
  const failed = checks.find((check) => !check.ok);
  const report: KitVerificationReport = {
    verified: failed === undefined,
    checks,
    files,
    keyids: [...keyids].sort(compareUtf16),
    time: { value: time, source: "clock" },
  };
  if (failed?.code !== undefined) report.code = failed.code;
  if (manifest !== undefined) {
    report.kit = {
      name: manifest.kit.name,
      version: manifest.kit.version,
      created: manifest.created,
    };
  }
  return report;
}

async function checkProvenance(
  source: KitSource,
  present: ReadonlySet<string>,
  special: ReadonlySet<string>,
  unhashed: ReadonlySet<string>,
  found: ReadonlyMap<string, { sha256: string; size: number }>,
  manifest: KitManifestPredicate | undefined,
  options: VerifyKitOptions,
  keyids: Set<string>,
): Promise<Check> {
  const P = KIT_FILE_NAMES.provenance;
  if (special.has(P)) return fail("kit.provenance", "KIT_FILE_NOT_REGULAR", notRegularMessage(P));
  if (!present.has(P)) {
    return fail("kit.provenance", "KIT_FILE_MISSING", `Kit file "${P}" is missing`);
  }
  const bytes = await source.read(P);
  const { report } = await verifyEnvelopeWith(bytes, trustOfKeys(options.keys), {
    now: options.now,
    name: P,
  });
  if (!report.verified) {
    return fail(
      "kit.provenance",
      report.code!,
      `Cannot verify ${P}: ${firstFailure(report.checks)}`,
    );
  }
  for (const keyid of report.keyids) keyids.add(keyid);
  const statement = decodeStatement(bytes);
  const problems = validateProvenanceStatement(statement);
  if (problems.length > 0 || statement === undefined) {
    const first = problems[0];
    return fail(
      "kit.provenance",
      "KIT_PROVENANCE_INVALID",
      `Cannot use ${P}: it is not SLSA Provenance v1 (${SLSA_PROVENANCE_V1})${
        first === undefined ? "" : `: ${first.path === "" ? "(root)" : first.path}: ${first.code}`
      }`,
    );
  }
  const subjects = (statement as unknown as Statement).subject;
  const named = new Set<string>();
  for (const subject of subjects) {
    const name = subject.name ?? "";
    named.add(name);
    const actual = found.get(name);
    if (actual === undefined) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        unhashed.has(name)
          ? `Cannot match ${P}: its subject "${name}" was not hashed (not a regular file, or larger than the manifest lists)`
          : `Cannot match ${P}: its subject "${name}" is not in the kit`,
      );
    }
    if (subject.digest?.["sha256"] !== actual.sha256) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        `Cannot match ${P}: its subject "${name}" has another sha256 than the kit's file`,
      );
    }
  }
  for (const file of manifest?.files ?? []) {
    if (file.role === "artifact" && !named.has(file.path)) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        `Cannot match ${P}: the artifact "${file.path}" is not one of its subjects`,
      );
    }
  }
  return pass("kit.provenance");
}

function notRegularMessage(path: string): string {
  return `Kit file "${path}" is not a regular file (a symbolic link, device, pipe or socket): it was not read`;
}

function text(field: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new TypeError(`Pass ${field} as a string`);
  // deno-lint-ignore no-control-regex
  if (value === "" || value.length > 1024 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new RangeError(`Give ${field} as non-empty text without control characters`);
  }
  return value;
}

function describe(path: string, bytes: Uint8Array, role: KitFileRole): KitManifestFile {
  return { path, sha256: encodeHex(sha256(bytes)), size: bytes.length, role };
}

function envelopeBytes(envelope: DsseEnvelope): Uint8Array<ArrayBuffer> {
  return encodeUtf8(serializeEnvelope(envelope) + "\n");
}

/** The envelope's payload as JSON, or `undefined` when the envelope or payload does not parse. */
function decodeStatement(bytes: Uint8Array): JsonObject | undefined {
  try {
    const value = parseJson(parseEnvelope(bytes).payloadBytes);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as JsonObject
      : undefined;
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

function firstFailure(checks: readonly Check[]): string {
  const failed = checks.find((check) => !check.ok);
  return failed === undefined ? "not verified" : `${failed.id}: ${failed.message ?? failed.code}`;
}

function describeSumsDifference(implied: string, actual: string): string {
  const want = implied.split("\n");
  const got = actual.split("\n");
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return ` (first difference on line ${i + 1})`;
  }
  return "";
}

function toSource(
  kit: readonly KitFile[] | ReadonlyMap<string, Uint8Array> | KitSource,
): KitSource {
  let map: ReadonlyMap<string, Uint8Array>;
  if (Array.isArray(kit)) {
    const files = new Map<string, Uint8Array>();
    for (const [i, file] of (kit as readonly KitFile[]).entries()) {
      if (typeof file?.path !== "string" || !(file.bytes instanceof Uint8Array)) {
        throw new TypeError(`Pass kit[${i}] as { path, bytes }`);
      }
      files.set(file.path, file.bytes);
    }
    map = files;
  } else if (kit instanceof Map) {
    map = kit;
  } else if (
    typeof kit === "object" && kit !== null && Array.isArray((kit as KitSource).paths) &&
    typeof (kit as KitSource).read === "function" && typeof (kit as KitSource).digest === "function"
  ) {
    return kit as KitSource;
  } else {
    throw new TypeError("Pass the kit as files, a Map of path to bytes, or a KitSource");
  }
  return {
    paths: [...map.keys()],
    read: (path) => Promise.resolve(map.get(path) ?? new Uint8Array()),
    digest: (path) => {
      const bytes = map.get(path) ?? new Uint8Array();
      return Promise.resolve({ sha256: encodeHex(sha256(bytes)), size: bytes.length });
    },
  };
}
