/**
 * Building RFC 9162 Merkle trees (§2.1.1 `MTH`): roots of leaf hashes, of data and of digest
 * strings, and the inclusion (§2.1.3.1) and consistency (§2.1.4.1) proofs of a tree one holds.
 * Hashing and proof verification: `merkle.ts`.
 *
 * Tree building hashes 32-bit words in a hand-written SHA-256 (`_sha256_words.ts`): 1,000,000
 * leaves take two million hashes, and a `node:crypto` call per hash would spend most of its time in
 * the binding (see `bench/merkle_bench.ts` and `bench/merkle_vs_openssl.ts`).
 *
 * @module
 */

import { parseDigest } from "./digest_set.ts";
import { bytesToWords, hashPrefixedWords, reduceWords, wordsToBytes } from "./_sha256_words.ts";
import {
  checkArray,
  checkBytes,
  emptyRoot,
  MERKLE_HASH_SIZE,
  toArrayIndex,
  UTF8,
} from "./merkle.ts";

/**
 * Computes the Merkle Tree Hash (RFC 9162 §2.1.1) over leaf hashes (each `hashLeaf(entry)`).
 *
 * Runs synchronously on the calling thread; the n − 1 node hashes of a million leaves take about
 * half a second on one x86-64 core (`bench/merkle_bench.ts`).
 *
 * @param leafHashes The leaf hashes in tree order, 32 bytes each.
 * @returns The 32-byte root; the empty tree's hash for no leaves.
 * @throws {TypeError} When `leafHashes` is not an array of `Uint8Array`.
 * @throws {RangeError} When a leaf hash is not 32 bytes.
 *
 * @example Usage
 * ```ts
 * import { hashLeaf, merkleRoot } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const leaves = ["", "00", "10"].map((hex) => hashLeaf(Uint8Array.fromHex(hex)));
 * assert.equal(
 *   encodeHex(merkleRoot(leaves)),
 *   "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
 * );
 * ```
 */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const words = leafHashWords(leafHashes, "merkleRoot");
  return rootOfWords(words, leafHashes.length);
}

/**
 * Computes the Merkle Tree Hash (RFC 9162 §2.1.1) over raw entries: each entry is hashed with
 * {@link hashLeaf}, then the tree is built as in {@link merkleRoot}.
 *
 * @param entries The leaf entries in tree order (any lengths).
 * @returns The 32-byte root; the empty tree's hash for no entries.
 * @throws {TypeError} When `entries` is not an array of `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { merkleRootOfData } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const entries = ["", "00", "10", "2021"].map((hex) => Uint8Array.fromHex(hex));
 * assert.equal(
 *   encodeHex(merkleRootOfData(entries)),
 *   "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
 * );
 * ```
 */
export function merkleRootOfData(entries: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  checkArray(entries, "merkleRootOfData", "entries");
  const n = entries.length;
  const words = new Int32Array(8 * n);
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    checkBytes(entry, `entries[${i}]`);
    hashPrefixedWords(0x00, entry, undefined, words, 8 * i);
  }
  return rootOfWords(words, n);
}

