/**
 * Digests and Merkle trees of `@stellaops/provenance`: SHA-2 hashing, `ALG:HEX` digest sets, RFC
 * 9162 Merkle roots and proofs, digest trees.
 *
 * @module
 */

export {
  DIGEST_ALGORITHMS,
  digestSize,
  digestStream,
  Hasher,
  isDigestAlgorithm,
  sha256,
} from "./digest.ts";
export type { DigestAlgorithm } from "./digest.ts";
export { DIGEST_SET_KNOWN_LENGTHS, digestSetOf, validateDigestSet } from "./digest_set.ts";
export type { DigestSet, ParsedDigest } from "./digest_set.ts";
export {
  consistencyProof,
  inclusionProof,
  merkleRoot,
  merkleRootOfData,
  merkleRootOfDigests,
} from "./merkle_tree.ts";
export {
  EMPTY_ROOT_HEX,
  emptyRoot,
  hashChildren,
  hashLeaf,
  MERKLE_FAILURE_CODES,
  MERKLE_HASH_SIZE,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.ts";
export type {
  ConsistencyProof,
  InclusionProof,
  MerkleFailureCode,
  MerkleVerdict,
  VerifyConsistencyOptions,
  VerifyInclusionOptions,
} from "./merkle.ts";
export { digestTreeLeaves, proveDigestInclusion, verifyDigestInclusion } from "./digest_tree.ts";
export type { DigestInclusionProof } from "./digest_tree.ts";
export type { Problem } from "../encoding/errors.ts";
