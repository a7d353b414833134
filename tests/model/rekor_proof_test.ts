import assert from "node:assert/strict";
import { parseJson, type RekorProof, ValidationError } from "../../mod.ts";
import { decodeBase64, decodeHex } from "../../lib/encoding/mod.ts";
import { parseRekorProof, validateRekorProof } from "../../lib/model/mod.ts";
import {
  logKeysFromTrustedRoot,
  verifyRekorInclusion,
  verifyRekorSet,
} from "../../lib/verify/sigstore_mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const SIGSTORE_JS = vectorSet("sigstore-js");
const PYTHON = vectorSet("sigstore-python");

const sampleBytes = await Deno.readFile(
  new URL("../../fixtures/sample/rekor-proof.json", import.meta.url),
);
const sample = parseJson(sampleBytes) as unknown as RekorProof;

/** The sample written back in the shape of a Sigstore bundle `tlogEntries` item (built here). */
const tlogEntry: Record<string, unknown> = {
  logIndex: String(sample.logIndex),
  logId: { keyId: decodeHex(sample.logId).toBase64() },
  kindVersion: { kind: "dsse", version: "0.0.1" },
  integratedTime: String(sample.integratedTime),
  inclusionPromise: { signedEntryTimestamp: sample.signedEntryTimestamp },
  inclusionProof: {
    logIndex: String(sample.inclusionProof.logIndex),
    rootHash: decodeHex(sample.inclusionProof.rootHash).toBase64(),
    treeSize: String(sample.inclusionProof.treeSize),
    hashes: sample.inclusionProof.hashes.map((h) => decodeHex(h).toBase64()),
    checkpoint: { envelope: sample.inclusionProof.checkpoint },
  },
  canonicalizedBody: sample.canonicalizedBody,
};

function codes(problems: readonly { path: string; code: string }[]): [string, string][] {
  return problems.map((p) => [p.path, p.code]);
}

