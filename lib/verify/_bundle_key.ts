/**
 * A trusted key as a key-signed Sigstore bundle is judged by it (internal): the key read through
 * the Sigstore algorithm registry, and its validity window, once per trust entry (a batch judges
 * every bundle by the same key; reading it costs about 40 µs).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { decodePem } from "../encoding/pem.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { readSigningKey, type SigningKey } from "./_sigstore_algorithm.ts";
import type { TrustPolicyKeyEntry } from "./trust_policy.ts";

/** A trusted key as a key-signed bundle is judged by it: the key read, and its window. */
export interface BundleKey {
  /** The key as the Sigstore algorithm registry reads it, or why it does not read. */
  key: SigningKey | ParseError;
  /** Its window (epoch milliseconds): every verified signing time must lie in it. */
  validity: { validFrom?: number | undefined; validUntil?: number | undefined };
}

/** Each trust entry's {@link BundleKey}, read once (a batch judges every bundle by one key). */
const BUNDLE_KEYS = new WeakMap<TrustPolicyKeyEntry, BundleKey>();

/**
 * The trust entry's key and window for a key-signed bundle, read on first use and then cached.
 *
 * @param entry A key entry of the trust material.
 * @returns The key (or its reading error) and window.
 * @throws {ParseError} When a window time is not RFC 3339 (the loader has checked them).
 */
export function bundleKeyOf(entry: TrustPolicyKeyEntry): BundleKey {
  let cached = BUNDLE_KEYS.get(entry);
  if (cached === undefined) {
    const from = entry.validFrom === undefined ? undefined : parseRfc3339(entry.validFrom);
    const until = [entry.validUntil, entry.revokedAt].filter((t) => t !== undefined)
      .map((t) => parseRfc3339(t!));
    let key: SigningKey | ParseError;
    try {
      const read = readSigningKey(decodePem(entry.publicKey, { label: "PUBLIC KEY" }).bytes);
      key = typeof read === "string"
        ? new ParseError("KEY_UNSUPPORTED", `Cannot use the public key: ${read}`)
        : read;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      key = error;
    }
    cached = {
      key,
      validity: {
        validFrom: from,
        validUntil: until.length === 0 ? undefined : Math.min(...until),
      },
    };
    BUNDLE_KEYS.set(entry, cached);
  }
  return cached;
}
