/**
 * Key rings for rotation: a JSON list of signing keys with validity windows and status, strict
 * parsing and validation, the key valid at a given time, and rotation (a pure ring → ring step).
 *
 * Format (`ring.json`, written as RFC 8785 canonical JSON by {@link formatKeyRing}):
 *
 * ```json
 * { "keys": [ { "keyid": "<hex sha256 of SPKI DER>", "algorithm": "ed25519",
 *   "publicKey": "-----BEGIN PUBLIC KEY-----\n...", "validFrom": "2025-01-01T00:00:00Z",
 *   "validUntil": "2025-07-01T00:00:00Z", "revokedAt": "2025-03-01T00:00:00Z",
 *   "status": "active" | "retired" | "revoked" } ] }
 * ```
 *
 * Rules (docs/architecture.md "Trust policy and trusted time": keys with validFrom, validUntil, revokedAt):
 * - Times are RFC 3339 with an offset, compared as instants (`parseRfc3339`).
 * - A key is valid at `t` when `validFrom <= t`, `t < validUntil` (if set) and `t < revokedAt`
 *   (if set) — half-open windows, so a rotation instant belongs to the new key.
 * - `status` must agree with the times: `revoked` ⇔ `revokedAt` is set; `retired` needs
 *   `validUntil`. HMAC keys cannot be in a ring (they have no public key).
 * - `publicKey` must be one PEM `PUBLIC KEY` block whose key fits `algorithm`, and `keyid` must be
 *   its key id (hex SHA-256 of the SPKI DER, `lib/keys/`). Key ids are unique within a ring.
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { ParseError, type Problem, ValidationError } from "../encoding/errors.ts";
import { decodePem } from "../encoding/pem.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { importSpki } from "../keys/key_der.ts";
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from "../keys/key.ts";
import { copyEntry } from "./rotate_key_ring.ts";

/** Status values of a key ring entry. */
export const KEY_STATUSES = ["active", "retired", "revoked"] as const;

/** One of {@link KEY_STATUSES}. */
export type KeyStatus = typeof KEY_STATUSES[number];

/**
 * One key of a {@link KeyRing}.
 *
 * @example Usage
 * ```ts
 * import { type KeyRingEntry } from "@stellaops/provenance/sign";
 * import { keyActiveAt, validateKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const entry: KeyRingEntry = {
 *   keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *   algorithm: "ed25519",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n",
 *   validFrom: "2025-01-01T00:00:00Z",
 *   status: "active",
 * };
 * assert.deepEqual(validateKeyRing({ keys: [entry] }), []);
 * assert.equal(keyActiveAt({ keys: [entry] }, entry.keyid, "2025-01-01T00:00:00Z"), true);
 * assert.equal(keyActiveAt({ keys: [entry] }, entry.keyid, "2024-12-31T23:59:59Z"), false);
 * assert.deepEqual(validateKeyRing({ keys: [{ ...entry, keyid: "ab".repeat(32) }] }).map((p) => p.code), [
 *   "KEYRING_KEYID_MISMATCH",
 * ]);
 * ```
 */
export interface KeyRingEntry {
  /** Key id (hex SHA-256 of the SPKI DER, see `lib/keys/`). */
  keyid: string;
  /** Signature algorithm of the key. */
  algorithm: SignatureAlgorithm;
  /** PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`). */
  publicKey: string;
  /** First instant the key may sign (RFC 3339). */
  validFrom: string;
  /** First instant the key may no longer sign (RFC 3339), if bounded. */
  validUntil?: string | undefined;
  /** Instant the key was revoked (RFC 3339); set exactly when `status` is `revoked`. */
  revokedAt?: string | undefined;
  /** Lifecycle status. */
  status: KeyStatus;
}

/**
 * A key ring: every key that signs (or signed) for one identity.
 *
 * @example Usage
 * ```ts
 * import { type KeyRing } from "@stellaops/provenance/sign";
 * import { formatKeyRing, parseKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const ring: KeyRing = {
 *   keys: [{
 *     keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *     algorithm: "ed25519",
 *     publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n",
 *     validFrom: "2025-01-01T00:00:00Z",
 *     status: "active",
 *   }],
 * };
 * assert.equal(formatKeyRing({ keys: [] }), '{"keys":[]}\n');
 * assert.deepEqual(parseKeyRing(formatKeyRing(ring)), ring);
 * ```
 */
