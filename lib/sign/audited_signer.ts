/**
 * Audited signing: {@link AuditedSigner} wraps a {@link Signer} and appends one audit record per
 * attempt to an {@link AuditSink}: a signature is released only once its record is stored, and a
 * refusal (a {@link ValidationError} from the wrapped signer, e.g. a `PolicySigner`) is recorded
 * with its codes before it is rethrown; {@link MemoryAuditLog} is an
 * in-memory sink; {@link describeSignedData} builds the record for the bytes being signed. The
 * record format is in `audit_record.ts`; a file sink is in `audit_log_file.ts`.
 *
 * @module
 */

import { decodeUtf8, encodeHex } from "../encoding/bytes.ts";
import { ValidationError } from "../encoding/errors.ts";
import { sha256 } from "../digest/digest.ts";
import { isInTotoPayloadType, parsePae, parsePayloadJson } from "./_pae.ts";
import type { Signer } from "../crypto/signer.ts";
import type { SignatureAlgorithm } from "../keys/key.ts";
import type { AuditEntry, AuditRecord } from "./audit_record.ts";
import { planAuditAppend } from "./audit_append.ts";
import { isObject } from "../encoding/json_value.ts";

/**
 * Where {@link AuditedSigner} writes records (a file, memory, a remote service).
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { type AuditEntry, type AuditRecord, type AuditSink } from "@stellaops/provenance/sign";
 * import { AuditedSigner, MemoryAuditLog } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const inner: Signer = {
 *   keyid: "k",
 *   algorithm: "hmac-sha256",
 *   sign: () => Promise.resolve(new Uint8Array(32)),
 * };
 * const memory = new MemoryAuditLog();
 * const actors: string[] = [];
 * const sink: AuditSink = {
 *   append(entry: AuditEntry): Promise<AuditRecord> {
 *     actors.push(entry.actor);
 *     return memory.append(entry);
 *   },
 * };
 * const data = new TextEncoder().encode("hi");
 * await new AuditedSigner(inner, sink, { actor: "ci", time: "2025-01-01T00:00:00Z" }).sign(data);
 * assert.deepEqual(actors, ["ci"]);
 * const full: AuditSink = { append: () => Promise.reject(new Error("disk full")) };
 * const refused = new AuditedSigner(inner, full, { actor: "ci", time: "2025-01-01T00:00:00Z" });
 * await assert.rejects(refused.sign(data), {
 *   message: "Cannot sign: audit record could not be written: disk full",
 * });
 * ```
 */
export interface AuditSink {
  /**
   * Appends one record durably; resolves only once it is stored.
   *
   * @param entry What to record.
   * @returns The record as written.
   */
  append(entry: AuditEntry): Promise<AuditRecord>;
}

/**
 * Builds the {@link AuditEntry} for signing `data`: when `data` is a DSSE PAE, the payload type,
 * the payload's SHA-256 and (for in-toto Statements) the subject digests; otherwise
 * `payloadType: null` and the SHA-256 of `data` itself.
 *
 * @param data The bytes being signed.
 * @param details Key id, algorithm, actor and time of the operation.
 * @returns The entry.
 *
 * @example Usage
 * ```ts
 * import { describeSignedData } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const payload = '{"subject":[{"name":"a","digest":{"sha256":"' + "ab".repeat(32) + '"}}]}';
 * const pae = new TextEncoder().encode(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} ${payload}`);
 * const entry = describeSignedData(pae, { keyid: "k", algorithm: "ed25519", actor: "ci", time: "2025-01-01T00:00:00Z" });
 * assert.deepEqual(entry.subjects, ["sha256:" + "ab".repeat(32)]);
 * assert.equal(entry.payloadType, "application/vnd.in-toto+json");
 * ```
 */
export function describeSignedData(
  data: Uint8Array,
  details: { keyid: string; algorithm: string; actor: string; time: string },
): AuditEntry {
  const pae = parsePae(data);
  const subjects: string[] = [];
  if (pae !== null && isInTotoPayloadType(pae.payloadType)) {
    const statement = parsePayloadJson(pae.payload);
    const list = isObject(statement) ? statement.subject : undefined;
    if (Array.isArray(list)) {
      for (const subject of list) {
        if (!isObject(subject)) continue;
        const digest = subject.digest;
        if (!isObject(digest)) continue;
        for (const alg of Object.keys(digest).sort()) {
          const value = digest[alg];
          if (typeof value === "string") subjects.push(`${alg}:${value}`);
        }
      }
    }
  }
  return {
    time: details.time,
    keyid: details.keyid,
    algorithm: details.algorithm,
    payloadType: pae === null ? null : pae.payloadType,
    payloadSha256: encodeHex(sha256(pae === null ? data : pae.payload)),
    subjects,
    actor: details.actor,
  };
}

/**
 * An audit log kept in memory (tests, previews, or buffering before an upload). Appends follow
 * the same rules as the file log, including torn-tail repair of the initial bytes.
 *
 * @example Usage
 * ```ts
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const log = new MemoryAuditLog();
 * const record = await log.append({
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * });
 * assert.equal(record.seq, 1);
 * assert.equal(verifyAuditLog(log.bytes()).records, 1);
 * ```
 */
export class MemoryAuditLog implements AuditSink {
  #bytes: Uint8Array<ArrayBuffer>;

  /**
   * Creates a log, optionally starting from existing bytes.
   *
   * @param initial Existing log bytes (copied).
   */
  constructor(initial: Uint8Array = new Uint8Array()) {
    this.#bytes = initial.slice();
  }

