import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { formatDigest, ParseError } from "../../mod.ts";
import {
  consistencyProof,
  EMPTY_ROOT_HEX,
  emptyRoot,
  hashChildren,
  hashLeaf,
  inclusionProof,
  MERKLE_FAILURE_CODES,
  merkleRoot,
  merkleRootOfData,
  merkleRootOfDigests,
  rootFromInclusionProof,
  sha256,
  verifyConsistency,
  verifyInclusion,
} from "../../lib/digest/mod.ts";
import type { MerkleVerdict } from "../../lib/digest/mod.ts";

// ---- Independent reference: RFC 9162 §2.1 written recursively over node:crypto. ----

function refHash(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function refLeaf(data: Uint8Array): Uint8Array {
  return refHash(Uint8Array.of(0), data);
}

function refNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return refHash(Uint8Array.of(1), left, right);
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
function refRoot(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return refHash();
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return refNode(refRoot(hashes.slice(0, k)), refRoot(hashes.slice(k)));
}

/** PATH(m, D[n]) (RFC 9162 §2.1.3.1). */
function refPath(m: number, hashes: Uint8Array[]): Uint8Array[] {
  if (hashes.length <= 1) return [];
  const k = splitPoint(hashes.length);
  return m < k
    ? [...refPath(m, hashes.slice(0, k)), refRoot(hashes.slice(k))]
    : [...refPath(m - k, hashes.slice(k)), refRoot(hashes.slice(0, k))];
}

/** SUBPROOF(m, D[n], b) (RFC 9162 §2.1.4.1). */
function refSubproof(m: number, hashes: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === hashes.length) return b ? [] : [refRoot(hashes)];
  const k = splitPoint(hashes.length);
  return m <= k
    ? [...refSubproof(m, hashes.slice(0, k), b), refRoot(hashes.slice(k))]
    : [...refSubproof(m - k, hashes.slice(k), false), refRoot(hashes.slice(0, k))];
}

// ---- Helpers ----

function entry(i: number, length = (i * 7) % 90): Uint8Array {
  const out = new Uint8Array(length);
  for (let j = 0; j < length; j++) out[j] = (i * 31 + j * 17) & 0xff;
  return out;
}

function leafHashesOf(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => refLeaf(entry(i)));
}

function flipBit(hashes: readonly Uint8Array[], index: number, bit: number): Uint8Array[] {
  return hashes.map((h, i) => {
    if (i !== index) return h;
    const copy = h.slice();
    copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  });
}

function codeOf(verdict: MerkleVerdict): string {
  return verdict.ok ? "OK" : verdict.code;
}

// ---- Hashing ----

Deno.test("hashLeaf() and hashChildren() equal SHA-256 with 0x00/0x01 prefixes at every length", () => {
  // Lengths cross the one-block (55), two-block and the 2048-byte native-path boundaries.
  const lengths = [...Array.from({ length: 300 }, (_, i) => i), 2046, 2047, 2048, 2049, 5000];
  for (const length of lengths) {
    const data = entry(length, length);
    assert.deepEqual(hashLeaf(data), refLeaf(data), `leaf of ${length} bytes`);
    const left = data.subarray(0, length >> 1);
    const right = data.subarray(length >> 1);
    assert.deepEqual(hashChildren(left, right), refNode(left, right), `node of ${length} bytes`);
  }
});

Deno.test("hashLeaf() of a 32-byte view hashes only the view", () => {
  const buffer = entry(1, 100);
  const view = buffer.subarray(5, 37);
  assert.deepEqual(hashLeaf(view), refLeaf(view.slice()));
});

Deno.test("emptyRoot() is SHA-256 of nothing and a fresh copy each time", () => {
  assert.equal(EMPTY_ROOT_HEX, sha256(new Uint8Array()).toHex());
  const root = emptyRoot();
  assert.equal(root.toHex(), EMPTY_ROOT_HEX);
  root[0] = 0;
  assert.equal(emptyRoot().toHex(), EMPTY_ROOT_HEX);
  assert.equal(merkleRoot([]).toHex(), EMPTY_ROOT_HEX);
  assert.equal(merkleRootOfData([]).toHex(), EMPTY_ROOT_HEX);
});

// ---- Roots ----

