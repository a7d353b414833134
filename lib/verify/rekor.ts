/**
 * Rekor transparency-log evidence, verified offline with log keys the caller supplies:
 *
 * - Signed entry timestamps (SET, Sigstore bundle `inclusionPromise.signedEntryTimestamp`): the
 *   log's signature (ECDSA P-256 SHA-256, ASN.1 DER, for Rekor v1) over the RFC 8785 canonical
 *   JSON `{"body":…,"integratedTime":…,"logID":…,"logIndex":…}` (Rekor `pkg/verify`
 *   `VerifySignedEntryTimestamp`; sigstore-js / sigstore-python build the same bytes).
 * - Inclusion proofs (`inclusionProof`): the leaf is `SHA-256(0x00 ‖ canonicalizedBody)` and the
 *   audit path leads to `rootHash` (RFC 9162 §2.1.3.2 via `lib/digest/merkle.ts`); the
 *   checkpoint, when present, is signed by a trusted log key (c2sp.org/tlog-checkpoint) and its
 *   size and root are the proof's.
 * - Merkle roots against an expected value, and consistency between two tree heads (RFC 9162
 *   §2.1.4.2).
 *
 * Every function returns {@link Check}s (ids `tlog.set`, `tlog.inclusion`, `tlog.checkpoint`,
 * `tlog.checkpoint.binding`, `merkle.root`, `tlog.consistency`); untrusted values that are out of
 * range fail their check instead of throwing.
 *
 * Integers (`logIndex`, `treeSize`, `integratedTime`, sizes) may be given as `number` (safe
 * integers), `bigint`, or decimal strings as Sigstore bundles carry them (protobuf JSON int64).
 *
 * @module
 */

import { decodeBase64, decodeHex, encodeHex, equalBytes } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { hashLeaf, verifyConsistency, verifyInclusion } from "../digest/merkle.ts";
import { importSpki } from "../keys/key_der.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import { type CheckpointKey, verifyCheckpoint } from "./checkpoint.ts";
import { type Check, fail, pass } from "./report.ts";

/** An integer as a safe `number`, a `bigint`, or a decimal string (protobuf JSON int64). */
export type TlogInteger = number | bigint | string;

const INTEGER_RE = /^-?(?:0|[1-9][0-9]*)$/;
const UINT64_MAX = (1n << 64n) - 1n;
const ENCODER = new TextEncoder();

/** What a Rekor SET covers, as a Sigstore bundle's tlog entry carries it. */
export interface RekorSetPayloadInput {
  /** `canonicalizedBody` exactly as in the entry: the base64 text of the entry body. */
  body: string;
  /** `integratedTime`: seconds since the epoch when the log integrated the entry. */
  integratedTime: TlogInteger;
  /** The entry's log index (`tlogEntries[].logIndex`, not the inclusion proof's index). */
  logIndex: TlogInteger;
  /** The log ID: bytes, or hex text (a bundle's `logId.keyId` is base64: decode it first). */
  logId: Uint8Array | string;
}

/** A Rekor SET to verify: the covered values and the signature. */
export interface RekorSetInput extends RekorSetPayloadInput {
  /** `inclusionPromise.signedEntryTimestamp`: DER signature bytes, or their base64 text. */
  signedEntryTimestamp: Uint8Array | string;
}

/** The log key for a SET: DER SPKI bytes, or a log key whose `logId` must be the entry's. */
export type RekorLogKey = Uint8Array | { readonly publicKey: Uint8Array; readonly logId?: string };

/** An inclusion proof of a Rekor entry, as a Sigstore bundle's `inclusionProof` carries it. */
export interface RekorInclusionInput {
  /** The entry body: `canonicalizedBody` decoded from base64. */
  canonicalizedBody: Uint8Array;
  /** Index of the leaf in the proof's tree (`inclusionProof.logIndex`). */
  logIndex: TlogInteger;
  /** Size of the proof's tree (`inclusionProof.treeSize`). */
  treeSize: TlogInteger;
  /** Root of the proof's tree (`inclusionProof.rootHash`, decoded). */
  rootHash: Uint8Array;
  /** Audit path (`inclusionProof.hashes`, decoded), leaf side first. */
  hashes: readonly Uint8Array[];
  /** Checkpoint note (`inclusionProof.checkpoint.envelope`), when present. */
  checkpoint?: Uint8Array | string | undefined;
}

