/**
 * The offline trust policy (`trust.json`, docs/architecture.md "Trust policy and trusted time"): which keys the verifier
 * trusts and when, how many must sign, and what the payload must say.
 *
 * Wire format (strict: unknown fields, wrong types and bad times are errors, all reported at once):
 * ```json
 * {
 *   "version": 1,
 *   "keys": [{
 *     "publicKey": "-----BEGIN PUBLIC KEY-----\n...",   // PEM SubjectPublicKeyInfo (required)
 *     "keyid": "...",               // optional; default: hex sha256 of the SPKI DER
 *     "name": "build-service-2026", // optional label
 *     "algorithm": "rsa-pss-sha256",// optional pin; default: every scheme the key type allows
 *     "signatureEncoding": "der",   // ECDSA only: "der" (default), "p1363" or "any"
 *     "validFrom": "2026-01-01T00:00:00Z", "validUntil": "...", "revokedAt": "...",
 *     "custodians": ["courier@example.org"] // custody timelines: the actors this key signs for
 *   }],
 *   "threshold": 1,
 *   "allowedPredicateTypes": ["stella.ops/promotion@v1"],
 *   "requiredClaims": [{ "pointer": "/predicate/promotion/to", "equals": "prod" }]
 * }
 * ```
 * Every CLI `--key PEM` is the one-entry policy `{ "keys": [{ "publicKey": <PEM> }] }`.
 *
 * Key material, not entries: several entries (or an entry plus `--key`) may name the same public
 * key, under the same or different key ids. The verifier judges the key by all of them at once:
 * the latest `validFrom`, the earliest `validUntil` and the earliest `revokedAt` of any entry for
 * that key apply, so adding an entry can never extend a window or lift a revocation. `custodians`
 * lists add up (an entry without the field binds nothing; it never lifts another entry's list).
 *
 * @module
 */

