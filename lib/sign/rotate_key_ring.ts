/**
 * Key rotation: {@link rotateKeyRing} adds a new active key to a key ring (`key_ring.ts`) and
 * retires or revokes the keys it replaces, without ever rewriting history.
 *
 * @module
 */

import { ValidationError } from "../encoding/errors.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import type { SignatureAlgorithm } from "../keys/key.ts";
import { assertRing, type KeyRing, type KeyRingEntry, toMs, validateKeyRing } from "./key_ring.ts";

/**
 * A key to add with {@link rotateKeyRing}.
 *
 * @example Usage
 * ```ts
 * import { type NewRingKey } from "@stellaops/provenance/sign";
 * import { rotateKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const key: NewRingKey = {
 *   keyid: "47dea58ea00fae9417ee19d76755bfef690899021132effb04fe1f9e4f0c8059",
 *   algorithm: "ed25519",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAgTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=\n-----END PUBLIC KEY-----\n",
 * };
 * const ring = rotateKeyRing({ keys: [] }, key, "2025-02-01T00:00:00+01:00");
 * assert.deepEqual(ring.keys, [{ ...key, validFrom: "2025-01-31T23:00:00Z", status: "active" }]);
 * assert.throws(
 *   () => rotateKeyRing({ keys: [] }, { ...key, keyid: "ab".repeat(32) }, "2025-02-01T00:00:00Z"),
 *   { name: "ValidationError" },
 * );
 * ```
 */
export interface NewRingKey {
  /** Key id of the new key. */
  keyid: string;
  /** Signature algorithm of the new key. */
  algorithm: SignatureAlgorithm;
  /** PEM SubjectPublicKeyInfo of the new key. */
  publicKey: string;
}

/**
 * Options of {@link rotateKeyRing}.
 *
 * @example Usage
 * ```ts
 * import { type RotateKeyRingOptions } from "@stellaops/provenance/sign";
 * import { rotateKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const ring = {
 *   keys: [{
 *     keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *     algorithm: "ed25519" as const,
 *     publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n",
 *     validFrom: "2025-01-01T00:00:00Z",
 *     status: "active" as const,
 *   }],
 * };
 * const newKey = {
 *   keyid: "47dea58ea00fae9417ee19d76755bfef690899021132effb04fe1f9e4f0c8059",
 *   algorithm: "ed25519" as const,
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAgTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=\n-----END PUBLIC KEY-----\n",
 * };
 * const options: RotateKeyRingOptions = { overlap: 24 * 60 * 60 * 1000 };
 * const next = rotateKeyRing(ring, newKey, "2025-02-01T00:00:00Z", options);
 * assert.deepEqual(next.keys.map((k) => [k.status, k.validUntil]), [
 *   ["retired", "2025-02-02T00:00:00Z"],
 *   ["active", undefined],
 * ]);
 * assert.throws(() => rotateKeyRing(ring, newKey, "2025-02-01T00:00:00Z", { overlap: -1 }), {
 *   name: "RangeError",
 *   message: "Pass overlap as a non-negative integer number of milliseconds",
 * });
 * ```
 */
export interface RotateKeyRingOptions {
  /**
   * How long (milliseconds) the retired key stays valid after the rotation instant, so that
   * signatures in flight still verify. Default 0: the old key stops exactly at `at`.
   */
  overlap?: number | undefined;
}

function sortEntries(keys: KeyRingEntry[]): KeyRingEntry[] {
  return keys.sort((a, b) => {
    const d = parseRfc3339(a.validFrom) - parseRfc3339(b.validFrom);
    if (d !== 0) return d;
    return a.keyid < b.keyid ? -1 : a.keyid > b.keyid ? 1 : 0;
  });
}

