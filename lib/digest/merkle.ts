/**
 * Merkle hash trees of RFC 9162 §2.1 (the same trees as RFC 6962 §2.1), with SHA-256, as
 * Certificate Transparency, Sigstore Rekor and transparency-dev/merkle build them: the hashes and
 * proof verification. Building roots and proofs of a tree one holds (`merkleRoot`,
 * `inclusionProof`, `consistencyProof`, ...) is in `merkle_tree.ts`.
 *
 * - §2.1.1 Merkle Tree Hash: {@link hashLeaf} `= SHA-256(0x00 ‖ d)`, {@link hashChildren}
 *   `= SHA-256(0x01 ‖ left ‖ right)`, the empty tree's hash `SHA-256("")` ({@link emptyRoot}).
 * - §2.1.3.2 inclusion proof verification: {@link verifyInclusion},
 *   {@link rootFromInclusionProof}.
 * - §2.1.4.2 consistency proof verification: {@link verifyConsistency}.
 *
 * Verification returns a {@link MerkleVerdict} instead of throwing, so the verify layer can report
 * it as a check; it also applies the edge rules of transparency-dev/merkle's `proof` package
 * (index below size, leaf hash of exactly 32 bytes, proof of exactly the required length, no
 * consistency proof from the empty tree, equal sizes need an empty proof and equal roots). Sizes
 * and indices are `number | bigint`, so trees of up to 2^64 − 1 leaves verify.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { bytesToWords, hashNodeWords, hashPrefixedWords, wordsToBytes } from "./_sha256_words.ts";
import type { MerkleFailureCode } from "../encoding/error_codes.ts";
export { MERKLE_FAILURE_CODES } from "../encoding/error_codes.ts";
export type { MerkleFailureCode } from "../encoding/error_codes.ts";

/** Size in bytes of every hash in these trees (SHA-256). */
export const MERKLE_HASH_SIZE = 32;

/** Hex of the empty tree's hash, `SHA-256("")` (RFC 9162 §2.1.1). */
export const EMPTY_ROOT_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * The outcome of {@link verifyInclusion} or {@link verifyConsistency}: `{ ok: true }`, or the
 * reason it failed as a stable code and a human-readable message. The verify layer turns it into a
 * check of its report.
 */
export type MerkleVerdict =
  | { ok: true }
  | { ok: false; code: MerkleFailureCode; message: string };

/** An inclusion proof (RFC 9162 §2.1.3): the audit path of one leaf in a tree of a given size. */
export interface InclusionProof {
  /** Zero-based index of the leaf. */
  leafIndex: number | bigint;
  /** Number of leaves in the tree. */
  treeSize: number | bigint;
  /** The audit path, from the leaf's sibling up to the root's child (32 bytes each). */
  hashes: readonly Uint8Array[];
}

/** What {@link verifyInclusion} checks the proof against. */
export interface VerifyInclusionOptions {
  /** The leaf's hash, `hashLeaf(entry)` (32 bytes). */
  leafHash: Uint8Array;
  /** The expected root of the tree of `treeSize` leaves (32 bytes). */
  rootHash: Uint8Array;
}

/** A consistency proof (RFC 9162 §2.1.4): that a tree of `oldSize` leaves is a prefix of one of `newSize`. */
export interface ConsistencyProof {
  /** Size of the older tree (`size1`, at least 1). */
  oldSize: number | bigint;
  /** Size of the newer tree (`size2`, at least `oldSize`). */
  newSize: number | bigint;
  /** The proof nodes, 32 bytes each (empty when the sizes are equal). */
  hashes: readonly Uint8Array[];
}

/** What {@link verifyConsistency} checks the proof against. */
export interface VerifyConsistencyOptions {
  /** The root of the older tree. */
  oldRoot: Uint8Array;
  /** The root of the newer tree. */
  newRoot: Uint8Array;
}

const UINT64_MAX = (1n << 64n) - 1n;

export const UTF8 = new TextEncoder();

/** Scratch words for single hashes (two 32-byte children, then the result). */
const WORDS = new Int32Array(16);