/**
 * Computes the Merkle root that commits to a SET of artifact digests (the subjects or materials
 * of a build), returned as `sha256:<hex>`.
 *
 * Exactly these bytes are hashed: each input must already be a canonical digest string as
 * {@link parseDigest} accepts it (`sha256`, `sha384` or `sha512`, a colon, lowercase hex of the
 * exact length; nothing is normalised). Duplicates are removed (the root commits to a set, so
 * listing a digest twice does not change it), the strings are sorted by UTF-16 code units (for
 * these ASCII strings, the same as byte order), and leaf i of the RFC 9162 tree is the UTF-8 (=
 * ASCII) encoding of the i-th string, without separator or newline: leaf hash
 * `SHA-256(0x00 ‖ "sha256:…")`. The root is {@link merkleRootOfData} of those entries; an empty
 * list gives the empty tree's hash.
 *
 * @param digests The digest strings, in any order.
 * @returns The root as `sha256:<64 lowercase hex>`.
 * @throws {TypeError} When `digests` is not an array.
 * @throws {ParseError} `DIGEST_INVALID` when an element is not a canonical digest string.
 *
 * @example Usage
 * ```ts
 * import { formatDigest } from "@stellaops/provenance";
 * import { hashLeaf, merkleRoot, merkleRootOfDigests, sha256 } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const a = formatDigest("sha256", sha256(new TextEncoder().encode("a")));
 * const b = formatDigest("sha256", sha256(new TextEncoder().encode("b")));
 * const root = merkleRootOfDigests([b, a, b]);
 * assert.equal(root, merkleRootOfDigests([a, b]));
 * const [first, second] = [a, b].sort().map((s) => hashLeaf(new TextEncoder().encode(s)));
 * assert.equal(root, formatDigest("sha256", merkleRoot([first!, second!])));
 * ```
 */
export function merkleRootOfDigests(digests: readonly string[]): string {
  checkArray(digests, "merkleRootOfDigests", "digests");
  const unique = new Set<string>();
  for (let i = 0; i < digests.length; i++) {
    const digest = digests[i]!;
    parseDigest(digest, `digests[${i}]`);
    unique.add(digest);
  }
  const sorted = [...unique].sort();
  const words = new Int32Array(8 * sorted.length);
  const buffer = new Uint8Array(256);
  for (let i = 0; i < sorted.length; i++) {
    const { written } = UTF8.encodeInto(sorted[i]!, buffer);
    hashPrefixedWords(0x00, buffer.subarray(0, written), undefined, words, 8 * i);
  }
  return "sha256:" + rootOfWords(words, sorted.length).toHex();
}

/**
 * Builds the inclusion proof (audit path, RFC 9162 §2.1.3.1 `PATH(m, D[n])`) of one leaf.
 *
 * @param leafHashes Every leaf hash of the tree, in order, 32 bytes each.
 * @param index Zero-based index of the leaf to prove.
 * @returns The audit path, leaf's sibling first; empty for a one-leaf tree.
 * @throws {TypeError} When the arguments have the wrong types.
 * @throws {RangeError} When a leaf hash is not 32 bytes or `index` is not below the tree size.
 *
 * @example Usage
 * ```ts
 * import {
 *   hashLeaf,
 *   inclusionProof,
 *   merkleRoot,
 *   verifyInclusion,
 * } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const leaves = [1, 2, 3, 4, 5].map((i) => hashLeaf(Uint8Array.of(i)));
 * const hashes = inclusionProof(leaves, 3);
 * assert.equal(hashes.length, 3);
 * const verdict = verifyInclusion(
 *   { leafIndex: 3, treeSize: 5, hashes },
 *   { leafHash: leaves[3]!, rootHash: merkleRoot(leaves) },
 * );
 * assert.deepEqual(verdict, { ok: true });
 * ```
 */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number | bigint,
): Uint8Array<ArrayBuffer>[] {
  const words = leafHashWords(leafHashes, "inclusionProof");
  const n = leafHashes.length;
  const m = toArrayIndex(index, "index", "inclusionProof");
  if (m >= n) {
    throw new RangeError(`Cannot build inclusion proof: index ${m} is not below tree size ${n}`);
  }
  const path: Uint8Array<ArrayBuffer>[] = [];
  let start = 0;
  let end = n;
  let offset = m;
  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) when m < k, else PATH(m − k, D[k:n]) : MTH(D[0:k]).
  // Walking down from the root collects the siblings root-first; the proof lists them leaf-first.
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (offset < k) {
      path.push(rangeRoot(words, start + k, end));
      end = start + k;
    } else {
      path.push(rangeRoot(words, start, start + k));
      start += k;
      offset -= k;
    }
  }
  return path.reverse();
}