Deno.test("merkleRoot() and merkleRootOfData() match the reference for sizes 0..300", () => {
  const entries = Array.from({ length: 300 }, (_, i) => entry(i));
  const hashes = entries.map(refLeaf);
  for (let n = 0; n <= 300; n++) {
    const expected = refRoot(hashes.slice(0, n));
    assert.deepEqual(merkleRoot(hashes.slice(0, n)), expected, `size ${n}`);
    assert.deepEqual(merkleRootOfData(entries.slice(0, n)), expected, `size ${n} (data)`);
  }
});

Deno.test("merkleRoot() matches the reference around powers of two up to 4097", () => {
  const hashes = leafHashesOf(4097);
  for (const n of [511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097]) {
    assert.deepEqual(merkleRoot(hashes.slice(0, n)), refRoot(hashes.slice(0, n)), `size ${n}`);
  }
});

Deno.test("merkleRootOfData() handles 32-byte entries, large entries and views", () => {
  const buffer = entry(3, 32 * 40 + 1);
  const views = Array.from({ length: 40 }, (_, i) => buffer.subarray(1 + 32 * i, 33 + 32 * i));
  const mixed = [...views.slice(0, 5), entry(9, 3000), new Uint8Array(), entry(1, 2047)];
  for (const entries of [views, mixed]) {
    assert.deepEqual(merkleRootOfData(entries), refRoot(entries.map((e) => refLeaf(e.slice()))));
  }
});

Deno.test("merkleRoot() leaves its input untouched", () => {
  const hashes = leafHashesOf(9);
  const copies = hashes.map((h) => h.slice());
  merkleRoot(hashes);
  inclusionProof(hashes, 4);
  consistencyProof(hashes, 5);
  assert.deepEqual(hashes, copies);
});

Deno.test("merkleRoot() and merkleRootOfData() reject misuse", () => {
  assert.throws(() => merkleRoot("x" as unknown as Uint8Array[]), TypeError);
  assert.throws(() => merkleRoot([new Uint8Array(32), "x" as unknown as Uint8Array]), TypeError);
  assert.throws(() => merkleRoot([new Uint8Array(32), new Uint8Array(31)]), RangeError);
  assert.throws(() => merkleRoot([new Uint8Array(33)]), RangeError);
  assert.throws(() => merkleRootOfData([[1, 2] as unknown as Uint8Array]), TypeError);
  assert.throws(() => hashLeaf("abc" as unknown as Uint8Array), TypeError);
  assert.throws(() => hashChildren(new Uint8Array(32), null as unknown as Uint8Array), TypeError);
});

// ---- Inclusion ----

Deno.test("inclusionProof() equals PATH and verifies for every (index, size) up to 64", () => {
  const all = leafHashesOf(64);
  let pairs = 0;
  for (let n = 1; n <= 64; n++) {
    const hashes = all.slice(0, n);
    const rootHash = refRoot(hashes);
    for (let m = 0; m < n; m++) {
      const proof = inclusionProof(hashes, m);
      assert.deepEqual(proof, refPath(m, hashes), `PATH(${m}, ${n})`);
      const leafHash = hashes[m]!;
      assert.deepEqual(
        verifyInclusion({ leafIndex: m, treeSize: n, hashes: proof }, { leafHash, rootHash }),
        { ok: true },
      );
      assert.deepEqual(
        verifyInclusion(
          { leafIndex: BigInt(m), treeSize: BigInt(n), hashes: proof },
          { leafHash, rootHash },
        ),
        { ok: true },
      );
      assert.deepEqual(
        rootFromInclusionProof({ leafIndex: m, treeSize: n, hashes: proof }, leafHash),
        rootHash,
      );
      assert.deepEqual(inclusionProof(hashes, BigInt(m)), proof);
      pairs++;
    }
  }
  assert.equal(pairs, 64 * 65 / 2);
});

