/**
 * Building the offline kit: what operators carry into an air-gapped site.
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
 * Checking a kit: `verify_kit.ts`.
 *
 * @module
 */

import { encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import { type DsseEnvelope, serializeEnvelope } from "../model/dsse.ts";
import { buildProvenance } from "../model/build_provenance.ts";
import { type ResourceDescriptor, type Statement, STATEMENT_TYPE_V1 } from "../model/statement.ts";
import { signEnvelope } from "../sign/envelope.ts";
import type { Signer } from "../crypto/signer.ts";
import { formatChecksums } from "./checksums.ts";
import {
  KIT_FILE_NAMES,
  KIT_MANIFEST_PREDICATE_TYPE,
  type KitFileRole,
  type KitManifestFile,
  type KitManifestPredicate,
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
 *   generateKeyPair,
 *   parseEnvelope,
 *   parseStatement,
 * } from "@stellaops/provenance";
 * import { evaluatePointer } from "@stellaops/provenance/encoding";
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
 * import { exportPublicKeyPem } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
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

/** The envelope as the kit stores it: its JSON plus a newline. */
export function envelopeBytes(envelope: DsseEnvelope): Uint8Array<ArrayBuffer> {
  return encodeUtf8(serializeEnvelope(envelope) + "\n");
}
