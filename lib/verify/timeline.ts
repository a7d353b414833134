/**
 * Custody timeline verification (`stella.ops/custody@v1`, DESIGN.md "Custody timeline"; issue 6
 * item 6): a list of DSSE envelopes, oldest first, each verified with `verifyEnvelope` (DSSE
 * `protocol.md`) at its own event time, and chained by the rules below.
 *
 * Per entry i, in this order (the entry's `report` lists them after `verifyEnvelope`'s checks):
 * 1. `verifyEnvelope` with `signedAt` = the event's `at`: a trusted key signed it and that key
 *    was valid at the event time (`SIGNATURE_INVALID`, `KEY_UNTRUSTED`, `KEY_NOT_VALID_AT_TIME`,
 *    `KEY_REVOKED`, …), the event is not after `now` or `notAfter` (`SIGNED_IN_FUTURE`,
 *    `SIGNED_AFTER_NOT_AFTER`). A malformed envelope (`ENVELOPE_MALFORMED`) stops here.
 * 2. `custody.statement`: the payload is an in-toto `stella.ops/custody@v1` statement
 *    (`validateCustodyStatement`; the previous/sequence cross-field rule is left to step 4)
 *    (`TIMELINE_ENTRY_INVALID`). When it is not, steps 3–6 are skipped for this entry.
 * 3. `timeline.sequence`: `sequence` equals i, so sequences run 0, 1, 2, … (`TIMELINE_GAP`, also
 *    for reordered, duplicated or missing entries).
 * 4. `timeline.links`: entry 0 has `previous: null`; entry i > 0 has `previous.sha256` equal to
 *    the SHA-256 of entry i − 1's exact bytes (`TIMELINE_LINK_BROKEN`).
 * 5. `timeline.times`: the event time is not before the last earlier entry's event time by more
 *    than `skew` (`TIMELINE_TIME_REGRESSION`).
 * 6. `timeline.subject`: the subject (name and digest set) is the timeline's, i.e. that of the
 *    first entry with a valid custody statement (`TIMELINE_SUBJECT_MISMATCH`).
 *
 * Timeline checks, in this order, each failing with the code of its first failing entry:
 * `timeline.entries` (steps 1–2; `TIMELINE_EMPTY` when there is no entry), `timeline.sequence`,
 * `timeline.links`, `timeline.times`, `timeline.subject`, and `timeline.anchor` when `merkleRoot`
 * is given: `timelineMerkleRoot(entries)` equals it (`MERKLE_ROOT_MISMATCH`).
 *
 * Verdict: `verified` when every check passed. `firstFailure` is the earliest failing entry and
 * its first failed check's code; everything before it is intact. The report's `code` is
 * `firstFailure.code`, or, when no entry fails, the code of the failed timeline check
 * (`TIMELINE_EMPTY`, `MERKLE_ROOT_MISMATCH`). A truncated timeline (entries removed at the end)
 * verifies unless it is anchored: anchor timelines whose length matters.
 *
 * Cost: linear in the number and size of entries (one pass; each entry is parsed, hashed and
 * verified once, plus the anchor's Merkle tree).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import {
  CUSTODY_PREDICATE_TYPE,
  type CustodyPredicate,
  validateCustodyStatement,
} from "../model/custody.ts";
import { INTOTO_PAYLOAD_TYPE, parseEnvelope } from "../model/dsse.ts";
import type { ResourceDescriptor, Statement } from "../model/statement.ts";
import { anchorOfDigests, describeSubject, sameSubject } from "../model/_custody.ts";
import type { FailureCode } from "./codes.ts";
import { type Check, fail, pass, type TimeSource, type VerificationReport } from "./report.ts";
import { verifyMerkleRoot } from "./rekor.ts";
import type { TrustedKey, TrustPolicy } from "./trust_policy.ts";
import { DEFAULT_SKEW_MS, verifyEnvelope } from "./verify_envelope.ts";

/**
 * Options of {@link verifyTimeline}: the flags of `stella forensic verify --timeline`.
 *
 * @example Usage
 * ```ts
 * import type { VerifyTimelineOptions } from "@stellaops/provenance";
 * const options: VerifyTimelineOptions = { now: Date.UTC(2026, 2, 1), merkleRoot: "sha256:" + "ab".repeat(32) };
 * console.assert(options.keys === undefined);
 * ```
 */
