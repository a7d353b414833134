/**
 * The offline kit's manifest: an in-toto Statement v1 (in-toto attestation spec `statement.md`)
 * with `predicateType: stella.ops/kit-manifest@v1`, signed as a DSSE envelope into
 * `manifest.dsse.json`. It lists every file of the kit except itself and `SHA256SUMS` (which is
 * derived from it): path, SHA-256, size and role. The subjects repeat the files as in-toto
 * ResourceDescriptors (`name` = path, `digest.sha256`) so generic in-toto tooling sees them too.
 *
 * ```json
 * { "kit": { "name": "stella-offline-kit", "version": "0.1.0" },
 *   "created": "2025-01-31T12:00:00Z",
 *   "files": [{ "path": "stella.js", "sha256": "…", "size": 440595, "role": "artifact" }] }
 * ```
 *
 * Problem codes of {@link validateKitManifest} (besides the Statement codes of `statement.ts`):
 *
 * | code | meaning |
 * | --- | --- |
 * | `PREDICATE_TYPE_MISMATCH` | `predicateType` is not {@link KIT_MANIFEST_PREDICATE_TYPE} |
 * | `TYPE_MISMATCH` | a field has the wrong JSON type |
 * | `KIT_FIELD_INVALID` | `kit.name`/`kit.version` empty, `created` not RFC 3339 UTC, a digest not 64 lowercase hex, a size not a non-negative integer, an unknown role, no files |
 * | `KIT_PATH_INVALID` | a path is not a plain relative path (no `..`, backslashes, control characters) |
 * | `KIT_PATH_RESERVED` | a file is named `SHA256SUMS` or `manifest.dsse.json` (those are not listed) |
 * | `KIT_PATH_DUPLICATE` | a path is listed twice |
 * | `KIT_SUBJECT_MISMATCH` | the subjects are not exactly the files (name and sha256) |
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { validateStatement } from "../model/statement.ts";
import { isKitPath } from "./_path.ts";
import { isObject } from "../encoding/json_value.ts";

/** `predicateType` of the kit manifest. */
export const KIT_MANIFEST_PREDICATE_TYPE = "stella.ops/kit-manifest@v1";

/** The fixed file names of a kit, besides its artifacts. */
export const KIT_FILE_NAMES: Readonly<{
  /** coreutils checksums of every other file. */
  checksums: "SHA256SUMS";
  /** The signed manifest. */
  manifest: "manifest.dsse.json";
  /** The signed SLSA Provenance v1 of the kit's artifacts. */
  provenance: "provenance.dsse.json";
  /** Instructions for operators. */
  guide: "OFFLINE.md";
}> = Object.freeze({
  checksums: "SHA256SUMS",
  manifest: "manifest.dsse.json",
  provenance: "provenance.dsse.json",
  guide: "OFFLINE.md",
});

/** What a listed file is: a shipped artifact, the operator guide, or the kit's provenance. */
export const KIT_FILE_ROLES = ["artifact", "guide", "provenance"] as const;

/** One of {@link KIT_FILE_ROLES}. */
export type KitFileRole = typeof KIT_FILE_ROLES[number];

/**
 * One file listed in the manifest.
 *
 * @example Usage
 * ```ts
 * import { type KitManifestFile } from "@stellaops/provenance/kit";
 * import { validateKitManifest } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * const manifestOf = (files: KitManifestFile[]) => ({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: files.map((f) => ({ name: f.path, digest: { sha256: f.sha256 } })),
 *   predicateType: "stella.ops/kit-manifest@v1",
 *   predicate: { kit: { name: "stella-offline-kit", version: "0.1.0" }, created: "2025-01-31T12:00:00Z", files },
 * });
 * const file: KitManifestFile = { path: "stella.js", sha256: "ab".repeat(32), size: 3, role: "artifact" };
 * assert.deepEqual(validateKitManifest(manifestOf([file])), []);
 * const sums: KitManifestFile = { ...file, path: "SHA256SUMS" };
 * assert.deepEqual(validateKitManifest(manifestOf([file, sums])).map((p) => [p.path, p.code]), [
 *   ["/predicate/files/1/path", "KIT_PATH_RESERVED"],
 * ]);
 * ```
 */
export interface KitManifestFile {
  /** Relative, `/`-separated path inside the kit. */
  path: string;
  /** Lowercase hex SHA-256 of the file. */
  sha256: string;
  /** Size in bytes. */
  size: number;
  /** What the file is. */
  role: KitFileRole;
}

/**
 * The `stella.ops/kit-manifest@v1` predicate.
 *
 * @example Usage
 * ```ts
 * import { type KitManifestPredicate } from "@stellaops/provenance/kit";
 * import { validateKitManifest } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * const sha256 = "ab".repeat(32);
 * const manifestOf = (predicate: KitManifestPredicate) => ({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "stella.js", digest: { sha256 } }],
 *   predicateType: "stella.ops/kit-manifest@v1",
 *   predicate,
 * });
 * const predicate: KitManifestPredicate = {
 *   kit: { name: "stella-offline-kit", version: "0.1.0" },
 *   created: "2025-01-31T12:00:00Z",
 *   files: [{ path: "stella.js", sha256, size: 3, role: "artifact" }],
 * };
 * assert.deepEqual(validateKitManifest(manifestOf(predicate)), []);
 * const local = { ...predicate, created: "2025-01-31T13:00:00+01:00" }; // the instant is right, not UTC
 * assert.deepEqual(validateKitManifest(manifestOf(local)), [{
 *   path: "/predicate/created",
 *   code: "KIT_FIELD_INVALID",
 *   message: "Set created to an RFC 3339 UTC time like 2025-01-31T12:00:00Z",
 * }]);
 * ```
 */
