/**
 * Hash-chained, append-only signing audit log (JSON Lines): record format, append planning with
 * torn-tail repair, verification, an in-memory log and the {@link AuditedSigner} wrapper.
 * File I/O lives in `audit_log_file.ts`.
 *
 * Format: one record per line, each line the RFC 8785 canonical JSON of the record followed by
 * `"\n"` (UTF-8). A record is
 * `{ seq, time, keyid, algorithm, payloadType, payloadSha256, subjects, actor, prev }` plus
 * `repairedTornTail: true` when the append that wrote it first removed an incomplete last line.
 * `seq` counts from 1 and equals the record's 1-based line index; `prev` is the lowercase hex
 * SHA-256 of the previous record's exact line bytes (without its newline), `null` for the first.
 * `time` is normalised to UTC (`formatRfc3339`); `subjects` are `alg:hex` digest strings, subject
 * order kept, algorithms sorted within a subject.
 *
 * Verification ({@link verifyAuditLog}) reports the first problem with a stable code and the
 * 1-based index of the record it blames:
 *
 * | code | meaning | index |
 * | --- | --- | --- |
 * | `AUDIT_RECORD_MALFORMED` | a complete line is not a canonical, well-typed record | that line |
 * | `AUDIT_CHAIN_BROKEN` | a `prev` digest does not match: edit, deletion or reordering | see below |
 * | `AUDIT_SEQUENCE_GAP` | the chain holds but `seq` is not previous + 1 | that record |
 * | `AUDIT_TRUNCATED` | the trusted head digest is not among the records | record count + 1 |
 * | `AUDIT_TORN_TAIL` | the last line has no newline (a crashed append); the complete records verify | the torn line |
 *
 * For `AUDIT_CHAIN_BROKEN` the blamed record is worked out from the first broken link between
 * records i-1 and i: if `seq` continues (i = i-1 + 1) and the link after record i holds, record
 * i-1 was edited (index i-1); if the link after record i is broken too, record i itself was
 * edited (index i); if `seq` jumps, records were deleted or reordered before record i (index i).
 * An edit of the very last record is only detectable against a trusted head. A torn tail alone
 * leaves `ok: true` (the complete prefix verifies) but is still reported.
 *
 * @module
 */

import { decodeUtf8, encodeHex, equalBytes } from "../encoding/bytes.ts";
import { canonicalBytes } from "../encoding/canonical_json.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import { isInTotoPayloadType, parsePae, parsePayloadJson } from "./_pae.ts";
import type { SignatureAlgorithm, Signer } from "./signer.ts";
import type { AuditLogCode } from "../encoding/error_codes.ts";

export { AUDIT_LOG_CODES } from "../encoding/error_codes.ts";
export type { AuditLogCode } from "../encoding/error_codes.ts";

/**
 * What one sign operation records (the caller-supplied part of an {@link AuditRecord}).
 *
 * @example Usage
 * ```ts
 * import { type AuditEntry, MemoryAuditLog } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry: AuditEntry = {
 *   time: "2025-01-01T01:00:00+01:00",
 *   keyid: "k1",
 *   algorithm: "ed25519",
 *   payloadType: "application/vnd.in-toto+json",
 *   payloadSha256: "0".repeat(64),
 *   subjects: ["sha256:" + "1".repeat(64)],
 *   actor: "ci@example.com",
 * };
 * const log = new MemoryAuditLog();
 * const record = await log.append(entry);
 * assert.deepEqual(record, { seq: 1, ...entry, time: "2025-01-01T00:00:00Z", prev: null });
 * assert.equal(
 *   log.text(),
 *   '{"actor":"ci@example.com","algorithm":"ed25519","keyid":"k1",' +
 *     `"payloadSha256":"${"0".repeat(64)}","payloadType":"application/vnd.in-toto+json",` +
 *     `"prev":null,"seq":1,"subjects":["sha256:${"1".repeat(64)}"],"time":"2025-01-01T00:00:00Z"}\n`,
 * );
 * ```
 */