export interface VerifyTimelineOptions {
  /** `--now`: evaluation time, epoch ms (the CLI passes the clock or `--now`). */
  now: number;
  /** `--trust`: the trust policy (keys with validity windows, threshold, content rules). */
  trust?: TrustPolicy | undefined;
  /** `--key`: extra trusted keys, added to the policy's; each custodian's key must be here. */
  keys?: readonly TrustedKey[] | undefined;
  /** `--skew`: tolerance for every time comparison, ms (default 5 minutes). */
  skew?: number | undefined;
  /** `--not-after`: reject entries whose event time is after this, epoch ms. */
  notAfter?: number | undefined;
  /** `--merkle-root`: the anchor, as 64 hex digits or `sha256:<hex>`. */
  merkleRoot?: string | undefined;
  /** Names of the entries (file names, `timeline.jsonl:3`), used in messages; default `entry i`. */
  names?: readonly string[] | undefined;
}

/**
 * The result of verifying one timeline entry: its verdict, its first failure code, what it says
 * and the full report of its checks (`verifyEnvelope`'s, then the custody checks).
 *
 * @example Usage
 * ```ts
 * import type { TimelineEntryReport } from "@stellaops/provenance";
 * const failing = (entries: TimelineEntryReport[]) => entries.filter((e) => !e.verified).map((e) => e.index);
 * console.assert(failing([]).length === 0);
 * ```
 */
export interface TimelineEntryReport {
  /** Position in the input (0 = oldest). */
  index: number;
  /** True exactly when every check of this entry passed. */
  verified: boolean;
  /** The code of this entry's first failed check, when one failed. */
  code?: FailureCode;
  /** SHA-256 (hex) of the entry's exact bytes: what the next entry's `previous` must be. */
  sha256: string;
  /** The entry's `sequence`, when its custody statement is valid. */
  sequence?: number;
  /** The event type, when its custody statement is valid. */
  eventType?: string;
  /** The event time (canonical RFC 3339), when its custody statement is valid. */
  eventAt?: string;
  /** The entry's checks; its `time` is the event time (`signed-at`) when known. */
  report: VerificationReport;
}

/**
 * The result of verifying a custody timeline.
 *
 * @example Usage
 * ```ts
 * import type { TimelineReport } from "@stellaops/provenance";
 * const where = (r: TimelineReport): string =>
 *   r.firstFailure === undefined ? (r.code ?? "verified") : `${r.firstFailure.code} at entry ${r.firstFailure.index}`;
 * console.assert(typeof where === "function");
 * ```
 */
export interface TimelineReport {
  /** True exactly when every check passed. */
  verified: boolean;
  /** `firstFailure.code`, or the failed timeline check's code when no entry failed. */
  code?: FailureCode;
  /** The earliest failing entry and its first failed check's code. */
  firstFailure?: { index: number; code: FailureCode };
  /** Timeline checks, in pipeline order. */
  checks: Check[];
  /** One report per entry, in input order. */
  entries: TimelineEntryReport[];
  /** The timeline's subject (from the first entry with a valid custody statement). */
  subject?: { name: string; digest: Record<string, string> };
  /** `timelineMerkleRoot` of the entries, `sha256:<hex>`: the value to anchor. */
  merkleRoot: string;
  /** Key ids of the trusted keys that verified a counted signature on any entry, sorted. */
  keyids: string[];
  /** The evaluation time (`now`); each entry's report carries its own event time. */
  time: { value: string; source: TimeSource };
}