/**
 * Returns the hash of the empty tree, `SHA-256("")` (RFC 9162 §2.1.1), as a fresh array.
 *
 * @returns The 32-byte empty-tree hash ({@link EMPTY_ROOT_HEX}).
 *
 * @example Usage
 * ```ts
 * import { EMPTY_ROOT_HEX, emptyRoot, merkleRoot } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(encodeHex(emptyRoot()), EMPTY_ROOT_HEX);
 * assert.deepEqual(merkleRoot([]), emptyRoot());
 * ```
 */
export function emptyRoot(): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromHex(EMPTY_ROOT_HEX);
}

/**
 * Hashes a leaf entry: `SHA-256(0x00 ‖ data)` (RFC 9162 §2.1.1).
 *
 * @param data The leaf entry's bytes (any length).
 * @returns The 32-byte leaf hash.
 * @throws {TypeError} When `data` is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { hashLeaf } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   encodeHex(hashLeaf(new Uint8Array())),
 *   "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
 * );
 * ```
 */
export function hashLeaf(data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBytes(data, "leaf data");
  hashPrefixedWords(0x00, data, undefined, WORDS, 0);
  return wordsToBytes(WORDS, 0);
}

/**
 * Hashes an interior node: `SHA-256(0x01 ‖ left ‖ right)` (RFC 9162 §2.1.1).
 *
 * @param left Hash of the left subtree (normally 32 bytes; any length is hashed as given).
 * @param right Hash of the right subtree.
 * @returns The 32-byte node hash.
 * @throws {TypeError} When an argument is not a `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { hashChildren, hashLeaf, merkleRoot } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const [a, b] = [hashLeaf(Uint8Array.of(1)), hashLeaf(Uint8Array.of(2))];
 * assert.deepEqual(merkleRoot([a, b]), hashChildren(a, b));
 * ```
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBytes(left, "left child hash");
  checkBytes(right, "right child hash");
  if (left.length === MERKLE_HASH_SIZE && right.length === MERKLE_HASH_SIZE) {
    bytesToWords(left, WORDS, 0);
    bytesToWords(right, WORDS, 8);
    hashNodeWords(WORDS, 0, 8, WORDS, 0);
  } else {
    hashPrefixedWords(0x01, left, right, WORDS, 0);
  }
  return wordsToBytes(WORDS, 0);
}

/**
 * Computes the root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4), after
 * checking the proof's shape. Use {@link verifyInclusion} to compare against a known root.
 *
 * @param proof Leaf index, tree size and audit path.
 * @param leafHash The leaf's hash (32 bytes).
 * @returns The 32-byte root the proof implies.
 * @throws {TypeError} When the arguments have the wrong types.
 * @throws {ParseError} `MERKLE_INPUT_INVALID` for an impossible index, size or leaf hash;
 *   `INCLUSION_PROOF_INVALID` when the audit path has the wrong length or a hash is not 32 bytes.
 *
 * @example Usage
 * ```ts
 * import {
 *   hashLeaf,
 *   inclusionProof,
 *   merkleRoot,
 *   rootFromInclusionProof,
 * } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const leaves = [1, 2, 3].map((i) => hashLeaf(Uint8Array.of(i)));
 * const proof = { leafIndex: 2, treeSize: 3, hashes: inclusionProof(leaves, 2) };
 * assert.deepEqual(rootFromInclusionProof(proof, leaves[2]!), merkleRoot(leaves));
 * assert.throws(() => rootFromInclusionProof({ ...proof, hashes: [] }, leaves[2]!), {
 *   code: "INCLUSION_PROOF_INVALID",
 * });
 * ```
 */
