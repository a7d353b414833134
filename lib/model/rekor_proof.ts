/**
 * The Rekor transparency-log proof a `stella.ops/promotion@v1` predicate may carry (its `rekor`
 * field): which log integrated an entry, where, when, the RFC 9162 inclusion proof with the
 * log's checkpoint, and the signed entry timestamp.
 *
 * Shape ({@link RekorProof}); the encodings are those of the Rekor v1 REST API
 * (`GET /api/v1/log/entries`), so values can be copied from a Rekor response unchanged:
 *
 * | field | encoding |
 * | --- | --- |
 * | `logId` | lowercase hex SHA-256 of the log's public key (Rekor `logID`) |
 * | `logIndex`, `integratedTime` | JSON integers ≥ 0 (`integratedTime` in seconds since the epoch) |
 * | `canonicalizedBody` | optional: standard padded base64 of the entry body (Rekor `body`) |
 * | `inclusionProof.logIndex`, `.treeSize` | JSON integers, ≥ 0 and ≥ 1 (RFC 9162 §2.1.3) |
 * | `inclusionProof.rootHash`, `.hashes[]` | lowercase hex SHA-256 (the audit path, leaf side first) |
 * | `inclusionProof.checkpoint` | the checkpoint note text (c2sp.org/tlog-checkpoint, signed note) |
 * | `signedEntryTimestamp` | standard padded base64 of the log's signature (Rekor SET) |
 *
 * With `canonicalizedBody` a verifier can check the SET and the inclusion proof from the
 * predicate alone (`verifyRekorSet`, `verifyRekorInclusion`); without it, it needs the logged
 * artifact to rebuild the body.
 *
 * {@link parseRekorProof} also accepts the two shapes proofs usually come in and converts them:
 * a Rekor API `LogEntry` (`{"<uuid>": {body, integratedTime, logID, logIndex, verification}}`,
 * or the inner object) and a Sigstore bundle `verificationMaterial.tlogEntries[]` item (protobuf
 * JSON: int64 as decimal strings, bytes as base64).
 *
 * Validation follows the in-toto parsing rules for optional fields (unset, `null` and `""` are
 * the same) and names every problem. Codes: `FIELD_REQUIRED`, `TYPE_MISMATCH`, `HASH_INVALID`
 * (not 64 lowercase hex digits), `INTEGER_INVALID` (not a safe integer in range),
 * `BASE64_INVALID` (not standard padded base64).
 *
 * @module
 */