export interface AuditEntry {
  /** When the signature was made (RFC 3339; stored normalised to UTC). */
  time: string;
  /** Key id of the signing key. */
  keyid: string;
  /** Signature algorithm. */
  algorithm: string;
  /** DSSE payload type, or `null` when the signed bytes were not a DSSE PAE. */
  payloadType: string | null;
  /** Lowercase hex SHA-256 of the payload (of the signed bytes when not a PAE). */
  payloadSha256: string;
  /** Subject digests as `alg:hex` strings (empty when the payload is not a Statement). */
  subjects: string[];
  /** Who asked for the signature (caller-supplied). */
  actor: string;
}

/**
 * One audit log record: an {@link AuditEntry} plus its position in the hash chain.
 *
 * @example Usage
 * ```ts
 * import {
 *   type AuditRecord,
 *   encodeHex,
 *   encodeUtf8,
 *   MemoryAuditLog,
 *   sha256,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * const log = new MemoryAuditLog();
 * const first: AuditRecord = await log.append(entry);
 * const second: AuditRecord = await log.append(entry);
 * assert.deepEqual([first.seq, first.prev], [1, null]);
 * const firstLine = log.text().split("\n")[0] ?? "";
 * assert.equal(second.seq, 2);
 * assert.equal(second.prev, encodeHex(sha256(encodeUtf8(firstLine))));
 * ```
 */
export interface AuditRecord extends AuditEntry {
  /** 1-based sequence number (equals the line index). */
  seq: number;
  /** Hex SHA-256 of the previous record's line bytes (without newline); `null` for seq 1. */
  prev: string | null;
  /** Present (`true`) when this append first removed an incomplete last line. */
  repairedTornTail?: true | undefined;
}

/**
 * How to apply one append to a log: keep the first `keepBytes` bytes, then write `line`.
 *
 * @example Usage
 * ```ts
 * import {
 *   type AuditAppendPlan,
 *   canonicalize,
 *   decodeUtf8,
 *   encodeUtf8,
 *   MemoryAuditLog,
 *   planAuditAppend,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * const log = new MemoryAuditLog();
 * await log.append(entry);
 * const complete = log.text();
 * const plan: AuditAppendPlan = planAuditAppend(encodeUtf8(complete + '{"seq":2,"ti'), entry);
 * assert.equal(plan.keepBytes, encodeUtf8(complete).length);
 * assert.equal(plan.repairedTornTail, true);
 * assert.equal(plan.record.seq, 2);
 * assert.equal(plan.record.repairedTornTail, true);
 * assert.equal(decodeUtf8(plan.line), canonicalize(plan.record) + "\n");
 * ```
 */
export interface AuditAppendPlan {
  /** Bytes of the existing log to keep (less than its length when a torn tail is removed). */
  keepBytes: number;
  /** Whether an incomplete last line is removed. */
  repairedTornTail: boolean;
  /** The new record. */
  record: AuditRecord;
  /** The record's canonical JSON line including the trailing `"\n"`. */
  line: Uint8Array<ArrayBuffer>;
}

/**
 * Options of {@link planAuditAppend}.
 *
 * @example Usage
 * ```ts
 * import {
 *   MemoryAuditLog,
 *   planAuditAppend,
 *   type PlanAuditAppendOptions,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * const log = new MemoryAuditLog();
 * await log.append(entry);
 * await log.append(entry);
 * const bytes = log.bytes();
 * const options: PlanAuditAppendOptions = { tailOffset: bytes.indexOf(0x0a) + 1 };
 * const fromTail = planAuditAppend(bytes.subarray(options.tailOffset), entry, options);
 * assert.deepEqual(fromTail, planAuditAppend(bytes, entry));
 * assert.equal(fromTail.keepBytes, bytes.length);
 * assert.equal(fromTail.record.seq, 3);
 * ```
 */
export interface PlanAuditAppendOptions {
  /**
   * File offset of the first byte of `tail` when only the end of the log is passed (default 0:
   * the whole log). A non-zero offset must be a line start and the tail must hold at least one
   * complete line.
   */
  tailOffset?: number | undefined;
}

