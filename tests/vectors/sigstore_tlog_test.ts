/**
 * Rekor evidence inside every Sigstore bundle of ../shared/vectors/ (sigstore-conformance,
 * sigstore-python, sigstore-go, sigstore-js, slsa-verifier, cosign): inclusion proofs, their
 * checkpoints and signed entry timestamps verify with the log keys of the trust root each case
 * uses (../shared/vectors/README.md "Trust roots"), and fail exactly where the README's "Facts
 * verified by the collector" say. Tampered copies fail with their codes.
 */
import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import type { TransparencyLogKey } from "../../lib/verify/sigstore_mod.ts";
import { decodeBase64, encodeBase64, encodeHex } from "../../lib/encoding/mod.ts";
import {
  logKeysFromTrustedRoot,
  verifyRekorInclusion,
  verifyRekorSet,
} from "../../lib/verify/sigstore_mod.ts";
import type { Check } from "../../lib/verify/report.ts";
import { VECTORS_URL as VECTORS, vectorSet, vectorTest } from "../_vectors.ts";

const PRODUCTION = "sigstore-python/trust-roots/production-trusted_root.json";
const STAGING = "sigstore-python/trust-roots/staging-trusted_root.json";

interface TlogEntry {
  logIndex: string;
  logId: { keyId: string };
  integratedTime?: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint?: { envelope: string };
  };
  canonicalizedBody: string;
}

interface BundleCase {
  /** Conformance: the case directory; elsewhere: the path under ../shared/vectors/. */
  name: string;
  /** Bundle path under ../shared/vectors/. */
  bundle: string;
  /** Trust root path under ../shared/vectors/. */
  root: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(new URL(dir, VECTORS))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await listFiles(path));
    else out.push(path);
  }
  return out.sort();
}

/** Every bundle under ../shared/vectors/ with the trust root its source's SOURCE.md names. */
async function bundleCases(): Promise<BundleCase[]> {
  const cases: BundleCase[] = [];
  const index = JSON.parse(
    await Deno.readTextFile(new URL("sigstore-conformance/cases.index.json", VECTORS)),
  ) as { cases: { name: string; bundle: string; trustedRoot: string }[] };
  for (const c of index.cases) {
    const root = new URL(c.trustedRoot, new URL("sigstore-conformance/", VECTORS));
    cases.push({
      name: c.name,
      bundle: `sigstore-conformance/${c.bundle}`,
      root: root.href.slice(VECTORS.href.length),
    });
  }
  const isBundle = (p: string) => /\.sigstore(\.json)?$/.test(p);
  // sigstore-python's assets are staging bundles, except two that were logged in production
  // Rekor (log ID c0d23d6a…); upstream rejects both while loading the bundle, before any tlog
  // check, so its tests never pick a root for them: they get the production root here.
  const productionLogged = [
    "sigstore-python/assets/bundle_no_cert_v1.txt.sigstore",
    "sigstore-python/assets/bundle_v3_no_signed_time.txt.sigstore.json",
  ];
  for (const path of (await listFiles("sigstore-python/assets")).filter(isBundle)) {
    cases.push({
      name: path,
      bundle: path,
      root: productionLogged.includes(path) ? PRODUCTION : STAGING,
    });
  }
  for (const path of (await listFiles("sigstore-go/bundles")).filter(isBundle)) {
    const root = path.endsWith("/othername.sigstore.json")
      ? "sigstore-go/trusted-roots/scaffolding.json"
      : path.endsWith("/public-key-validity.sigstore.json")
      ? "sigstore-go/trusted-roots/public-key-validity.json"
      : "sigstore-go/trusted-roots/public-good.json";
    cases.push({ name: path, bundle: path, root });
  }
  for (const path of (await listFiles("sigstore-js/tests/bundles")).filter(isBundle)) {
    cases.push({ name: path, bundle: path, root: PRODUCTION });
  }
  for (const path of await listFiles("slsa-verifier")) {
    if (isBundle(path) || path.endsWith(".intoto.jsonl") || path.includes("/slsa-v1-provenance/")) {
      if (path.endsWith(".md")) continue;
      cases.push({ name: path, bundle: path, root: PRODUCTION });
    }
  }
  cases.push({
    name: "cosign/oci-attestation/oci-attestation.sigstore.json",
    bundle: "cosign/oci-attestation/oci-attestation.sigstore.json",
    root: "cosign/oci-attestation/trusted_root_pgi.json",
  });
  return cases;
}

