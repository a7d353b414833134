/**
 * Custody-chain helpers shared by the model (`custody.ts`), appending (`lib/sign/custody.ts`) and
 * verifying (`lib/verify/timeline.ts`): subject comparison by name and digest set, and the anchor's
 * Merkle root from the entries' digests. Not re-exported from `mod.ts`.
 *
 * @module
 */

import { hashLeaf } from "../digest/merkle.ts";
import { merkleRoot } from "../digest/merkle_tree.ts";
import type { ResourceDescriptor } from "./statement.ts";

/**
 * The timeline anchor from the entries' SHA-256 digests (32 bytes each, in order): the RFC 9162
 * root whose leaf i is digest i, as `sha256:<hex>`.
 */
export function anchorOfDigests(digests: readonly Uint8Array[]): string {
  return `sha256:${merkleRoot(digests.map((digest) => hashLeaf(digest))).toHex()}`;
}

/**
 * Returns `true` when two subjects have the same `name` (both absent counts as equal) and equal
 * digest sets (the same algorithms with the same values). Other fields are not compared.
 */
export function sameSubject(a: ResourceDescriptor, b: ResourceDescriptor): boolean {
  if ((a.name ?? "") !== (b.name ?? "")) return false;
  const left = a.digest ?? {};
  const right = b.digest ?? {};
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && right[key] === left[key]);
}

/** Describes a subject for messages: `name alg:value …` (algorithms in UTF-16 order). */
export function describeSubject(subject: ResourceDescriptor): string {
  const digest = subject.digest ?? {};
  const parts = Object.keys(digest).sort().map((alg) => `${alg}:${digest[alg]}`);
  return [JSON.stringify(subject.name ?? ""), ...parts].join(" ");
}
