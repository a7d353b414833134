/**
 * Verification of the signing audit log (record format in `audit_record.ts`).
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

import type { AuditLogCode } from "../encoding/error_codes.ts";
import {
  type AuditRecord,
  decodeRecord,
  HEX64_RE,
  lineDigest,
  splitLines,
} from "./audit_record.ts";

/**
 * Options of {@link verifyAuditLog}.
 *
 * @example Usage
 * ```ts
 * import { type VerifyAuditLogOptions } from "@stellaops/provenance/sign";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance/sign";
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
 * import { type AuditLogReport } from "@stellaops/provenance/sign";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance/sign";
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
 * import { MemoryAuditLog, verifyAuditLog } from "@stellaops/provenance/sign";
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