/** Problem codes of `validateCustodyStatement` that step 4 (links) reports instead. */
const LINK_PROBLEMS = new Set(["PREVIOUS_REQUIRED", "PREVIOUS_UNEXPECTED"]);
const ENTRY_STEP_IDS = [
  "timeline.sequence",
  "timeline.links",
  "timeline.times",
  "timeline.subject",
];
const MERKLE_ROOT_RE = /^(?:sha256:)?[0-9a-fA-F]{64}$/;

/**
 * Verifies a custody timeline: every entry's signatures by trusted keys valid at its event time,
 * sequences contiguous from 0, each `previous` the SHA-256 of the previous entry's exact bytes,
 * event times non-decreasing within `skew`, one subject throughout, and optionally the anchor.
 *
 * @param entries The entries' exact stored bytes, oldest first (the files' bytes, or the JSON
 *   Lines lines without newlines, e.g. from `splitJsonLines`). Untrusted.
 * @param options Keys or trust policy, times, anchor.
 * @returns A {@link TimelineReport}; it never throws for bad entries (only for misuse).
 * @throws {TypeError} When `entries` is not an array of `Uint8Array` or `names` is not an array.
 * @throws {RangeError} When `now` or `skew` are not sensible numbers, or `merkleRoot` is not 64
 *   hex digits (optionally prefixed `sha256:`).
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent, createSigner, exportPublicKeyPem, generateKeyPair, timelineMerkleRoot,
 *   trustedKeyFromPem, verifyTimeline,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const signers = [createSigner(key)];
 * const e0 = await appendCustodyEvent(null, {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers,
 * });
 * const e1 = await appendCustodyEvent(e0.bytes, {
 *   event: { type: "stored", actor: "locker", at: "2026-02-10T12:00:00Z" },
 *   signers,
 * });
 * const options = { now: Date.UTC(2026, 2, 1), keys: [trustedKeyFromPem(exportPublicKeyPem(key))] };
 * const report = await verifyTimeline([e0.bytes, e1.bytes], options);
 * assert.equal(report.verified, true);
 * assert.equal(report.merkleRoot, timelineMerkleRoot([e0.bytes, e1.bytes]));
 * const swapped = await verifyTimeline([e1.bytes, e0.bytes], options);
 * assert.deepEqual(swapped.firstFailure, { index: 0, code: "TIMELINE_GAP" });
 * ```
 */