/**
 * Options of {@link verifyAuditLog}.
 *
 * @example Usage
 * ```ts
 * import {
 *   encodeUtf8,
 *   MemoryAuditLog,
 *   verifyAuditLog,
 *   type VerifyAuditLogOptions,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * const log = new MemoryAuditLog();
 * await log.append(entry);
 * await log.append(entry);
 * const head = verifyAuditLog(log.bytes()).head;
 * assert.ok(head !== null);
 * const options: VerifyAuditLogOptions = { trustedHead: head };
 * assert.equal(verifyAuditLog(log.bytes(), options).ok, true);
 * const truncated = encodeUtf8(log.text().split("\n")[0] + "\n");
 * assert.equal(verifyAuditLog(truncated).ok, true);
 * const report = verifyAuditLog(truncated, options);
 * assert.deepEqual([report.ok, report.code, report.index], [false, "AUDIT_TRUNCATED", 2]);
 * ```
 */
export interface VerifyAuditLogOptions {
  /**
   * Hex SHA-256 of a record line known from elsewhere (e.g. the `head` of an earlier
   * verification). It must match one of the complete records, else `AUDIT_TRUNCATED`; records
   * appended after it are fine.
   */
  trustedHead?: string | undefined;
}

/**
 * Result of {@link verifyAuditLog}.
 *
 * @example Usage
 * ```ts
 * import {
 *   type AuditLogReport,
 *   encodeUtf8,
 *   MemoryAuditLog,
 *   verifyAuditLog,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const empty: AuditLogReport = verifyAuditLog(new Uint8Array());
 * assert.deepEqual(empty, {
 *   ok: true, code: null, index: null, message: "Audit log intact: 0 records", records: 0,
 *   head: null, tornTail: false,
 * });
 * const log = new MemoryAuditLog();
 * await log.append({
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * });
 * const torn = verifyAuditLog(encodeUtf8(log.text() + '{"seq"'));
 * assert.deepEqual(
 *   [torn.ok, torn.code, torn.index, torn.records, torn.tornTail],
 *   [true, "AUDIT_TORN_TAIL", 2, 1, true],
 * );
 * ```
 */
export interface AuditLogReport {
  /** Every complete record verifies (a torn tail alone keeps this `true`). */
  ok: boolean;
  /** The first finding, or `null` when there is none. */
  code: AuditLogCode | null;
  /** 1-based index of the record the finding blames, or `null`. */
  index: number | null;
  /** Human-readable summary naming the record. */
  message: string;
  /** Complete records verified before the first problem (all of them when `ok`). */
  records: number;
  /** Hex SHA-256 of the last verified record line (pass it as `trustedHead` later), or `null`. */
  head: string | null;
  /** Whether the log ends in an incomplete line. */
  tornTail: boolean;
}

