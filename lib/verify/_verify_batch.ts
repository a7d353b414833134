/**
 * Shared by {@link verifyMany} and its worker (`_verify_worker.ts`), internal: turns the
 * serialisable batch options into `verifyEnvelope` options (rebuilding trusted keys from their
 * PEM text, since verifier closures cannot cross a worker boundary) and verifies one chunk of
 * envelopes with every verification in flight at once.
 *
 * @module
 */

import type { RequiredClaim } from "../model/claim_policy.ts";
import { toBatchTrustedKey } from "./_batch_crypto.ts";
import type { TimeSource, VerificationReport } from "./report.ts";
import type { ArtifactDigests } from "./subject_check.ts";
import {
  loadTrustPolicy,
  type TrustedKey,
  trustedKeyFromPem,
  type TrustedKeyOptions,
  type TrustPolicyDocument,
} from "./trust_policy.ts";
import { verifyEnvelope, type VerifyEnvelopeOptions } from "./verify_envelope.ts";

/** A trusted key as text: PEM SubjectPublicKeyInfo plus its trust-policy entry options. */
export interface BatchKey {
  /** PEM text of the public key. */
  pem: string;
  /** Key id, pinned algorithm, ECDSA encoding, validity window and label. */
  options?: TrustedKeyOptions | undefined;
}

/** The serialisable part of the batch options: everything a worker needs to verify. */
export interface BatchSettings {
  now: number;
  trust?: TrustPolicyDocument | undefined;
  keys?: readonly BatchKey[] | undefined;
  signedAt?: number | undefined;
  notAfter?: number | undefined;
  skew?: number | undefined;
  threshold?: number | undefined;
  allowedPredicateTypes?: readonly string[] | undefined;
  requiredClaims?: readonly RequiredClaim[] | undefined;
  signedAtSource?: TimeSource | undefined;
  batchCrypto?: boolean | undefined;
  nativeCrypto?: boolean | undefined;
  maxSignatures?: number | undefined;
  /** The artifact's digests (hashed once by the caller, not per envelope). */
  artifact?: ArtifactDigests | undefined;
  artifactDigest?: readonly string[] | undefined;
  image?: string | undefined;
  subjectName?: string | undefined;
  predicateType?: readonly string[] | undefined;
}

/** Builds `verifyEnvelope` options from batch settings (throws as trustedKeyFromPem does). */
export async function prepareOptions(settings: BatchSettings): Promise<VerifyEnvelopeOptions> {
  const fast = settings.batchCrypto ?? true;
  const engine = settings.nativeCrypto === false ? "webcrypto" : "auto";
  const trustDoc = settings.trust;
  const trust = trustDoc === undefined ? undefined : loadTrustPolicy(trustDoc);
  if (trust !== undefined && trustDoc !== undefined && fast) {
    const keys = await Promise.all(trust.keys.map((key, i) => {
      const { publicKey, ...options } = trustDoc.keys[i]!;
      const name = options.name === undefined ? `/keys/${i}` : `/keys/${i} (${options.name})`;
      return toBatchTrustedKey(key, publicKey, { ...options, name }, engine);
    }));
    trust.keys = keys;
  }
  const keys: TrustedKey[] = [];
  for (const { pem, options = {} } of settings.keys ?? []) {
    const key = trustedKeyFromPem(pem, options);
    keys.push(fast ? await toBatchTrustedKey(key, pem, options, engine) : key);
  }
  return {
    now: settings.now,
    trust,
    keys,
    signedAt: settings.signedAt,
    notAfter: settings.notAfter,
    skew: settings.skew,
    threshold: settings.threshold,
    allowedPredicateTypes: settings.allowedPredicateTypes,
    requiredClaims: settings.requiredClaims,
    signedAtSource: settings.signedAtSource,
    maxSignatures: settings.maxSignatures,
    artifact: settings.artifact,
    artifactDigest: settings.artifactDigest,
    image: settings.image,
    subjectName: settings.subjectName,
    predicateType: settings.predicateType,
  };
}

/** Verifies envelopes concurrently; reports in the given order. */
export function verifyChunk(
  names: readonly string[],
  bytes: readonly Uint8Array[],
  options: VerifyEnvelopeOptions,
): Promise<VerificationReport[]> {
  return Promise.all(bytes.map((b, i) => verifyEnvelope(b, { ...options, name: names[i] })));
}

/** Messages from the main thread to a worker. */
export type ToWorker =
  | { type: "init"; settings: BatchSettings }
  | { type: "chunk"; id: number; names: string[]; bytes: Uint8Array[] };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "done"; id: number; reports: VerificationReport[] }
  | { type: "error"; id?: number | undefined; name: string; message: string };