export async function verifyTimeline(
  entries: readonly Uint8Array[],
  options: VerifyTimelineOptions,
): Promise<TimelineReport> {
  if (!Array.isArray(entries)) throw new TypeError("Pass the timeline entries as an array");
  for (const [i, entry] of entries.entries()) {
    if (!(entry instanceof Uint8Array)) {
      throw new TypeError(`Pass timeline entry ${i} as a Uint8Array`);
    }
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass verifyTimeline options as an object");
  }
  if (!Number.isFinite(options.now)) throw new RangeError("Pass `now` as epoch milliseconds");
  const skew = options.skew ?? DEFAULT_SKEW_MS;
  if (!Number.isFinite(skew) || skew < 0) throw new RangeError("Pass `skew` as milliseconds ≥ 0");
  const names = options.names;
  if (names !== undefined && !Array.isArray(names)) {
    throw new TypeError("Pass options.names as an array of strings");
  }
  const expectedRoot = options.merkleRoot;
  if (expectedRoot !== undefined && !MERKLE_ROOT_RE.test(expectedRoot)) {
    throw new RangeError(
      "Pass merkleRoot as 64 hex digits or sha256:<64 hex digits>: got " +
        JSON.stringify(String(expectedRoot).slice(0, 80)),
    );
  }

  const results: TimelineEntryReport[] = [];
  const digests: Uint8Array[] = [];
  const keyids = new Set<string>();
  let previousDigest: string | undefined;
  let lastAt: { ms: number; index: number } | undefined;
  let subject: ResourceDescriptor | undefined;
  for (const [index, bytes] of entries.entries()) {
    const name = names?.[index] ?? `entry ${index}`;
    const digestBytes = sha256(bytes);
    digests.push(digestBytes);
    const digest = digestBytes.toHex();
    const custody = readCustody(bytes, name);
    const atMs = custody.statement === undefined
      ? undefined
      : parseRfc3339(custody.statement.predicate.event.at);
    const envelopeReport = await verifyEnvelope(bytes, {
      now: options.now,
      trust: options.trust,
      keys: options.keys,
      skew,
      notAfter: options.notAfter,
      signedAt: atMs,
      name,
    });
    for (const keyid of envelopeReport.keyids) keyids.add(keyid);
    const checks = [...envelopeReport.checks];
    const result: Omit<TimelineEntryReport, "index" | "verified" | "report"> = { sha256: digest };
    if (envelopeReport.checks[0]?.ok !== false) {
      checks.push(
        custody.problem === undefined
          ? pass("custody.statement")
          : fail("custody.statement", "TIMELINE_ENTRY_INVALID", custody.problem),
      );
    }
    const statement = custody.statement;
    if (statement !== undefined && atMs !== undefined) {
      const predicate = statement.predicate;
      result.sequence = predicate.sequence;
      result.eventType = predicate.event.type;
      result.eventAt = formatRfc3339(atMs);
      checks.push(checkSequence(index, name, predicate.sequence));
      checks.push(checkLink(index, name, predicate.previous, previousDigest));
      checks.push(checkTime(name, atMs, lastAt, skew));
      const entrySubject = statement.subject[0]!;
      subject ??= entrySubject;
      checks.push(
        sameSubject(entrySubject, subject) ? pass("timeline.subject") : fail(
          "timeline.subject",
          "TIMELINE_SUBJECT_MISMATCH",
          `Reject ${quote(name)}: its subject ${describeSubject(entrySubject)} is not the ` +
            `timeline's (${describeSubject(subject)})`,
        ),
      );
      lastAt = { ms: atMs, index };
    }
    previousDigest = digest;
    const { code: _envelopeCode, ...rest } = envelopeReport;
    const report: VerificationReport = { ...rest, checks, verified: true };
    const failed = checks.find((c) => !c.ok);
    if (failed !== undefined) {
      report.verified = false;
      if (failed.code !== undefined) report.code = failed.code;
    }
    const entry: TimelineEntryReport = { index, verified: report.verified, ...result, report };
    if (report.code !== undefined) entry.code = report.code;
    results.push(entry);
  }

  const root = anchorOfDigests(digests); // = timelineMerkleRoot(entries), without re-hashing
  const checks = timelineChecks(results);
  if (expectedRoot !== undefined) {
    const anchor = verifyMerkleRoot(expectedRoot.toLowerCase(), root, { name: "custody timeline" });
    checks.push({ ...anchor, id: "timeline.anchor" });
  }

  const report: TimelineReport = {
    verified: checks.every((c) => c.ok),
    checks,
    entries: results,
    merkleRoot: root,
    keyids: [...keyids].sort(),
    time: { value: formatRfc3339(options.now), source: "clock" },
  };
  const firstEntry = results.find((entry) => !entry.verified);
  if (firstEntry?.code !== undefined) {
    report.firstFailure = { index: firstEntry.index, code: firstEntry.code };
    report.code = firstEntry.code;
  } else {
    const failed = checks.find((c) => !c.ok);
    if (failed?.code !== undefined) report.code = failed.code;
  }
  if (subject !== undefined) {
    report.subject = { name: subject.name ?? "", digest: { ...(subject.digest ?? {}) } };
  }
  return report;
}

