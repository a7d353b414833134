/**
 * Batch verification: a scheduler over the one-input verifiers ({@link verifyEnvelope} per DSSE
 * envelope, secure-systems-lab/dsse protocol.md "Verification"; `verifyBundle` per Sigstore
 * bundle, told apart per item by its `mediaType` member): streams the input with bounded memory,
 * verifies across cores, and hands reports back in the input's order with a summary (counts per
 * failure code).
 *
 * How it runs:
 * - The input is pulled lazily from an `Iterable` or `AsyncIterable`; at most a bounded window of
 *   envelopes is in flight (about 256 in one thread, three 64-envelope chunks per worker, and
 *   never much more than 64 MiB of envelope bytes), so a 1,000,000-envelope JSON Lines file
 *   verifies in constant memory when reports are streamed to `onReport` (and `keepReports` is
 *   off, the default when `onReport` is set).
 * - ECDSA P-256 / P-384 verify through WebCrypto with many verifications in flight, which Deno
 *   runs on its thread pool, or through the system's OpenSSL via FFI when `libcrypto` is present
 *   and `--allow-ffi` is granted (`nativeCrypto`, 2-4x faster than WebCrypto); Ed25519 verifies
 *   with one synchronous `node:crypto` call (faster than WebCrypto, which Deno runs on the calling
 *   thread anyway). See `_batch_crypto.ts` for the measured choice; the verdicts are those of the
 *   local verifiers (the Wycheproof suites run through every path).
 * - Past 512 envelopes on machines with at least 4 cores (`workers: "auto"`, the default) the
 *   envelopes are spread over a pool of Web Workers (`concurrency`, default
 *   `navigator.hardwareConcurrency`), each of which receives the trust material (plain data),
 *   compiles it once and verifies as the calling thread would; smaller batches and 2-core machines stay in the calling
 *   thread (measured faster there). Memory (bench/rss_100k.ts, 100,000 envelopes streamed):
 *   peak RSS 175 MB in-thread with WebCrypto, 195 MB with OpenSSL through FFI; each worker is a
 *   V8 isolate whose young generation grows under this allocation rate (2 workers: 392 MB, or
 *   245 MB with `--v8-flags=--max-semi-space-size=2`).
 *   When workers cannot start (e.g. a single-file bundle), everything runs in the calling thread.
 * - `signal` stops the batch early: nothing new is started, envelopes already in flight finish,
 *   and the result (`aborted: true`) holds the reports of the envelopes verified so far, a prefix
 *   of the input.
 *
 * Every report equals the one `verifyEnvelope(bytes, trust, { ...options, name, timestamps })` (or
 * `verifyBundle`) gives for the same input (`tests/verify/verify_many_test.ts`), where
 * `timestamps` are the options' tokens followed by the item's own; every option (subject checks,
 * `merkleRoot`, `maxSignatures`, bundle thresholds and identity) applies to every input. Nothing verified is not success: a batch of zero envelopes is not `verified`
 * (`code: "NO_INPUT"`) unless `allowEmpty`.
 *
 * @module
 */

import {
  type BatchItem,
  type BatchOptions,
  compileBatchTrust,
  type FromWorker,
  type ToWorker,
  verifyChunk,
} from "./_verify_batch.ts";
import type { FailureCode } from "./codes.ts";

/**
 * Whether an input is a Sigstore bundle rather than a DSSE envelope, as {@link verifyMany} tells
 * them apart (a top-level `"mediaType"` member; an envelope has none).
 */
export { isBundle } from "./_verify_batch.ts";
import type { VerifyItem, VerifyOptions } from "./options.ts";
import type { VerificationReport, VerificationSummary } from "./report.ts";
import { assertSubjectOptions, digestArtifact } from "./subject_check.ts";
import type { TrustMaterial } from "./trust_material.ts";
import { verifyEnvelopeWith } from "./verify_envelope.ts";