/** Options of {@link verifyRekorInclusion}. */
export interface VerifyRekorInclusionOptions {
  /** Trusted log keys for the checkpoint (see `verifyCheckpoint`); default none. */
  logKeys?: readonly CheckpointKey[] | undefined;
  /** The origin the checkpoint must have, when the caller knows it. */
  expectedOrigin?: string | undefined;
  /** Name of the input, used in messages. */
  name?: string | undefined;
}

/** A tree head: size and root hash (a parsed `Checkpoint` is one). */
export interface TreeHead {
  /** Number of leaves. */
  size: TlogInteger;
  /** Root hash (32 bytes). */
  rootHash: Uint8Array;
}

/** Options of {@link verifyMerkleRoot}. */
export interface VerifyMerkleRootOptions {
  /** What the root belongs to, used in messages (e.g. `build metadata`). */
  name?: string | undefined;
}

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

/** Reads an integer input; returns a message instead of throwing for bad values. */
function readInteger(value: TlogInteger, field: string): bigint | string {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? BigInt(value) : `${field} is not a safe integer`;
  }
  if (typeof value === "string") {
    return INTEGER_RE.test(value) ? BigInt(value) : `${field} is not a decimal integer`;
  }
  throw new TypeError(`Pass ${field} as a number, bigint or decimal string`);
}

function readUint64(value: TlogInteger, field: string): bigint | string {
  const read = readInteger(value, field);
  if (typeof read === "string") return read;
  if (read < 0n) return `${field} is negative`;
  if (read > UINT64_MAX) return `${field} exceeds 2^64 - 1`;
  return read;
}

function readLogId(logId: Uint8Array | string): string {
  if (logId instanceof Uint8Array) return encodeHex(logId);
  if (typeof logId === "string") return encodeHex(decodeHex(logId, "logId"));
  throw new TypeError("Pass logId as bytes or hex");
}

function buildPayload(entry: RekorSetPayloadInput): string {
  if (typeof entry !== "object" || entry === null) throw new TypeError("Pass the tlog entry");
  if (typeof entry.body !== "string") throw new TypeError("Pass body as the base64 text");
  const integratedTime = readUint64(entry.integratedTime, "integratedTime");
  if (typeof integratedTime === "string") throw new RangeError(integratedTime);
  const logIndex = readUint64(entry.logIndex, "logIndex");
  if (typeof logIndex === "string") throw new RangeError(logIndex);
  const logId = readLogId(entry.logId);
  // RFC 8785 for this shape: keys in UTF-16 order, strings as JSON.stringify writes them,
  // integers in decimal (exact for any uint64, unlike a double).
  return `{"body":${JSON.stringify(entry.body)},"integratedTime":${integratedTime},` +
    `"logID":${JSON.stringify(logId)},"logIndex":${logIndex}}`;
}

/**
 * Builds the bytes a Rekor SET signs: the RFC 8785 canonical JSON of `body`,
 * `integratedTime`, `logID` (lowercase hex) and `logIndex`.
 *
 * @param entry The covered values.
 * @returns The canonical JSON text.
 * @throws {RangeError} When an integer is negative, above 2^64 − 1 or not an integer.
 * @throws {ParseError} `HEX_INVALID` when `logId` is text but not hex.
 * @throws {TypeError} When a field has the wrong type.
 *
 * @example Usage
 * ```ts
 * import { rekorSetPayload } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const payload = rekorSetPayload({ body: "e30=", integratedTime: "1689177396", logIndex: 27246492, logId: "C0D2" });
 * assert.equal(payload, '{"body":"e30=","integratedTime":1689177396,"logID":"c0d2","logIndex":27246492}');
 * ```
 */
export function rekorSetPayload(entry: RekorSetPayloadInput): string {
  return buildPayload(entry);
}