Deno.test("verifyInclusion() rejects tampered proofs for every (index, size) up to 64", () => {
  const all = leafHashesOf(65);
  for (let n = 1; n <= 64; n++) {
    const hashes = all.slice(0, n);
    const rootHash = refRoot(hashes);
    for (let m = 0; m < n; m++) {
      const proof = inclusionProof(hashes, m);
      const leafHash = hashes[m]!;
      const check = (
        leafIndex: number,
        treeSize: number,
        path: readonly Uint8Array[],
        leaf = leafHash,
        root = rootHash,
      ) =>
        codeOf(verifyInclusion({ leafIndex, treeSize, hashes: path }, {
          leafHash: leaf,
          rootHash: root,
        }));
      const label = `(${m}, ${n})`;
      for (let i = 0; i < proof.length; i++) {
        for (const bit of [0, 7, 255]) {
          assert.equal(check(m, n, flipBit(proof, i, bit)), "INCLUSION_PROOF_INVALID", label);
        }
      }
      if (proof.length > 0) {
        assert.equal(check(m, n, proof.slice(1)), "INCLUSION_PROOF_INVALID", label);
        assert.equal(check(m, n, proof.slice(0, -1)), "INCLUSION_PROOF_INVALID", label);
        if (proof.length > 1) {
          assert.equal(check(m, n, [...proof].reverse()), "INCLUSION_PROOF_INVALID", label);
        }
      }
      assert.equal(check(m, n, [...proof, all[64]!]), "INCLUSION_PROOF_INVALID", label);
      assert.equal(check(m, n, [all[64]!, ...proof]), "INCLUSION_PROOF_INVALID", label);
      assert.equal(check(m, n, proof, all[64]!), "INCLUSION_PROOF_INVALID", label);
      assert.equal(check(m, n, proof, leafHash, all[64]!), "INCLUSION_PROOF_INVALID", label);
      assert.equal(check(n, n, proof), "MERKLE_INPUT_INVALID", label);
      if (m + 1 < n) assert.notEqual(check(m + 1, n, proof), "OK", label);
      if (m > 0) assert.notEqual(check(m - 1, n, proof), "OK", label);
      // A changed treeSize may still verify (leaf 0 has the same path and the same root in trees
      // of 3 and 4 leaves when the root given is that of 3 leaves): the root binds the size.
    }
  }
});

Deno.test("verifyInclusion() reports impossible inputs as MERKLE_INPUT_INVALID", () => {
  const hashes = leafHashesOf(5);
  const rootHash = merkleRoot(hashes);
  const proof = inclusionProof(hashes, 2);
  const leafHash = hashes[2]!;
  const cases: [number | bigint, number | bigint, Uint8Array, Uint8Array][] = [
    [-1, 5, leafHash, rootHash],
    [2.5, 5, leafHash, rootHash],
    [2, Number.NaN, leafHash, rootHash],
    [2, 2 ** 64, leafHash, rootHash], // not a safe integer
    [2, Infinity, leafHash, rootHash],
    [-1n, 5n, leafHash, rootHash],
    [2n, 1n << 64n, leafHash, rootHash],
    [5, 5, leafHash, rootHash],
    [(1n << 64n) - 1n, 1, leafHash, rootHash],
    [2, 5, leafHash.subarray(0, 31), rootHash],
    [2, 5, new Uint8Array(), rootHash],
    [2, 5, leafHash, rootHash.subarray(0, 31)],
    [2, 5, leafHash, new Uint8Array()],
  ];
  for (const [leafIndex, treeSize, leaf, root] of cases) {
    const verdict = verifyInclusion({ leafIndex, treeSize, hashes: proof }, {
      leafHash: leaf,
      rootHash: root,
    });
    assert.equal(codeOf(verdict), "MERKLE_INPUT_INVALID", `${leafIndex} ${treeSize}`);
    assert.ok(!verdict.ok && verdict.message.startsWith("Cannot verify inclusion proof: "));
  }
  // Proof hashes that are not 32 bytes.
  const short = proof.map((h, i) => (i === 1 ? h.subarray(0, 16) : h));
  assert.equal(
    codeOf(verifyInclusion({ leafIndex: 2, treeSize: 5, hashes: short }, { leafHash, rootHash })),
    "INCLUSION_PROOF_INVALID",
  );
});

