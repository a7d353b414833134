/**
 * Digest text forms and the in-toto DigestSet.
 *
 * - `alg:hex` digest strings (`sha256:<64 lowercase hex>`, as OCI image digests and Rekor write
 *   them): {@link formatDigest} and the strict {@link parseDigest}.
 * - in-toto Attestation Framework v1 `DigestSet` (spec/v1/digest_set.md): a JSON object mapping
 *   algorithm names to digest values. {@link validateDigestSet} applies the rules of the reference
 *   Go binding (`go/v1/resource_descriptor.go`, `ResourceDescriptor.Validate`), as the vendored
 *   vectors (`in-toto-attestation/validation-vectors.json` in the shared vector sets) record them:
 *   - for the algorithms in {@link DIGEST_SET_KNOWN_LENGTHS} the value must be hex (Go
 *     `hex.DecodeString`: even length, either case) that decodes to one of the listed byte
 *     lengths (`gitCommit`, `gitTree`, `gitBlob`, `gitTag`: 20 for SHA-1 or 32 for SHA-256 repos);
 *   - any other algorithm name is custom and accepted with any string value (the spec: "Consumers
 *     … MUST ignore unrecognized or unaccepted algorithms");
 *   - the set must have at least one entry (digest_set.md: "Set of one or more").
 *
 * Problem codes and the Go sentinel errors they correspond to:
 *
 * | code | meaning | Go binding |
 * | --- | --- | --- |
 * | `DIGEST_SET_INVALID` | the set is not a JSON object, or a value is not a string | (rejected when unmarshalling) |
 * | `DIGEST_SET_EMPTY` | the set has no entries | (a subject with `{}` fails `ErrRDRequiredField` / `ErrDigestRequired`) |
 * | `DIGEST_INVALID_ENCODING` | value of a known algorithm is not hex | `ErrInvalidDigestEncoding` |
 * | `DIGEST_INCORRECT_LENGTH` | hex value of a known algorithm has a length not listed | `ErrIncorrectDigestLength` |
 *
 * @module
 */

import { ParseError, type Problem } from "../encoding/errors.ts";
import { formatPointer } from "../encoding/json_pointer.ts";
import { type DigestAlgorithm, digestBytes, digestSize, isDigestAlgorithm } from "./digest.ts";

/**
 * An in-toto DigestSet: algorithm name → digest value (lowercase hex for the standard algorithms).
 * Validate untrusted sets with {@link validateDigestSet}.
 */
export type DigestSet = Record<string, string>;

/** A digest string split into its parts by {@link parseDigest}. */
export interface ParsedDigest {
  /** The algorithm, e.g. `sha256`. */
  algorithm: DigestAlgorithm;
  /** The digest as lowercase hex, exactly as written. */
  hex: string;
  /** The digest bytes. */
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Decoded byte lengths that in-toto requires of the digest values of known algorithms (Go binding
 * `go/v1/resource_descriptor.go`); algorithms not listed are custom and not checked.
 */
export const DIGEST_SET_KNOWN_LENGTHS: Readonly<Record<string, readonly number[]>> = Object.freeze({
  md5: Object.freeze([16]),
  sha1: Object.freeze([20]),
  sha224: Object.freeze([28]),
  sha512_224: Object.freeze([28]),
  sha3_224: Object.freeze([28]),
  sha256: Object.freeze([32]),
  sha512_256: Object.freeze([32]),
  sha3_256: Object.freeze([32]),
  dirHash: Object.freeze([32]),
  sha384: Object.freeze([48]),
  sha3_384: Object.freeze([48]),
  sha512: Object.freeze([64]),
  sha3_512: Object.freeze([64]),
  gitBlob: Object.freeze([20, 32]),
  gitCommit: Object.freeze([20, 32]),
  gitTag: Object.freeze([20, 32]),
  gitTree: Object.freeze([20, 32]),
});

const ANY_CASE_HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Formats a digest as `alg:hex` (lowercase hex), the form OCI image digests use.
 *
 * @param algorithm One of `sha256`, `sha384`, `sha512`.
 * @param bytes The digest bytes; their length must match the algorithm.
 * @returns The digest string, e.g. `sha256:e3b0…b855`.
 * @throws {TypeError} When the algorithm is unknown or `bytes` is not a `Uint8Array`.
 * @throws {RangeError} When `bytes` has the wrong length for the algorithm.
 *
 * @example Usage
 * ```ts
 * import { formatDigest } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   formatDigest("sha256", sha256(new Uint8Array())),
 *   "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 */
export function formatDigest(algorithm: DigestAlgorithm, bytes: Uint8Array): string {
  const size = digestSize(algorithm);
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Cannot format ${algorithm} digest: expected a Uint8Array`);
  }
  if (bytes.length !== size) {
    throw new RangeError(
      `Cannot format ${algorithm} digest: expected ${size} bytes, got ${bytes.length}`,
    );
  }
  return `${algorithm}:${bytes.toHex()}`;
}