async function readBundle(path: string): Promise<unknown> {
  const text = await Deno.readTextFile(new URL(path, VECTORS));
  // JSON Lines attestations (slsa-verifier) hold one bundle per line; these hold exactly one.
  const oneLine = path.endsWith(".jsonl") || path.includes("/slsa-v1-provenance/");
  return JSON.parse(oneLine ? text.trimEnd() : text);
}

const rootCache = new Map<string, TransparencyLogKey[] | ParseError>();
async function rootKeys(path: string): Promise<TransparencyLogKey[] | ParseError> {
  let keys = rootCache.get(path);
  if (keys === undefined) {
    try {
      keys = logKeysFromTrustedRoot(await Deno.readFile(new URL(path, VECTORS)), { name: path });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      keys = error;
    }
    rootCache.set(path, keys);
  }
  return keys;
}

function inclusionInput(entry: TlogEntry) {
  const proof = entry.inclusionProof!;
  return {
    canonicalizedBody: decodeBase64(entry.canonicalizedBody),
    logIndex: proof.logIndex,
    treeSize: proof.treeSize,
    rootHash: decodeBase64(proof.rootHash),
    hashes: proof.hashes.map((h) => decodeBase64(h)),
    checkpoint: proof.checkpoint?.envelope,
  };
}

function setInput(entry: TlogEntry) {
  return {
    body: entry.canonicalizedBody,
    integratedTime: entry.integratedTime ?? "0",
    logIndex: entry.logIndex,
    logId: decodeBase64(entry.logId.keyId),
    signedEntryTimestamp: entry.inclusionPromise!.signedEntryTimestamp,
  };
}

/** Rekor v2 (Ed25519) checkpoints have the log's host as origin; Rekor v1 origins add a tree ID. */
function expectedOrigin(key: TransparencyLogKey): string | undefined {
  return key.keyDetails === "PKIX_ED25519" ? key.name : undefined;
}

function failed(checks: Check[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => `${c.id}:${c.code}`);
}

interface Outcome {
  /** Bundles that are not JSON. */
  unparsable: string[];
  /** Bundles without tlog entries. */
  noEntries: string[];
  /** Cases whose trust root is rejected. */
  rootRejected: string[];
  /** Entries whose log is not in the trust root. */
  untrustedLog: string[];
  /** Failed checks by case: inclusion (tlog.inclusion), checkpoint (tlog.checkpoint*), SET. */
  inclusion: Map<string, string[]>;
  checkpoint: Map<string, string[]>;
  set: Map<string, string[]>;
  /** Counts of what was verified. */
  counts: { bundles: number; entries: number; proofs: number; checkpoints: number; sets: number };
}

async function verifyAll(): Promise<Outcome> {
  const outcome: Outcome = {
    unparsable: [],
    noEntries: [],
    rootRejected: [],
    untrustedLog: [],
    inclusion: new Map(),
    checkpoint: new Map(),
    set: new Map(),
    counts: { bundles: 0, entries: 0, proofs: 0, checkpoints: 0, sets: 0 },
  };
  for (const c of await bundleCases()) {
    outcome.counts.bundles++;
    let bundle: { verificationMaterial?: { tlogEntries?: TlogEntry[] } };
    try {
      bundle = await readBundle(c.bundle) as typeof bundle;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      outcome.unparsable.push(c.name);
      continue;
    }
    const entries = bundle.verificationMaterial?.tlogEntries ?? [];
    if (entries.length === 0) {
      outcome.noEntries.push(c.name);
      continue;
    }
    const keys = await rootKeys(c.root);
    if (keys instanceof ParseError) {
      assert.equal(keys.code, "TRUSTED_ROOT_INVALID");
      outcome.rootRejected.push(c.name);
    }
    for (const entry of entries) {
      outcome.counts.entries++;
      const logId = encodeHex(decodeBase64(entry.logId.keyId));
      const key = keys instanceof ParseError ? undefined : keys.find((k) => k.logId === logId);
      if (key === undefined && !(keys instanceof ParseError)) outcome.untrustedLog.push(c.name);
      if (entry.inclusionProof !== undefined) {
        outcome.counts.proofs++;
        const input = inclusionInput(entry);
        // Without a trusted key for the log the checkpoint cannot count: verify the proof alone.
        if (key === undefined) input.checkpoint = undefined;
        if (input.checkpoint !== undefined) outcome.counts.checkpoints++;
        const checks = await verifyRekorInclusion(input, {
          logKeys: key === undefined ? [] : [key],
          expectedOrigin: key === undefined ? undefined : expectedOrigin(key),
          name: c.name,
        });
        const inclusion = failed(checks.filter((k) => k.id === "tlog.inclusion"));
        const checkpoint = failed(checks.filter((k) => k.id.startsWith("tlog.checkpoint")));
        if (inclusion.length > 0) outcome.inclusion.set(c.name, inclusion);
        if (checkpoint.length > 0) outcome.checkpoint.set(c.name, checkpoint);
        // Every present check is reported: inclusion, then checkpoint and its binding.
        assert.equal(checks[0]?.id, "tlog.inclusion");
        if (input.checkpoint !== undefined) assert.equal(checks[1]?.id, "tlog.checkpoint");
      }
      if (entry.inclusionPromise !== undefined && key !== undefined) {
        outcome.counts.sets++;
        const check = await verifyRekorSet(setInput(entry), key);
        assert.equal(check.id, "tlog.set");
        if (!check.ok) outcome.set.set(c.name, [`${check.id}:${check.code}`]);
      }
    }
  }
  return outcome;
}

