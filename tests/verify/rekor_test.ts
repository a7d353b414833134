import assert from "node:assert/strict";
import { canonicalize, createSigner, ParseError } from "../../mod.ts";
import type { RekorInclusionInput } from "../../lib/verify/sigstore_mod.ts";
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  merkleRoot,
  merkleRootOfDigests,
} from "../../lib/digest/mod.ts";
import { decodeBase64, encodeBase64, encodeHex } from "../../lib/encoding/mod.ts";
import { exportSpki } from "../../lib/keys/mod.ts";
import {
  rekorSetPayload,
  signNote,
  verifyMerkleRoot,
  verifyRekorInclusion,
  verifyRekorSet,
  verifyTreeHeadConsistency,
} from "../../lib/verify/sigstore_mod.ts";
import { ecdsaNoteKey, ed25519NoteKey } from "./_note_keys.ts";

const ENCODER = new TextEncoder();
const logKey = ecdsaNoteKey(21);
const LOG_ID = encodeHex(new Uint8Array(32).fill(0xc0));

async function makeSet(
  entry: { body: string; integratedTime: number; logIndex: number; logId: string },
) {
  return await createSigner(logKey.privateKey).sign(ENCODER.encode(rekorSetPayload(entry)));
}

Deno.test("rekorSetPayload() is the RFC 8785 canonical JSON of the four fields", () => {
  const body = "eyJhcGlWZXJzaW9uIjoiMC4wLjEifQ==";
  const payload = rekorSetPayload({
    body,
    integratedTime: 1689177396,
    logIndex: "27246492",
    logId: LOG_ID,
  });
  assert.equal(
    payload,
    canonicalize({ logIndex: 27246492, logID: LOG_ID, integratedTime: 1689177396, body }),
  );
  assert.equal(
    rekorSetPayload({ body, integratedTime: 1n, logIndex: 0, logId: Uint8Array.of(0xab, 0xcd) }),
    `{"body":"${body}","integratedTime":1,"logID":"abcd","logIndex":0}`,
  );
  // Integers are exact beyond 2^53.
  assert.match(
    rekorSetPayload({
      body,
      integratedTime: "18446744073709551615",
      logIndex: 2n ** 60n,
      logId: "ab",
    }),
    /"integratedTime":18446744073709551615,.*"logIndex":1152921504606846976\}$/,
  );
});

Deno.test("rekorSetPayload() rejects values that cannot be signed", () => {
  const entry = { body: "e30=", integratedTime: 1, logIndex: 1, logId: "ab" };
  assert.throws(() => rekorSetPayload({ ...entry, logIndex: -1 }), RangeError);
  assert.throws(() => rekorSetPayload({ ...entry, logIndex: "01" }), RangeError);
  assert.throws(() => rekorSetPayload({ ...entry, integratedTime: 1.5 }), RangeError);
  assert.throws(() => rekorSetPayload({ ...entry, integratedTime: 2 ** 64 }), RangeError);
  assert.throws(
    () => rekorSetPayload({ ...entry, integratedTime: "18446744073709551616" }),
    RangeError,
  );
  assert.throws(() => rekorSetPayload({ ...entry, logId: "xyz" }), ParseError);
  assert.throws(() => rekorSetPayload({ ...entry, body: 1 as never }), TypeError);
  assert.throws(() => rekorSetPayload({ ...entry, logIndex: null as never }), TypeError);
});

Deno.test("verifyRekorSet() passes for the log's signature and fails for any change", async () => {
  const entry = { body: "e30=", integratedTime: 1700000000, logIndex: 7, logId: LOG_ID };
  const set = await makeSet(entry);
  const good = { ...entry, signedEntryTimestamp: set };
  assert.deepEqual(await verifyRekorSet(good, logKey.spki), { id: "tlog.set", ok: true });
  assert.deepEqual(
    await verifyRekorSet({ ...good, signedEntryTimestamp: encodeBase64(set) }, {
      publicKey: logKey.spki,
      logId: LOG_ID,
    }),
    { id: "tlog.set", ok: true },
  );
  const tampered: [string, Parameters<typeof verifyRekorSet>[0]][] = [
    ["body", { ...good, body: "e31=" }],
    ["integratedTime", { ...good, integratedTime: 1700000001 }],
    ["logIndex", { ...good, logIndex: 8 }],
    ["logId", { ...good, logId: LOG_ID.replace(/^c0/, "c1") }],
    ["signature", {
      ...good,
      signedEntryTimestamp: set.map((b, i) => (i === set.length - 1 ? b ^ 1 : b)),
    }],
    ["empty signature", { ...good, signedEntryTimestamp: new Uint8Array(0) }],
    ["P1363 instead of DER", { ...good, signedEntryTimestamp: new Uint8Array(64) }],
    ["bad base64", { ...good, signedEntryTimestamp: "%%%" }],
    ["negative index", { ...good, logIndex: -7 }],
    ["logId not hex", { ...good, logId: "zz" }],
  ];
  for (const [what, input] of tampered) {
    const check = await verifyRekorSet(input, logKey.spki);
    assert.equal(check.code, "SET_INVALID", what);
    assert.equal(check.ok, false);
  }
  const wrongKey = ecdsaNoteKey(22);
  assert.equal((await verifyRekorSet(good, wrongKey.spki)).code, "SET_INVALID");
  assert.equal(
    (await verifyRekorSet(good, { publicKey: logKey.spki, logId: "00".repeat(32) })).code,
    "LOG_KEY_UNTRUSTED",
  );
});

