/**
 * Custody timeline verification (`stella.ops/custody@v1`, docs/architecture.md "Custody timeline"; issue 6
 * item 6, issue 13 items 3 and 4): a list of DSSE envelopes, oldest first, each verified with
 * `verifyEnvelope` (DSSE `protocol.md`) at its own trusted time, bound to its custodian, and
 * chained by the rules below.
 *
 * Trusted time: an entry's keys are judged at the `genTime` of an RFC 3161 token over the entry's
 * signature (`timestamps[i]`, verified against `tsaRoots`), else at `now`. The signer-written
 * `event.at` never decides a key window or a revocation: a revoked custodian key cannot append
 * entries backdated before its revocation.
 *
 * Per entry i, in this order (the entry's `report` lists them after `verifyEnvelope`'s checks):
 * 1. `verifyEnvelope` at the entry's trusted time: a trusted key signed it and that key was valid
 *    and not revoked then (`SIGNATURE_INVALID`, `KEY_UNTRUSTED`, `KEY_NOT_VALID_AT_TIME`,
 *    `KEY_REVOKED`, …) and that time is not after `notAfter` (`SIGNED_AFTER_NOT_AFTER`); a token
 *    that does not verify fails with its code, a token without TSA roots is reported as ignored.
 *    A malformed envelope (`ENVELOPE_MALFORMED`) stops here.
 * 2. `custody.statement`: the payload is an in-toto `stella.ops/custody@v1` statement
 *    (`validateCustodyStatement`; the previous/sequence cross-field rule is left to step 5)
 *    (`TIMELINE_ENTRY_INVALID`). When it is not, steps 3–8 are skipped for this entry.
 * 3. `custody.time`: the claimed event time counts only against the signer: it is not after
 *    `now`, nor after the entry's RFC 3161 time (`SIGNED_IN_FUTURE`), nor after `notAfter`
 *    (`SIGNED_AFTER_NOT_AFTER`), each beyond `skew`.
 * 4. `timeline.sequence`: `sequence` equals i, so sequences run 0, 1, 2, … (`TIMELINE_GAP`, also
 *    for reordered, duplicated or missing entries).
 * 5. `timeline.links`: entry 0 has `previous: null`; entry i > 0 has `previous.sha256` equal to
 *    the SHA-256 of entry i − 1's exact bytes (`TIMELINE_LINK_BROKEN`).
 * 6. `timeline.times`: the event time is not before the last earlier entry's event time by more
 *    than `skew` (`TIMELINE_TIME_REGRESSION`).
 * 7. `timeline.subject`: the subject (name and digest set) is the timeline's, i.e. that of the
 *    first entry with a valid custody statement (`TIMELINE_SUBJECT_MISMATCH`).
 * 8. `timeline.custodian` (when a key counted): `event.actor` is one of the `custodians` bound to
 *    every key that counted for the entry (`CUSTODY_ACTOR_MISMATCH`); a key bound to no custodian
 *    fails `CUSTODY_ACTOR_UNBOUND` unless `allowUnboundCustodians`. Custodians follow the key
 *    material: the lists of every trust entry for the same public key add up, and an entry
 *    without the field (such as `--key`) binds nothing and lifts nothing.
 *
 * Timeline checks, in this order, each failing with the code of its first failing entry:
 * `timeline.entries` (steps 1–3; `TIMELINE_EMPTY` when there is no entry), `timeline.sequence`,
 * `timeline.links`, `timeline.times`, `timeline.subject`, `timeline.custodian`; then the anchors
 * that are given: `timeline.anchor.entries` (`expectEntries`: fewer entries is
 * `CUSTODY_TRUNCATED`, more is `CUSTODY_ANCHOR_MISMATCH`), `timeline.anchor.head` (`expectHead`,
 * the SHA-256 of the last entry's exact bytes: absent from the timeline is `CUSTODY_TRUNCATED`, an
 * earlier entry is `CUSTODY_ANCHOR_MISMATCH`), `timeline.anchor` (`merkleRoot`:
 * `timelineMerkleRoot(entries)` equals it, else `MERKLE_ROOT_MISMATCH`).
 *
 * Verdict: `verified` when every check passed. `firstFailure` is the earliest failing entry and
 * its first failed check's code; everything before it is intact. The report's `code` is
 * `firstFailure.code`, or, when no entry fails, the code of the failed timeline check
 * (`TIMELINE_EMPTY`, `CUSTODY_TRUNCATED`, `CUSTODY_ANCHOR_MISMATCH`, `MERKLE_ROOT_MISMATCH`).
 * Without an anchor, entries removed from the end are undetectable: the report then says
 * `anchored: false` (and the CLI warns). `head` is the value to anchor with `expectHead`.
 *
 * The per-entry and timeline checks are in `_timeline_checks.ts`.
 *
 * Cost: linear in the number and size of entries (one pass; each entry is parsed, hashed and
 * verified once, plus the anchor's Merkle tree).
 *
 * @module
 */

