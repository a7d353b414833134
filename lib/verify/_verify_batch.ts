/**
 * Shared by {@link verifyMany} and its worker (`_verify_worker.ts`), internal: compiles the trust
 * material once with batch verifiers (WebCrypto in flight, or OpenSSL through FFI), and verifies
 * one chunk of inputs (envelopes or Sigstore bundles, told apart per item) with every
 * verification in flight at once.
 *
 * @module
 */

import { toBatchTrustedKey } from "./_batch_crypto.ts";
import type { VerifyOptions } from "./options.ts";
import type { VerificationReport } from "./report.ts";
import type { ArtifactDigests } from "./subject_check.ts";
import { type CompiledTrust, compileTrust, type TrustMaterial } from "./trust_material.ts";
import { verifyEnvelopeWith } from "./verify_envelope.ts";

/** The options a worker receives: {@link VerifyOptions} without functions, artifact hashed. */
export type BatchOptions = Omit<VerifyOptions, "artifact"> & {
  artifact?: ArtifactDigests | undefined;
};

/** One input of a chunk: its name, bytes and own RFC 3161 tokens. */
export interface BatchItem {
  name: string;
  bytes: Uint8Array;
  timestamps?: readonly Uint8Array[] | undefined;
}

/** How a batch verifies signatures. */
export interface BatchEngine {
  /** Batch verifiers (default true); false: the local verifiers of `compileTrust`. */
  batchCrypto?: boolean | undefined;
  /** OpenSSL through FFI when available (default true). */
  nativeCrypto?: boolean | undefined;
}

const BATCH_TRUST = new WeakMap<TrustMaterial, Map<string, Promise<CompiledTrust>>>();

/**
 * Compiles trust material with batch verifiers, once per material object and engine (throws as
 * `compileTrust` does).
 */
export function compileBatchTrust(
  material: TrustMaterial,
  engine: BatchEngine = {},
): Promise<CompiledTrust> {
  const base = compileTrust(material);
  if (engine.batchCrypto === false) return Promise.resolve(base);
  const kind = engine.nativeCrypto === false ? "webcrypto" : "auto";
  let byEngine = BATCH_TRUST.get(material);
  if (byEngine === undefined) BATCH_TRUST.set(material, byEngine = new Map());
  let compiled = byEngine.get(kind);
  if (compiled === undefined) {
    compiled = (async () => {
      const keys = await Promise.all(base.keys.map((key, i) => {
        const { publicKey, ...options } = base.keyEntries[i]!;
        const name = options.name === undefined ? `/keys/${i}` : `/keys/${i} (${options.name})`;
        return toBatchTrustedKey(key, publicKey, { ...options, name }, kind);
      }));
      return { ...base, keys };
    })();
    byEngine.set(kind, compiled);
  }
  return compiled;
}

/** Verifies inputs concurrently; reports in the given order. */
export function verifyChunk(
  items: readonly BatchItem[],
  trust: CompiledTrust,
  options: BatchOptions,
): Promise<VerificationReport[]> {
  return Promise.all(items.map((item) => verifyItem(item, trust, options)));
}

async function verifyItem(
  item: BatchItem,
  trust: CompiledTrust,
  options: BatchOptions,
): Promise<VerificationReport> {
  const own = item.timestamps;
  const timestamps = own === undefined || own.length === 0
    ? options.timestamps
    : [...(options.timestamps ?? []), ...own];
  const itemOptions: VerifyOptions = { ...options, name: item.name, timestamps };
  if (isBundle(item.bytes)) {
    // Loaded only when a bundle shows up (cold start of envelope batches).
    const { verifyBundleWith } = await import("./verify_bundle.ts");
    return await verifyBundleWith(item.bytes, trust, itemOptions);
  }
  return (await verifyEnvelopeWith(item.bytes, trust, itemOptions)).report;
}

const MEDIA_TYPE = new TextEncoder().encode('"mediaType"');

/**
 * Whether an input is a Sigstore bundle rather than a DSSE envelope: it has a `"mediaType"`
 * member (an envelope has none; one that does fails as a bundle, which fails closed).
 *
 * @param bytes The input's JSON bytes.
 * @returns True for a bundle.
 */
export function isBundle(bytes: Uint8Array): boolean {
  const last = bytes.length - MEDIA_TYPE.length;
  for (let i = bytes.indexOf(0x22); i !== -1 && i <= last; i = bytes.indexOf(0x22, i + 1)) {
    let j = 1;
    while (j < MEDIA_TYPE.length && bytes[i + j] === MEDIA_TYPE[j]) j++;
    if (j === MEDIA_TYPE.length) return true;
  }
  return false;
}

/** Messages from the main thread to a worker. */
export type ToWorker =
  | { type: "init"; trust: TrustMaterial; options: BatchOptions; engine: BatchEngine }
  | { type: "chunk"; id: number; items: BatchItem[] };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "done"; id: number; reports: VerificationReport[] }
  | { type: "error"; id?: number | undefined; name: string; message: string };