Deno.test("verifyRekorSet() misuse throws", async () => {
  const good = {
    body: "e30=",
    integratedTime: 1,
    logIndex: 1,
    logId: LOG_ID,
    signedEntryTimestamp: "",
  };
  await assert.rejects(verifyRekorSet(good, "spki" as never), TypeError);
  await assert.rejects(verifyRekorSet(good, new Uint8Array(3)), ParseError);
  await assert.rejects(verifyRekorSet(null as never, logKey.spki), TypeError);
  await assert.rejects(
    verifyRekorSet({ ...good, signedEntryTimestamp: 5 as never }, logKey.spki),
    TypeError,
  );
});

// A log of 11 entries; entry 6 is ours; a checkpoint signed by an Ed25519 log key.
const bodies = Array.from({ length: 11 }, (_, i) => ENCODER.encode(`{"entry":${i}}`));
const leaves = bodies.map(hashLeaf);
const root = merkleRoot(leaves);
const ed = ed25519NoteKey("log.example", 23);
const checkpoint = await signNote(`log.example\n11\n${encodeBase64(root)}\n`, ed.skey);
const proof: RekorInclusionInput & { checkpoint: string } = {
  canonicalizedBody: bodies[6]!,
  logIndex: 6,
  treeSize: "11",
  rootHash: root,
  hashes: inclusionProof(leaves, 6),
  checkpoint,
};
const options = {
  logKeys: [{ name: "log.example", publicKey: ed.spki }],
  expectedOrigin: "log.example",
};

function summary(checks: { id: string; ok: boolean; code?: string }[]): string[] {
  return checks.map((c) => (c.ok ? c.id : `${c.id}:${c.code}`));
}

Deno.test("verifyRekorInclusion() verifies the proof, the checkpoint and their binding", async () => {
  assert.deepEqual(summary(await verifyRekorInclusion(proof, options)), [
    "tlog.inclusion",
    "tlog.checkpoint",
    "tlog.checkpoint.binding",
  ]);
  const { checkpoint: _, ...bare } = proof;
  assert.deepEqual(summary(await verifyRekorInclusion(bare)), ["tlog.inclusion"]);
});

