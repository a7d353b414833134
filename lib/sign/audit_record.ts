/**
 * The record format of the signing audit log, and its strict codec: one record per line, each line
 * the RFC 8785 canonical JSON of the record followed by `"\n"` (UTF-8). A record is
 * `{ seq, time, keyid, algorithm, payloadType, payloadSha256, subjects, actor, prev }` plus
 * `refused: [code, ...]` when the signer refused the operation (a policy claim failed: nothing was
 * signed) and `repairedTornTail: true` when the append that wrote it first removed an incomplete
 * last line.
 * `seq` counts from 1 and equals the record's 1-based line index; `prev` is the lowercase hex
 * SHA-256 of the previous record's exact line bytes (without its newline), `null` for the first.
 * `time` is normalised to UTC (`formatRfc3339`); `subjects` are `alg:hex` digest strings, subject
 * order kept, algorithms sorted within a subject.
 *
 * Appending is planned in `audit_append.ts`, verification is in `audit_verify.ts`, the signer
 * wrapper in `audited_signer.ts`; `audit_log.ts` gathers them.
 *
 * @module
 */

import { encodeHex, equalBytes } from "../encoding/bytes.ts";
import { canonicalBytes } from "../encoding/canonical_json.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";

/**
 * What one sign operation records (the caller-supplied part of an {@link AuditRecord}).
 *
 * @example Usage
 * ```ts
 * import { type AuditEntry } from "@stellaops/provenance/sign";
 * import { MemoryAuditLog } from "@stellaops/provenance/sign";
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
  /**
   * Present when the signer refused (nothing was signed): the codes of its problems, in order
   * (e.g. `CLAIM_MISSING`). Absent on a record of a signature.
   */
  refused?: string[] | undefined;
}

/**
 * One audit log record: an {@link AuditEntry} plus its position in the hash chain.
 *
 * @example Usage
 * ```ts
 * import { type AuditRecord } from "@stellaops/provenance/sign";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex, encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { MemoryAuditLog } from "@stellaops/provenance/sign";
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

/** A lowercase hex SHA-256. */
export const HEX64_RE = /^[0-9a-f]{64}$/;

/** The fields a record may have; any other field makes it malformed. */
export const RECORD_FIELDS = new Set([
  "seq",
  "time",
  "keyid",
  "algorithm",
  "payloadType",
  "payloadSha256",
  "subjects",
  "actor",
  "prev",
  "refused",
  "repairedTornTail",
]);

/** The record separator, `"\n"`. */
export const NEWLINE = 0x0a;

/** Hex SHA-256 of a record line's exact bytes (without its newline): the next record's `prev`. */
export function lineDigest(line: Uint8Array): string {
  return encodeHex(sha256(line));
}

/** Checks a caller's entry and normalises its time to UTC; throws `TypeError` when malformed. */
export function checkEntry(entry: AuditEntry): AuditEntry {
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
  if (entry.refused !== undefined && !isRefusal(entry.refused)) {
    throw new TypeError("Pass audit entry refused as a non-empty array of strings");
  }
  let time: string;
  try {
    time = formatRfc3339(parseRfc3339(entry.time, "time"));
  } catch (error) {
    throw new TypeError(`Pass audit entry time as RFC 3339: ${(error as Error).message}`);
  }
  const checked: AuditEntry = {
    time,
    keyid: entry.keyid,
    algorithm: entry.algorithm,
    payloadType: entry.payloadType,
    payloadSha256: entry.payloadSha256,
    subjects: [...entry.subjects],
    actor: entry.actor,
  };
  if (entry.refused !== undefined) checked.refused = [...entry.refused];
  return checked;
}

function isRefusal(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === "string");
}

/** A record's canonical JSON line, without the newline. */
export function encodeRecord(record: AuditRecord): Uint8Array<ArrayBuffer> {
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
  if (record.refused !== undefined) value.refused = record.refused;
  if (record.repairedTornTail === true) value.repairedTornTail = true;
  return canonicalBytes(value);
}

/** Parses one complete line into a record, or returns why it is malformed. */
export function decodeRecord(line: Uint8Array): AuditRecord | string {
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
  if (v.refused !== undefined && !isRefusal(v.refused)) {
    return `field "refused" is not a non-empty array of strings`;
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
  if (v.refused !== undefined) record.refused = v.refused as string[];
  if (v.repairedTornTail === true) record.repairedTornTail = true;
  return record;
}

/** Splits complete lines (without newlines) and the torn remainder. */
export function splitLines(bytes: Uint8Array): { lines: Uint8Array[]; completeLength: number } {
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