/**
 * Parses an `alg:hex` digest string strictly: the algorithm must be `sha256`, `sha384` or
 * `sha512` (lowercase), the hex must be lowercase and exactly as long as the digest.
 *
 * @param text The digest string, e.g. `sha256:e3b0…b855`.
 * @param name Optional name of the input, used in the error message.
 * @returns The algorithm, the hex and the decoded bytes.
 * @throws {ParseError} `DIGEST_INVALID` (with the offset of the problem) for anything else.
 *
 * @example Usage
 * ```ts
 * import { parseDigest } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const digest = parseDigest("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
 * assert.equal(digest.algorithm, "sha256");
 * assert.equal(digest.bytes.length, 32);
 * assert.throws(() => parseDigest("sha256:E3B0"), { code: "DIGEST_INVALID" });
 * assert.throws(() => parseDigest("md5:d41d8cd98f00b204e9800998ecf8427e"), { code: "DIGEST_INVALID" });
 * ```
 */
export function parseDigest(text: string, name?: string): ParsedDigest {
  const label = name === undefined ? "digest" : `digest "${name}"`;
  if (typeof text !== "string") {
    throw new ParseError("DIGEST_INVALID", `Cannot parse ${label}: expected a string`, 0);
  }
  const colon = text.indexOf(":");
  if (colon < 0) {
    throw new ParseError(
      "DIGEST_INVALID",
      `Cannot parse ${label}: expected "<algorithm>:<hex>", found no ":"`,
      0,
    );
  }
  const algorithm = text.slice(0, colon);
  if (!isDigestAlgorithm(algorithm)) {
    throw new ParseError(
      "DIGEST_INVALID",
      `Cannot parse ${label}: unsupported algorithm ${JSON.stringify(algorithm.slice(0, 32))}, ` +
        "expected sha256, sha384 or sha512",
      0,
    );
  }
  const hex = text.slice(colon + 1);
  const bad = hex.search(/[^0-9a-f]/);
  if (bad >= 0) {
    throw new ParseError(
      "DIGEST_INVALID",
      `Cannot parse ${label}: expected lowercase hex after "${algorithm}:", found ` +
        `${JSON.stringify(hex.charAt(bad))} at offset ${colon + 1 + bad}`,
      colon + 1 + bad,
    );
  }
  const digits = 2 * digestSize(algorithm);
  if (hex.length !== digits) {
    throw new ParseError(
      "DIGEST_INVALID",
      `Cannot parse ${label}: a ${algorithm} digest has ${digits} hex digits, found ${hex.length}`,
      colon + 1,
    );
  }
  return { algorithm, hex, bytes: Uint8Array.fromHex(hex) };
}

