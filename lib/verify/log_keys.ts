/**
 * Transparency-log keys from a Sigstore trusted root (`application/vnd.dev.sigstore.trustedroot+json`,
 * sigstore/protobuf-specs `TrustedRoot.tlogs[]`, a `TransparencyLogInstance` each): base URL,
 * hash algorithm, public key (DER SPKI, key details, validity window) and log ID.
 *
 * Only the log keys are read here; certificate authorities, CT logs and timestamp authorities are
 * left to the Sigstore-bundle reader. Reading is strict where trust depends on it: every tlog
 * needs a base URL with a host, `SHA2_256`, a public key that imports and matches its
 * `keyDetails`, a log ID, and a validity window with a start (a missing start is rejected rather
 * than read as "forever", as sigstore-conformance `trust-root-tlog-missing-validity-start_fail`
 * requires). A `null` end is read as absent (open-ended), as protobuf JSON allows.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { decodeBase64, encodeHex } from "../encoding/bytes.ts";
import { parseJson } from "../encoding/strict_json.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { importSpki } from "../keys/key_der.ts";
import type { AsymmetricKeyType } from "../keys/key.ts";
import { isObject } from "../encoding/json_value.ts";
import { validityWindow } from "./_validity.ts";

/** Key types the `keyDetails` values of Sigstore's `PublicKeyDetails` name. */
const KEY_DETAILS: Readonly<Record<string, AsymmetricKeyType>> = {
  PKIX_ECDSA_P256_SHA_256: "ecdsa-p256",
  PKIX_ECDSA_P384_SHA_384: "ecdsa-p384",
  PKIX_ED25519: "ed25519",
  PKIX_RSA_PKCS1V15_2048_SHA256: "rsa",
  PKIX_RSA_PKCS1V15_3072_SHA256: "rsa",
  PKIX_RSA_PKCS1V15_4096_SHA256: "rsa",
  PKIX_RSA_PSS_2048_SHA256: "rsa",
  PKIX_RSA_PSS_3072_SHA256: "rsa",
  PKIX_RSA_PSS_4096_SHA256: "rsa",
};

/**
 * One transparency log's key, read from a trusted root. It is a `LogPublicKey` (`name`,
 * `publicKey`), so it can be passed to `verifyCheckpoint` and `verifyRekorInclusion` as is.
 *
 * @example Usage
 * ```ts
 * import { type TransparencyLogKey } from "@stellaops/provenance/sigstore";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { isValidAt, logKeysFromTrustedRoot } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const [key] = logKeysFromTrustedRoot(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
 *   tlogs: [{
 *     baseUrl: "https://log2025-1.rekor.sigstore.dev",
 *     hashAlgorithm: "SHA2_256",
 *     publicKey: {
 *       rawBytes: "MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=",
 *       keyDetails: "PKIX_ED25519",
 *       validFor: { start: "2025-09-23T00:00:00Z" },
 *     },
 *     logId: { keyId: "zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=" },
 *   }],
 * }));
 * const expected: TransparencyLogKey = {
 *   logId: "cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0",
 *   name: "log2025-1.rekor.sigstore.dev",
 *   baseUrl: "https://log2025-1.rekor.sigstore.dev",
 *   hashAlgorithm: "SHA2_256",
 *   publicKey: decodeBase64("MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244="),
 *   keyDetails: "PKIX_ED25519",
 *   validFrom: Date.UTC(2025, 8, 23),
 * };
 * assert.deepEqual(key, expected);
 * assert.equal(isValidAt(expected, Date.UTC(2025, 8, 22)), false);
 * ```
 */
export interface TransparencyLogKey {
  /** Log ID (`logId.keyId`) as lowercase hex; Rekor entries name their log by it. */
  readonly logId: string;
  /** Note key name of the log's checkpoints: the host (and port, if any) of `baseUrl`. */
  readonly name: string;
  /** The log's base URL as written in the trusted root. */
  readonly baseUrl: string;
  /** Merkle tree hash algorithm (always `SHA2_256` here). */
  readonly hashAlgorithm: string;
  /** DER SubjectPublicKeyInfo of the log key. */
  readonly publicKey: Uint8Array<ArrayBuffer>;
  /** Sigstore `PublicKeyDetails` name, e.g. `PKIX_ECDSA_P256_SHA_256` or `PKIX_ED25519`. */
  readonly keyDetails: string;
  /** Start of the key's validity, epoch milliseconds (inclusive). */
  readonly validFrom: number;
  /** End of the key's validity, epoch milliseconds (inclusive), when the root sets one. */
  readonly validUntil?: number;
}

/** Options of {@link logKeysFromTrustedRoot}. */
export interface LogKeysFromTrustedRootOptions {
  /** Name of the input (e.g. the file name), used in error messages. */
  name?: string | undefined;
}