import { type Problem, ValidationError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { importKeyPem } from "../keys/key_pem.ts";
import {
  isSignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
} from "../keys/key.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import type { Verifier } from "../crypto/signer.ts";
import { type RequiredClaim, validatePolicy } from "../model/claim_policy.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { isObject } from "../encoding/json_value.ts";

/**
 * A key the verifier trusts, ready to check signatures: its id, one verifier per accepted
 * signature scheme, and its validity window (epoch ms). Verifiers build these from the trust
 * material's key entries; `lib/kit` takes them directly.
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type TrustedKey,
 * } from "@stellaops/provenance";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const trusted: TrustedKey = trustedKeyFromPem(exportPublicKeyPem(key), {
 *   keyid: "release",
 *   validFrom: "2026-01-01T00:00:00Z",
 * });
 * const signature = await createSigner(key).sign(encodeUtf8("hi"));
 * assert.equal(await trusted.verifiers[0]!.verify(encodeUtf8("hi"), signature), true);
 * assert.deepEqual([trusted.keyid, trusted.validFrom], ["release", Date.UTC(2026, 0, 1)]);
 * ```
 */
export interface TrustedKey {
  /** Stable key id (hex sha256 of the SPKI DER unless the policy names another). */
  keyid: string;
  /** One verifier per accepted scheme (e.g. RSA: PSS and PKCS#1 v1.5). */
  verifiers: readonly Verifier[];
  /** Signatures made before this time do not count (epoch ms). */
  validFrom?: number | undefined;
  /** Signatures made after this time do not count (epoch ms). */
  validUntil?: number | undefined;
  /** Signatures made at or after this time do not count (epoch ms). */
  revokedAt?: number | undefined;
  /**
   * Hex SHA-256 of the key's canonical SPKI DER: the key material, whatever its `keyid`. Windows
   * and revocation of every trusted key with the same value apply together; when unset, `keyid`
   * stands in for it.
   */
  spkiSha256?: string | undefined;
  /** Custody timelines: the event actors this key may sign entries for (`custodians`). */
  custodians?: readonly string[] | undefined;
}

/**
 * ECDSA signature encodings a trust-policy key entry may accept.
 *
 * @example Usage
 * ```ts
 * import { SIGNATURE_ENCODINGS, validateTrustPolicy } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.ok(SIGNATURE_ENCODINGS.includes("any"));
 * assert.notDeepEqual(validateTrustPolicy({ keys: [{ publicKey: "x", signatureEncoding: "ber" }] }), []);
 * ```
 */
export const SIGNATURE_ENCODINGS = ["der", "p1363", "any"] as const;

/** One of {@link SIGNATURE_ENCODINGS}. */
export type SignatureEncoding = typeof SIGNATURE_ENCODINGS[number];

/**
 * One key entry of `trust.json` as written on disk.
 *
 * @example Usage
 * ```ts
 * import {
 *   loadTrustMaterial,
 *   type TrustPolicyKeyEntry,
 *   validateTrustPolicy,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry: TrustPolicyKeyEntry = {
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n",
 *   name: "release key 2026",
 *   revokedAt: "2026-06-01T00:00:00Z",
 * };
 * assert.deepEqual(validateTrustPolicy({ keys: [entry] }), []);
 * assert.deepEqual(loadTrustMaterial({ trustPolicy: { keys: [entry] } }).keys, [entry]);
 * assert.deepEqual(validateTrustPolicy({ keys: [{ ...entry, revokedAt: "June 2026" }] }), [{
 *   path: "/keys/0/revokedAt",
 *   code: "TIME_INVALID",
 *   message: "Use an RFC 3339 time such as 2026-01-01T00:00:00Z",
 * }]);
 * ```
 */
export interface TrustPolicyKeyEntry {
  /** PEM SubjectPublicKeyInfo. */
  publicKey: string;
  /** Key id to report and to match hints against (default: hex sha256 of the SPKI DER). */
  keyid?: string | undefined;
  /** Human label. */
  name?: string | undefined;
  /** Pin one signature algorithm (RSA: PSS or PKCS#1 v1.5; default both). */
  algorithm?: SignatureAlgorithm | undefined;
  /** ECDSA signature encoding to accept (default `der`). */
  signatureEncoding?: SignatureEncoding | undefined;
  /** RFC 3339 start of validity. */
  validFrom?: string | undefined;
  /** RFC 3339 end of validity. */
  validUntil?: string | undefined;
  /** RFC 3339 revocation time. */
  revokedAt?: string | undefined;
  /** Custody timelines: the event actors (`event.actor`) this key may sign entries for. */
  custodians?: string[] | undefined;
}

/**
 * `trust.json` as written on disk (see the module documentation for the format).
 *
 * @example Usage
 * ```ts
 * import {
 *   loadTrustMaterial,
 *   type TrustPolicyDocument,
 *   validateTrustPolicy,
 * } from "@stellaops/provenance";
 * import { parseTrustPolicy } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const doc: TrustPolicyDocument = {
 *   version: 1,
 *   keys: [],
 *   threshold: 1,
 *   allowedPredicateTypes: ["stella.ops/promotion@v1"],
 * };
 * assert.deepEqual(parseTrustPolicy(JSON.stringify(doc)), doc);
 * const { digest: _, ...trust } = loadTrustMaterial({ trustPolicy: doc });
 * assert.deepEqual(trust, {
 *   keys: [],
 *   threshold: 1,
 *   allowedPredicateTypes: ["stella.ops/promotion@v1"],
 * });
 * assert.deepEqual(validateTrustPolicy({ ...doc, version: 2 }).map((p) => [p.path, p.code]), [
 *   ["/version", "VERSION_UNSUPPORTED"],
 * ]);
 * ```
 */
export interface TrustPolicyDocument {
  /** Format version; only 1 exists. */
  version?: 1 | undefined;
  /** Trusted keys. */
  keys: TrustPolicyKeyEntry[];
  /** Distinct trusted keys that must sign (default 1). */
  threshold?: number | undefined;
  /** Allowed predicate types. */
  allowedPredicateTypes?: string[] | undefined;
  /** Required claims. */
  requiredClaims?: RequiredClaim[] | undefined;
  /** PEM certificates of trusted RFC 3161 timestamp authorities (roots). */
  tsaRoots?: string[] | undefined;
  /** Trusted transparency-log keys: PEM SPKI plus the checkpoint origin they sign as. */
  transparencyLogs?: { publicKey: string; origin?: string | undefined }[] | undefined;
}

const DOC_FIELDS = [
  "version",
  "keys",
  "threshold",
  "allowedPredicateTypes",
  "requiredClaims",
  "tsaRoots",
  "transparencyLogs",
];
const KEY_FIELDS = [
  "publicKey",
  "keyid",
  "name",
  "algorithm",
  "signatureEncoding",
  "validFrom",
  "validUntil",
  "revokedAt",
  "custodians",
];
const TIME_FIELDS = ["validFrom", "validUntil", "revokedAt"] as const;
const DEFAULT_TRUST_MAX_BYTES = 4 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value as JsonValue);
}

function unknownFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: Problem[],
): void {
  for (const field of Object.keys(value).sort()) {
    if (!allowed.includes(field)) {
      problems.push({
        path: `${path}/${field}`,
        code: "FIELD_UNKNOWN",
        message: `Remove unknown field "${field}"`,
      });
    }
  }
}

function stringList(value: unknown, path: string, problems: Problem[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    problems.push({ path, code: "TYPE_MISMATCH", message: "Use an array of strings" });
  }
}

/**
 * Validates a `trust.json` value, naming every problem (unknown fields, wrong types, bad times,
 * bad claims, an impossible threshold). Keys are not imported here; `loadTrustMaterial` does.
 *
 * @param value The parsed JSON value.
 * @returns Every problem found; empty when the document is valid.
 *
 * @example Usage
 * ```ts
 * import { validateTrustPolicy } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateTrustPolicy({ keys: [] }), []);
 * assert.equal(validateTrustPolicy({ keys: [], threshold: 0 })[0]?.path, "/threshold");
 * ```
 */
export function validateTrustPolicy(value: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isRecord(value)) {
    return [{ path: "", code: "TYPE_MISMATCH", message: "Use a JSON object" }];
  }
  unknownFields(value, DOC_FIELDS, "", problems);
  if (value.version !== undefined && value.version !== 1) {
    problems.push({ path: "/version", code: "VERSION_UNSUPPORTED", message: "Use version 1" });
  }
  if (!Array.isArray(value.keys)) {
    problems.push({ path: "/keys", code: "FIELD_REQUIRED", message: "Add a keys array" });
  } else {
    value.keys.forEach((entry, i) => validateKeyEntry(entry, `/keys/${i}`, problems));
  }
  if (
    value.threshold !== undefined &&
    (!Number.isSafeInteger(value.threshold) || (value.threshold as number) < 1)
  ) {
    problems.push({
      path: "/threshold",
      code: "THRESHOLD_INVALID",
      message: "Use an integer of at least 1",
    });
  }
  stringList(value.allowedPredicateTypes, "/allowedPredicateTypes", problems);
  stringList(value.tsaRoots, "/tsaRoots", problems);
  if (value.requiredClaims !== undefined) {
    for (const p of validatePolicy({ requiredClaims: value.requiredClaims })) problems.push(p);
  }
  if (value.transparencyLogs !== undefined) {
    if (!Array.isArray(value.transparencyLogs)) {
      problems.push({ path: "/transparencyLogs", code: "TYPE_MISMATCH", message: "Use an array" });
    } else {
      value.transparencyLogs.forEach((log, i) => {
        const path = `/transparencyLogs/${i}`;
        if (!isRecord(log) || typeof log.publicKey !== "string") {
          problems.push({ path, code: "TYPE_MISMATCH", message: "Use { publicKey, origin? }" });
          return;
        }
        unknownFields(log, ["publicKey", "origin"], path, problems);
        if (log.origin !== undefined && typeof log.origin !== "string") {
          problems.push({ path: `${path}/origin`, code: "TYPE_MISMATCH", message: "Use a string" });
        }
      });
    }
  }
  return problems;
}

