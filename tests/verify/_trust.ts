/**
 * Test helpers: trust material from keys given as PEM plus entry options, and the split of a
 * test's option bag (`keys`, `trust`, `tsaRoots`, `trustedRoot`, the rest) into the verifiers'
 * `(trust, options)` pair.
 */

import type {
  TrustedKeyOptions,
  TrustPolicyDocument,
  TrustPolicyKeyEntry,
} from "../../lib/verify/trust_policy.ts";
import type { RequiredClaim } from "../../lib/model/claim_policy.ts";
import { loadTrustMaterial, type TrustMaterial } from "../../lib/verify/trust_material.ts";
import { formatRfc3339 } from "../../lib/encoding/time.ts";
import type { VerifyItem, VerifyOptions } from "../../lib/verify/options.ts";
import type { ArtifactDigests } from "../../lib/verify/subject_check.ts";

/** A trusted key as the loader takes it (what a `--key` or a `trust.json` entry says). */
export interface KeySource {
  pem: string;
  /** Entry options; `algorithm` and `signatureEncoding` as (possibly widened) strings. */
  options?:
    | Omit<TrustedKeyOptions, "algorithm" | "signatureEncoding"> & {
      algorithm?: string | undefined;
      signatureEncoding?: string | undefined;
    }
    | undefined;
}

/** The trust part of a test's options. */
export interface TrustParts {
  /** Extra keys (`--key`). */
  keys?: readonly KeySource[] | undefined;
  /** A trust policy: its keys, threshold and content rules. */
  trust?: {
    keys: readonly KeySource[];
    threshold?: number | undefined;
    allowedPredicateTypes?: readonly string[] | undefined;
    requiredClaims?: readonly RequiredClaim[] | undefined;
    tsaRoots?: readonly Uint8Array[] | undefined;
  } | undefined;
  /** A `trust.json` document or its bytes (instead of `trust`). */
  trustPolicy?: TrustPolicyDocument | Uint8Array | string | undefined;
  /** TSA roots (DER). */
  tsaRoots?: readonly Uint8Array[] | undefined;
  /** `trusted_root.json`. */
  trustedRoot?: Uint8Array | string | undefined;
  /** Bundles: the one trusted public key (PEM). */
  key?: string | undefined;
  /** Bundles: that key's validity window (epoch ms). */
  keyValidity?: { validFrom?: number | undefined; validUntil?: number | undefined } | undefined;
}

/** Trust material from the trust parts of a test's options. */
export function trustOf(parts: TrustParts): TrustMaterial {
  const policy = parts.trust;
  const tsaRoots = [...(policy?.tsaRoots ?? []), ...(parts.tsaRoots ?? [])];
  return loadTrustMaterial({
    trustPolicy: policy === undefined ? parts.trustPolicy : {
      keys: policy.keys.map(({ pem, options }) =>
        ({ ...options, publicKey: pem }) as TrustPolicyKeyEntry
      ),
      ...(policy.threshold === undefined ? {} : { threshold: policy.threshold }),
      ...(policy.allowedPredicateTypes === undefined
        ? {}
        : { allowedPredicateTypes: [...policy.allowedPredicateTypes] }),
      ...(policy.requiredClaims === undefined
        ? {}
        : { requiredClaims: [...policy.requiredClaims] }),
    },
    keys: (parts.key === undefined
      ? parts.keys
      : [...(parts.keys ?? []), { pem: parts.key, options: windowOf(parts.keyValidity) }]) as
        | { pem: string; options?: TrustedKeyOptions }[]
        | undefined,
    trustedRoot: parts.trustedRoot,
    tsaRoots: policy?.tsaRoots === undefined && parts.tsaRoots === undefined ? undefined : tsaRoots,
  });
}

function windowOf(
  validity: TrustParts["keyValidity"],
): TrustedKeyOptions {
  const out: TrustedKeyOptions = {};
  if (validity?.validFrom !== undefined) out.validFrom = formatRfc3339(validity.validFrom);
  if (validity?.validUntil !== undefined) out.validUntil = formatRfc3339(validity.validUntil);
  return out;
}

type Split<T> =
  & Omit<
    T,
    | "keys"
    | "trust"
    | "trustPolicy"
    | "tsaRoots"
    | "trustedRoot"
    | "key"
    | "keyValidity"
    | "artifact"
  >
  & { artifact?: Exclude<T extends { artifact?: infer A } ? A : never, { digest: string }> };

/**
 * Splits a test's option bag into trust material and the verifier options (an artifact given as
 * `{ digest: "alg:hex" }`, as bundles took it, becomes `artifactDigest`).
 */
export function splitTrust<T extends object>(
  options: T & TrustParts,
): [TrustMaterial, Split<T>] {
  const { keys, trust, trustPolicy, tsaRoots, trustedRoot, key, keyValidity, ...rest } = options;
  const out = rest as Record<string, unknown>;
  const artifact = out.artifact as { digest?: unknown } | undefined;
  if (
    typeof artifact === "object" && artifact !== null && !(artifact instanceof Uint8Array) &&
    typeof artifact.digest === "string"
  ) {
    delete out.artifact;
    out.artifactDigest = [artifact.digest];
  }
  return [
    trustOf({ keys, trust, trustPolicy, tsaRoots, trustedRoot, key, keyValidity }),
    out as Split<T>,
  ];
}

/** A test's option bag: the verifier options plus the trust parts (bundles: `{ digest }`). */
export type TestOptions =
  & Omit<VerifyOptions, "artifact" | "timestamps">
  & TrustParts
  & {
    artifact?: Uint8Array | ArtifactDigests | { digest: string } | undefined;
    timestamps?: readonly Uint8Array[] | undefined;
  };

/** A timeline test's option bag: tokens and names per entry. */
export type TimelineTestOptions = Omit<TestOptions, "timestamps"> & {
  timestamps?: readonly (readonly Uint8Array[] | undefined)[] | undefined;
  names?: readonly string[] | undefined;
};

/** `verifyTimeline`'s arguments from entries and a timeline test's option bag. */
export function timelineArgs(
  entries: readonly Uint8Array[],
  options: TimelineTestOptions,
): [VerifyItem[], TrustMaterial, VerifyOptions] {
  const { timestamps, names, ...rest } = options;
  const items = entries.map((bytes, i): VerifyItem => ({
    bytes,
    name: names?.[i],
    timestamps: timestamps?.[i],
  }));
  const [trust, verifyOptions] = splitTrust(rest);
  return [items, trust, verifyOptions as VerifyOptions];
}