/**
 * Reads the transparency-log keys of a Sigstore trusted root (`tlogs[]`), in file order.
 *
 * @param input The trusted root JSON (text or UTF-8 bytes).
 * @param options Name of the input for messages.
 * @returns One entry per tlog; an empty array when the root lists none.
 * @throws {ParseError} `TRUSTED_ROOT_INVALID` when a tlog entry is missing or has an invalid
 *   field (the JSON parser's codes when the text is not strict JSON).
 *
 * @example Usage
 * ```ts
 * import { logKeysFromTrustedRoot } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const root = JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
 *   tlogs: [{
 *     baseUrl: "https://log2025-1.rekor.sigstore.dev",
 *     hashAlgorithm: "SHA2_256",
 *     publicKey: {
 *       rawBytes: "MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=",
 *       keyDetails: "PKIX_ED25519",
 *       validFor: { start: "2025-09-23T00:00:00Z" },
 *     },
 *     logId: { keyId: "zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=" },
 *   }],
 * });
 * const [key] = logKeysFromTrustedRoot(root);
 * assert.equal(key?.name, "log2025-1.rekor.sigstore.dev");
 * assert.equal(key?.logId, "cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0");
 * assert.equal(key?.validUntil, undefined);
 * ```
 */
export function logKeysFromTrustedRoot(
  input: string | Uint8Array,
  options: LogKeysFromTrustedRootOptions = {},
): TransparencyLogKey[] {
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  const invalid = (path: string, why: string): ParseError =>
    new ParseError("TRUSTED_ROOT_INVALID", `Cannot read trusted root${label}: ${path} ${why}`);
  const root = parseJson(input, { name });
  if (!isObject(root)) throw invalid("(root)", "is not an object");
  const tlogs = root.tlogs;
  if (tlogs === undefined || tlogs === null) return [];
  if (!Array.isArray(tlogs)) throw invalid("/tlogs", "is not an array");
  return tlogs.map((tlog, index) => {
    const at = `/tlogs/${index}`;
    if (!isObject(tlog)) throw invalid(at, "is not an object");
    const baseUrl = tlog.baseUrl;
    if (typeof baseUrl !== "string") throw invalid(`${at}/baseUrl`, "is not a string");
    let host: string;
    try {
      host = new URL(baseUrl).host;
    } catch {
      throw invalid(`${at}/baseUrl`, "is not a URL");
    }
    if (host === "") throw invalid(`${at}/baseUrl`, "has no host");
    const hashAlgorithm = tlog.hashAlgorithm;
    if (hashAlgorithm !== "SHA2_256") throw invalid(`${at}/hashAlgorithm`, "is not SHA2_256");
    const publicKey = tlog.publicKey;
    if (!isObject(publicKey)) throw invalid(`${at}/publicKey`, "is not an object");
    const spki = bytesField(publicKey.rawBytes, `${at}/publicKey/rawBytes`, invalid);
    const keyDetails = publicKey.keyDetails;
    if (typeof keyDetails !== "string") {
      throw invalid(`${at}/publicKey/keyDetails`, "is not a string");
    }
    let keyType: AsymmetricKeyType;
    try {
      keyType = importSpki(spki).type;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      throw invalid(`${at}/publicKey/rawBytes`, `is not a supported public key (${error.code})`);
    }
    const declared = KEY_DETAILS[keyDetails];
    if (declared !== undefined && declared !== keyType) {
      throw invalid(`${at}/publicKey/keyDetails`, `says ${keyDetails} but the key is ${keyType}`);
    }
    const { validFrom, validUntil } = validityWindow(
      publicKey.validFor,
      `${at}/publicKey/validFor`,
      invalid,
    );
    const logIdObject = tlog.logId;
    if (!isObject(logIdObject)) throw invalid(`${at}/logId`, "is not an object");
    const logId = bytesField(logIdObject.keyId, `${at}/logId/keyId`, invalid);
    const key: TransparencyLogKey = {
      logId: encodeHex(logId),
      name: host,
      baseUrl,
      hashAlgorithm,
      publicKey: spki,
      keyDetails,
      validFrom,
      ...(validUntil === undefined ? {} : { validUntil }),
    };
    return Object.freeze(key);
  });
}

function bytesField(
  value: JsonValue | undefined,
  path: string,
  invalid: (path: string, why: string) => ParseError,
): Uint8Array<ArrayBuffer> {
  if (typeof value !== "string" || value === "") throw invalid(path, "is not a base64 string");
  try {
    return decodeBase64(value);
  } catch (error) {
    if (error instanceof ParseError) throw invalid(path, "is not base64");
    throw error;
  }
}