/**
 * One input to verify in a batch: a {@link VerifyItem} with its name (file name,
 * `file.jsonl:line`) required. The input may be a DSSE envelope or a Sigstore bundle (told apart
 * per item) and may carry its own RFC 3161 tokens.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyMany, type VerifyManyItem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const items: VerifyManyItem[] = [
 *   { name: "a.dsse.json", bytes: new TextEncoder().encode("{}") },
 *   { name: "b.dsse.json", bytes: new TextEncoder().encode("[]") },
 * ];
 * const { reports } = await verifyMany(items, loadTrustMaterial(), { now: Date.UTC(2026, 0, 1) });
 * assert.deepEqual(reports.map((r) => [r.name, r.report.checks[0]?.message]), [
 *   ["a.dsse.json", 'Cannot parse envelope "a.dsse.json": field "payloadType" is missing'],
 *   ["b.dsse.json", 'Cannot parse envelope "b.dsse.json": expected a JSON object, got an array'],
 * ]);
 * ```
 */
export interface VerifyManyItem extends VerifyItem {
  /** Name of the input, used in messages and reports. */
  name: string;
}

/**
 * Options of {@link verifyMany}: the {@link VerifyOptions} applied to every input (an `artifact`
 * given as bytes is hashed once; `timestamps` add to each item's own), plus how to run the batch.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyMany, type VerifyManyOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const items = ["a", "b", "c"].map((name) => ({ name, bytes: new TextEncoder().encode("{}") }));
 * const progress: [number, number | undefined][] = [];
 * const options: VerifyManyOptions = {
 *   now: Date.UTC(2026, 0, 1),
 *   workers: false,
 *   onProgress: (done, total) => void progress.push([done, total]),
 * };
 * const trust = loadTrustMaterial();
 * const result = await verifyMany(items, trust, options);
 * assert.deepEqual(result.summary, { total: 3, verified: 0, failed: 3, codes: { ENVELOPE_MALFORMED: 3 } });
 * assert.deepEqual(progress.at(-1), [3, 3]);
 * const aborted = await verifyMany(items, trust, { ...options, signal: AbortSignal.abort() });
 * assert.deepEqual([aborted.aborted, aborted.summary.total], [true, 0]);
 * ```
 */
export interface VerifyManyOptions extends VerifyOptions {
  /**
   * Verify ECDSA with the system's OpenSSL (`libcrypto.so.3`) through Deno FFI when it is present
   * and the `ffi` permission is granted (default true; never prompts). Same verdicts either way.
   */
  nativeCrypto?: boolean | undefined;
  /** Number of workers, when workers run (default `navigator.hardwareConcurrency`). */
  concurrency?: number | undefined;
  /**
   * `"auto"` (default): workers when the input holds more than 512 envelopes and `concurrency`
   * is at least 4; `true`: always workers; `false`: never (the calling thread, with WebCrypto
   * verifications in flight on Deno's thread pool).
   */
  workers?: boolean | "auto" | undefined;
  /** Number of envelopes, when known (passed to `onProgress`; arrays count themselves). */
  total?: number | undefined;
  /** Stops the batch early; the result is then partial and `aborted`. */
  signal?: AbortSignal | undefined;
  /** Called as envelopes complete (in input order, once per chunk) with the count so far. */
  onProgress?: ((done: number, total: number | undefined) => void) | undefined;
  /** Called once per envelope, in input order, as soon as its report and all before it are in. */
  onReport?: ((name: string, report: VerificationReport, index: number) => void) | undefined;
  /** Keep every report in the result (default: true unless `onReport` is set). */
  keepReports?: boolean | undefined;
}

/**
 * The result of {@link verifyMany}.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyMany, type VerifyManyResult } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("{}");
 * const items = [{ name: "a", bytes }, { name: "b", bytes }];
 * const result: VerifyManyResult = await verifyMany(items, loadTrustMaterial(), {
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(result.aborted, false);
 * assert.deepEqual(result.reports.map((r) => [r.name, r.report.code]), [
 *   ["a", "ENVELOPE_MALFORMED"],
 *   ["b", "ENVELOPE_MALFORMED"],
 * ]);
 * assert.deepEqual(result.summary, { total: 2, verified: 0, failed: 2, codes: { ENVELOPE_MALFORMED: 2 } });
 * // Not verified: the first failing envelope's code (NO_INPUT for an empty batch).
 * assert.equal(result.verified, false);
 * assert.equal(result.code, "ENVELOPE_MALFORMED");
 * ```
 */