function validateKeyEntry(entry: unknown, path: string, problems: Problem[]): void {
  if (!isRecord(entry)) {
    problems.push({ path, code: "TYPE_MISMATCH", message: "Use a key entry object" });
    return;
  }
  unknownFields(entry, KEY_FIELDS, path, problems);
  if (typeof entry.publicKey !== "string") {
    problems.push({
      path: `${path}/publicKey`,
      code: "FIELD_REQUIRED",
      message: "Add the PEM public key",
    });
  }
  for (const field of ["keyid", "name"]) {
    if (entry[field] !== undefined && typeof entry[field] !== "string") {
      problems.push({ path: `${path}/${field}`, code: "TYPE_MISMATCH", message: "Use a string" });
    }
  }
  if (entry.algorithm !== undefined && !isSignatureAlgorithm(entry.algorithm)) {
    problems.push({
      path: `${path}/algorithm`,
      code: "ALGORITHM_UNSUPPORTED",
      message: `Use one of ${SIGNATURE_ALGORITHMS.join(", ")}`,
    });
  }
  if (
    entry.signatureEncoding !== undefined &&
    !(SIGNATURE_ENCODINGS as readonly unknown[]).includes(entry.signatureEncoding)
  ) {
    problems.push({
      path: `${path}/signatureEncoding`,
      code: "TYPE_MISMATCH",
      message: `Use one of ${SIGNATURE_ENCODINGS.join(", ")}`,
    });
  }
  if (
    entry.custodians !== undefined &&
    (!Array.isArray(entry.custodians) ||
      entry.custodians.some((c) => typeof c !== "string" || c === ""))
  ) {
    problems.push({
      path: `${path}/custodians`,
      code: "TYPE_MISMATCH",
      message: "Use an array of non-empty strings (the custodians' event actors)",
    });
  }
  const times: Partial<Record<typeof TIME_FIELDS[number], number>> = {};
  for (const field of TIME_FIELDS) {
    const time = entry[field];
    if (time === undefined) continue;
    try {
      if (typeof time !== "string") throw new TypeError();
      times[field] = parseRfc3339(time);
    } catch {
      problems.push({
        path: `${path}/${field}`,
        code: "TIME_INVALID",
        message: "Use an RFC 3339 time such as 2026-01-01T00:00:00Z",
      });
    }
  }
  if (
    times.validFrom !== undefined && times.validUntil !== undefined &&
    times.validUntil < times.validFrom
  ) {
    problems.push({
      path: `${path}/validUntil`,
      code: "VALIDITY_WINDOW_INVALID",
      message: "Use a validUntil that is not before validFrom",
    });
  }
}

/**
 * Parses `trust.json` strictly (duplicate keys, unknown fields, wrong types and bad times are all
 * errors).
 *
 * @param input The file's bytes or text.
 * @param options `name` of the file for messages.
 * @returns The validated document.
 * @throws {ParseError} When the JSON itself is malformed.
 * @throws {ValidationError} Listing every problem of a well-formed but invalid document.
 *
 * @example Usage
 * ```ts
 * import { parseTrustPolicy } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assert.equal(parseTrustPolicy('{"keys":[],"threshold":2}').threshold, 2);
 * assert.throws(() => parseTrustPolicy('{"keys":[],"keys":[]}'), { code: "JSON_DUPLICATE_KEY" });
 * assert.throws(() => parseTrustPolicy('{"keys":[{"publicKey":1}]}'), /\/keys\/0\/publicKey/);
 * ```
 */
export function parseTrustPolicy(
  input: Uint8Array | string,
  options: { name?: string | undefined } = {},
): TrustPolicyDocument {
  const value = parseJson(input, { name: options.name, maxBytes: DEFAULT_TRUST_MAX_BYTES });
  const problems = validateTrustPolicy(value);
  if (problems.length > 0) {
    throw new ValidationError(
      `Invalid trust policy${options.name === undefined ? "" : ` "${options.name}"`}`,
      problems,
    );
  }
  return value as unknown as TrustPolicyDocument;
}

