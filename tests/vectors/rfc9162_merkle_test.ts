/**
 * RFC 9162 §2.1 / RFC 6962 §2.1 Merkle trees against the transparency-dev/merkle probes
 * (`transparency-dev-merkle/testdata/{inclusion,consistency}`) and the RFC 6962 reference tree
 * (`transparency-dev-merkle/transcribed/rfc6962-reference-tree.json`). See that folder's SOURCE.md.
 */

import assert from "node:assert/strict";
import {
  EMPTY_ROOT_HEX,
  emptyRoot,
  hashChildren,
  hashLeaf,
  inclusionProof,
  merkleRoot,
  merkleRootOfData,
  verifyConsistency,
  verifyInclusion,
} from "../../lib/digest/mod.ts";
import { decodeBase64 } from "../../lib/encoding/mod.ts";
import type { MerkleVerdict } from "../../lib/digest/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const MERKLE = vectorSet("transparency-dev-merkle");
const ROOT = MERKLE.url("");

type JsonInteger = number | bigint;

interface InclusionCase {
  leafIdx: JsonInteger;
  treeSize: JsonInteger;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyCase {
  size1: JsonInteger;
  size2: JsonInteger;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

/**
 * Parses JSON keeping integers beyond 2^53 exact: the reviver's `context.source` (supported by
 * Deno's V8) is the literal text, so `18446744073709551615` becomes the BigInt 2^64 − 1.
 */
function parseLossless(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }) => {
    if (
      typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined
    ) {
      if (/^-?[0-9]+$/.test(context.source)) return BigInt(context.source);
    }
    return value;
  };
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** Every `*.json` below `dir`, sorted by path so the order does not depend on the file system. */
async function jsonFiles(dir: URL): Promise<URL[]> {
  const found: URL[] = [];
  for await (const item of Deno.readDir(dir)) {
    if (item.isDirectory) found.push(...await jsonFiles(new URL(`${item.name}/`, dir)));
    else if (item.name.endsWith(".json")) found.push(new URL(item.name, dir));
  }
  return found.sort((a, b) => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0));
}

function name(url: URL): string {
  return decodeURIComponent(url.href.slice(ROOT.href.length));
}

function hashes(proof: string[] | null): Uint8Array[] {
  return (proof ?? []).map((b64) => decodeBase64(b64));
}

function describe(verdict: MerkleVerdict): string {
  return verdict.ok ? "ok" : `${verdict.code}: ${verdict.message}`;
}

Deno.test("parseLossless() keeps 2^64 - 1 exact", () => {
  assert.deepEqual(parseLossless('{"a": 18446744073709551615, "b": 3, "c": 1.5}'), {
    a: 18446744073709551615n,
    b: 3,
    c: 1.5,
  });
});

vectorTest(
  MERKLE,
  "transparency-dev/merkle inclusion probes: verifyInclusion() ok === !wantErr (98 cases)",
  async (t) => {
    const files = await jsonFiles(new URL("testdata/inclusion/", ROOT));
    let valid = 0;
    let bigint = 0;
    for (const file of files) {
      const c = parseLossless(await Deno.readTextFile(file)) as InclusionCase;
      if (typeof c.leafIdx === "bigint" || typeof c.treeSize === "bigint") bigint++;
      await t.step(`${name(file)}: ${c.desc}`, () => {
        const verdict = verifyInclusion(
          { leafIndex: c.leafIdx, treeSize: c.treeSize, hashes: hashes(c.proof) },
          { leafHash: decodeBase64(c.leafHash), rootHash: decodeBase64(c.root) },
        );
        assert.equal(verdict.ok, !c.wantErr, describe(verdict));
      });
      if (!c.wantErr) valid++;
    }
    assert.equal(files.length, 98);
    assert.equal(valid, 6);
    assert.equal(bigint, 2); // inclusion/{0,1}/leafIdx-sub-@1.json: leafIdx 2^64 − 1
    return files.length;
  },
);

