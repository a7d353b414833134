/**
 * Where `verifyKit` reads a kit from: a {@link KitSource} (paths, a reader for the small files it
 * parses, a digester for every file, and the paths that are not regular files), or kit files and
 * maps of path to bytes, which {@link toSource} adapts.
 *
 * @module
 */

import { encodeHex } from "../encoding/bytes.ts";
import { sha256 } from "../digest/digest.ts";
import type { KitFile } from "./build_kit.ts";

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
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type KitSource,
 *   verifyKit,
 * } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
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

/** Adapts kit files or a map of path to bytes to a {@link KitSource}; passes a source through. */
export function toSource(
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