Deno.test("verifyInclusion() handles trees of up to 2^64 - 1 leaves as bigint", () => {
  const size = (1n << 64n) - 1n;
  const leafHash = refLeaf(entry(1));
  for (const index of [0n, 1n, size - 2n, size - 1n, 1n << 63n, 12345678901234567890n]) {
    // The audit path of a leaf in such a tree has 63 or 64 nodes: only one length fits.
    for (const length of [62, 63, 64, 65]) {
      const hashes = Array.from({ length }, (_, i) => refLeaf(entry(i + 100)));
      const proof = { leafIndex: index, treeSize: size, hashes };
      let root: Uint8Array;
      try {
        root = rootFromInclusionProof(proof, leafHash);
      } catch (error) {
        assert.ok(error instanceof ParseError);
        assert.equal(error.code, "INCLUSION_PROOF_INVALID");
        continue;
      }
      assert.deepEqual(verifyInclusion(proof, { leafHash, rootHash: root }), { ok: true });
      assert.notEqual(
        codeOf(verifyInclusion({ ...proof, leafIndex: index ^ 1n }, { leafHash, rootHash: root })),
        "OK",
      );
    }
  }
  // Leaf 0 needs 64 hashes (one per level); the last leaf 2^64 - 2 sits on the right border
  // below 63 complete subtrees, so it needs 63.
  const hashes = Array.from({ length: 64 }, (_, i) => refLeaf(entry(i)));
  const first = rootFromInclusionProof({ leafIndex: 0n, treeSize: size, hashes }, leafHash);
  const last = rootFromInclusionProof(
    { leafIndex: size - 1n, treeSize: size, hashes: hashes.slice(1) },
    leafHash,
  );
  assert.equal(first.length, 32);
  assert.equal(last.length, 32);
  for (const [leafIndex, path] of [[0n, hashes.slice(1)], [size - 1n, hashes]] as const) {
    assert.throws(
      () => rootFromInclusionProof({ leafIndex, treeSize: size, hashes: path }, leafHash),
      { name: "ParseError", code: "INCLUSION_PROOF_INVALID" },
    );
  }
  assert.throws(
    () => rootFromInclusionProof({ leafIndex: size, treeSize: size, hashes }, leafHash),
    { name: "ParseError", code: "MERKLE_INPUT_INVALID" },
  );
});

Deno.test("inclusionProof() rejects misuse with RangeError or TypeError", () => {
  const hashes = leafHashesOf(4);
  assert.throws(() => inclusionProof(hashes, 4), RangeError);
  assert.throws(() => inclusionProof(hashes, -1), RangeError);
  assert.throws(() => inclusionProof(hashes, 1.5), RangeError);
  assert.throws(() => inclusionProof(hashes, 4n), RangeError);
  assert.throws(() => inclusionProof([], 0), RangeError);
  assert.throws(() => inclusionProof(hashes, "1" as unknown as number), TypeError);
  assert.throws(() => inclusionProof([new Uint8Array(20)], 0), RangeError);
  assert.throws(
    () =>
      verifyInclusion(
        { leafIndex: "0", treeSize: 1, hashes: [] } as unknown as Parameters<
          typeof verifyInclusion
        >[0],
        { leafHash: hashes[0]!, rootHash: hashes[0]! },
      ),
    TypeError,
  );
  assert.throws(
    () =>
      verifyInclusion(
        { leafIndex: 0, treeSize: 1, hashes: ["x"] } as unknown as Parameters<
          typeof verifyInclusion
        >[0],
        { leafHash: hashes[0]!, rootHash: hashes[0]! },
      ),
    TypeError,
  );
});

// ---- Consistency ----

Deno.test("consistencyProof() equals PROOF and verifies for every (oldSize, newSize) up to 64", () => {
  const all = leafHashesOf(64);
  let pairs = 0;
  for (let n = 1; n <= 64; n++) {
    const hashes = all.slice(0, n);
    const newRoot = refRoot(hashes);
    for (let m = 1; m <= n; m++) {
      const proof = consistencyProof(hashes, m);
      assert.deepEqual(proof, refSubproof(m, hashes, true), `PROOF(${m}, ${n})`);
      const oldRoot = refRoot(hashes.slice(0, m));
      assert.deepEqual(
        verifyConsistency({ oldSize: m, newSize: n, hashes: proof }, { oldRoot, newRoot }),
        { ok: true },
        `(${m}, ${n})`,
      );
      assert.deepEqual(
        verifyConsistency({ oldSize: BigInt(m), newSize: BigInt(n), hashes: proof }, {
          oldRoot,
          newRoot,
        }),
        { ok: true },
      );
      assert.deepEqual(consistencyProof(hashes, BigInt(m)), proof);
      pairs++;
    }
  }
  assert.equal(pairs, 64 * 65 / 2);
});