vectorTest(
  MERKLE,
  "transparency-dev/merkle consistency probes: verifyConsistency() ok === !wantErr (98 cases)",
  async (t) => {
    const files = await jsonFiles(new URL("testdata/consistency/", ROOT));
    let valid = 0;
    for (const file of files) {
      const c = parseLossless(await Deno.readTextFile(file)) as ConsistencyCase;
      await t.step(`${name(file)}: ${c.desc}`, () => {
        const verdict = verifyConsistency(
          { oldSize: c.size1, newSize: c.size2, hashes: hashes(c.proof) },
          { oldRoot: decodeBase64(c.root1), newRoot: decodeBase64(c.root2) },
        );
        assert.equal(verdict.ok, !c.wantErr, describe(verdict));
      });
      if (!c.wantErr) valid++;
    }
    assert.equal(files.length, 98);
    assert.equal(valid, 6);
    return files.length;
  },
);

interface ReferenceTree {
  hasherVectors: {
    desc: string;
    op: string;
    leaf?: string;
    left?: string;
    right?: string;
    want: string;
  }[];
  referenceTree: {
    leafInputs: string[];
    nodeHashesByLevel: Record<string, string[] | string>;
    rootHashesByTreeSize: { values: string[] };
  };
}

const REFERENCE =
  (MERKLE.present
    ? await MERKLE.readJson("transcribed/rfc6962-reference-tree.json")
    : {}) as ReferenceTree;

vectorTest(
  MERKLE,
  "RFC 6962 hasher vectors: emptyRoot(), hashLeaf(), hashChildren() (4 cases)",
  () => {
    let count = 0;
    for (const v of REFERENCE.hasherVectors) {
      let got: Uint8Array;
      if (v.op === "emptyRoot") got = emptyRoot();
      else if (v.op === "hashLeaf") got = hashLeaf(Uint8Array.fromHex(v.leaf!));
      else if (v.op === "hashChildren") {
        got = hashChildren(Uint8Array.fromHex(v.left!), Uint8Array.fromHex(v.right!));
      } else throw new Error(`unknown op ${v.op}`);
      assert.equal(got.toHex(), v.want, v.desc);
      count++;
    }
    assert.equal(count, 4);
    assert.equal(EMPTY_ROOT_HEX, REFERENCE.hasherVectors[0]!.want);
  },
);

vectorTest(
  MERKLE,
  "RFC 6962 reference tree: roots for every size 0..8 and every complete subtree",
  () => {
    const { leafInputs, nodeHashesByLevel, rootHashesByTreeSize } = REFERENCE.referenceTree;
    const entries = leafInputs.map((hex) => Uint8Array.fromHex(hex));
    const leafHashes = entries.map(hashLeaf);
    const roots = rootHashesByTreeSize.values;
    assert.equal(roots.length, 9);
    for (let n = 0; n <= 8; n++) {
      assert.equal(merkleRoot(leafHashes.slice(0, n)).toHex(), roots[n], `root of size ${n}`);
      assert.equal(merkleRootOfData(entries.slice(0, n)).toHex(), roots[n], `data root of ${n}`);
    }
    let nodes = 0;
    for (let level = 0; level <= 3; level++) {
      const expected = nodeHashesByLevel[String(level)] as string[];
      const width = 2 ** level;
      expected.forEach((hex, i) => {
        const subtree = leafHashes.slice(i * width, (i + 1) * width);
        assert.equal(merkleRoot(subtree).toHex(), hex, `level ${level} node ${i}`);
        nodes++;
      });
    }
    assert.equal(nodes, 15);
  },
);

vectorTest(
  MERKLE,
  "RFC 6962 reference tree: generated proofs verify against the vector roots",
  () => {
    const { leafInputs, rootHashesByTreeSize } = REFERENCE.referenceTree;
    const leafHashes = leafInputs.map((hex) => hashLeaf(Uint8Array.fromHex(hex)));
    for (let n = 1; n <= 8; n++) {
      const rootHash = Uint8Array.fromHex(rootHashesByTreeSize.values[n]!);
      for (let m = 0; m < n; m++) {
        const proof = {
          leafIndex: m,
          treeSize: n,
          hashes: inclusionProof(leafHashes.slice(0, n), m),
        };
        assert.deepEqual(verifyInclusion(proof, { leafHash: leafHashes[m]!, rootHash }), {
          ok: true,
        });
      }
    }
  },
);
