/**
 * A starting `trust.json` (docs/trust-policy.md) from public keys: `stella trust init`. The
 * result is a {@link TrustPolicyDocument} that `validateTrustPolicy` accepts and
 * `loadTrustMaterial` loads; the caller serializes it (the CLI writes RFC 8785 canonical JSON).
 *
 * Rules (fail closed): at least one key; no public key listed twice; a threshold from 1 to the
 * number of keys (a higher one could never be met); predicate types non-empty and unique.
 *
 * @module
 */

import { exportPublicKeyPem } from "../keys/key_pem.ts";
import type { PublicKey } from "../keys/key.ts";
import type { TrustPolicyDocument, TrustPolicyKeyEntry } from "./trust_policy.ts";

/** One key of {@link createTrustPolicy}: the public key and an optional label. */
export interface TrustPolicyKeyInput {
  /** The public key to trust. */
  publicKey: PublicKey;
  /** Label written as the entry's `name`, e.g. the key file's name. */
  name?: string | undefined;
}

/** Options of {@link createTrustPolicy} (the flags of `stella trust init`). */
export interface CreateTrustPolicyOptions {
  /** `--threshold`: distinct keys that must sign (1 to the number of keys; default unset = 1). */
  threshold?: number | undefined;
  /** `--predicate-type`: allowed in-toto predicate types (default: any payload). */
  predicateType?: readonly string[] | undefined;
}

/**
 * Builds a starting trust policy: `version` 1, one entry per key (`name`, `keyid`, `publicKey` as
 * PEM SubjectPublicKeyInfo), and `threshold` / `allowedPredicateTypes` when given.
 *
 * @param keys The public keys to trust, in the order to list them.
 * @param options Threshold and allowed predicate types.
 * @returns The document.
 * @throws {RangeError} With no key, a key listed twice, a threshold outside 1..keys, or an empty
 *   or repeated predicate type.
 * @throws {TypeError} When a key is not a public key made by this toolkit.
 *
 * @example Usage
 * ```ts
 * import {
 *   createTrustPolicy,
 *   importKeyPem,
 *   loadTrustMaterial,
 *   type PublicKey,
 *   validateTrustPolicy,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const publicKey = importKeyPem(
 *   "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n",
 * ) as PublicKey;
 * const doc = createTrustPolicy([{ publicKey, name: "release.pub.pem" }], {
 *   predicateType: ["stella.ops/promotion@v1"],
 * });
 * assert.deepEqual(validateTrustPolicy(doc), []);
 * assert.equal(loadTrustMaterial({ trustPolicy: doc }).keys[0]?.keyid, publicKey.keyid);
 * assert.throws(() => createTrustPolicy([{ publicKey }], { threshold: 2 }), RangeError);
 * ```
 */
export function createTrustPolicy(
  keys: readonly TrustPolicyKeyInput[],
  options: CreateTrustPolicyOptions = {},
): TrustPolicyDocument {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new RangeError("Cannot make a trust policy without keys: give at least one public key");
  }
  const seen = new Map<string, string>();
  const entries: TrustPolicyKeyEntry[] = keys.map((input, i) => {
    const key = input?.publicKey;
    if (key?.kind !== "public") {
      throw new TypeError(`Pass key ${i} as a public key`);
    }
    const label = input.name ?? `key ${i}`;
    const earlier = seen.get(key.keyid);
    if (earlier !== undefined) {
      throw new RangeError(`Cannot list the same public key twice: ${earlier} and ${label}`);
    }
    seen.set(key.keyid, label);
    const entry: TrustPolicyKeyEntry = {
      publicKey: exportPublicKeyPem(key),
      keyid: key.keyid,
    };
    if (input.name !== undefined) entry.name = input.name;
    return entry;
  });
  const doc: TrustPolicyDocument = { version: 1, keys: entries };
  const { threshold, predicateType } = options;
  if (threshold !== undefined) {
    if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > entries.length) {
      throw new RangeError(
        `Cannot require ${threshold} signatures from ${entries.length} key${
          entries.length === 1 ? "" : "s"
        }: use a threshold from 1 to ${entries.length}`,
      );
    }
    doc.threshold = threshold;
  }
  if (predicateType !== undefined) {
    const types: string[] = [];
    for (const type of predicateType) {
      if (typeof type !== "string" || type === "") {
        throw new RangeError("Cannot allow an empty predicate type");
      }
      if (types.includes(type)) {
        throw new RangeError(`Cannot list predicate type "${type}" twice`);
      }
      types.push(type);
    }
    if (types.length > 0) doc.allowedPredicateTypes = types;
  }
  return doc;
}