/** Reads the custody statement of an entry, or says why it is not one (undefined: no envelope). */
function readCustody(
  bytes: Uint8Array,
  name: string,
): { statement?: Statement<CustodyPredicate>; problem?: string } {
  let payloadType: string;
  let payload: Uint8Array;
  try {
    ({ payloadType, payloadBytes: payload } = parseEnvelope(bytes, { name }));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {}; // verifyEnvelope reports ENVELOPE_MALFORMED
  }
  const reject = `Reject ${quote(name)}: it is not a ${CUSTODY_PREDICATE_TYPE} statement`;
  if (payloadType !== INTOTO_PAYLOAD_TYPE) {
    return { problem: `${reject}: payload type ${JSON.stringify(payloadType)} is not in-toto` };
  }
  let value: unknown;
  try {
    value = parseJson(payload, { name: `${name} payload` });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { problem: `${reject}: ${error.message}` };
  }
  const problems = validateCustodyStatement(value).filter((p) => !LINK_PROBLEMS.has(p.code));
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ");
    return { problem: `${reject}: ${list}` };
  }
  return { statement: value as Statement<CustodyPredicate> };
}

function checkSequence(index: number, name: string, sequence: number): Check {
  if (sequence === index) return pass("timeline.sequence");
  return fail(
    "timeline.sequence",
    "TIMELINE_GAP",
    `Reject ${quote(name)}: its sequence is ${sequence}, expected ${index} (entries must be ` +
      "numbered 0, 1, 2, … in timeline order; one is missing, duplicated or out of order)",
  );
}

function checkLink(
  index: number,
  name: string,
  previous: { sha256: string } | null | undefined,
  previousDigest: string | undefined,
): Check {
  const named = previous?.sha256;
  if (index === 0) {
    if (named === undefined) return pass("timeline.links");
    return fail(
      "timeline.links",
      "TIMELINE_LINK_BROKEN",
      `Reject ${quote(name)}: the first entry must have previous null, it names sha256 ${named}`,
    );
  }
  if (named === previousDigest) return pass("timeline.links");
  return fail(
    "timeline.links",
    "TIMELINE_LINK_BROKEN",
    `Reject ${quote(name)}: previous is ${
      named === undefined ? "null" : `sha256 ${named}`
    }, but entry ${index - 1}'s exact bytes hash to sha256 ${previousDigest}`,
  );
}

function checkTime(
  name: string,
  at: number,
  last: { ms: number; index: number } | undefined,
  skew: number,
): Check {
  if (last === undefined || at >= last.ms - skew) return pass("timeline.times");
  return fail(
    "timeline.times",
    "TIMELINE_TIME_REGRESSION",
    `Reject ${quote(name)}: its event time ${formatRfc3339(at)} is before entry ${last.index}'s ` +
      `(${formatRfc3339(last.ms)}) beyond the skew`,
  );
}

/** The timeline checks: each fails with its first failing entry's check (and counts the rest). */
function timelineChecks(entries: readonly TimelineEntryReport[]): Check[] {
  if (entries.length === 0) {
    return [
      fail("timeline.entries", "TIMELINE_EMPTY", "Reject custody timeline: it has no entries"),
      ...ENTRY_STEP_IDS.map(pass),
    ];
  }
  const firstOf = new Map<string, { check: Check; count: number }>();
  for (const entry of entries) {
    let envelopeFailed = false;
    for (const check of entry.report.checks) {
      if (check.ok) continue;
      const id = ENTRY_STEP_IDS.includes(check.id) ? check.id : "timeline.entries";
      if (id === "timeline.entries") {
        if (envelopeFailed) continue; // one count per entry
        envelopeFailed = true;
      }
      const seen = firstOf.get(id);
      if (seen === undefined) firstOf.set(id, { check, count: 1 });
      else seen.count++;
    }
  }
  return ["timeline.entries", ...ENTRY_STEP_IDS].map((id) => {
    const seen = firstOf.get(id);
    if (seen === undefined) return pass(id);
    const more = seen.count - 1;
    const suffix = more === 0 ? "" : ` (and ${more} more ${more === 1 ? "entry" : "entries"})`;
    return fail(id, seen.check.code!, `${seen.check.message ?? "Reject entry"}${suffix}`);
  });
}

function quote(name: string): string {
  return JSON.stringify(name);
}