import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import type { ResourceDescriptor } from "../model/statement.ts";
import { anchorOfDigests, describeSubject, sameSubject } from "../model/custody_chain.ts";
import type { FailureCode } from "./codes.ts";
import { fail, pass, type VerificationReport } from "./report.ts";
import { verifyMerkleRoot } from "./rekor.ts";
import { compileTrust, type TrustMaterial } from "./trust_material.ts";
import type { VerifyItem, VerifyOptions } from "./options.ts";
import { DEFAULT_SKEW_MS, verifyEnvelopeWith } from "./verify_envelope.ts";
import {
  checkCustodian,
  checkEntryCount,
  checkEventTime,
  checkHead,
  checkLink,
  checkSequence,
  checkTime,
  quote,
  readCustody,
  timelineChecks,
} from "./_timeline_checks.ts";

/**
 * The result of verifying one timeline entry: its verdict, its first failure code, what it says
 * and the full report of its checks (`verifyEnvelope`'s, then the custody checks).
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   type TimelineEntryReport,
 *   verifyTimeline,
 * } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const e0 = await appendCustodyEvent(null, {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers: [createSigner(key)],
 * });
 * const trust = loadTrustMaterial({
 *   keys: [{ pem: exportPublicKeyPem(key), options: { custodians: ["ir-team"] } }],
 * });
 * const report = await verifyTimeline([e0.bytes], trust, { now: Date.UTC(2026, 2, 1) });
 * const entry: TimelineEntryReport | undefined = report.entries[0];
 * assert.deepEqual({ ...entry, report: null }, {
 *   index: 0,
 *   verified: true,
 *   sha256: encodeHex(sha256(e0.bytes)),
 *   sequence: 0,
 *   eventType: "collected",
 *   eventAt: "2026-02-10T09:00:00Z",
 *   report: null,
 * });
 * // Without an RFC 3161 token the entry is judged at `now`, never at the signer-written event time.
 * assert.deepEqual(entry?.report.time, { value: "2026-03-01T00:00:00Z", source: "clock" });
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
  /** The entry's checks; its `time` is the entry's trusted time (`rfc3161` or `clock`). */
  report: VerificationReport;
}

/**
 * The result of verifying a custody timeline.
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent,
 *   createSigner,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   type TimelineReport,
 *   verifyTimeline,
 * } from "@stellaops/provenance";
 * import { timelineMerkleRoot } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const subject = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
 * const e0 = await appendCustodyEvent(null, {
 *   subject,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers: [createSigner(key)],
 * });
 * // The custodian's key is not passed: every entry fails on trust, the rest is still reported.
 * const report: TimelineReport = await verifyTimeline([e0.bytes], loadTrustMaterial(), {
 *   now: Date.UTC(2026, 2, 1),
 * });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "KEY_UNTRUSTED");
 * assert.deepEqual(report.firstFailure, { index: 0, code: "KEY_UNTRUSTED" });
 * assert.deepEqual(report.subject, subject);
 * assert.equal(report.merkleRoot, timelineMerkleRoot([e0.bytes]));
 * assert.deepEqual(report.checks.map((c) => [c.id, c.ok]), [
 *   ["timeline.entries", false],
 *   ["timeline.sequence", true],
 *   ["timeline.links", true],
 *   ["timeline.times", true],
 *   ["timeline.subject", true],
 *   ["timeline.custodian", true],
 * ]);
 * assert.equal(report.anchored, false); // no expectHead, expectEntries or merkleRoot given
 * ```
 */