/**
 * Where {@link AuditedSigner} writes records (a file, memory, a remote service).
 *
 * @example Usage
 * ```ts
 * import {
 *   type AuditEntry,
 *   AuditedSigner,
 *   type AuditRecord,
 *   type AuditSink,
 *   MemoryAuditLog,
 *   type Signer,
 * } from "@stellaops/provenance";
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

const HEX64_RE = /^[0-9a-f]{64}$/;
const RECORD_FIELDS = new Set([
  "seq",
  "time",
  "keyid",
  "algorithm",
  "payloadType",
  "payloadSha256",
  "subjects",
  "actor",
  "prev",
  "repairedTornTail",
]);
const NEWLINE = 0x0a;

function lineDigest(line: Uint8Array): string {
  return encodeHex(sha256(line));
}

function checkEntry(entry: AuditEntry): AuditEntry {
  if (typeof entry !== "object" || entry === null) {
    throw new TypeError("Pass the audit entry as an object");
  }
  for (const field of ["keyid", "algorithm", "actor"] as const) {
    if (typeof entry[field] !== "string") {
      throw new TypeError(`Pass audit entry ${field} as a string`);
    }
  }
  if (entry.payloadType !== null && typeof entry.payloadType !== "string") {
    throw new TypeError("Pass audit entry payloadType as a string or null");
  }
  if (typeof entry.payloadSha256 !== "string" || !HEX64_RE.test(entry.payloadSha256)) {
    throw new TypeError("Pass audit entry payloadSha256 as 64 lowercase hex digits");
  }
  if (!Array.isArray(entry.subjects) || !entry.subjects.every((s) => typeof s === "string")) {
    throw new TypeError("Pass audit entry subjects as an array of strings");
  }
  let time: string;
  try {
    time = formatRfc3339(parseRfc3339(entry.time, "time"));
  } catch (error) {
    throw new TypeError(`Pass audit entry time as RFC 3339: ${(error as Error).message}`);
  }
  return {
    time,
    keyid: entry.keyid,
    algorithm: entry.algorithm,
    payloadType: entry.payloadType,
    payloadSha256: entry.payloadSha256,
    subjects: [...entry.subjects],
    actor: entry.actor,
  };
}

function encodeRecord(record: AuditRecord): Uint8Array<ArrayBuffer> {
  const value: Record<string, JsonValue> = {
    seq: record.seq,
    time: record.time,
    keyid: record.keyid,
    algorithm: record.algorithm,
    payloadType: record.payloadType,
    payloadSha256: record.payloadSha256,
    subjects: record.subjects,
    actor: record.actor,
    prev: record.prev,
  };
  if (record.repairedTornTail === true) value.repairedTornTail = true;
  return canonicalBytes(value);
}

/** Parses one complete line into a record, or returns why it is malformed. */
function decodeRecord(line: Uint8Array): AuditRecord | string {
  if (line.length === 0) return "empty line";
  let value: JsonValue;
  try {
    value = parseJson(line, { name: "audit record" });
  } catch (error) {
    if (error instanceof ParseError) return `not JSON (${error.code})`;
    throw error;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "not a JSON object";
  }
  for (const key of Object.keys(value)) {
    if (!RECORD_FIELDS.has(key)) return `unknown field "${key}"`;
  }
  const v = value as Record<string, JsonValue>;
  if (typeof v.seq !== "number" || !Number.isSafeInteger(v.seq) || v.seq < 1) {
    return `field "seq" is not a positive integer`;
  }
  for (const field of ["time", "keyid", "algorithm", "actor"]) {
    if (typeof v[field] !== "string") return `field "${field}" is not a string`;
  }
  try {
    parseRfc3339(v.time as string, "time");
  } catch {
    return `field "time" is not an RFC 3339 time`;
  }
  if (v.payloadType !== null && typeof v.payloadType !== "string") {
    return `field "payloadType" is not a string or null`;
  }
  if (typeof v.payloadSha256 !== "string" || !HEX64_RE.test(v.payloadSha256)) {
    return `field "payloadSha256" is not 64 lowercase hex digits`;
  }
  if (!Array.isArray(v.subjects) || !v.subjects.every((s) => typeof s === "string")) {
    return `field "subjects" is not an array of strings`;
  }
  if (v.prev !== null && (typeof v.prev !== "string" || !HEX64_RE.test(v.prev))) {
    return `field "prev" is not null or 64 lowercase hex digits`;
  }
  if (v.repairedTornTail !== undefined && v.repairedTornTail !== true) {
    return `field "repairedTornTail" is not true`;
  }
  if (!equalBytes(canonicalBytes(value), line)) return "not in RFC 8785 canonical form";
  const record: AuditRecord = {
    seq: v.seq,
    time: v.time as string,
    keyid: v.keyid as string,
    algorithm: v.algorithm as string,
    payloadType: v.payloadType as string | null,
    payloadSha256: v.payloadSha256,
    subjects: v.subjects as string[],
    actor: v.actor as string,
    prev: v.prev as string | null,
  };
  if (v.repairedTornTail === true) record.repairedTornTail = true;
  return record;
}

/** Splits complete lines (without newlines) and the torn remainder. */
function splitLines(bytes: Uint8Array): { lines: Uint8Array[]; completeLength: number } {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === NEWLINE) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return { lines, completeLength: start };
}

/**
 * Plans one append: repairs a torn tail (an incomplete last line is dropped) and builds the next
 * record chained to the last complete one. Pure: the caller applies the plan (truncate to
 * `keepBytes`, write `line` in one call, sync).
 *
 * @param tail The whole log, or its end starting at a line boundary (see `tailOffset`).
 * @param entry What to record.
 * @param options Where `tail` starts in the log.
 * @returns The plan; `keepBytes` is an absolute offset in the log.
 * @throws {ParseError} `AUDIT_RECORD_MALFORMED` when the last complete record cannot be read (the
 *   chain cannot be extended safely).
 * @throws {TypeError} When the entry is malformed.
 * @throws {RangeError} When a non-zero `tailOffset` is given but `tail` holds no complete line.
 *
 * @example Usage
 * ```ts
 * import { planAuditAppend } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * const plan = planAuditAppend(new TextEncoder().encode('{"torn'), entry);
 * assert.equal(plan.keepBytes, 0);
 * assert.equal(plan.record.seq, 1);
 * assert.equal(plan.record.repairedTornTail, true);
 * ```
 */