export function rootFromInclusionProof(
  proof: InclusionProof,
  leafHash: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const result = inclusionRoot(proof, leafHash);
  if (result instanceof Uint8Array) return result;
  throw new ParseError(result.code, result.message);
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2): the leaf is at `leafIndex` in the tree of
 * `treeSize` leaves whose root is `rootHash`.
 *
 * @param proof Leaf index, tree size and audit path.
 * @param options The leaf hash and the expected root.
 * @returns `{ ok: true }`, or `{ ok: false, code, message }` with `MERKLE_INPUT_INVALID` or
 *   `INCLUSION_PROOF_INVALID`.
 * @throws {TypeError} When the arguments have the wrong types (not for bad values).
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
 * const leaves = [1, 2, 3].map((i) => hashLeaf(Uint8Array.of(i)));
 * const proof = { leafIndex: 0, treeSize: 3, hashes: inclusionProof(leaves, 0) };
 * const rootHash = merkleRoot(leaves);
 * assert.deepEqual(verifyInclusion(proof, { leafHash: leaves[0]!, rootHash }), { ok: true });
 * const wrongLeaf = verifyInclusion(proof, { leafHash: leaves[1]!, rootHash });
 * assert.equal(wrongLeaf.ok ? "" : wrongLeaf.code, "INCLUSION_PROOF_INVALID");
 * ```
 */
export function verifyInclusion(
  proof: InclusionProof,
  options: VerifyInclusionOptions,
): MerkleVerdict {
  checkObject(options, "verifyInclusion", "options");
  const rootHash = options.rootHash;
  checkBytes(rootHash, "root hash");
  const computed = inclusionRoot(proof, options.leafHash);
  if (!(computed instanceof Uint8Array)) return computed;
  if (rootHash.length !== MERKLE_HASH_SIZE) {
    return fail("MERKLE_INPUT_INVALID", rootLengthMessage("inclusion", "root", rootHash));
  }
  if (!equalBytes(computed, rootHash)) {
    return fail(
      "INCLUSION_PROOF_INVALID",
      `Cannot verify inclusion proof: it leads to root ${computed.toHex()}, not to the given ` +
        `root ${rootHash.toHex()}`,
    );
  }
  return { ok: true };
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2): the tree of `oldSize` leaves with root
 * `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`.
 *
 * As in transparency-dev/merkle: `oldSize` 0 always fails (a proof from the empty tree proves
 * nothing); equal sizes need an empty proof and byte-equal roots.
 *
 * @param proof Both sizes and the proof nodes.
 * @param options The two roots.
 * @returns `{ ok: true }`, or `{ ok: false, code, message }` with `MERKLE_INPUT_INVALID` or
 *   `CONSISTENCY_PROOF_INVALID`.
 * @throws {TypeError} When the arguments have the wrong types (not for bad values).
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
 * const leaves = [1, 2, 3, 4].map((i) => hashLeaf(Uint8Array.of(i)));
 * const proof = { oldSize: 2, newSize: 4, hashes: consistencyProof(leaves, 2) };
 * const oldRoot = merkleRoot(leaves.slice(0, 2));
 * assert.deepEqual(verifyConsistency(proof, { oldRoot, newRoot: merkleRoot(leaves) }), { ok: true });
 * const forked = verifyConsistency(proof, { oldRoot, newRoot: merkleRoot(leaves.slice(1)) });
 * assert.equal(forked.ok ? "" : forked.code, "CONSISTENCY_PROOF_INVALID");
 * ```
 */