export interface TimelineReport extends VerificationReport {
  /** The earliest failing entry and its first failed check's code. */
  firstFailure?: { index: number; code: FailureCode };
  /** One report per entry, in input order. */
  entries: TimelineEntryReport[];
  /** The timeline's subject (from the first entry with a valid custody statement). */
  subject?: { name: string; digest: Record<string, string> };
  /** `timelineMerkleRoot` of the entries, `sha256:<hex>`: the value to anchor. */
  merkleRoot: string;
  /** SHA-256 of the last entry's exact bytes, `sha256:<hex>` (absent when there is none). */
  head?: string;
  /**
   * Whether an anchor (`merkleRoot`, `expectHead`, `expectEntries`) was checked. Without one,
   * entries removed from the end of the timeline cannot be detected.
   */
  anchored: boolean;
}

const MERKLE_ROOT_RE = /^(?:sha256:)?[0-9a-fA-F]{64}$/;

/**
 * Verifies a custody timeline: every entry's signatures by trusted keys valid at its trusted time
 * (its RFC 3161 token, else `now`), each actor a custodian of the key that signed, sequences
 * contiguous from 0, each `previous` the SHA-256 of the previous entry's exact bytes, event
 * times non-decreasing within `skew`, one subject throughout, and the anchors given.
 *
 * @param entries The entries' exact stored bytes, oldest first (the files' bytes, or the JSON
 *   Lines lines without newlines, e.g. from `splitJsonLines`), each alone or as a
 *   {@link VerifyItem} with its name and its RFC 3161 tokens. Untrusted.
 * @param trust The custodians' keys with their `custodians` bindings, the TSA roots.
 * @param options Times, anchors (`merkleRoot`, `expectHead`, `expectEntries`),
 *   `allowUnboundCustodians`.
 * @returns A {@link TimelineReport}; it never throws for bad entries (only for misuse).
 * @throws {TypeError} When `entries` is not an array of `Uint8Array` or items, `trust` is not
 *   trust material, or `options.timestamps` is given (tokens travel with their entry).
 * @throws {RangeError} When `now` or `skew` are not sensible numbers, `merkleRoot` or
 *   `expectHead` is not 64 hex digits (optionally prefixed `sha256:`), or `expectEntries` is not
 *   an integer ≥ 1.
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   verifyTimeline,
 * } from "@stellaops/provenance";
 * import { timelineMerkleRoot } from "@stellaops/provenance/model";
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
 *   event: { type: "stored", actor: "ir-team", at: "2026-02-10T12:00:00Z" },
 *   signers,
 * });
 * // The key may sign entries for the custodian "ir-team" only.
 * const trust = loadTrustMaterial({
 *   keys: [{ pem: exportPublicKeyPem(key), options: { custodians: ["ir-team"] } }],
 * });
 * const options = { now: Date.UTC(2026, 2, 1) };
 * const report = await verifyTimeline([e0.bytes, e1.bytes], trust, options);
 * assert.equal(report.verified, true);
 * assert.equal(report.merkleRoot, timelineMerkleRoot([e0.bytes, e1.bytes]));
 * assert.equal(report.anchored, false); // a cut tail would go unnoticed: anchor it
 * const anchored = await verifyTimeline([e0.bytes], trust, { ...options, expectHead: report.head });
 * assert.equal(anchored.code, "CUSTODY_TRUNCATED");
 * const swapped = await verifyTimeline([e1.bytes, e0.bytes], trust, options);
 * assert.deepEqual(swapped.firstFailure, { index: 0, code: "TIMELINE_GAP" });
 * ```
 */