const SETS = [
  "sigstore-conformance",
  "sigstore-python",
  "sigstore-go",
  "sigstore-js",
  "slsa-verifier",
  "cosign",
].map(vectorSet);

function flip(bytes: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const copy = bytes.slice();
  const at = index < 0 ? copy.length + index : index;
  copy[at]! ^= 0x01;
  return copy;
}

/** Flips the last byte of the signature on the checkpoint line signed by `keyName`. */
function flipCheckpointSignature(note: string, keyName: string): string {
  return note.split("\n").map((line) => {
    const prefix = `\u2014 ${keyName} `;
    if (!line.startsWith(prefix)) return line;
    return prefix + encodeBase64(flip(decodeBase64(line.slice(prefix.length)), -1));
  }).join("\n");
}

async function firstEntry(path: string): Promise<TlogEntry> {
  const bundle = await readBundle(path) as { verificationMaterial: { tlogEntries: TlogEntry[] } };
  return bundle.verificationMaterial.tlogEntries[0]!;
}

async function logKey(rootPath: string, entry: TlogEntry): Promise<TransparencyLogKey> {
  const keys = await rootKeys(rootPath);
  if (keys instanceof ParseError) throw keys;
  const logId = encodeHex(decodeBase64(entry.logId.keyId));
  return keys.find((k) => k.logId === logId)!;
}

function summary(checks: Check[]): string[] {
  return checks.map((c) => (c.ok ? c.id : `${c.id}:${c.code}`));
}