/**
 * Validates an in-toto DigestSet (spec/v1/digest_set.md) exactly as the reference Go binding
 * does, reporting every problem at once (see the module documentation for the codes).
 *
 * @param set The value to check (usually from untrusted JSON).
 * @param path JSON Pointer of `set` inside its document, prefixed to every problem path.
 * @returns Every problem found; `[]` when the set is valid.
 *
 * @example Usage
 * ```ts
 * import { validateDigestSet } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateDigestSet({ gitCommit: "a1234567b1234567c1234567d1234567e1234567", custom: "x" }), []);
 * assert.deepEqual(
 *   validateDigestSet({ sha256: "abc123" }, "/subject/0/digest").map((p) => [p.path, p.code]),
 *   [["/subject/0/digest/sha256", "DIGEST_INCORRECT_LENGTH"]],
 * );
 * assert.equal(validateDigestSet({})[0]?.code, "DIGEST_SET_EMPTY");
 * ```
 */
export function validateDigestSet(set: unknown, path = ""): Problem[] {
  if (typeof set !== "object" || set === null || Array.isArray(set)) {
    return [{
      path,
      code: "DIGEST_SET_INVALID",
      message: `Provide the digest set as an object mapping algorithm names to digest strings, ` +
        `not ${describe(set)}`,
    }];
  }
  const algorithms = Object.keys(set);
  if (algorithms.length === 0) {
    return [{
      path,
      code: "DIGEST_SET_EMPTY",
      message: "Add at least one digest to the digest set",
    }];
  }
  const problems: Problem[] = [];
  for (const algorithm of algorithms) {
    const value: unknown = (set as Record<string, unknown>)[algorithm];
    const at = path + formatPointer([algorithm]);
    if (typeof value !== "string") {
      problems.push({
        path: at,
        code: "DIGEST_SET_INVALID",
        message: `Give the ${JSON.stringify(algorithm)} digest as a string, not ${describe(value)}`,
      });
      continue;
    }
    if (!Object.hasOwn(DIGEST_SET_KNOWN_LENGTHS, algorithm)) continue;
    const lengths = DIGEST_SET_KNOWN_LENGTHS[algorithm]!;
    if (!ANY_CASE_HEX_RE.test(value)) {
      problems.push({
        path: at,
        code: "DIGEST_INVALID_ENCODING",
        message:
          `Encode the ${algorithm} digest as hex: the value is not an even-length hex string`,
      });
      continue;
    }
    const byteLength = value.length / 2;
    if (!lengths.includes(byteLength)) {
      problems.push({
        path: at,
        code: "DIGEST_INCORRECT_LENGTH",
        message: `Give a ${algorithm} digest of ${lengths.join(" or ")} bytes: the value has ` +
          `${byteLength} bytes`,
      });
    }
  }
  return problems;
}

/**
 * Computes a DigestSet of bytes with one or more of the toolkit's algorithms.
 *
 * @param bytes The artifact bytes.
 * @param algorithms Algorithms to include, in output key order (default `["sha256"]`).
 * @returns The digest set, values in lowercase hex.
 * @throws {TypeError} When an algorithm is unknown or `bytes` is not a `Uint8Array`.
 * @throws {RangeError} When `algorithms` is empty or names an algorithm twice.
 *
 * @example Usage
 * ```ts
 * import { digestSetOf } from "@stellaops/provenance/digest";
 * import assert from "node:assert/strict";
 * assert.deepEqual(digestSetOf(new TextEncoder().encode("abc")), {
 *   sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * });
 * assert.deepEqual(Object.keys(digestSetOf(new Uint8Array(), ["sha512", "sha256"])), ["sha512", "sha256"]);
 * ```
 */
export function digestSetOf(
  bytes: Uint8Array,
  algorithms: readonly DigestAlgorithm[] = ["sha256"],
): DigestSet {
  if (algorithms.length === 0) {
    throw new RangeError("Cannot compute a digest set: name at least one algorithm");
  }
  const set: DigestSet = {};
  for (const algorithm of algorithms) {
    if (Object.hasOwn(set, algorithm)) {
      throw new RangeError(`Cannot compute a digest set: algorithm "${algorithm}" named twice`);
    }
    set[algorithm] = digestBytes(algorithm, bytes).toHex();
  }
  return set;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