export interface KeyRing {
  /** The keys, ordered by `validFrom` then `keyid` when written by this module. */
  keys: KeyRingEntry[];
}

/**
 * Options of {@link parseKeyRing}.
 *
 * @example Usage
 * ```ts
 * import { type ParseKeyRingOptions } from "@stellaops/provenance/sign";
 * import { parseKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const options: ParseKeyRingOptions = { name: "ring.json", maxBytes: 64 };
 * assert.deepEqual(parseKeyRing('{"keys":[]}', options), { keys: [] });
 * assert.throws(() => parseKeyRing('{"keys":[{}]}', options), {
 *   code: "KEYRING_INVALID",
 *   message: /^Cannot parse key ring "ring\.json": \/keys\/0\/keyid: Add "keyid" to key 0;/,
 * });
 * assert.throws(() => parseKeyRing(`{"keys":[],"pad":"${"x".repeat(64)}"}`, options), {
 *   code: "JSON_TOO_LARGE",
 * });
 * ```
 */
export interface ParseKeyRingOptions {
  /** Name of the input (e.g. the file name) used in error messages. */
  name?: string | undefined;
  /** Largest accepted input in bytes (default 4 MiB). */
  maxBytes?: number | undefined;
}

const ENTRY_FIELDS = [
  "keyid",
  "algorithm",
  "publicKey",
  "validFrom",
  "validUntil",
  "revokedAt",
  "status",
];

const RING_ALGORITHMS: readonly string[] = SIGNATURE_ALGORITHMS.filter((a) => a !== "hmac-sha256");

const DEFAULT_RING_MAX_BYTES = 4 * 1024 * 1024;

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function toMs(time: string | number, name: string): number {
  if (typeof time === "number") {
    if (!Number.isSafeInteger(time)) {
      throw new RangeError(`Pass ${name} as integer epoch milliseconds`);
    }
    return time;
  }
  return parseRfc3339(time, name);
}

function checkPublicKey(
  pem: string,
  keyid: string | undefined,
  algorithm: string | undefined,
  i: number,
  add: (path: string, code: string, message: string) => void,
): void {
  const path = `/keys/${i}/publicKey`;
  let der: Uint8Array;
  try {
    der = decodePem(pem, { label: "PUBLIC KEY" }).bytes;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    add(
      path,
      "KEYRING_FIELD_INVALID",
      `Make "publicKey" of key ${i} one PEM "PUBLIC KEY" block (SubjectPublicKeyInfo)`,
    );
    return;
  }
  const fits = algorithm !== undefined && RING_ALGORITHMS.includes(algorithm);
  try {
    const key = importSpki(der, fits ? { algorithm: algorithm as SignatureAlgorithm } : {});
    if (keyid !== undefined && keyid !== "" && keyid !== key.keyid) {
      add(
        `/keys/${i}/keyid`,
        "KEYRING_KEYID_MISMATCH",
        `Set "keyid" of key ${i} to ${key.keyid}, the SHA-256 of its public key`,
      );
    }
  } catch (error) {
    if (error instanceof ParseError) {
      add(path, "KEYRING_FIELD_INVALID", `Replace "publicKey" of key ${i}: ${error.message}`);
    } else if (error instanceof TypeError) {
      add(
        `/keys/${i}/algorithm`,
        "KEYRING_FIELD_INVALID",
        `Make "algorithm" of key ${i} fit its public key: ${error.message}`,
      );
    } else {
      throw error;
    }
  }
}

