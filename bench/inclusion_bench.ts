/**
 * Inclusion proof verification for a tree of 2^40 leaves (issue 6 "Must show").
 *
 * `deno bench --cached-only -A bench/inclusion_bench.ts`
 *
 * The proof is synthetic but valid: a leaf at a fixed pseudo-random index below 2^40, 40 sibling
 * hashes (in a perfect tree every audit path has exactly log2(size) = 40 nodes), and the root
 * computed from them (RFC 9162 §2.1.3.2: bit k of the index says whether sibling k is on the
 * left). Checked against `rootFromInclusionProof` before timing.
 *
 * - Baseline: the same 40 node hashes with one `node:crypto` `createHash` each, no checks (the
 *   floor of any JavaScript verifier).
 * - `verifyInclusion` (lib/digest/merkle.ts): index/size/length checks, word-level SHA-256.
 * - `verifyRekorInclusion` (lib/verify/rekor.ts): the above plus the leaf hash of a 1 KiB entry
 *   body and decimal-string sizes, as a Sigstore bundle gives them; then the same with an
 *   Ed25519-signed checkpoint (note parse, signature, binding).
 */

import { createHash } from "node:crypto";
import {
  hashChildren,
  hashLeaf,
  rootFromInclusionProof,
  sha256,
  verifyInclusion,
} from "../lib/digest/mod.ts";
import { concatBytes, encodeBase64, equalBytes } from "../lib/encoding/mod.ts";
import { exportSpki, importPkcs8 } from "../lib/keys/mod.ts";
import { signNote, verifierKeyFromSpki, verifyRekorInclusion } from "../lib/verify/sigstore_mod.ts";

const DEPTH = 40;
const TREE_SIZE = 1n << BigInt(DEPTH);
// Fixed pseudo-random index (golden-ratio multiple of 2^40, reduced): both subtrees at every level.
const LEAF_INDEX = 0x9e3779b97fn % TREE_SIZE;

const body = new Uint8Array(1024).map((_, i) => Math.imul(i, 2654435761) >>> 24);
const leafHash = hashLeaf(body);
const hashes = Array.from({ length: DEPTH }, (_, k) => sha256(Uint8Array.of(k, 0xa5)));
let node: Uint8Array = leafHash;
for (let k = 0; k < DEPTH; k++) {
  node = ((LEAF_INDEX >> BigInt(k)) & 1n) === 1n
    ? hashChildren(hashes[k]!, node)
    : hashChildren(node, hashes[k]!);
}
const rootHash = Uint8Array.from(node);

const proof = { leafIndex: LEAF_INDEX, treeSize: TREE_SIZE, hashes };
if (rootFromInclusionProof(proof, leafHash).toHex() !== rootHash.toHex()) {
  throw new Error("bad proof");
}
if (!verifyInclusion(proof, { leafHash, rootHash }).ok) throw new Error("proof does not verify");

const NODE = Uint8Array.of(1);
function naive(): boolean {
  let acc: Uint8Array = leafHash;
  for (let k = 0; k < DEPTH; k++) {
    const [l, r] = ((LEAF_INDEX >> BigInt(k)) & 1n) === 1n ? [hashes[k]!, acc] : [acc, hashes[k]!];
    acc = createHash("sha256").update(NODE).update(l).update(r).digest();
  }
  return equalBytes(acc, rootHash);
}
if (!naive()) throw new Error("naive verifier disagrees");

const rekorProof = {
  canonicalizedBody: body,
  logIndex: LEAF_INDEX.toString(),
  treeSize: TREE_SIZE.toString(),
  rootHash,
  hashes,
};

const seed = new Uint8Array(32).fill(0x42);
const privateKey = importPkcs8(
  concatBytes(Uint8Array.fromHex("302e020100300506032b657004220420"), seed),
);
const noteKey = verifierKeyFromSpki("bench.example/log", exportSpki(privateKey));
const skey = `PRIVATE+KEY+bench.example/log+${noteKey.keyId}+${
  encodeBase64(concatBytes(Uint8Array.of(1), seed))
}`;
const checkpoint = await signNote(
  `bench.example/log\n${TREE_SIZE}\n${encodeBase64(rootHash)}\n`,
  skey,
);
const withCheckpoint = { ...rekorProof, checkpoint };
const options = { logKeys: [noteKey], expectedOrigin: "bench.example/log" };
const checks = await verifyRekorInclusion(withCheckpoint, options);
if (checks.length !== 3 || !checks.every((c) => c.ok)) throw new Error(JSON.stringify(checks));

const group = "inclusion proof, 2^40 leaves (40 hashes)";
Deno.bench({
  group,
  name: "node:crypto createHash per node (no checks)",
  baseline: true,
  fn: () => void naive(),
});
Deno.bench({
  group,
  name: "verifyInclusion",
  fn: () => {
    if (!verifyInclusion(proof, { leafHash, rootHash }).ok) throw new Error("failed");
  },
});
Deno.bench({
  group,
  name: "verifyRekorInclusion (1 KiB body, string sizes)",
  fn: async () => {
    if (!(await verifyRekorInclusion(rekorProof))[0]!.ok) throw new Error("failed");
  },
});
Deno.bench({
  group,
  name: "verifyRekorInclusion + Ed25519 checkpoint",
  fn: async () => {
    if (!(await verifyRekorInclusion(withCheckpoint, options)).every((c) => c.ok)) {
      throw new Error("failed");
    }
  },
});