/**
 * Verifies a Rekor signed entry timestamp (SET) offline with the log's public key.
 *
 * The `tlog.set` check fails with `SET_INVALID` when the signature does not verify over the
 * canonical payload (any changed body, time, index or log ID breaks it) or a covered value is
 * out of range, and with `LOG_KEY_UNTRUSTED` when the given log key names another log ID.
 * On success `integratedTime` is a time the log vouches for.
 *
 * @param entry The covered values and the signature, as the bundle carries them.
 * @param logKey The log's key: DER SPKI, or a log key (e.g. from `logKeysFromTrustedRoot`)
 *   whose `logId` is checked against the entry's.
 * @returns The `tlog.set` check.
 * @throws {ParseError} When the log key does not import (a trust-configuration error).
 * @throws {TypeError} When an argument has the wrong type.
 *
 * @example Usage
 * ```ts
 * import { createSigner, generateKeyPair } from "@stellaops/provenance";
 * import { exportSpki } from "@stellaops/provenance/keys";
 * import { rekorSetPayload, verifyRekorSet } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const entry = { body: "e30=", integratedTime: 1700000000, logIndex: 7, logId: "c0d23d6a" };
 * const signedEntryTimestamp = await createSigner(key).sign(new TextEncoder().encode(rekorSetPayload(entry)));
 * const spki = exportSpki(key.publicKey);
 * assert.deepEqual(await verifyRekorSet({ ...entry, signedEntryTimestamp }, spki), { id: "tlog.set", ok: true });
 * const tampered = await verifyRekorSet({ ...entry, logIndex: 8, signedEntryTimestamp }, spki);
 * assert.equal(tampered.code, "SET_INVALID");
 * ```
 */
export async function verifyRekorSet(entry: RekorSetInput, logKey: RekorLogKey): Promise<Check> {
  const id = "tlog.set";
  const spki = logKey instanceof Uint8Array ? logKey : logKey?.publicKey;
  if (!(spki instanceof Uint8Array)) throw new TypeError("Pass the log key as DER SPKI bytes");
  const publicKey = importSpki(spki, { name: "log key" });
  if (typeof entry !== "object" || entry === null) throw new TypeError("Pass the tlog entry");
  let logIdHex: string;
  try {
    logIdHex = readLogId(entry.logId);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return fail(id, "SET_INVALID", `Cannot verify signed entry timestamp: ${error.message}`);
  }
  if (
    !(logKey instanceof Uint8Array) && logKey.logId !== undefined &&
    logKey.logId.toLowerCase() !== logIdHex
  ) {
    return fail(
      id,
      "LOG_KEY_UNTRUSTED",
      `Cannot verify signed entry timestamp: entry log ID ${logIdHex} is not the log key's ${logKey.logId}`,
    );
  }
  let payload: string;
  try {
    payload = buildPayload(entry);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return fail(id, "SET_INVALID", `Cannot verify signed entry timestamp: ${error.message}`);
  }
  let signature: Uint8Array;
  const set = entry.signedEntryTimestamp;
  if (set instanceof Uint8Array) {
    signature = set;
  } else if (typeof set === "string") {
    try {
      signature = decodeBase64(set, "signedEntryTimestamp");
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      return fail(id, "SET_INVALID", `Cannot verify signed entry timestamp: ${error.message}`);
    }
  } else {
    throw new TypeError("Pass signedEntryTimestamp as bytes or base64 text");
  }
  const verifier = createVerifier(publicKey, { ecdsaSignatureFormat: "der" });
  if (!(await verifier.verify(ENCODER.encode(payload), signature))) {
    return fail(
      id,
      "SET_INVALID",
      `Cannot verify signed entry timestamp of log index ${
        readInteger(entry.logIndex, "logIndex")
      }: ` +
        "the log's signature does not match the entry",
    );
  }
  return pass(id);
}

/**
 * Verifies a Rekor inclusion proof and, when present, its checkpoint.
 *
 * Checks, in order:
 * 1. `tlog.inclusion`: the leaf `SHA-256(0x00 ‖ canonicalizedBody)` at `logIndex` in a tree of
 *    `treeSize` leaves leads along `hashes` to `rootHash` (`INCLUSION_PROOF_INVALID`, also for an
 *    impossible index, size or hash length).
 * 2. `tlog.checkpoint` (with a checkpoint): see `verifyCheckpoint` (`CHECKPOINT_MALFORMED`,
 *    `CHECKPOINT_SIGNATURE_INVALID`, `CHECKPOINT_MISMATCH` for the origin).
 * 3. `tlog.checkpoint.binding` (when the checkpoint verified): its size and root hash are the
 *    proof's `treeSize` and `rootHash` (`CHECKPOINT_MISMATCH`).
 *
 * @param proof The entry body and its inclusion proof.
 * @param options Trusted log keys for the checkpoint, expected origin, input name.
 * @returns The checks, in the order above.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {ParseError} When a log key given as vkey text does not parse.
 * @throws {RangeError} When a log key cannot sign checkpoints.
 *
 * @example Usage
 * ```ts
 * import { hashLeaf, inclusionProof, merkleRoot } from "@stellaops/provenance/digest";
 * import { verifyRekorInclusion } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const bodies = ["a", "b", "c"].map((s) => new TextEncoder().encode(s));
 * const leaves = bodies.map(hashLeaf);
 * const proof = {
 *   canonicalizedBody: bodies[2]!,
 *   logIndex: "2",
 *   treeSize: "3",
 *   rootHash: merkleRoot(leaves),
 *   hashes: inclusionProof(leaves, 2),
 * };
 * assert.deepEqual(await verifyRekorInclusion(proof), [{ id: "tlog.inclusion", ok: true }]);
 * const [bad] = await verifyRekorInclusion({ ...proof, canonicalizedBody: bodies[1]! });
 * assert.equal(bad?.code, "INCLUSION_PROOF_INVALID");
 * ```
 */