import { decodeBase64, encodeHex } from "../encoding/bytes.ts";
import { ParseError, type Problem, ValidationError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { isUnset, pointer, required, typeMismatch, type UnknownObject } from "./_json.ts";
import { isObject } from "../encoding/json_value.ts";

/**
 * An RFC 9162 inclusion proof of a Rekor entry, with the checkpoint it leads to.
 *
 * @example Usage
 * ```ts
 * import { type RekorInclusionProof } from "@stellaops/provenance";
 * import { validateRekorProof } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const inclusionProof: RekorInclusionProof = {
 *   logIndex: 0,
 *   treeSize: 1,
 *   rootHash: "00".repeat(32),
 *   hashes: [],
 *   checkpoint: "log.example\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— log.example AAAA\n",
 * };
 * const problemsOf = (proof: RekorInclusionProof) =>
 *   validateRekorProof({
 *     logId: "ab".repeat(32),
 *     logIndex: 0,
 *     integratedTime: 1689177043,
 *     inclusionProof: proof,
 *     signedEntryTimestamp: "MEUCIQ==",
 *   }).map((p) => [p.path, p.code]);
 * assert.deepEqual(problemsOf(inclusionProof), []);
 * assert.deepEqual(problemsOf({ ...inclusionProof, treeSize: 0, rootHash: "AB".repeat(32) }), [
 *   ["/inclusionProof/treeSize", "INTEGER_INVALID"],
 *   ["/inclusionProof/rootHash", "HASH_INVALID"],
 * ]);
 * ```
 */
export interface RekorInclusionProof {
  /** Index of the entry's leaf in the proof's tree (may differ from the entry's `logIndex`). */
  logIndex: number;
  /** Size of the tree the proof is for (≥ 1). */
  treeSize: number;
  /** Root hash of that tree, lowercase hex. */
  rootHash: string;
  /** Audit path, leaf side first, lowercase hex each (empty for a one-leaf tree). */
  hashes: string[];
  /** The log's checkpoint (signed note text) for `treeSize` and `rootHash`. */
  checkpoint: string;
}

/**
 * A Rekor entry's proof: log id, index, integration time, inclusion proof, SET.
 *
 * @example Usage
 * ```ts
 * import { type RekorProof } from "@stellaops/provenance";
 * import { parseRekorProof } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const proof: RekorProof = {
 *   logId: "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d",
 *   logIndex: 27246114,
 *   integratedTime: 1689177043,
 *   inclusionProof: { logIndex: 1, treeSize: 2, rootHash: "00".repeat(32), hashes: ["11".repeat(32)], checkpoint: "..." },
 *   signedEntryTimestamp: "MEUCIQ==",
 * };
 * assert.deepEqual(parseRekorProof(JSON.stringify(proof)), proof);
 * ```
 */
export interface RekorProof {
  /** SHA-256 of the log's public key, lowercase hex. */
  logId: string;
  /** The entry's index in the log. */
  logIndex: number;
  /** When the log integrated the entry, seconds since the epoch. */
  integratedTime: number;
  /** The entry body (standard base64), so the SET and inclusion can be checked offline. */
  canonicalizedBody?: string;
  /** Inclusion proof and checkpoint. */
  inclusionProof: RekorInclusionProof;
  /** The log's signed entry timestamp (standard base64 of the signature). */
  signedEntryTimestamp: string;
}

/**
 * Options of {@link parseRekorProof}.
 *
 * @example Usage
 * ```ts
 * import { type ParseRekorProofOptions } from "@stellaops/provenance/model";
 * import { parseRekorProof } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const options: ParseRekorProofOptions = { name: "rekor-proof.json" };
 * assert.throws(() => parseRekorProof('{"logId": 1}', options), {
 *   name: "ValidationError",
 *   message: /^Invalid Rekor proof "rekor-proof\.json": \/logId: /,
 * });
 * assert.throws(() => parseRekorProof("{", options), { name: "ParseError", message: /rekor-proof\.json/ });
 * ```
 */
export interface ParseRekorProofOptions {
  /** Name of the input (e.g. the file name), used in error messages. */
  name?: string | undefined;
}

/** 64 lowercase hex digits: a SHA-256 value as Rekor writes hashes and log ids. */
const HASH_RE = /^[0-9a-f]{64}$/;
/** Standard base64 with padding (RFC 4648 §4); the JSON Schema uses the same pattern. */
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL_RE = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * Validates a Rekor proof and names every problem.
 *
 * @param value The candidate proof (any JSON value).
 * @param path JSON Pointer of `value` in its document (e.g. `/predicate/rekor`), prefixed to
 *   every problem path.
 * @returns Every problem found, in field order (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validateRekorProof } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validateRekorProof({
 *   logId: "C0D2",
 *   logIndex: -1,
 *   integratedTime: 1689177043,
 *   inclusionProof: { logIndex: 0, treeSize: 1, rootHash: "00".repeat(32), hashes: [], checkpoint: "x" },
 *   signedEntryTimestamp: "not base64!",
 * }, "/predicate/rekor");
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/predicate/rekor/logId", "HASH_INVALID"],
 *   ["/predicate/rekor/logIndex", "INTEGER_INVALID"],
 *   ["/predicate/rekor/signedEntryTimestamp", "BASE64_INVALID"],
 * ]);
 * ```
 */
export function validateRekorProof(value: unknown, path = ""): Problem[] {
  if (!isObject(value)) return [typeMismatch(path, "a Rekor proof object", value)];
  const problems: Problem[] = [];
  checkHash(value, "logId", path, problems);
  checkInteger(value, "logIndex", path, 0, problems);
  checkInteger(value, "integratedTime", path, 0, problems);
  checkBase64(value, "canonicalizedBody", path, false, problems);
  const proofPath = pointer(path, "inclusionProof");
  const proof = value["inclusionProof"];
  if (isUnset(proof)) {
    problems.push(required(proofPath, "an inclusion proof"));
  } else if (!isObject(proof)) {
    problems.push(typeMismatch(proofPath, "an inclusion proof object", proof));
  } else {
    checkInteger(proof, "logIndex", proofPath, 0, problems);
    checkInteger(proof, "treeSize", proofPath, 1, problems);
    checkHash(proof, "rootHash", proofPath, problems);
    const hashesPath = pointer(proofPath, "hashes");
    const hashes = proof["hashes"];
    if (isUnset(hashes)) {
      problems.push(required(hashesPath, "the audit path (an array, empty for a one-leaf tree)"));
    } else if (!Array.isArray(hashes)) {
      problems.push(typeMismatch(hashesPath, "an array of hex hashes", hashes));
    } else {
      for (const [i, hash] of hashes.entries()) {
        const at = pointer(hashesPath, i);
        if (typeof hash !== "string") problems.push(typeMismatch(at, "a hex string", hash));
        else if (!HASH_RE.test(hash)) problems.push(hashInvalid(at));
      }
    }
    const checkpoint = proof["checkpoint"];
    const checkpointPath = pointer(proofPath, "checkpoint");
    if (isUnset(checkpoint) || checkpoint === "") {
      problems.push(required(checkpointPath, "the log's checkpoint note"));
    } else if (typeof checkpoint !== "string") {
      problems.push(typeMismatch(checkpointPath, "the checkpoint note text", checkpoint));
    }
  }
  checkBase64(value, "signedEntryTimestamp", path, true, problems);
  return problems;
}

/**
 * Parses a Rekor proof file strictly: our {@link RekorProof} shape, a Rekor API `LogEntry`
 * (with or without its `{"<uuid>": …}` wrapper) or a Sigstore bundle tlog entry, converted to
 * {@link RekorProof} and validated.
 *
 * @param input The file contents (UTF-8 bytes or text).
 * @param options The input name, for messages.
 * @returns The proof in {@link RekorProof} shape.
 * @throws {ParseError} `JSON_*` when the input is not strict JSON.
 * @throws {ValidationError} Naming every problem of the (converted) proof.
 *
 * @example Usage
 * ```ts
 * import { parseRekorProof } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const bundleEntry = {
 *   logIndex: "27246114",
 *   logId: { keyId: "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=" },
 *   integratedTime: "1689177043",
 *   inclusionPromise: { signedEntryTimestamp: "MEUCIQ==" },
 *   inclusionProof: {
 *     logIndex: "0", treeSize: "1", rootHash: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", hashes: [],
 *     checkpoint: { envelope: "rekor.sigstore.dev - 1\n1\nAAAA\n\n— rekor.sigstore.dev AAAA\n" },
 *   },
 * };
 * const proof = parseRekorProof(JSON.stringify(bundleEntry));
 * assert.equal(proof.logId, "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
 * assert.equal(proof.logIndex, 27246114);
 * assert.equal(proof.inclusionProof.rootHash, "00".repeat(32));
 * ```
 */
export function parseRekorProof(
  input: Uint8Array | string,
  options: ParseRekorProofOptions = {},
): RekorProof {
  const value = toRekorProofShape(parseJson(input, { name: options.name }));
  const problems = validateRekorProof(value);
  if (problems.length > 0) {
    const label = options.name === undefined ? "" : ` "${options.name}"`;
    throw new ValidationError(`Invalid Rekor proof${label}`, problems);
  }
  return value as unknown as RekorProof;
}

/**
 * Converts the Rekor API and Sigstore bundle shapes to ours; anything else is returned as is.
 * Values that cannot be converted are kept unchanged so that validation names them.
 */
function toRekorProofShape(value: unknown): unknown {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? value[keys[0]!] : undefined;
  if (isObject(only) && isObject(only["verification"])) return fromRekorApi(only);
  if (isObject(value["verification"])) return fromRekorApi(value);
  if (isObject(value["logId"]) || isObject(value["inclusionPromise"])) return fromBundle(value);
  return value;
}

function fromRekorApi(entry: UnknownObject): UnknownObject {
  const verification = entry["verification"] as UnknownObject;
  return withoutUnset({
    logId: entry["logID"],
    logIndex: entry["logIndex"],
    integratedTime: entry["integratedTime"],
    canonicalizedBody: entry["body"],
    inclusionProof: verification["inclusionProof"],
    signedEntryTimestamp: verification["signedEntryTimestamp"],
  });
}

function fromBundle(entry: UnknownObject): UnknownObject {
  const logId = entry["logId"];
  const promise = entry["inclusionPromise"];
  const proof = entry["inclusionProof"];
  let inclusionProof: unknown = proof;
  if (isObject(proof)) {
    const checkpoint = proof["checkpoint"];
    const hashes = proof["hashes"];
    inclusionProof = withoutUnset({
      logIndex: int64(proof["logIndex"]),
      treeSize: int64(proof["treeSize"]),
      rootHash: base64ToHex(proof["rootHash"]),
      hashes: Array.isArray(hashes) ? hashes.map(base64ToHex) : hashes,
      checkpoint: isObject(checkpoint) ? checkpoint["envelope"] : checkpoint,
    });
  }
  return withoutUnset({
    logId: isObject(logId) ? base64ToHex(logId["keyId"]) : logId,
    logIndex: int64(entry["logIndex"]),
    integratedTime: int64(entry["integratedTime"]),
    canonicalizedBody: entry["canonicalizedBody"],
    inclusionProof,
    signedEntryTimestamp: isObject(promise) ? promise["signedEntryTimestamp"] : undefined,
  });
}

/** protobuf JSON int64 (a decimal string) → number, when it is a safe integer. */
function int64(value: unknown): unknown {
  if (typeof value !== "string" || !DECIMAL_RE.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

function base64ToHex(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return encodeHex(decodeBase64(value));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return value;
  }
}

function withoutUnset(object: UnknownObject): UnknownObject {
  const out: UnknownObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

function hashInvalid(path: string): Problem {
  return {
    path,
    code: "HASH_INVALID",
    message: "Write the hash as 64 lowercase hex digits (a SHA-256 value)",
  };
}

function checkHash(object: UnknownObject, field: string, path: string, problems: Problem[]): void {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value) || value === "") problems.push(required(at, `${field} (64 hex digits)`));
  else if (typeof value !== "string") problems.push(typeMismatch(at, "a hex string", value));
  else if (!HASH_RE.test(value)) problems.push(hashInvalid(at));
}

function checkInteger(
  object: UnknownObject,
  field: string,
  path: string,
  minimum: number,
  problems: Problem[],
): void {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value)) {
    problems.push(required(at, `${field} (an integer)`));
  } else if (typeof value !== "number") {
    problems.push(typeMismatch(at, "a JSON integer", value));
  } else if (!Number.isSafeInteger(value) || value < minimum) {
    problems.push({
      path: at,
      code: "INTEGER_INVALID",
      message: `Set ${field} to an integer from ${minimum} to 2^53 - 1: got ${value}`,
    });
  }
}

function checkBase64(
  object: UnknownObject,
  field: string,
  path: string,
  mandatory: boolean,
  problems: Problem[],
): void {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value) || value === "") {
    if (mandatory) problems.push(required(at, `${field} (standard base64)`));
  } else if (typeof value !== "string") {
    problems.push(typeMismatch(at, "a base64 string", value));
  } else if (!BASE64_RE.test(value)) {
    problems.push({
      path: at,
      code: "BASE64_INVALID",
      message: `Encode ${field} as standard base64 with padding`,
    });
  }
}