export function planAuditAppend(
  tail: Uint8Array,
  entry: AuditEntry,
  options: PlanAuditAppendOptions = {},
): AuditAppendPlan {
  if (!(tail instanceof Uint8Array)) throw new TypeError("Pass the audit log tail as a Uint8Array");
  const offset = options.tailOffset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError("Pass tailOffset as a non-negative integer");
  }
  const checked = checkEntry(entry);
  const lastNewline = tail.lastIndexOf(NEWLINE);
  const completeLength = lastNewline + 1;
  const repairedTornTail = completeLength < tail.length;
  let prev: string | null = null;
  let seq = 1;
  if (lastNewline >= 0) {
    const lineStart = tail.lastIndexOf(NEWLINE, lastNewline - 1) + 1;
    const lastLine = tail.subarray(lineStart, lastNewline);
    const last = decodeRecord(lastLine);
    if (typeof last === "string") {
      throw new ParseError(
        "AUDIT_RECORD_MALFORMED",
        `Cannot append to audit log: last complete record is malformed: ${last}`,
        offset + lineStart,
      );
    }
    prev = lineDigest(lastLine);
    seq = last.seq + 1;
  } else if (offset > 0) {
    throw new RangeError("Pass a tail holding at least one complete line when tailOffset is set");
  }
  const record: AuditRecord = { seq, ...checked, prev };
  if (repairedTornTail) record.repairedTornTail = true;
  const body = encodeRecord(record);
  const line = new Uint8Array(body.length + 1);
  line.set(body);
  line[body.length] = NEWLINE;
  return { keepBytes: offset + completeLength, repairedTornTail, record, line };
}

/**
 * Verifies a whole audit log: record syntax, hash chain, sequence, an optional trusted head, and
 * a torn last line.
 *
 * @param bytes The log file's bytes.
 * @param options An optional trusted head digest.
 * @returns The report: `ok`, the first finding's code and 1-based index, the verified record
 *   count and the head digest.
 * @throws {TypeError} When `trustedHead` is not 64 lowercase hex digits.
 *
 * @example Usage
 * ```ts
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const log = new MemoryAuditLog();
 * const entry = {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * };
 * await log.append(entry);
 * await log.append({ ...entry, time: "2025-01-01T00:01:00Z" });
 * const good = verifyAuditLog(log.bytes());
 * assert.equal(good.ok, true);
 * assert.equal(good.records, 2);
 * const tampered = new TextDecoder().decode(log.bytes()).replace('"actor":"ci"', '"actor":"cj"');
 * const bad = verifyAuditLog(new TextEncoder().encode(tampered));
 * assert.deepEqual([bad.ok, bad.code, bad.index], [false, "AUDIT_CHAIN_BROKEN", 1]);
 * ```
 */