export interface VerifyManyResult {
  /** Reports in input order (empty when `keepReports` is off). */
  reports: { name: string; report: VerificationReport }[];
  /** Counts over every envelope verified (all of them unless aborted). */
  summary: VerificationSummary;
  /** True when `signal` stopped the batch before the input ended. */
  aborted: boolean;
  /**
   * True exactly when the batch ran to its end, every envelope verified, and there was at least
   * one envelope (or `allowEmpty`).
   */
  verified: boolean;
  /**
   * When not verified: `NO_INPUT` for an empty batch, else the code of the first envelope (in
   * input order) that did not verify; absent when only an abort stopped the batch.
   */
  code?: FailureCode;
}

/** Envelopes pulled before choosing workers over the calling thread (`workers: "auto"`). */
const AUTO_WORKERS_AFTER = 512;
/**
 * Fewest workers `workers: "auto"` starts. Measured (bench/compare.ts, 2 cores): one thread with
 * 256 WebCrypto verifications in flight already keeps both cores busy and beats 2 workers by
 * 1.15-1.3x (workers add message passing and report cloning), so small machines stay in-thread.
 */
const AUTO_MIN_WORKERS = 4;
const THREAD_CHUNK = 32;
const THREAD_CHUNKS_IN_FLIGHT = 8;
const WORKER_CHUNK = 64;
const WORKER_CHUNKS_IN_FLIGHT = 3;
/**
 * Envelope bytes held in flight (issue 15): besides the counts above, a chunk closes at
 * {@link CHUNK_MAX_BYTES} and no new chunk starts while the chunks in flight hold more than
 * this, so a run of large envelopes (up to the 32 MiB a file may hold) stays within about
 * 64 MiB plus one chunk, never hundreds of envelopes' worth. The look-ahead that chooses workers
 * stops at the same bound.
 */
const MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;
const CHUNK_MAX_BYTES = 8 * 1024 * 1024;

type Executor = (items: BatchItem[]) => Promise<VerificationReport[]>;

/**
 * Verifies many inputs (DSSE envelopes or Sigstore bundles) with the same trust and options,
 * across cores, keeping the input's order and bounded memory.
 *
 * @param source The inputs (envelopes or bundles), pulled lazily (`Iterable` or `AsyncIterable`).
 * @param trust The trust material every input is verified against (compiled once).
 * @param options The verification options of every input, and how to run the batch.
 * @returns Reports in input order (unless streamed only to `onReport`), a summary and whether the
 *   batch was aborted.
 * @throws {RangeError} When `now`, `skew`, `threshold`, `maxSignatures` or `concurrency` are not
 *   sensible.
 * @throws {TypeError} When `trust` is not trust material or a subject option is malformed.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyMany } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("{}");
 * const names: string[] = [];
 * const trust = loadTrustMaterial();
 * const result = await verifyMany([{ name: "a", bytes }, { name: "b", bytes }], trust, {
 *   now: Date.UTC(2026, 0, 1),
 *   onReport: (name) => void names.push(name),
 *   keepReports: true,
 * });
 * assert.deepEqual(names, ["a", "b"]);
 * assert.deepEqual(result.summary, { total: 2, verified: 0, failed: 2, codes: { ENVELOPE_MALFORMED: 2 } });
 * assert.equal(result.reports[1]?.report.code, "ENVELOPE_MALFORMED");
 * assert.equal(result.verified, false);
 * // Nothing verified is not success.
 * assert.equal((await verifyMany([], trust, { now: Date.UTC(2026, 0, 1) })).code, "NO_INPUT");
 * ```
 */