Deno.test("verifyConsistency() rejects tampered proofs for every (oldSize, newSize) up to 64", () => {
  const all = leafHashesOf(65);
  const other = all[64]!;
  for (let n = 1; n <= 64; n++) {
    const hashes = all.slice(0, n);
    const newRoot = refRoot(hashes);
    for (let m = 1; m <= n; m++) {
      const proof = consistencyProof(hashes, m);
      const oldRoot = refRoot(hashes.slice(0, m));
      const check = (
        oldSize: number,
        newSize: number,
        path: readonly Uint8Array[],
        roots = { oldRoot, newRoot },
      ) => codeOf(verifyConsistency({ oldSize, newSize, hashes: path }, roots));
      const label = `(${m}, ${n})`;
      for (let i = 0; i < proof.length; i++) {
        for (const bit of [0, 100, 255]) {
          assert.equal(check(m, n, flipBit(proof, i, bit)), "CONSISTENCY_PROOF_INVALID", label);
        }
      }
      assert.equal(check(m, n, [...proof, other]), "CONSISTENCY_PROOF_INVALID", label);
      assert.equal(check(m, n, [other, ...proof]), "CONSISTENCY_PROOF_INVALID", label);
      if (proof.length > 0) {
        assert.equal(check(m, n, proof.slice(0, -1)), "CONSISTENCY_PROOF_INVALID", label);
      }
      const swapped = { oldRoot: newRoot, newRoot: oldRoot };
      assert.equal(check(m, n, proof, { oldRoot: other, newRoot }), "CONSISTENCY_PROOF_INVALID");
      assert.equal(check(m, n, proof, { oldRoot, newRoot: other }), "CONSISTENCY_PROOF_INVALID");
      assert.equal(check(m, n, proof, swapped), m === n ? "OK" : "CONSISTENCY_PROOF_INVALID");
      assert.equal(check(n + 1, n, proof), "MERKLE_INPUT_INVALID", label);
      if (m < n) assert.notEqual(check(m + 1, n, proof), "OK", label);
      if (m > 1) assert.notEqual(check(m - 1, n, proof), "OK", label);
    }
  }
});

Deno.test("verifyConsistency() applies the transparency-dev/merkle edge rules", () => {
  const a = refLeaf(entry(1));
  const b = refLeaf(entry(2));
  const twelve = new Uint8Array(12).fill(7);
  const cases: [number | bigint, number | bigint, Uint8Array[], Uint8Array, Uint8Array, string][] =
    [
      [0, 0, [], a, a, "MERKLE_INPUT_INVALID"], // from the empty tree: meaningless
      [0, 5, [], a, b, "MERKLE_INPUT_INVALID"],
      [0, 5, [a], a, b, "MERKLE_INPUT_INVALID"],
      [5, 4, [a], a, b, "MERKLE_INPUT_INVALID"],
      [3, 3, [], a, a, "OK"],
      [3, 3, [], twelve, twelve, "OK"], // equal sizes: byte equality only
      [3, 3, [], a, b, "CONSISTENCY_PROOF_INVALID"],
      [3, 3, [a], a, a, "CONSISTENCY_PROOF_INVALID"],
      [3, 5, [], a, b, "CONSISTENCY_PROOF_INVALID"],
      [-1, 5, [a], a, b, "MERKLE_INPUT_INVALID"],
      [1, 2 ** 64, [a], a, b, "MERKLE_INPUT_INVALID"],
      [1n, 1n << 64n, [a], a, b, "MERKLE_INPUT_INVALID"],
      [1, 2, [a], twelve, b, "MERKLE_INPUT_INVALID"],
      [1, 2, [a], a, twelve, "MERKLE_INPUT_INVALID"],
      [1, 2, [twelve], a, b, "CONSISTENCY_PROOF_INVALID"],
      [1, 2, [b], a, refNode(a, b), "OK"],
    ];
  for (const [oldSize, newSize, hashes, oldRoot, newRoot, expected] of cases) {
    const verdict = verifyConsistency({ oldSize, newSize, hashes }, { oldRoot, newRoot });
    assert.equal(codeOf(verdict), expected, `${oldSize} → ${newSize}`);
    if (!verdict.ok) assert.match(verdict.message, /^Cannot verify consistency proof: /);
  }
});

Deno.test("consistencyProof() rejects misuse with RangeError or TypeError", () => {
  const hashes = leafHashesOf(4);
  assert.throws(() => consistencyProof(hashes, 0), RangeError);
  assert.throws(() => consistencyProof(hashes, 5), RangeError);
  assert.throws(() => consistencyProof(hashes, -1n), RangeError);
  assert.throws(() => consistencyProof(hashes, Number.MAX_SAFE_INTEGER + 1), RangeError);
  assert.throws(() => consistencyProof(hashes, null as unknown as number), TypeError);
  assert.throws(
    () =>
      verifyConsistency(null as unknown as Parameters<typeof verifyConsistency>[0], {
        oldRoot: hashes[0]!,
        newRoot: hashes[0]!,
      }),
    TypeError,
  );
});