/**
 * Builds the consistency proof (RFC 9162 §2.1.4.1 `PROOF(m, D[n])`) between the tree of the first
 * `oldSize` leaves and the tree of all leaves.
 *
 * @param leafHashes Every leaf hash of the newer tree, in order, 32 bytes each.
 * @param oldSize Size of the older tree, from 1 to `leafHashes.length`.
 * @returns The proof nodes; empty when `oldSize` equals the tree size.
 * @throws {TypeError} When the arguments have the wrong types.
 * @throws {RangeError} When a leaf hash is not 32 bytes or `oldSize` is 0 or above the tree size.
 *
 * @example Usage
 * ```ts
 * import {
 *   consistencyProof,
 *   hashLeaf,
 *   merkleRoot,
 *   verifyConsistency,
 * } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const leaves = [1, 2, 3, 4, 5, 6, 7].map((i) => hashLeaf(Uint8Array.of(i)));
 * const hashes = consistencyProof(leaves, 3);
 * const verdict = verifyConsistency(
 *   { oldSize: 3, newSize: 7, hashes },
 *   { oldRoot: merkleRoot(leaves.slice(0, 3)), newRoot: merkleRoot(leaves) },
 * );
 * assert.deepEqual(verdict, { ok: true });
 * ```
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  oldSize: number | bigint,
): Uint8Array<ArrayBuffer>[] {
  const words = leafHashWords(leafHashes, "consistencyProof");
  const n = leafHashes.length;
  const m = toArrayIndex(oldSize, "oldSize", "consistencyProof");
  if (m === 0 || m > n) {
    throw new RangeError(
      `Cannot build consistency proof: oldSize ${m} must be from 1 to the tree size ${n}`,
    );
  }
  // SUBPROOF(m, D[n], b): m == n → [] if b else [MTH(D[n])]; m ≤ k → SUBPROOF(m, D[0:k], b) :
  // MTH(D[k:n]); else SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k]). Collected root-first, reversed.
  const proof: Uint8Array<ArrayBuffer>[] = [];
  let start = 0;
  let end = n;
  let size = m;
  let complete = true;
  while (size !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (size <= k) {
      proof.push(rangeRoot(words, start + k, end));
      end = start + k;
    } else {
      proof.push(rangeRoot(words, start, start + k));
      start += k;
      size -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rangeRoot(words, start, end));
  return proof.reverse();
}

/** The largest power of two strictly below n (n ≥ 2), the split point k of RFC 9162 §2.1.1. */
function largestPowerOfTwoBelow(n: number): number {
  return 2 ** (31 - Math.clz32(n - 1));
}

function rootOfWords(words: Int32Array, n: number): Uint8Array<ArrayBuffer> {
  if (n === 0) return emptyRoot();
  reduceWords(words, n);
  return wordsToBytes(words, 0);
}

/** MTH of leaves [start, end) (end > start) of a word array, which is left unchanged. */
function rangeRoot(words: Int32Array, start: number, end: number): Uint8Array<ArrayBuffer> {
  if (end - start === 1) return wordsToBytes(words, 8 * start);
  const copy = words.slice(8 * start, 8 * end);
  reduceWords(copy, end - start);
  return wordsToBytes(copy, 0);
}

function leafHashWords(leafHashes: readonly Uint8Array[], fn: string): Int32Array {
  checkArray(leafHashes, fn, "leafHashes");
  const n = leafHashes.length;
  const words = new Int32Array(8 * n);
  for (let i = 0; i < n; i++) {
    const leaf = leafHashes[i];
    checkBytes(leaf, `leafHashes[${i}]`);
    if (leaf.length !== MERKLE_HASH_SIZE) {
      throw new RangeError(`Cannot run ${fn}: leafHashes[${i}] has ${leaf.length} bytes, not 32`);
    }
    bytesToWords(leaf, words, 8 * i);
  }
  return words;
}