export async function verifyRekorInclusion(
  proof: RekorInclusionInput,
  options: VerifyRekorInclusionOptions = {},
): Promise<Check[]> {
  if (typeof proof !== "object" || proof === null) throw new TypeError("Pass the inclusion proof");
  if (!(proof.canonicalizedBody instanceof Uint8Array)) {
    throw new TypeError("Pass canonicalizedBody as the decoded body bytes");
  }
  if (!(proof.rootHash instanceof Uint8Array)) throw new TypeError("Pass rootHash as bytes");
  if (!Array.isArray(proof.hashes) || !proof.hashes.every((h) => h instanceof Uint8Array)) {
    throw new TypeError("Pass hashes as an array of byte arrays");
  }
  const name = options.name;
  const what = `Cannot verify inclusion proof${label(name)}`;
  const checks: Check[] = [];
  const leafIndex = readUint64(proof.logIndex, "logIndex");
  const treeSize = readUint64(proof.treeSize, "treeSize");
  if (typeof leafIndex === "string" || typeof treeSize === "string") {
    const why = typeof leafIndex === "string" ? leafIndex : treeSize as string;
    checks.push(fail("tlog.inclusion", "INCLUSION_PROOF_INVALID", `${what}: ${why}`));
  } else {
    const verdict = verifyInclusion(
      { leafIndex, treeSize, hashes: proof.hashes },
      { leafHash: hashLeaf(proof.canonicalizedBody), rootHash: proof.rootHash },
    );
    checks.push(
      verdict.ok ? pass("tlog.inclusion") : fail(
        "tlog.inclusion",
        "INCLUSION_PROOF_INVALID",
        `${what}: ${verdict.message.replace(/^Cannot verify inclusion proof: /, "")}`,
      ),
    );
  }
  if (proof.checkpoint === undefined) return checks;
  const result = await verifyCheckpoint(proof.checkpoint, {
    logKeys: options.logKeys ?? [],
    expectedOrigin: options.expectedOrigin,
    name,
  });
  checks.push(result.check);
  const checkpoint = result.checkpoint;
  if (checkpoint === undefined) return checks;
  const id = "tlog.checkpoint.binding";
  if (typeof treeSize === "string" || checkpoint.size !== treeSize) {
    checks.push(fail(
      id,
      "CHECKPOINT_MISMATCH",
      `Cannot bind checkpoint${label(name)}: it is for tree size ${checkpoint.size}, the proof ` +
        `for ${typeof treeSize === "string" ? "an invalid size" : treeSize}`,
    ));
  } else if (!equalBytes(checkpoint.rootHash, proof.rootHash)) {
    checks.push(fail(
      id,
      "CHECKPOINT_MISMATCH",
      `Cannot bind checkpoint${label(name)}: its root hash ${encodeHex(checkpoint.rootHash)} is ` +
        `not the proof's ${encodeHex(proof.rootHash)}`,
    ));
  } else {
    checks.push(pass(id));
  }
  return checks;
}

function toRootBytes(value: Uint8Array | string, field: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") {
    return decodeHex(value.startsWith("sha256:") ? value.slice(7) : value, field);
  }
  throw new TypeError(`Pass ${field} as bytes or hex`);
}