export async function verifyMany(
  source: Iterable<VerifyManyItem> | AsyncIterable<VerifyManyItem>,
  trust: TrustMaterial,
  options: VerifyManyOptions,
): Promise<VerifyManyResult> {
  const concurrency = options.concurrency ?? defaultConcurrency();
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Pass \`concurrency\` as an integer ≥ 1, not ${concurrency}`);
  }
  assertSubjectOptions(options);
  const settings = await settingsOf(options);
  const engine = { nativeCrypto: options.nativeCrypto };
  const local = await compileBatchTrust(trust, engine);
  // Misuse (bad trust, now, skew or threshold) throws here, before anything starts.
  await verifyEnvelopeWith(new Uint8Array(0), local, settings);

  const keep = options.keepReports ?? options.onReport === undefined;
  const total = options.total ?? (Array.isArray(source) ? source.length : undefined);
  const signal = options.signal;
  const iterator = Symbol.asyncIterator in source
    ? (source as AsyncIterable<VerifyManyItem>)[Symbol.asyncIterator]()
    : (source as Iterable<VerifyManyItem>)[Symbol.iterator]();

  // Look ahead (bounded) to decide between the calling thread and workers.
  const mode = options.workers ?? "auto";
  const lookahead: VerifyManyItem[] = [];
  let lookaheadBytes = 0;
  let ended = false;
  if (mode === "auto" && concurrency >= AUTO_MIN_WORKERS) {
    while (
      lookahead.length <= AUTO_WORKERS_AFTER && lookaheadBytes <= MAX_BYTES_IN_FLIGHT &&
      !signal?.aborted
    ) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      lookahead.push(next.value);
      lookaheadBytes += next.value.bytes.length;
    }
  }
  // Past the look-ahead's bounds (many envelopes, or many bytes), the batch is large: workers.
  const useWorkers = mode === true ||
    (mode === "auto" && concurrency >= AUTO_MIN_WORKERS &&
      (lookahead.length > AUTO_WORKERS_AFTER || lookaheadBytes > MAX_BYTES_IN_FLIGHT));
  const pool = useWorkers
    ? await startPool(concurrency, { type: "init", trust, options: settings, engine })
    : undefined;

  const execute: Executor = pool?.execute ?? ((items) => verifyChunk(items, local, settings));
  const chunkSize = pool === undefined ? THREAD_CHUNK : WORKER_CHUNK;
  const maxInFlight = pool === undefined
    ? THREAD_CHUNKS_IN_FLIGHT
    : WORKER_CHUNKS_IN_FLIGHT * pool.size;

  const reports: VerifyManyResult["reports"] = [];
  const codes: Partial<Record<FailureCode, number>> = {};
  let done = 0;
  let verified = 0;
  let firstCode: FailureCode | undefined;
  const queue: { names: string[]; bytes: number; reports: Promise<VerificationReport[]> }[] = [];
  let queuedBytes = 0;
  const emit = async (): Promise<void> => {
    const head = queue.shift()!;
    queuedBytes -= head.bytes;
    const chunk = await head.reports;
    for (const [i, report] of chunk.entries()) {
      const name = head.names[i]!;
      if (report.verified) verified++;
      else if (report.code !== undefined) codes[report.code] = (codes[report.code] ?? 0) + 1;
      if (!report.verified) firstCode ??= report.code;
      if (keep) reports.push({ name, report });
      options.onReport?.(name, report, done);
      done++;
    }
    options.onProgress?.(done, total);
  };

  try {
    let names: string[] = [];
    let items: BatchItem[] = [];
    let chunkBytes = 0;
    const dispatch = async (): Promise<void> => {
      queue.push({ names, bytes: chunkBytes, reports: execute(items) });
      queuedBytes += chunkBytes;
      // Keep the rejection observed; emit() rethrows it in order.
      queue.at(-1)!.reports.catch(() => {});
      names = [];
      items = [];
      chunkBytes = 0;
      while (
        queue.length >= maxInFlight || (queuedBytes > MAX_BYTES_IN_FLIGHT && queue.length > 0)
      ) {
        await emit();
      }
    };
    while (!signal?.aborted) {
      let item: VerifyManyItem;
      if (lookahead.length > 0) {
        // Taken out as it goes, so that the look-ahead holds nothing once verified.
        item = lookahead.shift()!;
      } else {
        if (ended) break;
        const next = await iterator.next();
        if (next.done === true) {
          ended = true;
          break;
        }
        item = next.value;
      }
      names.push(item.name);
      // A worker receives its own copy (a subarray would otherwise drag its whole buffer along).
      const bytes = pool === undefined ? item.bytes : item.bytes.slice();
      items.push(
        item.timestamps === undefined
          ? { name: item.name, bytes }
          : { name: item.name, bytes, timestamps: [...item.timestamps] },
      );
      chunkBytes += item.bytes.length;
      if (names.length === chunkSize || chunkBytes >= CHUNK_MAX_BYTES) await dispatch();
    }
    lookahead.length = 0;
    if (names.length > 0 && !signal?.aborted) await dispatch();
    while (queue.length > 0) await emit();
  } finally {
    pool?.stop();
    if (!ended) await iterator.return?.();
  }
  const result: VerifyManyResult = {
    reports,
    summary: { total: done, verified, failed: done - verified, codes: sortCodes(codes) },
    aborted: !ended,
    verified: ended && verified === done && (done > 0 || options.allowEmpty === true),
  };
  const code = firstCode ??
    (ended && done === 0 && options.allowEmpty !== true ? "NO_INPUT" : undefined);
  if (code !== undefined) result.code = code;
  return result;
}