/**
 * Checks that a value is a well-formed {@link KeyRing} and names every problem.
 *
 * Codes: `KEYRING_FIELD_MISSING`, `KEYRING_FIELD_INVALID` (wrong type, unknown algorithm or
 * status, bad time, not a PEM SubjectPublicKeyInfo, algorithm not fitting the key),
 * `KEYRING_FIELD_UNKNOWN`, `KEYRING_KEYID_DUPLICATE`, `KEYRING_KEYID_MISMATCH` (`keyid` is not
 * the hex SHA-256 of the key's SPKI DER),
 * `KEYRING_WINDOW_INVALID` (`validUntil` not after `validFrom`), `KEYRING_STATUS_INCONSISTENT`
 * (`revoked` without `revokedAt` or the reverse; `retired` without `validUntil`).
 *
 * @param value The parsed ring document.
 * @returns Every problem, in document order; `[]` when the ring is valid.
 *
 * @example Usage
 * ```ts
 * import { validateKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const problems = validateKeyRing({ keys: [{ keyid: "k", algorithm: "ed25519", status: "revoked" }] });
 * assert.deepEqual(problems.map((p) => p.code), [
 *   "KEYRING_FIELD_MISSING",
 *   "KEYRING_FIELD_MISSING",
 *   "KEYRING_STATUS_INCONSISTENT",
 * ]);
 * ```
 */