export function copyEntry(entry: KeyRingEntry): KeyRingEntry {
  const copy: KeyRingEntry = {
    keyid: entry.keyid,
    algorithm: entry.algorithm,
    publicKey: entry.publicKey,
    validFrom: entry.validFrom,
    status: entry.status,
  };
  if (entry.validUntil !== undefined) copy.validUntil = entry.validUntil;
  if (entry.revokedAt !== undefined) copy.revokedAt = entry.revokedAt;
  return copy;
}

/**
 * Rotates a key ring (pure: the input is not modified): the new key becomes active from `at`;
 * every currently `active` key becomes `retired` with `validUntil = at + overlap` (or its
 * existing, earlier `validUntil`). Entries come back ordered by `validFrom`, then key id.
 *
 * @param ring The current ring.
 * @param newKey The key to add.
 * @param at The rotation instant (RFC 3339 text or epoch milliseconds); written normalised to UTC.
 * @param options The overlap window.
 * @returns The new ring.
 * @throws {ValidationError} When the ring or the new key is malformed.
 * @throws {RangeError} When the key id is already in the ring, `overlap` is negative or not an
 *   integer, or `at` is before the `validFrom` of an active key.
 * @throws {ParseError} `TIME_INVALID` when `at` is not RFC 3339.
 *
 * @example Usage
 * ```ts
 * import { rotateKeyRing } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const oldKey = { keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n" };
 * const newKey = { keyid: "47dea58ea00fae9417ee19d76755bfef690899021132effb04fe1f9e4f0c8059",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAgTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=\n-----END PUBLIC KEY-----\n" };
 * const ring = { keys: [{ ...oldKey, algorithm: "ed25519" as const,
 *   validFrom: "2025-01-01T00:00:00Z", status: "active" as const }] };
 * const next = rotateKeyRing(ring, { ...newKey, algorithm: "ed25519" },
 *   "2025-02-01T00:00:00Z", { overlap: 3_600_000 });
 * assert.deepEqual(next.keys.map((k) => [k.keyid, k.status, k.validFrom, k.validUntil]), [
 *   [oldKey.keyid, "retired", "2025-01-01T00:00:00Z", "2025-02-01T01:00:00Z"],
 *   [newKey.keyid, "active", "2025-02-01T00:00:00Z", undefined],
 * ]);
 * ```
 */
export function rotateKeyRing(
  ring: KeyRing,
  newKey: NewRingKey,
  at: string | number,
  options: RotateKeyRingOptions = {},
): KeyRing {
  assertRing(ring);
  const overlap = options.overlap ?? 0;
  if (!Number.isSafeInteger(overlap) || overlap < 0) {
    throw new RangeError("Pass overlap as a non-negative integer number of milliseconds");
  }
  const atMs = toMs(at, "at");
  const validFrom = formatRfc3339(atMs);
  const added: KeyRingEntry = {
    keyid: newKey?.keyid,
    algorithm: newKey?.algorithm,
    publicKey: newKey?.publicKey,
    validFrom,
    status: "active",
  };
  const keyProblems = validateKeyRing({ keys: [added] });
  if (keyProblems.length > 0) {
    throw new ValidationError(
      "Invalid new key",
      keyProblems.map((p) => ({ ...p, path: p.path.replace(/^\/keys\/0/, "") })),
    );
  }
  if (ring.keys.some((k) => k.keyid === added.keyid)) {
    throw new RangeError(`Cannot rotate to key "${added.keyid}": it is already in the ring`);
  }
  const retireAt = atMs + overlap;
  const keys = ring.keys.map((entry) => {
    const copy = copyEntry(entry);
    if (entry.status !== "active") return copy;
    if (atMs < parseRfc3339(entry.validFrom)) {
      throw new RangeError(
        `Cannot rotate at ${validFrom}: active key "${entry.keyid}" is valid only from ${entry.validFrom}`,
      );
    }
    copy.status = "retired";
    if (entry.validUntil === undefined || parseRfc3339(entry.validUntil) > retireAt) {
      copy.validUntil = formatRfc3339(retireAt);
    }
    return copy;
  });
  keys.push(added);
  return { keys: sortEntries(keys) };
}