export interface KitManifestPredicate {
  /** Name and version of what the kit ships. */
  kit: { name: string; version: string };
  /** The source date of the build (RFC 3339, UTC), never the wall clock. */
  created: string;
  /** Every file of the kit except `manifest.dsse.json` and `SHA256SUMS`, sorted by path. */
  files: KitManifestFile[];
}

/**
 * Validates a kit manifest statement (the decoded payload of `manifest.dsse.json`) and names every
 * problem.
 *
 * @param value The candidate statement.
 * @returns Every problem found (empty when valid); codes are listed in the module documentation.
 *
 * @example Usage
 * ```ts
 * import { validateKitManifest } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * const sha256 = "ab".repeat(32);
 * const statement = {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "stella.js", digest: { sha256 } }],
 *   predicateType: "stella.ops/kit-manifest@v1",
 *   predicate: {
 *     kit: { name: "stella-offline-kit", version: "0.1.0" },
 *     created: "1970-01-01T00:00:00Z",
 *     files: [{ path: "stella.js", sha256, size: 3, role: "artifact" }],
 *   },
 * };
 * assert.deepEqual(validateKitManifest(statement), []);
 * statement.predicate.files[0]!.path = "../stella.js";
 * assert.deepEqual(validateKitManifest(statement).map((p) => p.code), [
 *   "KIT_PATH_INVALID",
 *   "KIT_SUBJECT_MISMATCH",
 * ]);
 * ```
 */
export function validateKitManifest(value: unknown): Problem[] {
  const problems = validateStatement(value);
  if (!isObject(value)) return problems;
  if (value["predicateType"] !== KIT_MANIFEST_PREDICATE_TYPE) {
    problems.push({
      path: "/predicateType",
      code: "PREDICATE_TYPE_MISMATCH",
      message: `Set predicateType to ${KIT_MANIFEST_PREDICATE_TYPE}`,
    });
  }
  const predicate = value["predicate"];
  if (!isObject(predicate)) {
    if (predicate !== undefined) problems.push(typeMismatch("/predicate", "an object"));
    return problems;
  }
  const kit = predicate["kit"];
  if (!isObject(kit)) {
    problems.push(typeMismatch("/predicate/kit", "an object with name and version"));
  } else {
    for (const field of ["name", "version"] as const) {
      if (typeof kit[field] !== "string" || kit[field] === "") {
        problems.push(invalid(`/predicate/kit/${field}`, `Set kit.${field} to a non-empty string`));
      }
    }
  }
  if (!isUtcTime(predicate["created"])) {
    problems.push(
      invalid(
        "/predicate/created",
        "Set created to an RFC 3339 UTC time like 2025-01-31T12:00:00Z",
      ),
    );
  }
  const files = predicate["files"];
  if (!Array.isArray(files)) {
    problems.push(typeMismatch("/predicate/files", "an array of files"));
    return problems;
  }
  if (files.length === 0) problems.push(invalid("/predicate/files", "List at least one file"));
  const seen = new Set<string>();
  const listed: string[] = [];
  for (const [i, file] of files.entries()) {
    const at = `/predicate/files/${i}`;
    if (!isObject(file)) {
      problems.push(typeMismatch(at, "a file object"));
      continue;
    }
    const path = file["path"];
    if (!isKitPath(path)) {
      problems.push({
        path: `${at}/path`,
        code: "KIT_PATH_INVALID",
        message: "Use a relative path without empty, . or .. segments, backslashes or controls",
      });
    } else if (path === KIT_FILE_NAMES.checksums || path === KIT_FILE_NAMES.manifest) {
      problems.push({
        path: `${at}/path`,
        code: "KIT_PATH_RESERVED",
        message: `Do not list ${path}: it is not covered by the manifest`,
      });
    } else if (seen.has(path)) {
      problems.push({
        path: `${at}/path`,
        code: "KIT_PATH_DUPLICATE",
        message: `List "${path}" once`,
      });
    } else {
      seen.add(path);
    }
    const sha256 = file["sha256"];
    if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) {
      problems.push(invalid(`${at}/sha256`, "Give the sha256 as 64 lowercase hex digits"));
    }
    const size = file["size"];
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      problems.push(invalid(`${at}/size`, "Give the size as a non-negative integer"));
    }
    const role = file["role"];
    if (!(KIT_FILE_ROLES as readonly unknown[]).includes(role)) {
      problems.push(invalid(`${at}/role`, `Set role to one of ${KIT_FILE_ROLES.join(", ")}`));
    }
    listed.push(`${String(path)}\n${String(sha256)}`);
  }
  const subjects = Array.isArray(value["subject"]) ? value["subject"] : [];
  const named = subjects.map((s) =>
    isObject(s) && isObject(s["digest"])
      ? `${String(s["name"])}\n${String(s["digest"]["sha256"])}`
      : ""
  );
  if (
    named.length !== listed.length ||
    [...named].sort().join("\0") !== [...listed].sort().join("\0")
  ) {
    problems.push({
      path: "/subject",
      code: "KIT_SUBJECT_MISMATCH",
      message: "List exactly the manifest's files as subjects (name = path, digest.sha256)",
    });
  }
  return problems;
}

type UnknownObject = { [key: string]: unknown };

function isUtcTime(value: unknown): boolean {
  if (typeof value !== "string" || !value.endsWith("Z")) return false;
  try {
    parseRfc3339(value);
    return true;
  } catch {
    return false;
  }
}

function typeMismatch(path: string, expected: string): Problem {
  return { path, code: "TYPE_MISMATCH", message: `Give ${expected}` };
}

function invalid(path: string, message: string): Problem {
  return { path, code: "KIT_FIELD_INVALID", message };
}
