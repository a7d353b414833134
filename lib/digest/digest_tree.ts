/**
 * Inclusion proofs for the build-metadata Merkle tree of {@link merkleRootOfDigests}: prove that
 * one `alg:hex` digest (a file of an export, a subject, a material) is in the set a root commits
 * to, and check such a proof offline. The tree is exactly the one `merkleRootOfDigests` builds:
 * the set's digest strings, deduplicated and sorted by UTF-16 code units, leaf i = the ASCII bytes
 * of the i-th string (RFC 9162 §2.1.3 proofs over it).
 *
 * @module
 */

import { decodeHex, encodeHex } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { parseDigest } from "./digest_set.ts";
import { hashLeaf, type MerkleVerdict, verifyInclusion } from "./merkle.ts";
import { inclusionProof, merkleRoot } from "./merkle_tree.ts";

const ASCII = new TextEncoder();

/**
 * A proof that `digest` is one of the digests a `sha256:<hex>` root commits to.
 *
 * @example Usage
 * ```ts
 * import { type DigestInclusionProof } from "@stellaops/provenance/digest";
 * import { proveDigestInclusion, verifyDigestInclusion } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const set = ["a", "b", "c"].map((c) => "sha256:" + c.repeat(64));
 * const proof: DigestInclusionProof = proveDigestInclusion(set, set[2] ?? "");
 * assert.deepEqual(proof, {
 *   digest: "sha256:" + "c".repeat(64),
 *   leafIndex: 2,
 *   treeSize: 3,
 *   hashes: ["264b23fc06f63a5aef2f94fc137d7450c118dd70814b8e2acb9758da7935b783"],
 *   root: "sha256:803e0247114aeaf661a3b93673a77ed58c8b51289f07a56a6b6c5f7e13fc0371",
 * });
 * const forged = verifyDigestInclusion({ ...proof, digest: "sha256:" + "d".repeat(64) });
 * assert.equal(forged.ok ? "" : forged.code, "INCLUSION_PROOF_INVALID");
 * ```
 */
export interface DigestInclusionProof {
  /** The proven digest, `alg:hex`. */
  digest: string;
  /** Its index in the sorted set. */
  leafIndex: number;
  /** Number of distinct digests in the set. */
  treeSize: number;
  /** The audit path, leaf's sibling first, lowercase hex. */
  hashes: string[];
  /** The root, `sha256:<hex>`, as {@link merkleRootOfDigests} returns it. */
  root: string;
}

/**
 * Returns the leaves of the digest tree: validated, deduplicated, sorted digest strings.
 *
 * @param digests Canonical digest strings in any order.
 * @returns The distinct strings in UTF-16 order.
 * @throws {ParseError} `DIGEST_INVALID` naming the first malformed element.
 *
 * @example Usage
 * ```ts
 * import { digestTreeLeaves } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const a = "sha256:" + "a".repeat(64), b = "sha256:" + "b".repeat(64);
 * assert.deepEqual(digestTreeLeaves([b, a, b]), [a, b]);
 * ```
 */
export function digestTreeLeaves(digests: readonly string[]): string[] {
  if (!Array.isArray(digests)) throw new TypeError("Pass the digests as an array of strings");
  digests.forEach((digest, i) => parseDigest(digest, `digests[${i}]`));
  return [...new Set(digests)].sort();
}

/**
 * Builds the inclusion proof of one digest in the set's tree.
 *
 * @param digests The whole set (any order, duplicates allowed).
 * @param digest The member to prove.
 * @returns The proof, including the root it leads to.
 * @throws {ParseError} `DIGEST_INVALID` for malformed digests; `DIGEST_NOT_IN_SET` when `digest` is
 *   not a member.
 *
 * @example Usage
 * ```ts
 * import {
 *   merkleRootOfDigests,
 *   proveDigestInclusion,
 *   verifyDigestInclusion,
 * } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const set = ["a", "b", "c"].map((c) => "sha256:" + c.repeat(64));
 * const proof = proveDigestInclusion(set, set[1]!);
 * assert.equal(proof.root, merkleRootOfDigests(set));
 * assert.deepEqual(verifyDigestInclusion(proof), { ok: true });
 * ```
 */
export function proveDigestInclusion(
  digests: readonly string[],
  digest: string,
): DigestInclusionProof {
  const leaves = digestTreeLeaves(digests);
  const index = leaves.indexOf(digest);
  if (index === -1) {
    throw new ParseError("DIGEST_NOT_IN_SET", `Cannot prove "${digest}": it is not in the set`);
  }
  const leafHashes = leaves.map((leaf) => hashLeaf(ASCII.encode(leaf)));
  return {
    digest,
    leafIndex: index,
    treeSize: leaves.length,
    hashes: inclusionProof(leafHashes, index).map((h) => encodeHex(h)),
    root: "sha256:" + encodeHex(merkleRoot(leafHashes)),
  };
}

/**
 * Verifies a {@link DigestInclusionProof} offline; with `root`, the proof's root must also equal
 * it (the root the operator trusts, e.g. from a signed attestation).
 *
 * @param proof The proof (untrusted).
 * @param options `root`: the trusted `sha256:<hex>` root, when known.
 * @returns `{ ok: true }` or `{ ok: false, code, message }` (`MERKLE_INPUT_INVALID`,
 *   `INCLUSION_PROOF_INVALID`, or `MERKLE_ROOT_MISMATCH` when the trusted root differs).
 *
 * @example Usage
 * ```ts
 * import { proveDigestInclusion, verifyDigestInclusion } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * const set = ["a", "b"].map((c) => "sha256:" + c.repeat(64));
 * const proof = proveDigestInclusion(set, set[0]!);
 * const other = verifyDigestInclusion(proof, { root: "sha256:" + "0".repeat(64) });
 * assert.equal(other.ok ? "" : other.code, "MERKLE_ROOT_MISMATCH");
 * ```
 */
export function verifyDigestInclusion(
  proof: DigestInclusionProof,
  options: { root?: string | undefined } = {},
): MerkleVerdict | { ok: false; code: "MERKLE_ROOT_MISMATCH"; message: string } {
  if (options.root !== undefined && options.root !== proof.root) {
    return {
      ok: false,
      code: "MERKLE_ROOT_MISMATCH",
      message: `Reject proof: it is for root ${proof.root}, not the trusted root ${options.root}`,
    };
  }
  let rootHash: Uint8Array;
  let hashes: Uint8Array[];
  try {
    parseDigest(proof.digest, "digest");
    const root = parseDigest(proof.root, "root");
    if (root.algorithm !== "sha256") {
      throw new ParseError("DIGEST_INVALID", `Cannot parse digest "root": expected sha256`, 0);
    }
    rootHash = root.bytes;
    hashes = proof.hashes.map((h, i) => decodeHex(h, `hashes[${i}]`));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, code: "MERKLE_INPUT_INVALID", message: `Reject proof: ${error.message}` };
  }
  return verifyInclusion(
    { leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes },
    { leafHash: hashLeaf(ASCII.encode(proof.digest)), rootHash },
  );
}
