/**
 * SHA-2 digests of bytes and of streams (FIPS 180-4 §6.2 SHA-256, §6.5 SHA-384, §6.4 SHA-512).
 *
 * Hashing runs in native code through `node:crypto` `createHash` (the tests check every algorithm
 * against WebCrypto `crypto.subtle.digest`). {@link digestStream} hashes a stream chunk by chunk,
 * so memory stays constant whatever the input size; this module never opens files, callers pass
 * a stream (the CLI passes `Deno.FsFile.readable`).
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";

/**
 * The digest algorithms the toolkit computes, in order of preference.
 *
 * @example Usage
 * ```ts
 * import { DIGEST_ALGORITHMS, digestBytes } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const sizes = DIGEST_ALGORITHMS.map((a) => digestBytes(a, new Uint8Array()).length);
 * assert.deepEqual(sizes, [32, 48, 64]);
 * ```
 */
export const DIGEST_ALGORITHMS = ["sha256", "sha384", "sha512"] as const;

/** One of {@link DIGEST_ALGORITHMS}. */
export type DigestAlgorithm = typeof DIGEST_ALGORITHMS[number];

const DIGEST_SIZES: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/**
 * Tells whether a value names one of {@link DIGEST_ALGORITHMS}.
 *
 * @param value Any value, e.g. the algorithm part of `sha256:<hex>`.
 * @returns `true` for `"sha256"`, `"sha384"` and `"sha512"` (exact spelling, lowercase).
 *
 * @example Usage
 * ```ts
 * import { isDigestAlgorithm } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * assert.equal(isDigestAlgorithm("sha384"), true);
 * assert.equal(isDigestAlgorithm("SHA256"), false);
 * assert.equal(isDigestAlgorithm("md5"), false);
 * ```
 */
export function isDigestAlgorithm(value: unknown): value is DigestAlgorithm {
  return value === "sha256" || value === "sha384" || value === "sha512";
}

/**
 * Returns the digest size of an algorithm in bytes.
 *
 * @param algorithm One of {@link DIGEST_ALGORITHMS}.
 * @returns 32 for SHA-256, 48 for SHA-384, 64 for SHA-512.
 * @throws {TypeError} When the algorithm is not one of {@link DIGEST_ALGORITHMS}.
 *
 * @example Usage
 * ```ts
 * import { digestSize } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * assert.equal(digestSize("sha384"), 48);
 * ```
 */
export function digestSize(algorithm: DigestAlgorithm): number {
  checkAlgorithm(algorithm);
  return DIGEST_SIZES[algorithm];
}

/**
 * Computes the digest of bytes in one call.
 *
 * @param algorithm One of {@link DIGEST_ALGORITHMS}.
 * @param bytes The bytes to hash.
 * @returns The digest (32, 48 or 64 bytes).
 * @throws {TypeError} When the algorithm is unknown or `bytes` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { digestBytes } from "@stellaops/provenance";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const digest = digestBytes("sha256", new TextEncoder().encode("abc"));
 * assert.equal(encodeHex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export function digestBytes(
  algorithm: DigestAlgorithm,
  bytes: Uint8Array,
): Uint8Array<ArrayBuffer> {
  checkAlgorithm(algorithm);
  checkBytes(bytes, "bytes");
  return new Uint8Array(createHash(algorithm).update(bytes).digest());
}

/**
 * Computes the SHA-256 digest of bytes (shorthand for `digestBytes("sha256", bytes)`).
 *
 * @param bytes The bytes to hash.
 * @returns The 32-byte digest.
 * @throws {TypeError} When `bytes` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   encodeHex(sha256(new Uint8Array())),
 *   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 */
export function sha256(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return digestBytes("sha256", bytes);
}

/**
 * Computes the digest of a stream chunk by chunk, in constant memory (no chunk is kept after it
 * has been hashed), so multi-gigabyte files hash without being buffered.
 *
 * A `ReadableStream` is read to its end; if a chunk is not a `Uint8Array` the stream is cancelled.
 *
 * @param algorithm One of {@link DIGEST_ALGORITHMS}.
 * @param source A byte stream (e.g. `Deno.FsFile.readable`) or any async iterable of byte chunks.
 * @returns The digest of the concatenated chunks.
 * @throws {TypeError} When the algorithm is unknown or a chunk is not a `Uint8Array`; errors of
 *   the stream itself are passed on unchanged.
 *
 * @example Usage
 * ```ts
 * import { digestStream } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder();
 * const stream = ReadableStream.from([text.encode("a"), text.encode("bc")]);
 * const digest = await digestStream("sha256", stream);
 * assert.equal(encodeHex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export async function digestStream(
  algorithm: DigestAlgorithm,
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer>> {
  const hasher = new Hasher(algorithm);
  for await (const chunk of source) hasher.update(chunk);
  return hasher.digest();
}

/**
 * Incremental hasher: feed chunks with {@link Hasher.update}, then call {@link Hasher.digest}
 * once. Use it to hash data while it is copied elsewhere, or when chunks arrive from callbacks.
 *
 * @example Usage
 * ```ts
 * import { Hasher } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const hasher = new Hasher("sha256");
 * hasher.update(new TextEncoder().encode("a")).update(new TextEncoder().encode("bc"));
 * assert.equal(
 *   encodeHex(hasher.digest()),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * assert.throws(() => hasher.digest(), TypeError);
 * ```
 */
export class Hasher {
  readonly #algorithm: DigestAlgorithm;
  #hash: Hash | undefined;

  /**
   * Starts a new digest computation.
   *
   * @param algorithm One of {@link DIGEST_ALGORITHMS}.
   * @throws {TypeError} When the algorithm is unknown.
   */
  constructor(algorithm: DigestAlgorithm) {
    checkAlgorithm(algorithm);
    this.#algorithm = algorithm;
    this.#hash = createHash(algorithm);
  }

  /** The algorithm this hasher computes. */
  get algorithm(): DigestAlgorithm {
    return this.#algorithm;
  }

  /**
   * Adds bytes to the digest. The bytes are hashed at once and not kept.
   *
   * @param bytes The next chunk.
   * @returns This hasher, for chaining.
   * @throws {TypeError} When `bytes` is not a `Uint8Array` or the digest was already taken.
   */
  update(bytes: Uint8Array): this {
    checkBytes(bytes, "chunk");
    this.#live().update(bytes);
    return this;
  }

  /**
   * Finishes the computation. The hasher cannot be used afterwards.
   *
   * @returns The digest of every chunk passed to {@link Hasher.update}.
   * @throws {TypeError} When the digest was already taken.
   */
  digest(): Uint8Array<ArrayBuffer> {
    const hash = this.#live();
    this.#hash = undefined;
    return new Uint8Array(hash.digest());
  }

  #live(): Hash {
    if (this.#hash === undefined) {
      throw new TypeError(`Cannot use ${this.#algorithm} hasher: its digest was already taken`);
    }
    return this.#hash;
  }
}

function checkAlgorithm(algorithm: unknown): asserts algorithm is DigestAlgorithm {
  if (!isDigestAlgorithm(algorithm)) {
    throw new TypeError(
      `Cannot hash: unknown digest algorithm ${JSON.stringify(String(algorithm))}, ` +
        `expected one of ${DIGEST_ALGORITHMS.join(", ")}`,
    );
  }
}

function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`Cannot hash ${what}: expected a Uint8Array, got ${typeName(value)}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}