Deno.test("parseRekorProof() reads the sample proof in its own shape", () => {
  const proof = parseRekorProof(sampleBytes, { name: "rekor-proof.json" });
  assert.deepEqual(proof, sample);
  assert.equal(proof.logId, "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
  assert.equal(proof.inclusionProof.treeSize, 23082684);
  assert.equal(proof.inclusionProof.hashes.length, 13);
});

Deno.test("parseRekorProof() converts a Sigstore bundle tlog entry (base64, string integers)", () => {
  assert.deepEqual(parseRekorProof(JSON.stringify(tlogEntry)), sample);
});

vectorTest(
  SIGSTORE_JS,
  "parseRekorProof() converts the sigstore-js bundle entry to the sample proof",
  async () => {
    // The sample was converted from this vector entry; converting again must give it exactly.
    const bundle = parseJson(await SIGSTORE_JS.read("tests/bundles/bundleV03-dsse.sigstore")) as {
      verificationMaterial: { tlogEntries: Record<string, unknown>[] };
    };
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    assert.deepEqual(parseRekorProof(JSON.stringify(entry)), sample);
    assert.deepEqual(parseJson(JSON.stringify(entry)), parseJson(JSON.stringify(tlogEntry)));
  },
);

Deno.test("parseRekorProof() converts a Rekor API log entry, with or without its uuid key", () => {
  const entry = {
    body: sample.canonicalizedBody,
    integratedTime: sample.integratedTime,
    logID: sample.logId,
    logIndex: sample.logIndex,
    verification: {
      inclusionProof: sample.inclusionProof,
      signedEntryTimestamp: sample.signedEntryTimestamp,
    },
  };
  assert.deepEqual(parseRekorProof(JSON.stringify(entry)), sample);
  assert.deepEqual(parseRekorProof(JSON.stringify({ "24296fb24b8ad77a": entry })), sample);
});

vectorTest(
  PYTHON,
  "the sample Rekor proof is real: SET and inclusion verify with the production key",
  async () => {
    const root = await PYTHON.read("trust-roots/production-trusted_root.json");
    const key = logKeysFromTrustedRoot(root).find((k) => k.logId === sample.logId);
    assert.ok(key, "the production trusted root holds the sample's log");
    const set = await verifyRekorSet({
      body: sample.canonicalizedBody!,
      integratedTime: sample.integratedTime,
      logIndex: sample.logIndex,
      logId: sample.logId,
      signedEntryTimestamp: sample.signedEntryTimestamp,
    }, key);
    assert.deepEqual(set, { id: "tlog.set", ok: true });
    const inclusion = await verifyRekorInclusion({
      canonicalizedBody: decodeBase64(sample.canonicalizedBody!),
      logIndex: sample.inclusionProof.logIndex,
      treeSize: sample.inclusionProof.treeSize,
      rootHash: decodeHex(sample.inclusionProof.rootHash),
      hashes: sample.inclusionProof.hashes.map((h) => decodeHex(h)),
      checkpoint: sample.inclusionProof.checkpoint,
    }, { logKeys: [key] });
    assert.ok(inclusion.every((check) => check.ok), JSON.stringify(inclusion));
    assert.deepEqual(inclusion.map((c) => c.id), [
      "tlog.inclusion",
      "tlog.checkpoint",
      "tlog.checkpoint.binding",
    ]);
  },
);

Deno.test("validateRekorProof() accepts an empty audit path and an omitted body", () => {
  const { canonicalizedBody: _, ...withoutBody } = sample;
  assert.deepEqual(validateRekorProof(withoutBody), []);
  assert.deepEqual(
    validateRekorProof({ ...sample, inclusionProof: { ...sample.inclusionProof, hashes: [] } }),
    [],
  );
  assert.deepEqual(validateRekorProof({ ...sample, canonicalizedBody: null }), []);
});

Deno.test("validateRekorProof() names every problem", () => {
  const problems = validateRekorProof({
    logId: sample.logId.toUpperCase(),
    logIndex: "27246114",
    integratedTime: 1.5,
    canonicalizedBody: "not base64",
    inclusionProof: { logIndex: 2 ** 53, treeSize: 0, rootHash: "", hashes: "x", checkpoint: 1 },
  }, "/rekor");
  assert.deepEqual(codes(problems), [
    ["/rekor/logId", "HASH_INVALID"],
    ["/rekor/logIndex", "TYPE_MISMATCH"],
    ["/rekor/integratedTime", "INTEGER_INVALID"],
    ["/rekor/canonicalizedBody", "BASE64_INVALID"],
    ["/rekor/inclusionProof/logIndex", "INTEGER_INVALID"],
    ["/rekor/inclusionProof/treeSize", "INTEGER_INVALID"],
    ["/rekor/inclusionProof/rootHash", "FIELD_REQUIRED"],
    ["/rekor/inclusionProof/hashes", "TYPE_MISMATCH"],
    ["/rekor/inclusionProof/checkpoint", "TYPE_MISMATCH"],
    ["/rekor/signedEntryTimestamp", "FIELD_REQUIRED"],
  ]);
  assert.deepEqual(codes(validateRekorProof({ logId: sample.logId })), [
    ["/logIndex", "FIELD_REQUIRED"],
    ["/integratedTime", "FIELD_REQUIRED"],
    ["/inclusionProof", "FIELD_REQUIRED"],
    ["/signedEntryTimestamp", "FIELD_REQUIRED"],
  ]);
  assert.deepEqual(codes(validateRekorProof([])), [["", "TYPE_MISMATCH"]]);
});

Deno.test("parseRekorProof() rejects malformed JSON and invalid proofs, naming the input", () => {
  assert.throws(() => parseRekorProof('{"logId":1,"logId":2}', { name: "p.json" }), {
    name: "ParseError",
    code: "JSON_DUPLICATE_KEY",
  });
  assert.throws(
    () => parseRekorProof(JSON.stringify({ ...tlogEntry, logIndex: "-1" }), { name: "p.json" }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /^Invalid Rekor proof "p\.json": \/logIndex: /);
      assert.deepEqual(codes(error.problems), [["/logIndex", "TYPE_MISMATCH"]]);
      return true;
    },
  );
  assert.throws(
    () => parseRekorProof(JSON.stringify({ ...tlogEntry, logId: { keyId: "!!" } })),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(codes(error.problems), [["/logId", "HASH_INVALID"]]);
      return true;
    },
  );
});