/**
 * Compares a computed Merkle root with the expected one (e.g. `--merkle-root HEX` against the
 * root of an attestation's build metadata or an export's file set).
 *
 * @param expected The expected root: bytes, hex, or `sha256:<hex>` (as `merkleRootOfDigests`
 *   returns it).
 * @param actual The computed root: bytes, hex, or `sha256:<hex>`.
 * @param options What the root belongs to, for the message.
 * @returns The `merkle.root` check, failing with `MERKLE_ROOT_MISMATCH` when they differ.
 * @throws {ParseError} `HEX_INVALID` when a root is text but not hex.
 * @throws {TypeError} When a root is neither bytes nor text.
 *
 * @example Usage
 * ```ts
 * import { merkleRootOfDigests } from "@stellaops/provenance/digest";
 * import { verifyMerkleRoot } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const root = merkleRootOfDigests(["sha256:" + "ab".repeat(32)]);
 * assert.deepEqual(verifyMerkleRoot(root, root), { id: "merkle.root", ok: true });
 * assert.deepEqual(verifyMerkleRoot(root.slice("sha256:".length), root), { id: "merkle.root", ok: true });
 * assert.equal(verifyMerkleRoot("00".repeat(32), root).code, "MERKLE_ROOT_MISMATCH");
 * ```
 */
export function verifyMerkleRoot(
  expected: Uint8Array | string,
  actual: Uint8Array | string,
  options: VerifyMerkleRootOptions = {},
): Check {
  const want = toRootBytes(expected, "expected root");
  const got = toRootBytes(actual, "actual root");
  if (equalBytes(want, got)) return pass("merkle.root");
  return fail(
    "merkle.root",
    "MERKLE_ROOT_MISMATCH",
    `Cannot match Merkle root${label(options.name)}: computed ${encodeHex(got)}, expected ${
      encodeHex(want)
    }`,
  );
}

/**
 * Verifies that an older tree head is a prefix of a newer one with a consistency proof
 * (RFC 9162 §2.1.4.2, as transparency-dev/merkle: equal sizes need an empty proof and equal
 * roots; a proof from the empty tree proves nothing).
 *
 * @param older The older tree head (e.g. a verified checkpoint).
 * @param newer The newer tree head.
 * @param proof The consistency proof hashes (32 bytes each).
 * @returns The `tlog.consistency` check, failing with `CONSISTENCY_PROOF_INVALID` (also for
 *   impossible sizes or hash lengths).
 * @throws {TypeError} When an argument has the wrong type.
 *
 * @example Usage
 * ```ts
 * import { consistencyProof, hashLeaf, merkleRoot } from "@stellaops/provenance/digest";
 * import { verifyTreeHeadConsistency } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const leaves = [1, 2, 3, 4, 5].map((i) => hashLeaf(Uint8Array.of(i)));
 * const older = { size: 3, rootHash: merkleRoot(leaves.slice(0, 3)) };
 * const newer = { size: "5", rootHash: merkleRoot(leaves) };
 * const proof = consistencyProof(leaves, 3);
 * assert.deepEqual(verifyTreeHeadConsistency(older, newer, proof), { id: "tlog.consistency", ok: true });
 * assert.equal(verifyTreeHeadConsistency(newer, older, proof).code, "CONSISTENCY_PROOF_INVALID");
 * ```
 */
export function verifyTreeHeadConsistency(
  older: TreeHead,
  newer: TreeHead,
  proof: readonly Uint8Array[],
): Check {
  const id = "tlog.consistency";
  if (typeof older !== "object" || older === null || typeof newer !== "object" || newer === null) {
    throw new TypeError("Pass both tree heads as { size, rootHash }");
  }
  const what = "Cannot verify consistency between tree heads";
  const oldSize = readUint64(older.size, "older size");
  const newSize = readUint64(newer.size, "newer size");
  if (typeof oldSize === "string" || typeof newSize === "string") {
    const why = typeof oldSize === "string" ? oldSize : newSize as string;
    return fail(id, "CONSISTENCY_PROOF_INVALID", `${what}: ${why}`);
  }
  const verdict = verifyConsistency(
    { oldSize, newSize, hashes: proof },
    { oldRoot: older.rootHash, newRoot: newer.rootHash },
  );
  if (verdict.ok) return pass(id);
  return fail(
    id,
    "CONSISTENCY_PROOF_INVALID",
    `${what} of sizes ${oldSize} and ${newSize}: ${
      verdict.message.replace(/^Cannot verify consistency proof: /, "")
    }`,
  );
}