/**
 * Options of {@link trustedKeyFromPem}: the key entry's fields other than the PEM.
 *
 * @example Usage
 * ```ts
 * import { type TrustedKeyOptions } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
 * const options: TrustedKeyOptions = {
 *   keyid: "release-2026",
 *   name: "key.pub",
 *   validUntil: "2027-01-01T00:00:00Z",
 * };
 * const key = trustedKeyFromPem(pem, options);
 * assert.deepEqual([key.keyid, key.validUntil], ["release-2026", Date.UTC(2027, 0, 1)]);
 * assert.deepEqual(key.verifiers.map((v) => v.algorithm), ["ed25519"]);
 * assert.throws(() => trustedKeyFromPem(pem, { ...options, algorithm: "rsa-pss-sha256" }), {
 *   name: "TypeError",
 *   message: 'Cannot verify "rsa-pss-sha256" signatures with a ed25519 key',
 * });
 * assert.throws(() => trustedKeyFromPem(pem.replace("MCow", "AAAA"), options), {
 *   code: "KEY_INVALID",
 *   message: /^Cannot import key "key\.pub": /,
 * });
 * ```
 */
export type TrustedKeyOptions = Omit<TrustPolicyKeyEntry, "publicKey">;

/**
 * Imports one trusted key from PEM SubjectPublicKeyInfo and builds its verifiers: Ed25519; ECDSA
 * with the entry's encoding (`der` by default, `p1363`, or `any`); RSA with PSS (SHA-256, any
 * salt length) and PKCS#1 v1.5 unless `algorithm` pins one.
 *
 * @param pem PEM text of the public key.
 * @param options Key id, pin, encoding and validity window.
 * @returns The trusted key.
 * @throws {ParseError} When the PEM or key is malformed or unsupported (names `options.name`).
 * @throws {TypeError} When the pinned algorithm does not fit the key.
 *
 * @example Usage
 * ```ts
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = trustedKeyFromPem(`-----BEGIN PUBLIC KEY-----
 * MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
 * -----END PUBLIC KEY-----`, { validUntil: "2027-01-01T00:00:00Z" });
 * assert.equal(key.verifiers.length, 1);
 * assert.equal(key.validUntil, Date.UTC(2027, 0, 1));
 * ```
 */
export function trustedKeyFromPem(pem: string, options: TrustedKeyOptions = {}): TrustedKey {
  const imported = importKeyPem(pem, { name: options.name });
  const publicKey = imported.kind === "private" ? imported.publicKey : imported;
  const keyid = options.keyid ?? publicKey.keyid;
  const encoding = options.signatureEncoding ?? "der";
  const ecdsaSignatureFormat = encoding === "any" ? "der-or-p1363" : encoding;
  const algorithms: SignatureAlgorithm[] = options.algorithm !== undefined
    ? [options.algorithm]
    : publicKey.type === "rsa"
    ? ["rsa-pss-sha256", "rsa-pkcs1-sha256"]
    : [publicKey.algorithm];
  const verifiers = algorithms.map((algorithm) =>
    createVerifier(publicKey, {
      algorithm,
      keyid,
      ecdsaSignatureFormat,
      rsaPssSaltLength: "auto",
    })
  );
  const key: TrustedKey = { keyid, verifiers, spkiSha256: publicKey.keyid };
  if (options.custodians !== undefined) key.custodians = [...options.custodians];
  if (options.validFrom !== undefined) key.validFrom = parseRfc3339(options.validFrom, "validFrom");
  if (options.validUntil !== undefined) {
    key.validUntil = parseRfc3339(options.validUntil, "validUntil");
  }
  if (options.revokedAt !== undefined) key.revokedAt = parseRfc3339(options.revokedAt, "revokedAt");
  return key;
}