function defaultConcurrency(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof n === "number" && n >= 1 ? Math.floor(n) : 1;
}

/** The options every input is verified with: serialisable (no functions), artifact hashed once. */
async function settingsOf(options: VerifyManyOptions): Promise<BatchOptions> {
  const {
    nativeCrypto: _nativeCrypto,
    concurrency: _concurrency,
    workers: _workers,
    total: _total,
    signal: _signal,
    onProgress: _onProgress,
    onReport: _onReport,
    keepReports: _keepReports,
    artifact,
    ...rest
  } = options;
  const settings: BatchOptions = { ...rest };
  if (artifact !== undefined) {
    settings.artifact = artifact instanceof Uint8Array ? await digestArtifact(artifact) : artifact;
  }
  return settings;
}

/** Failure counts with the codes in a stable (UTF-16) order. */
function sortCodes(
  codes: Partial<Record<FailureCode, number>>,
): Partial<Record<FailureCode, number>> {
  const out: Partial<Record<FailureCode, number>> = {};
  for (const code of (Object.keys(codes) as FailureCode[]).sort()) out[code] = codes[code]!;
  return out;
}

interface Pool {
  size: number;
  execute: Executor;
  stop(): void;
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

/** Starts `size` workers; resolves undefined when workers cannot run here (caller stays local). */
async function startPool(size: number, init: ToWorker): Promise<Pool | undefined> {
  if (typeof Worker !== "function") return undefined;
  const workers: PoolWorker[] = [];
  const pending = new Map<
    number,
    { entry: PoolWorker; resolve(r: VerificationReport[]): void; reject(e: Error): void }
  >();
  let nextId = 0;
  const stop = (): void => {
    for (const { worker } of workers) worker.terminate();
  };
  const failAll = (entry: PoolWorker, error: Error): void => {
    for (const [id, job] of pending) {
      if (job.entry === entry) {
        pending.delete(id);
        job.reject(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: size }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL("./_verify_worker.ts", import.meta.url), {
          type: "module",
        });
        const entry: PoolWorker = { worker, inFlight: 0 };
        workers.push(entry);
        let started = false;
        worker.onmessage = (event: MessageEvent<FromWorker>) => {
          const message = event.data;
          if (message.type === "ready") {
            started = true;
            resolve();
            return;
          }
          if (message.type === "error" && message.id === undefined) {
            reject(rebuildError(message));
            return;
          }
          const job = pending.get(message.id!);
          if (job === undefined) return;
          pending.delete(message.id!);
          entry.inFlight--;
          if (message.type === "done") job.resolve(message.reports);
          else job.reject(rebuildError(message));
        };
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          const error = new Error(`Verification worker failed: ${event.message}`);
          if (!started) reject(error);
          else failAll(entry, error);
        };
        worker.postMessage(init);
      })));
  } catch (error) {
    stop();
    // Key errors were already raised in the calling thread; anything else means workers cannot
    // run here (no module access, bundled build): verify in the calling thread instead.
    if (error instanceof Error && error.message.startsWith("Verification worker failed")) {
      return undefined;
    }
    throw error;
  }
  return {
    size,
    stop,
    execute(items) {
      let entry = workers[0]!;
      for (const w of workers) if (w.inFlight < entry.inFlight) entry = w;
      entry.inFlight++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { entry, resolve, reject });
        const message: ToWorker = { type: "chunk", id, items };
        entry.worker.postMessage(message, items.map((item) => item.bytes.buffer as ArrayBuffer));
      });
    },
  };
}

function rebuildError(message: { name: string; message: string }): Error {
  const error = message.name === "RangeError"
    ? new RangeError(message.message)
    : message.name === "TypeError"
    ? new TypeError(message.message)
    : new Error(message.message);
  return error;
}