export function verifyAuditLog(
  bytes: Uint8Array,
  options: VerifyAuditLogOptions = {},
): AuditLogReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the audit log as a Uint8Array");
  const trustedHead = options.trustedHead;
  if (
    trustedHead !== undefined && (typeof trustedHead !== "string" || !HEX64_RE.test(trustedHead))
  ) {
    throw new TypeError("Pass trustedHead as 64 lowercase hex digits");
  }
  const { lines, completeLength } = splitLines(bytes);
  const tornTail = completeLength < bytes.length;
  const digests: string[] = [];
  const records: AuditRecord[] = [];
  const fail = (code: AuditLogCode, index: number, message: string): AuditLogReport => {
    const verified = Math.max(0, Math.min(index - 1, digests.length));
    return {
      ok: false,
      code,
      index,
      message,
      records: verified,
      head: verified === 0 ? null : digests[verified - 1]!,
      tornTail,
    };
  };
  // Parse every complete line first so a broken link can look one record ahead.
  const parsed = lines.map((line) => decodeRecord(line));
  for (let i = 0; i < lines.length; i++) {
    const index = i + 1;
    const record = parsed[i]!;
    if (typeof record === "string") {
      return fail("AUDIT_RECORD_MALFORMED", index, `Record ${index} is malformed: ${record}`);
    }
    const previous = records[i - 1];
    if (previous === undefined) {
      if (record.prev !== null) {
        return fail(
          "AUDIT_CHAIN_BROKEN",
          index,
          `Record ${index} links to a previous record that is missing: records before it were removed`,
        );
      }
    } else if (record.prev !== digests[i - 1]) {
      if (record.seq === previous.seq + 1) {
        const next = parsed[i + 1];
        const nextLinks = next === undefined || typeof next === "string" ||
          next.prev === lineDigest(lines[i]!);
        if (next !== undefined && !nextLinks) {
          return fail(
            "AUDIT_CHAIN_BROKEN",
            index,
            `Record ${index} was edited: it does not link to record ${index - 1} and record ${
              index + 1
            } does not link to it`,
          );
        }
        return fail(
          "AUDIT_CHAIN_BROKEN",
          index - 1,
          `Record ${
            index - 1
          } was edited: its digest does not match what record ${index} committed to`,
        );
      }
      return fail(
        "AUDIT_CHAIN_BROKEN",
        index,
        `Record ${index} does not link to record ${index - 1}: records were removed or reordered`,
      );
    }
    const expectedSeq = previous === undefined ? 1 : previous.seq + 1;
    if (record.seq !== expectedSeq) {
      return fail(
        "AUDIT_SEQUENCE_GAP",
        index,
        `Record ${index} has seq ${record.seq}, expected ${expectedSeq}`,
      );
    }
    records.push(record);
    digests.push(lineDigest(lines[i]!));
  }
  const head = digests.length === 0 ? null : digests[digests.length - 1]!;
  if (trustedHead !== undefined && !digests.includes(trustedHead)) {
    return {
      ok: false,
      code: "AUDIT_TRUNCATED",
      index: digests.length + 1,
      message:
        `Trusted head ${trustedHead} is not among the ${digests.length} records: the log was truncated or its last records were replaced`,
      records: digests.length,
      head,
      tornTail,
    };
  }
  if (tornTail) {
    return {
      ok: true,
      code: "AUDIT_TORN_TAIL",
      index: digests.length + 1,
      message: `Record ${
        digests.length + 1
      } is incomplete (torn by an interrupted append): the ${digests.length} complete records verify; the next append removes it`,
      records: digests.length,
      head,
      tornTail,
    };
  }
  return {
    ok: true,
    code: null,
    index: null,
    message: `Audit log intact: ${digests.length} record${digests.length === 1 ? "" : "s"}`,
    records: digests.length,
    head,
    tornTail,
  };
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
 * import { describeSignedData } from "@stellaops/provenance";
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
    const list = typeof statement === "object" && statement !== null && !Array.isArray(statement)
      ? statement.subject
      : undefined;
    if (Array.isArray(list)) {
      for (const subject of list) {
        if (typeof subject !== "object" || subject === null || Array.isArray(subject)) continue;
        const digest = subject.digest;
        if (typeof digest !== "object" || digest === null || Array.isArray(digest)) continue;
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
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance";
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
 * import {
 *   AuditedSigner,
 *   type AuditedSignerOptions,
 *   MemoryAuditLog,
 *   type Signer,
 * } from "@stellaops/provenance";
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
 * A {@link Signer} wrapper that writes one audit record per signature before returning it.
 *
 * The wrapped signer signs first; then the record is appended to the sink; only when the sink
 * confirms the write is the signature returned. If the record cannot be written the call
 * rejects and the signature is discarded.
 *
 * @example Usage
 * ```ts
 * import { AuditedSigner, MemoryAuditLog, type Signer, verifyAuditLog } from "@stellaops/provenance";
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
   * @throws {Error} When the audit record cannot be written (the signature is not returned).
   */
  async sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const signature = await this.#inner.sign(data);
    const entry = describeSignedData(data, {
      keyid: this.#inner.keyid,
      algorithm: this.#inner.algorithm,
      actor: this.#actor,
      time: this.#time(),
    });
    try {
      await this.#sink.append(entry);
    } catch (error) {
      throw new Error(
        `Cannot sign: audit record could not be written: ${(error as Error)?.message ?? error}`,
        { cause: error },
      );
    }
    return signature;
  }
}