export async function verifyTimeline(
  entries: readonly (Uint8Array | VerifyItem)[],
  trust: TrustMaterial,
  options: VerifyOptions,
): Promise<TimelineReport> {
  if (!Array.isArray(entries)) throw new TypeError("Pass the timeline entries as an array");
  const items: VerifyItem[] = entries.map((entry, i) => {
    const item = entry instanceof Uint8Array ? { bytes: entry } : entry;
    if (typeof item !== "object" || item === null || !(item.bytes instanceof Uint8Array)) {
      throw new TypeError(
        `Pass timeline entry ${i} as a Uint8Array or { bytes, name, timestamps }`,
      );
    }
    return item;
  });
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass verifyTimeline options as an object");
  }
  if (options.timestamps !== undefined && options.timestamps.length > 0) {
    throw new TypeError(
      "Pass a timeline entry's RFC 3161 tokens with the entry ({ bytes, timestamps }), not in options",
    );
  }
  const compiled = compileTrust(trust);
  if (!Number.isFinite(options.now)) throw new RangeError("Pass `now` as epoch milliseconds");
  const skew = options.skew ?? DEFAULT_SKEW_MS;
  if (!Number.isFinite(skew) || skew < 0) throw new RangeError("Pass `skew` as milliseconds ≥ 0");
  const expectedRoot = options.merkleRoot;
  if (expectedRoot !== undefined && !MERKLE_ROOT_RE.test(expectedRoot)) {
    throw new RangeError(
      "Pass merkleRoot as 64 hex digits or sha256:<64 hex digits>: got " +
        JSON.stringify(String(expectedRoot).slice(0, 80)),
    );
  }
  const expectHead = options.expectHead;
  if (expectHead !== undefined && !MERKLE_ROOT_RE.test(expectHead)) {
    throw new RangeError(
      "Pass expectHead as sha256:<64 hex digits> (or 64 hex digits): got " +
        JSON.stringify(String(expectHead).slice(0, 80)),
    );
  }
  const expectEntries = options.expectEntries;
  if (expectEntries !== undefined && (!Number.isSafeInteger(expectEntries) || expectEntries < 1)) {
    throw new RangeError(`Pass expectEntries as an integer ≥ 1, not ${expectEntries}`);
  }
  const tsaRoots = compiled.tsaRoots;

  const results: TimelineEntryReport[] = [];
  const digests: Uint8Array[] = [];
  const keyids = new Set<string>();
  let previousDigest: string | undefined;
  let lastAt: { ms: number; index: number } | undefined;
  let subject: ResourceDescriptor | undefined;
  for (const [index, { bytes, name: given, timestamps: tokens = [] }] of items.entries()) {
    const name = given ?? `entry ${index}`;
    const digestBytes = sha256(bytes);
    digests.push(digestBytes);
    const digest = digestBytes.toHex();
    const custody = readCustody(bytes, name);
    const atMs = custody.statement === undefined
      ? undefined
      : parseRfc3339(custody.statement.predicate.event.at);
    const { report: envelopeReport, signers } = await verifyEnvelopeWith(bytes, compiled, {
      now: options.now,
      skew,
      notAfter: options.notAfter,
      timestamps: tsaRoots === undefined ? undefined : tokens,
      name,
    });
    for (const keyid of envelopeReport.keyids) keyids.add(keyid);
    const checks = [...envelopeReport.checks];
    if (tsaRoots === undefined && tokens.length > 0 && checks[0]?.ok === true) {
      checks.splice(1, 0, {
        id: "timestamp.rfc3161",
        ok: true,
        message: `Ignored (not a time source): no TSA roots given for the ${tokens.length} ` +
          `token(s) of ${quote(name)} (pass --tsa-roots or tsaRoots in the trust policy)`,
      });
    }
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
      checks.push(
        checkEventTime(name, atMs, envelopeReport.time, options.now, options.notAfter, skew),
      );
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
      if (signers.length > 0) {
        checks.push(
          checkCustodian(
            index,
            name,
            predicate.event.actor,
            signers,
            options.allowUnboundCustodians,
          ),
        );
      }
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
  if (expectEntries !== undefined) checks.push(checkEntryCount(results.length, expectEntries));
  if (expectHead !== undefined) checks.push(checkHead(results, expectHead));
  if (expectedRoot !== undefined) {
    const anchor = verifyMerkleRoot(expectedRoot.toLowerCase(), root, { name: "custody timeline" });
    checks.push({ ...anchor, id: "timeline.anchor" });
  }

  const report: TimelineReport = {
    verified: checks.every((c) => c.ok),
    checks,
    entries: results,
    merkleRoot: root,
    anchored: expectEntries !== undefined || expectHead !== undefined ||
      expectedRoot !== undefined,
    keyids: [...keyids].sort(),
    time: { value: formatRfc3339(options.now), source: "clock" },
  };
  const last = results.at(-1);
  if (last !== undefined) report.head = `sha256:${last.sha256}`;
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