Deno.test("verifyRekorInclusion() named negatives", async () => {
  const flip = (bytes: Uint8Array) => bytes.map((b, i) => (i === 0 ? b ^ 1 : b));
  const cases: [string, Partial<RekorInclusionInput>, string[]][] = [
    ["wrong body", { canonicalizedBody: bodies[5]! }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["wrong index", { logIndex: 5 }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["index beyond size", { logIndex: 11 }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["negative index", { logIndex: "-1" }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["index not decimal", { logIndex: "6e0" }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["proof too short", { hashes: proof.hashes.slice(1) }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["proof hash flipped", { hashes: proof.hashes.map((h, i) => (i === 1 ? flip(h) : h)) }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]],
    ["root flipped", { rootHash: flip(root) }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
    ]],
    // The audit path of leaf 6 has the same shape in trees of 11 and 12 leaves, so only the
    // checkpoint binding catches a wrong size here.
    ["size mismatch, same path shape", { treeSize: 12 }, [
      "tlog.inclusion",
      "tlog.checkpoint",
      "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
    ]],
    ["size mismatch", { treeSize: 17 }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
    ]],
    ["size not decimal", { treeSize: "0x0b" }, [
      "tlog.inclusion:INCLUSION_PROOF_INVALID",
      "tlog.checkpoint",
      "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
    ]],
    ["truncated checkpoint", { checkpoint: checkpoint.slice(0, -2) }, [
      "tlog.inclusion",
      "tlog.checkpoint:CHECKPOINT_MALFORMED",
    ]],
    ["tampered checkpoint", { checkpoint: checkpoint.replace("\n11\n", "\n12\n") }, [
      "tlog.inclusion",
      "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
    ]],
  ];
  for (const [what, change, expected] of cases) {
    assert.deepEqual(
      summary(await verifyRekorInclusion({ ...proof, ...change }, options)),
      expected,
      what,
    );
  }
  assert.deepEqual(
    summary(await verifyRekorInclusion(proof, { ...options, expectedOrigin: "other" })),
    [
      "tlog.inclusion",
      "tlog.checkpoint:CHECKPOINT_MISMATCH",
    ],
  );
  assert.deepEqual(
    summary(
      await verifyRekorInclusion(proof, { logKeys: [ed25519NoteKey("log.example", 24).vkey] }),
    ),
    [
      "tlog.inclusion",
      "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
    ],
  );
  assert.deepEqual(summary(await verifyRekorInclusion(proof)), [
    "tlog.inclusion",
    "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
  ]);
});

Deno.test("verifyRekorInclusion() misuse throws", async () => {
  await assert.rejects(verifyRekorInclusion(null as never), TypeError);
  await assert.rejects(
    verifyRekorInclusion({ ...proof, canonicalizedBody: "x" as never }),
    TypeError,
  );
  await assert.rejects(verifyRekorInclusion({ ...proof, rootHash: "x" as never }), TypeError);
  await assert.rejects(verifyRekorInclusion({ ...proof, hashes: ["x"] as never }), TypeError);
  await assert.rejects(verifyRekorInclusion({ ...proof, logIndex: {} as never }), TypeError);
});

Deno.test("verifyMerkleRoot() compares bytes, hex and sha256:hex", () => {
  const digests = ["sha256:" + "01".repeat(32), "sha256:" + "02".repeat(32)];
  const expected = merkleRootOfDigests(digests);
  const hex = expected.slice("sha256:".length);
  assert.deepEqual(verifyMerkleRoot(expected, Uint8Array.fromHex(hex)), {
    id: "merkle.root",
    ok: true,
  });
  assert.deepEqual(verifyMerkleRoot(hex.toUpperCase(), expected), { id: "merkle.root", ok: true });
  const other = verifyMerkleRoot(expected, merkleRootOfDigests(digests.slice(1)), {
    name: "build metadata",
  });
  assert.equal(other.code, "MERKLE_ROOT_MISMATCH");
  assert.match(other.message!, /build metadata/);
  assert.equal(
    verifyMerkleRoot(new Uint8Array(32), new Uint8Array(31)).code,
    "MERKLE_ROOT_MISMATCH",
  );
  assert.throws(() => verifyMerkleRoot("xyz", expected), ParseError);
  assert.throws(() => verifyMerkleRoot(1 as never, expected), TypeError);
});

Deno.test("verifyTreeHeadConsistency() checks a newer tree head extends an older one", () => {
  const older = { size: 6, rootHash: merkleRoot(leaves.slice(0, 6)) };
  const newer = { size: 11n, rootHash: root };
  const hashes = consistencyProof(leaves, 6);
  assert.deepEqual(verifyTreeHeadConsistency(older, newer, hashes), {
    id: "tlog.consistency",
    ok: true,
  });
  assert.deepEqual(verifyTreeHeadConsistency(newer, newer, []), {
    id: "tlog.consistency",
    ok: true,
  });
  const cases: [string, Parameters<typeof verifyTreeHeadConsistency>][] = [
    ["forked old root", [{ ...older, rootHash: merkleRoot(leaves.slice(1, 7)) }, newer, hashes]],
    ["wrong new root", [older, { ...newer, rootHash: merkleRoot(leaves.slice(0, 10)) }, hashes]],
    ["proof hash dropped", [older, newer, hashes.slice(1)]],
    ["sizes swapped", [newer, older, hashes]],
    ["from the empty tree", [
      { size: 0, rootHash: decodeBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") },
      newer,
      [],
    ]],
    ["equal sizes, other root", [newer, { ...newer, rootHash: older.rootHash }, []]],
    ["size not an integer", [{ ...older, size: "six" }, newer, hashes]],
    ["negative size", [{ ...older, size: -6 }, newer, hashes]],
  ];
  for (const [what, args] of cases) {
    assert.equal(verifyTreeHeadConsistency(...args).code, "CONSISTENCY_PROOF_INVALID", what);
  }
  assert.throws(() => verifyTreeHeadConsistency(null as never, newer, hashes), TypeError);
});

Deno.test("verifyRekorSet() accepts the log key exported from a private key", async () => {
  const entry = { body: "e30=", integratedTime: 1, logIndex: 1, logId: LOG_ID };
  const set = await makeSet(entry);
  const spki = exportSpki(logKey.privateKey);
  assert.equal((await verifyRekorSet({ ...entry, signedEntryTimestamp: set }, spki)).ok, true);
});