  /**
   * Appends a record (repairing a torn tail first).
   *
   * @param entry What to record.
   * @returns The record as written.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    try {
      const plan = planAuditAppend(this.#bytes, entry);
      const next = new Uint8Array(plan.keepBytes + plan.line.length);
      next.set(this.#bytes.subarray(0, plan.keepBytes));
      next.set(plan.line, plan.keepBytes);
      this.#bytes = next;
      return Promise.resolve(plan.record);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The log's current bytes.
   *
   * @returns A copy of the bytes.
   */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.#bytes.slice();
  }

  /**
   * The log as text.
   *
   * @returns The bytes decoded as UTF-8.
   */
  text(): string {
    return decodeUtf8(this.#bytes);
  }
}

/**
 * Options of {@link AuditedSigner}.
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { type AuditedSignerOptions } from "@stellaops/provenance/sign";
 * import { AuditedSigner, MemoryAuditLog } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const inner: Signer = {
 *   keyid: "k",
 *   algorithm: "hmac-sha256",
 *   sign: () => Promise.resolve(new Uint8Array(32)),
 * };
 * const times = ["2025-01-01T00:00:00Z", "2025-01-01T00:05:00Z"];
 * const options: AuditedSignerOptions = { actor: "ci@example.com", time: () => times.shift() ?? "" };
 * const log = new MemoryAuditLog();
 * const signer = new AuditedSigner(inner, log, options);
 * await signer.sign(new TextEncoder().encode("a"));
 * await signer.sign(new TextEncoder().encode("b"));
 * const records = log.text().trimEnd().split("\n").map((line) => JSON.parse(line));
 * assert.deepEqual(records.map((r) => [r.seq, r.actor, r.time]), [
 *   [1, "ci@example.com", "2025-01-01T00:00:00Z"],
 *   [2, "ci@example.com", "2025-01-01T00:05:00Z"],
 * ]);
 * ```
 */
export interface AuditedSignerOptions {
  /** Who signs (recorded verbatim). */
  actor: string;
  /**
   * The signing time: a fixed RFC 3339 string, or a function the wrapper calls once per signature
   * (the CLI passes the clock; library code never reads it).
   */
  time: string | (() => string);
}

/**
 * A {@link Signer} wrapper that writes one audit record per attempt, refusals included.
 *
 * The order, the same for every command that signs: the wrapped signer runs first (a
 * `PolicySigner` checks its claims there); then one record is appended to the sink, of the
 * signature or, when the wrapped signer refused with a {@link ValidationError}, of the refusal
 * (`refused`: its problem codes); only when the sink confirms the write is the signature
 * returned or the refusal rethrown. If the record cannot be written the call rejects with the
 * audit failure and any signature is discarded. Other errors of the wrapped signer (a KMS
 * outage, a bad key) are not attempts that reached a decision and are passed on unrecorded.
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { AuditedSigner, MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const inner: Signer = { keyid: "k", algorithm: "hmac-sha256", sign: () => Promise.resolve(new Uint8Array(32)) };
 * const log = new MemoryAuditLog();
 * const signer = new AuditedSigner(inner, log, { actor: "ci", time: "2025-01-01T00:00:00Z" });
 * await signer.sign(new TextEncoder().encode("DSSEv1 10 text/plain 2 hi"));
 * assert.equal(verifyAuditLog(log.bytes()).records, 1);
 * assert.match(log.text(), /"payloadType":"text\/plain"/);
 * ```
 */
export class AuditedSigner implements Signer {
  readonly #inner: Signer;
  readonly #sink: AuditSink;
  readonly #actor: string;
  readonly #time: () => string;

  /**
   * Wraps a signer with an audit sink.
   *
   * @param signer The signer that makes the signatures.
   * @param sink Where records go (e.g. `FileAuditLog`).
   * @param options Actor and time of the operations.
   * @throws {TypeError} When `actor` or `time` is missing.
   */
  constructor(signer: Signer, sink: AuditSink, options: AuditedSignerOptions) {
    if (typeof options?.actor !== "string") throw new TypeError("Pass options.actor as a string");
    const time = options.time;
    if (typeof time !== "string" && typeof time !== "function") {
      throw new TypeError("Pass options.time as an RFC 3339 string or a function returning one");
    }
    this.#inner = signer;
    this.#sink = sink;
    this.#actor = options.actor;
    this.#time = typeof time === "string" ? () => time : time;
  }

  /** Key id of the wrapped signer. */
  get keyid(): string {
    return this.#inner.keyid;
  }

  /** Algorithm of the wrapped signer. */
  get algorithm(): SignatureAlgorithm {
    return this.#inner.algorithm;
  }

  /**
   * Signs `data`, records the operation, and returns the signature once the record is stored.
   *
   * @param data Bytes to sign (DSSE PAE for a full record).
   * @returns The signature.
   * @throws {ValidationError} The wrapped signer's refusal, once it is recorded.
   * @throws {Error} When the audit record cannot be written (the signature is not returned).
   */
  async sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    let signature: Uint8Array<ArrayBuffer> | undefined;
    let refusal: ValidationError | undefined;
    try {
      signature = await this.#inner.sign(data);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      refusal = error;
    }
    const entry = describeSignedData(data, {
      keyid: this.#inner.keyid,
      algorithm: this.#inner.algorithm,
      actor: this.#actor,
      time: this.#time(),
    });
    if (refusal !== undefined) entry.refused = refusal.problems.map((p) => p.code);
    try {
      await this.#sink.append(entry);
    } catch (error) {
      throw new Error(
        `Cannot sign: audit record could not be written: ${(error as Error)?.message ?? error}`,
        { cause: error },
      );
    }
    if (refusal !== undefined) throw refusal;
    return signature!;
  }
}