Deno.test("MERKLE_FAILURE_CODES is exactly the set of codes the verifiers return", () => {
  const leaves = [1, 2, 3, 4].map((i) => hashLeaf(Uint8Array.of(i)));
  const root = merkleRoot(leaves);
  const oldRoot = merkleRoot(leaves.slice(0, 2));
  const inclusion = { leafIndex: 0, treeSize: 4, hashes: inclusionProof(leaves, 0) };
  const consistency = { oldSize: 2, newSize: 4, hashes: consistencyProof(leaves, 2) };
  const verdicts: MerkleVerdict[] = [
    verifyInclusion({ ...inclusion, leafIndex: 4 }, { leafHash: leaves[0]!, rootHash: root }),
    verifyInclusion(inclusion, { leafHash: leaves[1]!, rootHash: root }),
    verifyInclusion(inclusion, { leafHash: leaves[0]!, rootHash: root.subarray(1) }),
    verifyConsistency({ ...consistency, oldSize: 5 }, { oldRoot, newRoot: root }),
    verifyConsistency(consistency, { oldRoot: root, newRoot: root }),
    verifyConsistency({ ...consistency, hashes: [] }, { oldRoot, newRoot: root }),
  ];
  const codes = verdicts.map((v) => (v.ok ? "ok" : v.code));
  assert.deepEqual(codes, [
    "MERKLE_INPUT_INVALID",
    "INCLUSION_PROOF_INVALID",
    "MERKLE_INPUT_INVALID",
    "MERKLE_INPUT_INVALID",
    "CONSISTENCY_PROOF_INVALID",
    "CONSISTENCY_PROOF_INVALID",
  ]);
  assert.deepEqual(new Set(codes), new Set(MERKLE_FAILURE_CODES));
});

// ---- Digest sets ----

Deno.test("merkleRootOfDigests() hashes the sorted, de-duplicated digest strings as leaves", () => {
  const digests = ["c", "a", "b", "a"].map((s) =>
    formatDigest("sha256", sha256(new TextEncoder().encode(s)))
  );
  const unique = [...new Set(digests)].sort();
  const expected = refRoot(unique.map((d) => refLeaf(new TextEncoder().encode(d))));
  assert.equal(merkleRootOfDigests(digests), "sha256:" + Uint8Array.from(expected).toHex());
  assert.equal(merkleRootOfDigests([...digests].reverse()), merkleRootOfDigests(digests));
  assert.equal(merkleRootOfDigests(unique), merkleRootOfDigests(digests));
  assert.equal(merkleRootOfDigests([]), `sha256:${EMPTY_ROOT_HEX}`);
  // One digest: the root is the leaf hash of its text.
  assert.equal(
    merkleRootOfDigests([digests[0]!]),
    "sha256:" + Uint8Array.from(refLeaf(new TextEncoder().encode(digests[0]!))).toHex(),
  );
});

Deno.test("merkleRootOfDigests() accepts sha384/sha512 digests and sorts by code units", () => {
  const bytes = new TextEncoder().encode("x");
  const digests = [
    formatDigest("sha512", new Uint8Array(createHash("sha512").update(bytes).digest())),
    formatDigest("sha256", sha256(bytes)),
    formatDigest("sha384", new Uint8Array(createHash("sha384").update(bytes).digest())),
  ];
  const sorted = [digests[1]!, digests[2]!, digests[0]!]; // "sha256:" < "sha384:" < "sha512:"
  const expected = refRoot(sorted.map((d) => refLeaf(new TextEncoder().encode(d))));
  assert.equal(merkleRootOfDigests(digests), "sha256:" + Uint8Array.from(expected).toHex());
});

Deno.test("merkleRootOfDigests() rejects non-canonical digest strings with DIGEST_INVALID", () => {
  const good = formatDigest("sha256", sha256(new Uint8Array()));
  for (
    const bad of [
      good.toUpperCase(),
      "sha256:" + good.slice(7).toUpperCase(),
      good + " ",
      good.slice(7),
      "sha1:" + "0".repeat(40),
    ]
  ) {
    assert.throws(() => merkleRootOfDigests([good, bad]), (error) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.code, "DIGEST_INVALID");
      assert.match(error.message, /"digests\[1\]"/);
      return true;
    });
  }
  assert.throws(() => merkleRootOfDigests(good as unknown as string[]), TypeError);
});
