/**
 * Append planning for the signing audit log (record format in `audit_record.ts`): repair a torn
 * tail and chain the next record to the last complete one. Pure: the caller (a file, memory)
 * applies the plan.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import {
  type AuditEntry,
  type AuditRecord,
  checkEntry,
  decodeRecord,
  encodeRecord,
  lineDigest,
  NEWLINE,
} from "./audit_record.ts";

/**
 * How to apply one append to a log: keep the first `keepBytes` bytes, then write `line`.
 *
 * @example Usage
 * ```ts
 * import { canonicalize } from "@stellaops/provenance";
 * import { type AuditAppendPlan } from "@stellaops/provenance/sign";
 * import { decodeUtf8, encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { MemoryAuditLog, planAuditAppend } from "@stellaops/provenance/sign";
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
 * import { type PlanAuditAppendOptions } from "@stellaops/provenance/sign";
 * import { MemoryAuditLog, planAuditAppend } from "@stellaops/provenance/sign";
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
 * import { planAuditAppend } from "@stellaops/provenance/sign";
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
