/**
 * Merkle tree building (RFC 9162 §2.1.1): why `merkle.ts` hashes in hand-written JavaScript.
 *
 * `deno bench --cached-only -A bench/merkle_bench.ts`
 *
 * - "merkle root 1M leaves": the root of 1,000,000 32-byte entries (2M − 1 SHA-256 calls:
 *   1M leaf hashes of 33 bytes, 999,999 node hashes of 65 bytes). Baseline: one `node:crypto`
 *   `createHash` per hash over the same bottom-up pairing; then `@noble/hashes` per hash; then
 *   `merkleRootOfData` (word-level SHA-256, `_sha256_words.ts`).
 * - "hash one 65-byte node": the per-call cost behind those numbers.
 */

import { createHash } from "node:crypto";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hashChildren, merkleRoot, merkleRootOfData } from "../lib/digest/mod.ts";

const LEAVES = 1_000_000;
const data = new Uint8Array(32 * LEAVES);
for (let i = 0; i < data.length; i++) data[i] = Math.imul(i, 2654435761) >>> 24;
const entries = Array.from({ length: LEAVES }, (_, i) => data.subarray(32 * i, 32 * i + 32));
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** Bottom-up RFC 9162 root with a pluggable hash of (prefix, a, b?). */
function rootWith(
  hash: (prefix: Uint8Array, a: Uint8Array, b?: Uint8Array) => Uint8Array,
  leaves: readonly Uint8Array[] = entries,
): Uint8Array {
  let level = leaves.map((entry) => hash(LEAF, entry));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hash(NODE, level[i]!, level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

function nodeCrypto(prefix: Uint8Array, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const hash = createHash("sha256").update(prefix).update(a);
  if (b !== undefined) hash.update(b);
  return hash.digest();
}

const scratch = new Uint8Array(65);
function noble(prefix: Uint8Array, a: Uint8Array, b?: Uint8Array): Uint8Array {
  scratch[0] = prefix[0]!;
  scratch.set(a, 1);
  if (b === undefined) return nobleSha256(scratch.subarray(0, 1 + a.length));
  scratch.set(b, 1 + a.length);
  return nobleSha256(scratch);
}

// Same root from all three (checked on a prefix before timing).
const sample = entries.slice(0, 10_007);
const expected = merkleRootOfData(sample).toHex();
for (const hash of [nodeCrypto, noble]) {
  if (Uint8Array.from(rootWith(hash, sample)).toHex() !== expected) throw new Error(hash.name);
}

const leafHashes = entries.map((entry) => Uint8Array.from(nodeCrypto(LEAF, entry)));

Deno.bench({
  group: "merkle root 1M leaves",
  name: "node:crypto createHash per hash",
  baseline: true,
  n: 2,
  warmup: 0,
  fn: () => void rootWith(nodeCrypto),
});
Deno.bench({
  group: "merkle root 1M leaves",
  name: "@noble/hashes sha256 per hash",
  n: 2,
  warmup: 0,
  fn: () => void rootWith(noble),
});
Deno.bench({
  group: "merkle root 1M leaves",
  name: "merkleRootOfData (word-level SHA-256)",
  n: 10,
  warmup: 2,
  fn: () => void merkleRootOfData(entries),
});
Deno.bench({
  group: "merkle root 1M leaves",
  name: "merkleRoot over precomputed leaf hashes (nodes only)",
  n: 10,
  warmup: 2,
  fn: () => void merkleRoot(leafHashes),
});

const left = leafHashes[0]!;
const right = leafHashes[1]!;
Deno.bench({
  group: "hash one 65-byte node",
  name: "node:crypto createHash",
  baseline: true,
  fn: () => void nodeCrypto(NODE, left, right),
});
Deno.bench({
  group: "hash one 65-byte node",
  name: "@noble/hashes sha256",
  fn: () => void noble(NODE, left, right),
});
Deno.bench({
  group: "hash one 65-byte node",
  name: "hashChildren",
  fn: () => void hashChildren(left, right),
});