if (SETS.some((set) => !set.present)) {
  vectorTest(SETS, "Sigstore transparency-log evidence in every bundle", () => {});
} else {
  const outcome = await verifyAll();

  vectorTest(SETS, "sigstore tlog: every bundle was found and read", () => {
    assert.deepEqual(outcome.counts, {
      bundles: 112,
      entries: 109,
      proofs: 96,
      // Proofs with a checkpoint whose log is trusted (91 carry one; two logs are not trusted).
      checkpoints: 89,
      // Entries with a SET whose log is trusted (77 carry one).
      sets: 76,
    });
    assert.deepEqual(outcome.unparsable, ["bundle-malformed-json_fail"]);
    assert.deepEqual(outcome.noEntries.toSorted(), [
      "sigstore-go/bundles/public-key-validity.sigstore.json",
      "sigstore-python/assets/bundle_no_log_entry.txt.sigstore",
    ]);
  });

  vectorTest(
    SETS,
    "sigstore tlog: only the staging bundle's log is missing from the production root",
    () => {
      assert.deepEqual(outcome.untrustedLog, ["bundle-from-wrong-instance_fail"]);
      assert.deepEqual(outcome.rootRejected, ["trust-root-tlog-missing-validity-start_fail"]);
    },
  );

  vectorTest(
    SETS,
    "sigstore tlog: inclusion proofs verify except the README's five FAIL cases",
    () => {
      assert.deepEqual(
        new Map([...outcome.inclusion].sort()),
        new Map([
          ["bundle-empty-certificate-chain_fail", ["tlog.inclusion:INCLUSION_PROOF_INVALID"]],
          ["bundle-invalid-base64-signature_fail", ["tlog.inclusion:INCLUSION_PROOF_INVALID"]],
          ["inclusion-proof-corrupted-hash_fail", ["tlog.inclusion:INCLUSION_PROOF_INVALID"]],
          ["incorrect-public-key_fail", ["tlog.inclusion:INCLUSION_PROOF_INVALID"]],
          ["invalid-inclusion-proof_fail", ["tlog.inclusion:INCLUSION_PROOF_INVALID"]],
        ]),
      );
    },
  );

  vectorTest(SETS, "sigstore tlog: SETs verify except the README's eight FAIL cases", () => {
    const code = ["tlog.set:SET_INVALID"];
    assert.deepEqual(
      new Map([...outcome.set].sort()),
      new Map([
        ["bundle-empty-certificate-chain_fail", code],
        ["bundle-invalid-base64-signature_fail", code],
        ["bundle-negative-log-index_fail", code],
        ["bundle-unknown-version_fail", code],
        ["incorrect-public-key_fail", code],
        ["set-invalid-signature_fail", code],
        ["slsa-verifier/gha-bundle/invalid-dsse-sig.intoto.sigstore", code],
        ["slsa-verifier/gha-bundle/invalid-set.intoto.sigstore", code],
      ]),
    );
  });

  vectorTest(
    SETS,
    "sigstore tlog: checkpoints verify except the eight conformance checkpoint FAIL cases",
    () => {
      assert.deepEqual(
        new Map([...outcome.checkpoint].sort()),
        new Map([
          // The key hint (key ID) of the log's line was changed: no line of a trusted key remains.
          ["checkpoint-bad-keyhint_fail", ["tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID"]],
          // A valid checkpoint of the log, but for another tree than the proof's.
          ["checkpoint-wrong-roothash_fail", ["tlog.checkpoint.binding:CHECKPOINT_MISMATCH"]],
          ["invalid-checkpoint-signature_fail", ["tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID"]],
          ["rekor2-checkpoint-missing-log-signature_fail", [
            "tlog.checkpoint:CHECKPOINT_MALFORMED",
          ]],
          ["rekor2-checkpoint-missing-origin_fail", ["tlog.checkpoint:CHECKPOINT_MALFORMED"]],
          ["rekor2-checkpoint-missing-root-hash_fail", ["tlog.checkpoint:CHECKPOINT_MALFORMED"]],
          ["rekor2-checkpoint-missing-size_fail", ["tlog.checkpoint:CHECKPOINT_MALFORMED"]],
          // The signature line's key name was changed: the Ed25519 log key no longer matches it.
          ["rekor2-checkpoint-no-matching-signature_fail", [
            "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
          ]],
        ]),
      );
    },
  );

  // --- tampered copies -------------------------------------------------------------------------

  const TAMPER_CASES = [
    {
      what: "Rekor v1 (ECDSA P-256), happy-path-v0.3",
      bundle: "sigstore-conformance/assets/bundle-verify/happy-path-v0.3/bundle.sigstore.json",
      root: PRODUCTION,
      otherRoot: STAGING,
    },
    {
      what: "Rekor v2 (Ed25519), rekor2-happy-path",
      bundle: "sigstore-conformance/assets/bundle-verify/rekor2-happy-path/bundle.sigstore.json",
      root: "sigstore-conformance/assets/bundle-verify/rekor2-happy-path/trusted_root.json",
      otherRoot: PRODUCTION,
    },
  ];

  for (const t of TAMPER_CASES) {
    vectorTest(
      SETS,
      `sigstore tlog tampered: ${t.what}: proof, root, checkpoint, body fail with their codes`,
      async () => {
        const entry = await firstEntry(t.bundle);
        const key = await logKey(t.root, entry);
        const options = { logKeys: [key], expectedOrigin: expectedOrigin(key) };
        const good = inclusionInput(entry);
        const all = ["tlog.inclusion", "tlog.checkpoint", "tlog.checkpoint.binding"];
        assert.deepEqual(summary(await verifyRekorInclusion(good, options)), all);

        const proofHash = {
          ...good,
          hashes: good.hashes.map((h, i) => (i === 3 ? flip(h, 7) : h)),
        };
        assert.deepEqual(summary(await verifyRekorInclusion(proofHash, options)), [
          "tlog.inclusion:INCLUSION_PROOF_INVALID",
          "tlog.checkpoint",
          "tlog.checkpoint.binding",
        ]);

        const root = { ...good, rootHash: flip(good.rootHash, 0) };
        assert.deepEqual(summary(await verifyRekorInclusion(root, options)), [
          "tlog.inclusion:INCLUSION_PROOF_INVALID",
          "tlog.checkpoint",
          "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
        ]);

        const body = { ...good, canonicalizedBody: flip(good.canonicalizedBody, 40) };
        assert.deepEqual(summary(await verifyRekorInclusion(body, options)), [
          "tlog.inclusion:INCLUSION_PROOF_INVALID",
          "tlog.checkpoint",
          "tlog.checkpoint.binding",
        ]);

        const size = { ...good, treeSize: String(BigInt(good.treeSize) + 1n) };
        assert.deepEqual(summary(await verifyRekorInclusion(size, options)), [
          "tlog.inclusion:INCLUSION_PROOF_INVALID",
          "tlog.checkpoint",
          "tlog.checkpoint.binding:CHECKPOINT_MISMATCH",
        ]);

        const signature = {
          ...good,
          checkpoint: flipCheckpointSignature(good.checkpoint!, key.name),
        };
        assert.notEqual(signature.checkpoint, good.checkpoint);
        assert.deepEqual(summary(await verifyRekorInclusion(signature, options)), [
          "tlog.inclusion",
          "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
        ]);

        const [origin, sizeLine, ...rest] = good.checkpoint!.split("\n");
        const text = {
          ...good,
          checkpoint: [origin, String(Number(sizeLine) + 1), ...rest].join("\n"),
        };
        assert.deepEqual(summary(await verifyRekorInclusion(text, options)), [
          "tlog.inclusion",
          "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
        ]);

        const truncated = { ...good, checkpoint: good.checkpoint!.slice(0, -1) };
        assert.deepEqual(summary(await verifyRekorInclusion(truncated, options)), [
          "tlog.inclusion",
          "tlog.checkpoint:CHECKPOINT_MALFORMED",
        ]);

        const otherKeys = await rootKeys(t.otherRoot);
        if (otherKeys instanceof ParseError) throw otherKeys;
        assert.deepEqual(summary(await verifyRekorInclusion(good, { logKeys: otherKeys })), [
          "tlog.inclusion",
          "tlog.checkpoint:CHECKPOINT_SIGNATURE_INVALID",
        ]);
      },
    );
  }

  vectorTest(
    SETS,
    "sigstore tlog tampered: SET of happy-path-v0.3 fails for any changed value or key",
    async () => {
      const entry = await firstEntry(TAMPER_CASES[0]!.bundle);
      const key = await logKey(PRODUCTION, entry);
      const good = setInput(entry);
      assert.deepEqual(await verifyRekorSet(good, key), { id: "tlog.set", ok: true });
      assert.deepEqual(await verifyRekorSet(good, key.publicKey), { id: "tlog.set", ok: true });
      const set = decodeBase64(good.signedEntryTimestamp);
      const cases: [string, Parameters<typeof verifyRekorSet>[0]][] = [
        ["signature byte", { ...good, signedEntryTimestamp: encodeBase64(flip(set, -1)) }],
        ["signature as flipped bytes", { ...good, signedEntryTimestamp: flip(set, 10) }],
        ["body byte", { ...good, body: encodeBase64(flip(decodeBase64(good.body), 40)) }],
        ["integratedTime + 1", {
          ...good,
          integratedTime: String(BigInt(good.integratedTime) + 1n),
        }],
        ["logIndex + 1", { ...good, logIndex: String(BigInt(good.logIndex) + 1n) }],
        ["negative logIndex", { ...good, logIndex: "-1" }],
        ["logIndex not a number", { ...good, logIndex: "12a" }],
        ["SET not base64", { ...good, signedEntryTimestamp: "not base64!" }],
        ["truncated SET", { ...good, signedEntryTimestamp: set.subarray(0, 20) }],
      ];
      for (const [what, input] of cases) {
        assert.equal((await verifyRekorSet(input, key)).code, "SET_INVALID", what);
      }
      const staging = await rootKeys(STAGING);
      if (staging instanceof ParseError) throw staging;
      const rekorStaging = staging.find((k) => k.name === "rekor.sigstage.dev")!;
      assert.equal((await verifyRekorSet(good, rekorStaging)).code, "LOG_KEY_UNTRUSTED");
      assert.equal((await verifyRekorSet(good, rekorStaging.publicKey)).code, "SET_INVALID");
      const logId = encodeHex(good.logId);
      assert.equal(
        (await verifyRekorSet({ ...good, logId: logId.replace(/^c0/, "c1") }, key)).code,
        "LOG_KEY_UNTRUSTED",
      );
      assert.equal((await verifyRekorSet({ ...good, logId: logId.toUpperCase() }, key)).ok, true);
    },
  );
}