export function verifyConsistency(
  proof: ConsistencyProof,
  options: VerifyConsistencyOptions,
): MerkleVerdict {
  checkObject(proof, "verifyConsistency", "proof");
  checkObject(options, "verifyConsistency", "options");
  const { oldRoot, newRoot } = options;
  checkBytes(oldRoot, "old root");
  checkBytes(newRoot, "new root");
  const hashes = proof.hashes;
  checkHashList(hashes, "verifyConsistency");
  const size1 = toUint64(proof.oldSize, "oldSize", "verifyConsistency");
  const size2 = toUint64(proof.newSize, "newSize", "verifyConsistency");
  const what = "Cannot verify consistency proof";
  if (size1 === undefined || size2 === undefined) {
    return fail("MERKLE_INPUT_INVALID", `${what}: sizes must be integers from 0 to 2^64 - 1`);
  }
  if (size2 < size1) {
    return fail("MERKLE_INPUT_INVALID", `${what}: oldSize ${size1} exceeds newSize ${size2}`);
  }
  if (size1 === 0n) {
    return fail(
      "MERKLE_INPUT_INVALID",
      `${what}: a proof from the empty tree (oldSize 0) proves nothing`,
    );
  }
  if (size1 === size2) {
    if (hashes.length !== 0) {
      return fail(
        "CONSISTENCY_PROOF_INVALID",
        `${what}: equal sizes need an empty proof, got ${hashes.length} hashes`,
      );
    }
    if (!equalBytes(oldRoot, newRoot)) {
      return fail("CONSISTENCY_PROOF_INVALID", `${what}: equal sizes but different roots`);
    }
    return { ok: true };
  }
  if (oldRoot.length !== MERKLE_HASH_SIZE) {
    return fail("MERKLE_INPUT_INVALID", rootLengthMessage("consistency", "old root", oldRoot));
  }
  if (newRoot.length !== MERKLE_HASH_SIZE) {
    return fail("MERKLE_INPUT_INVALID", rootLengthMessage("consistency", "new root", newRoot));
  }
  // Expected length (transparency-dev/merkle): the inclusion path of leaf size1 − 1 in the new
  // tree, minus the levels inside the complete subtree that ends at size1, plus that subtree's
  // root unless size1 is a power of two (then the verifier already knows it: oldRoot).
  const shift = trailingZeros(size1);
  const [inner, border] = decomposeInclusion(size1 - 1n, size2);
  const seeded = size1 === 1n << BigInt(shift);
  const expected = (seeded ? 0 : 1) + inner - shift + border;
  if (hashes.length !== expected) {
    return fail(
      "CONSISTENCY_PROOF_INVALID",
      `${what}: sizes ${size1} and ${size2} need ${expected} hashes, got ${hashes.length}`,
    );
  }
  const badLength = hashes.findIndex((h) => h.length !== MERKLE_HASH_SIZE);
  if (badLength >= 0) {
    return fail(
      "CONSISTENCY_PROOF_INVALID",
      `${what}: hash ${badLength} has ${hashes[badLength]!.length} bytes, not 32`,
    );
  }
  // RFC 9162 §2.1.4.2.
  const path = seeded ? [oldRoot, ...hashes] : hashes; // step 2
  let fn = size1 - 1n; // step 3
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) { // step 4
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr: Uint8Array = path[0]!; // step 5
  let sr: Uint8Array = path[0]!;
  for (let i = 1; i < path.length; i++) { // step 6
    const c = path[i]!;
    if (sn === 0n) return fail("CONSISTENCY_PROOF_INVALID", `${what}: the proof is too long`);
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail("CONSISTENCY_PROOF_INVALID", `${what}: the proof is too short`);
  if (!equalBytes(fr, oldRoot)) {
    return fail(
      "CONSISTENCY_PROOF_INVALID",
      `${what}: it leads to old root ${fr.toHex()}, not to the given ${oldRoot.toHex()}`,
    );
  }
  if (!equalBytes(sr, newRoot)) {
    return fail(
      "CONSISTENCY_PROOF_INVALID",
      `${what}: it leads to new root ${sr.toHex()}, not to the given ${newRoot.toHex()}`,
    );
  }
  return { ok: true };
}

type Failure = { ok: false; code: MerkleFailureCode; message: string };

function fail(code: MerkleFailureCode, message: string): Failure {
  return { ok: false, code, message };
}

/** RFC 9162 §2.1.3.2 steps 1–4 with the shape checks; the root, or why there is none. */
function inclusionRoot(
  proof: InclusionProof,
  leafHash: Uint8Array,
): Uint8Array<ArrayBuffer> | Failure {
  checkObject(proof, "verifyInclusion", "proof");
  checkBytes(leafHash, "leaf hash");
  const hashes = proof.hashes;
  checkHashList(hashes, "verifyInclusion");
  const index = toUint64(proof.leafIndex, "leafIndex", "verifyInclusion");
  const size = toUint64(proof.treeSize, "treeSize", "verifyInclusion");
  const what = "Cannot verify inclusion proof";
  if (index === undefined || size === undefined) {
    return fail(
      "MERKLE_INPUT_INVALID",
      `${what}: leafIndex and treeSize must be integers from 0 to 2^64 - 1`,
    );
  }
  if (index >= size) { // step 1
    return fail(
      "MERKLE_INPUT_INVALID",
      `${what}: leafIndex ${index} is not below treeSize ${size}`,
    );
  }
  if (leafHash.length !== MERKLE_HASH_SIZE) {
    return fail(
      "MERKLE_INPUT_INVALID",
      `${what}: the leaf hash has ${leafHash.length} bytes, not 32`,
    );
  }
  const [inner, border] = decomposeInclusion(index, size);
  if (hashes.length !== inner + border) {
    return fail(
      "INCLUSION_PROOF_INVALID",
      `${what}: leaf ${index} of ${size} needs ${inner + border} hashes, got ${hashes.length}`,
    );
  }
  const badLength = hashes.findIndex((h) => h.length !== MERKLE_HASH_SIZE);
  if (badLength >= 0) {
    return fail(
      "INCLUSION_PROOF_INVALID",
      `${what}: hash ${badLength} has ${hashes[badLength]!.length} bytes, not 32`,
    );
  }
  let fn = index; // step 2
  let sn = size - 1n;
  let r: Uint8Array<ArrayBuffer> = Uint8Array.from(leafHash); // step 3
  for (const p of hashes) { // step 4
    if (sn === 0n) return fail("INCLUSION_PROOF_INVALID", `${what}: the proof is too long`);
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail("INCLUSION_PROOF_INVALID", `${what}: the proof is too short`); // step 5
  return r;
}

/**
 * Splits the audit path of leaf `index` in a tree of `size` leaves into its inner part (below the
 * level where the paths to `index` and to the last leaf diverge) and its border part (one hash for
 * each set bit of `index` above that level), as transparency-dev/merkle does.
 */
function decomposeInclusion(index: bigint, size: bigint): [number, number] {
  const inner = bitLength(index ^ (size - 1n));
  return [inner, popCount(index >> BigInt(inner))];
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

function popCount(value: bigint): number {
  let count = 0;
  for (const digit of value.toString(2)) if (digit === "1") count++;
  return count;
}

/** Trailing zero bits of value (> 0). */
function trailingZeros(value: bigint): number {
  let count = 0;
  while ((value & 1n) === 0n) {
    value >>= 1n;
    count++;
  }
  return count;
}

function rootLengthMessage(kind: string, which: string, root: Uint8Array): string {
  return `Cannot verify ${kind} proof: the ${which} has ${root.length} bytes, not 32`;
}

export function toArrayIndex(value: number | bigint, name: string, fn: string): number {
  if (typeof value === "bigint") {
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`Cannot run ${fn}: ${name} ${value} is out of range`);
    }
    return Number(value);
  }
  if (typeof value !== "number") {
    throw new TypeError(`Cannot run ${fn}: ${name} must be a number or bigint`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Cannot run ${fn}: ${name} ${value} is not a non-negative integer`);
  }
  return value;
}

/** A size or index as bigint, or undefined when it is not an integer in [0, 2^64 − 1]. */
function toUint64(value: number | bigint, name: string, fn: string): bigint | undefined {
  if (typeof value === "bigint") return value >= 0n && value <= UINT64_MAX ? value : undefined;
  if (typeof value !== "number") {
    throw new TypeError(`Cannot run ${fn}: ${name} must be a number or bigint`);
  }
  return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

export function checkArray(value: unknown, fn: string, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`Cannot run ${fn}: ${name} must be an array`);
}

function checkHashList(value: unknown, fn: string): asserts value is readonly Uint8Array[] {
  checkArray(value, fn, "proof.hashes");
  for (let i = 0; i < value.length; i++) checkBytes(value[i], `proof.hashes[${i}]`);
}

function checkObject(value: unknown, fn: string, name: string): asserts value is object {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`Cannot run ${fn}: ${name} must be an object`);
  }
}

export function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`Cannot hash ${what}: expected a Uint8Array`);
  }
}