export function validateKeyRing(value: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, code: string, message: string) =>
    void problems.push({ path, code, message });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    add(
      "",
      "KEYRING_FIELD_INVALID",
      `Pass the key ring as a JSON object, not ${describeType(value)}`,
    );
    return problems;
  }
  const ring = value as Record<string, unknown>;
  for (const key of Object.keys(ring)) {
    if (key !== "keys") {
      add(
        `/${escapeToken(key)}`,
        "KEYRING_FIELD_UNKNOWN",
        `Remove unknown key ring field "${key}"`,
      );
    }
  }
  if (!Object.hasOwn(ring, "keys")) {
    add("/keys", "KEYRING_FIELD_MISSING", `Add a "keys" array to the key ring`);
    return problems;
  }
  if (!Array.isArray(ring.keys)) {
    add("/keys", "KEYRING_FIELD_INVALID", `Make "keys" an array, not ${describeType(ring.keys)}`);
    return problems;
  }
  const seen = new Map<string, number>();
  ring.keys.forEach((entry: unknown, i: number) => {
    const base = `/keys/${i}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      add(base, "KEYRING_FIELD_INVALID", `Make key ${i} an object, not ${describeType(entry)}`);
      return;
    }
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!ENTRY_FIELDS.includes(key)) {
        add(
          `${base}/${escapeToken(key)}`,
          "KEYRING_FIELD_UNKNOWN",
          `Remove unknown field "${key}" from key ${i}`,
        );
      }
    }
    const str = (field: string, required: boolean): string | undefined => {
      if (!Object.hasOwn(e, field)) {
        if (required) {
          add(`${base}/${field}`, "KEYRING_FIELD_MISSING", `Add "${field}" to key ${i}`);
        }
        return undefined;
      }
      const v = e[field];
      if (typeof v !== "string") {
        add(
          `${base}/${field}`,
          "KEYRING_FIELD_INVALID",
          `Make "${field}" of key ${i} a string, not ${describeType(v)}`,
        );
        return undefined;
      }
      return v;
    };
    const keyid = str("keyid", true);
    if (keyid !== undefined) {
      if (keyid === "") {
        add(`${base}/keyid`, "KEYRING_FIELD_INVALID", `Give key ${i} a non-empty "keyid"`);
      } else if (seen.has(keyid)) {
        add(
          `${base}/keyid`,
          "KEYRING_KEYID_DUPLICATE",
          `Remove key ${i}: key id "${keyid}" is already key ${seen.get(keyid)}`,
        );
      } else {
        seen.set(keyid, i);
      }
    }
    const algorithm = str("algorithm", true);
    if (algorithm !== undefined && !RING_ALGORITHMS.includes(algorithm)) {
      add(
        `${base}/algorithm`,
        "KEYRING_FIELD_INVALID",
        `Use one of ${RING_ALGORITHMS.join(", ")} as "algorithm" of key ${i}, not "${algorithm}"`,
      );
    }
    const publicKey = str("publicKey", true);
    if (publicKey !== undefined) checkPublicKey(publicKey, keyid, algorithm, i, add);
    const times: Record<string, number | undefined> = {};
    for (
      const [field, required] of [["validFrom", true], ["validUntil", false], [
        "revokedAt",
        false,
      ]] as const
    ) {
      const text = str(field, required);
      if (text === undefined) continue;
      try {
        times[field] = parseRfc3339(text, field);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        add(
          `${base}/${field}`,
          "KEYRING_FIELD_INVALID",
          `Make "${field}" of key ${i} an RFC 3339 time with an offset`,
        );
      }
    }
    const from = times.validFrom;
    const until = times.validUntil;
    if (from !== undefined && until !== undefined && until <= from) {
      add(
        `${base}/validUntil`,
        "KEYRING_WINDOW_INVALID",
        `Make "validUntil" of key ${i} later than its "validFrom"`,
      );
    }
    const status = str("status", true);
    if (status !== undefined) {
      if (!(KEY_STATUSES as readonly string[]).includes(status)) {
        add(
          `${base}/status`,
          "KEYRING_FIELD_INVALID",
          `Use one of ${KEY_STATUSES.join(", ")} as "status" of key ${i}, not "${status}"`,
        );
      } else if (status === "revoked" && !Object.hasOwn(e, "revokedAt")) {
        add(
          `${base}/revokedAt`,
          "KEYRING_STATUS_INCONSISTENT",
          `Add "revokedAt" to revoked key ${i}`,
        );
      } else if (status !== "revoked" && Object.hasOwn(e, "revokedAt")) {
        add(
          `${base}/status`,
          "KEYRING_STATUS_INCONSISTENT",
          `Set "status" of key ${i} to "revoked": it has "revokedAt"`,
        );
      } else if (status === "retired" && !Object.hasOwn(e, "validUntil")) {
        add(
          `${base}/validUntil`,
          "KEYRING_STATUS_INCONSISTENT",
          `Add "validUntil" to retired key ${i}`,
        );
      }
    }
  });
  return problems;
}

/**
 * Parses a key ring file strictly (JSON per `parseJson`, then {@link validateKeyRing}).
 *
 * @param input The ring as UTF-8 bytes or text.
 * @param options Input name for messages and the size limit.
 * @returns The key ring.
 * @throws {ParseError} `JSON_*` when the text is not strict JSON; `KEYRING_INVALID` when the JSON
 *   is not a valid ring (the message lists every problem).
 *
 * @example Usage
 * ```ts
 * import { parseKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseKeyRing('{"keys":[]}'), { keys: [] });
 * assert.throws(() => parseKeyRing('{"keys":[{}]}', { name: "ring.json" }), { code: "KEYRING_INVALID" });
 * ```
 */
export function parseKeyRing(
  input: Uint8Array | string,
  options: ParseKeyRingOptions = {},
): KeyRing {
  const name = options.name;
  const value = parseJson(input, {
    ...(name === undefined ? {} : { name }),
    maxBytes: options.maxBytes ?? DEFAULT_RING_MAX_BYTES,
  });
  const problems = validateKeyRing(value);
  if (problems.length > 0) {
    const where = name === undefined ? "" : ` "${name}"`;
    throw new ParseError(
      "KEYRING_INVALID",
      `Cannot parse key ring${where}: ` +
        problems.map((p) => `${p.path === "" ? "(root)" : p.path}: ${p.message}`).join("; "),
    );
  }
  return value as unknown as KeyRing;
}

export function assertRing(ring: KeyRing): void {
  const problems = validateKeyRing(ring);
  if (problems.length > 0) throw new ValidationError("Invalid key ring", problems);
}

function validAt(entry: KeyRingEntry, t: number): boolean {
  if (t < parseRfc3339(entry.validFrom)) return false;
  if (entry.validUntil !== undefined && t >= parseRfc3339(entry.validUntil)) return false;
  if (entry.revokedAt !== undefined && t >= parseRfc3339(entry.revokedAt)) return false;
  return true;
}

/**
 * Whether a key of the ring was valid for signing at a given instant: inside
 * `[validFrom, validUntil)` and before `revokedAt`.
 *
 * @param ring The key ring.
 * @param keyid The key id to look up.
 * @param time The instant (RFC 3339 text or epoch milliseconds).
 * @returns `false` also when the key is not in the ring.
 * @throws {ValidationError} When the ring is malformed.
 * @throws {ParseError} `TIME_INVALID` when `time` is not RFC 3339.
 *
 * @example Usage
 * ```ts
 * import { keyActiveAt } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const keyid = "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2";
 * const ring = { keys: [{
 *   keyid, algorithm: "ed25519" as const, status: "retired" as const,
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n",
 *   validFrom: "2025-01-01T00:00:00Z", validUntil: "2025-02-01T00:00:00Z",
 * }] };
 * assert.equal(keyActiveAt(ring, keyid, "2025-01-15T00:00:00Z"), true);
 * assert.equal(keyActiveAt(ring, keyid, "2025-02-01T00:00:00Z"), false);
 * assert.equal(keyActiveAt(ring, "other", "2025-01-15T00:00:00Z"), false);
 * ```
 */
export function keyActiveAt(ring: KeyRing, keyid: string, time: string | number): boolean {
  assertRing(ring);
  const t = toMs(time, "time");
  const entry = ring.keys.find((k) => k.keyid === keyid);
  return entry !== undefined && validAt(entry, t);
}

/**
 * The key to sign with at a given instant: among the keys valid then, the one with the latest
 * `validFrom` (ties: the smaller key id in UTF-16 order). During a rotation overlap this is the
 * new key; for an instant before the rotation it is the old one.
 *
 * @param ring The key ring.
 * @param time The instant (RFC 3339 text or epoch milliseconds).
 * @returns The entry, or `undefined` when no key is valid then.
 * @throws {ValidationError} When the ring is malformed.
 * @throws {ParseError} `TIME_INVALID` when `time` is not RFC 3339.
 *
 * @example Usage
 * ```ts
 * import { activeKeyAt } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const oldKey = { keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n" };
 * const newKey = { keyid: "47dea58ea00fae9417ee19d76755bfef690899021132effb04fe1f9e4f0c8059",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAgTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=\n-----END PUBLIC KEY-----\n" };
 * const ring = { keys: [
 *   { ...oldKey, algorithm: "ed25519" as const, status: "retired" as const,
 *     validFrom: "2025-01-01T00:00:00Z", validUntil: "2025-02-02T00:00:00Z" },
 *   { ...newKey, algorithm: "ed25519" as const, status: "active" as const,
 *     validFrom: "2025-02-01T00:00:00Z" },
 * ] };
 * assert.equal(activeKeyAt(ring, "2025-01-31T00:00:00Z")?.keyid, oldKey.keyid);
 * assert.equal(activeKeyAt(ring, "2025-02-01T12:00:00Z")?.keyid, newKey.keyid);
 * assert.equal(activeKeyAt(ring, "2024-12-31T00:00:00Z"), undefined);
 * ```
 */
export function activeKeyAt(ring: KeyRing, time: string | number): KeyRingEntry | undefined {
  assertRing(ring);
  const t = toMs(time, "time");
  let best: KeyRingEntry | undefined;
  let bestFrom = -Infinity;
  for (const entry of ring.keys) {
    if (!validAt(entry, t)) continue;
    const from = parseRfc3339(entry.validFrom);
    if (from > bestFrom || (from === bestFrom && best !== undefined && entry.keyid < best.keyid)) {
      best = entry;
      bestFrom = from;
    }
  }
  return best;
}

/**
 * Serialises a key ring as RFC 8785 canonical JSON plus a newline (the file format).
 *
 * @param ring The key ring.
 * @returns The file text.
 * @throws {ValidationError} When the ring is malformed.
 *
 * @example Usage
 * ```ts
 * import { formatKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * assert.equal(formatKeyRing({ keys: [] }), '{"keys":[]}\n');
 * ```
 */
export function formatKeyRing(ring: KeyRing): string {
  assertRing(ring);
  return canonicalize({ keys: ring.keys.map(copyEntry) }) + "\n";
}
